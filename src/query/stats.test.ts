import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, binomialUpperTail, logBinomialUpperTail } from './stats';

// Expected values computed independently of this code, once, with Python:
// - "exact": Σ_{j≥k} C(n,j) p^j (1−p)^(n−j) in exact rationals (fractions.Fraction), rounded to a double;
// - "mpmath": the same sum in 50-digit arithmetic (mpmath), terms by the ratio recurrence from the first one,
//   for n in the millions and for values below the smallest double (compared as logarithms).
const EXACT: [k: number, n: number, p: number, tail: number][] = [
  [3, 10, 1 / 2, 0.9453125],
  [7, 20, 1 / 7, 0.017053144165804498],
  [15, 20, 1 / 7, 1.5927787352971018e-9],
  [1, 50, 1 / 100, 0.39499393286246337],
  [30, 30, 17 / 100, 8.193465725814766e-24],
  [25, 30, 17 / 100, 3.3708132014548025e-15],
  [60, 200, 1 / 5, 0.0004976948553553735],
  [40, 200, 1 / 5, 0.5281899539921948],
  [950, 1000, 1 / 2, 9.318463533269782e-217],
  [500, 1000, 1 / 2, 0.5126125090891804],
  [400, 1000, 1 / 2, 0.9999999999099158],
  [300, 1000, 1 / 20, 7.741905136030018e-143],
  // mpmath, n in the millions
  [1001000, 2000000, 0.5, 0.078753423661488881],
  [1003000, 2000000, 0.5, 1.1079965708219458e-5],
  [5400, 1000000, 0.004, 1.2645540891367517e-98],
  [150, 1000000, 0.0001, 1.8818188601003955e-6],
];

// ln of values below the smallest double (mpmath): 8.5011537702260437e-332 and 6.8521325936937191e-612.
const BELOW_DOUBLE: [k: number, n: number, p: number, mantissa: number, exponent: number][] = [
  [20000, 3000000, 0.005, 8.5011537702260437, -332],
  [1000, 1000000, 0.0001, 6.8521325936937191, -612],
];

describe('binomialUpperTail', () => {
  it.each(EXACT)('P(X ≥ %d | n=%d, p=%d) matches the exact sum', (k, n, p, tail) => {
    const got = binomialUpperTail(k, n, p);
    // Relative accuracy where the tail is small, absolute where it is near 1.
    expect(Math.abs(got - tail) / Math.min(1, tail)).toBeLessThan(1e-10);
  });

  it.each(BELOW_DOUBLE)('ln P(X ≥ %d | n=%d, p=%d) is right below the smallest double', (k, n, p, mantissa, exponent) => {
    const expected = Math.log(mantissa) + exponent * Math.LN10;
    expect(Math.abs(logBinomialUpperTail(k, n, p) - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    expect(binomialUpperTail(k, n, p)).toBe(0);
  });

  it('k = 0 is certain, k > n impossible, k = n is p^n, k = 1 is 1 − (1 − p)^n', () => {
    expect(binomialUpperTail(0, 17, 0.3)).toBe(1);
    expect(binomialUpperTail(18, 17, 0.3)).toBe(0);
    for (const [n, p] of [[10, 0.3], [1000, 0.9], [40, 1e-3], [1, 0.25]] as const) {
      expect(binomialUpperTail(n, n, p)).toBeCloseTo(p ** n, 15);
      expect(Math.abs(binomialUpperTail(n, n, p) / p ** n - 1)).toBeLessThan(1e-12);
      const one = 1 - (1 - p) ** n;
      expect(Math.abs(binomialUpperTail(1, n, p) - one) / one).toBeLessThan(1e-12);
    }
    expect(Math.abs(logBinomialUpperTail(1000, 1000, 0.25) - 1000 * Math.log(0.25))).toBeLessThan(1e-9);
  });

  it('p = ½ is symmetric: P(X ≥ k) + P(X ≥ n − k + 1) = 1', () => {
    for (const n of [9, 10, 101, 5000, 1_000_001]) {
      for (const k of [1, Math.floor(n / 3), Math.floor(n / 2), Math.ceil(n / 2) + 1, n]) {
        expect(binomialUpperTail(k, n, 0.5) + binomialUpperTail(n - k + 1, n, 0.5)).toBeCloseTo(1, 12);
      }
    }
  });

  it('p = 0 and p = 1 are certain outcomes; bad arguments are refused', () => {
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(() => binomialUpperTail(1.5, 10, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, 1.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, NaN)).toThrow(RangeError);
  });
});

describe('benjaminiHochberg', () => {
  it('matches the textbook example (worked by hand: p·m/rank, then the running minimum from the largest)', () => {
    // m = 5: sorted 0.01 0.02 0.03 0.04 0.05 → 0.05, 0.05, 0.05, 0.05, 0.05
    expect(benjaminiHochberg([0.05, 0.01, 0.04, 0.02, 0.03]).map((v) => +v.toFixed(12))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    // sorted 0.001 0.03 0.04 0.5: 0.001·4/1 = 0.004; 0.03·4/2 = 0.06; 0.04·4/3 = 0.053333…; 0.5·4/4 = 0.5;
    // the running minimum from the largest makes rank 2 take rank 3's 0.053333…
    expect(benjaminiHochberg([0.5, 0.001, 0.04, 0.03]).map((v) => +v.toFixed(12))).toEqual([0.5, 0.004, 0.053333333333, 0.053333333333]);
    expect(benjaminiHochberg([0.9, 0.8])).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
