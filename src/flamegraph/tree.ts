// The call tree of a set of samples: what `flame` prints as JSON and lays out as a flame graph.
// No Node APIs here: the report bundles this into the page.
//
// The tree is read off the profile's stack trie, renamed once (a `NameTrie`), so building one for a selection is
// a pass over its samples with typed arrays plus one object per node shown: no string work per sample or per
// stack, and every walk is a loop (10,000-deep stacks cannot overflow the call stack).
import { UserError } from '../errors';
import { type Frame, idsOf, type Profile } from '../parse/profile';
import { isMetric, magnitudeBucket, metricUnit, SAMPLES, weightOf, type Weights } from '../model/metrics';
import { compareCodePoints } from './collapse';
import { frameKind, type FrameKind, type FrameNames, isCategoryFrame, isJavaThread } from './names';

export interface FlameNode {
  name: string;
  /** Inclusive width: Σ|w| of this frame's samples and its callees' (the sample count when weights are samples). */
  value: number;
  /** Width of samples whose stack ends here. */
  self: number;
  /**
   * Inclusive signed sum Σw; absent when it equals `value` (no weight of the tree is negative). Read it with
   * `netOf`. Absent rather than a copy: a tree of 200,000 nodes built on every selection pays for each field.
   */
  net?: number;
  /** Inclusive number of samples, zero-weight ones included; absent when it equals `value` (weights are samples). `samplesOf`. */
  samples?: number;
  /**
   * What the node is: a frame of some kind, the root, a thread (the comm level), a `positive`/`negative` node of
   * the sign level, or another group level's node (event, bucket, pid, tid).
   */
  kind: FrameKind | 'root' | 'thread' | 'sign' | 'group';
  /**
   * Sorted by name in code-point order (a sign level: positive, then negative), so every output is deterministic.
   * Read-only: a tree never changes once built, and every leaf shares one empty array (see NO_CHILDREN).
   */
  children: readonly FlameNode[];
}

/** A node's signed sum Σw. */
export function netOf(node: FlameNode): number {
  return node.net ?? node.value;
}

/** A node's number of samples. */
export function samplesOf(node: FlameNode): number {
  return node.samples ?? node.value;
}

/**
 * A level of the tree under its root, before the frames: the event, the sign of the weight (only when some
 * weight is negative), the order of magnitude of a metric's value, the thread name (comm; flame_prof's process
 * status), the pid or the tid.
 */
export type GroupLevel =
  | { kind: 'event' }
  | { kind: 'sign' }
  | { kind: 'bucket'; metric: string }
  | { kind: 'comm' }
  | { kind: 'pid' }
  | { kind: 'tid' };

/** The levels when none are asked for: the sign (when it applies), then the thread name, as FlameScope. */
export const DEFAULT_GROUPS: readonly GroupLevel[] = [{ kind: 'sign' }, { kind: 'comm' }];

/** `sign,bucket:erlang_memory,comm` → levels; `none` → none; null when a word is not a level. */
export function parseGroups(text: string): GroupLevel[] | null {
  const parsed = readGroups(text);
  return typeof parsed === 'string' ? null : parsed;
}

/** What `--group` takes, for messages. */
export const GROUP_WORDS = 'event, sign, bucket:<metric>, comm, pid, tid (in the order given, comma-separated), or none';

/**
 * The levels a `--group` text names, or why it names none: `bucket:` without a metric, a word that is not a
 * level, a level given twice, or `none` beside others.
 */
export function readGroups(text: string): GroupLevel[] | string {
  const words = text.split(',').map((w) => w.trim());
  if (words.length === 1 && words[0] === 'none') return [];
  const out: GroupLevel[] = [];
  const seen = new Set<string>();
  for (const w of words) {
    if (seen.has(w)) return `${JSON.stringify(w)} is given twice`;
    seen.add(w);
    if (w === 'event' || w === 'sign' || w === 'comm' || w === 'pid' || w === 'tid') out.push({ kind: w });
    else if (w.startsWith('bucket:') && w.length > 7) out.push({ kind: 'bucket', metric: w.slice(7) });
    else if (w === 'bucket' || w === 'bucket:') return '"bucket" needs a metric: bucket:<metric>, e.g. bucket:erlang_memory';
    else if (w === 'none') return '"none" stands alone';
    else return `${JSON.stringify(w)} is not a level`;
  }
  return out;
}

