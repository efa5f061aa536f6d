// The parts of the search that run on the page's thread: compiling (never matching) and the name table.
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../flamegraph/tree';
import { compileSearch, distinctNames, searchFlags } from './search';

const node = (name: string, value: number, children: FlameNode[] = []): FlameNode => ({ name, self: 0, net: value, samples: value, kind: 'user', value, children });

describe('search', () => {
  it('lists each frame name once, never the root, however deep the tree', () => {
    const tree = node('all', 3, [node('a', 2, [node('b', 2, [node('a', 2)])]), node('b', 1)]);
    expect([...distinctNames(tree)].sort()).toEqual(['a', 'b']);
    let deep = node('leaf', 1);
    for (let d = 0; d < 10_000; d++) deep = node(`f${d % 3}`, 1, [deep]);
    expect(distinctNames(node('all', 1, [deep])).size).toBe(4);
  });

  it('compiles with the case flag only, and says why a pattern is invalid', () => {
    expect(searchFlags(true)).toBe('i');
    expect(searchFlags(false)).toBe('');
    const re = compileSearch('BurnB', true);
    expect(re instanceof RegExp && re.test('burnb')).toBe(true);
    const sensitive = compileSearch('BurnB', false);
    expect(sensitive instanceof RegExp && sensitive.test('burnb')).toBe(false);
    expect(typeof compileSearch('(', false)).toBe('string');
  });
});
