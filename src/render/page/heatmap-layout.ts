// The page heat map's geometry, free of the DOM so that it is unit-tested: zoom levels, which columns a scrolled
// viewport shows, time-axis ticks, keyboard moves, which rows of a column a selection covers, and the bins of
// the overview strip.
import { type Cell, type HeatmapGrid, orderCells, rowOf } from '../../heatmap/grid';
import { NS_PER_SECOND, type TimeRange } from '../../heatmap/range';

/** Cell widths (CSS px per second) the zoom menu offers, besides "fit" and the default of the profile. */
export const CELL_WIDTHS: readonly number[] = [1, 2, 4, 6, 12, 24];

/**
 * Browsers stop laying out an element somewhere past 17.8 million px (Firefox) or 33.5 million (Chromium): the
 * scrolled width stays under both, by narrowing the cells of extremely long recordings.
 */
export const MAX_CONTENT_WIDTH = 15_000_000;

/** `fit`: the whole recording in the panel's width (a pixel may then hold several seconds); else px per cell. */
export type HeatmapZoom = 'fit' | number;

/** The width of a cell when nobody chose one: short profiles fill the panel, long ones get 6 px, at most 24. */
export function defaultCellWidth(available: number, columns: number): number {
  return Math.max(6, Math.min(24, Math.floor(available / Math.max(1, columns))));
}

/** The cell width a zoom gives in a panel `available` px wide. */
export function cellWidthOf(zoom: HeatmapZoom, available: number, columns: number): number {
  const n = Math.max(1, columns);
  const wanted = zoom === 'fit' ? Math.max(1, available) / n : zoom;
  return Math.min(wanted, MAX_CONTENT_WIDTH / n);
}

/** The next zoom in (`direction` 1) or out (−1) from a cell width, among the menu's widths and fit. */
export function stepZoom(cellWidth: number, direction: 1 | -1, fitWidth: number): HeatmapZoom {
  const levels = [...new Set([...CELL_WIDTHS, fitWidth])].sort((a, b) => a - b);
  const found = direction > 0 ? levels.find((w) => w > cellWidth + 1e-9) : [...levels].reverse().find((w) => w < cellWidth - 1e-9);
  const next = found ?? (direction > 0 ? levels[levels.length - 1]! : levels[0]!);
  return next === fitWidth ? 'fit' : next;
}

/** The height of a cell for a row count: about 450 px in all, 3 to 16 px a row. */
export function cellHeightOf(rows: number): number {
  return Math.max(3, Math.min(16, Math.floor(450 / Math.max(1, rows))));
}

/** The columns [first, end) that a viewport `width` px wide, scrolled `scrollX` px, shows (even partly). */
export function visibleColumns(scrollX: number, width: number, cellWidth: number, columns: number): { first: number; end: number } {
  const first = Math.max(0, Math.floor(scrollX / cellWidth));
  const end = Math.min(columns, Math.ceil((scrollX + width) / cellWidth));
  return { first: Math.min(first, end), end };
}

/** Seconds between labelled ticks: round steps people read at a glance (1 s ... 1 day). */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest round step whose ticks are at least `minGap` px apart at `pxPerSecond`. */
export function tickStep(pxPerSecond: number, minGap: number): number {
  for (const s of TICK_STEPS) if (s * pxPerSecond >= minGap) return s;
  const days = Math.ceil(minGap / (86400 * pxPerSecond));
  return 86400 * days;
}

/**
 * The ticks of a time axis at `pxPerSecond`: a round step whose labels do not collide, and how a tick reads.
 * Seconds with thousands separators (what `--from` takes) for steps under a minute; the clock time since t0
 * above, which is what a reader of a long recording looks for (`3,600 s` → `1:00:00`), with hours throughout
 * when the recording passes one.
 */
export function timeAxis(pxPerSecond: number, columns: number): { step: number; label(seconds: number): string } {
  const seconds = tickStep(pxPerSecond, 48);
  if (seconds < 60) return { step: seconds, label: (s) => s.toLocaleString('en-US') };
  const hours = columns > 3600;
  return { step: tickStep(pxPerSecond, hours ? 72 : 56), label: (s) => clockTime(s, hours) };
}

