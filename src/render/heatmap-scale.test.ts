import { describe, expect, it } from 'vitest';
import { colourDifference, contrastRatio } from '../../test/support/contrast';
import { eventPeriodUnit as periodUnit } from '../model/metrics';
import { formatCellValue, groupDigits, NULL_GREY, paletteColor, scalePosition, shadeColor } from './heatmap-scale';
import { DARK_NULL } from './page/heatmap-colors';

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

  // An empty cell is grey now (the rule): the faintest cell is measured against the grey, in lightness
  // (WCAG contrast) and in colour (ΔE, which a yellow beside a grey of its lightness has and contrast misses).
  it('with enhance, every cell stands out of an empty (grey) one, on light and dark', () => {
    for (let t = 0; t <= 1; t += 0.01) {
      const light = paletteColor(t, { background: 'light', enhance: true });
      expect(contrastRatio(light, NULL_GREY)).toBeGreaterThanOrEqual(2.5);
      expect(colourDifference(light, NULL_GREY)).toBeGreaterThan(30);
      expect(contrastRatio(paletteColor(t, { background: 'dark', enhance: true }), DARK_NULL)).toBeGreaterThanOrEqual(3);
    }
  });

  it('without enhance, the faintest cell is a yellow apart from the grey (light), a red 2.2:1 off it (dark)', () => {
    expect(colourDifference(shadeColor(0), NULL_GREY)).toBeGreaterThan(40);
    expect(colourDifference(paletteColor(0, { background: 'light', enhance: false }), NULL_GREY)).toBeGreaterThan(40);
    expect(contrastRatio(paletteColor(0, { background: 'dark', enhance: false }), DARK_NULL)).toBeGreaterThan(2.2);
  });
});
