// The heat map as data: FlameScope-like, but with row 0 at offset 0 and exact cell counts.
import type { HeatmapGrid } from '../heatmap/grid';

/**
 * One deterministic JSON document; `values[c][r]` is column c (seconds since t0), row r (offset r/R s).
 * Written column by column rather than through nested arrays and JSON.stringify: a 24-hour heat map has
 * millions of cells, and an array of arrays of them takes several times the memory of the typed arrays.
 */
export function heatmapJson(grid: HeatmapGrid): string {
  const scalar = (key: string, value: unknown): string => `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const parts = [
    scalar('t0', grid.t0),
    scalar('rows', grid.rows),
    scalar('columns', grid.columns),
    scalar('event', grid.event),
    scalar('metric', grid.metric),
    scalar('unit', grid.unit),
    scalar('max', grid.max),
    scalar('samples', grid.samples),
    `"values":${columnsOf(grid.values, grid, grid.counts)}`,
    scalar('min', grid.min),
    scalar('total', grid.total),
  ];
  // Beside the values, the sample counts tell an empty cell (null) from one whose weights sum to 0.
  parts.push(`"counts":${columnsOf(grid.counts, grid)}`);
  return `{${parts.join(',')}}\n`;
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
