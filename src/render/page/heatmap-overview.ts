// The overview strip above the heat map: the whole recording in the panel's width, each pixel column the load
// of several seconds, with a frame for the part the heat map shows. Click or drag to move the heat map there.
// Two canvases: the bins, drawn when the grid, the width or the colours change; the frame and the selection
// marker above them, redrawn on every scroll (cheap: a few rectangles).
import type { HeatmapGrid } from '../../heatmap/grid';
import type { TimeRange } from '../../heatmap/range';
import { CellPalette, type CellPaletteOptions, type HeatmapLook } from './heatmap-colors';
import { overviewBins, timeAxis } from './heatmap-layout';
import { NS_PER_SECOND } from '../../heatmap/range';
import { groupDigits } from '../heatmap-scale';

const BINS_HEIGHT = 28;
const LABELS_HEIGHT = 14;

export interface OverviewCallbacks {
  /** Scroll the heat map so that (fractional) column `first` is at its left edge. */
  navigate(first: number): void;
}

export class HeatmapOverview {
  private grid: HeatmapGrid | null = null;
  private busy: Uint8Array = new Uint8Array(0);
  private width = 0;
  private first = 0;
  private count = 1;
  private selection: TimeRange | null = null;
  private look: HeatmapLook | null = null;
  private colours: CellPaletteOptions = { enhance: false, scale: 'symmetric' };
  /** Where the pointer holds the frame, in columns from its left edge, while dragging. */
  private grip: number | null = null;
  private readonly bins: HTMLCanvasElement;
  private readonly frame: HTMLCanvasElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: OverviewCallbacks,
  ) {
    this.bins = root.querySelector<HTMLCanvasElement>('.hm-overview-bins')!;
    this.frame = root.querySelector<HTMLCanvasElement>('.hm-overview-frame')!;
    this.frame.addEventListener('mousedown', (e) => this.down(e));
    this.frame.addEventListener('mousemove', (e) => {
      if (this.grip === null) this.frame.style.cursor = this.inFrame(this.columnAt(e)) ? 'grab' : 'pointer';
    });
    window.addEventListener('mousemove', (e) => this.drag(e));
    window.addEventListener('mouseup', () => {
      if (this.grip === null) return;
      this.grip = null;
      this.frame.style.cursor = 'grab';
      document.body.classList.remove('hm-grabbing');
    });
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  /** Shows the strip (when the heat map is wider than its panel) and redraws its bins. */
  show(grid: HeatmapGrid, busy: Uint8Array, width: number, look: HeatmapLook, colours: CellPaletteOptions, visible: boolean): void {
    this.root.hidden = !visible;
    this.grid = grid;
    this.busy = busy;
    this.width = Math.max(1, Math.floor(width));
    this.look = look;
    this.colours = colours;
    if (visible) this.drawBins();
  }

  /** The part of the recording the heat map shows, in (fractional) columns, and the selection. */
  setViewport(first: number, count: number, selection: TimeRange | null): void {
    this.first = first;
    this.count = count;
    this.selection = selection;
    if (this.visible) this.drawFrame();
  }

  private columnAt(e: MouseEvent): number {
    const rect = this.frame.getBoundingClientRect();
    return ((e.clientX - rect.left) / Math.max(1, rect.width)) * (this.grid?.columns ?? 0);
  }

  private inFrame(column: number): boolean {
    return column >= this.first && column <= this.first + this.count;
  }

  private down(e: MouseEvent): void {
    if (e.button !== 0 || this.grid === null) return;
    e.preventDefault();
    const column = this.columnAt(e);
    // Grabbing the frame keeps the pointer where it took it; a click elsewhere centres the frame there.
    this.grip = this.inFrame(column) ? column - this.first : this.count / 2;
    this.frame.style.cursor = 'grabbing';
    document.body.classList.add('hm-grabbing');
    this.callbacks.navigate(column - this.grip);
  }

  private drag(e: MouseEvent): void {
    if (this.grip === null) return;
    if ((e.buttons & 1) === 0) {
      this.grip = null;
      return;
    }
    this.callbacks.navigate(this.columnAt(e) - this.grip);
  }

  private drawBins(): void {
    const g = this.grid!;
    const look = this.look!;
    const ratio = window.devicePixelRatio || 1;
    const ctx = sizedCanvas(this.bins, this.width, BINS_HEIGHT + LABELS_HEIGHT, ratio);
    const w = Math.round(this.width * ratio);
    const h = Math.round(BINS_HEIGHT * ratio);
    // A tenth of a second per band: enough to show where in the second the work is, big enough to see.
    const bins = overviewBins(g, w, 10, this.busy);
    // The bins' own scale: relative to the extreme bins, with enhance and a diverging scale as on the heat map.
    const palette = new CellPalette({ min: Math.min(0, bins.min), max: bins.max }, this.colours, look);
    const image = ctx.createImageData(w, h);
    const pixels = new Uint32Array(image.data.buffer);
    for (let y = 0; y < h; y++) {
      const band = Math.min(bins.bands - 1, Math.floor(((h - 1 - y) * bins.bands) / h));
      for (let x = 0; x < w; x++) {
        const k = x * bins.bands + band;
        pixels[y * w + x] = palette.pixel(bins.samples[k]!, bins.mean[k]!);
      }
    }
    ctx.putImageData(image, 0, 0);
    // Seconds along the bottom, at round steps.
    const columns = g.columns;
    const pxPerSecond = this.width / Math.max(1, columns);
    const { step, label } = timeAxis(pxPerSecond, columns);
    ctx.fillStyle = look.text;
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'top';
    for (let s = 0; s < columns; s += step) {
      const x = s * pxPerSecond;
      ctx.fillRect(x, BINS_HEIGHT, 1, 3);
      ctx.textAlign = s === 0 ? 'left' : 'center';
      if (x < this.width - 30) ctx.fillText(label(s), x, BINS_HEIGHT + 3);
    }
    this.root.title = `The whole recording, ${groupDigits(columns)} s (each pixel ${groupDigits(Math.max(1, columns / this.width))} s): click or drag to move the heat map there.`;
  }

  private drawFrame(): void {
    const g = this.grid;
    const look = this.look;
    if (g === null || look === null) return;
    const ratio = window.devicePixelRatio || 1;
    const ctx = sizedCanvas(this.frame, this.width, BINS_HEIGHT, ratio);
    const scale = this.width / Math.max(1, g.columns);
    const s = this.selection;
    if (s !== null) {
      const x0 = (s.start / NS_PER_SECOND) * scale;
      const x1 = (s.end / NS_PER_SECOND) * scale;
      ctx.fillStyle = look.selection;
      ctx.fillRect(x0, 0, Math.max(2, x1 - x0), BINS_HEIGHT);
    }
    const x = this.first * scale;
    const w = Math.max(3, this.count * scale);
    // Veil what the heat map does not show, and outline what it does.
    ctx.fillStyle = look.background === 'dark' ? 'rgba(0, 0, 0, 0.35)' : 'rgba(255, 255, 255, 0.4)';
    ctx.fillRect(0, 0, x, BINS_HEIGHT);
    ctx.fillRect(x + w, 0, this.width - x - w, BINS_HEIGHT);
    ctx.strokeStyle = look.accent;
    ctx.lineWidth = 2;
    ctx.strokeRect(x + 1, 1, w - 2, BINS_HEIGHT - 2);
  }
}

/** Sizes a canvas for the display's pixel ratio, only when its size changes (resizing clears it). */
export function sizedCanvas(canvas: HTMLCanvasElement, width: number, height: number, ratio: number): CanvasRenderingContext2D {
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
