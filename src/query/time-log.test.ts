// The time log answers the gap report of findGaps byte for byte, from deltas and counting passes.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { corpus } from '../../test/support/corpus';
import { readProfile } from '../parse/input';
import type { Profile } from '../parse/profile';
import { findGaps } from './gaps';
import { TimeLog } from './time-log';

/** Only the columns gaps read: times in ns since t0 and events. */
function profile(times: ArrayLike<number>): Profile {
  return {
    sampleCount: times.length,
    time: Float64Array.from(times),
    event: new Uint16Array(times.length),
  } as unknown as Profile;
}

function logOf(times: ArrayLike<number>): TimeLog {
  const log = new TimeLog();
  for (let i = 0; i < times.length; i++) log.push(times[i]!);
  return log;
}

/** The log of `times` reports what findGaps reports for `times + shift`, to the last bit and the JSON byte. */
function expectSameReport(times: ArrayLike<number>, shift: number, thresholdNs?: number): void {
  const shifted = Float64Array.from(times, (t) => t + shift);
  const expected = findGaps(profile(shifted), 0, thresholdNs);
  const actual = logOf(times).gaps(thresholdNs, shift);
  expectSameJson(JSON.stringify(actual), JSON.stringify(expected));
  expect(actual).toStrictEqual(expected); // and −0 apart from 0, which JSON does not tell
}

/** The same JSON, or the first difference in a few lines (a diff of 100,000 gaps would take minutes). */
function expectSameJson(actual: string, expected: string): void {
  if (actual === expected) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  expect(actual.slice(Math.max(0, i - 60), i + 60)).toBe(expected.slice(Math.max(0, i - 60), i + 60));
}

/** Sorted times from a start and steps (0: a repeated time). */
function cumulative(start: number, steps: readonly number[]): number[] {
  const times = [start];
  for (const step of steps) times.push(times[times.length - 1]! + step);
  return times;
}

/** Steps of every kind a sampler leaves: repeated times, ns jitter around a period, short and huge gaps. */
const step = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 999_000, max: 1_001_000 }),
  fc.integer({ min: 1, max: 1e12 }),
);
const start = fc.integer({ min: -1e12, max: 1e12 });
const shift = fc.oneof(fc.constant(0), fc.integer({ min: -1e15, max: 1e15 }));
/** Shifts from 2^53 to 2^62 ns, where t + shift rounds (fc.integer stops at 2^53). */
const beyond = fc
  .tuple(fc.integer({ min: 0, max: 511 }), fc.integer({ min: 0, max: 2 ** 30 }))
  .map(([high, low]) => 2 ** 53 + high * 2 ** 53 + low);
const threshold = fc.option(fc.oneof(fc.integer({ min: -5, max: 2e6 }), fc.constant(0.5)), { nil: undefined });

