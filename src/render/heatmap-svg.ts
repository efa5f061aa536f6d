// The heat map as a static, standalone SVG to paste into a ticket: cells as rects (row 0 at the bottom), axes in
// seconds and milliseconds, a legend, the gaps and a title. The colours are the shared `cellColor`: grey where no
// sample fell, white where the weights sum to 0, red/green when values are signed. Deterministic: same grid, same bytes.
import type { HeatmapGrid } from '../heatmap/grid';
import type { GapReport } from '../query/gaps';
import { matchedLine, matchedShare, type MatchPainting } from '../query/match';
import { escapeXml } from './escape';
import { gapList } from './gap-list';
import {
  cellColor,
  cellShade,
  columnLabelStep,
  formatCellValue,
  formatValue,
  hexColor,
  isSigned,
  NULL_GREY,
  rowLabelStep,
  rowOffsetMs,
  shadeColor,
  type SignedScale,
  signedColor,
  signedPosition,
  valueUnit,
  ZERO_WHITE,
} from './heatmap-scale';

export interface SvgOptions {
  /** The input's name, for the title. */
  source: string;
  /** How signed cells share the colour scale (default symmetric). */
  scale?: SignedScale;
  /** The gaps to list under the legend (none listed when absent). */
  gaps?: GapReport;
  /** `--match`: outline and shade the cells where matching samples fall, by their matched share. */
  match?: MatchPainting;
}

const LEFT = 64;
const TOP = 56;
const RIGHT = 24;
const FONT_FAMILY = 'font-family="Verdana, sans-serif"';
const FONT = `${FONT_FAMILY} font-size="11"`;
const LEGEND_STOPS = 20;
const LEGEND_WIDTH = 200;
const LINE = 15;
/** From the legend's top to the first gap line. */
const LEGEND_HEIGHT = 70;
/** Gaps listed in the picture; the JSON has them all. */
const SVG_GAPS = 10;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function heatmapSvg(grid: HeatmapGrid, options: SvgOptions): string {
  const { rows, columns } = grid;
  const scale = options.scale ?? 'symmetric';
  // Cells shrink to keep the picture near 1000 × 600 px, within readable limits.
  const cellW = clamp(Math.floor(960 / Math.max(1, columns)), 3, 24);
  const cellH = clamp(Math.floor(600 / rows), 1, 16);
  const plotW = columns * cellW;
  const plotH = rows * cellH;
  const gaps = options.gaps === undefined ? [] : gapList(options.gaps, `${grid.event} samples`, SVG_GAPS);
  const width = Math.max(LEFT + plotW + RIGHT, 760);
  const legendY = TOP + plotH + 50;
  const matchLines = options.match === undefined ? 0 : 1;
  const height = legendY + LEGEND_HEIGHT + (gaps.length + matchLines) * LINE;
  const unit = valueUnit(grid);
  const metric = grid.unit === '' || grid.unit === grid.metric ? grid.metric : `${grid.metric} (${grid.unit})`;
  const facts = `event ${grid.event} · metric ${metric} · ${grid.samples} samples · ${rows} rows of ${rowOffsetMs(1, rows)} ms per second · t0 = ${grid.t0} s`;
  const title = `${options.source} · ${facts}`;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(`flamescope heat map: ${title}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="18" ${FONT_FAMILY} font-size="13">${escapeXml(options.source)}</text>`,
    `<text x="${LEFT}" y="34" ${FONT}>${escapeXml(facts)}</text>`,
    // Cells without a sample are the plot's own colour (cellColor's grey), one rect rather than millions.
    `<rect class="plot" x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="${hexColor(cellColor(grid, 0, 0, scale))}" stroke="#999999"/>`,
  ];
  // One colour per distinct value, computed once: a long heat map has millions of cells.
  const fills = new Map<number, string>();
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      const cell = c * rows + r;
      const count = grid.counts[cell]!;
      if (count === 0) continue;
      const v = grid.values[cell]!;
      let fill = fills.get(v);
      if (fill === undefined) fills.set(v, (fill = hexColor(cellColor(grid, count, v, scale))));
      const tip = `${c} s + ${rowOffsetMs(r, rows)} ms: ${formatCellValue(grid, v)}` + (!grid.weighted ? '' : ` (${count} sample${count === 1 ? '' : 's'})`);
      out.push(
        `<rect class="cell" x="${LEFT + c * cellW}" y="${TOP + (rows - 1 - r) * cellH}" width="${cellW}" height="${cellH}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`,
      );
    }
  }
  if (options.match !== undefined) out.push(...matchCells(grid, options.match, cellW, cellH));
  const matchText = options.match === undefined ? [] : [matchLegend(grid, options.match, legendY + LEGEND_HEIGHT - 4)];
  const gapText = gaps.map(
    (line, k) => `<text class="gap" x="${LEFT}" y="${legendY + LEGEND_HEIGHT - 4 + (k + matchLines) * LINE}" ${FONT}>${escapeXml(line.trim())}</text>`,
  );
  // concat, not push(...): an axis of a long profile has more labels than a call takes arguments.
  return `${out.concat(yAxis(rows, cellH), xAxis(columns, cellW, plotH), legend(grid, scale, unit, legendY), matchText, gapText, '</svg>').join('\n')}\n`;
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