/**
 * The levels of a `--group` text checked against a profile: a `bucket:` of a metric the profile does not have is
 * a UserError that lists the metrics it has.
 */
export function resolveGroups(profile: Profile, levels: readonly GroupLevel[]): readonly GroupLevel[] {
  for (const level of levels) {
    if (level.kind !== 'bucket' || profile.metrics.some((m) => m.name === level.metric)) continue;
    const names = profile.metrics.map((m) => m.name);
    throw new UserError(
      profile.source,
      `--group bucket:${level.metric}: unknown metric ${JSON.stringify(level.metric)}; this profile has: ${names.length === 0 ? 'no metrics' : names.join(', ')}`,
    );
  }
  return levels;
}

/** The levels as `parseGroups` reads them. */
export function formatGroups(levels: readonly GroupLevel[]): string {
  if (levels.length === 0) return 'none';
  return levels.map((l) => (l.kind === 'bucket' ? `bucket:${l.metric}` : l.kind)).join(',');
}

export interface FlameTreeOptions {
  /** What a sample weighs (default: 1). */
  weights?: Weights;
  /** Frame naming; `new FrameNames(profile, DISPLAY_NAMES)` gives the flame graph's names. */
  names: FrameNames;
  /** Levels under the root (default `DEFAULT_GROUPS`). */
  groups?: readonly GroupLevel[];
}

/**
 * Builds the tree `all` → group levels (by default the sign, when a weight is negative, and the thread) →
 * frames root→leaf. Widths are |w|; a sample without the metric is left out; a zero-weight sample counts in
 * `samples` but adds no width (nodes of width 0 are left out when weights are a metric).
 * Weights are summed per (group, stack) in typed arrays, then each distinct stack adds its weight to its node of
 * the renamed trie and marks the node's callers up to the first one already marked, so the work follows the
 * samples and the nodes shown, not the depth times the stacks.
 */
export function buildFlameTree(profile: Profile, samples: Uint32Array, options: FlameTreeOptions): FlameNode {
  const weights = options.weights ?? SAMPLES;
  const work = workspace(profile, options.names);
  const levels = options.groups ?? DEFAULT_GROUPS;
  const groups = groupSamples(profile, samples, weights, levels);
  const root: FlameNode = { name: 'all', value: 0, self: 0, net: 0, samples: 0, kind: 'root', children: [] };
  const pruneZero = isMetric(weights);
  // Group nodes above the last level, by their path of labels; their sums are taken once all groups are in.
  const made = new Map<string, FlameNode>();
  const above = new Set<FlameNode>([root]);
  for (let g = 0; g < groups.labels.length; g++) {
    const labels = groups.labels[g]!;
    const sampled = groups.order.subarray(groups.start[g], groups.start[g + 1]);
    const trie = work.trie(isJavaThread(groups.java[g]!));
    const leaf = groupTree(profile, work, trie, labels[labels.length - 1] ?? 'all', sampled, weights, pruneZero, groups.negative);
    if (labels.length === 0) {
      root.children = leaf.children;
      root.self = leaf.self;
      root.value = leaf.value;
      root.net = netOf(leaf);
      root.samples = samplesOf(leaf);
      above.delete(root);
      continue;
    }
    leaf.kind = groups.kinds[labels.length - 1]!;
    let parent = root;
    let path = '';
    for (let l = 0; l < labels.length - 1; l++) {
      path += `${labels[l]}\u0000`;
      let node = made.get(path);
      if (node === undefined) {
        node = { name: labels[l]!, value: 0, self: 0, net: 0, samples: 0, kind: groups.kinds[l]!, children: [] };
        made.set(path, node);
        above.add(node);
        (parent.children as FlameNode[]).push(node);
      }
      parent = node;
    }
    // The nodes above the last level (and the root) have arrays of their own.
    (parent.children as FlameNode[]).push(leaf);
  }
  if (above.has(root)) sumGroups(root, above, groups.signLevel, pruneZero, 0);
  return root;
}

