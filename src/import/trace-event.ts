// Chrome trace events (`[...]` or `{"traceEvents": [...]}`), as Chrome DevTools' "Save profile", `chrome://tracing`
// and `node --trace-events-enabled` write them.
//
// Samples come from V8's CPU profiler when the trace has them: a `Profile` event (its `args.data.startTime`) and
// the `ProfileChunk` events of the same (pid, id), whose call-tree nodes arrive a few at a time
// (`args.data.cpuProfile.nodes`, each with its `parent`) with their samples and `args.data.timeDeltas`; older
// Chrome wrote one `CpuProfile` event with the whole profile. They are read as a .cpuprofile is
// (`cpuprofile.ts`), one profile per (pid, id), named after the thread of its `Profile` event.
//
// A trace without profiler samples (Node writes none unless a profiler runs, even with the
// `disabled-by-default-v8.cpu_profiler` category) still has slices: `B`/`E` pairs and `X` complete events, on
// threads. Then we sample the slices as a profiler would: every millisecond of wall time (ticks at whole
// milliseconds of the trace clock) on which a thread is inside a slice is one sample, whose stack is the slices
// open on that thread then, outermost first (event `trace-slices`). FlameScope also turns slices into samples,
// but differently: its heat map counts every 10 ms bucket that a root slice touches (so a 30 µs slice counts as
// much as a 10 ms one), and its flame graph weighs each slice by its CPU share (`tdur`/`dur`), skipping `X`
// slices without a `tdur`. We keep wall time for both views, so that the heat map and the flame graph agree.
// When a trace has profiler samples, its slices are left out (counted in a notice): they are not samples.
// Everything else (async `b`/`e`, instants, counters, flows, marks) is left out and counted.
import { UserError } from '../errors';
import { TRACE_MODULE_PREFIX } from '../flamegraph/names';
import { noWarnings, type ProfileBuilder } from '../parse/profile';
import { addV8Samples, checkNodes, checkNumbers, splitMicros, unknownNodesNotice, V8_EVENT, type V8Node } from './cpuprofile';
import type { Imported } from './imported';

/** The event of samples taken from slices. */
export const SLICE_EVENT = 'trace-slices';
/** One slice sample per millisecond of a thread inside slices (µs). */
export const SLICE_TICK_US = 1000;
/**
 * A bound on slice samples (8.4 million: 2.3 hours of busy thread time), checked before any is made: a corrupt
 * `dur` of years must give an error, not minutes of work and gigabytes of columns.
 */
const MAX_SLICE_SAMPLES = 1 << 23;

interface RawEvent {
  ph: string;
  name?: unknown;
  cat?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
  dur?: unknown;
  id?: unknown;
  args?: unknown;
}

/** A V8 profile gathered from a Profile event and its chunks. */
interface ChunkedProfile {
  /** The profile's id as the trace writes it (`0x1`). */
  id: string;
  pid: number;
  tid: number;
  startTime: number;
  nodes: V8Node[];
  samples: number[];
  timeDeltas: number[];
}

interface Slice {
  name: string;
  cat: string;
  start: number;
  end: number;
}

/** The events of a parsed trace (array or `{traceEvents}`), already checked by `jsonKind`. */
export function traceEventsOf(value: unknown): RawEvent[] {
  return (Array.isArray(value) ? value : (value as { traceEvents: unknown[] }).traceEvents) as RawEvent[];
}

export function importTraceEvents(name: string, value: unknown, builder: ProfileBuilder): Imported {
  const events = traceEventsOf(value);
  builder.beginFile(name);
  const threadNames = new Map<string, string>();
  const processNames = new Map<number, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    const label = nameArg(e.args);
    if (label === null) continue;
    if (e.name === 'thread_name') threadNames.set(threadKey(num(e.pid), num(e.tid)), label);
    else if (e.name === 'process_name') processNames.set(num(e.pid), label);
  }
  const commOf = (pid: number, tid: number): string => threadNames.get(threadKey(pid, tid)) ?? processNames.get(pid) ?? `pid ${pid}`;

  const notices: string[] = [];
  const profiles = gatherProfiles(name, events, notices);
  const ignored = new Map<string, number>();
  const count = (what: string): void => {
    ignored.set(what, (ignored.get(what) ?? 0) + 1);
  };
  if (profiles.length > 0) {
    const shared = sharedThreads(profiles);
    for (const [key, ids] of shared) {
      const [pid, tid] = key.split('/').map(Number) as [number, number];
      const names = ids.map((id) => `${JSON.stringify(`${commOf(pid, tid)} (profile ${id})`)}`).join(', ');
      notices.push(`${ids.length} V8 profiles sample thread ${tid} at once (node --cpu-prof beside the trace's own profiler?): each is counted, under its own thread name (${names}); pick one with a --comm pattern such as 'profile ${ids[0]}'`);
    }
    for (const p of profiles) {
      if (p.samples.length !== p.timeDeltas.length) {
        throw new UserError(name, `a trace whose V8 profile on thread ${p.tid} has ${p.samples.length} samples but ${p.timeDeltas.length} timeDeltas`);
      }
      const comm = shared.has(threadKey(p.pid, p.tid)) ? `${commOf(p.pid, p.tid)} (profile ${p.id})` : commOf(p.pid, p.tid);
      const unknown = addV8Samples(builder, p, { comm, pid: p.pid, tid: p.tid });
      if (unknown.count > 0) notices.push(unknownNodesNotice(unknown));
    }
    for (const e of events) if (e.ph === 'B' || e.ph === 'E' || e.ph === 'X') count('slices (B/E/X)');
  } else {
    sampleSlices(name, events, builder, commOf, count, notices);
  }
  for (const e of events) {
    if (e.ph === 'M' || e.ph === 'B' || e.ph === 'E' || e.ph === 'X' || isProfileEvent(e)) continue;
    count(Object.hasOwn(PHASES, e.ph) ? `${phaseName(e.ph)} (${e.ph})` : phaseName(e.ph));
  }
  if (ignored.size > 0) {
    const list = [...ignored].map(([what, n]) => `${n.toLocaleString('en-US')} ${what}`).join(', ');
    notices.push(`left out trace events that are not samples: ${list}`);
  }
  const header = { events: [profiles.length > 0 ? V8_EVENT : SLICE_EVENT] };
  return { header, warnings: noWarnings(), notices };
}

