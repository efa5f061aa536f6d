// V8's `.cpuprofile` (`node --cpu-prof`, DevTools' "Save profile"): a call tree of nodes, and the node each
// sample hit with the time since the sample before. The same tree arrives in pieces inside trace events
// (`trace-event.ts`), which hands its pieces to `addV8Samples` below.
//
// Choices (documented in README, "Other inputs"):
// - `(root)` is the tree's root, not code: dropped from every stack (speedscope drops it too; FlameScope keeps it
//   as the bottom frame of its flame graphs).
// - `(program)` (V8 busy outside JavaScript: parsing, compiling, the embedder) and `(garbage collector)` are real
//   CPU time: kept as category frames of their own, at the root. speedscope stacks them on top of the previous
//   sample's stack (a guess at who caused them); FlameScope counts them in its heat map but leaves them out of
//   its flame graphs. We keep one profile for both views, and do not guess.
// - `(idle)` samples are idle (the model's flag: `--idle drop` leaves them out, as FlameScope's heat map and
//   speedscope do), with an `(idle)` frame so that `--idle keep` shows them.
// - A frame is named `function url:line:column` (1-based, as DevTools shows them; `(anonymous)` for a nameless
//   function; no location for V8's own entries), so that two functions of one name in two files stay apart and
//   the report's tooltip shows where the code is. Its module is `[js] <url>`.
// - Timestamps are `startTime` plus the running sum of `timeDeltas`, in microseconds. A negative delta (V8
//   writes them when a sample is recorded late) puts that sample before the one listed before it: every sample
//   keeps its own time, nothing is reordered or dropped (the views bin samples by time, in any order).
//   speedscope instead holds such a sample at the previous sample's time.
import { UserError } from '../errors';
import { JS_MODULE_PREFIX } from '../flamegraph/names';
import { NO_ID, noWarnings, type ProfileBuilder } from '../parse/profile';
import type { Imported } from './imported';

/** The parts of a V8 call-tree node we read: `children` in a .cpuprofile, `parent` in a trace's ProfileChunk. */
export interface V8Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
  parent?: number;
}

/** Who ran the samples of one V8 profile. */
export interface V8Thread {
  comm: string;
  pid: number;
  tid: number;
}

/** One V8 profile: its nodes, the node of each sample, and their times (µs), or no times at all. */
export interface V8Samples {
  nodes: readonly V8Node[];
  samples: readonly number[];
  /** Per sample: microseconds since the previous sample (the first: since `startTime`). Null: no timestamps. */
  timeDeltas: readonly number[] | null;
  startTime: number;
}

/** The event name of V8's samples: its profiler samples on a timer, as perf's `cpu-clock` does. */
export const V8_EVENT = 'cpu-clock';

/** Reads a parsed .cpuprofile into the builder: one sample per entry of `samples`. */
export function importCpuProfile(name: string, value: Record<string, unknown>, builder: ProfileBuilder): Imported {
  const nodes = checkNodes(name, value['nodes']);
  const samples = checkNumbers(name, 'samples', value['samples']);
  let timeDeltas: number[] | null = null;
  if (value['timeDeltas'] !== undefined) timeDeltas = checkNumbers(name, 'timeDeltas', value['timeDeltas']);
  const startTime = value['startTime'];
  if (timeDeltas !== null && (typeof startTime !== 'number' || !Number.isFinite(startTime))) {
    throw new UserError(name, 'a .cpuprofile with timeDeltas but no numeric startTime');
  }
  if (timeDeltas !== null && timeDeltas.length !== samples.length) {
    throw new UserError(name, `a .cpuprofile whose samples (${samples.length}) and timeDeltas (${timeDeltas.length}) differ in length`);
  }
  builder.beginFile(name);
  const notices: string[] = [];
  const unknown = addV8Samples(builder, { nodes, samples, timeDeltas, startTime: (startTime as number | undefined) ?? 0 }, { comm: 'node', pid: NO_ID, tid: NO_ID });
  if (unknown.count > 0) notices.push(unknownNodesNotice(unknown));
  if (timeDeltas === null) notices.push('a .cpuprofile without timeDeltas: its samples have no timestamps (flame graphs only, no heat map)');
  return { header: { events: [V8_EVENT] }, warnings: noWarnings(), notices };
}

export function unknownNodesNotice(unknown: { count: number; first: number }): string {
  return `left out ${unknown.count} sample${unknown.count === 1 ? '' : 's'} of nodes the profile does not list (the first: node id ${unknown.first})`;
}

/**
 * Adds the samples of one V8 profile; returns how many samples named a node the profile does not have (left
 * out). Stacks are built once per node, walking parent links without recursion (deep JS stacks are common).
 */
