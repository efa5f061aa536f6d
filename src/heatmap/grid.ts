// The subsecond-offset heat map: one column per second since t0, R rows per second, each cell the samples (or
// their weights) whose timestamps fall in it. Exact integer nanoseconds throughout, so that a sample lands in a
// cell iff it lands in the time range of that cell (spec: heatmap.md, "Exact arithmetic").
// Pure and free of Node APIs: the report bundles this module for the browser.
import { UserError } from '../errors';
import type { Profile, TimeJump } from '../parse/profile';
import { isMetric, weightOf, type Weights } from '../model/metrics';
import { type IdleMode, NS_PER_SECOND, profileExtent, type SampleFilter, selectSamples, type TimeRange } from './range';

export const DEFAULT_ROWS = 50;
export const MAX_ROWS = 1000;
/**
 * The most cells and columns a heat map has unless the user asks for more: memory and output grow with the time
 * span, not with the samples, so a timestamp that jumps by weeks must not take gigabytes. 10 million cells
 * (120 MB) hold a 24-hour recording at up to 115 rows; the column limit (55 hours) bounds what grows per column
 * (axis labels, one array per column in JSON) when there are few rows.
 */
export const MAX_CELLS = 10_000_000;
export const MAX_COLUMNS = 200_000;

/** The widest heat map drawn by default at `rows` rows (what `--max-columns` overrides). */
export function defaultMaxColumns(rows: number): number {
  return Math.min(MAX_COLUMNS, Math.floor(MAX_CELLS / rows));
}

export interface HeatmapGrid {
  /** Origin of the time axis, whole seconds: column c covers [t0 + c, t0 + c + 1). */
  t0: number;
  rows: number;
  columns: number;
  /** The event shown, as perf printed it. */
  event: string;
  /** The metric summed (`samples`, `period`, `erlang_memory_delta`, …) and its unit. */
  metric: string;
  unit: string;
  /** Whether cells sum a metric (signed, possibly 0) rather than count samples. */
  weighted: boolean;
  /**
   * Column-major: the cell of column c, row r is values[c * rows + r]; row 0 is sub-second offset 0. The signed
   * sum of the weights; a cell whose count is 0 has no value (null, drawn grey), one that sums to 0 is white.
   */
  values: Float64Array;
  /** Samples per cell, kept beside weighted values so that an empty cell differs from one that sums to 0. */
  counts: Uint32Array;
  /** Largest and smallest value of a cell that has samples; both 0 when no cell has any. */
  max: number;
  min: number;
  /** Samples counted in the grid. */
  samples: number;
  /** Samples of the event left out because they do not carry the metric. */
  without: number;
  /** Sum of all values. */
  total: number;
}

export interface HeatmapOptions {
  /** Event id, or −1 for every event together (only to compare with tools that mix events, like FlameScope). */
  event: number;
  idle: IdleMode;
  rows: number;
  weights: Weights;
  /** Who (threads, processes, CPUs); every sample when absent. */
  filter?: SampleFilter;
  /**
   * Refuse (with a UserError that says where time jumps) a heat map wider than this; none when absent. The CLI
   * passes `--max-columns` or `defaultMaxColumns(rows)`; the page builds whatever the CLI agreed to embed.
   */
  maxColumns?: number;
}

/** The label of event id `event` (−1: every event). */
export function eventLabel(profile: Profile, event: number): string {
  return event < 0 ? 'all events' : profile.events[event]!;
}

/**
 * Column count of a profile: every second that holds a sample, over all samples of the file (all events, idle
 * included) so every event's heat map shares one axis. A last sample on a whole second still gets its column.
 */
export function columnCount(profile: Profile): number {
  if (profile.sampleCount === 0) return 0;
  return Math.floor(profileExtent(profile).last / NS_PER_SECOND) + 1;
}

/** The column of a time in ns since t0. */
export function columnOf(ns: number): number {
  return Math.floor(ns / NS_PER_SECOND);
}

/**
 * The row of a time in ns since t0: floor(fraction * R / 1e9). The fraction is an integer < 1e9 and R ≤ 1000, so
 * the product is an exact integer and the quotient is at least 1/1e9 away from the next integer: floor is exact.
 */
export function rowOf(ns: number, rows: number): number {
  const frac = ns - columnOf(ns) * NS_PER_SECOND;
  return Math.floor((frac * rows) / NS_PER_SECOND);
}

/**
 * The first whole nanosecond of row r within a second: the least integer f with floor(f * R / 1e9) ≥ r, i.e.
 * ceil(r * 1e9 / R). Using this exact edge for ranges is what makes "in the range" and "in the cells" agree.
 */
export function rowStartNs(row: number, rows: number): number {
  return Math.ceil((row * NS_PER_SECOND) / rows);
}

