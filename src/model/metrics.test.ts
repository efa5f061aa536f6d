// What a sample weighs: the bucket names of a group level, rates of deltas, and the names --metric and --rate take.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../parse/profile';
import { magnitudeBucket, rateValues, resolveWeights, SAMPLES, weightOf } from './metrics';
import { userErrorMessage } from '../../test/support/errors';

describe('magnitudeBucket', () => {
  it('names bytes by binary orders of magnitude, as the flame_prof fork did', () => {
    expect(magnitudeBucket(142688, 'bytes')).toBe('100s KiB'); // 139.3 KiB
    expect(magnitudeBucket(1803720, 'bytes')).toBe('1s MiB'); // 1.72 MiB
    expect(magnitudeBucket(34424, 'bytes')).toBe('10s KiB'); // 33.6 KiB
    expect(magnitudeBucket(2848, 'bytes')).toBe('1s KiB');
    expect(magnitudeBucket(1023, 'bytes')).toBe('100s B');
    expect(magnitudeBucket(1024, 'bytes')).toBe('1s KiB');
    expect(magnitudeBucket(100 * 1024 * 1024, 'bytes')).toBe('100s MiB');
    expect(magnitudeBucket(5, 'bytes')).toBe('1s B');
  });

  it('other units by decimal orders, with the unit; signs, zero and absent values apart', () => {
    expect(magnitudeBucket(17731, 'words')).toBe('10s k words');
    expect(magnitudeBucket(999, 'words')).toBe('100s words');
    expect(magnitudeBucket(2_500_000, 'reductions')).toBe('1s M reductions');
    expect(magnitudeBucket(7, '')).toBe('1s');
    expect(magnitudeBucket(-8192, 'bytes')).toBe('−1s KiB');
    expect(magnitudeBucket(0, 'bytes')).toBe('0 bytes');
    expect(magnitudeBucket(0.5, 'words')).toBe('<1 words');
    expect(magnitudeBucket(NaN, 'bytes')).toBe('none');
  });
});

/** Only the columns rates read: time (ns since t0), proc, and one metric. */
function profile(times: number[], procs: number[], values: number[]): Profile {
  return {
    source: 'p',
    sampleCount: times.length,
    time: Float64Array.from(times),
    proc: Uint32Array.from(procs),
    procs: ['0.245.0', '0.301.0'],
    events: ['cpu-clock'],
    metrics: [
      { name: 'erlang_memory', values: Float64Array.from(values) },
      { name: 'erlang_memory_delta', values: Float64Array.from(values) },
    ],
  } as unknown as Profile;
}

describe('rateValues', () => {
  it('divides each delta by the seconds since the same process sampled it last; the first has no rate', () => {
    const p = profile([0, 1e8, 5e8, 2.5e9], [0, 1, 0, 0], [1, 2, 400, 1000]);
    expect(Array.from(rateValues(p, p.metrics[0]!.values))).toEqual([NaN, NaN, 400 / 0.5, 1000 / 2]);
  });

  it('takes samples in time order, whatever the file order; a sample without the metric does not restart the interval', () => {
    const p = profile([2e9, 0, 1e9], [0, 0, 0], [10, 1, NaN]);
    expect(Array.from(rateValues(p, p.metrics[0]!.values))).toEqual([10 / 2, NaN, NaN]);
  });

  it('gives no rate between two samples of one process at the same instant', () => {
    const p = profile([1e9, 1e9], [0, 0], [5, 6]);
    expect(Array.from(rateValues(p, p.metrics[0]!.values))).toEqual([NaN, NaN]);
  });
});

describe('resolveWeights', () => {
  const p = profile([0, 1e9], [0, 0], [3, -4]);
  const message = userErrorMessage;

  it('samples weigh 1; period without a period column counts samples; a metric is its values, signed', () => {
    expect(resolveWeights(p, 'samples', 0)).toBe(SAMPLES);
    expect(resolveWeights(p, 'period', 0)).toMatchObject({ name: 'period', unit: 'samples', values: null });
    const w = resolveWeights(p, 'erlang_memory_delta', 0);
    expect([w.name, w.unit, weightOf(w, 0), weightOf(w, 1)]).toEqual(['erlang_memory_delta', 'bytes', 3, -4]);
  });

  it('an unknown name lists the names there are; --rate takes delta metrics only, and says which', () => {
    expect(message(() => resolveWeights(p, 'nosuch', 0))).toBe('unknown metric "nosuch"; this profile has: samples, erlang_memory, erlang_memory_delta');
    expect(message(() => resolveWeights(p, 'erlang_memory', 0, { rate: true }))).toBe(
      '--rate needs a delta metric (a name ending in _delta), not "erlang_memory"; this profile has: erlang_memory_delta',
    );
    expect(message(() => resolveWeights(p, 'samples', 0, { rate: true }))).toMatch(/not "samples"/);
    const rate = resolveWeights(p, 'erlang_memory_delta', 0, { rate: true });
    expect([rate.name, rate.unit, weightOf(rate, 0), weightOf(rate, 1)]).toEqual(['erlang_memory_delta/s', 'bytes/s', NaN, -4]);
  });
});