/**
 * Sums of the group nodes above the last level (the others have theirs), bottom-up; children sorted (the sign
 * level positive first, the others by name); nodes of width 0 left out when weights are a metric, after their
 * samples were counted.
 */
function sumGroups(node: FlameNode, above: Set<FlameNode>, signLevel: number, pruneZero: boolean, depth: number): void {
  for (const c of node.children) {
    if (above.has(c)) sumGroups(c, above, signLevel, pruneZero, depth + 1);
    node.value += c.value;
    node.net! += netOf(c);
    node.samples! += samplesOf(c);
  }
  if (pruneZero) node.children = node.children.filter((c) => c.value !== 0);
  const children = node.children as FlameNode[];
  if (depth === signLevel) children.sort((a, b) => signRank(a.name) - signRank(b.name));
  else children.sort((a, b) => compareCodePoints(a.name, b.name));
}

function signRank(name: string): number {
  return name === 'positive' ? 0 : name === 'negative' ? 1 : 2;
}

/** Samples grouped by their labels, in file order within each group: `order[start[g] .. start[g + 1])`. */
interface SampleGroups {
  /** Per group, its label at each level, root-most first. */
  labels: string[][];
  /** Per group, the thread name that decides Java naming. */
  java: string[];
  /** Per level, the node kind. */
  kinds: FlameNode['kind'][];
  start: Uint32Array;
  order: Uint32Array;
  /** The depth (root = 0) whose children are the sign level, −1 without one. */
  signLevel: number;
  /** Whether any weight is negative (else every node's net is its value). */
  negative: boolean;
}

/**
 * Groups the selected samples by their labels at each level. Two comms that differ only in spaces and
 * underscores are one thread of the graph (`collapse` folds both to the same root frame); a counting sort keeps
 * samples in file order.
 */
