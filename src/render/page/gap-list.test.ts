// How the gap list says a gap: the map's seconds, the file's clock, a readable span.
import { describe, expect, it } from 'vitest';
import { describeGap, fileClockGap, formatSpan } from './gap-list';

describe('gap text', () => {
  it('says the spec example as the spec writes it (t0 = 100 s)', () => {
    const gap = { from: 910_000_000, to: 2_020_000_000 };
    expect(describeGap(gap)).toBe('no samples 0.910–2.020 s (1.11 s)');
    expect(fileClockGap(gap, 100)).toBe('100.910–102.020 s');
  });

  it('spans: ms below a second, three digits, whole seconds with separators past 1,000', () => {
    expect(formatSpan(180_000_000)).toBe('180 ms');
    expect(formatSpan(1_751_000_000)).toBe('1.75 s');
    expect(formatSpan(15_000_000_000)).toBe('15 s');
    expect(formatSpan(3_600_400_000_000)).toBe('3,600 s');
    expect(formatSpan(1_500)).toBe('0.0015 ms');
  });

  it('long recordings: thousands separators in times', () => {
    expect(describeGap({ from: 86_339_500_000_000, to: 86_340_000_000_000 })).toBe('no samples 86,339.500–86,340.000 s (500 ms)');
  });
});
