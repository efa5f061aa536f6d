// The heat map's band mode (issue 9): under the heat map, one small heat map per busiest thread, process or CPU,
// on the main map's time axis (same columns, same scroll, same zoom), so that "who is busy in this burst?" is
// answered by looking down the column. Each band is the view's samples of that row alone (buildHeatmap with the
// view's filter, less that of the bands' own kind, AND the row's) at BAND_ROWS offsets per second; all bands share one colour scale (the largest
// cell of any band is the darkest), so a band that looks busier is busier. A click on a band filters to its row.
// Labels are profile text: textContent only.
import type { HeatmapGrid } from '../../heatmap/grid';
import type { FilterSpec } from '../../query/filter';
import { CellPalette, type HeatmapLook, readLook } from './heatmap-colors';
import { sizedCanvas } from './heatmap-overview';
import { onThemeChange } from './theme';

/** Bands drawn: the busiest rows of the breakdown. */
export const BANDS = 8;
/** Offsets per second in a band: 100 ms each, enough to tell a burst's phase and small enough for 8 bands. */
export const BAND_ROWS = 10;
const CELL_HEIGHT = 3;

export interface Band {
  label: string;
  spec: FilterSpec;
  /** The views are filtered to it (marked). */
  chosen: boolean;
  grid: HeatmapGrid;
}

/** Where the main heat map is scrolled and how wide its cells are, which the bands follow. */
export interface BandGeometry {
  scrollX: number;
  cellWidth: number;
  viewWidth: number;
  columns: number;
}

export interface BandCallbacks {
  /** A band clicked: filter to its row (`add`: with the rows of its kind already chosen). */
  pick(spec: FilterSpec, add: boolean): void;
}

export class HeatmapBands {
  private bands: Band[] = [];
  private geometry: BandGeometry | null = null;
  private palette: CellPalette | null = null;
  private look: HeatmapLook | null = null;
  private canvases: HTMLCanvasElement[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: BandCallbacks,
  ) {
    onThemeChange(() => {
      this.look = null;
      this.palette = null;
      this.draw();
    });
  }

  /** The bands to draw (null or none: the mode is off), with a line saying what they are. */
  show(bands: Band[] | null, title: string): void {
    this.root.replaceChildren();
    this.canvases = [];
    this.bands = bands ?? [];
    this.palette = null;
    this.root.hidden = bands === null;
    if (bands === null) return;
    const head = document.createElement('p');
    head.className = 'hb-title';
    head.textContent = title;
    this.root.append(head);
    for (const band of this.bands) {
      const row = document.createElement('div');
      row.className = band.chosen ? 'hb-band chosen' : 'hb-band';
      row.setAttribute('aria-pressed', String(band.chosen));
      row.tabIndex = 0;
      row.title = `${band.label}: ${band.grid.samples.toLocaleString('en-US')} samples. Click: filter to it; Ctrl/Shift-click: add it`;
      row.dataset.label = band.label;
      const label = document.createElement('div');
      label.className = 'hb-label';
      // `python3 15664` on two lines (name, id), each cut with an ellipsis rather than broken mid-word.
      const space = band.label.lastIndexOf(' ');
      for (const part of space > 0 ? [band.label.slice(0, space), band.label.slice(space + 1)] : [band.label]) {
        const line = document.createElement('span');
        line.textContent = part;
        label.append(line);
      }
      const canvas = document.createElement('canvas');
      row.append(label, canvas);
      row.addEventListener('click', (e) => this.callbacks.pick(band.spec, e.ctrlKey || e.metaKey || e.shiftKey));
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.callbacks.pick(band.spec, e.ctrlKey || e.metaKey || e.shiftKey);
        }
      });
      this.root.append(row);
      this.canvases.push(canvas);
    }
    this.draw();
  }

  /** The main map scrolled, zoomed or was resized: the bands follow. */
  follow(geometry: BandGeometry): void {
    this.geometry = geometry;
    this.draw();
  }

  /** The bands' non-empty cells, for the automation API: per band, [column, row, count]. */
  cells(): { label: string; chosen: boolean; cells: [number, number, number][] }[] {
    return this.bands.map((b) => {
      const cells: [number, number, number][] = [];
      const g = b.grid;
      for (let k = 0; k < g.counts.length; k++) if (g.counts[k]! > 0) cells.push([Math.floor(k / g.rows), k % g.rows, g.counts[k]!]);
      return { label: b.label, chosen: b.chosen, cells };
    });
  }

  private draw(): void {
    const geo = this.geometry;
    if (geo === null || this.bands.length === 0 || this.root.hidden) return;
    this.look ??= readLook(this.root);
    if (this.palette === null) {
      // One scale for every band: the smallest and largest sampled cell of any of them.
      let min = Infinity;
      let max = -Infinity;
      for (const b of this.bands) {
        if (b.grid.samples === 0) continue;
        min = Math.min(min, b.grid.min);
        max = Math.max(max, b.grid.max);
      }
      if (max === -Infinity) min = max = 0;
      this.palette = new CellPalette({ min, max }, { enhance: false, scale: 'symmetric' }, this.look);
    }
    this.bands.forEach((band, k) => drawBand(this.canvases[k]!, band.grid, geo, this.palette!));
  }
}

/** One band: the visible columns of its grid, a device pixel at a time (several seconds a pixel: the busiest). */
function drawBand(canvas: HTMLCanvasElement, g: HeatmapGrid, geo: BandGeometry, palette: CellPalette): void {
  const ratio = window.devicePixelRatio || 1;
  const viewW = Math.max(1, Math.min(geo.viewWidth, g.columns * geo.cellWidth));
  const height = g.rows * CELL_HEIGHT;
  const ctx = sizedCanvas(canvas, viewW, height, ratio);
  const w = canvas.width;
  const h = canvas.height;
  if (w === 0 || h === 0) return;
  const image = ctx.createImageData(w, h);
  const pixels = new Uint32Array(image.data.buffer);
  const rows = g.rows;
  const column = new Uint32Array(rows);
  for (let i = 0; i < w; i++) {
    const c0 = Math.floor((geo.scrollX + i / ratio) / geo.cellWidth);
    const c1 = Math.min(g.columns, Math.max(c0 + 1, Math.floor((geo.scrollX + (i + 1) / ratio) / geo.cellWidth)));
    for (let r = 0; r < rows; r++) {
      let count = 0;
      let value = 0;
      for (let c = c0; c < c1; c++) {
        const cell = c * rows + r;
        if (g.counts[cell]! === 0) continue;
        count += g.counts[cell]!;
        if (Math.abs(g.values[cell]!) > Math.abs(value)) value = g.values[cell]!;
      }
      column[r] = c0 >= g.columns ? 0 : palette.pixel(count, value);
    }
    for (let j = 0; j < h; j++) {
      const fromTop = Math.min(rows - 1, Math.floor((j + 0.5) / ratio / CELL_HEIGHT));
      pixels[j * w + i] = column[rows - 1 - fromTop]!;
    }
  }
  ctx.putImageData(image, 0, 0);
}
