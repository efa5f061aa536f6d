// `perf script` text → Profile. A flat state machine over lines (a header, then frames until a blank line or
// the next header), fed with byte chunks so that no input is ever held whole as text.
// See shared/specs/perf-script-format.md and examples/dialects/ (one recording per dialect).
// Every scan here is linear in the line's length: lines are hostile input, and a regex that backtracks
// (`[^:]*?\s*:` on a line of blanks) stalls a whole run. Each regex left says why it is linear; tests run them
// on megabyte lines (perf-script.test.ts).
import { kernelIdleRule } from './idle';
import { LineTable } from './line-table';
import { NO_ID, noWarnings, ProfileBuilder, type Profile, type ProfileHeader, type ParseWarnings } from './profile';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DOT = 46;
const COLON = 58;
const SLASH = 47;
const MINUS = 45;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const CLOSE_PAREN = 41;
const PIPE = 124;

const enum State {
  /** Before a record: the next non-comment line is a header. */
  Header,
  /** Inside a record: lines are frames until a blank line. */
  Frames,
  /** Inside a record whose header could not be parsed: its lines are skipped. */
  Skip,
}

/** Which header forms a line may take where it could also be a frame (see `line`). */
const enum HeaderForm {
  /** `... secs.frac: ...`: the usual form; never mistaken for a frame. */
  Timed,
  /** `comm pid event:` of old perf without timestamps: tried only where a frame does not fit. */
  Timeless,
  Any,
}

/** One frame line's frames, in caller → callee order (several for a `a->b` inline chain). */
type LineFrames = number | number[];

/** perf's `:-1` thread, a pid printed as `-1/-1`, or a plain id: what perf prints for the pid/tid column. */
const PID_TOKEN = /^(-?\d+)(?:\/(-?\d+))?$/;
/** A frame printed on the header line (no callchain): `<hex pc> <symbol> (<dso>)`. Anchored, one pass. */
const FRAME_ON_HEADER = /^[0-9a-fA-F]+\s.*\)$/;
/** Only a `+0x` can start it, and the hex runs after different `+0x` do not overlap. */
const OFFSET = /\+0x[\da-fA-F]+$/;
/** `secs.frac:` as a word, and what follows it: `[period] event: [rest]` (see parseTimedHeader). */
const TIMESTAMP = /[ \t](\d+)\.(\d+):(?=[ \t]|$)/;
const AFTER_TIMESTAMP = /^[ \t]*(?:(-?\d+)[ \t]+)?([^ \t]+?):(?=[ \t]|$)[ \t]*(.*)$/s;
/**
 * `metric_<key>: <value>[, <delta>]`, the whole field. Linear: anchored, and the key's run is the only one
 * that can give back characters (to find `: `), once.
 */
const METRIC_FIELD = /^metric_([A-Za-z0-9_.:]+): (-?\d+(?:\.\d+)?)(?:, (-?\d+(?:\.\d+)?))?$/;
/** Periods are exact integers up to 2^53; larger ones (or `Infinity`) are clamped to this, with a warning. */
const MAX_PERIOD = Number.MAX_SAFE_INTEGER;
/** How many side-band record kinds a warning names. */
const MAX_SIDE_BAND_KINDS = 8;

/** At most this many header shapes are kept (a file of all-different headers gains nothing from more). */
const MAX_HEADER_SHAPES = 4096;
/** A header whose text around its timestamp is longer than this is not kept. */
const MAX_SHAPE_KEY = 1024;

/** What a header line gives a record, apart from its timestamp (see `knownHeader`). */
interface HeaderShape {
  pid: number;
  tid: number;
  cpu: number;
  proc: number;
  /** The period as printed ('' when none). */
  period: string;
  event: number;
  comm: number;
}

/** The fields of a record's header line. */
export interface HeaderFields {
  comm: string;
  /** The pid/tid column as printed (`1234`, `1234/1235`, `-1`, Erlang's `0.245.0`), or '' when there is none. */
  pidToken: string;
  cpu: number;
  /** Whole seconds and the fraction digits as printed, or '' when the header has no timestamp. */
  seconds: string;
  fraction: string;
  /** The period as printed, or '' when there is none. */
  period: string;
  /** The event name with its modifiers (`cycles:uppp`), '' when `-F` left it out. */
  event: string;
  /** What follows the event: a frame (no callchain), tracepoint arguments, or nothing. */
  rest: string;
}

