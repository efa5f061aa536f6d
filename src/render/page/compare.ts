// The report's differential flame graph: the selection (the target) against a baseline, as one tree the flame
// view draws like any other. Widths come from the target; each node also keeps its baseline width, so that its
// colour and tooltip can say how its share changed. Shares are normalised (each side's width over its own
// total, as FlameScope compares), so a 60 ms burst compares with a 60 s baseline. The elided view is the other
// half of the answer: the frames the baseline has and the selection lacks, widths from the baseline.
// Pure and free of the DOM (unit-tested under vitest). Iterative: 10,000-deep trees cannot overflow.
import type { DiffNode } from '../../flamegraph/diff';
import type { FlameNode } from '../../flamegraph/tree';

/** A node of a differential graph: a flame node (widths of the side drawn) that also knows the other side. */
export interface ComparedNode extends FlameNode {
  /** The node's width in the target (the selection, or the baseline when swapped). */
  target: number;
  /** The node's width in the baseline. */
  base: number;
  children: readonly ComparedNode[];
}

export interface Comparison {
  tree: ComparedNode;
  /** Totals of each side (the roots' widths), the denominators of the shares. */
  targetTotal: number;
  baseTotal: number;
  /** The largest |change of share| of any node drawn: full colour (flamegraph.pl's `$maxdelta`). */
  maxDelta: number;
  elided: boolean;
  /** The baseline is drawn as the target (the tooltip names the sides accordingly). */
  swapped: boolean;
}

export interface CompareOptions {
  /** The base side of `diff` is the whole profile: the baseline is the whole less the target (`rest`). */
  rest: boolean;
  /** The baseline drawn as the target and the target as the baseline. */
  swap: boolean;
  /** Only the frames the baseline has and the target lacks, widths from the baseline. */
  elided: boolean;
}

/**
 * The differential graph of `diff` (base side first, as `diffTrees(base, target)` merged them). With `rest`, the
 * base side is the whole profile and the baseline is everything outside the target: whole − target, per node,
 * so "the rest of the profile" costs no second pass over the samples.
 */
export function compareTrees(diff: DiffNode, options: CompareOptions): Comparison {
  const sel = (d: DiffNode): number => d.target;
  const selSelf = (d: DiffNode): number => d.targetSelf;
  const other = options.rest ? (d: DiffNode): number => d.base - d.target : (d: DiffNode): number => d.base;
  const otherSelf = options.rest ? (d: DiffNode): number => d.baseSelf - d.targetSelf : (d: DiffNode): number => d.baseSelf;
  const side: Sides = options.swap
    ? { target: other, targetSelf: otherSelf, base: sel, baseSelf: selSelf }
    : { target: sel, targetSelf: selSelf, base: other, baseSelf: otherSelf };
  const targetTotal = side.target(diff);
  const baseTotal = side.base(diff);
  const tree = options.elided ? elidedTree(diff, side) : targetTree(diff, side);
  const shareOf = (n: ComparedNode): number => changeOfShare(n, targetTotal, baseTotal, options.elided);
  let maxDelta = 0;
  const pending: ComparedNode[] = [...tree.children];
  while (pending.length > 0) {
    const n = pending.pop()!;
    const d = Math.abs(shareOf(n));
    if (d > maxDelta) maxDelta = d;
    for (const c of n.children) pending.push(c);
  }
  return { tree, targetTotal, baseTotal, maxDelta, elided: options.elided, swapped: options.swap };
}

interface Sides {
  target(d: DiffNode): number;
  targetSelf(d: DiffNode): number;
  base(d: DiffNode): number;
  baseSelf(d: DiffNode): number;
}

function compared(d: DiffNode, value: number, self: number, target: number, base: number): ComparedNode & { children: ComparedNode[] } {
  return { name: d.name, kind: d.kind, value, self, target, base, children: [] };
}

/** The target's graph (nodes of width 0 in the target left out), each node with its baseline width too. */
function targetTree(diff: DiffNode, side: Sides): ComparedNode {
  const root = compared(diff, side.target(diff), side.targetSelf(diff), side.target(diff), side.base(diff));
  const pending: [DiffNode, ComparedNode & { children: ComparedNode[] }][] = [[diff, root]];
  while (pending.length > 0) {
    const [d, out] = pending.pop()!;
    for (const c of d.children) {
      const t = side.target(c);
      if (t <= 0) continue;
      const node = compared(c, t, side.targetSelf(c), t, side.base(c));
      out.children.push(node);
      pending.push([c, node]);
    }
  }
  return root;
}

