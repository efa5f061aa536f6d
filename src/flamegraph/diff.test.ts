// The merged tree, the base's scale, the elided view, and difffolded.pl's arithmetic and number printing
// (expected values printed by perl itself: `perl -e 'print 0.1+0.2'` and so on).
import { describe, expect, it } from 'vitest';
import { baseScale, deltaOf, diffTrees, elidedTree, type DiffNode } from './diff';
import { diffFolded, elidedLines, perlNumber, perlScaled } from './diff-folded';
import type { FlameNode } from './tree';

/** A flame tree from `a;b count` lines, built by hand (no code under test). */
function tree(lines: [string, number][]): FlameNode {
  type Mutable = { name: string; value: number; self: number; kind: FlameNode['kind']; children: Mutable[] };
  const root: Mutable = { name: 'all', value: 0, self: 0, kind: 'root', children: [] };
  for (const [stack, n] of lines) {
    root.value += n;
    let node = root;
    for (const name of stack.split(';')) {
      let child = node.children.find((c) => c.name === name);
      if (child === undefined) node.children.push((child = { name, value: 0, self: 0, kind: 'user', children: [] }));
      child.value += n;
      node = child;
    }
    node.self += n;
  }
  for (const pending = [root]; pending.length > 0; ) {
    const n = pending.pop()!;
    n.children.sort((a, b) => (a.name < b.name ? -1 : 1));
    pending.push(...n.children);
  }
  return root;
}

const find = (root: DiffNode, path: string): DiffNode | undefined => {
  let node: DiffNode | undefined = root;
  for (const name of path.split(';')) node = node?.children.find((c) => c.name === name);
  return node;
};

describe('diffTrees', () => {
  const base = tree([['main;foo', 3], ['main;bar', 1], ['main;gone;deep', 2]]);
  const target = tree([['main;foo', 1], ['main;bar', 5], ['main;new', 2]]);
  const merged = diffTrees(base, target);

  it('holds both widths of every node of either side, children in name order', () => {
    expect([merged.base, merged.target]).toEqual([6, 8]);
    expect(find(merged, 'main')!.children.map((c) => c.name)).toEqual(['bar', 'foo', 'gone', 'new']);
    expect(find(merged, 'main;foo')).toMatchObject({ base: 3, target: 1, baseSelf: 3, targetSelf: 1 });
    expect(find(merged, 'main;gone;deep')).toMatchObject({ base: 2, target: 0 });
    expect(find(merged, 'main;new')).toMatchObject({ base: 0, target: 2 });
  });

  it('scales the base to the target total only when asked, and not from an empty base', () => {
    expect(baseScale(merged, false)).toBe(1);
    expect(baseScale(merged, true)).toBe(8 / 6);
    expect(deltaOf(find(merged, 'main;foo')!, 8 / 6)).toBe(1 - 4);
    expect(baseScale(diffTrees(tree([]), target), true)).toBe(1);
  });

  it('elided: only what the target lacks, under its ancestors', () => {
    const elided = elidedTree(merged);
    expect(elided).toMatchObject({ base: 2, target: 0 });
    expect(elided.children.map((c) => c.name)).toEqual(['main']);
    expect(find(elided, 'main')!.children.map((c) => c.name)).toEqual(['gone']);
    expect(find(elided, 'main;gone;deep')!.base).toBe(2);
    expect(elidedTree(diffTrees(base, base)).children).toEqual([]);
  });

  it('10,000-deep trees merge and elide without recursion', () => {
    const deep = (n: number): string => Array.from({ length: n }, (_, k) => `f${k}`).join(';');
    const merged = diffTrees(tree([[deep(10_000), 1]]), tree([[deep(9_000), 1]]));
    const elided = elidedTree(merged);
    let node = elided;
    let depth = 0;
    while (node.children.length > 0) {
      node = node.children[0]!;
      depth++;
    }
    expect(depth).toBe(10_000);
    expect(node.base).toBe(1);
  });
});

describe("difffolded.pl's arithmetic", () => {
  it('prints numbers as perl does', () => {
    expect(perlNumber(0.1 + 0.2)).toBe('0.3');
    expect(perlNumber(1 / 3)).toBe('0.333333333333333');
    expect(perlNumber(1e15 + 0.5)).toBe('1e+15');
    expect(perlNumber(1e21)).toBe('1e+21');
    expect(perlNumber(0.00001234)).toBe('1.234e-05');
    expect(perlNumber(123456789012345680)).toBe('123456789012345680');
    expect(perlNumber(17)).toBe('17');
  });

  it('scales as int($count * $total2 / $total1)', () => {
    expect(perlScaled(7, 10, 4)).toBe(17);
    // A product past 2^64 is a double, truncated: perl prints 6666666666666667008.
    expect(perlNumber(perlScaled(4e9, 5e9, 3))).toBe('6666666666666667008');
    // An exact quotient of a product past 2^53 stays exact in perl's integers.
    expect(perlScaled(3_000_000_001, 3_000_000_001, 3_000_000_001)).toBe(3_000_000_001);
  });

  it('merges folded lines; a stack of only one side has 0 on the other', () => {
    const d = diffFolded(['a;b 3', 'a;c 1'], ['a;b 1', 'x 5'], false);
    expect(d.lines).toEqual(['a;b 3 1', 'a;c 1 0', 'x 0 5']);
    expect(diffFolded(['a;b 3', 'a;c 1'], ['a;b 1', 'x 5'], true).lines).toEqual(['a;b 4 1', 'a;c 1 0', 'x 0 5']);
    expect(elidedLines(d, ['a;b 1', 'x 5'])).toEqual(['a;c 1 0']);
    expect(elidedLines(diffFolded(['a 1', 'a;b 2'], ['a;b 1'], false), ['a;b 1'])).toEqual([]);
    expect(() => diffFolded(['a -1'], [], false)).toThrow(/not a folded line/);
  });
});
