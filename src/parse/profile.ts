// The one profile model every input reaches and every output reads from.
// Columnar and compact: interned frames, a trie of unique stacks, and per-sample typed arrays.

/** One frame as perf printed it, after the `+0x` offset is stripped. Naming rules live in `flamegraph/names`. */
export interface Frame {
  /** Symbol text as printed (`[unknown]` when unresolved), one piece of a `a->b` inline chain. */
  readonly symbol: string;
  /** The dso inside the last parentheses: `[kernel.kallsyms]`, `/usr/lib/libc.so.6`, `/tmp/perf-42.map`. */
  readonly module: string;
  /** The program counter, kept only for unresolved frames (for `--addrs`); '' otherwise. */
  readonly address: string;
  /** Position in a perf-map-agent `a->b->c` chain: 0 for the first piece, >0 for inlined pieces. */
  readonly inlineDepth: number;
  /**
   * Only when the dso itself holds ` (`, as in `/usr/lib/libfoo.so.1 (deleted)`: the symbol as
   * stackcollapse-perf.pl and inferno read that line (their module is the last ` (…)`, `deleted)`, and their
   * symbol the rest, offset included: `foo+0x10 (/usr/lib/libfoo.so.1`), so that `collapse` can name it as they do.
   */
  readonly perlSymbol?: string;
}

/**
 * A series of numbers a sample may carry beside its stack: perf's period, flame_prof's
 * `metric_erlang_<key>: <value>, <delta>` (two series, `erlang_<key>` and `erlang_<key>_delta`). Values are exact
 * JS numbers, signed and fractional; NaN where a sample does not carry the metric (absent is not 0).
 */
