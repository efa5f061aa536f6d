// Folded stacks: `frame;frame;frame count` lines, as `collapse`, stackcollapse-*.pl, inferno and many tools
// write them. Streamed line by line like perf script text.
//
// Choices (documented in README, "Other inputs"):
// - The first frame of a line is the thread name (comm), as `collapse` writes it: so `collapse` of a folded file
//   re-folds it byte for byte, `--comm` filters on it, and the flame graph shows it as the root frame it was.
// - A line is one sample that stands for its count: the count is the sample's `samples` metric, which the views
//   sum wherever they would count samples (and `period`, which `collapse` sums, is the same count). Counts are
//   often sums of perf periods (billions), so they are never expanded into that many samples. Decimal counts
//   are kept as they are (flamegraph.pl reads them; inferno reads whole numbers only). There are no timestamps:
//   flame graphs, folded output and diff work; the heat map and time ranges do not.
// - A line without a count is skipped, counted, and the first one named with its line number.
// - Frame names are taken as written (`;` splits them, nothing else is rewritten).
// - A stack whose leaf is V8's `(idle)` is idle, as it was in the profile it was folded from (kernel idle stacks
//   of `swapper` are idle by the perf rule, as in perf script text).
import { FOLDED_MODULE } from '../flamegraph/names';
import { NO_ID, noWarnings, type ProfileBuilder } from '../parse/profile';
import { splitFoldedLine } from './detect';
import type { Imported } from './imported';

/** The event of folded samples: the folded file does not say what was counted. */
export const FOLDED_EVENT = 'samples';
/** The metric that holds each line's count (see `model/metrics`: it is what `samples` sums for such a profile). */
export const COUNT_METRIC = 'samples';

const NL = 10;
/** V8's idle pseudo-frame (see `cpuprofile.ts`). */
const V8_IDLE = '(idle)';

export class FoldedParser {
  private readonly warnings = noWarnings();
  private lineNo = 0;
  private recordLines = 0;
  private pending: Buffer[] = [];
  private readonly stacks = new Map<string, number>();
  private readonly event: number;
  private readonly countMetric: number;

  constructor(
    name: string,
    private readonly builder: ProfileBuilder,
  ) {
    builder.beginFile(name);
    this.event = builder.internEvent(FOLDED_EVENT);
    this.countMetric = builder.internMetric(COUNT_METRIC);
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) {
        if (pos < chunk.length) this.pending.push(Buffer.from(chunk.subarray(pos)));
        return;
      }
      let line = chunk.subarray(pos, nl);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
      }
      this.line(line.toString('utf8'));
      pos = nl + 1;
    }
  }

  end(): Imported {
    if (this.pending.length > 0) {
      this.line(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
    }
    this.warnings.recordLines = this.recordLines;
    return { header: { events: [FOLDED_EVENT] }, warnings: this.warnings, notices: [] };
  }

  private line(raw: string): void {
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '' || text.startsWith('#')) return;
    this.recordLines++;
    const split = splitFoldedLine(text);
    const count = split === null ? NaN : Number(split.count);
    // A count of 400 digits is Infinity: not a count.
    if (split === null || !Number.isFinite(count)) {
      this.skip(text);
      return;
    }
    const b = this.builder;
    const semi = split.stack.indexOf(';');
    const comm = b.internComm(semi < 0 ? split.stack : split.stack.slice(0, semi));
    const frames = semi < 0 ? '' : split.stack.slice(semi + 1);
    const stack = semi < 0 ? -1 : this.stackOf(frames);
    const idle = frames === V8_IDLE || frames.endsWith(`;${V8_IDLE}`);
    const proc = b.internProc('');
    b.setMetric(this.countMetric, count);
    b.addSample({ seconds: NaN, nanos: 0, stack, event: this.event, comm, pid: NO_ID, tid: NO_ID, cpu: -1, proc, line: this.lineNo, idle });
  }

  /** The stack of `a;b;c`, root first; stacks that share a beginning share its ids. */
  private stackOf(frames: string): number {
    const known = this.stacks.get(frames);
    if (known !== undefined) return known;
    let stack = -1;
    let start = 0;
    for (;;) {
      const semi = frames.indexOf(';', start);
      const name = semi < 0 ? frames.slice(start) : frames.slice(start, semi);
      stack = this.builder.internStack(stack, this.builder.internFrame(name, FOLDED_MODULE, '', 0));
      if (semi < 0) break;
      start = semi + 1;
    }
    this.stacks.set(frames, stack);
    return stack;
  }

  private skip(text: string): void {
    if (this.warnings.skippedLines++ === 0) {
      this.warnings.firstSkippedLine = this.lineNo;
      this.warnings.firstSkippedText = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    }
  }
}
