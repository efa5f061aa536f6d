// The heat map's colours on the page: the CSS variables of the page's light or dark theme (a canvas cannot use
// CSS, so they are read here) and the cell palette as a table of packed pixels for ImageData painting.
import type { HeatmapGrid } from '../../heatmap/grid';
import { type HeatBackground, paletteColor, type Rgb, scalePosition } from '../heatmap-scale';

/** Colours a canvas of the heat map needs, as CSS strings. */
export interface HeatmapLook {
  /** An empty cell (and the gaps between cells). */
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
 * report.css for light and dark mode). Whether the cells are drawn for a dark background follows the empty
 * cell's colour, so any theme that darkens it gets the dark palette.
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

/** The colours of one grid in one look: value → packed pixel, through a table of 1,024 shades. */
export class CellPalette {
  private readonly table = new Uint32Array(STEPS);
  readonly emptyPixel: number;
  readonly background: HeatBackground;

  constructor(
    private readonly grid: Pick<HeatmapGrid, 'min' | 'max'>,
    readonly enhance: boolean,
    look: HeatmapLook,
  ) {
    for (let i = 0; i < STEPS; i++) this.table[i] = packPixel(paletteColor(i / (STEPS - 1), { background: look.background, enhance }));
    this.emptyPixel = packPixel(cssRgb(look.empty));
    this.background = look.background;
  }

  /** The pixel of a non-empty cell's value. */
  pixel(value: number): number {
    return this.table[Math.round(scalePosition(this.grid, value, this.enhance) * (STEPS - 1))]!;
  }

  /** The colour of a position on the scale, for the legend. */
  color(position: number): Rgb {
    return paletteColor(position, { background: this.background, enhance: this.enhance });
  }

  position(value: number): number {
    return scalePosition(this.grid, value, this.enhance);
  }
}
