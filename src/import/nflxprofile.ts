// Netflix's nflxprofile (protobuf, FlameScope's own format) into the one profile model.
// Decoded by protobufjs from the schema in `nflxprofile-schema.ts`; this module only maps what it decoded.
//
// What a file holds: `samples` (a node id per sample), `time_deltas` (seconds since the previous sample, the
// first since `start_time`), and `nodes` keyed by id. A node's stack is found one of three ways, chosen by the
// `params` flags as FlameScope's reader (the nflxprofile Python package) chooses:
// - `has_node_stack`: the node's `function_name` is the process name and its `stack` lists the frames root first
//   (what perf and V8 converters write today). The process name becomes the sample's comm, as in perf profiles.
// - `has_parent`: the node and its `parent`s up to one whose parent is 0 or absent (the root, node 0, is left out).
// - neither (old files): the tree of `children` from node 0, node 0 itself left out of its descendants' stacks.
// Frames keep their `function_name` (trimmed, as FlameScope trims) and their `libtype` becomes the frame's kind.
//
// Differences from FlameScope (documented in the README and tested in test/nflxprofile.test.ts):
// - Times are exact nanoseconds: start_time and each time delta rounded to the nanosecond, summed as integers.
//   FlameScope sums the doubles and bins the sum, so a sample on a row boundary whose sum falls a hair below it
//   (136087.39999999997 for .4) is one row lower there (and near Unix times, where a double steps by 238 ns, its
//   running sum drifts).
// - The heat map spans the samples (its last column holds the last sample); FlameScope's spans to `end_time`,
//   which we keep as the header's sample duration.
// - Frames of one caller with the same name and different libtypes are one node of our flame graph (two in
//   FlameScope's); a frame's source file is not kept (the model has no place for it yet).
// - `[unknown]` frames are user frames named `[unknown]`: FlameScope types them `kernel` only because its libtype
//   rule calls every dso that starts with `[` kernel, and perf's unresolved dso is `[unknown]`.
// - Names go through the display rules of perf frames (flamegraph/names.ts): an argument list is cut at its `(`,
//   quotes are removed, a name that starts with `(` without being one `(…)` pseudo-frame is left out.
// - Idle: swapper samples in an idle routine are idle, as in perf profiles; FlameScope counts every sample here.
// - Stacks stored by parents or children name no process: the samples' comm is `[unknown]`, so our flame graph
//   has a thread level there that FlameScope's has not.
import protobuf from 'protobufjs/light.js';
import { UserError } from '../errors';
import { NO_ID, noWarnings, type ProfileBuilder, type ProfileHeader } from '../parse/profile';
import type { Imported } from './imported';
import { NFLXPROFILE_SCHEMA } from './nflxprofile-schema';

/** A uint64 as protobufjs decodes it: a number, or a Long when the value may not fit one. */
type Uint64 = number | { toNumber(): number };

interface NflxFile {
  file_name: string;
  line?: number;
  column?: number;
}

interface NflxStackFrame {
  function_name: string;
  libtype?: string;
  file?: NflxFile;
}

interface NflxNode {
  function_name: string;
  hit_count: number;
  children: number[];
  libtype?: string;
  parent?: number;
  pid?: number;
  tid?: number;
  cpu?: number;
  value?: Uint64;
  stack: NflxStackFrame[];
  file?: NflxFile;
}

interface NflxProfile {
  start_time: number;
  end_time: number;
  samples: number[];
  time_deltas: number[];
  nodes: Record<string, NflxNode>;
  title?: string;
  description?: string;
  params: Record<string, string>;
  samples_cpu: number[];
  samples_pid: number[];
  samples_tid: number[];
  samples_value: Uint64[];
  idle_sample_count?: number;
}

/** The event every sample of an nflxprofile is given: the format does not say what was sampled. */
export const NFLXPROFILE_EVENT = 'samples';

/**
 * The module a frame is given for its libtype. The model reads a frame's kind from its module (perf's dso); an
 * nflxprofile states the kind instead, so each kind gets a module of that kind: the dso FlameScope's rule
 * (app/common/libtype.py) would have typed so. Only the kind is read from it: no name shows it.
 */
