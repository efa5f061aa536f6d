import { describe, expect, it } from 'vitest';
import { diffTrees } from '../../flamegraph/diff';
import type { FlameNode } from '../../flamegraph/tree';
import { changeColor, changeLabelColor, changeOfShare, type ComparedNode, compareTrees, formatShareChange, weightChange } from './compare';

/** A tree from `name:self` leaves under a path: `tree({ 'main;A': 6, 'main;B': 4 })`. */
function tree(stacks: Record<string, number>): FlameNode {
  type Mutable = { name: string; kind: FlameNode['kind']; value: number; self: number; children: Mutable[] };
  const root: Mutable = { name: 'all', kind: 'root', value: 0, self: 0, children: [] };
  for (const [stack, n] of Object.entries(stacks)) {
    root.value += n;
    let node = root;
    for (const name of stack.split(';')) {
      let next = node.children.find((c) => c.name === name);
      if (next === undefined) node.children.push((next = { name, kind: 'user', value: 0, self: 0, children: [] }));
      next.value += n;
      node = next;
    }
    node.self += n;
  }
  for (const all = [root]; all.length > 0; ) {
    const n = all.pop()!;
    n.children.sort((a, b) => (a.name < b.name ? -1 : 1));
    all.push(...n.children);
  }
  return root;
}

/** `name=value(base)` of each node in pre-order, for whole-tree comparisons. */
function shape(node: ComparedNode): string[] {
  const out: string[] = [];
  const pending: [ComparedNode, number][] = [[node, 0]];
  while (pending.length > 0) {
    const [n, depth] = pending.pop()!;
    out.push(`${'.'.repeat(depth)}${n.name}=${n.value}(${n.base})`);
    for (let k = n.children.length - 1; k >= 0; k--) pending.push([n.children[k]!, depth + 1]);
  }
  return out;
}

const child = (n: ComparedNode, name: string): ComparedNode => n.children.find((c) => c.name === name)!;

// By hand: the baseline has 10 samples (main;A 6, main;B 4), the selection 4 (main;B 3, main;C 1).
const base = tree({ 'main;A': 6, 'main;B': 4 });
const target = tree({ 'main;B': 3, 'main;C': 1 });

describe('differential flame graph', () => {
  it('takes widths from the target and keeps the baseline width of each node', () => {
    const c = compareTrees(diffTrees(base, target), { rest: false, swap: false, elided: false });
    expect(shape(c.tree)).toEqual(['all=4(10)', '.main=4(10)', '..B=3(4)', '..C=1(0)']);
    expect([c.targetTotal, c.baseTotal]).toEqual([4, 10]);
    const b = child(child(c.tree, 'main'), 'B');
    // B: 3/4 of the selection, 4/10 of the baseline: +35 points; 3 − 4 × 4/10 = +1.4 samples beyond the share.
    expect(changeOfShare(b, 4, 10, false)).toBeCloseTo(0.35, 12);
    expect(weightChange(b, 4, 10, false)).toBeCloseTo(1.4, 12);
    expect(changeOfShare(child(c.tree, 'main'), 4, 10, false)).toBe(0);
    expect(c.maxDelta).toBeCloseTo(0.35, 12);
  });

  it('elided: what the baseline has and the selection lacks, widths from the baseline', () => {
    const c = compareTrees(diffTrees(base, target), { rest: false, swap: false, elided: true });
    expect(shape(c.tree)).toEqual(['all=6(10)', '.main=6(10)', '..A=6(6)']);
    expect(changeOfShare(child(child(c.tree, 'main'), 'A'), 4, 10, true)).toBeCloseTo(-0.6, 12);
    expect(weightChange(child(child(c.tree, 'main'), 'A'), 4, 10, true)).toBeCloseTo(-2.4, 12);
  });

  it('swap: the baseline drawn, compared with the selection', () => {
    const c = compareTrees(diffTrees(base, target), { rest: false, swap: true, elided: false });
    expect(shape(c.tree)).toEqual(['all=10(4)', '.main=10(4)', '..A=6(0)', '..B=4(3)']);
    expect(changeOfShare(child(child(c.tree, 'main'), 'B'), 10, 4, false)).toBeCloseTo(-0.35, 12);
    const elided = compareTrees(diffTrees(base, target), { rest: false, swap: true, elided: true });
    expect(shape(elided.tree)).toEqual(['all=1(4)', '.main=1(4)', '..C=1(1)']);
  });

  it('rest: the whole profile less the selection is the baseline', () => {
    const whole = tree({ 'main;A': 6, 'main;B': 7, 'main;C': 1 });
    for (const elided of [false, true]) {
      for (const swap of [false, true]) {
        const rest = compareTrees(diffTrees(whole, target), { rest: true, swap, elided });
        const explicit = compareTrees(diffTrees(base, target), { rest: false, swap, elided });
        expect(shape(rest.tree)).toEqual(shape(explicit.tree));
        expect(rest.maxDelta).toBeCloseTo(explicit.maxDelta, 12);
      }
    }
  });

  it('keeps a vanished subtree whole, and a 10,000-deep one does not overflow', () => {
    const deep = Array.from({ length: 10000 }, (_, i) => `f${i}`).join(';');
    const c = compareTrees(diffTrees(tree({ [deep]: 5, 'main;B': 5 }), tree({ 'main;B': 2 })), { rest: false, swap: false, elided: true });
    let depth = 0;
    for (let n: ComparedNode | undefined = c.tree; n !== undefined; n = n.children[0]) depth++;
    expect(depth).toBe(10001);
    expect(c.tree.value).toBe(5);
    const plain = compareTrees(diffTrees(tree({ 'main;B': 5 }), tree({ [deep]: 5 })), { rest: false, swap: false, elided: false });
    expect(plain.tree.children[0]!.base).toBe(0);
  });

  it('colours growth red and shrinkage blue, stronger with the change (flamegraph.pl scale)', () => {
    expect(changeColor(0.35, 0.35)).toBe('rgb(255,0,0)');
    expect(changeColor(-0.35, 0.35)).toBe('rgb(0,0,255)');
    expect(changeColor(0.175, 0.35)).toBe('rgb(255,105,105)');
    expect(changeColor(0, 0.35)).toBe('rgb(225,225,225)');
    // Labels stay readable: white on the dark blues only.
    expect([changeLabelColor(-0.35, 0.35), changeLabelColor(-0.1, 0.35), changeLabelColor(0.35, 0.35)]).toEqual(['#fff', '#000', '#000']);
    expect(formatShareChange(0.02345)).toBe('+2.345%');
    expect(formatShareChange(-0.005)).toBe('−0.500%');
    expect(formatShareChange(0.0000001)).toBe('0.000%');
  });
});
