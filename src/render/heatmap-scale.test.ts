import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../test/support/contrast';
import { eventPeriodUnit as periodUnit } from '../model/metrics';
import { formatCellValue, groupDigits, paletteColor, scalePosition, shadeColor } from './heatmap-scale';

const WHITE = [255, 255, 255] as const;
// The dark theme's empty cell (report.css, --canvas-empty under prefers-color-scheme: dark).
const DARK_EMPTY = [0x2c, 0x2e, 0x33] as const;

describe('cell values as people read them', () => {
  it('counts samples with the right noun and thousands separators', () => {
    const grid = { weighted: false, unit: 'samples', metric: 'samples' };
    expect(formatCellValue(grid, 1)).toBe('1 sample');
    expect(formatCellValue(grid, 2)).toBe('2 samples');
    expect(formatCellValue(grid, 12345)).toBe('12,345 samples');
  });

  it('gives periods the unit of their event', () => {
    const period = (event: string) => ({ weighted: true, unit: periodUnit(event), metric: 'period' });
    expect(formatCellValue(period('cpu-clock:ppp'), 2004008)).toBe('2,004,008 ns');
    expect(formatCellValue(period('task-clock'), 1000000)).toBe('1,000,000 ns');
    expect(formatCellValue(period('cycles:ppp'), 2500000)).toBe('2,500,000 cycles');
    expect(periodUnit('cpu_core/cycles/P')).toBe('cycles');
    expect(periodUnit('page-faults')).toBe('page-faults');
    expect(periodUnit('all events')).toBe('events');
    expect(periodUnit('erlang:bin_vheap_size_delta')).toBe('words');
    expect(groupDigits(1234.5678)).toBe('1,235');
  });
});

describe('colour scale', () => {
  const grid = { min: 1, max: 1000 };

  it('is linear from 0 by default and logarithmic with enhance', () => {
    expect(scalePosition(grid, 1000, false)).toBe(1);
    expect(scalePosition(grid, 500, false)).toBeCloseTo(0.5, 10);
    expect(scalePosition(grid, 1, false)).toBeCloseTo(0.001, 10);
    // log(1 + v) / log(1 + 1000): 1 sample sits a tenth of the way up, 31 samples half way.
    expect(scalePosition(grid, 1, true)).toBeCloseTo(Math.log(2) / Math.log(1001), 10);
    expect(scalePosition(grid, 31, true)).toBeCloseTo(Math.log(32) / Math.log(1001), 10);
    expect(scalePosition(grid, 1000, true)).toBe(1);
  });

  it('grows with the value', () => {
    for (const enhance of [false, true]) {
      let last = -1;
      for (let v = 1; v <= 1000; v += 7) {
        const p = scalePosition(grid, v, enhance);
        expect(p).toBeGreaterThan(last);
        last = p;
      }
    }
  });

  it('makes the faintest cell stand out of an empty one: at least 3:1 with enhance, on light and dark', () => {
    for (let t = 0; t <= 1; t += 0.01) {
      expect(contrastRatio(paletteColor(t, { background: 'light', enhance: true }), WHITE)).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(paletteColor(t, { background: 'dark', enhance: true }), DARK_EMPTY)).toBeGreaterThanOrEqual(3);
    }
  });

  it('without enhance, starts at a visible yellow (was 1.1:1 against white)', () => {
    expect(contrastRatio(shadeColor(0), WHITE)).toBeGreaterThan(1.35);
    expect(contrastRatio(paletteColor(0, { background: 'light', enhance: false }), WHITE)).toBeGreaterThan(1.35);
    expect(contrastRatio(paletteColor(0, { background: 'dark', enhance: false }), DARK_EMPTY)).toBeGreaterThan(2.5);
  });
});
