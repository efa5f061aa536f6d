import { describe, expect, it } from 'vitest';
import { cellRange, type HeatmapGrid } from '../../heatmap/grid';
import {
  busyColumns,
  cellWidthOf,
  clockTime,
  coveredRows,
  defaultCellWidth,
  MAX_CONTENT_WIDTH,
  moveCell,
  overviewBins,
  rangeColumns,
  selectionRows,
  stepZoom,
  tickStep,
  timeAxis,
  visibleColumns,
} from './heatmap-layout';

describe('zoom', () => {
  it('keeps the default of short and long profiles', () => {
    expect(defaultCellWidth(1300, 16)).toBe(24);
    expect(defaultCellWidth(1300, 100)).toBe(13);
    expect(defaultCellWidth(1300, 3601)).toBe(6);
  });

  it('fits the whole recording in the panel, and never past what a browser lays out', () => {
    expect(cellWidthOf('fit', 1300, 86341) * 86341).toBeCloseTo(1300, 6);
    expect(cellWidthOf(12, 1300, 86341)).toBe(12);
    // 30 days at 24 px would be 62 million px wide.
    expect(cellWidthOf(24, 1300, 30 * 86400) * 30 * 86400).toBeLessThanOrEqual(MAX_CONTENT_WIDTH);
  });

  it('steps through the menu and fit', () => {
    expect(stepZoom(6, 1, 0.5)).toBe(12);
    expect(stepZoom(6, -1, 0.5)).toBe(4);
    expect(stepZoom(1, -1, 0.5)).toBe('fit');
    expect(stepZoom(0.5, -1, 0.5)).toBe('fit');
    expect(stepZoom(24, 1, 0.5)).toBe(24);
  });
});

describe('visible columns', () => {
  it('are those the viewport touches', () => {
    expect(visibleColumns(0, 100, 12, 1000)).toEqual({ first: 0, end: 9 });
    expect(visibleColumns(120, 100, 12, 1000)).toEqual({ first: 10, end: 19 });
    expect(visibleColumns(11990, 100, 12, 1000)).toEqual({ first: 999, end: 1000 });
  });
});

describe('time axis', () => {
  it('labels at round steps at least the gap apart', () => {
    expect(tickStep(24, 48)).toBe(2);
    expect(tickStep(6, 48)).toBe(10);
    // A day in 1,300 px: 0.015 px/s, 70 px is 4,667 s: every two hours.
    expect(tickStep(1300 / 86400, 70)).toBe(7200);
  });

  it('reads long times as a clock', () => {
    expect(clockTime(59)).toBe('0:59');
    expect(clockTime(59, true)).toBe('0:00:59');
    expect(clockTime(3600)).toBe('1:00:00');
    expect(clockTime(86399)).toBe('23:59:59');
    const day = timeAxis(1300 / 86341, 86341);
    expect(day.step).toBe(7200);
    expect([0, 7200].map(day.label)).toEqual(['0:00:00', '2:00:00']);
    const minutes = timeAxis(1300 / 900, 900);
    expect(minutes.step).toBe(60);
    expect(minutes.label(120)).toBe('2:00');
    const seconds = timeAxis(6, 3601);
    expect(seconds.step).toBe(10);
    expect(seconds.label(2410)).toBe('2,410');
  });
});

describe('keyboard cursor', () => {
  it('moves up to later rows, right to later seconds, and stays in the grid', () => {
    expect(moveCell({ column: 3, row: 25 }, 'ArrowUp', 10, 50, 5)).toEqual({ column: 3, row: 26 });
    expect(moveCell({ column: 3, row: 25 }, 'ArrowDown', 10, 50, 5)).toEqual({ column: 3, row: 24 });
    expect(moveCell({ column: 3, row: 49 }, 'ArrowUp', 10, 50, 5)).toEqual({ column: 3, row: 49 });
    expect(moveCell({ column: 9, row: 0 }, 'ArrowRight', 10, 50, 5)).toEqual({ column: 9, row: 0 });
    expect(moveCell({ column: 3, row: 0 }, 'PageDown', 10, 50, 5)).toEqual({ column: 8, row: 0 });
    expect(moveCell({ column: 3, row: 7 }, 'End', 10, 50, 5)).toEqual({ column: 9, row: 7 });
    expect(moveCell({ column: 3, row: 7 }, 'Home', 10, 50, 5)).toEqual({ column: 0, row: 7 });
    expect(moveCell({ column: 3, row: 7 }, 'x', 10, 50, 5)).toBeNull();
  });
});

