// The heat map in a terminal, for people on an ssh session: one character per cell, row 0 at the bottom,
// 24-bit background colours when the terminal takes them (the same colours as the SVG and the page: grey for no
// sample, white for a sum of 0, red/green when values are signed), characters when it does not.
import type { HeatmapGrid } from '../heatmap/grid';
import type { GapReport } from '../query/gaps';
import { matchedLine, matchedShare, type MatchPainting } from '../query/match';
import { gapList } from './gap-list';
import {
  cellColor,
  cellShade,
  columnLabelStep,
  formatValue,
  isSigned,
  type Rgb,
  rowLabelStep,
  rowOffsetMs,
  type SignedScale,
  signedPosition,
  valueUnit,
} from './heatmap-scale';

export interface TextOptions {
  /** The input's name, for the title. */
  source: string;
  color: boolean;
  /** Terminal width in characters; wider heat maps wrap into bands of columns. */
  width: number;
  /** How signed cells share the colour scale (default symmetric). */
  scale?: SignedScale;
  /** The gaps to list under the legend (none listed when absent). */
  gaps?: GapReport;
  /** `--match`: a second grid under the heat map, each cell the matched share of its samples. */
  match?: MatchPainting;
}

/** From sparse to dense; a blank is an empty cell. */
const RAMP = ' .:-=+*#%@';
/** Without colour, signed cells: `1`…`9` above 0 and `a`…`i` below, in ninths of their side of the scale. */
const POSITIVE_LEVELS = '123456789';
const NEGATIVE_LEVELS = 'abcdefghi';
/** Without colour: a sampled cell whose weights sum to 0, and a cell without samples. */
const ZERO_CHAR = '0';
const NULL_CHAR = ' ';
const RESET = '\x1b[0m';

/** The ramp character of a non-empty cell (never the blank). */
export function rampChar(shade: number): string {
  return RAMP[1 + Math.min(RAMP.length - 2, Math.floor(shade * (RAMP.length - 1)))]!;
}

/** The level character of a signed position (−1…1, not 0): `1`…`9` above 0, `a`…`i` below. */
export function signedChar(position: number): string {
  const level = Math.min(9, Math.max(1, Math.ceil(Math.abs(position) * 9)));
  return (position > 0 ? POSITIVE_LEVELS : NEGATIVE_LEVELS)[level - 1]!;
}

function background([r, g, b]: Rgb): string {
  return `\x1b[48;2;${r};${g};${b}m `;
}

/** Control characters from a file name or an event must not drive the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function heatmapText(grid: HeatmapGrid, options: TextOptions): string {
  return [...heatmapTextBands(grid, options)].join('');
}

/**
 * The text heat map in pieces (the title, each band of columns, the legend and gaps), so that a long one is
 * written as it is made: a 24-hour heat map in colour is hundreds of megabytes of text.
 */
export function* heatmapTextBands(grid: HeatmapGrid, options: TextOptions): Generator<string> {
  const { rows } = grid;
  const scale = options.scale ?? 'symmetric';
  const labelStep = rowLabelStep(rows);
  const labels = Array.from({ length: rows }, (_, r) => (r % labelStep === 0 ? rowOffsetMs(r, rows) : ''));
  const gutter = Math.max(2, ...labels.map((l) => l.length));
  const bandWidth = Math.max(10, options.width - gutter - 3);
  const unit = grid.unit === '' || grid.unit === grid.metric ? '' : ` (${grid.unit})`;
  yield `${printable(
    `${options.source} · event ${grid.event} · metric ${grid.metric}${unit} · ${grid.samples} samples · ` +
      `${grid.columns} s × ${rows} rows of ${rowOffsetMs(1, rows)} ms · t0 = ${grid.t0} s`,
  )}\n`;
  const paint = cellPainter(grid, options.color, scale);
  for (let from = 0; from < grid.columns; from += bandWidth) {
    const to = Math.min(grid.columns, from + bandWidth);
    const band = [`${'ms'.padStart(gutter)}`];
    for (let r = rows - 1; r >= 0; r--) band.push(`${labels[r]!.padStart(gutter)} │${cellLine(grid, r, from, to, options.color, paint)}`);
    band.push(...timeAxis(grid.columns, from, to, gutter));
    yield `${band.join('\n')}\n`;
  }
  yield `${printable(legend(grid, options.color, scale))}\n`;
  if (options.match !== undefined) yield* matchBands(grid, options.match, labels, gutter, bandWidth);
  if (options.gaps !== undefined) yield `${gapList(options.gaps, `${grid.event} samples`).map(printable).join('\n')}\n`;
}

/** The text of a cell, made once per distinct (count is 0, value): a long heat map has millions of cells. */
function cellPainter(grid: HeatmapGrid, color: boolean, scale: SignedScale): (count: number, value: number) => string {
  const made = new Map<number, string>();
  const empty = color ? background(cellColor(grid, 0, 0, scale)) : NULL_CHAR;
  return (count, value) => {
    if (count === 0) return empty;
    let text = made.get(value);
    if (text === undefined) {
      text = color ? background(cellColor(grid, count, value, scale)) : cellChar(grid, value, scale);
      made.set(value, text);
    }
    return text;
  };
}

