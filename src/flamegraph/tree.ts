// The call tree of a set of samples: what `flame` prints as JSON and lays out as a flame graph.
// No Node APIs here: the report bundles this into the page.
//
// The tree is read off the profile's stack trie, renamed once (a `NameTrie`), so building one for a selection is
// a pass over its samples with typed arrays plus one object per node shown: no string work per sample or per
// stack, and every walk is a loop (10,000-deep stacks cannot overflow the call stack).
import type { Frame, Profile } from '../parse/profile';
import type { WeightMode } from '../heatmap/range';
import { compareCodePoints } from './collapse';
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

/**
 * Builds the tree `all` → thread (comm, spaces → `_`) → frames root→leaf, named as `collapse` names them.
 * Weights are summed per (thread, stack) in typed arrays, then each distinct stack adds its weight to its node of
 * the renamed trie and marks the node's callers up to the first one already marked, so the work follows the
 * samples and the nodes shown, not the depth times the stacks.
 */
export function buildFlameTree(profile: Profile, samples: Uint32Array, options: FlameTreeOptions): FlameNode {
  const work = workspace(profile, options.names);
  const groups = groupByThread(profile, samples);
  const threads: FlameNode[] = [];
  for (let t = 0; t < groups.names.length; t++) {
    const name = groups.names[t]!;
    const trie = work.trie(isJavaThread(name));
    const sampled = groups.order.subarray(groups.start[t], groups.start[t + 1]);
    threads.push(threadTree(profile, work, trie, name, sampled, options.weight));
  }
  threads.sort((a, b) => compareCodePoints(a.name, b.name));
  return withValue({ name: 'all', value: 0, self: 0, kind: 'root', children: threads });
}

/** Samples grouped by thread name, in file order within each group: `order[start[t] .. start[t + 1])`. */
interface ThreadGroups {
  names: string[];
  start: Uint32Array;
  order: Uint32Array;
}

/**
 * Two comms that differ only in spaces and underscores are one thread of the graph (`collapse` folds both to
 * the same root frame), so samples are grouped by that name; a counting sort keeps them in file order.
 */
function groupByThread(profile: Profile, samples: Uint32Array): ThreadGroups {
  const threadOfComm = new Int32Array(profile.comms.length).fill(-1);
  const byName = new Map<string, number>();
  const names: string[] = [];
  const counts: number[] = [];
  const threadOf = new Int32Array(samples.length);
  for (let k = 0; k < samples.length; k++) {
    const comm = profile.comm[samples[k]!]!;
    let t = threadOfComm[comm]!;
    if (t < 0) {
      const name = profile.comms[comm]!.replaceAll(' ', '_');
      t = byName.get(name) ?? -1;
      if (t < 0) {
        t = names.length;
        names.push(name);
        counts.push(0);
        byName.set(name, t);
      }
      threadOfComm[comm] = t;
    }
    threadOf[k] = t;
    counts[t]++;
  }
  const start = new Uint32Array(names.length + 1);
  for (let t = 0; t < names.length; t++) start[t + 1] = start[t]! + counts[t]!;
  if (names.length === 1) return { names, start, order: samples };
  const next = start.slice(0, names.length);
  const order = new Uint32Array(samples.length);
  for (let k = 0; k < samples.length; k++) order[next[threadOf[k]!]!++] = samples[k]!;
  return { names, start, order };
}