/** Seconds since t0 as h:mm:ss, or m:ss under an hour unless `hours`. */
export function clockTime(seconds: number, hours = false): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 || hours ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Keys that move the keyboard cursor, and where they take it (row 0 is the bottom, so Up is later). */
export function moveCell(cell: Cell, key: string, columns: number, rows: number, page: number): Cell | null {
  let { column, row } = cell;
  switch (key) {
    case 'ArrowLeft':
      column -= 1;
      break;
    case 'ArrowRight':
      column += 1;
      break;
    case 'ArrowUp':
      row += 1;
      break;
    case 'ArrowDown':
      row -= 1;
      break;
    case 'PageUp':
      column -= Math.max(1, page);
      break;
    case 'PageDown':
      column += Math.max(1, page);
      break;
    case 'Home':
      column = 0;
      break;
    case 'End':
      column = columns - 1;
      break;
    default:
      return null;
  }
  return { column: clamp(column, 0, columns - 1), row: clamp(row, 0, rows - 1) };
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/**
 * The rows [lo, hi] of a column whose cells a time range overlaps, or null when it overlaps none. A range made
 * from cells covers exactly those cells; a range typed in a link also lights the cells it cuts.
 */
export function coveredRows(range: TimeRange, column: number, rows: number): [number, number] | null {
  const start = range.start - column * NS_PER_SECOND;
  const end = range.end - column * NS_PER_SECOND;
  if (end <= 0 || start >= NS_PER_SECOND || end <= start) return null;
  const lo = start <= 0 ? 0 : rowOf(start, rows);
  // The last nanosecond inside the range, end − 1, is in the last row it touches (times are whole ns).
  const hi = end >= NS_PER_SECOND ? rows - 1 : rowOf(end - 1, rows);
  return [lo, hi];
}

/** The rows [lo, hi] of a column that a selection in progress (cell to cell, column-major) covers, or null. */
export function selectionRows(a: Cell, b: Cell, column: number, rows: number): [number, number] | null {
  const [first, last] = orderCells(a, b);
  if (column < first.column || column > last.column) return null;
  return [column === first.column ? first.row : 0, column === last.column ? last.row : rows - 1];
}

/** The first and last column a time range touches. */
export function rangeColumns(range: TimeRange): [number, number] {
  return [Math.floor(range.start / NS_PER_SECOND), Math.floor((range.end - 1) / NS_PER_SECOND)];
}

/**
 * Which columns hold any sample: long recordings are mostly empty seconds, which the overview and a zoomed-out
 * heat map skip whole instead of reading their every row.
 */
export function busyColumns(grid: HeatmapGrid): Uint8Array {
  const busy = new Uint8Array(grid.columns);
  const { rows, counts } = grid;
  for (let c = 0; c < grid.columns; c++) {
    for (let k = c * rows, end = k + rows; k < end; k++) {
      if (counts[k]! > 0) {
        busy[c] = 1;
        break;
      }
    }
  }
  return busy;
}

/** The overview's picture: `width` bins of seconds × `bands` bins of rows, each the mean value of its cells. */
export interface OverviewBins {
  width: number;
  bands: number;
  /** Bin (x, band) is at x * bands + band; band 0 is the bottom (offset 0). */
  mean: Float64Array;
  /** Samples in each bin, so that an empty bin is told apart from a bin whose values sum to 0. */
  samples: Float64Array;
  /** The largest and smallest mean of a bin with samples, 0 when none has any. */
  max: number;
  min: number;
}

/**
 * Aggregates a grid into `width` × `bands` bins: each bin the mean value per cell of the seconds and rows it
 * covers (load, not the busiest cell, so that a busy minute stands out of a quiet hour). When the grid has
 * fewer columns than bins, a column spans several bins.
 */
export function overviewBins(grid: HeatmapGrid, width: number, bands: number, busy = busyColumns(grid)): OverviewBins {
  const { columns, rows } = grid;
  const w = Math.max(1, Math.floor(width));
  const b = Math.max(1, Math.min(rows, Math.floor(bands)));
  const mean = new Float64Array(w * b);
  const samples = new Float64Array(w * b);
  let max = 0;
  let min = 0;
  if (columns > 0) {
    for (let x = 0; x < w; x++) {
      const c0 = Math.floor((x * columns) / w);
      const c1 = Math.max(c0 + 1, Math.floor(((x + 1) * columns) / w));
      for (let band = 0; band < b; band++) {
        const r0 = Math.floor((band * rows) / b);
        const r1 = Math.floor(((band + 1) * rows) / b);
        let sum = 0;
        let n = 0;
        for (let c = c0; c < c1; c++) {
          if (busy[c] === 0) continue;
          const base = c * rows;
          for (let r = r0; r < r1; r++) {
            sum += grid.values[base + r]!;
            n += grid.counts[base + r]!;
          }
        }
        const k = x * b + band;
        mean[k] = sum / ((c1 - c0) * (r1 - r0));
        samples[k] = n;
        if (n > 0 && mean[k]! > max) max = mean[k]!;
        if (n > 0 && mean[k]! < min) min = mean[k]!;
      }
    }
  }
  return { width: w, bands: b, mean, samples, max, min };
}
