// The call tree of a set of samples: what `flame` prints as JSON and lays out as a flame graph.
// No Node APIs here: the report bundles this into the page.
import type { Profile } from '../parse/profile';
import { sampleWeight, type WeightMode } from '../heatmap/range';
import { compareCodePoints, rootName } from './collapse';
import { frameKind, type FrameKind, type FrameNames, isJavaThread } from './names';

export interface FlameNode {
  name: string;
  /** Inclusive weight: this frame's own samples plus its callees'. */
  value: number;
  /** Weight of samples whose stack ends here. */
  self: number;
  kind: FrameKind | 'root' | 'thread';
  /** Sorted by name in code-point order, so every output is deterministic. */
  children: FlameNode[];
}

export interface FlameTreeOptions {
  weight: WeightMode;
  /** Frame naming; `new FrameNames(profile, DEFAULT_NAMES)` gives `collapse`'s default names. */
  names: FrameNames;
}

interface Growing {
  name: string;
  kind: FlameNode['kind'];
  self: number;
  children: Map<string, Growing>;
}

function grow(name: string, kind: FlameNode['kind']): Growing {
  return { name, kind, self: 0, children: new Map() };
}

function child(parent: Growing, name: string, kind: FlameNode['kind']): Growing {
  let node = parent.children.get(name);
  if (node === undefined) {
    node = grow(name, kind);
    parent.children.set(name, node);
  }
  return node;
}

/**
 * Builds the tree `all` → thread (comm, spaces → `_`) → frames root→leaf, named as `collapse` names them.
 * Weights are first summed per (thread, stack), so each distinct stack is walked once however many samples
 * share it, and each walk stops at the nearest trie ancestor already placed in the tree.
 */
export function buildFlameTree(profile: Profile, samples: Uint32Array, options: FlameTreeOptions): FlameNode {
  const stacks = profile.stackParent.length + 1;
  const weights = new Map<number, number>();
  const threadOf = new Map<number, string>();
  for (const i of samples) {
    const key = profile.comm[i]! * stacks + profile.stack[i]! + 1;
    weights.set(key, (weights.get(key) ?? 0) + sampleWeight(profile, i, options.weight));
    if (!threadOf.has(key)) threadOf.set(key, rootName(profile, i, 'comm'));
  }

  const root = grow('all', 'root');
  // Per comm: the tree node each stack id resolved to (a dropped frame resolves to its caller's node).
  const placed = new Map<number, Map<number, Growing>>();
  for (const [key, weight] of weights) {
    const comm = Math.floor(key / stacks);
    const stack = key - comm * stacks - 1;
    const thread = child(root, threadOf.get(key)!, 'thread');
    let memo = placed.get(comm);
    if (memo === undefined) placed.set(comm, (memo = new Map()));
    const node = place(profile, options.names, isJavaThread(profile.comms[comm]!), memo, thread, stack);
    node.self += weight;
  }
  return finish(root);
}

function place(
  profile: Profile,
  names: FrameNames,
  java: boolean,
  memo: Map<number, Growing>,
  thread: Growing,
  stack: number,
): Growing {
  const path: number[] = [];
  let node = thread;
  for (let s = stack; s >= 0; s = profile.stackParent[s]!) {
    const known = memo.get(s);
    if (known !== undefined) {
      node = known;
      break;
    }
    path.push(s);
  }
  for (let k = path.length - 1; k >= 0; k--) {
    const s = path[k]!;
    const frame = profile.stackFrame[s]!;
    const name = names.name(frame, java);
    if (name !== null) node = child(node, name, frameKind(profile.frames[frame]!));
    memo.set(s, node);
  }
  return node;
}

/**
 * The growing tree as sorted FlameNodes with inclusive values. Iterative (post-order with an explicit stack), so a
 * 10,000-deep stack cannot overflow the call stack.
 */
function finish(top: Growing): FlameNode {
  const done = new Map<Growing, FlameNode>();
  const pending: { node: Growing; expanded: boolean }[] = [{ node: top, expanded: false }];
  while (pending.length > 0) {
    const item = pending[pending.length - 1]!;
    if (!item.expanded) {
      item.expanded = true;
      for (const c of item.node.children.values()) pending.push({ node: c, expanded: false });
      continue;
    }
    pending.pop();
    const g = item.node;
    const children = [...g.children.values()].sort((a, b) => compareCodePoints(a.name, b.name)).map((c) => {
      const f = done.get(c)!;
      done.delete(c);
      return f;
    });
    let value = g.self;
    for (const c of children) value += c.value;
    done.set(g, { name: g.name, value, self: g.self, kind: g.kind, children });
  }
  return done.get(top)!;
}
