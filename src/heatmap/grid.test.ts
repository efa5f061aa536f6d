// The selection maths pinned down: a sample is in cellRange(...) iff it is in one of the cells covered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../parse/profile';
import { buildHeatmap, cellRange, columnCount, rowOf, rowStartNs, selectionTotal } from './grid';
import { selectSamples } from './range';
import { SAMPLES } from '../model/metrics';


/** A profile with only the columns the heat map reads: one event, no idle samples, weight 1. */
function timedProfile(times: number[]): Profile {
  const n = times.length;
  return {
    source: 'synthetic',
    t0: 1000,
    events: ['cycles'],
    sampleCount: n,
    hasTime: true,
    time: Float64Array.from(times),
    event: new Uint16Array(n),
    idle: new Uint8Array(n),
    weight: new Float64Array(n).fill(1),
  } as unknown as Profile;
}

const NS = 1e9;

describe('rows and columns', () => {
  it('puts exact row boundaries in the upper row (FlameScope float % 1 puts some one lower)', () => {
    // 5086.200000 relative to t0 5086: offset 200 ms is the first ns of row 10 of 50.
    expect(rowOf(200_000_000, 50)).toBe(10);
    expect(rowOf(199_999_999, 50)).toBe(9);
    expect(rowOf(3 * NS + 999_999_999, 1000)).toBe(999);
    expect(rowOf(7 * NS, 49)).toBe(0);
  });

  it('gives row r its first ns at ceil(r * 1e9 / R)', () => {
    for (const rows of [1, 7, 49, 50, 99, 100, 999, 1000]) {
      for (let r = 0; r < rows; r++) {
        const start = rowStartNs(r, rows);
        expect(rowOf(start, rows)).toBe(r);
        if (start > 0) expect(rowOf(start - 1, rows)).toBe(r - 1);
      }
      expect(rowStartNs(rows, rows)).toBe(NS);
    }
  });

  it('gives a last sample on a whole second its own column', () => {
    expect(columnCount(timedProfile([0, 2 * NS]))).toBe(3);
    expect(columnCount(timedProfile([0, 2 * NS - 1]))).toBe(2);
    expect(columnCount(timedProfile([500]))).toBe(1);
  });
});

describe('cellRange', () => {
  const rowsArb = fc.oneof(fc.constantFrom(1, 10, 49, 50, 99, 100, 999, 1000), fc.integer({ min: 1, max: 1000 }));
  /** Row r's lower edge within a second, in ns as an exact rational compared in BigInt: ceil(r * 1e9 / R). */
  const edgeNs = (r: number, rows: number): number => {
    const num = BigInt(r) * 1_000_000_000n;
    const q = num / BigInt(rows);
    return Number(q * BigInt(rows) === num ? q : q + 1n);
  };
  // Times at and around the selection's own edges are where an inexact edge goes wrong, so many are drawn there.
  const caseArb = rowsArb.chain((rows) =>
    fc
      .record({
        rows: fc.constant(rows),
        c1: fc.integer({ min: 0, max: 5 }),
        r1: fc.integer({ min: 0, max: rows - 1 }),
        c2: fc.integer({ min: 0, max: 5 }),
        r2: fc.integer({ min: 0, max: rows - 1 }),
      })
      .chain((cells) => {
        const edges = [
          cells.c1 * NS + edgeNs(cells.r1, rows),
          cells.c1 * NS + edgeNs(cells.r1 + 1, rows),
          cells.c2 * NS + edgeNs(cells.r2, rows),
          cells.c2 * NS + edgeNs(cells.r2 + 1, rows),
        ];
        const nearEdge = fc
          .tuple(fc.constantFrom(...edges), fc.integer({ min: -2, max: 1 }))
          .map(([e, d]) => Math.min(6 * NS - 1, Math.max(0, e + d)));
        const anywhere = fc.integer({ min: 0, max: 6 * NS - 1 });
        return fc
          .array(fc.oneof(anywhere, nearEdge), { minLength: 1, maxLength: 100 })
          .map((times) => ({ ...cells, times }));
      }),
  );

  it('selects exactly the samples of the cells it covers, in either order', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, times, c1, r1, c2, r2 }) => {
        const profile = timedProfile(times);
        const grid = buildHeatmap(profile, { event: 0, idle: 'drop', rows, weights: SAMPLES });
        const a = { column: c1, row: r1 };
        const b = { column: c2, row: r2 };
        for (const range of [cellRange(c1, r1, c2, r2, rows), cellRange(c2, r2, c1, r1, rows)]) {
          const inRange = selectSamples(profile, { event: 0, idle: 'drop', range }).length;
          expect(inRange).toBe(selectionTotal(grid, a, b));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('makes adjacent selections share no sample and miss none', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, times, c1, r1 }) => {
        const profile = timedProfile(times);
        const before = cellRange(0, 0, c1, r1, rows);
        const after = cellRange(c1, r1, 5, rows - 1, rows);
        const next = cellRange(c1, r1, c1, r1, rows).end;
        expect(before.end).toBe(next);
        const all = selectSamples(profile, { event: 0, idle: 'drop', range: null }).length;
        const split =
          selectSamples(profile, { event: 0, idle: 'drop', range: before }).length +
          selectSamples(profile, { event: 0, idle: 'drop', range: { start: next, end: after.end } }).length;
        expect(split).toBe(all);
      }),
      { numRuns: 200 },
    );
  });
});
