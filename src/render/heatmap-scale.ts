// What the heat-map pictures (text and SVG) share: the colour of a cell and the labels of its axes.
import { interpolateYlOrRd } from 'd3-scale-chromatic';
import type { HeatmapGrid } from '../heatmap/grid';

export type Rgb = [number, number, number];

/**
 * Where a cell's value sits on the colour scale, 0..1. The scale starts at 0 (or at the minimum, for signed
 * weights) so that a cell with one sample is pale, not the same colour as the hottest cell.
 */
export function cellShade(grid: HeatmapGrid, value: number): number {
  const low = Math.min(0, grid.min);
  const span = grid.max - low;
  return span <= 0 ? 1 : (value - low) / span;
}

/** The colour of a shade; the scale starts a little above its palest so that the faintest cell still shows. */
export function shadeColor(shade: number): Rgb {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(interpolateYlOrRd(0.08 + 0.92 * Math.min(1, Math.max(0, shade))));
  return [Number(m![1]), Number(m![2]), Number(m![3])];
}

export function hexColor([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** A row's lower edge as an offset in ms (row 13 of 49 is 265.3 ms). */
export function rowOffsetMs(row: number, rows: number): string {
  return String(Math.round((row * 10000) / rows) / 10);
}

/** Label every k-th row so that about ten offsets show, at round steps when the row count allows. */
export function rowLabelStep(rows: number): number {
  return Math.max(1, Math.round(rows / 10));
}

/** Label every 5th second, or every 10th once labels are wide enough to collide. */
export function columnLabelStep(columns: number): number {
  return String(columns).length >= 4 ? 10 : 5;
}

/** A value as a reader wants it in a legend: integers as such, others with up to 4 significant digits. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** What a cell's value counts, for legends and titles. */
export function valueUnit(grid: HeatmapGrid): string {
  return grid.weight === 'samples' ? 'samples' : 'period';
}
