// `perf script` text → Profile. A flat state machine over lines (after a blank line comes a header, then
// frames until the next blank line), fed with byte chunks so that no input is ever held whole as text.
// See shared/specs/perf-script-format.md.
import { kernelIdleRule } from './idle';
import { ProfileBuilder, type Profile, type ProfileHeader, type ParseWarnings } from './profile';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

const enum State {
  /** Before a record: the next non-comment line is a header. */
  Header,
  /** Inside a record: lines are frames until a blank line. */
  Frames,
  /** Inside a record whose header could not be parsed: its lines are skipped. */
  Skip,
}

/** One frame line's frames, in caller → callee order (several for a `a->b` inline chain). */
type LineFrames = number | number[];

const TIME = /\s(\d+)\.(\d+):(?=\s|$)/;
const AFTER_TIME = /^\s*(?:(-?\d+)\s+)?(\S+?):(?=\s|$)\s*(.*)$/;
const NO_TIME = /^(.*?\S)\s+(\d+(?:\/\d+)?)(?:\s+\[(\d+)\])?\s+(\S+?):(?=\s|$)\s*(.*)$/;
// No leading \s*: from every blank of a long run it would rescan the run (quadratic); the blanks are trimmed after.
const CPU_SUFFIX = /\[(\d+)\]$/;
const PID_TOKEN = /^(\d+)(?:\/(\d+))?$/;
const FRAME_ON_HEADER = /^[0-9a-fA-F]+\s.*\)$/;
const OFFSET = /\+0x[\da-fA-F]+$/;

export class PerfScriptParser {
  private readonly builder = new ProfileBuilder();
  private state = State.Header;
  private lineNo = 0;
  private seenRecord = false;
  private readonly header: ProfileHeader = { events: [] };
  private readonly warnings: ParseWarnings = { skippedLines: 0, firstSkippedLine: 0, firstSkippedText: '' };
  private readonly lineCache = new Map<string, LineFrames>();
  /** The pieces of an incomplete last line, joined once its end arrives (joining per chunk is quadratic). */
  private pending: Buffer[] | null = null;

  // The record being read.
  private recFrames: number[] = [];
  private recSeconds = NaN;
  private recNanos = 0;
  private recWeight = 1;
  private recEvent = 0;
  private recComm = 0;
  private recPid = -1;
  private recTid = -1;
  private recCpu = -1;
  private recLine = 0;

  constructor(private readonly source: string) {}

