// Two folded files as one, with two counts per stack: FlameGraph's difffolded.pl, re-done on our own `collapse`
// lines so that `diff --format folded` is a drop-in for it (flamegraph.pl and inferno draw it as a differential
// graph). The one difference: difffolded.pl prints in Perl's hash order, which changes from run to run; we
// print the lines in byte order, i.e. exactly `difffolded.pl A B | LC_ALL=C sort`.
import { compareCodePoints } from './collapse';

export interface FoldedDiff {
  /** `stack base target` lines, in byte order. */
  lines: string[];
  /** The stack of each line. */
  stacks: string[];
  /** Σ of the counts read from each side, summed in line order as difffolded.pl sums them. */
  baseTotal: number;
  targetTotal: number;
  /** The base was scaled to the target's total (difffolded.pl's `-n`, which does nothing when the totals are equal). */
  scaled: boolean;
}

/**
 * difffolded.pl's line pattern: the stack is everything before the whitespace before a trailing unsigned
 * decimal count (`^(.*)\s+?(\d+(?:\.\d*)?)$`). Perl reads the file as bytes, so `\s` is ASCII whitespace only.
 */
const LINE = /^([^\n]*)[\t\n\v\f\r ]+?(\d+(?:\.\d*)?)$/;

/** Merges two sides' folded lines (`stack count`) into `stack base target` lines, as `difffolded.pl [-n]`. */
export function diffFolded(base: readonly string[], target: readonly string[], normalize: boolean): FoldedDiff {
  const counts = new Map<string, [number, number]>();
  const read = (lines: readonly string[], side: 0 | 1): number => {
    let total = 0;
    for (const line of lines) {
      const m = LINE.exec(line);
      // Our collapse writes non-negative decimal counts; a negative or exponent count (a metric with negative
      // values) has no meaning to difffolded.pl, which would file it under an empty stack.
      if (m === null) throw new Error(`not a folded line with a count difffolded.pl reads: ${JSON.stringify(line)}`);
      const count = Number(m[2]);
      let pair = counts.get(m[1]!);
      if (pair === undefined) counts.set(m[1]!, (pair = [0, 0]));
      pair[side] += count;
      total += count;
    }
    return total;
  };
  const baseTotal = read(base, 0);
  const targetTotal = read(target, 1);
  const scaled = normalize && baseTotal !== targetTotal;
  const rows: [string, string][] = [];
  for (const [stack, [b, t]] of counts) {
    const shown = scaled ? perlScaled(b, targetTotal, baseTotal) : b;
    rows.push([`${stack} ${perlNumber(shown)} ${perlNumber(t)}`, stack]);
  }
  rows.sort((x, y) => compareCodePoints(x[0], y[0]));
  return { lines: rows.map((r) => r[0]), stacks: rows.map((r) => r[1]), baseTotal, targetTotal, scaled };
}

const TWO_53 = 2 ** 53;
const TWO_64 = 2n ** 64n;

/**
 * `int($count * $total2 / $total1)` as Perl computes it: integers multiply exactly while the product fits in 64
 * bits, and an exact integer quotient stays exact; anything else is double arithmetic, truncated toward zero.
 * (A zero base total is refused before: Perl dies of "Illegal division by zero".)
 */
export function perlScaled(count: number, total2: number, total1: number): number {
  if (Number.isInteger(count) && Number.isInteger(total2) && Number.isInteger(total1) && Math.abs(count * total2) >= TWO_53) {
    const product = BigInt(count) * BigInt(total2);
    const divisor = BigInt(total1);
    if (product < TWO_64 && product > -TWO_64 && product % divisor === 0n) return Number(product / divisor);
    return Math.trunc(Number(product) / total1);
  }
  return Math.trunc((count * total2) / total1);
}

/** How Perl prints a number: an integer as its digits (up to 64 bits), anything else as `%.15g`. */
export function perlNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 64) return BigInt(n).toString();
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : n < 0 ? '-Inf' : 'NaN';
  // %.15g: 15 significant digits, trailing zeros dropped, exponent form when exp < -4 or exp >= 15.
  const [mantissa, expText] = n.toExponential(14).split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 15) {
    const m = mantissa.replace(/\.?0+$/, '');
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return n.toFixed(Math.max(0, 14 - exp)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * The lines of stacks that the target lacks entirely (FlameScope's "elided" view): those whose stack is no
 * target stack and no prefix of one, i.e. whose frame is absent from the target's flame graph. Looked up in the
 * sorted target stacks (no prefix sets: a 10,000-deep stack has 10,000 of them).
 */
export function elidedLines(diff: FoldedDiff, targetLines: readonly string[]): string[] {
  const stacks: string[] = [];
  for (const line of targetLines) {
    const m = LINE.exec(line);
    if (m !== null) stacks.push(m[1]!);
  }
  stacks.sort(compareCodePoints);
  const exact = new Set(stacks);
  const firstAtLeast = (key: string): number => {
    let lo = 0;
    let hi = stacks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareCodePoints(stacks[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const inTarget = (stack: string): boolean => {
    if (exact.has(stack)) return true;
    const prefix = `${stack};`;
    return stacks[firstAtLeast(prefix)]?.startsWith(prefix) === true;
  };
  return diff.lines.filter((_, k) => !inTarget(diff.stacks[k]!));
}
