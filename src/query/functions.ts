// The function table of a set of samples (speedscope's and async-profiler's "methods" list): per function, the
// weight spent in it (self) and under it (total), and the sandwich of one function: its callers merged up to
// where they were called from, and its callees merged over all its occurrences.
// Everything is read off the flame tree the page already has, so the table, the sandwich and the flame graph
// always agree: a function is a name the flame graph shows, merged over every place it appears. Group levels
// (the thread, pid, sign… nodes) are not functions. Pure and free of Node APIs (the page bundles it); every walk
// is a loop, so a 10,000-deep recursion cannot overflow the call stack.
import { compareCodePoints } from '../flamegraph/collapse';
import { type FlameNode, netOf, samplesOf } from '../flamegraph/tree';

/**
 * The row of the samples whose stack has no frame the flame graph shows (no stack, or only dropped frames):
 * the flame graph draws their weight as the self width of a thread (or the root). Counted here, under this
 * name, so that the self column adds up to the flame graph's total exactly.
 */
export const NO_FRAMES = '[no frames]';

export interface FunctionRow {
  /** The name the flame graph shows (or NO_FRAMES). */
  name: string;
  /** Σ|w| of the samples whose stack ends in this function. */
  self: number;
  /** Σ|w| of the samples whose stack holds this function, each sample once however often it recurs. */
  total: number;
  /** Signed sums Σw of the same samples. */
  selfNet: number;
  totalNet: number;
  /** Numbers of samples (zero-weight ones included). */
  selfSamples: number;
  totalSamples: number;
  /** self ÷ the table's total (0 when that is 0). */
  selfShare: number;
  totalShare: number;
}

export interface FunctionTable {
  /** Every function, heaviest self first (ties: total, then name in code-point order). */
  rows: FunctionRow[];
  /** The flame graph's total Σ|w|, which the self column adds up to. */
  total: number;
  net: number;
  samples: number;
}

export type FunctionSort = 'self' | 'total' | 'name';
export const FUNCTION_SORTS: readonly FunctionSort[] = ['self', 'total', 'name'];

/** Whether a node is a frame (not the root, not a group level such as the thread, pid or sign). */
export function isFrameNode(node: FlameNode): boolean {
  return node.kind !== 'root' && node.kind !== 'thread' && node.kind !== 'sign' && node.kind !== 'group';
}

/** What a node holds beyond its callees: its self width, signed sum and sample count. */
function selfOf(node: FlameNode): { value: number; net: number; samples: number } {
  let net = netOf(node);
  let samples = samplesOf(node);
  for (const c of node.children) {
    net -= netOf(c);
    samples -= samplesOf(c);
  }
  return { value: node.self, net, samples };
}

/**
 * The function table of a flame tree. A depth-first walk keeps, per name, how many times it is on the path
 * from the root: a node adds to its name's total only when the name is not already on the path (the outermost
 * occurrence), so recursion counts each sample once.
 */
export function functionTable(tree: FlameNode): FunctionTable {
  const index = new Map<string, number>();
  const rows: FunctionRow[] = [];
  const onPath: number[] = [];
  const rowOf = (name: string): number => {
    let r = index.get(name);
    if (r === undefined) {
      r = rows.length;
      index.set(name, r);
      rows.push({ name, self: 0, total: 0, selfNet: 0, totalNet: 0, selfSamples: 0, totalSamples: 0, selfShare: 0, totalShare: 0 });
      onPath.push(0);
    }
    return r;
  };
  // Entries are nodes to enter; a negative number −(r + 1) leaves row r's occurrence.
  const pending: (FlameNode | number)[] = [tree];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item === 'number') {
      onPath[-item - 1]!--;
      continue;
    }
    const own = selfOf(item);
    if (!isFrameNode(item)) {
      if (own.value !== 0 || own.samples !== 0) addSelf(rows[rowOf(NO_FRAMES)]!, own, true);
      for (let k = item.children.length - 1; k >= 0; k--) pending.push(item.children[k]!);
      continue;
    }
    const r = rowOf(item.name);
    const row = rows[r]!;
    addSelf(row, own, false);
    if (onPath[r] === 0) {
      row.total += item.value;
      row.totalNet += netOf(item);
      row.totalSamples += samplesOf(item);
    }
    onPath[r]!++;
    pending.push(-r - 1);
    for (let k = item.children.length - 1; k >= 0; k--) pending.push(item.children[k]!);
  }
  for (const row of rows) {
    row.selfShare = tree.value === 0 ? 0 : row.self / tree.value;
    row.totalShare = tree.value === 0 ? 0 : row.total / tree.value;
  }
  return { rows: sortFunctions(rows, 'self'), total: tree.value, net: netOf(tree), samples: samplesOf(tree) };
}

