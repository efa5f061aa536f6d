// The explain library on small profiles written here, where every count is known by construction.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAMES, FrameNames } from '../src/flamegraph/names';
import { resolveWeights, SAMPLES } from '../src/model/metrics';
import { readProfile } from '../src/parse/input';
import type { Profile } from '../src/parse/profile';
import { ABOVE, columnsText, explain, type ExplainRow, mergeCells, MIN_SAMPLES, recurrenceText, SIGNIFICANT } from '../src/query/explain';
import { binomialUpperTail } from '../src/query/stats';

/** One record: thread, seconds, period, frames leaf first. */
function record(comm: string, seconds: number, period: number, frames: string[]): string {
  return `${comm} 100 ${seconds.toFixed(6)}: ${period} cpu-clock: \n${frames.map((f, i) => `\t${(0x1000 + i).toString(16)} ${f} (/bin/x)\n`).join('')}\n`;
}

async function profileOf(text: string): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'explain-'));
  writeFileSync(join(dir, 'p.txt'), text);
  return readProfile(join(dir, 'p.txt'));
}

const NS = 1e9;
const row = (rows: ExplainRow[], kind: ExplainRow['kind'], name: string): ExplainRow => rows.find((r) => r.kind === kind && r.name === name)!;

describe('explain', () => {
  it('counts a recursive frame once per sample, self as the leaf only, and tests each count against the baseline share', async () => {
    // Second 0 (the baseline): 40 samples of main→work. Second 1 (the selection): 20 samples of
    // main→rec→helper→rec (rec twice on the stack) and 20 of main→work; period 10 each.
    let text = '';
    for (let i = 0; i < 40; i++) text += record('app', 100 + i / 40, 10, ['work', 'main']);
    for (let i = 0; i < 20; i++) text += record('app', 101 + i / 40, 10, ['rec', 'helper', 'rec', 'main']);
    for (let i = 20; i < 40; i++) text += record('app', 101 + i / 40, 10, ['work', 'main']);
    const profile = await profileOf(text);
    const names = new FrameNames(profile, DISPLAY_NAMES);
    const e = explain(profile, { event: 0, idle: 'drop', range: { start: 1 * NS, end: 2 * NS }, baseline: { kind: 'rest' }, weights: SAMPLES, names });
    expect(e.samples).toBe(40);
    expect(e.baselineSamples).toBe(40);
    const rec = row(e.rows, 'frame', 'rec');
    expect(rec).toMatchObject({ samples: 20, baselineSamples: 0, share: 0.5, baselineShare: 0, ratio: Infinity, excess: 20 });
    expect(row(e.rows, 'self', 'rec').samples).toBe(20);
    expect(row(e.rows, 'self', 'helper')).toBeUndefined();
    expect(row(e.rows, 'frame', 'helper').samples).toBe(20);
    // work: 20 of 40 in the selection against 40 of 40 in the baseline: excess 20 − 1·40 = −20, not significant.
    expect(row(e.rows, 'frame', 'work')).toMatchObject({ samples: 20, baselineShare: 1, excess: -20, significant: false });
    // rec: P(X ≥ 20 | 40, (0 + ½)/(40 + 1)) with 7 rows tested (thread app; frames main, rec, helper, work; self rec, work).
    expect(e.tests).toBe(7);
    expect(rec.p).toBe(binomialUpperTail(20, 40, 0.5 / 41));
    expect(rec.significant).toBe(true);
    // The thread and main are in every sample on both sides: ratio 1, no excess.
    expect(row(e.rows, 'thread', 'app')).toMatchObject({ ratio: 1, excess: 0, significant: false });
    // Ranked by excess: rec and helper (frames) first; the self rows follow the frame rows of equal excess.
    expect(e.rows[0]!.kind).toBe('frame');
    expect(e.rows[0]!.excess).toBe(20);
  });

  it('with a metric: shares and excess are of the weights, the test of the sample counts', async () => {
    // Baseline: 20 samples of a (period 1). Selection: 10 of a (period 1) and 10 of b (period 3).
    let text = '';
    for (let i = 0; i < 20; i++) text += record('app', 100 + i / 20, 1, ['a', 'main']);
    for (let i = 0; i < 10; i++) text += record('app', 101 + i / 20, 1, ['a', 'main']);
    for (let i = 10; i < 20; i++) text += record('app', 101 + i / 20, 3, ['b', 'main']);
    const profile = await profileOf(text);
    const weights = resolveWeights(profile, 'period', 0);
    const e = explain(profile, { event: 0, idle: 'drop', range: { start: NS, end: 2 * NS }, baseline: { kind: 'rest' }, weights, names: new FrameNames(profile, DISPLAY_NAMES) });
    expect(e.weight).toBe(40);
    const b = row(e.rows, 'frame', 'b');
    expect(b).toMatchObject({ samples: 10, weight: 30, share: 0.75, excess: 30 });
    expect(b.p).toBe(binomialUpperTail(10, 20, 0.5 / 21));
  });

  it(`says it cannot tell below ${MIN_SAMPLES} samples instead of testing`, async () => {
    let text = '';
    for (let i = 0; i < 30; i++) text += record('app', 100 + i / 30, 1, ['a', 'main']);
    for (let i = 0; i < MIN_SAMPLES - 1; i++) text += record('app', 101 + i / 30, 1, ['b', 'main']);
    const profile = await profileOf(text);
    const e = explain(profile, { event: 0, idle: 'drop', range: { start: NS, end: 2 * NS }, baseline: { kind: 'rest' }, weights: SAMPLES, names: new FrameNames(profile, DISPLAY_NAMES) });
    expect(e.tested).toBe(false);
    expect(e.untestedReason).toBe(`too few samples to tell: ${MIN_SAMPLES - 1} in the selection, the test needs at least ${MIN_SAMPLES}`);
    expect(e.rows.every((r) => r.p === null && !r.significant)).toBe(true);
  });
});