export class PerfScriptParser {
  private state = State.Header;
  private lineNo = 0;
  private seenRecord = false;
  private readonly header: ProfileHeader = { events: [] };
  private readonly warnings: ParseWarnings = noWarnings();
  /** Frame lines → frames, keyed by the line's bytes as latin1. */
  private readonly lineCache = new Map<string, LineFrames>();
  /**
   * The fast path (issue 10): frame lines as read (indent and all) → ids whose frames are `knownFrames[id]`,
   * found by their bytes. A line is kept only once it resolved to frames through `lineCache`, so a line found
   * here is exactly one that `line` would turn into the same frames.
   */
  private readonly knownLines = new LineTable();
  private readonly knownFrames: LineFrames[] = [];
  /** The known line just read (−1 after any other line), and the first frame line of the last record. */
  private previousLine = -1;
  private firstLine = -1;
  /** Frames printed on header lines (no callchain) → frames, keyed by their text. */
  private readonly headerFrameCache = new Map<string, LineFrames>();
  /** The start of a line that a chunk ended in the middle of. */
  private pending: Buffer[] = [];
  private recordLines = 0;
  /**
   * Whether this file's headers have a pid/tid column: perf prints the same fields on every header, so the
   * first one decides, and a comm that ends in a number (`worker 2`) is not taken for a pid in a file without.
   */
  private pidColumn: boolean | null = null;

  // The record being read.
  private recFrames: number[] = [];
  private recSeconds = NaN;
  private recNanos = 0;
  private recProc = 0;
  /** The id of the `period` metric, once a header has carried one. */
  private periodMetric = -1;
  private recEvent = 0;
  private recComm = 0;
  private recPid = NO_ID;
  private recTid = NO_ID;
  private recCpu = -1;
  /** The input line of the record's header (where a time jump is reported). */
  private recLine = 0;

  /** Several files read into one profile share one builder (see `parse/input`); each has its own parser. */
  constructor(
    private readonly source: string,
    private readonly builder = new ProfileBuilder(),
  ) {
    builder.beginFile(source);
  }