  /** Parses every complete line of `chunk`; an incomplete last line waits for the next chunk. */
  feed(chunk: Buffer): void {
    let pos = 0;
    if (this.pending !== null) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.pending.push(Buffer.from(chunk));
        return;
      }
      const line = Buffer.concat([...this.pending, chunk.subarray(0, nl)]);
      this.pending = null;
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) {
        this.pending = [Buffer.from(chunk.subarray(pos))];
        return;
      }
      this.line(chunk, pos, nl);
      pos = nl + 1;
    }
  }

  /** Ends the input (the last record needs no trailing blank line) and returns the profile. */
  finish(): Profile {
    if (this.pending !== null) {
      const line = Buffer.concat(this.pending);
      this.pending = null;
      this.line(line, 0, line.length);
    }
    this.endRecord();
    return this.builder.finish(this.source, this.header, this.warnings, kernelIdleRule);
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
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
    switch (this.state) {
      case State.Frames: {
        const key = latin1(buf, p, end);
        let frames = this.lineCache.get(key);
        if (frames === undefined) {
          const parsed = this.parseFrameLine(buf.toString('utf8', p, end));
          if (parsed !== null) {
            frames = parsed;
            this.lineCache.set(key, parsed);
          } else if (p === start && this.tryHeader(buf.toString('utf8', start, end))) {
            // A new record without a blank line before it.
            return;
          } else {
            this.skip(buf.toString('utf8', start, end));
            return;
          }
        }
        if (typeof frames === 'number') this.recFrames.push(frames);
        else for (let i = frames.length - 1; i >= 0; i--) this.recFrames.push(frames[i]!);
        return;
      }
      case State.Header:
        if (!this.tryHeader(buf.toString('utf8', start, end))) {
          this.skip(buf.toString('utf8', start, end));
          this.state = State.Skip;
        }
        return;
      case State.Skip:
        // The frames of a record whose header was unreadable are dropped, but a header after a stray line
        // starts a record of its own: one garbage line between records must not cost the next sample.
        if (p === start) this.tryHeader(buf.toString('utf8', start, end));
        return;
    }
  }

  private skip(text: string): void {
    if (this.warnings.skippedLines++ === 0) {
      this.warnings.firstSkippedLine = this.lineNo;
      this.warnings.firstSkippedText = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    }
  }

  /** Parses a record's header line and starts the record; false if the line is not a header. */
  private tryHeader(line: string): boolean {
    let comm: string;
    let pidToken: string;
    let cpu = -1;
    let seconds = NaN;
    let nanos = 0;
    let period: string | undefined;
    let event: string;
    let rest: string;

    const time = TIME.exec(line);
    if (time !== null) {
      let left = line.slice(0, time.index).trim();
      const after = AFTER_TIME.exec(line.slice(time.index + time[0].length));
      if (after === null) return false;
      const cpuMatch = CPU_SUFFIX.exec(left);
      if (cpuMatch !== null) {
        cpu = Number(cpuMatch[1]);
        left = left.slice(0, cpuMatch.index).trimEnd();
      }
      const lastSpace = Math.max(left.lastIndexOf(' '), left.lastIndexOf('\t'));
      if (lastSpace < 0) return false;
      comm = left.slice(0, lastSpace).trim();
      pidToken = left.slice(lastSpace + 1);
      if (comm === '') return false;
      const frac = time[2]!;
      seconds = Number(time[1]);
      nanos = frac.length >= 9 ? Number(frac.slice(0, 9)) : Number(frac) * 10 ** (9 - frac.length);
      if (frac.length === 9) this.builder.timeDigits = 9;
      period = after[1];
      event = after[2]!;
      rest = after[3]!;
    } else {
      const m = NO_TIME.exec(line.trim());
      if (m === null) return false;
      comm = m[1]!;
      pidToken = m[2]!;
      if (m[3] !== undefined) cpu = Number(m[3]);
      event = m[4]!;
      rest = m[5]!;
    }

    const ids = PID_TOKEN.exec(pidToken);
    if (!fitsTheModel(seconds, period, cpu, ids)) return false;
    this.endRecord();
    if (ids === null) {
      this.recPid = -1;
      this.recTid = -1;
    } else if (ids[2] === undefined) {
      this.recPid = -1;
      this.recTid = Number(ids[1]);
    } else {
      this.recPid = Number(ids[1]);
      this.recTid = Number(ids[2]);
    }
    this.recSeconds = seconds;
    this.recNanos = nanos;
    this.recCpu = cpu;
    this.recLine = this.lineNo;
    if (period !== undefined) {
      this.recWeight = Number(period);
      this.builder.hasPeriod = true;
    } else {
      this.recWeight = 1;
    }
    this.recEvent = this.builder.internEvent(event);
    this.recComm = this.builder.internComm(comm);
    this.state = State.Frames;
    this.seenRecord = true;
    // perf script without callchains prints the one frame on the header line.
    if (rest !== '' && FRAME_ON_HEADER.test(rest)) {
      const frames = this.parseFrameLine(rest);
      if (frames !== null) {
        if (typeof frames === 'number') this.recFrames.push(frames);
        else for (let i = frames.length - 1; i >= 0; i--) this.recFrames.push(frames[i]!);
      }
    }
    return true;
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
    // The dso is the parenthesised group that closes the line.
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
    if (open < 0) return null;
    const module = rest.slice(open + 1, rest.length - 1);
    let symbol = open > 0 ? rest.slice(0, open - 1) : '';
    if (open > 0 && rest.charCodeAt(open - 1) !== SPACE) return null;
    symbol = symbol.replace(OFFSET, '');
    if (symbol === '') symbol = ' ';
    if (!symbol.includes('->')) {
      return this.builder.internFrame(symbol, module, symbol === '[unknown]' ? address : '', 0);
    }
    const pieces = symbol.split('->');
    return pieces.map((piece, depthInChain) =>
      this.builder.internFrame(piece, module, piece === '[unknown]' ? address : '', depthInChain),
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
        weight: this.recWeight,
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

  private comment(line: string): void {
    // `# key : value`, split at the first colon by hand: a regex here backtracked for minutes over a long
    // run of blanks without a colon.
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
        const name = /^name = ([^,]+)/.exec(value);
        if (name !== null) h.events.push(name[1]!.trim());
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
 * Numbers the profile model cannot hold are corruption, not data: such a header is unreadable (and counted as
 * a skipped line), rather than a timestamp of Infinity, a count of Infinity in folded output, or a pid that wraps.
 */
function fitsTheModel(seconds: number, period: string | undefined, cpu: number, ids: RegExpExecArray | null): boolean {
  const INT32 = 2 ** 31 - 1;
  if (seconds > Number.MAX_SAFE_INTEGER) return false;
  if (period !== undefined && !(Math.abs(Number(period)) <= 2 ** 64)) return false;
  if (cpu > 32767) return false;
  return ids === null || (Number(ids[1]) <= INT32 && (ids[2] === undefined || Number(ids[2]) <= INT32));
}

/** Bytes as a latin1 string: a cheap, exact cache key (Buffer#toString adds argument checks we don't need). */
const latin1: (buf: Buffer, start: number, end: number) => string = (buf, start, end) =>
  (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
