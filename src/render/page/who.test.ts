// Who the page keeps: rows of one kind combine as a union, kinds intersect, a plain click keeps one row.
import { describe, expect, it } from 'vitest';
import { intersectFilters, isChosen, isEveryone, partOfKind, sameSpec, setPart, toggleRow, withoutPart } from './who';

const python = { tids: ['15664'] };
const node = { tids: ['15663'] };
const cpu1 = { cpus: [1] };

describe('combining breakdown rows', () => {
  it('a plain click keeps only that row of its kind; again, none of its kind', () => {
    const one = toggleRow({}, python, false);
    expect(one).toEqual({ tids: ['15664'] });
    expect(toggleRow(one, node, false)).toEqual({ tids: ['15663'] });
    expect(toggleRow(one, python, false)).toEqual({});
  });

  it('a plain click on one of several chosen keeps only it', () => {
    expect(toggleRow({ tids: ['15664', '15663'] }, python, false)).toEqual({ tids: ['15664'] });
  });

  it('adding makes a union of one kind and leaves the other kinds (which intersect) alone', () => {
    const both = toggleRow(toggleRow({ cpus: [1] }, python, true), node, true);
    expect(both).toEqual({ cpus: [1], tids: ['15664', '15663'] });
    expect(isChosen(both, python) && isChosen(both, node) && isChosen(both, cpu1)).toBe(true);
    expect(toggleRow(both, python, true)).toEqual({ cpus: [1], tids: ['15663'] });
    expect(toggleRow({ cpus: [1] }, { cpus: [0] }, true)).toEqual({ cpus: [0, 1] });
  });

  it('names (a file without thread ids) combine as alternatives of anchored patterns', () => {
    const a = { comm: '^a\\.b$' };
    const b = { comm: '^c$' };
    const both = toggleRow(toggleRow({}, a, true), b, true);
    expect(both.comm).toBe('(?:^a\\.b$)|(?:^c$)');
    expect(new RegExp(both.comm!).test('a.b') && new RegExp(both.comm!).test('c') && !new RegExp(both.comm!).test('axb')).toBe(true);
    expect(isChosen(both, a)).toBe(true);
    expect(toggleRow(both, a, true)).toEqual({ comm: '^c$' });
  });

  it('the parts, emptiness and equality of specs', () => {
    expect(partOfKind('cpu', undefined)).toBe('cpus');
    expect(partOfKind('process', undefined)).toBe('pids');
    expect(partOfKind('thread', { comm: '' })).toBe('comm');
    expect(isEveryone({})).toBe(true);
    expect(isEveryone(withoutPart({ tids: ['1'] }, 'tids'))).toBe(true);
    expect(setPart({ tids: ['1'] }, 'tids', [])).toEqual({});
    expect(sameSpec({ cpus: [2, 1] }, { cpus: [1, 2] })).toBe(true);
    expect(sameSpec({ tids: ['1'] }, { pids: ['1'] })).toBe(false);
  });
});

describe('intersectFilters (a band: the view AND its row)', () => {
  it('ANDs the flags and intersects the CPU sets; the search part is kept', () => {
    const match = { flags: new Uint8Array([1, 0]), keep: true };
    const out = intersectFilters({ proc: new Uint8Array([1, 1, 0]), cpu: new Set([0, 1]), match }, { proc: new Uint8Array([0, 1, 1]), cpu: new Set([1, 2]) });
    expect([...out!.proc!]).toEqual([0, 1, 0]);
    expect([...out!.cpu!]).toEqual([1]);
    expect(out!.match).toBe(match);
    expect(intersectFilters(undefined, { cpu: new Set([3]) })).toEqual({ cpu: new Set([3]) });
  });
});