  /** Parses every complete line of `chunk`; an incomplete last line waits for the next chunk. */
  feed(chunk: Buffer): void {
    let pos = 0;
    if (this.pending.length > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        // Pieces are joined once, when the line ends: a long line over many small chunks (stdin) stays linear.
        this.pending.push(Buffer.from(chunk));
        return;
      }
      this.pending.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      if (this.state === State.Frames) {
        // A frame line read before: its frames without a newline search, a string or a Map.
        const guess = this.previousLine >= 0 ? this.knownLines.successor(this.previousLine) : this.firstLine;
        if (guess >= 0 && this.knownLines.matches(guess, chunk, pos, len)) {
          this.knownLine(guess);
          pos += this.knownLines.length(guess) + 1;
          continue;
        }
      }
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) {
        this.pending.push(Buffer.from(chunk.subarray(pos)));
        return;
      }
      const known = this.state === State.Frames ? this.knownLines.find(chunk, pos, nl) : -1;
      if (known >= 0) this.knownLine(known);
      else this.line(chunk, pos, nl);
      pos = nl + 1;
    }
  }

  /** A frame line found in `knownLines`: what `line` does for it, without reading it again. */
  private knownLine(id: number): void {
    this.lineNo++;
    this.recordLines++;
    this.pushFrames(this.knownFrames[id]!);
    this.follow(id);
  }

  /** Notes that line `id` came next, for the guess at the next line. */
  private follow(id: number): void {
    if (this.previousLine >= 0) this.knownLines.follows(this.previousLine, id);
    else this.firstLine = id;
    this.previousLine = id;
  }

  private pushFrames(frames: LineFrames): void {
    if (typeof frames === 'number') this.recFrames.push(frames);
    else for (let i = frames.length - 1; i >= 0; i--) this.recFrames.push(frames[i]!);
  }

  /** Ends the input (the last record needs no trailing blank line) and returns the profile. */
  finish(): Profile {
    this.end();
    return this.builder.finish(this.source, this.header, this.warnings, kernelIdleRule);
  }

  /** Ends this file's input, leaving the builder open for the next file; returns what this file said. */
  end(): { header: ProfileHeader; warnings: ParseWarnings } {
    if (this.pending.length > 0) {
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.line(line, 0, line.length);
    }
    this.endRecord();
    this.warnings.recordLines = this.recordLines;
    return { header: this.header, warnings: this.warnings };
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    // A header shape is kept only under the key of the line that gave it (see `knownHeader`).
    this.shapeKeyLength = 0;
    const rawEnd = end;
    const previous = this.previousLine;
    this.previousLine = -1;
    while (end > start) {
      const c = buf[end - 1];
      if (c === CR || c === SPACE || c === TAB) end--;
      else break;
    }
    let p = start;
    while (p < end) {
      const c = buf[p];
      if (c === SPACE || c === TAB) p++;
      else break;
    }
    if (p === end) {
      this.endRecord();
      return;
    }
    if (buf[start] === HASH) {
      if (!this.seenRecord) this.comment(buf.toString('utf8', start, end));
      return;
    }
    this.recordLines++;
    // perf indents frame lines with a TAB; a header starts at column 0 or, without a callchain, with the
    // blanks that right-align its comm; srcline and insn lines start with spaces.
    const tabbed = buf[start] === TAB;
    // ---- header shapes (issue 10) ----
    // A line that ends in `)` may be a frame line `lineCache` knows, which wins over a header (below).
    if (!tabbed && (this.state !== State.Frames || buf[end - 1] !== CLOSE_PAREN) && this.knownHeader(buf, start, end)) return;
    switch (this.state) {
      case State.Frames: {
        const key = latin1(buf, p, end);
        let frames = this.lineCache.get(key);
        if (frames === undefined) {
          const text = tabbed ? '' : buf.toString('utf8', start, end);
          // A new record without a blank line before it (no callchain, +insn, side-band records).
          if (!tabbed && (this.tryHeader(text, HeaderForm.Timed) || isAnnotation(text))) return;
          const parsed = this.parseFrameLine(buf.toString('utf8', p, end));
          if (parsed !== null) {
            frames = parsed;
            this.lineCache.set(key, parsed);
          } else if (!tabbed && this.tryHeader(text, HeaderForm.Timeless)) {
            return;
          } else {
            this.skip(tabbed ? buf.toString('utf8', start, end) : text);
            return;
          }
        }
        this.pushFrames(frames);
        const id = this.knownLines.add(buf, start, rawEnd);
        if (id >= 0) {
          this.knownFrames[id] = frames;
          this.previousLine = previous;
          this.follow(id);
        }
        return;
      }
      case State.Header: {
        const text = buf.toString('utf8', start, end);
        if (this.tryHeader(text, HeaderForm.Any) || isAnnotation(text)) return;
        this.skip(text);
        this.state = State.Skip;
        return;
      }
      case State.Skip: {
        // The lines of a record whose header was unreadable are skipped with it, but a header after a stray
        // line starts a record of its own: one garbage line between records must not cost the next sample.
        const text = buf.toString('utf8', start, end);
        if (tabbed || !this.tryHeader(text, HeaderForm.Any)) this.skip(text);
        return;
      }
    }
  }

  // ---- header shapes (issue 10) ----
  // Most headers differ from an earlier one only in their timestamp (`node 15368   667.371345:    1001001
  // cpu-clock:ppp:`). What `parseTimedHeader` reads depends on the text left of the timestamp and right of it
  // apart (see there), so a header read once is kept under those two texts, and a header with the same two is
  // read by finding its timestamp in the bytes: no string, no regex, no interning. Only a plain sample header
  // is kept (no side-band record, no frame or metric on the line); everything else goes the slow way.

  /**
   * Header shapes by their key: the bytes left of the timestamp, a newline, the bytes right of it. The key of
   * the line being read is in `shapeKey[0, shapeKeyLength)` (0 when the line has no timestamp).
   */
  private readonly headerKeys = new LineTable();
  private readonly headerShapes: HeaderShape[] = [];
  private readonly shapeKey = new Uint8Array(MAX_SHAPE_KEY);
  private shapeKeyLength = 0;

  /** Starts a record from a header whose shape was read before; false (and `shapeKey` set) if it was not. */
  private knownHeader(buf: Buffer, start: number, end: number): boolean {
    // The first `secs.frac:` word, as TIMESTAMP finds it in the text: the same ASCII characters at the same places.
    let dot = -1;
    let colon = -1;
    let s = start;
    for (; s < end; s++) {
      const c = buf[s]!;
      if (c !== SPACE && c !== TAB) continue;
      let j = s + 1;
      while (j < end && isDigit(buf[j]!)) j++;
      if (j === s + 1 || j >= end || buf[j] !== DOT) continue;
      dot = j++;
      while (j < end && isDigit(buf[j]!)) j++;
      if (j > dot + 1 && j < end && buf[j] === COLON && (j + 1 === end || buf[j + 1] === SPACE || buf[j + 1] === TAB)) {
        colon = j;
        break;
      }
      dot = -1;
    }
    if (colon < 0) return false;
    const secondsStart = s + 1;
    const keyLength = secondsStart - start + end - colon;
    if (keyLength > MAX_SHAPE_KEY) return false;
    const key = this.shapeKey;
    let n = 0;
    for (let i = start; i < secondsStart; i++) key[n++] = buf[i]!;
    key[n++] = NL;
    for (let i = colon + 1; i < end; i++) key[n++] = buf[i]!;
    const id = this.headerKeys.find(key, 0, keyLength);
    if (id < 0) {
      // Not seen: the slow path reads it, and keeps its shape under this key if it is a plain sample header.
      this.shapeKeyLength = keyLength;
      return false;
    }
    // Up to 15 digits the seconds are exact, so `holdable` holds; longer ones take the slow path (and stay unkept).
    if (dot - secondsStart > 15) return false;
    const shape = this.headerShapes[id]!;
    let seconds = 0;
    for (let k = secondsStart; k < dot; k++) seconds = seconds * 10 + (buf[k]! - 48);
    const digits = colon - dot - 1;
    let fraction = 0;
    for (let k = dot + 1; k < dot + 1 + Math.min(digits, 9); k++) fraction = fraction * 10 + (buf[k]! - 48);

    // What tryHeader does with the same fields.
    this.endRecord();
    this.recLine = this.lineNo;
    this.recPid = shape.pid;
    this.recTid = shape.tid;
    this.recSeconds = seconds;
    this.recNanos = digits >= 9 ? fraction : fraction * 10 ** (9 - digits);
    if (digits === 9) this.builder.timeDigits = 9;
    this.recCpu = shape.cpu;
    this.recProc = shape.proc;
    if (shape.period !== '') this.builder.setMetric(this.periodMetric, this.period(shape.period));
    this.recEvent = shape.event;
    this.recComm = shape.comm;
    this.state = State.Frames;
    this.seenRecord = true;
    return true;
  }

  private skip(text: string): void {
    if (this.warnings.skippedLines++ === 0) {
      this.warnings.firstSkippedLine = this.lineNo;
      this.warnings.firstSkippedText = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    }
  }

  /**
   * Starts a record if `line` is a header of the given form; a side-band line (`PERF_RECORD_...`) ends the
   * current record and is counted, not kept. False if the line is neither.
   */
  private tryHeader(line: string, form: HeaderForm): boolean {
    let h: HeaderFields | null = null;
    if (form !== HeaderForm.Timeless) h = parseTimedHeader(line, this.pidColumn);
    if (h === null && form !== HeaderForm.Timed) h = parseTimelessHeader(line);
    const sideBand = h === null ? bareSideBand(line) : sideBandKind(h);
    if (sideBand !== null) {
      this.endRecord();
      this.countSideBand(sideBand);
      return true;
    }
    if (h === null) return false;
    // Numbers the model cannot hold are corruption, not data: the header is unreadable (and counted as skipped)
    // rather than a timestamp of Infinity or a CPU that wraps.
    if (!holdable(h)) return false;

    this.endRecord();
    this.recLine = this.lineNo;
    this.pidColumn ??= h.pidToken !== '';
    const ids = h.pidToken === '' ? null : PID_TOKEN.exec(h.pidToken);
    if (ids === null) {
      // No pid column, or not a number (flame_prof's Erlang pids, `0.245.0`).
      this.recPid = NO_ID;
      this.recTid = NO_ID;
    } else if (ids[2] === undefined) {
      this.recPid = NO_ID;
      this.recTid = toId(ids[1]!);
    } else {
      this.recPid = toId(ids[1]!);
      this.recTid = toId(ids[2]!);
    }
    if (h.seconds === '') {
      this.recSeconds = NaN;
      this.recNanos = 0;
    } else {
      this.recSeconds = Number(h.seconds);
      this.recNanos = nanosOf(h.fraction);
      if (h.fraction.length === 9) this.builder.timeDigits = 9;
    }
    this.recCpu = h.cpu;
    this.recProc = this.builder.internProc(h.pidToken);
    if (h.period !== '') {
      if (this.periodMetric < 0) this.periodMetric = this.builder.internMetric('period');
      this.builder.setMetric(this.periodMetric, this.period(h.period));
    }
    this.recEvent = this.builder.internEvent(h.event);
    this.recComm = this.builder.internComm(h.comm);
    this.state = State.Frames;
    this.seenRecord = true;
    if (h.rest === '' && h.seconds !== '' && this.shapeKeyLength > 0 && this.headerKeys.size < MAX_HEADER_SHAPES) {
      const id = this.headerKeys.add(this.shapeKey, 0, this.shapeKeyLength);
      if (id >= 0) {
        this.headerShapes[id] = {
          pid: this.recPid,
          tid: this.recTid,
          cpu: this.recCpu,
          proc: this.recProc,
          period: h.period,
          event: this.recEvent,
          comm: this.recComm,
        };
      }
    }
    // perf script without callchains prints the one frame on the header line.
    const rest = h.rest;
    if (rest.startsWith('metric_')) {
      this.metricFields(rest);
      return true;
    }
    if (rest !== '' && FRAME_ON_HEADER.test(rest)) {
      let frames = this.headerFrameCache.get(rest);
      if (frames === undefined) {
        const parsed = this.parseFrameLine(rest);
        if (parsed !== null) this.headerFrameCache.set(rest, (frames = parsed));
      }
      if (frames !== undefined) {
        if (typeof frames === 'number') this.recFrames.push(frames);
        else for (let i = frames.length - 1; i >= 0; i--) this.recFrames.push(frames[i]!);
      }
    }
    return true;
  }

  /**
   * flame_prof's `metric_<key>: <value>, <delta>` fields (TAB-separated): two series, `<key>` and `<key>_delta`;
   * a field with one number gives `<key>` only. A field that is not one counts the line as partly unread.
   */
  private metricFields(rest: string): void {
    let start = 0;
    while (start < rest.length) {
      let end = rest.indexOf('\t', start);
      if (end < 0) end = rest.length;
      const field = rest.slice(start, end).trim();
      start = end + 1;
      if (field === '') continue;
      const m = METRIC_FIELD.exec(field);
      if (m === null) {
        this.skip(field);
        continue;
      }
      this.builder.setMetric(this.metricId(m[1]!), this.metricValue(m[2]!));
      if (m[3] !== undefined) this.builder.setMetric(this.metricId(`${m[1]!}_delta`), this.metricValue(m[3]));
    }
  }

  private readonly metricIds = new Map<string, number>();

  private metricId(name: string): number {
    let id = this.metricIds.get(name);
    if (id === undefined) this.metricIds.set(name, (id = this.builder.internMetric(name)));
    return id;
  }

  private metricValue(text: string): number {
    return this.period(text);
  }

  /** A period as a weight: exact up to 2^53; beyond (a corrupt line, or `Infinity`) clamped and counted. */
  private period(text: string): number {
    const value = Number(text);
    if (Math.abs(value) <= MAX_PERIOD) return value;
    const w = this.warnings;
    if (w.clampedPeriods++ === 0) w.firstClampedLine = this.lineNo;
    return value < 0 ? -MAX_PERIOD : MAX_PERIOD;
  }

  private countSideBand(kind: string): void {
    const w = this.warnings;
    w.sideBandRecords++;
    if (w.sideBandKinds.length < MAX_SIDE_BAND_KINDS && !w.sideBandKinds.includes(kind)) w.sideBandKinds.push(kind);
  }

  /** `<pc> <symbol>[+0xOFF] (<dso>)`, leading blanks already gone; null if the line is not a frame. */
  private parseFrameLine(line: string): LineFrames | null {
    let i = 0;
    while (i < line.length && isWordChar(line.charCodeAt(i))) i++;
    if (i === 0) return null;
    const address = line.slice(0, i);
    let j = i;
    while (j < line.length && (line.charCodeAt(j) === SPACE || line.charCodeAt(j) === TAB)) j++;
    if (j === i && j < line.length) return null;
    const rest = line.slice(j);
    // The dso is the parenthesised group that closes the line: balanced, so that `(/lib/x.so (deleted))`
    // is one dso. Where the parentheses do not balance, the dso is the last ` (…)`, as stackcollapse-perf.pl
    // reads every line.
    if (!rest.endsWith(')')) return null;
    let depth = 0;
    let open = -1;
    for (let k = rest.length - 1; k >= 0; k--) {
      const c = rest.charCodeAt(k);
      if (c === 41) depth++;
      else if (c === 40 && --depth === 0) {
        open = k;
        break;
      }
    }
    if (open > 0 && rest.charCodeAt(open - 1) !== SPACE) open = -1;
    if (open < 0) {
      const space = rest.lastIndexOf(' (');
      if (space < 0) return null;
      open = space + 1;
    }
    const module = rest.slice(open + 1, rest.length - 1);
    const printed = open > 0 ? rest.slice(0, open - 1) : '';
    let symbol = printed.replace(OFFSET, '');
    // A dso that holds ` (` itself (`/usr/lib/libfoo.so.1 (deleted)`) is split elsewhere by
    // stackcollapse-perf.pl and inferno: their symbol runs on into it, offset included.
    const inner = module.lastIndexOf(' (');
    const perlTail = inner < 0 ? null : ` (${module.slice(0, inner)}`;
    const perlOffset = perlTail === null ? '' : printed.slice(symbol.length);
    if (symbol === '') symbol = ' ';
    if (!symbol.includes('->')) {
      const perl = perlTail === null ? undefined : `${printed}${perlTail}`.trimStart();
      return this.builder.internFrame(symbol, module, symbol === '[unknown]' ? address : '', 0, perl);
    }
    const pieces = symbol.split('->');
    const last = pieces.length - 1;
    return pieces.map((piece, depthInChain) =>
      this.builder.internFrame(
        piece,
        module,
        piece === '[unknown]' ? address : '',
        depthInChain,
        perlTail !== null && depthInChain === last ? `${piece}${perlOffset}${perlTail}` : undefined,
      ),
    );
  }

  private endRecord(): void {
    if (this.state === State.Frames) {
      const frames = this.recFrames;
      let stack = -1;
      for (let k = frames.length - 1; k >= 0; k--) stack = this.builder.internStack(stack, frames[k]!);
      this.builder.addSample({
        seconds: this.recSeconds,
        nanos: this.recNanos,
        stack,
        proc: this.recProc,
        event: this.recEvent,
        comm: this.recComm,
        pid: this.recPid,
        tid: this.recTid,
        cpu: this.recCpu,
        line: this.recLine,
      });
      frames.length = 0;
    }
    this.state = State.Header;
  }

  /** `# key : value` lines of `perf script --header`. */
  private comment(line: string): void {
    const colon = line.indexOf(':');
    if (colon < 0) return;
    const key = line.slice(1, colon).trim();
    const value = line.slice(colon + 1).trim();
    const h = this.header;
    switch (key) {
      case 'hostname':
        h.hostname = value;
        break;
      case 'os release':
        h.osRelease = value;
        break;
      case 'perf version':
        h.perfVersion = value;
        break;
      case 'arch':
        h.arch = value;
        break;
      case 'cpudesc':
        h.cpuDescription = value;
        break;
      case 'nrcpus online':
        h.cpusOnline = Number(value);
        break;
      case 'nrcpus avail':
        h.cpusAvailable = Number(value);
        break;
      case 'total memory':
        h.totalMemory = value;
        break;
      case 'cmdline':
        h.cmdline = value;
        break;
      case 'captured on':
        h.capturedOn = value;
        break;
      case 'event': {
        if (!value.startsWith('name = ')) break;
        const comma = value.indexOf(',');
        const name = value.slice(7, comma < 0 ? value.length : comma).trim();
        if (name !== '') h.events.push(name);
        break;
      }
      case 'sample duration': {
        const ms = /^([\d.]+)\s*ms/.exec(value);
        if (ms !== null) h.sampleDurationMs = Number(ms[1]);
        break;
      }
    }
  }
}

