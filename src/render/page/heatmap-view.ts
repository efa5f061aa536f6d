// The heat map on a canvas: columns = seconds, rows = offsets within the second (row 0 at the bottom).
// Only what is visible is drawn. The scroll container holds `.hm-cells`, an empty element as wide as the whole
// recording (it carries the geometry for tests and scripts), and stuck to the viewport inside it two canvases
// of the viewport's size: the cells (repainted on scroll, zoom, resize) and above them the selection and the
// keyboard cursor (repainted on a mouse move, a few rectangles). So a 24-hour recording costs the memory of a
// 10-second one, at any pixel ratio, and a drag repaints only what changes.
// Selection by drag, by click-then-click (FlameScope's way), or from the keyboard; Esc clears.
import { type Cell, cellRange, type HeatmapGrid, orderCells } from '../../heatmap/grid';
import type { TimeRange } from '../../heatmap/range';
import { formatCellValue, formatSamples, groupDigits, rowOffsetMs, type SignedScale } from '../heatmap-scale';
import { CellPalette, type HeatmapLook, readLook } from './heatmap-colors';
import {
  busyColumns,
  CELL_WIDTHS,
  cellHeightOf,
  cellWidthOf,
  clockTime,
  coveredRows,
  defaultCellWidth,
  type HeatmapZoom,
  moveCell,
  rangeColumns,
  selectionRows,
  stepZoom,
  timeAxis,
  visibleColumns,
} from './heatmap-layout';
import { HeatmapOverview, sizedCanvas } from './heatmap-overview';
import { rowLabel } from './state';
import { onThemeChange } from './theme';

const AXIS_LEFT = 56;
const AXIS_BOTTOM = 24;
const HINT = 'Drag across cells, or click a start cell and then an end cell. Keyboard: Tab to the map, arrows, Shift+arrows, Enter.';

export type { HeatmapZoom } from './heatmap-layout';

export interface HeatmapCallbacks {
  /** A new selection (cells in either order), or null when it is cleared. */
  select(range: TimeRange | null): void;
  /** The reader changed how the map is shown (enhance, zoom), for the permalink. */
  viewChanged?(): void;
  /** More to say about a cell in its tooltip (which input files its samples came from), or ''. */
  cellNote?(column: number, row: number, rows: number): string;
  /** A baseline range made with Shift+drag (or after `armBaseline`): the selection is compared with it. */
  baseline?(range: TimeRange): void;
  /** Esc with a baseline set: removes it (and answers true), before Esc clears the selection. */
  clearBaseline?(): boolean;
  /** "Compare with…" is pending (true) or no longer (false: a baseline was made, or Esc cancelled it). */
  baselineArmed?(armed: boolean): void;
  /** The cells were drawn (scroll, zoom, resize, new grid): what shares the time axis follows (issue 9's bands). */
  drawn?(geometry: { scrollX: number; cellWidth: number; viewWidth: number; columns: number }): void;
}

/** A span of cells in one second: rows fromRow to toRow (inclusive) of column `column`. */
export interface MarkedCells {
  column: number;
  fromRow: number;
  toRow: number;
}

export class HeatmapView {
  private grid: HeatmapGrid | null = null;
  private busy: Uint8Array = new Uint8Array(0);
  /** The zoom the reader chose; null: the default of the profile. */
  private chosenZoom: HeatmapZoom | null = null;
  private enhanced = false;
  private signedScale: SignedScale = 'symmetric';
  /** A gap the reader picked in the list, outlined on the map. */
  private marked: TimeRange | null = null;
  /** Cells painted for the Explain panel (where a frame recurs): per second, a span of rows. */
  private recurrences: readonly MarkedCells[] = [];
  private cellWidth = 12;
  private cellHeight = 8;
  private scrollX = 0;
  private viewWidth = 0;
  private look: HeatmapLook | null = null;
  private palette: CellPalette | null = null;
  private image: ImageData | null = null;
  private readonly root: HTMLElement;
  private readonly yAxis: HTMLCanvasElement;
  private readonly content: HTMLElement;
  private readonly stuck: HTMLElement;
  private readonly layer: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly scroller: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly legend: HTMLCanvasElement;
  private readonly legendMin: HTMLElement;
  private readonly legendMax: HTMLElement;
  private readonly legendNull: HTMLElement | null;
  private readonly legendZero: HTMLElement | null;
  private readonly hint: HTMLElement;
  private readonly zoomMenu: HTMLSelectElement | null;
  private readonly enhanceBox: HTMLInputElement | null;
  private readonly overview: HeatmapOverview | null;
  private anchor: Cell | null = null;
  private dragStart: Cell | null = null;
  private dragMoved = false;
  private lastPointer: { x: number; y: number } | null = null;
  private autoScroll = 0;
  private preview: [Cell, Cell] | null = null;
  private selected: TimeRange | null = null;
  private cursor: Cell | null = null;
  private keyAnchor: Cell | null = null;
  private hovered = -1;
  // ---- comparing (issue 8): the baseline's cells and the gesture that makes them ----
  /** The baseline's range, marked with a hatch and an outline; null: none (or the rest of the profile). */
  private baselineRange: TimeRange | null = null;
  /** The next range made with the mouse is the baseline ("Compare with…" pressed). */
  private baselineArmed = false;
  /** The drag (or two-click range) under way makes a baseline: Shift was held, or the button armed it. */
  private baselineGesture = false;
  /** The cursor is drawn once the keyboard is used (focus by Tab or a key), not after a click. */
  private keyboardCursor = false;
  // ---- search painting (issue 9): the cells where a search's matching samples fall ----
  /** Per cell of the grid shown, the samples the search matched; null: nothing painted. */
  private matchCounts: Uint32Array | null = null;
  /** Per column, whether any of its cells holds a match (columns without one are skipped when painting). */
  private matchColumns = new Uint8Array(0);
  /** The painting of the visible cells, drawn once per view and reused by every overlay redraw (hover, drag). */
  private matchLayer: { key: string; canvas: HTMLCanvasElement } | null = null;