function groupSamples(profile: Profile, samples: Uint32Array, weights: Weights, levels: readonly GroupLevel[]): SampleGroups {
  // Sample counts keep every sample and none is negative; a metric leaves out the samples without it.
  let negative = false;
  let taken = samples.length;
  let keep: Uint8Array | null = null;
  if (weights.values !== null) {
    keep = new Uint8Array(samples.length);
    taken = 0;
    for (let k = 0; k < samples.length; k++) {
      const w = weightOf(weights, samples[k]!);
      if (w !== w) continue;
      keep[k] = 1;
      taken++;
      if (w < 0) negative = true;
    }
  }
  const active = levels.filter((l) => l.kind !== 'sign' || negative);
  const signIndex = active.findIndex((l) => l.kind === 'sign');
  const kinds: FlameNode['kind'][] = active.map((l) => (l.kind === 'comm' ? 'thread' : l.kind === 'sign' ? 'sign' : 'group'));
  // Per level, per sample: the label's id (−1: the sample is left out); labels interned per level, with the
  // samples each has and the thread of its first sample (which decides Java naming when it is the last level).
  const labelIds: Int32Array[] = [];
  const labelNames: string[][] = [];
  const labelCounts: number[][] = [];
  const labelThread: string[][] = [];
  const commNames = profile.comms.map((c) => c.replaceAll(' ', '_'));
  for (const level of active) {
    const ids = new Int32Array(samples.length);
    const names: string[] = [];
    const counts: number[] = [];
    const threads: string[] = [];
    const byName = new Map<string, number>();
    const intern = (i: number): number => {
      const name = label(i);
      let id = byName.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        counts.push(0);
        threads.push(profile.comms[profile.comm[i]!]!);
        byName.set(name, id);
      }
      return id;
    };
    const label = labelOf(profile, level, weights, commNames);
    // Levels that follow an interned column are labelled once per value of it, not once per sample.
    const column = level.kind === 'comm' ? profile.comm : level.kind === 'event' ? profile.event : level.kind === 'pid' || level.kind === 'tid' ? profile.proc : null;
    const memo = column === null ? null : new Int32Array(level.kind === 'comm' ? profile.comms.length : level.kind === 'event' ? profile.events.length : profile.procs.length).fill(-1);
    for (let k = 0; k < samples.length; k++) {
      if (keep !== null && keep[k] === 0) {
        ids[k] = -1;
        continue;
      }
      const i = samples[k]!;
      let id: number;
      if (memo !== null) {
        const v = column![i]!;
        id = memo[v]!;
        if (id < 0) memo[v] = id = intern(i);
      } else {
        id = intern(i);
      }
      ids[k] = id;
      counts[id]++;
    }
    labelIds.push(ids);
    labelNames.push(names);
    labelCounts.push(counts);
    labelThread.push(threads);
  }
  let groupOf: Int32Array;
  let labels: string[][];
  let java: string[];
  let counts: number[];
  if (active.length <= 1) {
    // One level (the usual: the thread name): its labels are the groups. None: one group of every sample.
    groupOf = active.length === 1 ? labelIds[0]! : new Int32Array(samples.length);
    if (keep !== null && active.length === 0) for (let k = 0; k < samples.length; k++) if (keep[k] === 0) groupOf[k] = -1;
    labels = active.length === 1 ? labelNames[0]!.map((name) => [name]) : taken > 0 ? [[]] : [];
    java = active.length === 1 ? labelThread[0]! : labels.length > 0 ? [firstThread(profile, samples, keep)] : [];
    counts = active.length === 1 ? labelCounts[0]! : labels.length > 0 ? [taken] : [];
  } else {
    // A group's key: its label ids in mixed radix (exact while the product of the label counts is below 2^53).
    groupOf = new Int32Array(samples.length).fill(-1);
    const byKey = new Map<number | string, number>();
    labels = [];
    java = [];
    counts = [];
    let radixProduct = 1;
    for (const names of labelNames) radixProduct *= Math.max(1, names.length);
    const numeric = radixProduct < Number.MAX_SAFE_INTEGER;
    for (let k = 0; k < samples.length; k++) {
      if (keep !== null && keep[k] === 0) continue;
      let key: number | string = 0;
      if (numeric) {
        let n = 0;
        for (let l = 0; l < active.length; l++) n = n * Math.max(1, labelNames[l]!.length) + labelIds[l]![k]!;
        key = n;
      } else {
        key = Array.from(labelIds, (ids) => ids[k]).join(',');
      }
      let g = byKey.get(key);
      if (g === undefined) {
        g = labels.length;
        byKey.set(key, g);
        labels.push(active.map((_, l) => labelNames[l]![labelIds[l]![k]!]!));
        java.push(profile.comms[profile.comm[samples[k]!]!]!);
        counts.push(0);
      }
      groupOf[k] = g;
      counts[g]++;
    }
  }
  const start = new Uint32Array(labels.length + 1);
  for (let g = 0; g < labels.length; g++) start[g + 1] = start[g]! + counts[g]!;
  if (labels.length === 1 && keep === null) return { labels, java, kinds, start, order: samples, signLevel: signIndex, negative };
  const next = start.slice(0, labels.length);
  const order = new Uint32Array(taken);
  for (let k = 0; k < samples.length; k++) if (groupOf[k]! >= 0) order[next[groupOf[k]!]!++] = samples[k]!;
  return { labels, java, kinds, start, order, signLevel: signIndex, negative };
}

/** The thread of the first sample kept. */
function firstThread(profile: Profile, samples: Uint32Array, keep: Uint8Array | null): string {
  for (let k = 0; k < samples.length; k++) if (keep === null || keep[k] === 1) return profile.comms[profile.comm[samples[k]!]!]!;
  return '';
}