/** A deterministic generator (xorshift), for inputs too large for fast-check to shrink. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('TimeLog.gaps equals findGaps', () => {
  it('on sorted times with repeats, jitter and huge gaps, even and odd counts, shifted up to 1e15 ns', () => {
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 80 }), shift, threshold, (t0, steps, by, given) => {
        expectSameReport(cumulative(t0, steps), by, given);
      }),
      { seed: 10, numRuns: 2000 },
    );
  });

  it('on times in any order (overlapping files), with repeats', () => {
    const times = fc.array(fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 20 })), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(times, shift, threshold, (t, by, given) => expectSameReport(t, by, given)),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('when flame_prof stamps many samples with one time: intervals between distinct times only', () => {
    const groups = fc.array(fc.tuple(fc.integer({ min: 1, max: 2e6 }), fc.integer({ min: 1, max: 6 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(groups, threshold, (g, given) => {
        const times: number[] = [];
        let t = 1_700_000_000;
        for (const [gap, repeats] of g) {
          t += gap;
          for (let r = 0; r < repeats; r++) times.push(t);
        }
        expectSameReport(times, 0, given);
      }),
      { seed: 12, numRuns: 1000 },
    );
  });

  it('even where t + shift rounds (beyond 2^53) and on times no delta can say exactly', () => {
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 40 }), beyond, (t0, steps, by) => {
        expectSameReport(cumulative(t0, steps), by);
      }),
      { seed: 13, numRuns: 500 },
    );
    const odd = fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(-0), fc.integer()), { maxLength: 30 });
    fc.assert(
      fc.property(odd, threshold, (t, given) => expectSameReport(t.sort((a, b) => a - b), 0, given)),
      { seed: 14, numRuns: 500 },
    );
    fc.assert(
      fc.property(odd, threshold, (t, given) => expectSameReport(t, 0, given)),
      { seed: 15, numRuns: 500 },
    );
  });

  it('on regular sampling with ns jitter and a few gaps, and on a million distinct intervals', () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const n = 200_000 + seed; // odd and even counts
      const regular = new Float64Array(n);
      const spread = new Float64Array(n);
      for (let i = 1; i < n; i++) {
        const gap = next() < 0.0005 ? Math.floor(next() * 5e9) : 0;
        regular[i] = regular[i - 1]! + 1_000_000 + Math.floor(next() * 2001) - 1000 + gap;
        // ns timestamps of many CPUs merged: intervals anywhere from 1 ns to 2 ms.
        spread[i] = spread[i - 1]! + Math.floor(next() * 2e6) + (next() < 0.1 ? 0 : 1);
      }
      for (const given of [undefined, 1_500_000]) {
        expectSameReport(regular, 1_234_567_890_123, given);
        expectSameReport(spread, -5e14, given);
      }
    }
  });

  it('when more intervals than it remembers may be gaps, and some just below the threshold are not', () => {
    const next = random(4);
    const times = new Float64Array(200_000);
    for (let i = 1; i < times.length; i++) {
      // 130,000 intervals of 100,000 ± 10 ns hold the median (about 100,006): 5× it is about 500,030. 70,000
      // are 499,960 (above 5× the smallest interval near the median, no gap) or 500,100 (a gap).
      const d = i < 130_000 ? 99_990 + Math.floor(next() * 21) : next() < 0.5 ? 499_960 : 500_100;
      times[i] = times[i - 1]! + d;
    }
    const passes = vi.spyOn(TimeLog.prototype, 'reader');
    expectSameReport(times, 0);
    // Counts by magnitude, linear buckets (too many intervals may be gaps to remember), then the gaps.
    expect(passes).toHaveBeenCalledTimes(3);
    passes.mockRestore();
    expect(findGaps(profile(times), 0).gaps.length).toBeGreaterThan(30_000);
  });

  it('when the two middle intervals are far apart, a gap below 5× the upper one is still found', () => {
    const next = random(6);
    // 5,000 intervals of 1000 ns, 4,999 of 99,990 to 100,010 and one of 300,000: the middle two are 1000 and
    // about 99,990, the threshold about 252,000, so the 300,000 interval is a gap though under 5 × 99,990.
    const upper = Array.from({ length: 4999 }, () => 99_990 + Math.floor(next() * 21));
    const steps = [...Array<number>(5000).fill(1000), ...upper];
    steps.splice(7000, 0, 300_000);
    const times = cumulative(0, steps);
    expectSameReport(times, 0);
    expect(findGaps(profile(times), 0).gaps).toHaveLength(1);
  });

  it('when the median\'s linear bucket still holds several values: clusters of near-equal huge intervals', () => {
    const next = random(5);
    const times = new Float64Array(10_001);
    for (let i = 1; i < times.length; i++) {
      // Around 2^39 ns, 2^20 apart, each cluster 4 values wide: within one linear bucket of the first round.
      times[i] = times[i - 1]! + 2 ** 39 + 2 ** 20 * Math.floor(next() * 512) + Math.floor(next() * 4);
    }
    const passes = vi.spyOn(TimeLog.prototype, 'reader');
    expectSameReport(times, 0);
    expect(passes).toHaveBeenCalledTimes(3);
    passes.mockRestore();
  });

  it('is empty with fewer than two distinct times; NaN is no time, as in findGaps', () => {
    for (const times of [[], [7], [7, 7, 7], [NaN, 3, NaN]]) {
      expectSameReport(times, 0);
      expectSameReport(times, 0, 10);
    }
    const log = logOf([NaN, 5, NaN, 9]);
    expect(log.count).toBe(2);
    expect(log.gaps(undefined, 0)).toStrictEqual({
      medianNs: 4,
      thresholdNs: 20,
      gaps: [],
      largest: { from: 5, to: 9 },
    });
  });

  it('counts by hand: the median of an even count may end in half a ns, the first largest interval wins', () => {
    // Intervals 3, 8, 8, 40, 1 (the repeated 19 adds none), shifted by 1e15: sorted 1, 3, 8, 8, 40: median 8.
    const times = [0, 3, 11, 19, 19, 59, 60];
    expect(logOf(times).gaps(undefined, 1e15)).toStrictEqual({
      medianNs: 8,
      thresholdNs: 40,
      gaps: [],
      largest: { from: 1e15 + 19, to: 1e15 + 59 },
    });
    // Intervals 5, 6, 9, 9: median (6 + 9) / 2; the first 9 is the largest; a threshold of 5.5 leaves three.
    const even = logOf([-20, -15, -9, 0, 9]);
    expect(even.gaps(undefined, 0).medianNs).toBe(7.5);
    expect(even.gaps(undefined, 0).largest).toStrictEqual({ from: -9, to: 0 });
    expect(even.gaps(5.5, 0).gaps).toStrictEqual([
      { from: -15, to: -9 },
      { from: -9, to: 0 },
      { from: 0, to: 9 },
    ]);
  });
});

describe('TimeLog on a recorded profile', () => {
  it('big999: the same report as findGaps for event 0 and all events, in under 4 bytes a sample', async () => {
    const p = await readProfile(corpus('recorded', 'perf.big999.txt.gz'));
    const first = p.time[0]!;
    const all = new TimeLog();
    const events = p.events.map(() => new TimeLog());
    for (let i = 0; i < p.sampleCount; i++) {
      // As the streaming heat map logs them: relative to the first sample, reported since t0.
      all.push(p.time[i]! - first);
      events[p.event[i]!]!.push(p.time[i]! - first);
    }
    expect(all.count).toBe(p.sampleCount);
    expect(all.sorted).toBe(true);
    for (const given of [undefined, 2e6]) {
      expectSameJson(JSON.stringify(all.gaps(given, first)), JSON.stringify(findGaps(p, -1, given)));
      expectSameJson(JSON.stringify(events[0]!.gaps(given, first)), JSON.stringify(findGaps(p, 0, given)));
    }
    expect(p.sampleCount).toBeGreaterThan(50_000);
    expect(all.byteLength).toBeLessThan(4 * p.sampleCount);
  });
});