  constructor(
    root: HTMLElement,
    private readonly callbacks: HeatmapCallbacks,
  ) {
    this.root = root;
    this.yAxis = root.querySelector<HTMLCanvasElement>('.hm-yaxis')!;
    this.scroller = root.querySelector<HTMLElement>('.hm-scroll')!;
    this.content = root.querySelector<HTMLElement>('.hm-cells')!;
    this.stuck = this.content.querySelector<HTMLElement>('.hm-view') ?? this.content.appendChild(element('div', 'hm-view'));
    this.layer = this.stuck.querySelector<HTMLCanvasElement>('.hm-layer') ?? this.stuck.appendChild(element('canvas', 'hm-layer'));
    this.overlay = this.stuck.querySelector<HTMLCanvasElement>('.hm-overlay') ?? this.stuck.appendChild(element('canvas', 'hm-overlay'));
    this.tooltip = root.querySelector<HTMLElement>('.tooltip')!;
    this.legend = root.querySelector<HTMLCanvasElement>('.hm-legend canvas')!;
    this.legendMin = root.querySelector<HTMLElement>('.hm-legend .min')!;
    this.legendMax = root.querySelector<HTMLElement>('.hm-legend .max')!;
    this.legendNull = root.querySelector<HTMLElement>('.hm-legend .null');
    this.legendZero = root.querySelector<HTMLElement>('.hm-legend .zero');
    this.hint = root.querySelector<HTMLElement>('.hm-hint')!;
    this.hint.textContent = HINT;
    this.zoomMenu = root.querySelector<HTMLSelectElement>('.hm-zoom');
    this.enhanceBox = root.querySelector<HTMLInputElement>('.hm-enhance');
    const strip = root.querySelector<HTMLElement>('.hm-overview');
    this.overview = strip === null ? null : new HeatmapOverview(strip, { navigate: (first) => this.scrollToColumn(first) });

    this.content.addEventListener('mousedown', (e) => this.down(e));
    this.content.addEventListener('mousemove', (e) => {
      if (this.dragStart === null) this.move(e);
    });
    this.content.addEventListener('mouseleave', () => {
      if (this.dragStart === null) this.leave();
    });
    // A drag follows the pointer outside the map (and scrolls it when the pointer passes an edge).
    window.addEventListener('mousemove', (e) => {
      if (this.dragStart !== null) this.move(e);
    });
    window.addEventListener('mouseup', (e) => this.up(e));
    this.scroller.addEventListener('scroll', () => this.scrolled());
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    // Esc with nothing focused (after a click on the page's background) still clears, as it always did; Esc in
    // a search box or a menu is theirs.
    window.addEventListener('keydown', (e) => {
      const nothingFocused = document.activeElement === null || document.activeElement === document.body;
      if (e.key === 'Escape' && !e.defaultPrevented && nothingFocused && !this.escapeBaseline()) this.clear();
    });
    this.scroller.addEventListener('focus', () => this.focused());
    this.scroller.addEventListener('blur', () => {
      this.tooltip.hidden = true;
      this.drawOverlay();
    });
    this.zoomMenu?.addEventListener('change', () => {
      const v = this.zoomMenu!.value;
      this.setZoom(v === 'fit' ? 'fit' : Number(v), null);
      this.callbacks.viewChanged?.();
    });
    this.enhanceBox?.addEventListener('change', () => {
      this.enhance = this.enhanceBox!.checked;
      this.callbacks.viewChanged?.();
    });
    new ResizeObserver(() => {
      if (this.scroller.clientWidth !== this.viewWidth) this.relayout(null);
    }).observe(this.scroller);
    // The page's colours follow the system's light or dark mode: the palette is built from them.
    onThemeChange(() => {
      this.look = null;
      this.palette = null;
      this.draw();
    });
  }

  /** Whether low values are stretched so that a single sample stands out (FlameScope's "enhance"). */
  get enhance(): boolean {
    return this.enhanced;
  }

  set enhance(on: boolean) {
    if (on === this.enhanced) return;
    this.enhanced = on;
    if (this.enhanceBox !== null) this.enhanceBox.checked = on;
    this.palette = null;
    this.draw();
  }

  /** How the halves of a diverging scale share the colours (signed grids only). */
  get scale(): SignedScale {
    return this.signedScale;
  }

  set scale(scale: SignedScale) {
    if (scale === this.signedScale) return;
    this.signedScale = scale;
    this.palette = null;
    this.draw();
  }

  /** Whether the grid shown has a negative cell (its colours diverge). */
  get signed(): boolean {
    return this.grid !== null && this.grid.min < 0;
  }

  /** Marks the baseline's cells (a hatch and an outline, unlike the selection's fill); null removes them. */
  setBaseline(range: TimeRange | null): void {
    this.baselineRange = range;
    this.drawOverlay();
  }

  /** Makes the next range dragged or clicked on the map the baseline (the visible way to Shift+drag). */
  armBaseline(): void {
    this.baselineArmed = true;
    this.callbacks.baselineArmed?.(true);
    this.hint.textContent = 'Drag the baseline range (or click its first and last cell); Esc cancels. Shift+drag does it at any time.';
  }

  /** Esc: a pending "Compare with…" is cancelled, else a baseline removed; false when there was neither. */
  escapeBaseline(): boolean {
    if (this.baselineArmed) {
      this.baselineArmed = false;
      this.hint.textContent = HINT;
      this.callbacks.baselineArmed?.(false);
      return true;
    }
    return this.callbacks.clearBaseline?.() ?? false;
  }

  /** Outlines a gap's cells (from the gap list) and brings it into view; null removes the outline. */
  markGap(range: TimeRange | null): void {
    this.marked = range;
    if (range !== null) this.reveal(range, true);
    this.drawOverlay();
  }

  /** Paints spans of cells (the Explain panel's recurrences of a frame); an empty list removes them. */
  markCells(cells: readonly MarkedCells[]): void {
    this.recurrences = cells;
    this.drawOverlay();
  }

  /** The cells `markCells` painted. */
  get markedCells(): readonly MarkedCells[] {
    return this.recurrences;
  }

  /** `fit` (the whole recording in the panel) or the px per second the reader chose; null: the default. */
  get zoom(): HeatmapZoom | null {
    return this.chosenZoom;
  }