export function addV8Samples(builder: ProfileBuilder, profile: V8Samples, thread: V8Thread): { count: number; first: number } {
  const byId = new Map<number, V8Node>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    if (node.parent !== undefined) parentOf.set(node.id, node.parent);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const stackOf = new Map<number, number>();
  const idleNodes = new Set<number>();
  const stackOfNode = (id: number): number => {
    const known = stackOf.get(id);
    if (known !== undefined) return known;
    // The chain up to a node whose stack is known (or the root), then stacks down from there.
    const chain: V8Node[] = [];
    let base = -1;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const done = stackOf.get(at);
      if (done !== undefined) {
        base = done;
        break;
      }
      const node = byId.get(at);
      if (node === undefined) break;
      if (chain.length > byId.size) throw new UserError(builder.files[builder.currentFile] ?? '', `the V8 call tree has a cycle through node ${id}`);
      chain.push(node);
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const node = chain[k]!;
      const fn = node.callFrame.functionName;
      if (fn !== '(root)') base = builder.internStack(base, internV8Frame(builder, node));
      if (fn === '(idle)') idleNodes.add(node.id);
      stackOf.set(node.id, base);
    }
    return base;
  };

  const event = builder.internEvent(V8_EVENT);
  const comm = builder.internComm(thread.comm);
  const proc = builder.internProc(procToken(thread));
  const unknown = { count: 0, first: 0 };
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (profile.timeDeltas !== null) time += profile.timeDeltas[i]!;
    if (!byId.has(id)) {
      if (unknown.count++ === 0) unknown.first = id;
      continue;
    }
    const stack = stackOfNode(id);
    const { seconds, nanos } = profile.timeDeltas === null ? { seconds: NaN, nanos: 0 } : splitMicros(time);
    builder.addSample({ seconds, nanos, stack, event, comm, pid: thread.pid, tid: thread.tid, cpu: -1, proc, idle: idleNodes.has(id) });
  }
  return unknown;
}

/** The pid/tid column as perf would print it: `pid/tid`, a lone tid, or '' when neither is known. */
function procToken(t: V8Thread): string {
  if (t.pid !== NO_ID && t.tid !== NO_ID) return `${t.pid}/${t.tid}`;
  if (t.tid !== NO_ID) return String(t.tid);
  return '';
}

/** Microseconds (maybe fractional, as trace events write them) → whole seconds and nanoseconds. */
export function splitMicros(us: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(us / 1e6);
  let nanos = Math.round((us - seconds * 1e6) * 1000);
  if (nanos >= 1e9) nanos = 1e9 - 1;
  return { seconds, nanos };
}

/** A node's frame: `function url:line:column`; V8's own entries (`(program)`) and native code without a location. */
function internV8Frame(builder: ProfileBuilder, node: V8Node): number {
  const f = node.callFrame;
  const fn = f.functionName === '' ? '(anonymous)' : f.functionName;
  const url = f.url;
  let name = fn;
  if (url !== '') name += f.lineNumber >= 0 ? ` ${url}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ` ${url}`;
  return builder.internFrame(name, `${JS_MODULE_PREFIX} ${url}`, '', 0);
}

/** `nodes` as V8 writes them; anything else is refused with what was wrong, naming the node. */
export function checkNodes(name: string, value: unknown): V8Node[] {
  if (!Array.isArray(value)) throw new UserError(name, 'a V8 profile whose "nodes" is not an array');
  const out: V8Node[] = [];
  for (let i = 0; i < value.length; i++) {
    const n = value[i] as Record<string, unknown> | null;
    const where = `node ${i}`;
    if (typeof n !== 'object' || n === null || typeof n['id'] !== 'number') throw new UserError(name, `a V8 profile whose ${where} has no numeric "id"`);
    const cf = n['callFrame'] as Record<string, unknown> | null | undefined;
    if (typeof cf !== 'object' || cf === null) throw new UserError(name, `a V8 profile whose node id ${n['id']} has no "callFrame"`);
    const node: V8Node = {
      id: n['id'],
      callFrame: {
        functionName: typeof cf['functionName'] === 'string' ? cf['functionName'] : '',
        url: typeof cf['url'] === 'string' ? cf['url'] : '',
        lineNumber: typeof cf['lineNumber'] === 'number' ? cf['lineNumber'] : -1,
        columnNumber: typeof cf['columnNumber'] === 'number' ? cf['columnNumber'] : -1,
      },
    };
    if (n['children'] !== undefined) node.children = checkNumbers(name, `children of node id ${n['id']}`, n['children']);
    if (typeof n['parent'] === 'number') node.parent = n['parent'];
    out.push(node);
  }
  return out;
}

export function checkNumbers(name: string, what: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new UserError(name, `a V8 profile whose ${what} is not an array`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number' || !Number.isFinite(value[i])) throw new UserError(name, `a V8 profile whose ${what} holds a non-number at index ${i}: ${JSON.stringify(value[i])?.slice(0, 40)}`);
  }
  return value as number[];
}