/** One thread's subtree. */
function threadTree(
  profile: Profile,
  work: Workspace,
  trie: NameTrie,
  name: string,
  sampled: Uint32Array,
  weight: WeightMode,
): FlameNode {
  const gen = ++work.generation;
  // Weight per stack, in file order of each stack's first sample (the order `self` sums in).
  const { stackWeight, stackSeen, touched } = work;
  let distinct = 0;
  // Whether every sum below is exact whatever the order: integer weights whose absolute sum is below 2^53.
  let absolute = 0;
  let integral = true;
  for (let k = 0; k < sampled.length; k++) {
    const i = sampled[k]!;
    const s = profile.stack[i]! + 1;
    if (stackSeen[s] !== gen) {
      stackSeen[s] = gen;
      stackWeight[s] = 0;
      touched[distinct++] = s;
    }
    const w = weight === 'samples' ? 1 : profile.weight[i]!;
    stackWeight[s] += w;
    absolute += Math.abs(w);
    if (integral && !Number.isInteger(w)) integral = false;
  }

  // Each stack's weight to its node; the node and its callers join the tree.
  const { nodeOfStack, parent, nodeSeen, self, shown } = trie;
  let threadSelf = 0;
  let count = 0;
  for (let j = 0; j < distinct; j++) {
    const s = touched[j]!;
    const node = s === 0 ? -1 : nodeOfStack[s - 1]!;
    if (node < 0) {
      threadSelf += stackWeight[s]!;
      continue;
    }
    for (let x = node; x >= 0 && nodeSeen[x] !== gen; x = parent[x]!) {
      nodeSeen[x] = gen;
      self[x] = 0;
      shown[count++] = x;
    }
    self[node] += stackWeight[s]!;
  }
  if (trie.anyMixed) claimMixedKinds(profile, work, trie, distinct, gen);

  // Node ids are in pre-order with siblings in name order, so the shown ids in ascending order are the tree in
  // the order its children must have. Scanning the marks is cheaper than sorting when most nodes are shown.
  let ids: Int32Array;
  if (count > trie.size >> 3) {
    ids = shown;
    count = 0;
    for (let x = 0; x < trie.size; x++) if (nodeSeen[x] === gen) ids[count++] = x;
    ids = ids.subarray(0, count);
  } else {
    ids = shown.subarray(0, count).sort();
  }
  const made = trie.made;
  if (integral && absolute <= Number.MAX_SAFE_INTEGER) {
    // Exact sums: inclusive values callee to caller in a typed array (reverse pre-order), then each node is made
    // once with its value, and no object is visited twice (on 200,000 nodes that second visit cost more than
    // the arithmetic).
    const value = trie.value;
    let threadValue = threadSelf;
    for (let k = 0; k < count; k++) value[ids[k]!] = self[ids[k]!]!;
    for (let k = count - 1; k >= 0; k--) {
      const x = ids[k]!;
      const p = parent[x]!;
      if (p < 0) threadValue += value[x]!;
      else value[p] += value[x]!;
    }
    const thread: FlameNode = { name, value: threadValue, self: threadSelf, kind: 'thread', children: [] };
    for (let k = 0; k < count; k++) {
      const x = ids[k]!;
      const node: FlameNode = { name: trie.name[x]!, value: value[x]!, self: self[x]!, kind: trie.kind[x]!, children: [] };
      if (trie.mixed[x] === 1) node.kind = trie.claimed[x]!;
      made[x] = node;
      const p = parent[x]!;
      (p < 0 ? thread : made[p]!).children.push(node);
    }
    for (let k = 0; k < count; k++) made[ids[k]!] = undefined;
    return thread;
  }
  const thread: FlameNode = { name, value: 0, self: threadSelf, kind: 'thread', children: [] };
  for (let k = 0; k < count; k++) {
    const x = ids[k]!;
    const node: FlameNode = { name: trie.name[x]!, value: 0, self: self[x]!, kind: trie.kind[x]!, children: [] };
    if (trie.mixed[x] === 1) node.kind = trie.claimed[x]!;
    made[x] = node;
    const p = parent[x]!;
    (p < 0 ? thread : made[p]!).children.push(node);
  }
  // Sums that may round: in child order, callees before callers (reverse pre-order), the same every time.
  for (let k = count - 1; k >= 0; k--) {
    const x = ids[k]!;
    withValue(made[x]!);
    made[x] = undefined;
  }
  return withValue(thread);
}

/** Sets value = self + children's values, summed in child order (so period sums round the same every time). */
function withValue(node: FlameNode): FlameNode {
  const children = node.children;
  let value = node.self;
  for (let k = 0; k < children.length; k++) value += children[k]!.value;
  node.value = value;
  return node;
}

/**
 * Where frames of different kinds share a node (`foo` in the kernel and in a library, under the same caller),
 * the node takes the kind of the frame on the first sample's stack that reaches it, as it always has.
 */
function claimMixedKinds(profile: Profile, work: Workspace, trie: NameTrie, distinct: number, gen: number): void {
  const { stackParent, stackFrame } = profile;
  const { nodeOfStack, mixed, claimedAt, claimed } = trie;
  for (let j = 0; j < distinct; j++) {
    for (let s = work.touched[j]! - 1; s >= 0 && work.stackClaimed[s] !== gen; s = stackParent[s]!) {
      work.stackClaimed[s] = gen;
      const node = nodeOfStack[s]!;
      const p = stackParent[s]!;
      // A dropped frame shares its caller's node and names nothing.
      if (node < 0 || mixed[node] !== 1 || (p >= 0 && nodeOfStack[p] === node) || claimedAt[node] === gen) continue;
      claimedAt[node] = gen;
      claimed[node] = frameKind(profile.frames[stackFrame[s]!]!);
    }
  }
}

/**
 * The stack trie as the flame graph names it, for Java threads or the others (they name frames differently):
 * trie nodes whose frames get the same name under the same caller are one node, and a dropped frame is its
 * caller's node. It depends only on the profile and the naming, so it is built once per report. Ids are in
 * pre-order with siblings in code-point order of their names: a caller's id is below its callees'.
 */
