// The heat map's colours on the page: the CSS variables of the page's light or dark theme (a canvas cannot use
// CSS, so they are read here) and the cell palette as a table of packed pixels for ImageData painting.
//
// A cell is one of: no sample of the event (null: grey), sampled but summing to 0 (white), or a value. On a light
// page those are the shared colours of every heat map (heatmap-scale.ts: NULL_GREY, ZERO_WHITE, signedColor,
// the YlOrRd scale). On a dark page the lightness turns around and the meanings stay: as white is the light
// page's background, zero is the dark page's near-black; the diverging ramps run from dim to vivid red and green
// (brighter is bigger, as the dark sequential scale already does: a pale pink small value would glare brighter
// than the largest one); and null stays a neutral mid grey a step off the panel, so a gap still reads as a grey
// band and never as a value.
import type { HeatmapGrid } from '../../heatmap/grid';
import {
  type HeatBackground,
  NULL_GREY,
  paletteColor,
  type Rgb,
  scalePosition,
  signedColor,
  signedPosition,
  type SignedScale,
  ZERO_WHITE,
} from '../heatmap-scale';

/** Colours a canvas of the heat map needs, as CSS strings. */
export interface HeatmapLook {
  /** The panel under the cells: the thin gutters between cells and what lies past the last column. */
  empty: string;
  /** Axis labels and ticks. */
  text: string;
  /** The selection laid over cells (translucent). */
  selection: string;
  /** The overview's viewport frame and the keyboard cursor. */
  accent: string;
  background: HeatBackground;
}

/** What a page without the stylesheet's variables gets: the light theme. */
const LIGHT: Omit<HeatmapLook, 'background'> = {
  empty: '#ffffff',
  text: '#333333',
  selection: 'rgba(40, 110, 255, 0.45)',
  accent: '#0645ad',
};

/**
 * Reads the theme's variables (`--canvas-empty`, `--canvas-text`, `--canvas-selection`, `--accent`, defined by
 * report.css for light and dark mode). Whether the cells are drawn for a dark background follows the panel's
 * colour under the cells, so any theme that darkens it gets the dark palette.
 */
