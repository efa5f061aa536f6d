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
  const times: number[] = [];
  for (let i = 0; i < profile.sampleCount; i++) {
    if (event >= 0 && profile.event[i] !== event) continue;
    const t = profile.time[i]!;
    if (t === t) times.push(t);
  }
  const sorted = Float64Array.from(times).sort();
  const distinct: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct.push(sorted[k]!);
  const intervals = new Float64Array(Math.max(0, distinct.length - 1));
  let largest: Gap | null = null;
  for (let k = 1; k < distinct.length; k++) {
    const d = distinct[k]! - distinct[k - 1]!;
    intervals[k - 1] = d;
    if (largest === null || d > largest.to - largest.from) largest = { from: distinct[k - 1]!, to: distinct[k]! };
  }
  const medianNs = median(intervals);
  const threshold = thresholdNs ?? GAP_MEDIAN_FACTOR * medianNs;
  const gaps: Gap[] = [];
  if (intervals.length > 0 && threshold > 0) {
    for (let k = 1; k < distinct.length; k++) {
      if (distinct[k]! - distinct[k - 1]! > threshold) gaps.push({ from: distinct[k - 1]!, to: distinct[k]! });
    }
  }
  return { medianNs, thresholdNs: threshold, gaps, largest };
}

/** The median of an array (the mean of the two middle values for an even length); 0 when empty. */
function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
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