/**
 * A header with a timestamp: `comm [pid[/tid]] [[cpu]] secs.frac: [period] [event:] [rest]`, null if the line
 * has no `secs.frac:` word. The comm may hold spaces (`worker one`); the word before the timestamp (and the
 * `[cpu]`) is the pid/tid when it looks like one and the file has that column (`pidColumn`, null: not known yet).
 */
export function parseTimedHeader(line: string, pidColumn: boolean | null): HeaderFields | null {
  // The regexes here run on every header, so they are native-fast; both are linear: TIMESTAMP can only start at
  // a blank and the digit runs it scans from different blanks do not overlap; AFTER_TIMESTAMP is anchored and
  // each of its groups is tried once per position of one word.
  const time = TIMESTAMP.exec(line);
  if (time === null) return null;
  const ts = time.index + 1;
  const dot = ts + time[1]!.length;
  const te = dot + 1 + time[2]!.length;

  // Left of it, from the right: [cpu], then the pid/tid, then the comm.
  let le = trimEndAt(line, ts);
  let cpu = -1;
  if (le > 0 && line.charCodeAt(le - 1) === CLOSE_BRACKET) {
    let k = le - 2;
    while (k >= 0 && isDigit(line.charCodeAt(k))) k--;
    if (k >= 1 && k < le - 2 && line.charCodeAt(k) === OPEN_BRACKET && isBlank(line.charCodeAt(k - 1))) {
      const value = Number(line.slice(k + 1, le - 1));
      cpu = value; // beyond 16 bits: refused in tryHeader
      le = trimEndAt(line, k);
    }
  }
  let ws = le;
  while (ws > 0 && !isBlank(line.charCodeAt(ws - 1))) ws--;
  let commEnd = le;
  let pidToken = '';
  if (ws > 0 && pidColumn !== false && looksLikeId(line, ws, le)) {
    pidToken = line.slice(ws, le);
    commEnd = trimEndAt(line, ws);
  }
  const commStart = skipBlanks(line, 0);
  if (commStart >= commEnd) return null;
  const comm = line.slice(commStart, commEnd);

  // Right of it: [period] event: [rest]; without an event (-F without it), a period only if nothing follows.
  const after = line.slice(te + 1);
  const m = AFTER_TIMESTAMP.exec(after);
  let period = '';
  let event = '';
  let rest: string;
  if (m !== null) {
    period = m[1] ?? '';
    event = m[2]!;
    rest = m[3] === '' ? '' : restOf(m[3]!, 0);
  } else {
    const s = skipBlanks(after, 0);
    const e = wordEnd(after, s);
    if (e > s && skipBlanks(after, e) === after.length && isInteger(after, s, e)) {
      period = after.slice(s, e);
      rest = '';
    } else {
      rest = restOf(after, s);
    }
  }
  return { comm, pidToken, cpu, seconds: time[1]!, fraction: time[2]!, period, event, rest };
}

