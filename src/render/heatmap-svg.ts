// The heat map as a static, standalone SVG to paste into a ticket: cells as rects (row 0 at the bottom), axes in
// seconds and milliseconds, a legend and a title. Deterministic: same grid, same bytes.
import type { HeatmapGrid } from '../heatmap/grid';
import { escapeXml } from './escape';
import { cellShade, columnLabelStep, formatValue, hexColor, rowLabelStep, rowOffsetMs, shadeColor, valueUnit } from './heatmap-scale';

export interface SvgOptions {
  /** The input's name, for the title. */
  source: string;
}

const LEFT = 64;
const TOP = 44;
const RIGHT = 24;
const FONT_FAMILY = 'font-family="Verdana, sans-serif"';
const FONT = `${FONT_FAMILY} font-size="11"`;
const LEGEND_STOPS = 10;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function heatmapSvg(grid: HeatmapGrid, options: SvgOptions): string {
  const { rows, columns } = grid;
  // Cells shrink to keep the picture near 1000 × 600 px, within readable limits.
  const cellW = clamp(Math.floor(960 / Math.max(1, columns)), 3, 24);
  const cellH = clamp(Math.floor(600 / rows), 1, 16);
  const plotW = columns * cellW;
  const plotH = rows * cellH;
  const width = Math.max(LEFT + plotW + RIGHT, 520);
  const height = TOP + plotH + 84;
  const title =
    `${options.source} · event ${grid.event} · metric ${grid.metric} · ${grid.samples} samples · ` +
    `${rows} rows of ${rowOffsetMs(1, rows)} ms per second · t0 = ${grid.t0} s`;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(`flamescope heat map: ${title}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="20" ${FONT_FAMILY} font-size="13">${escapeXml(title)}</text>`,
    // Empty cells: white where values are counts, grey where a weight could also sum to 0 (white).
    `<rect class="plot" x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="${!grid.weighted ? '#ffffff' : '#d9d9d9'}" stroke="#999999"/>`,
  ];
  const unit = valueUnit(grid);
  // One colour per distinct value, computed once: a long heat map has millions of cells.
  const fills = new Map<number, string>();
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      const cell = c * rows + r;
      if (grid.counts[cell] === 0) continue;
      const v = grid.values[cell]!;
      let fill = fills.get(v);
      if (fill === undefined) fills.set(v, (fill = hexColor(shadeColor(cellShade(grid, v)))));
      const tip = `${c} s + ${rowOffsetMs(r, rows)} ms: ${formatValue(v)} ${unit}` + (!grid.weighted ? '' : ` (${grid.counts[cell]} samples)`);
      out.push(
        `<rect class="cell" x="${LEFT + c * cellW}" y="${TOP + (rows - 1 - r) * cellH}" width="${cellW}" height="${cellH}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`,
      );
    }
  }
  // concat, not push(...): an axis of a long profile has more labels than a call takes arguments.
  return `${out.concat(yAxis(rows, cellH), xAxis(columns, cellW, plotH), legend(grid, TOP + plotH + 50), '</svg>').join('\n')}\n`;
}

function yAxis(rows: number, cellH: number): string[] {
  const out = [`<text x="${LEFT - 8}" y="${TOP - 6}" ${FONT} text-anchor="end">ms</text>`];
  const step = rowLabelStep(rows);
  for (let r = 0; r < rows; r += step) {
    const y = TOP + (rows - r) * cellH;
    out.push(`<line x1="${LEFT - 4}" y1="${y}" x2="${LEFT}" y2="${y}" stroke="#333333"/>`);
    out.push(`<text x="${LEFT - 6}" y="${y}" ${FONT} text-anchor="end" dominant-baseline="middle">${rowOffsetMs(r, rows)}</text>`);
  }
  return out;
}

function xAxis(columns: number, cellW: number, plotH: number): string[] {
  const y = TOP + plotH;
  const out: string[] = [];
  const step = columnLabelStep(columns);
  for (let c = 0; c < columns; c += step) {
    const x = LEFT + c * cellW;
    out.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" stroke="#333333"/>`);
    out.push(`<text x="${x}" y="${y + 16}" ${FONT} text-anchor="middle">${c}</text>`);
  }
  out.push(`<text x="${LEFT + columns * cellW}" y="${y + 30}" ${FONT} text-anchor="end">seconds since t0</text>`);
  return out;
}

function legend(grid: HeatmapGrid, y: number): string[] {
  const low = Math.min(0, grid.min);
  const stops = Array.from({ length: LEGEND_STOPS + 1 }, (_, i) => {
    const t = i / LEGEND_STOPS;
    return `<stop offset="${t}" stop-color="${hexColor(shadeColor(t))}"/>`;
  });
  return [
    `<defs><linearGradient id="heat">${stops.join('')}</linearGradient></defs>`,
    `<text x="${LEFT - 6}" y="${y + 6}" ${FONT} text-anchor="end">${formatValue(low)}</text>`,
    `<rect class="legend" x="${LEFT}" y="${y}" width="200" height="12" fill="url(#heat)" stroke="#999999"/>`,
    `<text x="${LEFT + 206}" y="${y + 10}" ${FONT}>${formatValue(grid.max)} ${valueUnit(grid)} per cell (smallest cell ${formatValue(grid.min)}; empty: no samples)</text>`,
  ];
}
