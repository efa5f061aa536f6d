// `explain` on the pattern workload, whose bands are known (corpus README: burnB at 500–560 ms and python at
// 700–800 ms of the first 15 s, burnC through every 5th second after), with counts re-done from the raw text.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpus } from './support/corpus';
import { runInProcess } from './support/cli';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');

const run = runInProcess;

interface Row {
  kind: 'thread' | 'frame' | 'self';
  name: string;
  samples: number;
  baselineSamples: number;
  share: number;
  baselineShare: number;
  excess: number;
  p: number | null;
  q: number | null;
  significant: boolean;
  recurrences?: { fromRow: number; toRow: number; seconds: number[]; text: string }[];
}
interface Doc {
  samples: number;
  baselineSamples: number;
  tested: boolean;
  untestedReason: string | null;
  tests: number;
  rows: Row[];
}

async function explainJson(from: string, to: string, ...more: string[]): Promise<Doc> {
  const r = await run(['explain', PATTERN, '--from', from, '--to', to, '--format', 'json', ...more]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

const first = (doc: Doc, kind: Row['kind']): Row => doc.rows.find((r) => r.kind === kind)!;

/** The raw records: comm, time in µs since the whole second of the first sample, and the stack text. */
function rawRecords(): { comm: string; us: number; stack: string }[] {
  const text = gunzipSync(readFileSync(PATTERN)).toString('utf8');
  const records: { comm: string; us: number; stack: string }[] = [];
  let t0 = -1;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) continue;
    const m = /^(\S+)\s+\d+\s+(\d+)\.(\d{6}):/.exec(lines[0]!)!;
    const us = Number(m[2]) * 1e6 + Number(m[3]);
    if (t0 < 0) t0 = Number(m[2]) * 1e6;
    records.push({ comm: m[1]!, us: us - t0, stack: lines.slice(1).join('\n') });
  }
  return records;
}