describe('recurrences', () => {
  /** A grid of `columns` × 10 rows from strings of '.', '+' (above) and '#' (significant), one per column. */
  function grid(...columns: string[]): Uint8Array {
    const cells = new Uint8Array(columns.length * 10);
    columns.forEach((col, c) => [...col].forEach((ch, r) => (cells[c * 10 + r] = ch === '#' ? SIGNIFICANT : ch === '+' ? ABOVE : 0)));
    return cells;
  }

  it('merges a run per second, bridging cells above the baseline, cut at the significant ends', () => {
    expect(mergeCells(grid('..#+#+....', '..###.....', '..........', '..##......'), 10)).toEqual([{ fromRow: 2, toRow: 4, columns: [0, 1, 3] }]);
  });

  it('keeps distant offsets apart and joins seconds whose runs overlap by half or more of their union', () => {
    // rows 0–1 and 0–2 share 2 of 3 rows: one recurrence; rows 0–1 and 1–2 (1 of 3) would be two.
    expect(mergeCells(grid('##........', '.##.......'), 10)).toHaveLength(2);
    const got = mergeCells(grid('##......##', '###.......', '........##'), 10);
    expect(got).toEqual([
      { fromRow: 0, toRow: 2, columns: [0, 1] },
      { fromRow: 8, toRow: 9, columns: [0, 2] },
    ]);
  });

  it('drops a piece of a second that a larger recurrence covers', () => {
    expect(mergeCells(grid('##.#######', '##########'), 10)).toEqual([{ fromRow: 0, toRow: 9, columns: [0, 1] }]);
  });

  it('words seconds as runs and offsets with the row height', () => {
    expect(columnsText([0, 1, 2, 3, 5, 7, 8])).toBe('0–3, 5, 7, 8');
    expect(recurrenceText({ fromRow: 25, toRow: 27, columns: [1, 2, 3] }, 50)).toBe('0.50–0.56 s of seconds 1–3');
    expect(recurrenceText({ fromRow: 0, toRow: 49, columns: [21] }, 50)).toBe('0.00–1.00 s of second 21');
    expect(recurrenceText({ fromRow: 1, toRow: 1, columns: [4] }, 1000)).toBe('0.001–0.002 s of second 4');
  });
});
