// The heat map on a canvas: columns = seconds, rows = offsets within the second (row 0 at the bottom).
// Selection by click-then-click (FlameScope's way) or by drag; Esc clears.
import { type Cell, cellRange, type HeatmapGrid, orderCells, rowStartNs } from '../../heatmap/grid';
import { NS_PER_SECOND, type TimeRange } from '../../heatmap/range';
import { cellShade, hexColor, rowOffsetMs, shadeColor } from '../heatmap-scale';
import { rowLabel } from './state';
import { themeColors } from './theme';

const AXIS_LEFT = 56;
const AXIS_BOTTOM = 24;

export interface HeatmapCallbacks {
  /** A new selection (cells in either order), or null when it is cleared. */
  select(range: TimeRange | null): void;
}

export class HeatmapView {
  private grid: HeatmapGrid | null = null;
  private cellWidth = 12;
  private cellHeight = 8;
  private readonly yAxis: HTMLCanvasElement;
  private readonly cells: HTMLCanvasElement;
  private readonly scroller: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly legend: HTMLCanvasElement;
  private readonly legendMin: HTMLElement;
  private readonly legendMax: HTMLElement;
  private readonly hint: HTMLElement;
  private anchor: Cell | null = null;
  private dragStart: Cell | null = null;
  private dragMoved = false;
  private preview: [Cell, Cell] | null = null;
  private selected: TimeRange | null = null;

  constructor(
    root: HTMLElement,
    private readonly callbacks: HeatmapCallbacks,
  ) {
    this.yAxis = root.querySelector<HTMLCanvasElement>('.hm-yaxis')!;
    this.scroller = root.querySelector<HTMLElement>('.hm-scroll')!;
    this.cells = root.querySelector<HTMLCanvasElement>('.hm-cells')!;
    this.tooltip = root.querySelector<HTMLElement>('.tooltip')!;
    this.legend = root.querySelector<HTMLCanvasElement>('.hm-legend canvas')!;
    this.legendMin = root.querySelector<HTMLElement>('.hm-legend .min')!;
    this.legendMax = root.querySelector<HTMLElement>('.hm-legend .max')!;
    this.hint = root.querySelector<HTMLElement>('.hm-hint')!;
    this.cells.addEventListener('mousedown', (e) => this.down(e));
    this.cells.addEventListener('mousemove', (e) => this.move(e));
    this.cells.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    window.addEventListener('mouseup', (e) => this.up(e));
    window.addEventListener('keydown', (e) => {
      // Esc typed in a form control (the search box) belongs to that control, not to the selection.
      const t = e.target;
      const inControl = t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement;
      if (e.key === 'Escape' && !inControl) this.clear();
    });
  }

  setGrid(grid: HeatmapGrid): void {
    this.grid = grid;
    const available = Math.max(200, this.scroller.clientWidth || 900);
    this.cellWidth = Math.max(6, Math.min(24, Math.floor(available / Math.max(1, grid.columns))));
    this.cellHeight = Math.max(3, Math.min(16, Math.floor(450 / grid.rows)));
    this.draw();
  }

  /** Highlights the cells a range covers (from the URL, the API, or a finished selection). */
  setSelection(range: TimeRange | null): void {
    this.selected = range;
    this.preview = null;
    this.anchor = null;
    this.draw();
  }

  /** The cell under a mouse event, or null outside the grid. */
  private cellAt(e: MouseEvent): Cell | null {
    const g = this.grid;
    if (g === null) return null;
    const rect = this.cells.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const column = Math.floor(x / this.cellWidth);
    const fromTop = Math.floor(y / this.cellHeight);
    if (column < 0 || column >= g.columns || fromTop < 0 || fromTop >= g.rows) return null;
    return { column, row: g.rows - 1 - fromTop };
  }

  private down(e: MouseEvent): void {
    if (e.button !== 0) return;
    const cell = this.cellAt(e);
    if (cell === null) return;
    e.preventDefault();
    this.dragStart = cell;
    this.dragMoved = false;
  }

  private move(e: MouseEvent): void {
    const cell = this.cellAt(e);
    this.showTooltip(e, cell);
    if (cell === null) return;
    if (this.dragStart !== null && (e.buttons & 1) === 1) {
      if (cell.column !== this.dragStart.column || cell.row !== this.dragStart.row) this.dragMoved = true;
      if (this.dragMoved) {
        this.preview = [this.dragStart, cell];
        this.draw();
      }
    } else if (this.anchor !== null) {
      this.preview = [this.anchor, cell];
      this.draw();
    }
  }

  private up(e: MouseEvent): void {
    const start = this.dragStart;
    this.dragStart = null;
    if (start === null || this.grid === null) return;
    const cell = this.cellAt(e) ?? this.preview?.[1] ?? start;
    if (this.dragMoved) {
      this.finish(start, cell);
    } else if (this.anchor === null) {
      this.anchor = cell;
      this.preview = [cell, cell];
      this.hint.textContent = 'Now click the cell where the range ends (Esc cancels).';
      this.draw();
    } else {
      this.finish(this.anchor, cell);
    }
  }