/** The character of a sampled cell without colour. */
function cellChar(grid: HeatmapGrid, value: number, scale: SignedScale): string {
  if (value === 0) return ZERO_CHAR;
  if (isSigned(grid)) return signedChar(signedPosition(grid, value, scale));
  return rampChar(cellShade(grid, value));
}

function cellLine(
  grid: HeatmapGrid,
  row: number,
  from: number,
  to: number,
  color: boolean,
  paint: (count: number, value: number) => string,
): string {
  // Pieces joined once: appending cell by cell builds a rope of millions of nodes on a long heat map.
  const pieces: string[] = [];
  for (let c = from; c < to; c++) {
    const cell = c * grid.rows + row;
    pieces.push(paint(grid.counts[cell]!, grid.values[cell]!));
  }
  const line = pieces.join('');
  return color ? `${line}${RESET}` : line.trimEnd();
}

/** The x axis of a band: a rule with ticks, then seconds since t0 under the ticks that have room. */
function timeAxis(columns: number, from: number, to: number, gutter: number): string[] {
  const step = columnLabelStep(columns);
  let rule = '';
  let labels = '';
  for (let c = from; c < to; c++) {
    const tick = c % step === 0;
    rule += tick ? '┬' : '─';
    const x = c - from;
    if (tick && (labels.length === 0 || x > labels.length)) labels = labels.padEnd(x) + String(c);
  }
  return [`${' '.repeat(gutter)} └${rule}`, `${' '.repeat(gutter + 2)}${labels} s`];
}

/**
 * The legend: the scale from end to end with its values and unit, the range of the cells (min…max), and what
 * the characters or colours of no sample and of a sum of 0 are.
 */
function legend(grid: HeatmapGrid, color: boolean, scale: SignedScale): string {
  const unit = `${valueUnit(grid)} per cell`;
  const cells = `cells from ${formatValue(grid.min)} to ${formatValue(grid.max)}`;
  if (!isSigned(grid)) {
    // The sequential scale starts at 0, so that a cell of the smallest value is pale, not the hottest colour.
    const steps = Array.from({ length: 9 }, (_, i) => ((i + 0.5) / 9) * grid.max);
    const ramp = color ? `${steps.map((v) => background(cellColor(grid, 1, v, scale))).join('')}${RESET}` : steps.map((v) => rampChar(cellShade(grid, v))).join('');
    const marks = color ? 'grey: no samples; white: sums to 0' : `blank: no samples; ${ZERO_CHAR}: sums to 0`;
    return `legend: 0 ${ramp} ${formatValue(grid.max)} ${unit} (${cells}; ${marks})`;
  }
  // Diverging: green below 0, red above; each side to ±max|v| (symmetric) or to its own extreme (halves).
  const m = Math.max(-grid.min, grid.max);
  const low = scale === 'symmetric' ? -m : grid.min;
  const high = scale === 'symmetric' ? m : grid.max;
  const side = (end: number): number[] => Array.from({ length: 7 }, (_, i) => ((i + 1) / 7) * end);
  const values = [...side(low).reverse(), 0, ...side(high)];
  const how = scale === 'symmetric' ? `symmetric scale ±${formatValue(m)}` : 'halves: each side to its own extreme';
  if (color) {
    const ramp = `${values.map((v) => background(cellColor(grid, 1, v, scale))).join('')}${RESET}`;
    return `legend: ${formatValue(low)} ${ramp} ${formatValue(high)} ${unit}, green below 0, red above (${how}; ${cells}; grey: no samples; white: sums to 0)`;
  }
  return (
    `legend: ${formatValue(low)} ${[...NEGATIVE_LEVELS].reverse().join('')} ${ZERO_CHAR} ${POSITIVE_LEVELS} ${formatValue(high)} ${unit}, ` +
    `a…i below 0 and 1…9 above in ninths of each side (${how}; ${cells}; blank: no samples; ${ZERO_CHAR}: sums to 0)`
  );
}

// ---- heat-map painting by a search (issue 9) ----
/**
 * `--match`: the heat map again, each cell the share of its samples whose stack has a matching frame, on the
 * same ramp as the counts (`.` a few, `@` all), blank where none matched (the heat map above shows where the
 * samples are); then the matched line.
 */
function* matchBands(grid: HeatmapGrid, match: MatchPainting, labels: string[], gutter: number, bandWidth: number): Generator<string> {
  const { rows } = grid;
  yield `${printable(`cells where /${match.pattern}/ matches a frame of the stack: ${matchedLine(match.grid.samples, grid.samples)}`)}\n`;
  for (let from = 0; from < grid.columns; from += bandWidth) {
    const to = Math.min(grid.columns, from + bandWidth);
    const band = [`${'ms'.padStart(gutter)}`];
    for (let r = rows - 1; r >= 0; r--) {
      const pieces: string[] = [];
      for (let c = from; c < to; c++) {
        const share = matchedShare(grid, match.grid, c * rows + r);
        pieces.push(share === null || share === 0 ? NULL_CHAR : rampChar(share));
      }
      band.push(`${labels[r]!.padStart(gutter)} │${pieces.join('').trimEnd()}`);
    }
    band.push(...timeAxis(grid.columns, from, to, gutter));
    yield `${band.join('\n')}\n`;
  }
  yield `matched share of each cell's samples: . few ${RAMP.slice(2, -1)} @ all; blank: none matched\n`;
}