/** Whether the model can hold a header's numbers; beyond them it is corruption, not data (see `tryHeader`). */
function holdable(h: HeaderFields): boolean {
  // An id past 2^31 has at least ten digits: shorter tokens (nearly all) need no closer look.
  return Number(h.seconds) <= Number.MAX_SAFE_INTEGER && h.cpu <= 32767 && (h.pidToken.length < 10 || !h.pidToken.split('/').some(beyondId));
}

/** The fraction digits of a timestamp as nanoseconds (digits past the ninth are dropped). */
function nanosOf(fraction: string): number {
  return fraction.length >= 9 ? Number(fraction.slice(0, 9)) : Number(fraction) * 10 ** (9 - fraction.length);
}

/**
 * What a line starts as the parser reads it: a timed sample (its timestamp), a sample without a timestamp
 * (`'untimed'`), or neither (null: a side-band record, a frame, anything else). `parse/input` orders several
 * files by their first sample without parsing them whole.
 */
export function sampleStart(line: string): { seconds: number; nanos: number } | 'untimed' | null {
  const timed = parseTimedHeader(line, null);
  if (timed !== null) return sideBandKind(timed) === null && holdable(timed) ? { seconds: Number(timed.seconds), nanos: nanosOf(timed.fraction) } : null;
  const timeless = parseTimelessHeader(line);
  return timeless !== null && sideBandKind(timeless) === null && holdable(timeless) ? 'untimed' : null;
}