describe('explain on the pattern workload', () => {
  it('3.5–3.56 s: burnB first, counted as the raw text counts it, adjusted p < 1e-6, recurring at 500–560 ms of the 15 first seconds', async () => {
    const doc = await explainJson('3.5', '3.56');
    const top = first(doc, 'frame');
    expect(top.name).toContain('burnB');
    expect(top.q!).toBeLessThan(1e-6);
    expect(top.significant).toBe(true);
    // Counted from the raw text: samples in [3.5, 3.56) with the optimised burnB on the stack, and outside it
    // (`JS:^burnB`, the same function in V8's baseline tier, is another frame name).
    expect(top.name).toBe('JS:*burnB /tmp/rec/pattern.js:10:15');
    const raw = rawRecords();
    const inside = (r: { us: number }): boolean => r.us >= 3_500_000 && r.us < 3_560_000;
    expect(top.samples).toBe(raw.filter((r) => inside(r) && r.stack.includes('JS:*burnB ')).length);
    expect(top.baselineSamples).toBe(raw.filter((r) => !inside(r) && r.stack.includes('JS:*burnB ')).length);
    expect(doc.samples).toBe(raw.filter(inside).length);
    expect(doc.baselineSamples).toBe(raw.length - doc.samples);
    // The burst is 500–560 ms: rows 25–27 at 50 rows (20 ms each), in the workload's 15 first seconds, which are
    // columns 1–15 of the heat map (its t0 is the whole second before the first sample, 749 s; the workload
    // started at 749.518 s, so its second k is column k + 1 for these offsets).
    const rec = top.recurrences!;
    expect(rec[0]).toMatchObject({ fromRow: 25, toRow: 27, seconds: Array.from({ length: 15 }, (_, k) => k + 1) });
    expect(rec[0]!.text).toBe('0.50–0.56 s of seconds 1–15');
  });

  it('16–17 s: burnC first, recurring in seconds 21 and 26', async () => {
    const doc = await explainJson('16', '17');
    const top = first(doc, 'frame');
    expect(top.name).toContain('burnC');
    expect(top.significant).toBe(true);
    const seconds = top.recurrences!.flatMap((r) => r.seconds);
    expect(seconds).toContain(21);
    expect(seconds).toContain(26);
    // burnC runs in no other second (corpus README: every 5th whole second after 15 s).
    expect(new Set(seconds)).toEqual(new Set([16, 21, 26]));
  });

  it('3.7–3.8 s: the python thread first, counted as the raw text counts it', async () => {
    const doc = await explainJson('3.7', '3.8');
    const top = first(doc, 'thread');
    expect(top.name).toBe('python3');
    expect(top.significant).toBe(true);
    const raw = rawRecords();
    const inside = (r: { us: number }): boolean => r.us >= 3_700_000 && r.us < 3_800_000;
    expect(top.samples).toBe(raw.filter((r) => inside(r) && r.comm === 'python3').length);
    expect(top.baselineSamples).toBe(raw.filter((r) => !inside(r) && r.comm === 'python3').length);
    expect(top.recurrences![0]!.text).toBe('0.70–0.80 s of seconds 0–14');
  });

  it('a quiet band (3.22–3.48 s, between burnA and burnB) reports nothing significant, and says why', async () => {
    const doc = await explainJson('3.22', '3.48');
    expect(doc.rows.some((r) => r.significant)).toBe(false);
    expect(doc.tested).toBe(false);
    expect(doc.untestedReason).toMatch(/too few samples/);
    const text = (await run(['explain', PATTERN, '--from', '3.22', '--to', '3.48'])).stdout;
    expect(text).toMatch(/Nothing tested: too few samples to tell: \d in the selection/);
  });

  it('a quiet stretch with enough samples (the python-free 18–20 s vs 17–21 s) is tested and finds nothing', async () => {
    // 17–21 s holds no burst (burnC is in 16 and 21): its halves differ only by chance.
    const doc = await explainJson('18', '20', '--baseline', '17:21');
    expect(doc.tested).toBe(true);
    expect(doc.rows.filter((r) => r.significant)).toEqual([]);
  });

  it('rows that are not significant are listed as such; every row present in the selection is tested', async () => {
    const doc = await explainJson('3.7', '3.8');
    expect(doc.rows.some((r) => !r.significant && r.q !== null)).toBe(true);
    expect(doc.tests).toBe(doc.rows.length);
    // Ranked by excess within each kind.
    for (const kind of ['thread', 'frame', 'self'] as const) {
      const excess = doc.rows.filter((r) => r.kind === kind).map((r) => r.excess);
      expect(excess).toEqual([...excess].sort((a, b) => b - a));
    }
  });

  it('--baseline whole and C:D; the text table names the sections', async () => {
    const whole = await explainJson('3.5', '3.56', '--baseline', 'whole');
    expect(whole.baselineSamples).toBe(rawRecords().length);
    expect(first(whole, 'frame').name).toContain('burnB');
    const range = await explainJson('3.5', '3.56', '--baseline', '1:3');
    expect(first(range, 'frame').name).toContain('burnB');
    const text = (await run(['explain', PATTERN, '--from', '3.5', '--to', '3.56'])).stdout;
    expect(text).toMatch(/^Threads$/m);
    expect(text).toMatch(/^Frames \(inclusive/m);
    expect(text).toMatch(/also at 0\.50–0\.56 s of seconds 1–15/);
  });

  it('is deterministic, and with --metric says how weights enter', async () => {
    const a = await run(['explain', PATTERN, '--from', '16', '--to', '17', '--format', 'json']);
    const b = await run(['explain', PATTERN, '--from', '16', '--to', '17', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
    const weighted = await run(['explain', PATTERN, '--from', '3.5', '--to', '3.56', '--metric', 'period']);
    expect(weighted.code).toBe(0);
    expect(weighted.stdout).toMatch(/shares and excess are of Σ\|period\| \(ns\); the test is on sample counts/);
  });

  it('a bad baseline or a missing --to is one line and a non-zero exit', async () => {
    const bad = await run(['explain', PATTERN, '--from', '3.5', '--to', '3.56', '--baseline', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^flamescope: .*perf\.pattern499\.txt\.gz: --baseline "yesterday" is not rest, whole or C:D/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const late = await run(['explain', PATTERN, '--from', '3.5', '--to', '3.56', '--baseline', '40:50']);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/--baseline 40:50: 40 is past the end of the profile/);
    const missing = await run(['explain', PATTERN, '--from', '3.5']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