export function buildHeatmap(profile: Profile, options: HeatmapOptions): HeatmapGrid {
  const { rows, weights } = options;
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new RangeError(`rows must be a whole number from 1 to ${MAX_ROWS}`);
  const columns = columnCount(profile);
  if (options.maxColumns !== undefined) checkColumns(profile, columns, rows, options.maxColumns);
  const { values, counts } = cellArrays(profile, columns, rows);
  const taken = selectSamples(profile, { event: options.event, idle: options.idle, range: null, filter: options.filter });
  let total = 0;
  let without = 0;
  for (const i of taken) {
    const w = weightOf(weights, i);
    if (w !== w) {
      without++;
      continue;
    }
    const t = profile.time[i]!;
    const cell = columnOf(t) * rows + rowOf(t, rows);
    values[cell] += w;
    counts[cell]++;
    total += w;
  }
  return gridOf(profile.t0, rows, columns, eventLabel(profile, options.event), weights, values, counts, taken.length - without, without, total);
}

/** The cells of a heat map, or a UserError when there is not memory enough for them. */
function cellArrays(profile: Profile, columns: number, rows: number): { values: Float64Array; counts: Uint32Array } {
  try {
    return { values: new Float64Array(columns * rows), counts: new Uint32Array(columns * rows) };
  } catch {
    // An overridden limit can still ask for more memory than there is (or than a typed array may hold).
    const jump = profile.warnings.timeJump;
    throw new UserError(
      profile.source,
      `not enough memory for a heat map of ${columns.toLocaleString('en-US')} columns × ${rows} rows` +
        `${jump === undefined ? '' : ` (${timeJumpText(jump)})`}; try fewer --rows or a lower --max-columns`,
    );
  }
}

function gridOf(
  t0: number,
  rows: number,
  columns: number,
  event: string,
  weights: Weights,
  values: Float64Array,
  counts: Uint32Array,
  samples: number,
  without: number,
  total: number,
): HeatmapGrid {
  let max = -Infinity;
  let min = Infinity;
  for (let cell = 0; cell < values.length; cell++) {
    if (counts[cell] === 0) continue;
    if (values[cell]! > max) max = values[cell]!;
    if (values[cell]! < min) min = values[cell]!;
  }
  if (max === -Infinity) max = min = 0;
  return { t0, rows, columns, event, metric: weights.name, unit: weights.unit, weighted: isMetric(weights), values, counts, max, min, samples, without, total };
}

// ---- streaming (issue 10: memory that stays flat whatever the input's size) ----
/**
 * The time axis of samples read window after window (see `ProfileBuilder.streamWindows`), each window on its own
 * t0: the earliest whole second of all and the columns up to the last sample, as `columnCount` gives them for
 * the whole profile at once.
 */
export class TimeAxis {
  /** The earliest whole second of any sample (t0), and the second of the latest sample. */
  first = Infinity;
  last = -Infinity;

  add(window: Profile): void {
    const { first, last } = profileExtent(window);
    if (first === Infinity) return;
    this.first = Math.min(this.first, window.t0 + columnOf(first));
    this.last = Math.max(this.last, window.t0 + columnOf(last));
  }

  get t0(): number {
    return this.first === Infinity ? 0 : this.first;
  }

  get columns(): number {
    return this.first === Infinity ? 0 : this.last - this.first + 1;
  }
}

/** The cells of one second of a heat map being summed. */
interface SecondCells {
  values: Float64Array;
  counts: Uint32Array;
}

/**
 * A heat map summed window after window: `grid` gives what `buildHeatmap` gives for all the samples at once (the
 * same cells, summed in the same order). Holds the seconds that have samples, never the samples. Stops adding
 * once the seconds it holds span more than `maxColumns` (the grid is refused then: see `checkColumns`), so that
 * a timestamp that jumps by weeks cannot take gigabytes.
 */
export class HeatmapAccumulator {
  private readonly seconds = new Map<number, SecondCells>();
  private taken = 0;
  private without = 0;
  private total = 0;
  private first = Infinity;
  private last = -Infinity;

  constructor(
    readonly rows: number,
    private readonly maxColumns = MAX_COLUMNS,
  ) {
    if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new RangeError(`rows must be a whole number from 1 to ${MAX_ROWS}`);
  }