/** The text from `start` on, without the blanks around it ('' without an allocation when there is none). */
function restOf(line: string, start: number): string {
  const s = skipBlanks(line, start);
  return s === line.length ? '' : line.slice(s, trimEndAt(line, line.length));
}

/**
 * The header of old perf without timestamps: `comm pid[/tid] [[cpu]] event: [rest]` (the comm may hold
 * spaces; the pid is the first number word that such an event follows); null if the line is not one.
 */
export function parseTimelessHeader(line: string): HeaderFields | null {
  const n = line.length;
  let prevEnd = -1;
  for (let s = skipBlanks(line, 0); s < n; ) {
    const e = wordEnd(line, s);
    if (prevEnd >= 0 && isPidTid(line, s, e)) {
      let next = skipBlanks(line, e);
      let nextEnd = wordEnd(line, next);
      let cpu = -1;
      if (nextEnd - next >= 3 && line.charCodeAt(next) === OPEN_BRACKET && line.charCodeAt(nextEnd - 1) === CLOSE_BRACKET && isInteger(line, next + 1, nextEnd - 1)) {
        const value = Number(line.slice(next + 1, nextEnd - 1));
        cpu = value; // beyond 16 bits: refused in tryHeader
        next = skipBlanks(line, nextEnd);
        nextEnd = wordEnd(line, next);
      }
      if (nextEnd - next >= 2 && line.charCodeAt(nextEnd - 1) === COLON) {
        return {
          comm: line.slice(0, s).trim(),
          pidToken: line.slice(s, e),
          cpu,
          seconds: '',
          fraction: '',
          period: '',
          event: line.slice(next, nextEnd - 1),
          rest: line.slice(skipBlanks(line, nextEnd)).trimEnd(),
        };
      }
    }
    prevEnd = e;
    s = skipBlanks(line, e);
  }
  return null;
}