const MODULE_OF_LIBTYPE: Readonly<Record<string, string>> = {
  kernel: '[kernel]',
  jit: '/tmp/perf-0.map',
  inlined: 'inlined',
};
const USER_MODULE = '';
/** perf's unresolved frame: `[unknown]` names itself only with this module (see `frameName`). */
const UNKNOWN = '[unknown]';

/** The largest value a cpu column holds (Int16). */
const MAX_CPU = 0x7fff;
const MAX_ID = 0x7fffffff;

let profileType: protobuf.Type | null = null;

/** The Profile message type, built once from the schema. */
function nflxprofileType(): protobuf.Type {
  profileType ??= protobuf.Root.fromJSON(NFLXPROFILE_SCHEMA).lookupType('nflxprofile.Profile');
  return profileType;
}

/**
 * Whether the first bytes of a file look like an nflxprofile: protobuf serializers write fields in number order,
 * so a Profile starts with its two required doubles, `start_time` (tag 0x09) and `end_time` (tag 0x11), each
 * eight bytes, both plausible times; then, if there is more, the tag of another Profile field. Text never holds
 * byte 0x11, so no perf script, JSON or folded text looks like one.
 */
export function looksLikeNflxprofile(head: Uint8Array): boolean {
  if (head.length < 18 || head[0] !== 0x09 || head[9] !== 0x11) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const start = view.getFloat64(1, true);
  const end = view.getFloat64(10, true);
  if (!plausibleTime(start) || !plausibleTime(end)) return false;
  return head.length === 18 || isProfileTag(head[18]!);
}

/** Seconds since the Unix epoch (or since boot), up to the year 5000: not a double made of text bytes. */
function plausibleTime(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0 && seconds < 1e11;
}

/** A one-byte tag of Profile fields 3–13 with a wire type its schema allows (packed or not for the numbers). */
function isProfileTag(tag: number): boolean {
  const field = tag >> 3;
  const wire = tag & 7;
  switch (field) {
    case 3: case 9: case 10: case 11: case 12: // uint32/uint64 arrays: packed, or one varint each
      return wire === 2 || wire === 0;
    case 4: // doubles: packed, or eight bytes each
      return wire === 2 || wire === 1;
    case 5: case 6: case 7: case 8: // nodes, title, description, params
      return wire === 2;
    case 13:
      return wire === 0;
    default:
      return false;
  }
}

/**
 * Reads an nflxprofile into the builder, one sample per entry of `samples`, and returns what the perf parser's
 * `end()` returns. Damaged input (not protobuf, truncated, a required field missing, a sample of a node the file
 * does not have, arrays of different lengths, parents in a cycle) is a UserError naming the file.
 */
