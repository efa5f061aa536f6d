// The heat map in a terminal, for people on an ssh session: one character per cell, row 0 at the bottom,
// 24-bit background colours when the terminal takes them, a density ramp of characters when it does not.
import type { HeatmapGrid } from '../heatmap/grid';
import { cellShade, columnLabelStep, formatValue, rowLabelStep, rowOffsetMs, shadeColor, valueUnit } from './heatmap-scale';

export interface TextOptions {
  /** The input's name, for the title. */
  source: string;
  color: boolean;
  /** Terminal width in characters; wider heat maps wrap into bands of columns. */
  width: number;
}

/** From sparse to dense; a blank is an empty cell. */
const RAMP = ' .:-=+*#%@';
const RESET = '\x1b[0m';

/** The ramp character of a non-empty cell (never the blank). */
export function rampChar(shade: number): string {
  return RAMP[1 + Math.min(RAMP.length - 2, Math.floor(shade * (RAMP.length - 1)))]!;
}

function colorCell(shade: number): string {
  const [r, g, b] = shadeColor(shade);
  return `\x1b[48;2;${r};${g};${b}m `;
}

/** Control characters from a file name must not drive the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function heatmapText(grid: HeatmapGrid, options: TextOptions): string {
  return [...heatmapTextBands(grid, options)].join('');
}

/**
 * The text heat map in pieces (the title, each band of columns, the legend), so that a long one is written as it
 * is made: a 24-hour heat map in colour is hundreds of megabytes of text.
 */
export function* heatmapTextBands(grid: HeatmapGrid, options: TextOptions): Generator<string> {
  const { rows } = grid;
  const labelStep = rowLabelStep(rows);
  const labels = Array.from({ length: rows }, (_, r) => (r % labelStep === 0 ? rowOffsetMs(r, rows) : ''));
  const gutter = Math.max(2, ...labels.map((l) => l.length));
  const bandWidth = Math.max(10, options.width - gutter - 3);
  yield `${printable(
    `${options.source} · event ${grid.event} · metric ${grid.metric} · ${grid.samples} samples · ` +
      `${grid.columns} s × ${rows} rows of ${rowOffsetMs(1, rows)} ms · t0 = ${grid.t0} s`,
  )}\n`;
  const paint = cellPainter(grid, options.color);
  for (let from = 0; from < grid.columns; from += bandWidth) {
    const to = Math.min(grid.columns, from + bandWidth);
    const band = [`${'ms'.padStart(gutter)}`];
    for (let r = rows - 1; r >= 0; r--) band.push(`${labels[r]!.padStart(gutter)} │${cellLine(grid, r, from, to, options.color, paint)}`);
    band.push(...timeAxis(grid.columns, from, to, gutter));
    yield `${band.join('\n')}\n`;
  }
  yield `${legend(grid, options.color)}\n`;
}

/** The text of one non-empty cell for each value, made once per distinct value: a long heat map has millions. */
function cellPainter(grid: HeatmapGrid, color: boolean): (value: number) => string {
  const made = new Map<number, string>();
  return (value) => {
    let text = made.get(value);
    if (text === undefined) {
      const shade = cellShade(grid, value);
      text = color ? colorCell(shade) : rampChar(shade);
      made.set(value, text);
    }
    return text;
  };
}

function cellLine(grid: HeatmapGrid, row: number, from: number, to: number, color: boolean, paint: (value: number) => string): string {
  // Pieces joined once: appending cell by cell builds a rope of millions of nodes on a long heat map.
  const pieces: string[] = [];
  for (let c = from; c < to; c++) {
    const cell = c * grid.rows + row;
    pieces.push(grid.counts[cell] === 0 ? (color ? `${RESET} ` : ' ') : paint(grid.values[cell]!));
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

function legend(grid: HeatmapGrid, color: boolean): string {
  const unit = `${valueUnit(grid)} per cell`;
  const low = Math.min(0, grid.min);
  const steps = Array.from({ length: 9 }, (_, i) => (i + 0.5) / 9);
  const ramp = color ? `${steps.map(colorCell).join('')}${RESET}` : steps.map(rampChar).join('');
  return `legend: ${formatValue(low)} ${ramp} ${formatValue(grid.max)} ${unit} (smallest cell ${formatValue(grid.min)}; blank: no samples)`;
}
