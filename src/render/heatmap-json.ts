// The heat map as data: FlameScope-like, but with row 0 at offset 0, exact cells (signed sums and sample
// counts, null where no sample fell), the metric and its unit, and the gaps in the sampling.
import type { HeatmapGrid } from '../heatmap/grid';
import type { MatchPainting } from '../query/match';
import { exactSeconds, type GapReport } from '../query/gaps';
import type { SignedScale } from './heatmap-scale';

export interface HeatmapJsonOptions {
  /** How signed cells share the colour scale (`--scale`), said so that a reader colours them the same way. */
  scale: SignedScale;
  /** Gaps between samples of the event shown, and between samples of any event. */
  gaps: GapReport;
  gapsAllEvents: GapReport;
  /** `--match`: the matching samples' cells, written beside the totals (keys absent without it). */
  match?: MatchPainting;
}

/**
 * One deterministic JSON document; `values[c][r]` is column c (seconds since t0), row r (offset r/R s), null
 * when no sample fell in the cell; `counts[c][r]` its samples. Times of gaps are seconds since t0, written as
 * exact decimals. Written column by column rather than through nested arrays and JSON.stringify: a 24-hour heat
 * map has millions of cells, and an array of arrays of them takes several times the memory of the typed arrays.
 */
export function heatmapJson(grid: HeatmapGrid, options: HeatmapJsonOptions): string {
  const scalar = (key: string, value: unknown): string => `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const parts = [
    scalar('t0', grid.t0),
    scalar('rows', grid.rows),
    scalar('columns', grid.columns),
    scalar('event', grid.event),
    scalar('metric', grid.metric),
    scalar('unit', grid.unit),
    scalar('scale', options.scale),
    scalar('min', grid.min),
    scalar('max', grid.max),
    scalar('samples', grid.samples),
    scalar('without', grid.without),
    scalar('total', grid.total),
    gapKeys(options.gaps),
    `"gapsAllEvents":{${gapKeys(options.gapsAllEvents)}}`,
    `"values":${columnsOf(grid.values, grid, grid.counts)}`,
    // Beside the values, the sample counts tell an empty cell (null) from one whose weights sum to 0.
    `"counts":${columnsOf(grid.counts, grid)}`,
  ];
  const m = options.match;
  if (m !== undefined) {
    // The same cells counting only the samples whose stack has a matching frame (null where none fell).
    parts.push(
      scalar('match', m.pattern),
      scalar('matchedSamples', m.grid.samples),
      scalar('matchedTotal', m.grid.total),
      `"matched":${columnsOf(m.grid.values, m.grid, m.grid.counts)}`,
      `"matchedCounts":${columnsOf(m.grid.counts, m.grid)}`,
    );
  }
  return `{${parts.join(',')}}\n`;
}

/** `"gaps":[{"from":0.91,"to":2.02}],"medianInterval":0.18,"gapThreshold":0.9,"largestInterval":{...}|null` */
function gapKeys(report: GapReport): string {
  const span = (from: number, to: number): string => `{"from":${exactSeconds(from)},"to":${exactSeconds(to)}}`;
  return [
    `"gaps":[${report.gaps.map((g) => span(g.from, g.to)).join(',')}]`,
    `"medianInterval":${exactSeconds(report.medianNs)}`,
    `"gapThreshold":${exactSeconds(report.thresholdNs)}`,
    `"largestInterval":${report.largest === null ? 'null' : span(report.largest.from, report.largest.to)}`,
  ].join(',');
}

/** `[[...rows of column 0], [...], ...]` as JSON.stringify writes numbers (a non-finite one as null). */
function columnsOf(cells: Float64Array | Uint32Array, grid: HeatmapGrid, counts?: Uint32Array): string {
  const columns: string[] = [];
  for (let c = 0; c < grid.columns; c++) {
    const row: string[] = [];
    for (let r = c * grid.rows, end = r + grid.rows; r < end; r++) {
      const v = cells[r]!;
      row.push(Number.isFinite(v) && (counts === undefined || counts[r] !== 0) ? String(v) : 'null');
    }
    columns.push(`[${row.join(',')}]`);
  }
  return `[${columns.join(',')}]`;
}
