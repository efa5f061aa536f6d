// Gaps: intervals between distinct sample times, the median, the threshold, and exact seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../parse/profile';
import { exactSeconds, findGaps } from './gaps';

/** Only the columns gaps read: times in ns since t0 and events. */
function profile(times: number[], events: number[] = times.map(() => 0)): Profile {
  return { sampleCount: times.length, time: Float64Array.from(times), event: Uint16Array.from(events) } as unknown as Profile;
}

const ms = (n: number): number => n * 1e6;

describe('findGaps', () => {
  it('lists intervals longer than 5× the median of the intervals between distinct times, in time order', () => {
    // Intervals 100, 100, 100, 700, 100 ms (the repeated time adds no 0 interval): median 100, threshold 500.
    const report = findGaps(profile([0, 100, 200, 200, 300, 1000, 1100].map(ms)), 0);
    expect(report.medianNs).toBe(ms(100));
    expect(report.thresholdNs).toBe(ms(500));
    expect(report.gaps).toEqual([{ from: ms(300), to: ms(1000) }]);
    expect(report.largest).toEqual({ from: ms(300), to: ms(1000) });
  });

  it('takes one event or all (−1), in any file order, and a threshold given in ns', () => {
    const p = profile([ms(200), ms(50), 0, ms(3000), ms(150), ms(100)], [0, 1, 0, 0, 1, 0]);
    expect(findGaps(p, 0).gaps).toEqual([{ from: ms(200), to: ms(3000) }]); // 100, 100, 2800: median 100
    expect(findGaps(p, 1).gaps).toEqual([]); // one interval: it is the median
    expect(findGaps(p, -1).medianNs).toBe(ms(50));
    expect(findGaps(p, -1, ms(2000)).gaps).toEqual([{ from: ms(200), to: ms(3000) }]);
    expect(findGaps(p, -1, ms(40)).gaps).toHaveLength(5);
  });

  it('takes the mean of the two middle intervals when their number is even', () => {
    expect(findGaps(profile([0, 100, 300, 600, 1000].map(ms)), 0).medianNs).toBe(ms(250));
    expect(findGaps(profile([0, 1, 2]), 0).medianNs).toBe(1);
    expect(findGaps(profile([0, 1, 3]), 0).medianNs).toBe(1.5);
  });

  it('has no gaps, median or largest interval with fewer than two distinct times; an equal interval is no gap', () => {
    expect(findGaps(profile([]), 0)).toEqual({ medianNs: 0, thresholdNs: 0, gaps: [], largest: null });
    expect(findGaps(profile([5, 5]), 0)).toEqual({ medianNs: 0, thresholdNs: 0, gaps: [], largest: null });
    expect(findGaps(profile([0, 10, 20, 70].map(ms)), 0).gaps).toEqual([]); // 50 = 5 × 10 is not longer
  });
});

describe('the median interval', () => {
  it('is the median of a sort, for any times (the selection that finds it is hand-written)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 60 }), (raw) => {
        const times = raw.map((t) => t * 1000);
        const distinct = [...new Set(times)].sort((a, b) => a - b);
        const intervals = distinct.slice(1).map((t, k) => t - distinct[k]!).sort((a, b) => a - b);
        const n = intervals.length;
        const expected = n === 0 ? 0 : n % 2 === 1 ? intervals[n >> 1]! : (intervals[n / 2 - 1]! + intervals[n / 2]!) / 2;
        expect(findGaps(profile(times), 0).medianNs).toBe(expected);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('exactSeconds', () => {
  it('writes integer nanoseconds and half nanoseconds as exact decimals', () => {
    expect(exactSeconds(910_000_000)).toBe('0.91');
    expect(exactSeconds(2_021_000_000)).toBe('2.021');
    expect(exactSeconds(3e9)).toBe('3');
    expect(exactSeconds(0)).toBe('0');
    expect(exactSeconds(1)).toBe('0.000000001');
    expect(exactSeconds(180_000_000.5)).toBe('0.1800000005');
    expect(exactSeconds(86_400e9 + 7)).toBe('86400.000000007');
  });
});