export function importNflxprofile(name: string, bytes: Uint8Array, builder: ProfileBuilder): Imported {
  const p = decode(name, bytes);
  const n = p.samples.length;
  if (n === 0) throw new UserError(name, 'no samples in this nflxprofile');
  if (p.time_deltas.length !== n) throw new UserError(name, `not a valid nflxprofile: ${n} samples but ${p.time_deltas.length} time deltas`);
  const cpus = perSample(name, p, 'cpu', p.samples_cpu);
  const pids = perSample(name, p, 'pid', p.samples_pid);
  const tids = perSample(name, p, 'tid', p.samples_tid);
  const values = p.params['hasValues'] === 'true' ? perSample(name, p, 'value', p.samples_value) : null;

  builder.beginFile(name);
  const stackOf = stackReader(name, p, builder);
  const event = builder.internEvent(NFLXPROFILE_EVENT);
  const valueMetric = values === null ? -1 : builder.internMetric('value');
  const commIds = new Map<number, number>();
  let noComm = -1;
  const stackNodeComm = p.params['has_node_stack'] === 'true';

  if (!Number.isFinite(p.start_time)) throw new UserError(name, `not a valid nflxprofile: start_time is ${p.start_time}`);
  const startSeconds = Math.floor(p.start_time);
  const startNanos = Math.round((p.start_time - startSeconds) * 1e9);
  // Nanoseconds since the start, an exact integer: each delta is rounded to the nanosecond and summed as integers
  // (a running sum of doubles drifts: near a Unix time, a double steps by 238 ns).
  let sinceStart = 0;
  let subMicrosecond = false;
  for (let i = 0; i < n; i++) {
    const id = p.samples[i]!;
    const node = nodeOf(name, p, id);
    const delta = p.time_deltas[i]!;
    sinceStart += Math.round(delta * 1e9);
    if (!Number.isSafeInteger(sinceStart)) throw new UserError(name, `not a valid nflxprofile: sample ${i + 1} has no usable time (time delta ${delta})`);
    const ns = startNanos + sinceStart;
    const carry = Math.floor(ns / 1e9);
    const seconds = startSeconds + carry;
    const nanos = ns - carry * 1e9;
    if (nanos % 1000 !== 0) subMicrosecond = true;

    let comm: number;
    if (stackNodeComm) {
      comm = commIds.get(id) ?? -1;
      if (comm < 0) commIds.set(id, (comm = builder.internComm(node.function_name.trim())));
    } else {
      // Stacks read from parents or children name no process.
      if (noComm < 0) noComm = builder.internComm(UNKNOWN);
      comm = noComm;
    }
    const pid = pids !== null ? pids[i]! : own(node, 'pid') ? checkedId(name, 'pid', node.pid!) : NO_ID;
    const tid = tids !== null ? tids[i]! : own(node, 'tid') ? checkedId(name, 'tid', node.tid!) : NO_ID;
    const cpu = cpus !== null ? cpus[i]! : own(node, 'cpu') ? checkedCpu(name, node.cpu!) : -1;
    if (valueMetric >= 0) builder.setMetric(valueMetric, values![i]!);
    builder.addSample({ seconds, nanos, stack: stackOf(id), event, comm, pid, tid, cpu, proc: builder.internProc(procToken(pid, tid)) });
  }
  if (subMicrosecond) builder.timeDigits = 9;

  const header: ProfileHeader = { events: [] };
  const duration = (p.end_time - p.start_time) * 1000;
  if (Number.isFinite(duration) && duration > 0) header.sampleDurationMs = duration;
  const warnings = noWarnings();
  warnings.recordLines = n;
  return { header, warnings, notices: [] };
}

/** The decoded message, or a UserError that says in one line why the bytes are not one. */
function decode(name: string, bytes: Uint8Array): NflxProfile {
  try {
    return nflxprofileType().decode(bytes) as unknown as NflxProfile;
  } catch (e) {
    // protobufjs says `index out of range: 3000 + 10 > 3000` when a field runs past the end.
    const message = e instanceof Error ? e.message : String(e);
    const why = message.startsWith('index out of range') ? 'truncated (a field runs past the end of the file)' : message;
    throw new UserError(name, `not a valid nflxprofile: ${why}`);
  }
}

/** Whether protobufjs read the field from the file (an absent optional field is only the prototype's default). */
function own<K extends keyof NflxNode>(node: NflxNode, key: K): boolean {
  return Object.prototype.hasOwnProperty.call(node, key);
}

function nodeOf(name: string, p: NflxProfile, id: number): NflxNode {
  const node = Object.prototype.hasOwnProperty.call(p.nodes, id) ? p.nodes[id] : undefined;
  if (node === undefined) throw new UserError(name, `not a valid nflxprofile: node ${id} is named but the file does not have it`);
  return node;
}

/**
 * A per-sample array as numbers, or null when the file does not have one: `has_samples_<what>` says so, and
 * converters set it even when they wrote none (the Netflix fixture: `has_samples_cpu` and no cpus), so an empty
 * array is none. One of another length than `samples` is damage.
 */
function perSample(name: string, p: NflxProfile, what: 'cpu' | 'pid' | 'tid' | 'value', raw: readonly Uint64[]): Float64Array | null {
  if (raw.length === 0) return null;
  if (what !== 'value' && p.params[`has_samples_${what}`] === 'false') return null;
  if (raw.length !== p.samples.length) throw new UserError(name, `not a valid nflxprofile: ${p.samples.length} samples but ${raw.length} samples_${what} entries`);
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    const x = typeof v === 'number' ? v : v.toNumber();
    out[i] = what === 'cpu' ? checkedCpu(name, x) : what === 'value' ? x : checkedId(name, what, x);
  }
  return out;
}