  private finish(a: Cell, b: Cell): void {
    const g = this.grid!;
    const range = cellRange(a.column, a.row, b.column, b.row, g.rows);
    this.anchor = null;
    this.preview = null;
    this.hint.textContent = 'Drag across cells, or click a start cell and then an end cell.';
    this.selected = range;
    this.draw();
    this.callbacks.select(range);
  }

  clear(): void {
    const had = this.selected !== null || this.anchor !== null;
    this.anchor = null;
    this.preview = null;
    this.selected = null;
    this.hint.textContent = 'Drag across cells, or click a start cell and then an end cell.';
    this.draw();
    if (had) this.callbacks.select(null);
  }

  private showTooltip(e: MouseEvent, cell: Cell | null): void {
    const g = this.grid;
    if (cell === null || g === null) {
      this.tooltip.hidden = true;
      return;
    }
    const k = cell.column * g.rows + cell.row;
    const n = g.counts[k]!;
    const value = g.values[k]!;
    const what = g.weight === 'samples' ? `${n} sample${n === 1 ? '' : 's'}` : `${value} (${n} samples)`;
    this.tooltip.textContent = `${cell.column} s + ${rowLabel(cell.row, g.rows)}: ${what}`;
    this.tooltip.hidden = false;
    const box = this.tooltip.parentElement!.getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - box.left + 14}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
  }

  /** Whether a cell lies in the highlighted selection or in the selection being made. */
  private selectedCells(): ((column: number, row: number) => boolean) | null {
    const g = this.grid!;
    if (this.preview !== null) {
      const [a, b] = orderCells(this.preview[0], this.preview[1]);
      const from = a.column * g.rows + a.row;
      const to = b.column * g.rows + b.row;
      return (c, r) => c * g.rows + r >= from && c * g.rows + r <= to;
    }
    const s = this.selected;
    if (s === null) return null;
    return (c, r) => {
      const start = c * NS_PER_SECOND + rowStartNs(r, g.rows);
      const end = c * NS_PER_SECOND + rowStartNs(r + 1, g.rows);
      return start < s.end && end > s.start;
    };
  }

  private draw(): void {
    const g = this.grid;
    if (g === null) return;
    const ratio = window.devicePixelRatio || 1;
    const width = g.columns * this.cellWidth;
    const height = g.rows * this.cellHeight;
    const ctx = sized(this.cells, width, height + AXIS_BOTTOM, ratio);
    // Geometry for scripts and tests that point at cells.
    Object.assign(this.cells.dataset, {
      columns: String(g.columns),
      rows: String(g.rows),
      cellWidth: String(this.cellWidth),
      cellHeight: String(this.cellHeight),
    });
    const theme = themeColors();
    ctx.fillStyle = theme.emptyCell;
    ctx.fillRect(0, 0, width, height);
    const inSelection = this.selectedCells();
    for (let c = 0; c < g.columns; c++) {
      for (let r = 0; r < g.rows; r++) {
        const k = c * g.rows + r;
        const x = c * this.cellWidth;
        const y = (g.rows - 1 - r) * this.cellHeight;
        if (g.counts[k]! > 0) {
          ctx.fillStyle = hexColor(shadeColor(cellShade(g, g.values[k]!)));
          ctx.fillRect(x, y, this.cellWidth - 1, this.cellHeight - (this.cellHeight > 4 ? 1 : 0));
        }
        if (inSelection?.(c, r)) {
          ctx.fillStyle = theme.selection;
          ctx.fillRect(x, y, this.cellWidth, this.cellHeight);
        }
      }
    }
    // Time axis: a tick every second, a label where it fits.
    ctx.fillStyle = theme.canvasText;
    ctx.font = '11px sans-serif';
    ctx.textAlign = 'center';
    const every = Math.max(1, Math.ceil(36 / this.cellWidth));
    for (let c = 0; c < g.columns; c += every) {
      ctx.fillRect(c * this.cellWidth, height, 1, 4);
      ctx.fillText(`${c}`, c * this.cellWidth + this.cellWidth / 2, height + 15);
    }

    const y = sized(this.yAxis, AXIS_LEFT, height + AXIS_BOTTOM, ratio);
    y.fillStyle = theme.canvasText;
    y.font = '11px sans-serif';
    y.textAlign = 'right';
    y.textBaseline = 'middle';
    const labelEvery = Math.max(1, Math.ceil(14 / this.cellHeight));
    for (let r = 0; r < g.rows; r += labelEvery) {
      y.fillText(`${rowOffsetMs(r, g.rows)} ms`, AXIS_LEFT - 6, (g.rows - r - 0.5) * this.cellHeight);
    }
    y.textAlign = 'left';
    y.fillText('s →', 4, height + 15);

    const legend = sized(this.legend, 160, 12, ratio);
    for (let x = 0; x < 160; x++) {
      legend.fillStyle = hexColor(shadeColor(x / 159));
      legend.fillRect(x, 0, 1, 12);
    }
    this.legendMin.textContent = g.max > 0 ? '1' : '0';
    this.legendMax.textContent = `${g.max} ${g.weight === 'samples' ? 'samples' : g.weight}`;
  }
}

/** Sizes a canvas for the display's pixel ratio (sharp on HiDPI) and returns its context in CSS pixels. */
export function sized(canvas: HTMLCanvasElement, width: number, height: number, ratio: number): CanvasRenderingContext2D {
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