  set zoom(zoom: HeatmapZoom | null) {
    this.setZoom(zoom, null);
  }

  setGrid(grid: HeatmapGrid): void {
    const first = this.grid === null ? 0 : this.scrollX / this.cellWidth;
    this.grid = grid;
    // A painting belongs to the grid it was counted on: the page paints the new grid again if it should.
    this.setMatches(null, false);
    this.busy = busyColumns(grid);
    this.palette = null;
    this.hovered = -1;
    if (this.cursor !== null && (this.cursor.column >= grid.columns || this.cursor.row >= grid.rows)) this.cursor = null;
    this.layout();
    this.scroller.scrollLeft = first * this.cellWidth;
    this.scrollX = this.scroller.scrollLeft;
    this.draw();
  }

  /** Highlights the cells a range covers (from the URL, the API, or a finished selection), scrolled into view. */
  setSelection(range: TimeRange | null): void {
    this.selected = range;
    this.preview = null;
    this.anchor = null;
    this.keyAnchor = null;
    if (range !== null) this.reveal(range);
    this.drawOverlay();
    this.drawFrame();
  }

  clear(): void {
    const had = this.selected !== null || this.anchor !== null || this.preview !== null;
    this.baselineGesture = false;
    this.anchor = null;
    this.preview = null;
    this.keyAnchor = null;
    this.selected = null;
    this.hint.textContent = HINT;
    this.drawOverlay();
    this.drawFrame();
    if (had) this.callbacks.select(null);
  }

  /** Scrolls so that (fractional) column `first` is at the left edge. */
  scrollToColumn(first: number): void {
    this.scroller.scrollLeft = Math.max(0, first * this.cellWidth);
    this.scrolled();
  }

  // ---- geometry ----

  private setZoom(zoom: HeatmapZoom | null, keep: number | null): void {
    this.chosenZoom = zoom;
    this.relayout(keep);
  }

  /** Lays out again (zoom or width changed), keeping column `keep` (default: the middle one) where it was. */
  private relayout(keep: number | null): void {
    if (this.grid === null) return;
    const oldWidth = this.cellWidth;
    const anchorX = keep === null ? this.viewWidth / 2 : keep * oldWidth - this.scrollX;
    const column = keep ?? (this.scrollX + anchorX) / oldWidth;
    this.layout();
    this.scroller.scrollLeft = Math.max(0, column * this.cellWidth - anchorX);
    this.scrollX = this.scroller.scrollLeft;
    this.draw();
  }

  private layout(): void {
    const g = this.grid!;
    this.viewWidth = this.scroller.clientWidth || 900;
    const zoom = this.chosenZoom ?? defaultCellWidth(this.viewWidth, g.columns);
    this.cellWidth = cellWidthOf(zoom, this.viewWidth, g.columns);
    this.cellHeight = cellHeightOf(g.rows);
    this.hovered = -1;
    const width = g.columns * this.cellWidth;
    const height = g.rows * this.cellHeight + AXIS_BOTTOM;
    this.content.style.width = `${width}px`;
    this.content.style.height = `${height}px`;
    this.stuck.style.width = `${Math.min(width, this.viewWidth)}px`;
    // Geometry for scripts and tests that point at cells.
    Object.assign(this.content.dataset, {
      columns: String(g.columns),
      rows: String(g.rows),
      cellWidth: String(this.cellWidth),
      cellHeight: String(this.cellHeight),
    });
    this.fillZoomMenu(zoom);
  }

  private fillZoomMenu(zoom: HeatmapZoom): void {
    const menu = this.zoomMenu;
    if (menu === null) return;
    const widths = new Set(CELL_WIDTHS);
    if (zoom !== 'fit') widths.add(zoom);
    menu.textContent = '';
    menu.add(new Option(`fit (${groupDigits(this.grid!.columns)} s)`, 'fit'));
    for (const w of [...widths].sort((a, b) => a - b)) menu.add(new Option(`${w} px/s`, String(w)));
    menu.value = String(zoom);
  }

  private scrolled(): void {
    if (this.scroller.scrollLeft === this.scrollX) return;
    this.scrollX = this.scroller.scrollLeft;
    this.drawCells();
    this.drawOverlay();
    this.drawFrame();
  }

  /** Scrolls a range into view when none of it is visible (`whole`: unless all of it is). */
  private reveal(range: TimeRange, whole = false): void {
    const [c1, c2] = rangeColumns(range);
    const x1 = c1 * this.cellWidth;
    const x2 = (c2 + 1) * this.cellWidth;
    const seen = whole ? x1 >= this.scrollX && x2 <= this.scrollX + this.viewWidth : x2 > this.scrollX && x1 < this.scrollX + this.viewWidth;
    if (seen) return;
    this.scrollToColumn(Math.max(0, (x1 + x2) / 2 - this.viewWidth / 2) / this.cellWidth);
  }

  /** Scrolls the least so that a column is in view. */
  private revealColumn(column: number): void {
    const x1 = column * this.cellWidth;
    const x2 = x1 + this.cellWidth;
    if (x1 < this.scrollX) this.scrollToColumn(column);
    else if (x2 > this.scrollX + this.viewWidth) this.scrollToColumn((x2 - this.viewWidth) / this.cellWidth);
  }

  /** The cell at a point of the page, or null outside the grid (clamped into it while dragging). */
  private cellAtPoint(clientX: number, clientY: number, clampToGrid: boolean): Cell | null {
    const g = this.grid;
    if (g === null || g.columns === 0) return null;
    const rect = this.content.getBoundingClientRect();
    let column = Math.floor((clientX - rect.left) / this.cellWidth);
    let fromTop = Math.floor((clientY - rect.top) / this.cellHeight);
    if (clampToGrid) {
      column = Math.max(0, Math.min(g.columns - 1, column));
      fromTop = Math.max(0, Math.min(g.rows - 1, fromTop));
    } else if (column < 0 || column >= g.columns || fromTop < 0 || fromTop >= g.rows) {
      return null;
    }
    return { column, row: g.rows - 1 - fromTop };
  }

  // ---- mouse ----

