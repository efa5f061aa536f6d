// The statistics `explain` rests on: an exact one-sided binomial test and the Benjamini–Hochberg adjustment.
// Written here rather than taken from a package: the test is one continued fraction and one density (~100 lines),
// and the page bundles this module, so it must be small and free of Node APIs.
//
// P(X ≥ k) for X ~ Binomial(n, p) is the regularised incomplete beta I_p(k, n − k + 1). Its continued fraction
// (Numerical Recipes' `betacf`, evaluated with the modified Lentz method) is multiplied by a prefactor that equals
// (1 − p) · P(X = k); that density is computed in log space with Loader's saddle-point formula (the one R's
// dbinom uses: Stirling's error terms and the deviance `bd0`), which keeps full relative accuracy for n in the
// millions, where log Γ differences lose digits to cancellation.

const LN_2PI = Math.log(2 * Math.PI);

/** ln(n!) − ln(√(2πn) (n/e)^n), the error of Stirling's formula, for a whole number n ≥ 1. */
function stirlingError(n: number): number {
  if (n <= 15) {
    let lnFactorial = 0;
    for (let i = 2; i <= n; i++) lnFactorial += Math.log(i);
    return lnFactorial - (n + 0.5) * Math.log(n) + n - 0.5 * LN_2PI;
  }
  const nn = n * n;
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** The deviance term x ln(x / m) + m − x, computed without cancellation when x is close to m. */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1, k a whole number in [0, n]. */
export function logBinomialDensity(k: number, n: number, p: number): number {
  const q = 1 - p;
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const lf = LN_2PI + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
}

/** The continued fraction of I_x(a, b) (Numerical Recipes' betacf), modified Lentz; converges for x < (a+1)/(a+b+2). */
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  // O(√max(a, b)) steps are needed; the cap is far beyond that for n up to 2^31.
  for (let m = 1; m <= 1_000_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) return h;
  }
  return h;
}

/**
 * ln P(X ≥ k) for X ~ Binomial(n, p): the log of the one-sided p-value of seeing k or more of n when each has
 * chance p. Exact to about 1e-13 relative wherever the result is below ½, however small (the log does not
 * underflow); above ½ it is 1 − (the other tail), exact to about 1e-15 absolute.
 */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k) && p >= 0 && p <= 1)) {
    throw new RangeError(`binomial tail needs whole n ≥ 0, whole k and 0 ≤ p ≤ 1 (k=${k}, n=${n}, p=${p})`);
  }
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p === 0) return -Infinity;
  if (p === 1) return 0;
  // I_p(a, b) with a = k, b = n − k + 1; its prefactor p^a (1−p)^b / (a B(a, b)) is (1 − p) P(X = k).
  const a = k;
  const b = n - k + 1;
  if (p < (a + 1) / (a + b + 2)) {
    return logBinomialDensity(k, n, p) + Math.log1p(-p) + Math.log(betaFraction(a, b, p));
  }
  // The upper tail is large here: 1 − P(X ≤ k − 1) = 1 − I_{1−p}(n − k + 1, k), whose prefactor is p · P(X = k − 1).
  const lower = Math.exp(logBinomialDensity(k - 1, n, p) + Math.log(p) + Math.log(betaFraction(b, a, 1 - p)));
  return Math.log1p(-Math.min(1, lower));
}

/** P(X ≥ k) for X ~ Binomial(n, p) (0 when it is below the smallest double). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  return Math.exp(logBinomialUpperTail(k, n, p));
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the order given: p_(i) · m / i over the sorted p-values,
 * made monotone from the largest down and capped at 1. A row is significant at false discovery rate α when its
 * adjusted value is ≤ α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]! || i - j);
  const out = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r]!;
    running = Math.min(running, (pValues[i]! * m) / (r + 1));
    out[i] = running;
  }
  return out;
}