/** The label function of a level. */
function labelOf(profile: Profile, level: GroupLevel, weights: Weights, commNames: string[]): (i: number) => string {
  switch (level.kind) {
    case 'event':
      return (i) => profile.events[profile.event[i]!]!;
    case 'sign':
      return (i) => {
        const w = weightOf(weights, i);
        return w < 0 ? 'negative' : w > 0 ? 'positive' : 'zero';
      };
    case 'comm':
      return (i) => commNames[profile.comm[i]!]!;
    // The ids as the filters read them (`idsOf`); a lone number, which perf prints for the thread when the pid is
    // not asked for, is shown as printed under either level.
    case 'pid':
      return (i) => {
        const token = profile.procs[profile.proc[i]!]!;
        return idsOf(token).pid || token || '?';
      };
    case 'tid':
      return (i) => idsOf(profile.procs[profile.proc[i]!]!).tid || '?';
    case 'bucket': {
      const metric = profile.metrics.find((m) => m.name === level.metric);
      if (metric === undefined) return () => `no ${level.metric}`;
      const unit = metricUnit(profile, level.metric, -1);
      const cache = new Map<number, string>();
      return (i) => {
        const v = metric.values[i]!;
        let name = cache.get(v);
        if (name === undefined) cache.set(v, (name = v === v ? magnitudeBucket(v, unit) : `no ${level.metric}`));
        return name;
      };
    }
  }
}

/**
 * The children of every leaf: one empty array rather than one per leaf (most nodes of a big tree are leaves).
 * Not frozen: a frozen array has its own elements kind, and every walk over children (search names, layout)
 * got 10 % slower for mixing the two. `FlameNode.children` is read-only to the compiler instead.
 */
const NO_CHILDREN: readonly FlameNode[] = [];

