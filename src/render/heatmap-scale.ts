// What the heat-map pictures (page, text and SVG) share: the colour of a cell, the labels of its axes and how
// a cell's value reads.
import { interpolateGreens, interpolateReds, interpolateYlOrRd } from 'd3-scale-chromatic';
import type { HeatmapGrid } from '../heatmap/grid';

export type Rgb = [number, number, number];

/**
 * Where a cell's value sits on the colour scale, 0..1. The scale starts at 0 (or at the minimum, for signed
 * weights) so that a cell with one sample is pale, not the same colour as the hottest cell.
 */
export function cellShade(grid: Pick<HeatmapGrid, 'min' | 'max'>, value: number): number {
  const low = Math.min(0, grid.min);
  const span = grid.max - low;
  return span <= 0 ? 1 : (value - low) / span;
}

/**
 * Where the palette starts for the lowest values. YlOrRd's first quarter is so pale that a one-sample cell read
 * 1.1:1 against an empty white one; starting at 0.25 keeps the scale linear in the value (an empty cell is
 * white, apart from every shade) while the faintest cell is a visible yellow.
 */
const LIGHT_FLOOR = 0.25;

/** The colour of a shade on the light (print, SVG, terminal) scale. */
export function shadeColor(shade: number): Rgb {
  return rgbOf(interpolateYlOrRd(LIGHT_FLOOR + (1 - LIGHT_FLOOR) * clamp01(shade)));
}

