// A compact, exact log of sample times and its gap report. The streaming heat map bins samples in windows and
// drops them, but the gap report needs every timestamp of a run: millions of them, up to 4 GB of text. Kept as
// deltas in a variable-length code (a sampler at ~1 kHz with ns timestamps: 3 bytes a sample, not 8), and the
// exact median interval found by counting over a few decoding passes instead of sorting one big array.
// Pure and free of Node APIs, like gaps.ts.
import { GAP_MEDIAN_FACTOR, gapsOfSortedTimes, type Gap, type GapReport } from './gaps';

/** Bytes in a page of the log: pages are never copied or grown, only added. */
const PAGE_BYTES = 1 << 16;
/** The longest entry: an escape byte and a float64 (a delta of a safe integer takes at most 8). */
const LONGEST_ENTRY = 9;
/**
 * The first byte of a time written whole, as a float64, instead of a delta: what a delta cannot say exactly
 * (a fraction, ±∞, −0, a delta beyond 2^53). It is the code of "minus zero", which no delta uses.
 */
const ESCAPE = 0x01;
/** Times decoded at a time into one reused buffer. */
const BLOCK = 4096;
/** Counting buckets of a selection pass: 1.5 MB with their bounds, whatever the number of samples. */
const BUCKETS = 1 << 16;
/** Gaps remembered while the median is still unknown; beyond this, one more pass finds them. */
const CANDIDATE_LIMIT = 1 << 16;

export class TimeLog {
  /** Times pushed (NaN is not a time: findGaps skips it too). */
  count = 0;
  /** Whether every time was at least the one before it (perf writes samples in order; merged files may not). */
  sorted = true;
  private readonly pages: Uint8Array[] = [];
  /** Bytes used in each page but the last, whose use is `end`. */
  private readonly ends: number[] = [];
  private page = new Uint8Array(0);
  private end = 0;
  private last = 0;
  /** No time written whole: every time is an integer reached by exact integer deltas. */
  private plain = true;

  /** Bytes the log holds (whole pages). */
  get byteLength(): number {
    return this.pages.length * PAGE_BYTES;
  }

  /** Logs one time: an integer number of ns from any fixed origin (anything else is kept exactly, at 9 bytes). */
  push(t: number): void {
    if (t !== t) return;
    const previous = this.last;
    if (this.count > 0 && t < previous) this.sorted = false;
    this.count++;
    this.last = t;
    if (this.end + LONGEST_ENTRY > this.page.length) this.addPage();
    const delta = t - previous;
    if (Number.isSafeInteger(delta) && previous + delta === t && !(t === 0 && 1 / t < 0)) {
      this.writeDelta(delta);
    } else {
      this.plain = false;
      this.page[this.end] = ESCAPE;
      new DataView(this.page.buffer).setFloat64(this.end + 1, t, true);
      this.end += LONGEST_ENTRY;
    }
  }

  /**
   * The report `findGaps` gives for these times with `shift` added to each (the log may hold times relative
   * to the first sample, the report wants them since t0), byte for byte the same.
   */
  gaps(thresholdNs: number | undefined, shift: number): GapReport {
    if (!this.plain || !this.sorted) return gapsOfSortedTimes(this.sortedTimes(shift), thresholdNs);
    return new SortedGaps(this, thresholdNs, shift).report();
  }

  /** A reader of the times, `shift` added to each, in the order pushed, a block at a time. */
  reader(shift: number): TimeReader {
    return new TimeReader(this.pages, [...this.ends, this.end], shift);
  }

  /**
   * A delta as sign and magnitude, low bits first: the first byte holds the sign and 6 bits, each next byte
   * 7 more; the top bit of a byte says another follows. (Sign-magnitude rather than zigzag: 2|d| + 1 is not
   * exact in a double for |d| near 2^53.)
   */
  private writeDelta(delta: number): void {
    const page = this.page;
    let i = this.end;
    const sign = delta < 0 ? 1 : 0;
    let magnitude = sign ? -delta : delta;
    if (magnitude < 64) {
      page[i++] = (magnitude << 1) | sign;
    } else {
      const low = magnitude % 64;
      page[i++] = 0x80 | (low << 1) | sign;
      magnitude = (magnitude - low) / 64;
      while (magnitude >= 128) {
        const seven = magnitude % 128;
        page[i++] = 0x80 | seven;
        magnitude = (magnitude - seven) / 128;
      }
      page[i++] = magnitude;
    }
    this.end = i;
  }