export function readLook(element: Element): HeatmapLook {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const empty = read('--canvas-empty', LIGHT.empty);
  return {
    empty,
    text: read('--canvas-text', LIGHT.text),
    selection: read('--canvas-selection', LIGHT.selection),
    accent: read('--accent', LIGHT.accent),
    background: luminance(cssRgb(empty)) < 0.4 ? 'dark' : 'light',
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour as RGB (the canvas normalises it); black when the browser cannot parse it. */
export function cssRgb(color: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d')!;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const text = String(probe.fillStyle);
  if (text.startsWith('#')) return [1, 3, 5].map((i) => parseInt(text.slice(i, i + 2), 16)) as Rgb;
  const m = /(\d+),\s*(\d+),\s*(\d+)/.exec(text);
  return m === null ? [0, 0, 0] : [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const packBytes = new Uint8ClampedArray(4);
const packWord = new Uint32Array(packBytes.buffer);

/** An opaque colour as one ImageData pixel (in the platform's byte order). */
export function packPixel([r, g, b]: Rgb): number {
  packBytes[0] = r;
  packBytes[1] = g;
  packBytes[2] = b;
  packBytes[3] = 255;
  return packWord[0]!;
}

const STEPS = 1024;

/**
 * A cell with no sample on a dark page: a neutral grey a step lighter than the panel (#222428), dark enough that
 * the faintest cell of the dark scale keeps 2.3:1 against it (3.2:1 enhanced) while a gap still reads as a band.
 */
export const DARK_NULL: Rgb = [0x3f, 0x42, 0x49];
/** A sampled cell summing to 0 on a dark page: near-black, as white is on a light page. */
export const DARK_ZERO: Rgb = [0x12, 0x13, 0x16];
/** The dark page's diverging ramps, from the faintest value to the extreme: dim to vivid. */
const DARK_REDS: readonly Rgb[] = [
  [0x6b, 0x1f, 0x1f],
  [0xb3, 0x24, 0x24],
  [0xff, 0x3b, 0x30],
];
const DARK_GREENS: readonly Rgb[] = [
  [0x1a, 0x55, 0x2a],
  [0x23, 0x95, 0x44],
  [0x4c, 0xe0, 0x6a],
];

/** How the page colours cells: the look, enhance, and how signed cells share the scale. */
export interface CellPaletteOptions {
  enhance: boolean;
  scale: SignedScale;
}

/**
 * The colours of one grid in one look: (count, value) → packed pixel, through tables of 1,024 shades. A grid with
 * a negative cell diverges (green below 0, red above, `scale` deciding how the halves share it); others keep
 * the sequential scale, with `enhance` stretching low values. Empty cells are null grey, zero sums white.
 */
export class CellPalette {
  private readonly table = new Uint32Array(STEPS);
  /** Signed grids: the negative ramp (index by |position|), the positive one in `table`. */
  private readonly negative: Uint32Array | null;
  readonly nullPixel: number;
  readonly zeroPixel: number;
  /** The panel between cells. */
  readonly emptyPixel: number;
  readonly background: HeatBackground;
  readonly signed: boolean;

  constructor(
    private readonly grid: Pick<HeatmapGrid, 'min' | 'max'>,
    readonly options: CellPaletteOptions,
    look: HeatmapLook,
  ) {
    this.background = look.background;
    this.signed = grid.min < 0;
    const dark = look.background === 'dark';
    if (this.signed) {
      this.negative = new Uint32Array(STEPS);
      for (let i = 0; i < STEPS; i++) {
        // Shade 0 holds the smallest magnitudes, which are not 0: never the zero colour.
        const p = Math.max(i, 1e-6) / (STEPS - 1);
        this.table[i] = packPixel(signedPageColor(p, look.background));
        this.negative[i] = packPixel(signedPageColor(-p, look.background));
      }
    } else {
      this.negative = null;
      for (let i = 0; i < STEPS; i++) this.table[i] = packPixel(paletteColor(i / (STEPS - 1), { background: look.background, enhance: options.enhance }));
    }
    this.nullPixel = packPixel(dark ? DARK_NULL : NULL_GREY);
    this.zeroPixel = packPixel(dark ? DARK_ZERO : ZERO_WHITE);
    this.emptyPixel = packPixel(cssRgb(look.empty));
  }

  /** The pixel of a cell: null grey without samples, white (dark: near-black) for a sum of 0. */
  pixel(count: number, value: number): number {
    if (count === 0) return this.nullPixel;
    if (value === 0) return this.zeroPixel;
    const p = this.position(value);
    if (this.negative !== null && p < 0) return this.negative[Math.round(-p * (STEPS - 1))]!;
    return this.table[Math.round(p * (STEPS - 1))]!;
  }

  /** The colour of a cell, for the legend and tests. */
  color(count: number, value: number): Rgb {
    const dark = this.background === 'dark';
    if (count === 0) return dark ? DARK_NULL : NULL_GREY;
    if (value === 0) return dark ? DARK_ZERO : ZERO_WHITE;
    if (this.signed) return signedPageColor(this.position(value), this.background);
    return paletteColor(this.position(value), { background: this.background, enhance: this.options.enhance });
  }

  /** Where a value sits: 0..1 on the sequential scale, −1..1 on a diverging one. Never exactly 0 unless v is. */
  position(value: number): number {
    if (!this.signed) return scalePosition(this.grid, value, this.options.enhance);
    const p = signedPosition(this.grid, value, this.options.scale);
    return this.options.enhance ? stretchSigned(p) : p;
  }
}

/** Enhance on a diverging scale: each side logarithmic, so that small magnitudes move away from white. */
export function stretchSigned(position: number): number {
  const k = 99;
  const m = Math.log1p(k * Math.abs(position)) / Math.log1p(k);
  return position < 0 ? -m : m;
}

/** A signed position's colour on the page: the shared light colours, or the dark page's dim-to-vivid ramps. */
export function signedPageColor(position: number, background: HeatBackground): Rgb {
  if (background === 'light') return signedColor(position);
  if (position === 0) return DARK_ZERO;
  const ramp = position > 0 ? DARK_REDS : DARK_GREENS;
  const t = Math.min(1, Math.abs(position));
  const x = t * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((k) => Math.round(ramp[i]![k]! + (ramp[i + 1]![k]! - ramp[i]![k]!) * f)) as Rgb;
}