/** Threads that more than one profile samples: their profiles' ids, in order. */
function sharedThreads(profiles: readonly ChunkedProfile[]): Map<string, string[]> {
  const byThread = new Map<string, string[]>();
  for (const p of profiles) {
    const key = threadKey(p.pid, p.tid);
    byThread.set(key, [...(byThread.get(key) ?? []), p.id]);
  }
  for (const [key, ids] of byThread) if (ids.length < 2) byThread.delete(key);
  return byThread;
}

function isProfileEvent(e: RawEvent): boolean {
  return e.name === 'Profile' || e.name === 'ProfileChunk' || e.name === 'CpuProfile';
}

/** The V8 profiles of a trace, by (pid, id), in the order their Profile events come. */
function gatherProfiles(name: string, events: readonly RawEvent[], notices: string[]): ChunkedProfile[] {
  const byId = new Map<string, ChunkedProfile>();
  const out: ChunkedProfile[] = [];
  let orphanChunks = 0;
  for (const e of events) {
    if (!isProfileEvent(e)) continue;
    const data = (e.args as { data?: Record<string, unknown> } | undefined)?.data;
    if (typeof data !== 'object' || data === null) continue;
    const pid = num(e.pid);
    const tid = num(e.tid);
    if (e.name === 'CpuProfile') {
      // Older Chrome: the whole profile in one event.
      const cp = data['cpuProfile'] as Record<string, unknown> | undefined;
      if (typeof cp !== 'object' || cp === null) continue;
      const p: ChunkedProfile = { id: String(e.id ?? out.length + 1), pid, tid, startTime: num(cp['startTime']), nodes: checkNodes(name, cp['nodes']), samples: [], timeDeltas: [] };
      append(p.samples, checkNumbers(name, 'samples', cp['samples'] ?? []));
      append(p.timeDeltas, checkNumbers(name, 'timeDeltas', cp['timeDeltas'] ?? data['timeDeltas'] ?? []));
      out.push(p);
      continue;
    }
    const key = `${pid}:${String(e.id)}`;
    if (e.name === 'Profile') {
      const p: ChunkedProfile = { id: String(e.id), pid, tid, startTime: num(data['startTime']), nodes: [], samples: [], timeDeltas: [] };
      byId.set(key, p);
      out.push(p);
      continue;
    }
    const p = byId.get(key);
    if (p === undefined) {
      orphanChunks++;
      continue;
    }
    const cp = data['cpuProfile'] as Record<string, unknown> | undefined;
    if (typeof cp === 'object' && cp !== null) {
      if (cp['nodes'] !== undefined) append(p.nodes, checkNodes(name, cp['nodes']));
      if (cp['samples'] !== undefined) append(p.samples, checkNumbers(name, 'samples', cp['samples']));
    }
    if (data['timeDeltas'] !== undefined) append(p.timeDeltas, checkNumbers(name, 'timeDeltas', data['timeDeltas']));
  }
  if (orphanChunks > 0) notices.push(`left out ${orphanChunks} ProfileChunk event${orphanChunks === 1 ? '' : 's'} without a Profile event of the same id (no start time)`);
  return out.filter((p) => p.samples.length > 0);
}

/**
 * Slices per thread, then one sample per tick a thread is inside one. `B`/`E` pair up per thread in the order
 * they come (an `E` closes the latest open `B`, as Chrome's viewer pairs them).
 */