describe('which cells a selection lights', () => {
  it('lights exactly the cells a selection made of cells covers', () => {
    // Second 3, rows 25 to 27 (500–560 ms at 50 rows).
    const inside = cellRange(3, 25, 3, 27, 50);
    expect(coveredRows(inside, 3, 50)).toEqual([25, 27]);
    expect(coveredRows(inside, 2, 50)).toBeNull();
    expect(coveredRows(inside, 4, 50)).toBeNull();
    // From second 4 row 45 to second 5 row 4: the top of one column, the bottom of the next.
    const across = cellRange(4, 45, 5, 4, 50);
    expect(coveredRows(across, 4, 50)).toEqual([45, 49]);
    expect(coveredRows(across, 5, 50)).toEqual([0, 4]);
    // 49 rows: edges fall between nanoseconds, rowStartNs rounds them up.
    const odd = cellRange(7, 13, 7, 13, 49);
    expect(coveredRows(odd, 7, 49)).toEqual([13, 13]);
  });

  it('lights the cells a typed range cuts, and none past a range that ends on a second', () => {
    expect(coveredRows({ start: 7.7e9, end: 7.8e9 }, 7, 50)).toEqual([35, 39]);
    expect(coveredRows({ start: 7.71e9, end: 7.79e9 }, 7, 50)).toEqual([35, 39]);
    expect(coveredRows({ start: 1e9, end: 2e9 }, 1, 50)).toEqual([0, 49]);
    expect(coveredRows({ start: 1e9, end: 2e9 }, 2, 50)).toBeNull();
    expect(rangeColumns({ start: 1e9, end: 2e9 })).toEqual([1, 1]);
  });

  it('lights a selection in progress in column-major order', () => {
    const a = { column: 5, row: 4 };
    const b = { column: 4, row: 45 };
    expect(selectionRows(a, b, 4, 50)).toEqual([45, 49]);
    expect(selectionRows(a, b, 5, 50)).toEqual([0, 4]);
    expect(selectionRows(a, b, 6, 50)).toBeNull();
  });
});

describe('overview bins', () => {
  /** 4 seconds × 2 rows, counted by hand. */
  const grid: HeatmapGrid = {
    t0: 0,
    rows: 2,
    columns: 4,
    event: 'cpu-clock',
    metric: 'samples',
    unit: 'samples',
    weighted: false,
    without: 0,
    // column-major: [c0r0, c0r1, c1r0, c1r1, ...]
    values: Float64Array.from([4, 0, 2, 2, 0, 0, 0, 6]),
    counts: Uint32Array.from([4, 0, 2, 2, 0, 0, 0, 6]),
    max: 6,
    min: 2,
    samples: 14,
    total: 14,
  };

  it('knows which seconds hold samples', () => {
    expect([...busyColumns(grid)]).toEqual([1, 1, 0, 1]);
  });

  it('averages the cells of each bin', () => {
    const two = overviewBins(grid, 2, 2);
    // Bin 0 holds seconds 0–1: row 0 (4 + 2) / 2 = 3, row 1 (0 + 2) / 2 = 1; bin 1 seconds 2–3: 0 and 3.
    expect([...two.mean]).toEqual([3, 1, 0, 3]);
    expect([...two.samples]).toEqual([6, 2, 0, 6]);
    expect(two.max).toBe(3);
    const one = overviewBins(grid, 1, 1);
    expect([...one.mean]).toEqual([14 / 8]);
  });

  it('stretches a short grid over a wide strip', () => {
    const wide = overviewBins(grid, 8, 2);
    expect(wide.width).toBe(8);
    expect([...wide.mean.slice(0, 4)]).toEqual([4, 0, 4, 0]);
    expect([...wide.mean.slice(14, 16)]).toEqual([0, 6]);
  });
});