function addSelf(row: FunctionRow, own: { value: number; net: number; samples: number }, alsoTotal: boolean): void {
  row.self += own.value;
  row.selfNet += own.net;
  row.selfSamples += own.samples;
  if (alsoTotal) {
    row.total += own.value;
    row.totalNet += own.net;
    row.totalSamples += own.samples;
  }
}

/** Rows in a new array, heaviest first by `by` (ties: the other weight, then the name); `name`: by name. */
export function sortFunctions(rows: readonly FunctionRow[], by: FunctionSort): FunctionRow[] {
  const byName = (a: FunctionRow, b: FunctionRow): number => compareCodePoints(a.name, b.name);
  if (by === 'name') return [...rows].sort(byName);
  const other: 'self' | 'total' = by === 'self' ? 'total' : 'self';
  return [...rows].sort((a, b) => b[by] - a[by] || b[other] - a[other] || byName(a, b));
}

// ---- the sandwich of one function ----

export interface Sandwich {
  name: string;
  /**
   * The reversed tree of its callers: the root is the function (its total), its children the functions that
   * called it, theirs their callers, up to the group levels (the thread) at the top.
   */
  callers: FlameNode;
  /** The tree under the function, merged over its occurrences: the root is the function (its total). */
  callees: FlameNode;
}

/**
 * The callers and callees of `name` in a tree, or null when no frame has that name. Recursion: each sample is
 * taken at the OUTERMOST occurrence of the function on its stack, so both sides add up to the function's total;
 * its recursive calls show in the callees as the function under itself.
 */
export function sandwich(tree: FlameNode, name: string): Sandwich | null {
  const signed = tree.net !== undefined;
  const counted = tree.samples !== undefined;
  const callers = newBuilding(name, 'root', signed, counted);
  const callees = newBuilding(name, 'root', signed, counted);
  let found = false;
  // Depth-first with the path from the root's first level to the node visited; below an occurrence the walk
  // stops (its subtree goes to the callees whole, so inner occurrences are never taken again).
  const path: FlameNode[] = [];
  const pending: [FlameNode, number][] = [];
  for (let k = tree.children.length - 1; k >= 0; k--) pending.push([tree.children[k]!, 0]);
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    path.length = depth;
    if (node.name === name && isFrameNode(node)) {
      if (!found) callers.node.kind = callees.node.kind = node.kind;
      found = true;
      addCallers(callers, path, node);
      mergeCallees(callees, node);
      continue;
    }
    path.push(node);
    for (let k = node.children.length - 1; k >= 0; k--) pending.push([node.children[k]!, depth + 1]);
  }
  if (!found) return null;
  return { name, callers: finish(callers), callees: finish(callees) };
}

interface Building {
  node: FlameNode;
  children: Map<string, Building>;
}

function newBuilding(name: string, kind: FlameNode['kind'], signed: boolean, counted: boolean): Building {
  const node: FlameNode = { name, value: 0, self: 0, kind, children: [] };
  if (signed) node.net = 0;
  if (counted) node.samples = 0;
  return { node, children: new Map() };
}

function childOf(at: Building, of: FlameNode): Building {
  let next = at.children.get(of.name);
  if (next === undefined) {
    next = newBuilding(of.name, of.kind, at.node.net !== undefined, at.node.samples !== undefined);
    at.children.set(of.name, next);
  }
  return next;
}

function bump(node: FlameNode, value: number, net: number, samples: number): void {
  node.value += value;
  if (node.net !== undefined) node.net += net;
  if (node.samples !== undefined) node.samples += samples;
}

/** Adds an occurrence's callers, nearest first: its whole width goes up the reversed path. */
function addCallers(root: Building, path: readonly FlameNode[], occurrence: FlameNode): void {
  const value = occurrence.value;
  const net = netOf(occurrence);
  const samples = samplesOf(occurrence);
  let at = root;
  bump(at.node, value, net, samples);
  for (let k = path.length - 1; k >= 0; k--) {
    at = childOf(at, path[k]!);
    bump(at.node, value, net, samples);
  }
  // The top of a reversed path (the thread, or the first frame without group levels) is where it ends.
  at.node.self += value;
}

/** Merges an occurrence's subtree (its callees, recursively) into the callees' tree by name paths. */
function mergeCallees(root: Building, occurrence: FlameNode): void {
  const pending: [FlameNode, Building][] = [[occurrence, root]];
  while (pending.length > 0) {
    const [node, into] = pending.pop()!;
    bump(into.node, node.value, netOf(node), samplesOf(node));
    into.node.self += node.self;
    for (const c of node.children) pending.push([c, childOf(into, c)]);
  }
}

/** The built nodes as a tree: children in code-point order of their names. */
function finish(root: Building): FlameNode {
  const pending: Building[] = [root];
  while (pending.length > 0) {
    const b = pending.pop()!;
    const kids = [...b.children.values()].sort((x, y) => compareCodePoints(x.node.name, y.node.name));
    b.node.children = kids.map((k) => k.node);
    for (const k of kids) pending.push(k);
  }
  return root.node;
}