function checkedCpu(name: string, cpu: number): number {
  if (cpu > MAX_CPU) throw new UserError(name, `not a valid nflxprofile: cpu ${cpu} (more than ${MAX_CPU})`);
  return cpu;
}

function checkedId(name: string, what: string, id: number): number {
  if (id > MAX_ID) throw new UserError(name, `not a valid nflxprofile: ${what} ${id} (more than ${MAX_ID})`);
  return id;
}

/** The pid/tid token as perf prints it: `pid/tid`, a lone tid, `pid/` with no tid, '' with neither. */
function procToken(pid: number, tid: number): string {
  if (pid === NO_ID) return tid === NO_ID ? '' : String(tid);
  return `${pid}/${tid === NO_ID ? '' : tid}`;
}

/** The builder's frame for a function name and libtype. */
function frameOf(builder: ProfileBuilder, functionName: string, libtype: string | undefined): number {
  const symbol = functionName.trim();
  const module = symbol === UNKNOWN ? UNKNOWN : (MODULE_OF_LIBTYPE[libtype ?? ''] ?? USER_MODULE);
  return builder.internFrame(symbol, module, '', 0);
}

/** Node id → stack id, each node's stack interned once, by the way the file's params say stacks are stored. */
function stackReader(name: string, p: NflxProfile, builder: ProfileBuilder): (id: number) => number {
  const memo = new Map<number, number>();
  if (p.params['has_node_stack'] === 'true') {
    return (id) => {
      let stack = memo.get(id);
      if (stack === undefined) {
        stack = -1;
        for (const f of nodeOf(name, p, id).stack) stack = builder.internStack(stack, frameOf(builder, f.function_name, f.libtype));
        memo.set(id, stack);
      }
      return stack;
    };
  }
  if (p.params['has_parent'] === 'true') return (id) => parentStack(name, p, builder, memo, id);
  childrenStacks(name, p, builder, memo);
  return (id) => {
    const stack = memo.get(id);
    if (stack === undefined) {
      nodeOf(name, p, id);
      throw new UserError(name, `not a valid nflxprofile: node ${id} is not in the tree of children from node 0`);
    }
    return stack;
  };
}

/**
 * The stack of a node whose callers are its `parent`s: the node, its parent, … up to a node whose parent is 0 or
 * absent (FlameScope stops there, leaving the root out). Walks up only to the first node already known.
 */
function parentStack(name: string, p: NflxProfile, builder: ProfileBuilder, memo: Map<number, number>, id: number): number {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const chain: number[] = [];
  const limit = Object.keys(p.nodes).length;
  let base = -1;
  for (let at = id; ; ) {
    const seen = memo.get(at);
    if (seen !== undefined) {
      base = seen;
      break;
    }
    chain.push(at);
    if (chain.length > limit) throw new UserError(name, `not a valid nflxprofile: the parents of node ${id} form a cycle`);
    const parent = nodeOf(name, p, at).parent;
    if (parent === undefined || parent === 0) break;
    at = parent;
  }
  let stack = base;
  for (let k = chain.length - 1; k >= 0; k--) {
    const node = p.nodes[chain[k]!]!;
    stack = builder.internStack(stack, frameOf(builder, node.function_name, node.libtype));
    memo.set(chain[k]!, stack);
  }
  return stack;
}

/**
 * Old files: every node's stack from the tree of `children` under node 0, breadth first, each node once.
 * Node 0 is the root: its own stack is itself, and its children's stacks start with them (FlameScope's reading).
 */
function childrenStacks(name: string, p: NflxProfile, builder: ProfileBuilder, memo: Map<number, number>): void {
  if (!Object.prototype.hasOwnProperty.call(p.nodes, 0)) return;
  const root = p.nodes[0]!;
  memo.set(0, builder.internStack(-1, frameOf(builder, root.function_name, root.libtype)));
  const queue: number[] = [0];
  for (let head = 0; head < queue.length; head++) {
    const parentId = queue[head]!;
    const above = parentId === 0 ? -1 : memo.get(parentId)!;
    for (const child of nodeOf(name, p, parentId).children) {
      if (memo.has(child)) continue;
      const node = nodeOf(name, p, child);
      memo.set(child, builder.internStack(above, frameOf(builder, node.function_name, node.libtype)));
      queue.push(child);
    }
  }
}