/**
 * The colour scale from end to end (0 to the maximum; when signed, the green end through white at 0 to the red
 * end: ±max|v| or each side to its extreme), its values and unit, the range of the cells, and swatches for no
 * sample and for a sum of 0.
 */
function legend(grid: HeatmapGrid, scale: SignedScale, unit: string, y: number): string[] {
  const signed = isSigned(grid);
  const m = Math.max(-grid.min, grid.max);
  const low = !signed ? 0 : scale === 'symmetric' ? -m : grid.min;
  const high = !signed ? grid.max : scale === 'symmetric' ? m : grid.max;
  const stops: string[] = [];
  for (let i = 0; i <= LEGEND_STOPS; i++) {
    const t = i / LEGEND_STOPS;
    // Signed: the left half is low…0, the right half 0…high, so white sits in the middle whatever the scale.
    const v = !signed ? t * high : t < 0.5 ? low * (1 - 2 * t) : high * (2 * t - 1);
    const color = signed ? signedColor(signedPosition(grid, v, scale)) : shadeColor(cellShade(grid, v));
    stops.push(`<stop offset="${t}" stop-color="${hexColor(color)}"/>`);
  }
  const x2 = LEFT + LEGEND_WIDTH;
  const out = [
    `<defs><linearGradient id="heat">${stops.join('')}</linearGradient></defs>`,
    `<text x="${LEFT - 6}" y="${y + 10}" ${FONT} text-anchor="end">${escapeXml(formatValue(low))}</text>`,
    `<rect class="legend" x="${LEFT}" y="${y}" width="${LEGEND_WIDTH}" height="12" fill="url(#heat)" stroke="#999999"/>`,
    `<text x="${x2 + 6}" y="${y + 10}" ${FONT}>${escapeXml(`${formatValue(high)} ${unit} per cell`)}</text>`,
  ];
  if (signed) {
    out.push(`<line x1="${LEFT + LEGEND_WIDTH / 2}" y1="${y + 12}" x2="${LEFT + LEGEND_WIDTH / 2}" y2="${y + 16}" stroke="#333333"/>`);
    out.push(`<text x="${LEFT + LEGEND_WIDTH / 2}" y="${y + 26}" ${FONT} text-anchor="middle">0</text>`);
  }
  const swatch = (x: number, fill: string, label: string): string =>
    `<rect x="${x}" y="${y + 18}" width="12" height="12" fill="${fill}" stroke="#999999"/><text x="${x + 16}" y="${y + 28}" ${FONT}>${label}</text>`;
  out.push(swatch(x2 + 6, hexColor(NULL_GREY), 'no samples'), swatch(x2 + 102, hexColor(ZERO_WHITE), 'sums to 0'));
  const how = !signed ? '' : scale === 'symmetric' ? `; green below 0, red above, symmetric ±${formatValue(m)}` : '; green below 0, red above, each side to its extreme';
  out.push(
    `<text class="legend-text" x="${LEFT}" y="${y + 46}" ${FONT}>${escapeXml(`cells from ${formatValue(grid.min)} to ${formatValue(grid.max)} ${unit}${how}`)}</text>`,
  );
  return out;
}

// ---- heat-map painting by a search (issue 9) ----
/** The colour of matches, as the page's flame graph highlights them (magenta: apart from the heat colours). */
const MATCH_COLOR = '#aa00aa';

/**
 * Over each cell where a matching sample falls: an outline, and a fill whose opacity grows with the matched
 * share of the cell's samples (a faint wash for a few, nearly solid for all), so the heat colour still shows.
 */
function matchCells(grid: HeatmapGrid, match: MatchPainting, cellW: number, cellH: number): string[] {
  const out: string[] = [];
  const { rows, columns } = grid;
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      const cell = c * rows + r;
      const share = matchedShare(grid, match.grid, cell);
      if (share === null || share === 0) continue;
      const n = match.grid.counts[cell]!;
      const tip = `${c} s + ${rowOffsetMs(r, rows)} ms: ${n} of ${grid.counts[cell]} samples match /${match.pattern}/`;
      out.push(
        `<rect class="match" x="${LEFT + c * cellW + 0.5}" y="${TOP + (rows - 1 - r) * cellH + 0.5}" width="${cellW - 1}" height="${Math.max(0.5, cellH - 1)}" ` +
          `fill="${MATCH_COLOR}" fill-opacity="${(0.2 + 0.6 * share).toFixed(2)}" stroke="${MATCH_COLOR}" stroke-width="1"><title>${escapeXml(tip)}</title></rect>`,
      );
    }
  }
  return out;
}

function matchLegend(grid: HeatmapGrid, match: MatchPainting, y: number): string {
  const text = `/${match.pattern}/: ${matchedLine(match.grid.samples, grid.samples)}; magenta cells hold matches, more opaque for a larger share`;
  return `<rect x="${LEFT}" y="${y - 10}" width="12" height="12" fill="${MATCH_COLOR}" fill-opacity="0.5" stroke="${MATCH_COLOR}"/><text class="match-legend" x="${LEFT + 16}" y="${y}" ${FONT}>${escapeXml(text)}</text>`;
}