  private down(e: MouseEvent): void {
    if (e.button !== 0) return;
    const cell = this.cellAtPoint(e.clientX, e.clientY, false);
    if (cell === null) return;
    // No preventDefault: the browser focuses the map as for any click (so Esc and the arrows act here, with no
    // keyboard focus ring); `user-select: none` keeps a drag from selecting text.
    this.cursor = cell;
    this.keyAnchor = null;
    this.keyboardCursor = false;
    // A two-click range is a baseline when either click holds Shift.
    this.baselineGesture = e.shiftKey || this.baselineArmed || (this.anchor !== null && this.baselineGesture);
    this.dragStart = cell;
    this.dragMoved = false;
  }

  private move(e: MouseEvent): void {
    const dragging = this.dragStart !== null && (e.buttons & 1) === 1;
    this.lastPointer = { x: e.clientX, y: e.clientY };
    const cell = this.cellAtPoint(e.clientX, e.clientY, dragging);
    this.showTooltip(cell, e.clientX, e.clientY);
    if (dragging) this.followEdge(e.clientX);
    if (cell === null) return;
    let preview: [Cell, Cell] | null = this.preview;
    if (dragging) {
      const start = this.dragStart!;
      if (cell.column !== start.column || cell.row !== start.row) this.dragMoved = true;
      if (this.dragMoved) preview = [start, cell];
    } else if (this.anchor !== null) {
      preview = [this.anchor, cell];
    }
    if (!sameSpan(preview, this.preview)) {
      this.preview = preview;
      this.drawOverlay();
    }
  }

  private leave(): void {
    this.tooltip.hidden = true;
    this.hovered = -1;
  }

  private up(e: MouseEvent): void {
    const start = this.dragStart;
    this.dragStart = null;
    this.autoScroll = 0;
    if (start === null || this.grid === null) return;
    const cell = this.cellAtPoint(e.clientX, e.clientY, this.dragMoved) ?? this.preview?.[1] ?? start;
    this.cursor = cell;
    if (this.dragMoved) {
      this.finish(start, cell);
    } else if (this.anchor === null) {
      this.anchor = cell;
      this.preview = [cell, cell];
      this.hint.textContent = 'Now click the cell where the range ends (Esc cancels).';
      this.drawOverlay();
    } else {
      this.finish(this.anchor, cell);
    }
  }