interface NameTrie {
  size: number;
  /** The node of each stack id; −1 when every frame of the stack is dropped (the thread's own node). */
  nodeOfStack: Int32Array;
  /** The caller's node, −1 for a node right under the thread. */
  parent: Int32Array;
  name: string[];
  kind: FrameKind[];
  /** 1 where frames of different kinds share the node (see claimMixedKinds). */
  mixed: Uint8Array;
  anyMixed: boolean;
  // Scratch space of one tree build.
  nodeSeen: Int32Array;
  self: Float64Array;
  value: Float64Array;
  shown: Int32Array;
  made: (FlameNode | undefined)[];
  claimedAt: Int32Array;
  claimed: FrameKind[];
}

function buildNameTrie(profile: Profile, names: FrameNames, java: boolean): NameTrie {
  const { stackParent, stackFrame } = profile;
  const stacks = stackParent.length;
  // Per frame, named on first use: 0 not yet, 1 dropped, 2 named (with the name's hash and whether it has a
  // character from U+D800 up, where UTF-16 order and code-point order can differ).
  const frameState = new Uint8Array(profile.frames.length);
  const frameHash = new Int32Array(profile.frames.length);
  const frameWide = new Uint8Array(profile.frames.length);
  const nodeNames: string[] = [];
  const kinds: FrameKind[] = [];
  const kindOf = moduleKinds();
  const wide = new Uint8Array(stacks);
  const mixed = new Uint8Array(stacks);
  const parentOf = new Int32Array(stacks);
  const nodeOfStack = new Int32Array(stacks);
  const callees = new CalleeIndex(stacks, nodeNames);
  let size = 0;
  // A parent always precedes its child in the trie, so one pass in id order sees every caller first.
  for (let s = 0; s < stacks; s++) {
    const frame = stackFrame[s]!;
    if (frameState[frame] === 0) {
      const name = names.name(frame, java);
      frameState[frame] = name === null ? 1 : 2;
      if (name !== null) {
        let h = 0x811c9dc5;
        let high = 0;
        for (let i = 0; i < name.length; i++) {
          const c = name.charCodeAt(i);
          h = Math.imul(h ^ c, 0x01000193);
          high |= c;
        }
        frameHash[frame] = h;
        frameWide[frame] = high >= 0xd800 ? 1 : 0;
      }
    }
    const p = stackParent[s]!;
    const caller = p < 0 ? -1 : nodeOfStack[p]!;
    if (frameState[frame] === 1) {
      nodeOfStack[s] = caller;
      continue;
    }
    const name = names.name(frame, java)!;
    const kind = kindOf(profile.frames[frame]!);
    const found = callees.find(caller, frameHash[frame]!, name);
    let node: number;
    if (found < 0) {
      node = size++;
      callees.put(-found - 1, caller, frameHash[frame]!, node);
      parentOf[node] = caller;
      kinds[node] = kind;
      nodeNames[node] = name;
      wide[node] = frameWide[frame]!;
    } else {
      node = found;
      if (kinds[node] !== kind) mixed[node] = 1;
    }
    nodeOfStack[s] = node;
  }
  const rank = preorder(size, parentOf, nodeNames, wide);
  const trie: NameTrie = {
    size,
    nodeOfStack,
    parent: new Int32Array(size),
    name: new Array<string>(size),
    kind: new Array<FrameKind>(size),
    mixed: new Uint8Array(size),
    anyMixed: false,
    nodeSeen: new Int32Array(size),
    self: new Float64Array(size),
    value: new Float64Array(size),
    shown: new Int32Array(size),
    made: new Array<FlameNode | undefined>(size),
    claimedAt: new Int32Array(size),
    claimed: new Array<FrameKind>(size),
  };
  for (let old = 0; old < size; old++) {
    const x = rank[old]!;
    const p = parentOf[old]!;
    trie.parent[x] = p < 0 ? -1 : rank[p]!;
    trie.name[x] = nodeNames[old]!;
    trie.kind[x] = kinds[old]!;
    trie.mixed[x] = mixed[old]!;
    if (mixed[old] === 1) trie.anyMixed = true;
  }
  for (let s = 0; s < stacks; s++) if (nodeOfStack[s]! >= 0) nodeOfStack[s] = rank[nodeOfStack[s]!]!;
  return trie;
}

/**
 * The pre-order rank of every node when siblings are visited in code-point order of their names (names of
 * siblings differ, so the order is total). Iterative depth-first walk.
 */
