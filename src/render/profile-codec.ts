// The profile model as compact bytes, to embed in a report: interned strings, frames and the stack trie once,
// then per-sample columns (time as deltas in the file's own unit, LEB128 varints). Column-major so that
// deflate finds the repetition. Pure code: the Node side encodes, the report's page decodes, and decoding is on
// the page's path to its first paint: strings are one UTF-8 run decoded in one call, columns plain loops.
import type { Frame, Metric, ParseWarnings, Profile, ProfileHeader } from '../parse/profile';

const MAGIC = 'FSP3';

const FLOAT_BYTES = new Uint8Array(8);
const FLOAT_VIEW = new DataView(FLOAT_BYTES.buffer);
/** Integers up to this size are written as zigzag varints (whose 2|v| + 1 must stay exact); others as doubles. */
const MAX_VARINT = 2 ** 52;

class Writer {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }

  /** Unsigned LEB128 for any non-negative integer (exact for every integer a double holds). */
  uint(value: number): void {
    // Anything else would loop forever (Infinity) or encode garbage: a bug upstream, not bad input.
    if (!Number.isInteger(value) || value < 0) throw new Error(`cannot encode ${value} as an unsigned integer`);
    this.room(Math.ceil(Math.log2(value + 1) / 7) + 1);
    let v = value;
    while (v >= 128) {
      this.buf[this.length++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  /** Zigzag: small negative numbers stay small. */
  int(value: number): void {
    if (!Number.isInteger(value)) throw new Error(`cannot encode ${value} as an integer`);
    this.uint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  /** A double as its 8 bytes (little-endian): any value, NaN and fractions included, exactly. */
  float(value: number): void {
    this.room(8);
    FLOAT_VIEW.setFloat64(0, value, true);
    this.buf.set(FLOAT_BYTES, this.length);
    this.length += 8;
  }

  bytes(data: Uint8Array): void {
    this.uint(data.length);
    this.room(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  uint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= buf.length) throw new Error('truncated profile data');
    const first = buf[pos++]!;
    // Most values are below 128: one byte, no loop.
    if (first < 128) {
      this.pos = pos;
      return first;
    }
    let result = first & 127;
    let scale = 128;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated profile data');
      const b = buf[pos++]!;
      result += (b & 127) * scale;
      if (b < 128) {
        this.pos = pos;
        return result;
      }
      scale *= 128;
    }
  }

  int(): number {
    const v = this.uint();
    return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
  }

  float(): number {
    if (this.pos + 8 > this.buf.length) throw new Error('truncated profile data');
    FLOAT_BYTES.set(this.buf.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return FLOAT_VIEW.getFloat64(0, true);
  }

  bytes(): Uint8Array {
    const n = this.uint();
    if (this.pos + n > this.buf.length) throw new Error('truncated profile data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Everything of a Profile that is not a per-sample column or a table, as JSON. */
interface Scalars {
  source: string;
  header: ProfileHeader;
  hasTime: boolean;
  files: readonly string[];
  t0: number;
  timeDigits: number;
  warnings: ParseWarnings;
}

export function encodeProfile(profile: Profile): Uint8Array {
  const encoder = new TextEncoder();
  const w = new Writer();
  for (const c of MAGIC) w.uint(c.charCodeAt(0));
  const scalars: Scalars = {
    source: profile.source,
    header: profile.header,
    hasTime: profile.hasTime,
    files: profile.files,
    t0: profile.t0,
    timeDigits: profile.timeDigits,
    warnings: profile.warnings,
  };
  w.bytes(encoder.encode(JSON.stringify(scalars)));

  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    return id;
  };
  const frameRefs = profile.frames.map((f) => [intern(f.symbol), intern(f.module), intern(f.address), f.inlineDepth]);
  const eventRefs = profile.events.map(intern);
  const commRefs = profile.comms.map(intern);
  const procRefs = profile.procs.map(intern);
  const metricRefs = profile.metrics.map((m) => intern(m.name));
  // One run of UTF-8 and each string's length in UTF-16 units: the page decodes the run once and slices it.
  w.uint(strings.length);
  for (const s of strings) w.uint(s.length);
  w.bytes(encoder.encode(strings.join('')));
  w.uint(frameRefs.length);
  for (const refs of frameRefs) for (const r of refs) w.uint(r!);
  w.uint(eventRefs.length);
  for (const r of eventRefs) w.uint(r);
  w.uint(commRefs.length);
  for (const r of commRefs) w.uint(r);
  w.uint(procRefs.length);
  for (const r of procRefs) w.uint(r);
  w.uint(metricRefs.length);
  for (const r of metricRefs) w.uint(r);

  const stacks = profile.stackParent.length;
  w.uint(stacks);
  // A parent always precedes its child: store the distance back (0 = no parent).
  for (let s = 0; s < stacks; s++) w.uint(profile.stackParent[s]! < 0 ? 0 : s - profile.stackParent[s]!);
  for (let s = 0; s < stacks; s++) w.uint(profile.stackFrame[s]!);

  const n = profile.sampleCount;
  w.uint(n);
  const unit = 10 ** (9 - profile.timeDigits);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const t = profile.time[i]!;
    if (Number.isNaN(t)) {
      w.uint(0);
      continue;
    }
    const ticks = Math.round(t / unit);
    w.uint(1);
    w.int(ticks - previous);
    previous = ticks;
  }
  for (let i = 0; i < n; i++) w.uint(profile.stack[i]! + 1);
  for (const metric of profile.metrics) writeMetric(w, metric.values);
  for (let i = 0; i < n; i++) w.uint(profile.proc[i]!);
  for (let i = 0; i < n; i++) w.uint(profile.file[i]!);
  for (let i = 0; i < n; i++) w.uint(profile.event[i]!);
  for (let i = 0; i < n; i++) w.uint(profile.comm[i]!);
  for (let i = 0; i < n; i++) w.int(profile.pid[i]!);
  for (let i = 0; i < n; i++) w.int(profile.tid[i]!);
  for (let i = 0; i < n; i++) w.int(profile.cpu[i]!);
  for (let i = 0; i < n; i++) w.uint(profile.idle[i]!);
  return w.finish();
}

/**
 * A metric's values exactly: which samples carry it (all, or a flag per sample), then the values as zigzag
 * varints when every one is a small integer (periods, flame_prof's counters), else as doubles.
 */
function writeMetric(w: Writer, values: Float64Array): void {
  let all = true;
  let integral = true;
  for (const v of values) {
    if (v !== v) all = false;
    else if (!Number.isInteger(v) || Math.abs(v) > MAX_VARINT) integral = false;
  }
  w.uint(all ? 1 : 0);
  if (!all) for (const v of values) w.uint(v === v ? 1 : 0);
  w.uint(integral ? 1 : 0);
  for (const v of values) {
    if (v !== v) continue;
    if (integral) w.int(v);
    else w.float(v);
  }
}

function readMetric(r: Reader, n: number): Float64Array {
  const values = new Float64Array(n);
  const all = r.uint() === 1;
  if (!all) for (let i = 0; i < n; i++) values[i] = r.uint() === 1 ? 0 : NaN;
  const integral = r.uint() === 1;
  for (let i = 0; i < n; i++) {
    if (values[i] !== values[i]) continue;
    values[i] = integral ? r.int() : r.float();
  }
  return values;
}

export function decodeProfile(data: Uint8Array): Profile {
  // ignoreBOM: a string that starts with U+FEFF keeps it.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const r = new Reader(data);
  for (const c of MAGIC) if (r.uint() !== c.charCodeAt(0)) throw new Error('not flamescope profile data');
  const scalars = JSON.parse(decoder.decode(r.bytes())) as Scalars;
  const lengths = new Array<number>(r.uint());
  for (let k = 0; k < lengths.length; k++) lengths[k] = r.uint();
  const text = decoder.decode(r.bytes());
  const strings = new Array<string>(lengths.length);
  let at = 0;
  for (let k = 0; k < lengths.length; k++) {
    strings[k] = text.slice(at, at + lengths[k]!);
    at += lengths[k]!;
  }
  if (at !== text.length) throw new Error('corrupt profile data');
  const frames = new Array<Frame>(r.uint());
  for (let k = 0; k < frames.length; k++) {
    frames[k] = { symbol: strings[r.uint()]!, module: strings[r.uint()]!, address: strings[r.uint()]!, inlineDepth: r.uint() };
  }
  const events = new Array<string>(r.uint());
  for (let k = 0; k < events.length; k++) events[k] = strings[r.uint()]!;
  const comms = new Array<string>(r.uint());
  for (let k = 0; k < comms.length; k++) comms[k] = strings[r.uint()]!;
  const procs = new Array<string>(r.uint());
  for (let k = 0; k < procs.length; k++) procs[k] = strings[r.uint()]!;
  const metricNames = new Array<string>(r.uint());
  for (let k = 0; k < metricNames.length; k++) metricNames[k] = strings[r.uint()]!;

  const stacks = r.uint();
  const stackParent = new Int32Array(stacks);
  const stackFrame = new Int32Array(stacks);
  for (let s = 0; s < stacks; s++) {
    const back = r.uint();
    stackParent[s] = back === 0 ? -1 : s - back;
  }
  for (let s = 0; s < stacks; s++) stackFrame[s] = r.uint();

  const n = r.uint();
  const unit = 10 ** (9 - scalars.timeDigits);
  const time = new Float64Array(n);
  let ticks = 0;
  for (let i = 0; i < n; i++) {
    if (r.uint() === 0) {
      time[i] = NaN;
      continue;
    }
    ticks += r.int();
    time[i] = ticks * unit;
  }
  // One loop per column, each calling one reader method, so the engine can inline it.
  const stack = new Int32Array(n);
  for (let i = 0; i < n; i++) stack[i] = r.uint() - 1;
  const metrics: Metric[] = metricNames.map((name) => ({ name, values: readMetric(r, n) }));
  const proc = new Uint32Array(n);
  for (let i = 0; i < n; i++) proc[i] = r.uint();
  const file = new Uint16Array(n);
  for (let i = 0; i < n; i++) file[i] = r.uint();
  const event = new Uint16Array(n);
  for (let i = 0; i < n; i++) event[i] = r.uint();
  const comm = new Uint32Array(n);
  for (let i = 0; i < n; i++) comm[i] = r.uint();
  const pid = new Int32Array(n);
  for (let i = 0; i < n; i++) pid[i] = r.int();
  const tid = new Int32Array(n);
  for (let i = 0; i < n; i++) tid[i] = r.int();
  const cpu = new Int16Array(n);
  for (let i = 0; i < n; i++) cpu[i] = r.int();
  const idle = new Uint8Array(n);
  for (let i = 0; i < n; i++) idle[i] = r.uint();
  return {
    ...scalars,
    frames,
    stackParent,
    stackFrame,
    events,
    comms,
    procs,
    metrics,
    sampleCount: n,
    time,
    stack,
    proc,
    file,
    event,
    comm,
    pid,
    tid,
    cpu,
    idle,
  };
}