  private addPage(): void {
    if (this.pages.length > 0) this.ends.push(this.end);
    this.page = new Uint8Array(PAGE_BYTES);
    this.pages.push(this.page);
    this.end = 0;
  }

  /** All the times, shifted, in one array, sorted when they were not: the rare case of overlapping files. */
  private sortedTimes(shift: number): Float64Array {
    const times = new Float64Array(this.count);
    let n = 0;
    let sorted = true;
    const reader = this.reader(shift);
    const block = reader.block;
    for (let got = reader.read(); got > 0; got = reader.read()) {
      for (let k = 0; k < got; k++) {
        const t = block[k]!;
        if (t !== t) continue; // a time of ∓∞ shifted by ±∞
        if (n > 0 && t < times[n - 1]!) sorted = false;
        times[n++] = t;
      }
    }
    return sorted ? times.subarray(0, n) : times.subarray(0, n).sort();
  }
}

/** Decodes a log's pages into one reused block of times. */
export class TimeReader {
  /** The times of the last `read`, shifted; overwritten by the next. */
  readonly block = new Float64Array(BLOCK);
  private page = 0;
  private offset = 0;
  private t = 0;

  constructor(
    private readonly pages: readonly Uint8Array[],
    private readonly ends: readonly number[],
    private readonly shift: number,
  ) {}

  /** Fills the block with the next times; returns how many (0: no more). */
  read(): number {
    const out = this.block;
    const shift = this.shift;
    let n = 0;
    let t = this.t;
    while (n < BLOCK && this.page < this.pages.length) {
      const bytes = this.pages[this.page]!;
      const end = this.ends[this.page]!;
      let i = this.offset;
      while (i < end && n < BLOCK) {
        const first = bytes[i++]!;
        if (first === ESCAPE) {
          t = new DataView(bytes.buffer).getFloat64(i, true);
          i += LONGEST_ENTRY - 1;
        } else {
          let magnitude = (first >> 1) & 63;
          if (first & 0x80) {
            let scale = 64;
            let b: number;
            do {
              b = bytes[i++]!;
              magnitude += (b & 127) * scale;
              scale *= 128;
            } while (b & 0x80);
          }
          t = first & 1 ? t - magnitude : t + magnitude;
        }
        out[n++] = t + shift;
      }
      if (i < end) {
        this.offset = i;
      } else {
        this.page++;
        this.offset = 0;
      }
    }
    this.t = t;
    return n;
  }
}

/** Where the median search stands: the value of rank `rank` (0-based, among nonzero intervals) is in [lo, hi]. */
interface Narrowing {
  rank: number;
  /** Intervals below `lo`. */
  less: number;
  lo: number;
  hi: number;
  /** The largest interval below `lo` (−∞: none): the other middle value when `less` is the rank. */
  belowMax: number;
}

// The high 32 bits of a float64 (sign, exponent, top of the mantissa): for positive numbers they grow with the
// number, so they bucket intervals by magnitude before their range is known.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
scratch[0] = 1;
const HIGH_WORD = words[1] === 0x3ff00000 ? 1 : 0;
/** The high word of 1, shifted as bucket indices are: intervals below 1 ns (none) fall in the first bucket. */
const ONE_BUCKET = 0x3ff00000 >>> 10;

/**
 * The gap report of a plain, sorted log, in passes over it and memory bounded by the buckets: one pass for the
 * count, the largest interval and counts by magnitude (10 bits of precision), then passes of linear buckets
 * over the bucket that holds the median until it holds one value (one pass for a sampler's usual intervals),
 * gathering the intervals that may be gaps on the way.
 */
class SortedGaps {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly low = new Float64Array(BUCKETS);
  private readonly high = new Float64Array(BUCKETS);

  constructor(
    private readonly log: TimeLog,
    private readonly thresholdNs: number | undefined,
    private readonly shift: number,
  ) {}