/** Lines that annotate a record and are not frames: `-F +srcline`, `+insn`, `+srccode`. */
export function isAnnotation(line: string): boolean {
  const s = skipBlanks(line, 0);
  if (s === line.length) return false;
  // ` insn: 48 01 c2`, ` ilen: 3 insn: 48 01 c2` (perf script -F +insn,+insnlen).
  if (line.startsWith('insn:', s) || line.startsWith('ilen:', s)) return true;
  // `|9          for (...)` (perf script -F +srccode): a source line with its number.
  if (line.charCodeAt(s) === PIPE) return s + 1 < line.length && isDigit(line.charCodeAt(s + 1));
  // `  burn.c:9`, `  ??:0`, `  libc.so.6[2724a]` (perf script -F +srcline), always indented with spaces.
  if (s === 0 || line.charCodeAt(0) !== SPACE) return false;
  const end = line.length;
  if (line.charCodeAt(end - 1) === CLOSE_BRACKET) {
    const open = line.lastIndexOf('[');
    return open > s && open < end - 2 && isHex(line, open + 1, end - 1);
  }
  const colon = line.lastIndexOf(':');
  if (colon <= s || colon === end - 1) return false;
  return isInteger(line, colon + 1, end) || isAll(line, colon + 1, end, 63 /* ? */);
}

