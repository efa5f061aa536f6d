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
    const bKids = b?.children ?? [];
    const tKids = t?.children ?? [];
    // Children are sorted on both sides (by name; a sign level positive first): merge by name through a map,
    // then sort the union, so the order never depends on which side had a node.
    const byName = new Map<string, [FlameNode | null, FlameNode | null]>();
    for (const c of bKids) byName.set(c.name, [c, null]);
    for (const c of tKids) {
      const pair = byName.get(c.name);
      if (pair === undefined) byName.set(c.name, [null, c]);
      else pair[1] = c;
    }
    const names = [...byName.keys()].sort(compareCodePoints);
    for (const name of names) {
      const [cb, ct] = byName.get(name)!;
      const child = node(cb, ct);
      out.children.push(child);
      pending.push([cb, ct, child]);
    }
  }
  return root;
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