/**
 * The elided graph: the subtrees the baseline has and the target lacks (a node of width 0 in the target and
 * more in the baseline, with all it holds), under their callers; each width is the baseline weight that vanished
 * beneath it. Built in two passes over a pre-order list (sums from the leaves up), with no recursion.
 */
function elidedTree(diff: DiffNode, side: Sides): ComparedNode {
  const order: DiffNode[] = [];
  const parent: number[] = [];
  const pending: [DiffNode, number][] = [[diff, -1]];
  while (pending.length > 0) {
    const [d, up] = pending.pop()!;
    const index = order.length;
    order.push(d);
    parent.push(up);
    // A vanished subtree counts whole at its top: nothing under it needs a visit for the sums.
    if (index > 0 && side.target(d) <= 0) continue;
    for (let k = d.children.length - 1; k >= 0; k--) pending.push([d.children[k]!, index]);
  }
  const vanished = new Float64Array(order.length);
  for (let i = order.length - 1; i > 0; i--) {
    const d = order[i]!;
    if (side.target(d) <= 0) vanished[i] = Math.max(0, side.base(d));
    vanished[parent[i]!]! += vanished[i]!;
  }
  // Nodes in pre-order: a caller is made before its callees, and callees keep their order (by name).
  const made: (ComparedNode & { children: ComparedNode[] })[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    if (i > 0 && vanished[i] === 0) continue;
    const d = order[i]!;
    const whole = i > 0 && side.target(d) <= 0;
    made[i] = compared(d, vanished[i]!, whole ? side.baseSelf(d) : 0, side.target(d), side.base(d));
    if (i > 0) made[parent[i]!]!.children.push(made[i]!);
    if (whole) made[i]!.children.push(...baseSubtree(d, side));
  }
  return made[0]!;
}

/** The callees of a vanished node as the baseline has them (every width is vanished weight). */
function baseSubtree(top: DiffNode, side: Sides): ComparedNode[] {
  const out: ComparedNode[] = [];
  const pending: [DiffNode, ComparedNode[]][] = top.children.map((c) => [c, out]);
  pending.reverse();
  while (pending.length > 0) {
    const [d, into] = pending.pop()!;
    const b = side.base(d);
    if (b <= 0) continue;
    const node = compared(d, b, side.baseSelf(d), 0, b);
    into.push(node);
    for (let k = d.children.length - 1; k >= 0; k--) pending.push([d.children[k]!, node.children]);
  }
  return out;
}

/**
 * How a node's share changed, as a fraction (0.02345 is +2.345 points): its share of the target's total less
 * its share of the baseline's. In the elided view everything drawn vanished: its drawn width's share of the
 * baseline, negative.
 */
export function changeOfShare(node: ComparedNode, targetTotal: number, baseTotal: number, elided: boolean): number {
  if (elided) return baseTotal > 0 ? -node.value / baseTotal : 0;
  const t = targetTotal > 0 ? node.target / targetTotal : 0;
  const b = baseTotal > 0 ? node.base / baseTotal : 0;
  return t - b;
}

/**
 * The colour of a change of share, flamegraph.pl's differential scale: red where the share grew, blue where it
 * shrank, the stronger the larger the change against the largest one drawn; a frame that did not change is a
 * light grey (flamegraph.pl's white would vanish into the page).
 */
export function changeColor(delta: number, maxDelta: number): string {
  if (delta === 0 || maxDelta <= 0) return 'rgb(225,225,225)';
  const fade = Math.round(210 * (1 - Math.min(1, Math.abs(delta) / maxDelta)));
  return delta > 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}

/**
 * The label colour on a change's fill: white on the darker blues (black on pure blue has a contrast of 2.4:1),
 * black elsewhere (black on pure red is 5.3:1).
 */
export function changeLabelColor(delta: number, maxDelta: number): string {
  if (delta >= 0 || maxDelta <= 0) return '#000';
  return Math.abs(delta) / maxDelta > 0.4 ? '#fff' : '#000';
}

/** `+2.345%` / `−0.500%`: a change of share in percentage points, signed. */
export function formatShareChange(delta: number): string {
  const points = Math.abs(delta * 100).toFixed(3);
  return points === '0.000' ? '0.000%' : `${delta > 0 ? '+' : '−'}${points}%`;
}

/**
 * The weight a node gained or lost in the target's units: its target width less its baseline width scaled to
 * the target's total (what the baseline's share predicts). FlameScope's `(+12 samples)`.
 */
export function weightChange(node: ComparedNode, targetTotal: number, baseTotal: number, elided: boolean): number {
  if (elided) return baseTotal > 0 ? -(node.value * targetTotal) / baseTotal : 0;
  return node.target - (baseTotal > 0 ? (node.base * targetTotal) / baseTotal : 0);
}