function preorder(size: number, parent: Int32Array, names: string[], wide: Uint8Array): Int32Array {
  // Children lists, compressed: node x's children are kids[first[x + 1] .. first[x + 2]); −1 is the top.
  const first = new Int32Array(size + 2);
  for (let x = 0; x < size; x++) first[parent[x]! + 2]++;
  for (let k = 1; k < first.length; k++) first[k] += first[k - 1]!;
  const fill = first.slice();
  const kids = new Int32Array(size);
  for (let x = 0; x < size; x++) kids[fill[parent[x]! + 1]!++] = x;
  // The engine's own string comparison is code-point order unless a name has a character from U+D800 up.
  const byName = (a: number, b: number): number => {
    const x = names[a]!;
    const y = names[b]!;
    if ((wide[a]! | wide[b]!) !== 0) return compareCodePoints(x, y);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  for (let x = -1; x < size; x++) {
    const from = first[x + 1]!;
    const to = first[x + 2]!;
    if (to - from > 1) kids.set(Array.from(kids.subarray(from, to)).sort(byName), from);
  }
  const rank = new Int32Array(size);
  const pending: number[] = [];
  for (let k = first[1]! - 1; k >= first[0]!; k--) pending.push(kids[k]!);
  let next = 0;
  while (pending.length > 0) {
    const x = pending.pop()!;
    rank[x] = next++;
    for (let k = first[x + 2]! - 1; k >= first[x + 1]!; k--) pending.push(kids[k]!);
  }
  return rank;
}

/** frameKind, looked up once per module (a profile has few modules and many frames, mostly in runs of one). */
function moduleKinds(): (frame: Frame) => FrameKind {
  const byModule = new Map<string, FrameKind>();
  let lastModule: string | null = null;
  let lastKind: FrameKind = 'user';
  return (frame) => {
    if (frame.inlineDepth > 0) return frameKind(frame);
    if (frame.module === lastModule) return lastKind;
    let kind = byModule.get(frame.module);
    if (kind === undefined) {
      kind = frameKind(frame);
      byModule.set(frame.module, kind);
    }
    lastModule = frame.module;
    lastKind = kind;
    return kind;
  };
}

/**
 * The node a caller's callee of a given name already has: open addressing on (caller, hash of the name), the
 * names compared on a hash hit. Cheaper than a Map keyed by 200,000 strings, which the engine hashes slowly.
 */
class CalleeIndex {
  private readonly mask: number;
  private readonly caller: Int32Array;
  private readonly hash: Int32Array;
  private readonly node: Int32Array;

  constructor(
    capacity: number,
    private readonly names: readonly string[],
  ) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.caller = new Int32Array(slots).fill(-2);
    this.hash = new Int32Array(slots);
    this.node = new Int32Array(slots);
  }

  /** The callee's node, or −(free slot) − 1 when the caller has no callee of that name yet. */
  find(caller: number, hash: number, name: string): number {
    let h = (Math.imul(caller, 0x9e3779b1) ^ hash) & this.mask;
    for (;;) {
      const c = this.caller[h]!;
      if (c === -2) return -h - 1;
      if (c === caller && this.hash[h] === hash && this.names[this.node[h]!] === name) return this.node[h]!;
      h = (h + 1) & this.mask;
    }
  }

  put(slot: number, caller: number, hash: number, node: number): void {
    this.caller[slot] = caller;
    this.hash[slot] = hash;
    this.node[slot] = node;
  }
}

/** What tree builds of one profile under one naming share: the renamed tries and per-stack scratch space. */
class Workspace {
  generation = 0;
  readonly stackWeight: Float64Array;
  readonly stackSeen: Int32Array;
  readonly touched: Int32Array;
  readonly stackClaimed: Int32Array;
  private readonly tries: [NameTrie | null, NameTrie | null] = [null, null];

  constructor(
    readonly profile: Profile,
    private readonly names: FrameNames,
  ) {
    const slots = profile.stackParent.length + 1;
    this.stackWeight = new Float64Array(slots);
    this.stackSeen = new Int32Array(slots);
    this.touched = new Int32Array(slots);
    this.stackClaimed = new Int32Array(slots);
  }

  trie(java: boolean): NameTrie {
    const k = java ? 1 : 0;
    return (this.tries[k] ??= buildNameTrie(this.profile, this.names, java));
  }
}

const workspaces = new WeakMap<FrameNames, Workspace>();

/** The workspace of a naming, made on first use; the report builds many trees with one FrameNames. */
function workspace(profile: Profile, names: FrameNames): Workspace {
  let work = workspaces.get(names);
  if (work === undefined || work.profile !== profile) {
    work = new Workspace(profile, names);
    workspaces.set(names, work);
  }
  return work;
}
