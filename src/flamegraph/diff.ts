// Two flame trees as one: each node holds its width in a base and in a target, so that a differential flame
// graph, FlameScope's "elided" view and a ranked comparison can read both. The sides may be two ranges of one
// profile or two profiles: nodes are matched by their path of names (as difffolded.pl matches folded stacks),
// never by ids. Pure and free of Node APIs: the report bundles it. Iterative: 10,000-deep trees cannot overflow.
import { compareCodePoints } from './collapse';
import type { FlameNode } from './tree';

export interface DiffNode {
  name: string;
  /** The kind of the node on the target side (the base's when only the base has it). */
  kind: FlameNode['kind'];
  /** Inclusive width (Σ|w|) in the base and in the target; 0 on a side that lacks the node. */
  base: number;
  target: number;
  /** Width of samples whose stack ends here, on each side. */
  baseSelf: number;
  targetSelf: number;
  /** Sorted by name in code-point order. */
  children: DiffNode[];
}

/** Merges two trees by names: the union of their nodes, each with both widths. */
export function diffTrees(base: FlameNode, target: FlameNode): DiffNode {
  const root = node(base, target);
  const pending: [FlameNode | null, FlameNode | null, DiffNode][] = [[base, target, root]];
  while (pending.length > 0) {
    const [b, t, out] = pending.pop()!;
    const bKids = b?.children ?? NONE;
    const tKids = t?.children ?? NONE;
    for (const [cb, ct] of pairByName(bKids, tKids)) {
      const child = node(cb, ct);
      out.children.push(child);
      pending.push([cb, ct, child]);
    }
  }
  return root;
}

const NONE: readonly FlameNode[] = [];

/**
 * The children of both sides paired by name, in code-point order of the names, so the order never depends on
 * which side had a node. Children come sorted by name (a tree's order), so a merge walk pairs them in one pass;
 * a level in another order (the sign level lists positive first) is paired through a map and sorted.
 */
function pairByName(bKids: readonly FlameNode[], tKids: readonly FlameNode[]): [FlameNode | null, FlameNode | null][] {
  const out: [FlameNode | null, FlameNode | null][] = [];
  if (sortedByName(bKids) && sortedByName(tKids)) {
    let i = 0;
    let j = 0;
    while (i < bKids.length || j < tKids.length) {
      const c = i === bKids.length ? 1 : j === tKids.length ? -1 : compareCodePoints(bKids[i]!.name, tKids[j]!.name);
      if (c < 0) out.push([bKids[i++]!, null]);
      else if (c > 0) out.push([null, tKids[j++]!]);
      else out.push([bKids[i++]!, tKids[j++]!]);
    }
    return out;
  }
  const byName = new Map<string, [FlameNode | null, FlameNode | null]>();
  for (const c of bKids) byName.set(c.name, [c, null]);
  for (const c of tKids) {
    const pair = byName.get(c.name);
    if (pair === undefined) byName.set(c.name, [null, c]);
    else pair[1] = c;
  }
  for (const name of [...byName.keys()].sort(compareCodePoints)) out.push(byName.get(name)!);
  return out;
}

function sortedByName(kids: readonly FlameNode[]): boolean {
  for (let k = 1; k < kids.length; k++) if (compareCodePoints(kids[k - 1]!.name, kids[k]!.name) >= 0) return false;
  return true;
}

function node(b: FlameNode | null, t: FlameNode | null): DiffNode {
  return {
    name: (t ?? b)!.name,
    kind: (t ?? b)!.kind,
    base: b?.value ?? 0,
    target: t?.value ?? 0,
    baseSelf: b?.self ?? 0,
    targetSelf: t?.self ?? 0,
    children: [],
  };
}

/**
 * What the base is multiplied by before the sides are compared: the target's total over the base's when
 * normalising (difffolded.pl's `-n`: a 60 ms burst against a 60 s baseline), else 1. A base without weight
 * cannot be scaled: callers refuse it before asking.
 */
export function baseScale(root: DiffNode, normalize: boolean): number {
  if (!normalize || root.base === root.target || root.base === 0) return 1;
  return root.target / root.base;
}

/** How much a node grew from the (scaled) base to the target; negative when it shrank. */
export function deltaOf(node: DiffNode, scale: number): number {
  return node.target - node.base * scale;
}

/**
 * FlameScope's "elided" view: the frames the base has and the target lacks entirely, each with its whole base
 * subtree, under the ancestors that lead to them. The tree describes only what the target lacks: an ancestor's
 * width is the sum of its elided callees', and every target width is 0. Iterative: a pre-order list, then
 * widths summed from the leaves up.
 */
export function elidedTree(root: DiffNode): DiffNode {
  const order: DiffNode[] = [];
  const parent: number[] = [];
  const pending: [DiffNode, number][] = [[root, -1]];
  while (pending.length > 0) {
    const [node, up] = pending.pop()!;
    order.push(node);
    parent.push(up);
    // A frame the target lacks is kept whole: all its callees are absent from the target too.
    if (node.target === 0 && node !== root) continue;
    const me = order.length - 1;
    for (let k = node.children.length - 1; k >= 0; k--) pending.push([node.children[k]!, me]);
  }
  const kept: (DiffNode | null)[] = new Array<DiffNode | null>(order.length).fill(null);
  const keptChildren: DiffNode[][] = order.map(() => []);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    let out: DiffNode | null = null;
    if (node.target === 0 && node.base > 0 && i !== 0) out = node;
    else if (keptChildren[i]!.length > 0 || i === 0) {
      // Children were reached in reverse pre-order: put them back in name order.
      const children = keptChildren[i]!.reverse();
      const base = children.reduce((sum, c) => sum + c.base, 0);
      out = { name: node.name, kind: node.kind, base, target: 0, baseSelf: 0, targetSelf: 0, children };
    }
    kept[i] = out;
    if (out !== null && parent[i]! >= 0) keptChildren[parent[i]!]!.push(out);
  }
  return kept[0]!;
}