/** One group's subtree: a node named `name` whose children are the frames. */
function groupTree(
  profile: Profile,
  work: Workspace,
  trie: NameTrie,
  name: string,
  sampled: Uint32Array,
  weights: Weights,
  pruneZero: boolean,
  negative: boolean,
): FlameNode {
  const gen = ++work.generation;
  // Only what can differ is summed apart: without a negative weight net = value; with sample counts for weights,
  // samples = value. (The common case, counting samples, sums one column, as before weights were signed.)
  const trackNet = negative;
  const trackCount = weights.values !== null;
  // Weights per stack, in file order of each stack's first sample.
  const { stackAbs, stackNet, stackCount, stackSeen, touched } = work;
  let distinct = 0;
  for (let k = 0; k < sampled.length; k++) {
    const i = sampled[k]!;
    const s = profile.stack[i]! + 1;
    if (stackSeen[s] !== gen) {
      stackSeen[s] = gen;
      stackAbs[s] = 0;
      stackNet[s] = 0;
      stackCount[s] = 0;
      touched[distinct++] = s;
    }
    const w = weights.values === null ? 1 : weightOf(weights, i);
    stackAbs[s] += Math.abs(w);
    if (trackNet) stackNet[s] += w;
    if (trackCount) stackCount[s]++;
  }

  // Each stack's weight to its node; the node and its callers join the tree.
  const { nodeOfStack, parent, nodeSeen, self, selfNet, selfCount, shown } = trie;
  let groupSelf = 0;
  let groupSelfNet = 0;
  let groupSelfCount = 0;
  let count = 0;
  for (let j = 0; j < distinct; j++) {
    const s = touched[j]!;
    const node = s === 0 ? -1 : nodeOfStack[s - 1]!;
    if (node < 0) {
      groupSelf += stackAbs[s]!;
      if (trackNet) groupSelfNet += stackNet[s]!;
      if (trackCount) groupSelfCount += stackCount[s]!;
      continue;
    }
    for (let x = node; x >= 0 && nodeSeen[x] !== gen; x = parent[x]!) {
      nodeSeen[x] = gen;
      self[x] = 0;
      selfNet[x] = 0;
      selfCount[x] = 0;
      shown[count++] = x;
    }
    self[node] += stackAbs[s]!;
    if (trackNet) selfNet[node] += stackNet[s]!;
    if (trackCount) selfCount[node] += stackCount[s]!;
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
  // Inclusive sums callee to caller in typed arrays (reverse pre-order: the same order every time, so sums that
  // round, round the same), then each node is made once with its sums: no object is visited twice (on 200,000
  // nodes that second visit cost more than the arithmetic).
  const { value, valueNet, valueCount, made } = trie;
  let groupValue = groupSelf;
  let groupNet = groupSelfNet;
  let groupCount = groupSelfCount;
  for (let k = 0; k < count; k++) {
    const x = ids[k]!;
    value[x] = self[x]!;
    if (trackNet) valueNet[x] = selfNet[x]!;
    if (trackCount) valueCount[x] = selfCount[x]!;
  }
  for (let k = count - 1; k >= 0; k--) {
    const x = ids[k]!;
    const p = parent[x]!;
    if (p < 0) {
      groupValue += value[x]!;
      if (trackNet) groupNet += valueNet[x]!;
      if (trackCount) groupCount += valueCount[x]!;
    } else {
      value[p] += value[x]!;
      if (trackNet) valueNet[p] += valueNet[x]!;
      if (trackCount) valueCount[p] += valueCount[x]!;
    }
  }
  const group: FlameNode = { name, value: groupValue, self: groupSelf, kind: 'thread', children: [] };
  if (trackNet) group.net = groupNet;
  if (trackCount) group.samples = groupCount;
  for (let k = 0; k < count; k++) {
    const x = ids[k]!;
    // A node of width 0 (zero-weight samples only) is left out, and so are its callees (theirs is 0 too).
    if (pruneZero && value[x] === 0) continue;
    // One object shape per tree (the fields a tree needs), so that every read of a node stays monomorphic.
    const node: FlameNode = !trackNet && !trackCount
      ? { name: trie.name[x]!, value: value[x]!, self: self[x]!, kind: trie.kind[x]!, children: NO_CHILDREN }
      : !trackNet
        ? { name: trie.name[x]!, value: value[x]!, self: self[x]!, samples: valueCount[x]!, kind: trie.kind[x]!, children: NO_CHILDREN }
        : {
            name: trie.name[x]!,
            value: value[x]!,
            self: self[x]!,
            net: valueNet[x]!,
            samples: trackCount ? valueCount[x]! : value[x]!,
            kind: trie.kind[x]!,
            children: NO_CHILDREN,
          };
    if (trie.mixed[x] === 1) node.kind = trie.claimed[x]!;
    made[x] = node;
    const p = parent[x]!;
    const caller = p < 0 ? group : made[p]!;
    if (caller.children === NO_CHILDREN) caller.children = [node];
    else (caller.children as FlameNode[]).push(node);
  }
  for (let k = 0; k < count; k++) made[ids[k]!] = undefined;
  return group;
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
  selfNet: Float64Array;
  selfCount: Float64Array;
  value: Float64Array;
  valueNet: Float64Array;
  valueCount: Float64Array;
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
    selfNet: new Float64Array(size),
    selfCount: new Float64Array(size),
    value: new Float64Array(size),
    valueNet: new Float64Array(size),
    valueCount: new Float64Array(size),
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
    if (frame.inlineDepth > 0 || isCategoryFrame(frame)) return frameKind(frame);
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
  readonly stackAbs: Float64Array;
  readonly stackNet: Float64Array;
  readonly stackCount: Float64Array;
  readonly stackSeen: Int32Array;
  readonly touched: Int32Array;
  readonly stackClaimed: Int32Array;
  private readonly tries: [NameTrie | null, NameTrie | null] = [null, null];

  constructor(
    readonly profile: Profile,
    private readonly names: FrameNames,
  ) {
    const slots = profile.stackParent.length + 1;
    this.stackAbs = new Float64Array(slots);
    this.stackNet = new Float64Array(slots);
    this.stackCount = new Float64Array(slots);
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
