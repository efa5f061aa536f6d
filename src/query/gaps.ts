// Gaps: the stretches of time with no sample of an event, longer than the event's usual interval allows. A
// sampler that could not run (flame_prof flushing every 15 s, an overloaded node, perf losing events) leaves
// them; a heat map shows them as grey cells, but a list says exactly where they begin and end.
// Pure and free of Node APIs: the page bundles it.
import type { Profile } from '../parse/profile';

/** An interval between two consecutive samples, in ns since t0: the samples at `from` and `to`, none between. */
export interface Gap {
  from: number;
  to: number;
}

export interface GapReport {
  /** The median interval between consecutive distinct sample times (0 with fewer than two). */
  medianNs: number;
  /** Intervals longer than this are gaps: the threshold given, or 5× the median. */
  thresholdNs: number;
  /** In time order. */
  gaps: Gap[];
  /** The longest interval of all (a gap or not), null with fewer than two distinct times. */
  largest: Gap | null;
}

/** The default threshold: this many times the median interval. */
export const GAP_MEDIAN_FACTOR = 5;

/**
 * The gaps of one event (−1: all events together). Intervals are taken between distinct timestamps: samplers
 * that sample many processes in one tick (flame_prof) print one timestamp for all of them, and those zero
 * intervals say nothing about how often the sampler ran.
 */
export function findGaps(profile: Profile, event: number, thresholdNs?: number): GapReport {
  // The event's times in typed arrays (a profile has millions of samples); sorted only when the file is not.
  const times = new Float64Array(profile.sampleCount);
  let n = 0;
  let sorted = true;
  for (let i = 0; i < profile.sampleCount; i++) {
    if (event >= 0 && profile.event[i] !== event) continue;
    const t = profile.time[i]!;
    if (t !== t) continue;
    if (n > 0 && t < times[n - 1]!) sorted = false;
    times[n++] = t;
  }
  return gapsOfSortedTimes(sorted ? times.subarray(0, n) : times.subarray(0, n).sort(), thresholdNs);
}

/**
 * The gap report of sample times already in order (no NaN): what `findGaps` answers once it has gathered an
 * event's times, shared with `TimeLog`, which must give the same report byte for byte.
 */
export function gapsOfSortedTimes(taken: Float64Array, thresholdNs?: number): GapReport {
  const n = taken.length;
  // Intervals between distinct times, in place of the times they are taken from.
  const intervals = new Float64Array(Math.max(0, n - 1));
  let count = 0;
  let largest: Gap | null = null;
  for (let k = 1; k < n; k++) {
    const d = taken[k]! - taken[k - 1]!;
    if (d === 0) continue;
    intervals[count++] = d;
    if (largest === null || d > largest.to - largest.from) largest = { from: taken[k - 1]!, to: taken[k]! };
  }
  const medianNs = median(intervals.subarray(0, count));
  const threshold = thresholdNs ?? GAP_MEDIAN_FACTOR * medianNs;
  const gaps: Gap[] = [];
  if (count > 0 && threshold > 0) {
    for (let k = 1; k < n; k++) {
      if (taken[k]! - taken[k - 1]! > threshold) gaps.push({ from: taken[k - 1]!, to: taken[k]! });
    }
  }
  return { medianNs, thresholdNs: threshold, gaps, largest };
}

/**
 * The median of an array (the mean of the two middle values for an even length); 0 when empty. Reorders it:
 * a selection in linear time rather than a sort, since a profile has millions of intervals.
 */
function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  select(values, mid);
  if (n % 2 === 1) return values[mid]!;
  // After the selection, the values below `mid` are the smaller half: the other middle one is their maximum.
  let below = -Infinity;
  for (let i = 0; i < mid; i++) if (values[i]! > below) below = values[i]!;
  return (below + values[mid]!) / 2;
}

/** Puts the k-th smallest value at index k, smaller ones before it and larger ones after (quickselect). */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot: sorted input (the usual case) stays linear.
    const m = (lo + hi) >> 1;
    const pivot = Math.max(Math.min(a[lo]!, a[m]!), Math.min(Math.max(a[lo]!, a[m]!), a[hi]!));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Nanoseconds as exact decimal seconds (`0.91`, `1.751`): times are integers, a median of two intervals may
 * end in half a nanosecond (`0.1800000005`), and both are written without binary floating-point noise.
 */
export function exactSeconds(ns: number): string {
  const whole = Math.floor(ns);
  const seconds = Math.floor(whole / 1e9);
  const digits = String(whole - seconds * 1e9).padStart(9, '0');
  // What is left below 1 ns is a binary fraction (0.5 from a median), written with its own exact digits.
  const below = ns - whole === 0 ? '' : String(ns - whole).slice(2);
  const frac = `${digits}${below}`.replace(/0+$/, '');
  return frac === '' ? String(seconds) : `${seconds}.${frac}`;
}