function sampleSlices(
  name: string,
  events: readonly RawEvent[],
  builder: ProfileBuilder,
  commOf: (pid: number, tid: number) => string,
  count: (what: string) => void,
  notices: string[],
): void {
  const threads = new Map<string, { pid: number; tid: number; slices: Slice[]; open: Slice[] }>();
  const threadOf = (e: RawEvent) => {
    const pid = num(e.pid);
    const tid = num(e.tid);
    const key = threadKey(pid, tid);
    let t = threads.get(key);
    if (t === undefined) threads.set(key, (t = { pid, tid, slices: [], open: [] }));
    return t;
  };
  for (const e of events) {
    if (e.ph !== 'B' && e.ph !== 'E' && e.ph !== 'X') continue;
    const ts = e.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      count('slices without a timestamp');
      continue;
    }
    const t = threadOf(e);
    if (e.ph === 'X') {
      const dur = typeof e.dur === 'number' && Number.isFinite(e.dur) ? e.dur : 0;
      if (dur > 0) t.slices.push({ name: String(e.name ?? ''), cat: String(e.cat ?? ''), start: ts, end: ts + dur });
      else count('X slices of no duration');
    } else if (e.ph === 'B') {
      t.open.push({ name: String(e.name ?? ''), cat: String(e.cat ?? ''), start: ts, end: NaN });
    } else {
      const s = t.open.pop();
      if (s === undefined) count('E events without a B');
      else if (ts > s.start) t.slices.push({ ...s, end: ts });
      else count('B/E slices of no duration');
    }
  }
  for (const t of threads.values()) t.slices.sort((a, b) => a.start - b.start || b.end - a.end);
  const ticks = [...threads.values()].reduce((n, t) => n + ticksCovered(t.slices), 0);
  if (ticks > MAX_SLICE_SAMPLES) {
    throw new UserError(name, `the trace's slices cover ${Math.round(ticks).toLocaleString('en-US')} ms of thread time, more than the ${MAX_SLICE_SAMPLES.toLocaleString('en-US')} samples one profile takes from slices: a corrupt duration?`);
  }
  const event = builder.internEvent(SLICE_EVENT);
  let total = 0;
  for (const t of threads.values()) {
    if (t.open.length > 0) for (let k = 0; k < t.open.length; k++) count('B events never ended');
    const comm = builder.internComm(commOf(t.pid, t.tid));
    const proc = builder.internProc(`${t.pid}/${t.tid}`);
    // Outer slices first (sorted above): by start, the longer of two that start together first.
    const frames = new Map<Slice, number>();
    const frameOf = (s: Slice): number => {
      let f = frames.get(s);
      if (f === undefined) frames.set(s, (f = builder.internFrame(s.name, `${TRACE_MODULE_PREFIX} ${s.cat}`, '', 0)));
      return f;
    };
    let open: Slice[] = [];
    let next = 0;
    let tick = -Infinity;
    while (next < t.slices.length || open.length > 0) {
      tick = open.length === 0 ? Math.max(tick + SLICE_TICK_US, Math.ceil(t.slices[next]!.start / SLICE_TICK_US) * SLICE_TICK_US) : tick + SLICE_TICK_US;
      while (next < t.slices.length && t.slices[next]!.start <= tick) open.push(t.slices[next++]!);
      // Slices end in any order when they are not nested well (two X slices that overlap): keep those still open.
      open = open.filter((s) => s.end > tick);
      if (open.length === 0) continue;
      let stack = -1;
      for (const s of open) stack = builder.internStack(stack, frameOf(s));
      const { seconds, nanos } = splitMicros(tick);
      builder.addSample({ seconds, nanos, stack, event, comm, pid: t.pid, tid: t.tid, cpu: -1, proc });
      total++;
    }
  }
  if (total > 0) notices.push(`no V8 profiler samples in this trace: its B/E/X slices are sampled every ${SLICE_TICK_US / 1000} ms of wall time instead (event ${SLICE_EVENT})`);
}

/** `push(...items)` without spreading: a chunk of 100,000 samples would overflow the call stack. */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

/** An upper bound on the ticks a thread's slices (sorted by start) cover: their union's length in ticks, plus one per piece. */
function ticksCovered(sorted: readonly Slice[]): number {
  let ticks = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const s of sorted) {
    if (s.start > to) {
      if (to > from) ticks += (to - from) / SLICE_TICK_US + 1;
      from = s.start;
      to = s.end;
    } else if (s.end > to) {
      to = s.end;
    }
  }
  if (to > from) ticks += (to - from) / SLICE_TICK_US + 1;
  return ticks;
}

function threadKey(pid: number, tid: number): string {
  return `${pid}/${tid}`;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function nameArg(args: unknown): string | null {
  const n = (args as { name?: unknown } | undefined)?.name;
  return typeof n === 'string' ? n : null;
}

const PHASES: Record<string, string> = {
  b: 'async begins',
  e: 'async ends',
  n: 'async instants',
  S: 'async begins',
  T: 'async steps',
  p: 'async steps',
  F: 'async ends',
  I: 'instants',
  i: 'instants',
  C: 'counters',
  s: 'flow events',
  t: 'flow events',
  f: 'flow events',
  P: 'sample events',
  N: 'object events',
  O: 'object events',
  D: 'object events',
  R: 'marks',
  c: 'clock syncs',
};

function phaseName(ph: string): string {
  return Object.hasOwn(PHASES, ph) ? PHASES[ph]! : 'events of other phases';
}