export function hexColor([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The background a heat map is drawn on: light (empty cells white) or dark (empty cells near black). */
export type HeatBackground = 'light' | 'dark';

/** How the page colours cells: the background, and whether `enhance` stretches the low values. */
export interface HeatScaleOptions {
  background: HeatBackground;
  enhance: boolean;
}

/**
 * Enhanced colours for a light background (after FlameScope's "enhance": blue for the fewest samples, through
 * violet and red-pink to dark red): every stop is at least 3.5:1 against white, so one sample cannot hide.
 */
const ENHANCED_LIGHT: readonly Rgb[] = [
  [0x3f, 0x7f, 0xdf],
  [0x8a, 0x57, 0xcf],
  [0xd9, 0x3f, 0x86],
  [0xe8, 0x3a, 0x22],
  [0x9e, 0x00, 0x1c],
];

/**
 * The position of a value on the page's scale, 0..1, for a non-empty cell. Linear from 0 (or the signed minimum)
 * by default, as the SVG; with `enhance`, logarithmic in units of the smallest cell value, so that 1, 2 and 4
 * samples are as far apart as 100, 200 and 400.
 */
export function scalePosition(grid: Pick<HeatmapGrid, 'min' | 'max'>, value: number, enhance: boolean): number {
  const linear = clamp01(cellShade(grid, value));
  if (!enhance) return linear;
  const low = Math.min(0, grid.min);
  const span = grid.max - low;
  if (span <= 0) return 1;
  const unit = grid.min > 0 ? grid.min : span / 1000;
  return clamp01(Math.log1p((value - low) / unit) / Math.log1p(span / unit));
}

/**
 * The colour of a scale position on the page. Light background: YlOrRd from its visible yellow up (enhanced:
 * the blue-to-red ramp above). Dark background: the same hues reversed, like a glowing ember, red for the
 * fewest samples to pale yellow for the most, so that brighter is hotter and the faintest cell is a red that
 * reads against near-black (enhanced: starting at a brighter red).
 */
export function paletteColor(position: number, options: HeatScaleOptions): Rgb {
  const t = clamp01(position);
  if (options.background === 'dark') {
    const top = options.enhance ? 0.6 : 0.72;
    return rgbOf(interpolateYlOrRd(top - top * t));
  }
  if (options.enhance) return rampColor(ENHANCED_LIGHT, t);
  return rgbOf(interpolateYlOrRd(LIGHT_FLOOR + (1 - LIGHT_FLOOR) * t));
}

/** Linear interpolation between evenly spaced colour stops. */
function rampColor(stops: readonly Rgb[], t: number): Rgb {
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as Rgb;
}

function rgbOf(css: string): Rgb {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(css);
  return [Number(m![1]), Number(m![2]), Number(m![3])];
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * How signed cells share the colour scale (`--scale`): `symmetric` puts ±max|v| at the two ends, so equal
 * magnitudes look alike; `halves` scales each side to its own extreme (min → full green, max → full red), as
 * the flame_prof fork of FlameScope does with `[min, min/2, 0, max/2, max]`.
 */
export type SignedScale = 'symmetric' | 'halves';
export const SIGNED_SCALES: readonly SignedScale[] = ['symmetric', 'halves'];

/** A cell with no sample of the event: no value at all (light and print). */
export const NULL_GREY: Rgb = [0xd9, 0xd9, 0xd9];
/** A sampled cell whose weights sum to exactly 0. */
export const ZERO_WHITE: Rgb = [0xff, 0xff, 0xff];

/** Whether a grid's colours diverge (some cell is negative): red above 0, green below. */
export function isSigned(grid: Pick<HeatmapGrid, 'min'>): boolean {
  return grid.min < 0;
}

/** Where a signed value sits, −1 (full green) … 0 … 1 (full red). */
export function signedPosition(grid: Pick<HeatmapGrid, 'min' | 'max'>, value: number, scale: SignedScale): number {
  if (value === 0) return 0;
  if (scale === 'symmetric') {
    const m = Math.max(Math.abs(grid.min), Math.abs(grid.max));
    return m === 0 ? 0 : Math.max(-1, Math.min(1, value / m));
  }
  if (value > 0) return grid.max > 0 ? Math.min(1, value / grid.max) : 0;
  return grid.min < 0 ? -Math.min(1, value / grid.min) : 0;
}

/**
 * Where the ramps start for the smallest non-zero magnitude: a value that is not 0 must not look white.
 * Reds and Greens are near white below 0.2; from 0.2 the faintest is a visible tint.
 */
const SIGNED_FLOOR = 0.2;

/** The colour of a signed position: white at 0 only, red ramp up to +1, green ramp down to −1. */
export function signedColor(position: number): Rgb {
  if (position === 0) return ZERO_WHITE;
  const t = SIGNED_FLOOR + (1 - SIGNED_FLOOR) * Math.min(1, Math.abs(position));
  return rgbOf(position > 0 ? interpolateReds(t) : interpolateGreens(t));
}

/**
 * The colour of a cell for print and terminals (SVG, text): grey when it has no sample, white when its weights
 * sum to 0, the diverging scale when any cell is negative, else the light sequential scale.
 */
export function cellColor(grid: Pick<HeatmapGrid, 'min' | 'max'>, count: number, value: number, scale: SignedScale): Rgb {
  if (count === 0) return NULL_GREY;
  if (value === 0) return ZERO_WHITE;
  if (isSigned(grid)) return signedColor(signedPosition(grid, value, scale));
  return shadeColor(cellShade(grid, value));
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
export function valueUnit(grid: Pick<HeatmapGrid, 'unit' | 'metric'>): string {
  return grid.unit === '' ? grid.metric : grid.unit;
}

// Formatters made once: `toLocaleString` builds one per call, and axis labels and tooltips call it thousands of times.
const WHOLE = new Intl.NumberFormat('en-US');
const FOUR_DIGITS = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A number with thousands separators, whatever the reader's locale (the report is deterministic). */
export function groupDigits(v: number): string {
  return Number.isInteger(v) ? WHOLE.format(v) : FOUR_DIGITS.format(v);
}

/** A cell value with its unit, as tooltips and the legend show it: `1 sample`, `2,004,008 ns`, `−4,096 words`. */
export function formatCellValue(grid: Pick<HeatmapGrid, 'weighted' | 'unit' | 'metric'>, value: number): string {
  if (!grid.weighted) return `${groupDigits(value)} sample${value === 1 ? '' : 's'}`;
  return `${groupDigits(value).replace(/^-/, '−')} ${valueUnit(grid)}`;
}

/** A sample count with its noun. */
export function formatSamples(n: number): string {
  return `${groupDigits(n)} sample${n === 1 ? '' : 's'}`;
}
