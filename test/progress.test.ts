// The progress line, figures worked out by hand.
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/progress';

describe('progressLine', () => {
  it('a bar, bytes of the total, the rate and the time left', () => {
    // 47 MB of 114 MB in 0.2 s: 235 MB/s, 67 MB left → 0.285 s.
    expect(progressLine(47e6, 114e6, 200, 20)).toBe('[########............] 41% 47.0/114.0 MB, 235.0 MB/s, 0.3 s left');
    expect(progressLine(114e6, 114e6, 500, 4)).toBe('[####] 100% 114.0/114.0 MB, 228.0 MB/s, 0.0 s left');
  });

  it('minutes for a long read, and bytes and rate alone when the size is unknown (stdin)', () => {
    // 1 GB of 4 GB at 10 MB/s: 300 s left.
    expect(progressLine(1e9, 4e9, 100_000, 4)).toBe('[#...] 25% 1000.0/4000.0 MB, 10.0 MB/s, 5 min 0 s left');
    expect(progressLine(5e6, 0, 1000)).toBe('5.0 MB, 5.0 MB/s');
  });
});