/** `PERF_RECORD_COMM` for a side-band record, null for a sample. */
function sideBandKind(h: HeaderFields): string | null {
  if (h.event.startsWith('PERF_RECORD_')) return recordKind(h.event, 0);
  if (h.event === '' && h.rest.startsWith('PERF_RECORD_')) return recordKind(h.rest, 0);
  return null;
}

/** A side-band line with no header fields at all (`PERF_RECORD_FINISHED_ROUND`). */
function bareSideBand(line: string): string | null {
  const s = skipBlanks(line, 0);
  return line.startsWith('PERF_RECORD_', s) ? recordKind(line, s) : null;
}

function recordKind(text: string, from: number): string {
  let e = from;
  while (e < text.length && isRecordKindChar(text.charCodeAt(e))) e++;
  return text.slice(from, e);
}

function isRecordKindChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** A pid or tid as a number: −1 (perf's exiting thread) and up; anything else is `NO_ID`. */
/** A decimal pid or tid too large for perf (and for the model's 32-bit columns): a corrupt header. */
function beyondId(text: string): boolean {
  return /^-?\d+$/.test(text) && Number(text) > 2147483647;
}

function toId(text: string): number {
  const value = Number(text);
  return value >= -1 && value <= 2147483647 ? value : NO_ID;
}

/** The pid/tid word: digits, `pid/tid`, `-1`, or an Erlang pid `0.245.0` (flame_prof). */
function looksLikeId(line: string, start: number, end: number): boolean {
  let i = start;
  if (line.charCodeAt(i) === MINUS) i++;
  if (i >= end || !isDigit(line.charCodeAt(i))) return false;
  for (; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!isDigit(c) && c !== SLASH && c !== DOT && c !== MINUS) return false;
  }
  return true;
}

/** `1234` or `1234/1235`, as old perf printed them. */
function isPidTid(line: string, start: number, end: number): boolean {
  let slash = -1;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === SLASH && slash < 0 && i > start && i < end - 1) slash = i;
    else if (!isDigit(c)) return false;
  }
  return end > start;
}

/** `-?digits`, the whole of [start, end). */
function isInteger(line: string, start: number, end: number): boolean {
  let i = start;
  if (i < end && line.charCodeAt(i) === MINUS) i++;
  if (i >= end) return false;
  for (; i < end; i++) if (!isDigit(line.charCodeAt(i))) return false;
  return true;
}

function isHex(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!isDigit(c) && !((c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return end > start;
}

function isAll(line: string, start: number, end: number, code: number): boolean {
  for (let i = start; i < end; i++) if (line.charCodeAt(i) !== code) return false;
  return end > start;
}

function skipBlanks(line: string, from: number): number {
  while (from < line.length && isBlank(line.charCodeAt(from))) from++;
  return from;
}

function wordEnd(line: string, from: number): number {
  while (from < line.length && !isBlank(line.charCodeAt(from))) from++;
  return from;
}

function trimEndAt(line: string, end: number): number {
  while (end > 0 && isBlank(line.charCodeAt(end - 1))) end--;
  return end;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Bytes as a latin1 string: a cheap, exact cache key (Buffer#toString adds argument checks we don't need). */
const latin1: (buf: Buffer, start: number, end: number) => string = (buf, start, end) =>
  (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