  /** While a drag is past the left or right edge, scroll that way, faster the further out. */
  private followEdge(clientX: number): void {
    const box = this.scroller.getBoundingClientRect();
    const past = clientX < box.left ? clientX - box.left : clientX > box.right ? clientX - box.right : 0;
    const wasIdle = this.autoScroll === 0;
    this.autoScroll = Math.max(-60, Math.min(60, past / 2));
    if (!wasIdle || this.autoScroll === 0) return;
    const step = (): void => {
      if (this.autoScroll === 0 || this.dragStart === null) return;
      this.scroller.scrollLeft += this.autoScroll;
      this.scrolled();
      const p = this.lastPointer;
      if (p !== null) {
        const cell = this.cellAtPoint(p.x, p.y, true);
        if (cell !== null) {
          this.dragMoved = true;
          this.preview = [this.dragStart, cell];
          this.drawOverlay();
        }
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  private finish(a: Cell, b: Cell): void {
    const g = this.grid!;
    const range = cellRange(a.column, a.row, b.column, b.row, g.rows);
    this.anchor = null;
    this.preview = null;
    this.keyAnchor = null;
    this.hint.textContent = HINT;
    // "Compare with…" then a range made with the keyboard is a baseline too.
    if ((this.baselineGesture || this.baselineArmed) && this.callbacks.baseline !== undefined) {
      this.baselineGesture = false;
      if (this.baselineArmed) this.callbacks.baselineArmed?.(false);
      this.baselineArmed = false;
      this.baselineRange = range;
      this.drawOverlay();
      this.callbacks.baseline(range);
      return;
    }
    this.selected = range;
    this.drawOverlay();
    this.drawFrame();
    this.callbacks.select(range);
  }

  // ---- keyboard ----

  private focused(): void {
    const g = this.grid;
    if (g === null || g.columns === 0) return;
    if (this.scroller.matches(':focus-visible')) this.keyboardCursor = true;
    // The cursor starts on the selection, or at the top of the first column in view.
    if (this.cursor === null) {
      const { first } = visibleColumns(this.scrollX, this.viewWidth, this.cellWidth, g.columns);
      this.cursor = { column: this.selected === null ? first : rangeColumns(this.selected)[0], row: g.rows - 1 };
    }
    this.drawOverlay();
    if (this.keyboardCursor) this.describeCursor();
  }

  private key(e: KeyboardEvent): void {
    const g = this.grid;
    if (g === null || g.columns === 0 || e.altKey || e.metaKey) return;
    if (e.key === 'Escape') {
      // Esc acts here, on the heat map, and goes no further: a half-made selection first, then the selection.
      e.preventDefault();
      e.stopPropagation();
      if (this.preview !== null || this.anchor !== null || this.keyAnchor !== null) {
        this.anchor = null;
        this.preview = null;
        this.keyAnchor = null;
        if (this.baselineArmed) this.callbacks.baselineArmed?.(false);
        this.baselineArmed = false;
        this.baselineGesture = false;
        this.hint.textContent = HINT;
        this.drawOverlay();
      } else if (!this.escapeBaseline()) {
        this.clear();
      }
      return;
    }
    // Ctrl with + or − is the browser's own zoom.
    if ((e.key === '+' || e.key === '=' || e.key === '-') && !e.ctrlKey) {
      e.preventDefault();
      const fit = cellWidthOf('fit', this.viewWidth, g.columns);
      this.setZoom(stepZoom(this.cellWidth, e.key === '-' ? -1 : 1, fit), this.cursor?.column ?? null);
      this.callbacks.viewChanged?.();
      return;
    }
    this.keyboardCursor = true;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const cursor = this.cursor ?? { column: 0, row: g.rows - 1 };
      const [a, b] = this.preview ?? [cursor, cursor];
      this.finish(a, b);
      return;
    }
    const page = Math.max(1, Math.floor(this.viewWidth / this.cellWidth) - 1);
    const from = this.cursor ?? { column: 0, row: g.rows - 1 };
    // Ctrl+Left/Right jump ten seconds.
    const jump = e.ctrlKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight');
    const key = jump ? (e.key === 'ArrowLeft' ? 'PageUp' : 'PageDown') : e.key;
    const step = moveCell(from, key, g.columns, g.rows, jump ? 10 : page);
    if (step === null) return;
    e.preventDefault();
    if (e.shiftKey) {
      this.keyAnchor ??= from;
      this.preview = [this.keyAnchor, step];
    } else {
      this.keyAnchor = null;
      if (this.anchor === null) this.preview = null;
      else this.preview = [this.anchor, step];
    }
    this.cursor = step;
    this.revealColumn(step.column);
    this.drawOverlay();
    this.describeCursor();
  }

  /** Says where the cursor is, in the tooltip beside the cell and in the hint (read by screen readers). */
  private describeCursor(): void {
    const c = this.cursor;
    if (c === null) return;
    const rect = this.content.getBoundingClientRect();
    const x = rect.left + (c.column + 1) * this.cellWidth;
    const y = rect.top + (this.grid!.rows - 1 - c.row) * this.cellHeight;
    this.showTooltip(c, x, y);
    const what = this.tooltip.textContent ?? '';
    this.hint.textContent = this.preview !== null ? `${what}. Enter selects from the marked cell to here; Esc cancels.` : `${what}. Shift+arrows mark a range, Enter selects.`;
  }

  // ---- tooltip ----

  private showTooltip(cell: Cell | null, clientX: number, clientY: number): void {
    const g = this.grid;
    if (cell === null || g === null) {
      this.tooltip.hidden = true;
      this.hovered = -1;
      return;
    }
    const key = cell.column * g.rows + cell.row;
    if (key !== this.hovered || this.tooltip.hidden) {
      this.hovered = key;
      this.tooltip.textContent = this.cellText(cell);
      this.tooltip.hidden = false;
    }
    placeTooltip(this.tooltip, clientX, clientY);
  }

  /** `3,600 s + 500–520 ms: 4 samples`; when a pixel holds several seconds, what they hold together. */
  private cellText(cell: Cell): string {
    const g = this.grid!;
    const where = `+ ${rowLabel(cell.row, g.rows)}`;
    if (this.cellWidth >= 1) {
      const k = cell.column * g.rows + cell.row;
      const n = g.counts[k]!;
      // Past ten minutes, the clock time too, as the overview strip labels it.
      const second = g.columns >= 600 ? `${groupDigits(cell.column)} s (${clockTime(cell.column, g.columns > 3600)})` : `${groupDigits(cell.column)} s`;
      if (n === 0) return `${second} ${where}: no samples`;
      const value = !g.weighted ? formatSamples(n) : `${formatCellValue(g, g.values[k]!)} (${formatSamples(n)})`;
      const note = this.callbacks.cellNote?.(cell.column, cell.row, g.rows) ?? '';
      // The search's painting (issue 9): how many of the cell's samples match.
      const matched = this.matchCounts === null ? '' : `; ${groupDigits(this.matchCounts[k]!)} of ${groupDigits(n)} match the search`;
      return `${second} ${where}: ${value}${note === '' ? '' : `, ${note}`}${matched}`;
    }
    // A pixel column spans 1 / cellWidth seconds: say what the row holds over all of them.
    // The seconds of the pixel the cell falls in, as drawCells groups them.
    const px = Math.floor(cell.column * this.cellWidth);
    const first = Math.floor(px / this.cellWidth);
    const end = Math.min(g.columns, Math.max(first + 1, Math.floor((px + 1) / this.cellWidth)));
    let samples = 0;
    let total = 0;
    let busiest = 0;
    for (let c = first; c < end; c++) {
      const k = c * g.rows + cell.row;
      samples += g.counts[k]!;
      total += g.values[k]!;
      if (g.counts[k]! > 0 && Math.abs(g.values[k]!) > Math.abs(busiest)) busiest = g.values[k]!;
    }
    const span = `${groupDigits(first)}–${groupDigits(end - 1)} s ${where}`;
    const zoomIn = 'Zoom in to pick single seconds.';
    if (samples === 0) return `${span}: no samples. ${zoomIn}`;
    const sum = !g.weighted ? formatSamples(samples) : `${formatCellValue(g, total)} (${formatSamples(samples)})`;
    return `${span}: ${sum} (busiest cell ${formatCellValue(g, busiest)}). ${zoomIn}`;
  }

  // ---- drawing ----

  private draw(): void {
    const g = this.grid;
    if (g === null) return;
    this.look ??= readLook(this.root);
    this.palette ??= new CellPalette(g, { enhance: this.enhanced, scale: this.signedScale }, this.look);
    this.drawCells();
    this.drawOverlay();
    this.drawYAxis();
    this.drawLegend();
    const width = g.columns * this.cellWidth;
    this.overview?.show(g, this.busy, this.viewWidth, this.look, this.palette.options, width > this.viewWidth + 0.5);
    this.drawFrame();
  }

  private drawFrame(): void {
    const g = this.grid;
    if (g === null || this.overview === null) return;
    this.overview.setViewport(this.scrollX / this.cellWidth, this.viewWidth / this.cellWidth, this.selected);
  }

  /** Paints the visible cells pixel by pixel (ImageData), then the time axis under them. */
  private drawCells(): void {
    const g = this.grid;
    const palette = this.palette;
    if (g === null || palette === null) return;
    const ratio = window.devicePixelRatio || 1;
    const viewW = Math.min(this.viewWidth, g.columns * this.cellWidth);
    const cellsH = g.rows * this.cellHeight;
    const ctx = sizedCanvas(this.layer, viewW, cellsH + AXIS_BOTTOM, ratio);
    const w = this.layer.width;
    const h = Math.round(cellsH * ratio);
    if (w === 0 || h === 0) return;
    if (this.image === null || this.image.width !== w || this.image.height !== h) this.image = ctx.createImageData(w, h);
    const pixels = new Uint32Array(this.image.data.buffer);
    const rows = g.rows;
    const cw = this.cellWidth;
    const ch = this.cellHeight;
    // Per device pixel column: the colour of each row (or "gap"/"outside"), then rows are copied down.
    const colours = new Uint32Array(w * rows);
    const gapX = new Uint8Array(w);
    const rowMax = new Float64Array(rows);
    const rowCount = new Float64Array(rows);
    let lastColumn = -1;
    for (let i = 0; i < w; i++) {
      const x = this.scrollX + (i + 0.5) / ratio;
      if (cw >= 1) {
        const c = Math.floor(x / cw);
        if (c >= g.columns) {
          gapX[i] = 2;
          continue;
        }
        gapX[i] = cw >= 4 && x - c * cw > cw - 1 ? 1 : 0;
        if (c === lastColumn) {
          colours.copyWithin(i * rows, (i - 1) * rows, i * rows);
          continue;
        }
        lastColumn = c;
        for (let r = 0; r < rows; r++) {
          const k = c * rows + r;
          colours[i * rows + r] = palette.pixel(g.counts[k]!, g.values[k]!);
        }
      } else {
        // Several seconds to a pixel: the cell of each row furthest from 0 among them (the busiest), so no
        // spike disappears, whichever its sign.
        const c0 = Math.floor((this.scrollX + i / ratio) / cw);
        const c1 = Math.min(g.columns, Math.max(c0 + 1, Math.floor((this.scrollX + (i + 1) / ratio) / cw)));
        if (c0 >= g.columns) {
          gapX[i] = 2;
          continue;
        }
        rowMax.fill(0);
        rowCount.fill(0);
        for (let c = c0; c < c1; c++) {
          if (this.busy[c] === 0) continue;
          for (let r = 0; r < rows; r++) {
            const k = c * rows + r;
            if (g.counts[k]! === 0) continue;
            rowCount[r]++;
            if (Math.abs(g.values[k]!) > Math.abs(rowMax[r]!)) rowMax[r] = g.values[k]!;
          }
        }
        for (let r = 0; r < rows; r++) colours[i * rows + r] = palette.pixel(rowCount[r]!, rowMax[r]!);
      }
    }
    let lastRow = -2;
    for (let j = 0; j < h; j++) {
      const y = (j + 0.5) / ratio;
      const fromTop = Math.min(rows - 1, Math.floor(y / ch));
      const gap = ch > 4 && y - fromTop * ch > ch - 1;
      const r = gap ? -1 : rows - 1 - fromTop;
      const line = j * w;
      if (r === lastRow) {
        pixels.copyWithin(line, line - w, line);
        continue;
      }
      lastRow = r;
      for (let i = 0; i < w; i++) {
        const kind = gapX[i]!;
        pixels[line + i] = kind === 2 ? 0 : kind === 1 || r < 0 ? palette.emptyPixel : colours[i * rows + r]!;
      }
    }
    ctx.putImageData(this.image, 0, 0);
    this.drawTimeAxis(ctx, cellsH, viewW);
    this.callbacks.drawn?.({ scrollX: this.scrollX, cellWidth: cw, viewWidth: this.viewWidth, columns: g.columns });
  }

  private drawTimeAxis(ctx: CanvasRenderingContext2D, top: number, width: number): void {
    const g = this.grid!;
    const look = this.look!;
    const cw = this.cellWidth;
    const { step, label: tickLabel } = timeAxis(cw, g.columns);
    const { first, end } = visibleColumns(this.scrollX, width, cw, g.columns);
    ctx.fillStyle = look.text;
    ctx.font = '11px sans-serif';
    ctx.textAlign = 'center';
    for (let c = Math.floor(first / step) * step; c < end; c += step) {
      const x = c * cw - this.scrollX;
      ctx.fillRect(x, top, 1, 4);
      // Centred on its cell; a label whose centre is in view is moved in rather than cut by the edge.
      const centre = x + Math.min(cw / 2, 0.5 * step * cw);
      if (centre < 0 || centre > width) continue;
      const label = tickLabel(c);
      const half = ctx.measureText(label).width / 2;
      ctx.fillText(label, Math.max(half, Math.min(width - half, centre)), top + 15);
    }
  }

  /** The selection (or the one being made) and the keyboard cursor, over the cells. */
  private drawOverlay(): void {
    const g = this.grid;
    const look = this.look;
    if (g === null || look === null) return;
    const ratio = window.devicePixelRatio || 1;
    const viewW = Math.min(this.viewWidth, g.columns * this.cellWidth);
    const ctx = sizedCanvas(this.overlay, viewW, g.rows * this.cellHeight, ratio);
    const { first, end } = visibleColumns(this.scrollX, viewW, this.cellWidth, g.columns);
    this.drawMatches(ctx, viewW, first, end);
    const preview = this.preview;
    const selected = this.selected;
    let rowsOf: ((c: number) => [number, number] | null) | null = null;
    let span: [number, number] | null = null;
    if (preview !== null) {
      const [a, b] = orderCells(preview[0], preview[1]);
      rowsOf = (c) => selectionRows(a, b, c, g.rows);
      span = [a.column, b.column];
    } else if (selected !== null) {
      rowsOf = (c) => coveredRows(selected, c, g.rows);
      span = rangeColumns(selected);
    }
    // A baseline being dragged looks like the baseline it makes, not like a selection.
    const previewIsBaseline = preview !== null && this.baselineGesture;
    if (previewIsBaseline && selected !== null) this.paintRuns(ctx, (c) => coveredRows(selected, c, g.rows), rangeColumns(selected), first, end, look.selection);
    if (this.baselineRange !== null || previewIsBaseline) {
      const range = this.baselineRange;
      const [baseRows, baseSpan] = previewIsBaseline ? [rowsOf!, span!] : [(c: number) => coveredRows(range!, c, g.rows), rangeColumns(range!)];
      this.paintRuns(ctx, baseRows, baseSpan, first, end, hatch(ctx, look.text), look.text);
      if (previewIsBaseline) rowsOf = null;
    }
    // Columns with the same rows make one rectangle: a selection is at most three (start, middle, end).
    if (rowsOf !== null && span !== null) this.paintRuns(ctx, rowsOf, span, first, end, look.selection);
    const gap = this.marked;
    if (gap !== null) {
      const [c1, c2] = rangeColumns(gap);
      ctx.strokeStyle = look.accent;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      for (let c = Math.max(first, c1); c <= Math.min(end - 1, c2); c++) {
        const rowsCovered = coveredRows(gap, c, g.rows);
        if (rowsCovered === null) continue;
        const [lo, hi] = rowsCovered;
        const x = c * this.cellWidth - this.scrollX;
        ctx.strokeRect(x + 1, (g.rows - 1 - hi) * this.cellHeight + 1, Math.max(2, this.cellWidth) - 2, (hi - lo + 1) * this.cellHeight - 2);
      }
      ctx.setLineDash([]);
    }
    if (this.recurrences.length > 0) {
      ctx.strokeStyle = look.text;
      ctx.lineWidth = 2;
      for (const m of this.recurrences) {
        if (m.column < first || m.column >= end || m.fromRow >= g.rows) continue;
        const x = m.column * this.cellWidth - this.scrollX;
        const hi = Math.min(m.toRow, g.rows - 1);
        ctx.strokeRect(x + 1, (g.rows - 1 - hi) * this.cellHeight + 1, Math.max(2, this.cellWidth) - 2, (hi - m.fromRow + 1) * this.cellHeight - 2);
      }
    }
    const cursor = this.cursor;
    if (cursor !== null && this.keyboardCursor && document.activeElement === this.scroller && cursor.column >= first && cursor.column < end) {
      const x = cursor.column * this.cellWidth - this.scrollX;
      const y = (g.rows - 1 - cursor.row) * this.cellHeight;
      ctx.strokeStyle = look.text;
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 1, y - 1, Math.max(2, this.cellWidth) + 1, this.cellHeight + 1);
    }
  }

  // ---- search painting (issue 9) ----

  /**
   * Paints the cells where a search's matching samples fall, each shaded by the matched share of its samples;
   * `counts` is per cell of the grid shown (as `HeatmapGrid.counts`), null removes the painting.
   */
  setMatches(counts: Uint32Array | null, draw = true): void {
    const g = this.grid;
    this.matchCounts = g !== null && counts !== null && counts.length === g.counts.length ? counts : null;
    this.matchColumns = new Uint8Array(g?.columns ?? 0);
    if (g !== null && this.matchCounts !== null) {
      for (let k = 0; k < this.matchCounts.length; k++) if (this.matchCounts[k]! > 0) this.matchColumns[Math.floor(k / g.rows)] = 1;
    }
    this.matchLayer = null;
    if (draw) this.drawOverlay();
  }

  /** The painted cells: column, row, matched samples and all samples of the cell (for the automation API). */
  get paintedCells(): { column: number; row: number; matched: number; samples: number }[] {
    const g = this.grid;
    const m = this.matchCounts;
    if (g === null || m === null) return [];
    const out: { column: number; row: number; matched: number; samples: number }[] = [];
    for (let k = 0; k < m.length; k++) {
      if (m[k]! > 0) out.push({ column: Math.floor(k / g.rows), row: k % g.rows, matched: m[k]!, samples: g.counts[k]! });
    }
    return out;
  }

  /**
   * The painting in the search's colour (the flame graph's match colour, `--match`, set for each theme):
   * translucent for a small share, nearly opaque when every sample of the cell matches, outlined when cells are
   * wide enough; made on a canvas of its own once per view, then copied, since the overlay redraws on every hover.
   */
  private drawMatches(ctx: CanvasRenderingContext2D, viewW: number, first: number, end: number): void {
    const g = this.grid;
    const m = this.matchCounts;
    if (g === null || m === null) return;
    const ratio = window.devicePixelRatio || 1;
    const height = g.rows * this.cellHeight;
    const key = `${this.scrollX} ${viewW} ${this.cellWidth} ${this.cellHeight} ${ratio} ${this.look === null ? '' : this.look.text}`;
    if (this.matchLayer?.key !== key) {
      const canvas = document.createElement('canvas');
      const layer = sized(canvas, viewW, height, ratio);
      const color = getComputedStyle(this.root).getPropertyValue('--match').trim() || '#a0a';
      layer.fillStyle = color;
      layer.strokeStyle = color;
      layer.lineWidth = 1;
      const cw = this.cellWidth;
      const ch = this.cellHeight;
      for (let c = first; c < end; c++) {
        if (this.matchColumns[c] === 0) continue;
        const x = c * cw - this.scrollX;
        for (let r = 0; r < g.rows; r++) {
          const k = c * g.rows + r;
          const n = m[k]!;
          if (n === 0) continue;
          const share = n / Math.max(1, g.counts[k]!);
          const y = (g.rows - 1 - r) * ch;
          // Inside the cell's gutters when cells are wide enough, so that painted cells stay cells.
          const gutter = cw >= 4 && ch >= 4 ? 1 : 0;
          layer.globalAlpha = 0.3 + 0.55 * share;
          layer.fillRect(x, y, Math.max(1, cw - gutter), ch - gutter);
          if (gutter === 1) {
            layer.globalAlpha = 1;
            layer.strokeRect(x + 0.5, y + 0.5, cw - 2, ch - 2);
          }
        }
      }
      this.matchLayer = { key, canvas };
    }
    ctx.drawImage(this.matchLayer.canvas, 0, 0, viewW, height);
  }

  /** Fills (and outlines) the visible cells of a range, columns with the same rows as one rectangle. */
  private paintRuns(
    ctx: CanvasRenderingContext2D,
    rowsOf: (c: number) => [number, number] | null,
    span: [number, number],
    first: number,
    end: number,
    fill: string | CanvasPattern,
    outline?: string,
  ): void {
    const from = Math.max(first, span[0]);
    const to = Math.min(end - 1, span[1]);
    let runStart = from;
    let runRows = from <= to ? rowsOf(from) : null;
    for (let c = from + 1; c <= to + 1; c++) {
      const next = c <= to ? rowsOf(c) : null;
      if (next !== null && runRows !== null && next[0] === runRows[0] && next[1] === runRows[1]) continue;
      if (runRows !== null) {
        ctx.fillStyle = fill;
        this.fillCells(ctx, runStart, c - 1, runRows);
        if (outline !== undefined) {
          const g = this.grid!;
          ctx.strokeStyle = outline;
          ctx.lineWidth = 1.5;
          const x = runStart * this.cellWidth - this.scrollX;
          const w = Math.max(1.5, (c - runStart) * this.cellWidth);
          ctx.strokeRect(x + 0.75, (g.rows - 1 - runRows[1]) * this.cellHeight + 0.75, w - 1.5, (runRows[1] - runRows[0] + 1) * this.cellHeight - 1.5);
        }
      }
      runStart = c;
      runRows = next;
    }
  }

  private fillCells(ctx: CanvasRenderingContext2D, c1: number, c2: number, [lo, hi]: [number, number]): void {
    const g = this.grid!;
    const x = c1 * this.cellWidth - this.scrollX;
    // At least a pixel and a half wide, so a one-second selection shows even when a pixel holds a minute.
    const w = Math.max(1.5, (c2 - c1 + 1) * this.cellWidth);
    const y = (g.rows - 1 - hi) * this.cellHeight;
    ctx.fillRect(x, y, w, (hi - lo + 1) * this.cellHeight);
  }

  private drawYAxis(): void {
    const g = this.grid!;
    const height = g.rows * this.cellHeight;
    const y = sizedCanvas(this.yAxis, AXIS_LEFT, height + AXIS_BOTTOM, window.devicePixelRatio || 1);
    y.fillStyle = this.look!.text;
    y.font = '11px sans-serif';
    y.textAlign = 'right';
    y.textBaseline = 'middle';
    const labelEvery = Math.max(1, Math.ceil(14 / this.cellHeight));
    for (let r = 0; r < g.rows; r += labelEvery) {
      y.fillText(`${rowOffsetMs(r, g.rows)} ms`, AXIS_LEFT - 6, (g.rows - r - 0.5) * this.cellHeight);
    }
    y.textAlign = 'left';
    y.fillText('s →', 4, height + 15);
  }

  /**
   * The legend: the grey of a cell without samples, white (dark: near-black) for a sum of 0 when cells sum a
   * metric, then the scale from the real smallest to the largest value of a sampled cell, with its unit. A
   * diverging scale marks where 0 falls.
   */
  private drawLegend(): void {
    const g = this.grid!;
    const palette = this.palette!;
    const swatch = (el: HTMLElement | null, show: boolean, count: number): void => {
      if (el === null) return;
      el.hidden = !show;
      const [r, gr, b] = palette.color(count, 0);
      el.querySelector<HTMLElement>('i')!.style.background = `rgb(${r},${gr},${b})`;
    };
    swatch(this.legendNull, true, 0);
    swatch(this.legendZero, g.weighted && g.samples > 0 && g.min <= 0 && g.max >= 0, 1);
    const width = palette.signed ? 200 : 160;
    const legend = sizedCanvas(this.legend, width, 12, window.devicePixelRatio || 1);
    this.legend.hidden = g.samples === 0;
    if (g.samples === 0) {
      this.legendMin.textContent = '';
      this.legendMax.textContent = g.without > 0 ? `no sample carries ${g.metric}` : 'no samples';
      return;
    }
    if (g.weighted && g.min === 0 && g.max === 0) {
      // Nothing to scale: the zero swatch says it all.
      this.legend.hidden = true;
      this.legendMin.textContent = '';
      this.legendMax.textContent = `every sampled cell sums to 0 ${g.unit === '' ? g.metric : g.unit}`;
      return;
    }
    // Value at each x, min to max: the same mapping as the cells (a flat grid still shows its one colour).
    const span = g.max - g.min;
    for (let x = 0; x < width; x++) {
      const v = span === 0 ? g.max : g.min + (span * x) / (width - 1);
      const [r, gr, b] = palette.color(1, v === 0 && palette.signed ? Number.MIN_VALUE : v);
      legend.fillStyle = `rgb(${r},${gr},${b})`;
      legend.fillRect(x, 0, 1, 12);
    }
    if (palette.signed && span > 0) {
      const zero = Math.round((-g.min / span) * (width - 1));
      legend.fillStyle = this.look!.text;
      legend.fillRect(zero, 0, 1, 12);
    }
    this.legendMin.textContent = formatCellValue(g, g.min);
    this.legendMax.textContent = `${palette.signed && g.max > 0 ? '+' : ''}${formatCellValue(g, g.max)}`;
    const how = palette.signed
      ? this.signedScale === 'symmetric'
        ? 'diverging, symmetric: ±max|value| at the ends, 0 marked'
        : 'diverging, halves: the minimum full green, the maximum full red, 0 marked'
      : 'linear scale';
    this.legend.title = this.enhanced ? `enhanced (logarithmic, low values stretched); ${how}` : how;
  }
}

/** Whether two selections in progress cover the same cells. */
function sameSpan(a: [Cell, Cell] | null, b: [Cell, Cell] | null): boolean {
  if (a === null || b === null) return a === b;
  const [a1, a2] = orderCells(a[0], a[1]);
  const [b1, b2] = orderCells(b[0], b[1]);
  return a1.column === b1.column && a1.row === b1.row && a2.column === b2.column && a2.row === b2.row;
}

/** Puts a tooltip beside a point, inside the window: flipped left or up when it would cross an edge. */
export function placeTooltip(tooltip: HTMLElement, clientX: number, clientY: number): void {
  const box = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
  const w = tooltip.offsetWidth;
  const h = tooltip.offsetHeight;
  const room = document.documentElement.clientWidth;
  const roomY = document.documentElement.clientHeight;
  let x = clientX + 14;
  let y = clientY + 14;
  if (x + w > room - 4) x = Math.max(4, clientX - 14 - w);
  if (y + h > roomY - 4) y = Math.max(4, clientY - 14 - h);
  tooltip.style.left = `${x - box.left}px`;
  tooltip.style.top = `${y - box.top}px`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  return el;
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

/** The baseline's hatch: thin diagonal lines in the text colour, which read over any cell colour. */
function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  if (t === null) return color;
  t.strokeStyle = color;
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.moveTo(-1, 1);
  t.lineTo(1, -1);
  t.moveTo(5, 7);
  t.lineTo(7, 5);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? color;
}