  report(): GapReport {
    const given = this.thresholdNs;
    const { count, largest, gaps } = this.firstPass(given !== undefined && given > 0 ? given : Infinity);
    if (count === 0) {
      const threshold = given ?? GAP_MEDIAN_FACTOR * 0;
      return { medianNs: 0, thresholdNs: threshold, gaps: [], largest: null };
    }
    const mid = count >> 1;
    const at: Narrowing = { rank: mid, less: 0, lo: 0, hi: 0, belowMax: -Infinity };
    this.narrow(at);
    let candidates: Gap[] | null = null;
    while (at.lo < at.hi) {
      // Both middle values are at least `floor`, so the threshold 5× their mean is at least 5× it.
      const floor = count % 2 === 0 && at.less === mid ? at.belowMax : at.lo;
      const wanted = given === undefined && candidates === null ? GAP_MEDIAN_FACTOR * floor : Infinity;
      const found = this.linearPass(at.lo, at.hi, wanted);
      if (wanted !== Infinity) candidates = found;
      this.narrow(at);
    }
    const middle = at.lo;
    const medianNs = count % 2 === 1 ? middle : ((at.less < mid ? middle : at.belowMax) + middle) / 2;
    const threshold = given ?? GAP_MEDIAN_FACTOR * medianNs;
    if (given !== undefined) return { medianNs, thresholdNs: threshold, gaps, largest };
    const kept = candidates ?? this.gapPass(threshold);
    return { medianNs, thresholdNs: threshold, gaps: kept.filter((g) => g.to - g.from > threshold), largest };
  }

  /**
   * The count of nonzero intervals, the first longest one, the intervals longer than `threshold` (a threshold
   * given: its gaps) and the counts by magnitude.
   */
  private firstPass(threshold: number): { count: number; largest: Gap | null; gaps: Gap[] } {
    const { counts, low, high } = this.reset();
    let count = 0;
    let longest = 0;
    let largest: Gap | null = null;
    const gaps: Gap[] = [];
    this.eachInterval((from, t, d) => {
      if (!(d > 0)) return; // the first time (NaN) and repeated ones
      count++;
      if (d > longest) {
        longest = d;
        largest = { from, to: t };
      }
      if (d > threshold) gaps.push({ from, to: t });
      scratch[0] = d;
      let b = (words[HIGH_WORD]! >>> 10) - ONE_BUCKET;
      if (b < 0) b = 0;
      else if (b >= BUCKETS) b = BUCKETS - 1;
      counts[b]++;
      if (d < low[b]!) low[b] = d;
      if (d > high[b]!) high[b] = d;
    });
    return { count, largest, gaps };
  }

  /** Counts of the intervals in [lo, hi] in equal buckets; returns those longer than `wanted` (up to a limit). */
  private linearPass(lo: number, hi: number, wanted: number): Gap[] | null {
    const { counts, low, high } = this.reset();
    const scale = BUCKETS / (hi - lo);
    let found: Gap[] | null = [];
    this.eachInterval((from, t, d) => {
      if (d > wanted && found !== null) {
        if (found.length === CANDIDATE_LIMIT) found = null;
        else found.push({ from, to: t });
      }
      if (!(d >= lo && d <= hi)) return;
      let b = Math.floor((d - lo) * scale);
      if (b >= BUCKETS) b = BUCKETS - 1;
      counts[b]++;
      if (d < low[b]!) low[b] = d;
      if (d > high[b]!) high[b] = d;
    });
    return found;
  }

  /** The intervals longer than the threshold, in one more pass. */
  private gapPass(threshold: number): Gap[] {
    const gaps: Gap[] = [];
    this.eachInterval((from, t, d) => {
      if (d > threshold) gaps.push({ from, to: t });
    });
    return gaps;
  }

  /** Calls `visit` with each time in order, the time before it (NaN for the first) and their difference. */
  private eachInterval(visit: (from: number, to: number, d: number) => void): void {
    let previous = NaN;
    const reader = this.log.reader(this.shift);
    const times = reader.block;
    for (let n = reader.read(); n > 0; n = reader.read()) {
      for (let k = 0; k < n; k++) {
        const t = times[k]!;
        visit(previous, t, t - previous);
        previous = t;
      }
    }
  }

  /** Narrows to the bucket that holds the value of rank `at.rank`. */
  private narrow(at: Narrowing): void {
    const { counts, low, high } = this;
    let less = at.less;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b]!;
      if (c === 0) continue;
      if (less + c > at.rank) {
        at.less = less;
        at.lo = low[b]!;
        at.hi = high[b]!;
        return;
      }
      less += c;
      at.belowMax = high[b]!;
    }
  }

  private reset(): { counts: Float64Array; low: Float64Array; high: Float64Array } {
    this.counts.fill(0);
    this.low.fill(Infinity);
    this.high.fill(-Infinity);
    return { counts: this.counts, low: this.low, high: this.high };
  }
}
