// The reversed (bottom-up) flame graph, as `flamegraph.pl --reverse` draws it: every stack read from its leaf
// up, the levels under the root (thread name, sign, …) last, so that the functions where time is spent sit
// side by side at the bottom and their callers rise above them, merged from the leaf. Built from a flame tree's
// self widths: each node with self width is one stack. Pure and iterative (10,000-deep stacks cannot overflow).
import { compareCodePoints } from './collapse';
import { type FlameNode, netOf, samplesOf } from './tree';

/** The tree of the reversed stacks of `tree` (the root stays the root). */
export function reverseTree(tree: FlameNode): FlameNode {
  const signed = tree.net !== undefined;
  const counted = tree.samples !== undefined;
  const root: Building = { node: leafNode('all', 'root', signed, counted), children: new Map() };
  // Depth-first over the tree, with the path of nodes from the first level to the one visited.
  const path: FlameNode[] = [];
  const pending: [FlameNode, number][] = tree.children.map((c) => [c, 0] as [FlameNode, number]).reverse();
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    path.length = depth;
    path.push(node);
    let childNet = 0;
    let childSamples = 0;
    for (const c of node.children) {
      childNet += netOf(c);
      childSamples += samplesOf(c);
    }
    const self = { value: node.self, net: netOf(node) - childNet, samples: samplesOf(node) - childSamples };
    // A stack ends here when the node has width of its own, or samples of its own (zero-weight ones).
    if (self.value !== 0 || (counted && self.samples !== 0)) add(root, path, self);
    for (let k = node.children.length - 1; k >= 0; k--) pending.push([node.children[k]!, depth + 1]);
  }
  return finish(root, tree);
}

interface Building {
  node: FlameNode;
  children: Map<string, Building>;
}

function leafNode(name: string, kind: FlameNode['kind'], signed: boolean, counted: boolean): FlameNode {
  const node: FlameNode = { name, value: 0, self: 0, kind, children: [] };
  if (signed) node.net = 0;
  if (counted) node.samples = 0;
  return node;
}

/** Adds one stack, read from its leaf (the last of `path`) to its first level, with its own sums. */
function add(root: Building, path: readonly FlameNode[], self: { value: number; net: number; samples: number }): void {
  let at = root;
  bump(at.node, self);
  for (let k = path.length - 1; k >= 0; k--) {
    const frame = path[k]!;
    let next = at.children.get(frame.name);
    if (next === undefined) {
      next = { node: leafNode(frame.name, frame.kind, at.node.net !== undefined, at.node.samples !== undefined), children: new Map() };
      at.children.set(frame.name, next);
    }
    at = next;
    bump(at.node, self);
  }
  // The first level (the thread) ends the reversed stack: its width is its own there.
  at.node.self += self.value;
}

function bump(node: FlameNode, self: { value: number; net: number; samples: number }): void {
  node.value += self.value;
  if (node.net !== undefined) node.net += self.net;
  if (node.samples !== undefined) node.samples += self.samples;
}

/** The built nodes as a tree: children in code-point order of their names, every walk a loop. */
function finish(root: Building, tree: FlameNode): FlameNode {
  // Reversing moves widths, it never changes a total: the root keeps the tree's (its stack-less self included).
  root.node.value = tree.value;
  root.node.self = tree.self;
  if (root.node.net !== undefined) root.node.net = netOf(tree);
  if (root.node.samples !== undefined) root.node.samples = samplesOf(tree);
  const pending: Building[] = [root];
  while (pending.length > 0) {
    const b = pending.pop()!;
    const kids = [...b.children.values()].sort((x, y) => compareCodePoints(x.node.name, y.node.name));
    b.node.children = kids.map((k) => k.node);
    for (const k of kids) pending.push(k);
  }
  return root.node;
}
