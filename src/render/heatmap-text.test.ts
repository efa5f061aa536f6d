import { describe, expect, it } from 'vitest';
import { corpus } from '../../test/support/corpus';
import { buildHeatmap } from '../heatmap/grid';
import { readProfile } from '../parse/input';
import { heatmapText, rampChar, signedChar } from './heatmap-text';
import { SAMPLES } from '../model/metrics';


describe('heatmapText', () => {
  it('wraps a heat map wider than the terminal into bands, each with its own axes', async () => {
    const profile = await readProfile(corpus('recorded', 'perf.pattern499.txt.gz'));
    const grid = buildHeatmap(profile, { event: 0, idle: 'drop', rows: 10, weights: SAMPLES });
    expect(grid.columns).toBe(31);
    const text = heatmapText(grid, { source: 'p', color: false, width: 20 });
    const lines = text.split('\n');
    // 20 characters less the gutter ("900 │") leave 14 cells a line: columns 0–13, 14–27, 28–30.
    const axes = lines.filter((l) => l.includes('└'));
    expect(axes.map((l) => l.split('└')[1]!.length)).toEqual([14, 14, 3]);
    expect(lines.filter((l) => l.includes('│'))).toHaveLength(30);
    const secondLabels = lines.filter((l) => /^ +\d.* s$/.test(l)).map((l) => l.trim());
    expect(secondLabels).toEqual(['0    5    10 s', '15   20   25 s', '30 s']);
    for (const l of lines.filter((x) => x.includes('│'))) expect(l.split('│')[1]!.length).toBeLessThanOrEqual(14);
  });

  it('never draws a non-empty cell blank, and the hottest as the densest character', () => {
    expect(rampChar(0)).toBe('.');
    expect(rampChar(1e-9)).toBe('.');
    expect(rampChar(1)).toBe('@');
    expect(rampChar(0.5)).toBe('+');
  });
});

describe('signed cells without colour', () => {
  it('gives 1…9 above 0 and a…i below, in ninths of the side, never 0 for a value that is not', () => {
    expect(signedChar(1)).toBe('9');
    expect(signedChar(-1)).toBe('i');
    expect(signedChar(0.5)).toBe('5'); // 4.5 ninths, rounded up
    expect(signedChar(-0.125)).toBe('b');
    expect(signedChar(1e-9)).toBe('1');
    expect(signedChar(-1e-9)).toBe('a');
    expect(signedChar(1 / 9)).toBe('1');
  });
});
