// The heat map as data: FlameScope-like, but with row 0 at offset 0 and exact cell counts.
import type { HeatmapGrid } from '../heatmap/grid';

/** One deterministic JSON document; `values[c][r]` is column c (seconds since t0), row r (offset r/R s). */
export function heatmapJson(grid: HeatmapGrid): string {
  const values = columnsOf(grid.values, grid);
  const doc = {
    t0: grid.t0,
    rows: grid.rows,
    columns: grid.columns,
    event: grid.event,
    weight: grid.weight,
    max: grid.max,
    samples: grid.samples,
    values,
    min: grid.min,
    total: grid.total,
    // Beside weighted values, the sample counts tell an empty cell from one whose weights sum to 0.
    ...(grid.weight === 'samples' ? {} : { counts: columnsOf(grid.counts, grid) }),
  };
  return `${JSON.stringify(doc)}\n`;
}

function columnsOf(cells: Float64Array | Uint32Array, grid: HeatmapGrid): number[][] {
  return Array.from({ length: grid.columns }, (_, c) => Array.from(cells.subarray(c * grid.rows, (c + 1) * grid.rows)));
}