  /** Adds the samples of a window (or a whole profile) that the options select, weighed by `options.weights`. */
  add(profile: Profile, options: Omit<HeatmapOptions, 'rows' | 'maxColumns'>): void {
    const rows = this.rows;
    const taken = selectSamples(profile, { event: options.event, idle: options.idle, range: null, filter: options.filter });
    this.taken += taken.length;
    let cells: SecondCells | undefined;
    let second = NaN;
    for (const i of taken) {
      const w = weightOf(options.weights, i);
      if (w !== w) {
        this.without++;
        continue;
      }
      const t = profile.time[i]!;
      const s = profile.t0 + columnOf(t);
      if (s !== second) {
        second = s;
        cells = this.seconds.get(s);
        if (cells === undefined) {
          this.first = Math.min(this.first, s);
          this.last = Math.max(this.last, s);
          if (this.last - this.first >= this.maxColumns) return;
          cells = { values: new Float64Array(rows), counts: new Uint32Array(rows) };
          this.seconds.set(s, cells);
        }
      }
      const row = rowOf(t, rows);
      cells!.values[row] += w;
      cells!.counts[row]!++;
      this.total += w;
    }
  }

  /**
   * The heat map on the axis of all the samples read (its t0 and columns: see `TimeAxis`); `profile` (the last
   * window) names the input and its time jump when there is not memory enough for the cells.
   */
  grid(axis: TimeAxis, profile: Profile, event: string, weights: Weights): HeatmapGrid {
    const { rows } = this;
    const columns = axis.columns;
    const { values, counts } = cellArrays(profile, columns, rows);
    for (const [second, cells] of this.seconds) {
      values.set(cells.values, (second - axis.t0) * rows);
      counts.set(cells.counts, (second - axis.t0) * rows);
    }
    return gridOf(axis.t0, rows, columns, event, weights, values, counts, this.taken - this.without, this.without, this.total);
  }
}
// ---- end of streaming ----

/** Throws a UserError when a heat map would be wider than `maxColumns`, naming the time jump that made it so. */
export function checkColumns(profile: Profile, columns: number, rows: number, maxColumns: number): void {
  if (columns <= maxColumns) return;
  const jump = profile.warnings.timeJump;
  const override = `--max-columns ${columns} to draw it anyway`;
  const advice =
    jump === undefined
      ? `the profile spans ${formatDuration(columns)}: pass ${override}`
      : `${timeJumpText(jump)} (two recordings concatenated, or a corrupt timestamp?): cut the file there, or pass ${override}`;
  throw new UserError(
    profile.source,
    `the heat map would be ${columns.toLocaleString('en-US')} columns wide (${formatDuration(columns)}) at ${rows} rows, more than ` +
      `the limit of ${maxColumns.toLocaleString('en-US')}; ${advice}`,
  );
}

/** `time jumps forward by 30.1 days between line 465 (1002.900246 s) and line 481 (2600100.000321 s)` */
export function timeJumpText(jump: TimeJump): string {
  const direction = jump.to >= jump.from ? 'forward' : 'back';
  const at = (line: number, file: string | undefined, seconds: number): string =>
    `${line > 0 ? `line ${line}` : 'a sample'}${file === undefined ? '' : ` of ${file}`} (${seconds.toFixed(6)} s)`;
  return `time jumps ${direction} by ${formatDuration(Math.abs(jump.to - jump.from))} between ${at(jump.fromLine, jump.fromFile, jump.from)} and ${at(jump.toLine, jump.toFile, jump.to)}`;
}

/** A span of seconds as a reader wants it: `45 s`, `12.5 min`, `3.2 h`, `30.1 days`. */
export function formatDuration(seconds: number): string {
  const round = (v: number): string => String(Number(v.toPrecision(3)));
  if (seconds < 60) return `${round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86400 * 2) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86400)} days`;
}

/** One cell of a heat map. */
export interface Cell {
  column: number;
  row: number;
}

/** The two cells of a selection in column-major order (earlier first). */
export function orderCells(a: Cell, b: Cell): [Cell, Cell] {
  const aFirst = a.column < b.column || (a.column === b.column && a.row <= b.row);
  return aFirst ? [a, b] : [b, a];
}

/**
 * The half-open time range a selection from one cell to another covers (either order): from the lower edge of
 * the earlier cell to the upper edge of the later one, in ns since t0 (spec: "Selecting a range").
 */
export function cellRange(c1: number, r1: number, c2: number, r2: number, rows: number): TimeRange {
  const [first, last] = orderCells({ column: c1, row: r1 }, { column: c2, row: r2 });
  return {
    start: first.column * NS_PER_SECOND + rowStartNs(first.row, rows),
    end: last.column * NS_PER_SECOND + rowStartNs(last.row + 1, rows),
  };
}

/** Sum of the cell values a selection covers: what the flame graph of `cellRange` of it must total. */
export function selectionTotal(grid: HeatmapGrid, a: Cell, b: Cell): number {
  const [first, last] = orderCells(a, b);
  let sum = 0;
  const from = first.column * grid.rows + first.row;
  const to = Math.min(last.column * grid.rows + last.row, grid.values.length - 1);
  // Column-major order makes a selection one contiguous run of cells.
  for (let cell = Math.max(0, from); cell <= to; cell++) sum += grid.values[cell]!;
  return sum;
}