export interface Metric {
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * The pid and tid of a pid/tid token as perf prints it: `4242/4250` is both; a lone number is a thread id (perf
 * prints `%d` of the tid when pid is not asked for); anything else (flame_prof's `0.245.0`) is a process.
 */
export function idsOf(token: string): { pid: string; tid: string } {
  const slash = token.indexOf('/');
  if (slash >= 0) return { pid: token.slice(0, slash), tid: token.slice(slash + 1) };
  return /^-?\d+$/.test(token) ? { pid: '', tid: token } : { pid: token, tid: token };
}

/** The pid or tid of a sample whose header did not print one (perf script -F without pid/tid). */
export const NO_ID = -2147483648;

/** Metadata from the `perf script --header` block; every field is absent when the file has no header. */
export interface ProfileHeader {
  hostname?: string;
  osRelease?: string;
  perfVersion?: string;
  arch?: string;
  cpuDescription?: string;
  cpusOnline?: number;
  cpusAvailable?: number;
  totalMemory?: string;
  cmdline?: string;
  capturedOn?: string;
  /** Event names from `# event : name = ...` lines, in header order. */
  events: string[];
  /** `# sample duration : 5001.989 ms`, in milliseconds. */
  sampleDurationMs?: number;
}

export interface ParseWarnings {
  /** Lines that could not be parsed and were skipped, with the records they belonged to. */
  skippedLines: number;
  firstSkippedLine: number;
  firstSkippedText: string;
  /** Lines of records read (not blank, not `#` comments): tells a few odd lines from a file mostly unread. */
  recordLines: number;
  /**
   * Side-band records (`perf script --show-task-events`, `--show-mmap-events`, ...: `PERF_RECORD_COMM`,
   * `PERF_RECORD_MMAP2`, `PERF_RECORD_FORK`, `PERF_RECORD_EXIT`): not samples, so left out of the profile.
   */
  sideBandRecords: number;
  /** Their kinds, in order of first appearance (at most a few). */
  sideBandKinds: string[];
  /** Samples whose period was beyond 2^53 (or `Infinity`), counted as ±2^53−1 instead. */
  clampedPeriods: number;
  firstClampedLine: number;
  /** The largest step in time between two consecutive samples, when it is a jump (see `TIME_JUMP_SECONDS`). */
  timeJump?: TimeJump;
  /** When some samples have a timestamp and others not (a damaged line): how many have none, and the first. */
  untimed?: { samples: number; firstLine: number; file?: string };
  /** With several input files: the files of `firstSkippedLine` and `firstClampedLine`. */
  firstSkippedFile?: string;
  firstClampedFile?: string;
}

export function noWarnings(): ParseWarnings {
  return {
    skippedLines: 0,
    firstSkippedLine: 0,
    firstSkippedText: '',
    recordLines: 0,
    sideBandRecords: 0,
    sideBandKinds: [],
    clampedPeriods: 0,
    firstClampedLine: 0,
  };
}

/**
 * Consecutive samples (in file order) further apart than this, either way, are a time jump: two recordings
 * concatenated, or a corrupt timestamp. perf prints samples in time order, at most seconds apart on a busy
 * machine; an hour without a single sample is worth a warning, since the heat map's width follows the time span.
 */
export const TIME_JUMP_SECONDS = 3600;

/** Where the time of a profile jumps: the input lines of the two samples and their timestamps (seconds as printed). */
export interface TimeJump {
  fromLine: number;
  toLine: number;
  from: number;
  to: number;
  /** With several input files: the files the two lines are in. */
  fromFile?: string;
  toFile?: string;
}

export interface Profile {
  /** The input's name as the user gave it (`<stdin>` for `-`); for several files `a.log and 2 more` (see `files`). */
  readonly source: string;
  readonly header: ProfileHeader;
  readonly frames: readonly Frame[];
  /** Stack trie: stack `s` is `stackParent[s]` (−1 for a root-most frame) plus frame `stackFrame[s]`. */
  readonly stackParent: Int32Array;
  readonly stackFrame: Int32Array;
  /** Event names as perf printed them, modifiers kept (`cycles:u`), in order of first appearance. */
  readonly events: readonly string[];
  /** Thread names (comm), interned. */
  readonly comms: readonly string[];

  /**
   * The input files, in the order their samples were read (by first timestamp when there are several; see
   * `parse/input`). `source` names them for messages.
   */
  readonly files: readonly string[];
  /** Per-sample metrics, in order of first appearance: `period`, then `metric_<key>` values and deltas. */
  readonly metrics: readonly Metric[];
  /** The pid/tid column as printed (`4242/4250`, flame_prof's `0.245.0`, '' when absent), interned. */
  readonly procs: readonly string[];

  readonly sampleCount: number;
  /** Whether every sample has a timestamp; without them there is no heat map and no time range. */
  readonly hasTime: boolean;
  /** Origin of the time axis: floor of the earliest timestamp, in whole seconds. */
  readonly t0: number;
  /** Per sample: nanoseconds since `t0` (exact integers in a double), NaN when the sample has no timestamp. */
  readonly time: Float64Array;
  /** Fraction digits perf printed (6 = µs, 9 = ns). */
  readonly timeDigits: number;
  /** Per sample: stack id, −1 for a sample with no frames. */
  readonly stack: Int32Array;
  readonly event: Uint16Array;
  readonly comm: Uint32Array;
  /** Per sample: process id, `NO_ID` when perf printed only a thread id, none, or a non-numeric one. */
  readonly pid: Int32Array;
  /** Per sample: thread id (−1 for perf's exiting `:-1` thread), `NO_ID` when absent. */
  readonly tid: Int32Array;
  /** Per sample: CPU, −1 when not sampled. */
  readonly cpu: Int16Array;
  /** Per sample: index into `procs`. */
  readonly proc: Uint32Array;
  /** Per sample: index into `files`. */
  readonly file: Uint16Array;
  /** Per sample: 1 when the sample is the kernel idle loop (see `parse/idle`). */
  readonly idle: Uint8Array;

  readonly warnings: ParseWarnings;
}

/**
 * A growable column of 32-bit integers; `view` gives the values pushed as the model's array type. One
 * class per kind of typed array (this one and `ShortColumn`, not one generic class), so that each `push` stays
 * monomorphic: a push that sees five kinds of typed array is several times slower, and it runs for every column
 * of every sample.
 */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** The values pushed so far, without a copy: valid until the column is written again. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
  /** The values as a Uint32Array: the same bits (a value pushed in [2^31, 2^32) comes back as pushed). */
  viewUint32(): Uint32Array {
    return new Uint32Array(this.data.buffer, 0, this.length);
  }
}

/** A growable column of 16-bit values (event, file, cpu), kept in 2 bytes a sample like the model's arrays. */
class ShortColumn {
  private data = new Uint16Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint16Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  viewUint16(): Uint16Array {
    return this.data.subarray(0, this.length);
  }
  /** The same bits as an Int16Array: what storing each value into an Int16Array gives (both wrap modulo 2^16). */
  viewInt16(): Int16Array {
    return new Int16Array(this.data.buffer, 0, this.length);
  }
}

/** A growable column of doubles. */
class FloatColumn {
  private data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** Sets an element already pushed. */
  set(index: number, value: number): void {
    this.data[index] = value;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export interface SampleFields {
  /** Absolute timestamp: whole seconds and nanoseconds, or `seconds` NaN when absent. */
  seconds: number;
  nanos: number;
  stack: number;
  event: number;
  comm: number;
  pid: number;
  tid: number;
  cpu: number;
  /** Index into the builder's procs (see `internProc`). */
  proc: number;
  /** The input line the sample starts on, for messages (0 when unknown). */
  line?: number;
  /** The profiler itself marked the sample idle (V8's `(idle)`); perf samples are judged by the IdleRule. */
  idle?: boolean;
}

/**
 * Builds a Profile incrementally: interns frames, stacks, events and comms, and appends samples.
 * Parsers of any input format feed this; nothing downstream sees the format.
 */
export class ProfileBuilder {
  readonly frames: Frame[] = [];
  private readonly frameIds = new Map<string, number>();
  private readonly stackParent = new IntColumn();
  private readonly stackFrame = new IntColumn();
  /**
   * The stack trie's index: open addressing, slot → stack id + 1 (0: free), keyed by the (parent, frame) pair read
   * back from the columns. A Map keyed by one number made of the pair allocated a heap number per lookup.
   */
  private stackSlots = new Int32Array(1 << 12);
  readonly events: string[] = [];
  private readonly eventIds = new Map<string, number>();
  readonly comms: string[] = [];
  private readonly commIds = new Map<string, number>();

  readonly procs: string[] = [];
  private readonly procIds = new Map<string, number>();
  readonly files: string[] = [];
  /** The file samples are read from now (an index into `files`). */
  currentFile = 0;
  private readonly metricNames: string[] = [];
  private readonly metricIds = new Map<string, number>();
  private readonly metricColumns: FloatColumn[] = [];
  /** The metric values of the sample being read, set with `setMetric` and taken by `addSample`. */
  private pendingMetric: number[] = [];
  private pendingIds: number[] = [];

  private readonly time = new FloatColumn();
  private readonly stack = new IntColumn();
  private readonly proc = new IntColumn();
  private readonly file = new ShortColumn();
  private readonly event = new ShortColumn();
  private readonly comm = new IntColumn();
  private readonly pid = new IntColumn();
  private readonly tid = new IntColumn();
  private readonly cpu = new ShortColumn();
  /** Samples an importer marked idle (see SampleFields.idle): few formats mark any, so a list, not a column. */
  private readonly markedIdle: number[] = [];

  /** Whole seconds that `time` is relative to while building (the first timestamp seen). */
  private base = NaN;
  private minSeconds = Infinity;
  private untimed = 0;
  private firstUntimedLine = 0;
  private firstUntimedFile = 0;
  /** The previous timed sample, and the largest step between two consecutive ones so far (files by index). */
  private previous: { seconds: number; nanos: number; line: number; file: number } | null = null;
  private largestStepNs = 0;
  private largestStep: { jump: TimeJump; fromFile: number; toFile: number } | null = null;
  timeDigits = 6;

  internFrame(symbol: string, module: string, address: string, inlineDepth: number, perlSymbol?: string): number {
    const key =
      perlSymbol === undefined
        ? `${symbol}\0${module}\0${address}\0${inlineDepth}`
        : `${symbol}\0${module}\0${address}\0${inlineDepth}\0${perlSymbol}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push(perlSymbol === undefined ? { symbol, module, address, inlineDepth } : { symbol, module, address, inlineDepth, perlSymbol });
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** The stack id of `frame` called from stack `parent` (−1 for none). */
  internStack(parent: number, frame: number): number {
    const parents = this.stackParent.data;
    const frames = this.stackFrame.data;
    const slots = this.stackSlots;
    const mask = slots.length - 1;
    let s = pairHash(parent, frame) & mask;
    for (let e = slots[s]!; e !== 0; e = slots[s]!) {
      if (frames[e - 1] === frame && parents[e - 1] === parent) return e - 1;
      s = (s + 1) & mask;
    }
    const id = this.stackParent.length;
    this.stackParent.push(parent);
    this.stackFrame.push(frame);
    slots[s] = id + 1;
    if ((id + 1) * 2 > slots.length) this.growStackSlots();
    return id;
  }

  private growStackSlots(): void {
    const slots = new Int32Array(this.stackSlots.length * 2);
    const mask = slots.length - 1;
    const parents = this.stackParent.data;
    const frames = this.stackFrame.data;
    for (let id = 0; id < this.stackParent.length; id++) {
      let s = pairHash(parents[id]!, frames[id]!) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.stackSlots = slots;
  }

  internEvent(name: string): number {
    let id = this.eventIds.get(name);
    if (id === undefined) {
      id = this.events.length;
      // The event column holds 16-bit ids; a real recording has a handful of events, a corrupt one may not.
      if (id > 0xffff) throw new Error(`more than ${0x10000} distinct event names: not a perf script recording`);
      this.events.push(name);
      this.eventIds.set(name, id);
    }
    return id;
  }

  internComm(name: string): number {
    let id = this.commIds.get(name);
    if (id === undefined) {
      id = this.comms.length;
      this.comms.push(name);
      this.commIds.set(name, id);
    }
    return id;
  }

  internProc(token: string): number {
    let id = this.procIds.get(token);
    if (id === undefined) {
      id = this.procs.length;
      this.procs.push(token);
      this.procIds.set(token, id);
    }
    return id;
  }

  /** Starts reading another file: its samples are marked with it. */
  beginFile(name: string): void {
    if (this.files.length >= 0xffff) throw new Error(`more than ${0xffff} input files`);
    this.currentFile = this.files.length;
    this.files.push(name);
  }

  /** The id of a metric, made on first use (earlier samples do not carry it: NaN). */
  internMetric(name: string): number {
    let id = this.metricIds.get(name);
    if (id === undefined) {
      id = this.metricNames.length;
      this.metricNames.push(name);
      this.metricIds.set(name, id);
      const column = new FloatColumn();
      for (let k = 0; k < this.stack.length; k++) column.push(NaN);
      this.metricColumns.push(column);
    }
    return id;
  }

  /** A metric value of the next sample added. */
  setMetric(id: number, value: number): void {
    this.pendingIds.push(id);
    this.pendingMetric.push(value);
  }

  get sampleCount(): number {
    return this.stack.length;
  }

  addSample(s: SampleFields): void {
    if (Number.isNaN(s.seconds)) {
      if (this.untimed++ === 0) {
        this.firstUntimedLine = s.line ?? 0;
        this.firstUntimedFile = this.currentFile;
      }
      this.time.push(NaN);
    } else {
      if (Number.isNaN(this.base)) this.base = s.seconds;
      if (s.seconds < this.minSeconds) this.minSeconds = s.seconds;
      if (s.seconds < this.windowMinSeconds) this.windowMinSeconds = s.seconds;
      this.time.push((s.seconds - this.base) * 1e9 + s.nanos);
      this.noteStep(s.seconds, s.nanos, s.line ?? 0);
    }
    const n = this.stack.length;
    if (s.idle === true) this.markedIdle.push(n);
    this.stack.push(s.stack);
    const columns = this.metricColumns;
    const ids = this.pendingIds;
    // Usually every metric of the file, in the order first seen (a period; flame_prof's 32): one push each.
    let inOrder = ids.length === columns.length;
    for (let k = 0; inOrder && k < ids.length; k++) inOrder = ids[k] === k;
    if (inOrder) {
      for (let k = 0; k < columns.length; k++) columns[k]!.push(this.pendingMetric[k]!);
    } else {
      for (const column of columns) column.push(NaN);
      for (let k = 0; k < ids.length; k++) columns[ids[k]!]!.set(n, this.pendingMetric[k]!);
    }
    this.pendingIds.length = 0;
    this.pendingMetric.length = 0;
    this.proc.push(s.proc);
    this.file.push(this.currentFile);
    this.event.push(s.event);
    this.comm.push(s.comm);
    this.pid.push(s.pid);
    this.tid.push(s.tid);
    this.cpu.push(s.cpu);
    if (this.window !== null && this.stack.length >= this.window.samples) this.takeWindow();
  }

  private noteStep(seconds: number, nanos: number, line: number): void {
    const p = this.previous;
    if (p !== null) {
      const step = Math.abs((seconds - p.seconds) * 1e9 + (nanos - p.nanos));
      if (step > this.largestStepNs) {
        this.largestStepNs = step;
        const jump = { fromLine: p.line, toLine: line, from: p.seconds + p.nanos / 1e9, to: seconds + nanos / 1e9 };
        this.largestStep = { jump, fromFile: p.file, toFile: this.currentFile };
      }
      p.seconds = seconds;
      p.nanos = nanos;
      p.line = line;
      p.file = this.currentFile;
    } else {
      this.previous = { seconds, nanos, line, file: this.currentFile };
    }
  }

  finish(source: string, header: ProfileHeader, warnings: ParseWarnings, isIdle: IdleRule): Profile {
    // Line numbers start again in each file: with several, a line is named with its file.
    const several = this.files.length > 1;
    const step = this.largestStep;
    if (step !== null && this.largestStepNs > TIME_JUMP_SECONDS * 1e9) {
      warnings.timeJump = several ? { ...step.jump, fromFile: this.files[step.fromFile]!, toFile: this.files[step.toFile]! } : step.jump;
    }
    const total = this.totalSamples;
    if (this.untimed > 0 && this.untimed < total) {
      warnings.untimed = { samples: this.untimed, firstLine: this.firstUntimedLine };
      if (several) warnings.untimed.file = this.files[this.firstUntimedFile]!;
    }
    const hasTime = total > 0 && this.untimed === 0;
    // Streaming: the samples since the last window, on their own t0 (see `streamWindows`).
    if (this.window !== null) return this.windowProfile(source, header, warnings, isIdle, hasTime);
    return this.profileOf(source, header, warnings, isIdle, hasTime, this.untimed < total ? this.minSeconds : NaN, false);
  }

  // ---- streaming in windows (issue 10: memory that stays flat from 100 MB to 4 GB of text) ----
  /** Samples handed out in windows already. */
  private taken = 0;
  private window: { samples: number; take: (window: Profile) => void; source: string; isIdle: IdleRule } | null = null;
  /** The earliest whole second of the samples of the window being filled. */
  private windowMinSeconds = Infinity;

  /** Samples added so far, those handed out in windows included. */
  get totalSamples(): number {
    return this.taken + this.stack.length;
  }

  /**
   * From now on, every `samples` samples are handed to `take` as a Profile of their own and dropped, so that a
   * command that only sums over samples (collapse, heatmap) holds a window of them, never the file. A window
   * shares the interned frames, stacks, events, comms, procs and metric names (so far) with every other; its
   * times are ns since its own t0 (the floor of its earliest timestamp), its arrays are views that are valid only
   * during `take`. `finish` then gives the last window, with the warnings and `hasTime` of the whole input.
   */
  streamWindows(samples: number, take: (window: Profile) => void, source: string, isIdle: IdleRule): void {
    this.window = { samples, take, source, isIdle };
  }

  private takeWindow(): void {
    const w = this.window!;
    const profile = this.windowProfile(w.source, { events: [] }, noWarnings(), w.isIdle, this.untimed === 0);
    this.taken += this.stack.length;
    for (const column of [this.stack, this.proc, this.comm, this.pid, this.tid]) column.length = 0;
    for (const column of [this.file, this.event, this.cpu]) column.length = 0;
    this.time.length = 0;
    for (const column of this.metricColumns) column.length = 0;
    this.markedIdle.length = 0;
    this.windowMinSeconds = Infinity;
    w.take(profile);
  }

  private windowProfile(source: string, header: ProfileHeader, warnings: ParseWarnings, isIdle: IdleRule, hasTime: boolean): Profile {
    return this.profileOf(source, header, warnings, isIdle, hasTime, this.windowMinSeconds, true);
  }
  // ---- end of streaming ----

  /**
   * The samples held as a Profile on t0 = `t0Seconds` (NaN when none has a timestamp): copies of the columns, or
   * views of them for a window (which is dropped before the columns are written again).
   */
  private profileOf(source: string, header: ProfileHeader, warnings: ParseWarnings, isIdle: IdleRule, hasTime: boolean, t0Seconds: number, views: boolean): Profile {
    const n = this.sampleCount;
    const own = <T extends { slice(): T }>(values: T): T => (views ? values : values.slice());
    const time = this.time.view();
    let t0 = 0;
    if (t0Seconds === t0Seconds && t0Seconds !== Infinity) {
      t0 = t0Seconds;
      const shift = (this.base - t0) * 1e9;
      if (shift !== 0) for (let i = 0; i < n; i++) time[i] += shift;
    }
    const stackParent = own(this.stackParent.view());
    const stackFrame = own(this.stackFrame.view());
    const stack = own(this.stack.view());
    const comm = own(this.comm.viewUint32());
    const pid = own(this.pid.view());
    const tid = own(this.tid.view());
    const idleStack = isIdle.stacks(stackFrame, this.frames);
    const idleComm = this.comms.map((c) => isIdle.comm(c));
    const idle = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = stack[i]!;
      const idleThread = idleComm[comm[i]!] || pid[i] === 0 || (pid[i] === NO_ID && tid[i] === 0);
      if (s >= 0 && idleThread && idleStack[s]) idle[i] = 1;
    }
    for (const i of this.markedIdle) idle[i] = 1;
    return {
      source,
      header,
      frames: this.frames,
      stackParent,
      stackFrame,
      events: this.events,
      comms: this.comms,
      sampleCount: n,
      hasTime,
      files: this.files.length > 0 ? this.files : [source],
      metrics: this.metricNames.map((name, k) => ({ name, values: own(this.metricColumns[k]!.view()) })),
      procs: this.procs,
      t0,
      time: own(time),
      timeDigits: this.timeDigits,
      stack,
      event: own(this.event.viewUint16()),
      comm,
      pid,
      tid,
      cpu: own(this.cpu.viewInt16()),
      proc: own(this.proc.viewUint32()),
      file: own(this.file.viewUint16()),
      idle,
      warnings,
    };
  }
}

/** A well-mixed 32-bit hash of a (parent stack, frame) pair (murmur3's finaliser over both). */
function pairHash(parent: number, frame: number): number {
  let h = Math.imul(parent ^ 0x9e3779b9, 0x85ebca6b) ^ frame;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Decides which samples are the kernel idle loop (see `parse/idle`). */
export interface IdleRule {
  comm(name: string): boolean;
  /** Per stack id: whether its leaf frame is an idle routine. */
  stacks(stackFrame: Int32Array, frames: readonly Frame[]): Uint8Array;
}
