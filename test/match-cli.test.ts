// `heatmap --match` and the stack filter (`--with-frame`, `--without-frame`) on the CLI (issue 9). Expected cells
// and counts come from the raw perf script text, split into records here by code of our own.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpus } from './support/corpus';
import { runInProcess } from './support/cli';
import type { HeatmapDoc } from './support/docs';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');

interface Sample {
  comm: string;
  /** Seconds since t0 (the floor of the file's first timestamp), and the microseconds within that second. */
  column: number;
  micros: number;
  frames: string[];
}

function samples(file: string): Sample[] {
  const records = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n\n')
    .map((r) => r.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
    .filter((lines) => lines.length > 0);
  const parsed = records.map((lines) => {
    const m = /^\s*(\S.*?)\s+\d+\s+(?:\[\d+\]\s+)?(\d+)\.(\d{6}):/.exec(lines[0]!)!;
    return { comm: m[1]!, seconds: Number(m[2]), micros: Number(m[3]), frames: lines.slice(1) };
  });
  const t0 = Math.min(...parsed.map((s) => s.seconds));
  return parsed.map((s) => ({ comm: s.comm, column: s.seconds - t0, micros: s.micros, frames: s.frames }));
}

const raw = samples(PATTERN);
const hasBurnB = (s: Sample): boolean => s.frames.some((f) => f.includes('burnB'));
/** The cpu-clock idle loop (none here, but the heat map drops idle by default: keep it for exact counts). */
const KEEP_IDLE = ['--idle', 'keep'];

/** `column,row` → samples, for 50 rows. */
function cells(kept: Sample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of kept) {
    const key = `${s.column},${Math.floor((s.micros * 50) / 1e6)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function nonZero(grid: number[][]): Map<string, number> {
  const out = new Map<string, number>();
  grid.forEach((column, c) => column.forEach((n, r) => n > 0 && out.set(`${c},${r}`, n)));
  return out;
}

interface MatchDoc extends HeatmapDoc {
  match: string;
  matchedSamples: number;
  matchedTotal: number;
  matched: (number | null)[][];
  matchedCounts: number[][];
}

async function run(args: string[]): Promise<string> {
  const r = await runInProcess(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

async function flameTotal(args: string[]): Promise<number> {
  return (JSON.parse(await run(['flame', PATTERN, ...KEEP_IDLE, '--format', 'json', ...args])) as { samples: number }).samples;
}

describe('heatmap --match', () => {
  it('paints the burnB cells: 500–560 ms of seconds 1–15, nothing at 0–200 ms, cell for cell as the raw text says', async () => {
    const doc = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB'])) as MatchDoc;
    const burn = raw.filter(hasBurnB);
    expect(nonZero(doc.matchedCounts)).toEqual(cells(burn));
    expect(doc.match).toBe('burnB');
    expect(doc.matchedSamples).toBe(burn.length);
    // The totals beside them are the whole heat map's, unchanged.
    expect(doc.samples).toBe(raw.length);
    // Samples weigh 1: the matched weight of a cell is its matched count, null where none matched.
    doc.matched.forEach((column, c) => column.forEach((v, r) => expect(v).toBe(doc.matchedCounts[c]![r]! === 0 ? null : doc.matchedCounts[c]![r])));
    // Where: the t0 of our axis is the floor of the first sample (749 s), and the workload started at 749.518 s,
    // so its 15 bursts are columns 1–15. Rows 25–27 are 500–560 ms.
    const painted = [...nonZero(doc.matchedCounts).keys()].map((k) => k.split(',').map(Number) as [number, number]);
    const heavy = painted.filter(([c, r]) => doc.matchedCounts[c]![r]! >= 3);
    expect(new Set(heavy.map(([c]) => c))).toEqual(new Set(Array.from({ length: 15 }, (_, i) => i + 1)));
    expect(heavy.every(([, r]) => r >= 25 && r <= 27)).toBe(true);
    expect(painted.filter(([, r]) => r < 10)).toEqual([]);
  });

  it('matched counts summed equal the flame totals of the same filter, also over a range and with a who-filter', async () => {
    const doc = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB'])) as MatchDoc;
    const sum = (grid: number[][], from = 0, to = grid.length): number => grid.slice(from, to).flat().reduce((a, b) => a + b, 0);
    expect(sum(doc.matchedCounts)).toBe(await flameTotal(['--with-frame', 'burnB']));
    // Columns 3–8 are exactly --from 3 --to 9.
    expect(sum(doc.matchedCounts, 3, 9)).toBe(await flameTotal(['--with-frame', 'burnB', '--from', '3', '--to', '9']));
    const node = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burn', '--comm', 'node'])) as MatchDoc;
    const expected = raw.filter((s) => s.comm === 'node' && s.column >= 3 && s.column < 9 && s.frames.some((f) => f.includes('burn'))).length;
    expect(expected).toBeGreaterThan(100);
    expect(sum(node.matchedCounts, 3, 9)).toBe(expected);
    expect(await flameTotal(['--with-frame', 'burn', '--comm', 'node', '--from', '3', '--to', '9'])).toBe(expected);
    // The heat map's own totals are those of the who-filter alone.
    expect(node.samples).toBe(raw.filter((s) => s.comm === 'node').length);
  });

  it('--match paints within the stack filter: both must hold', async () => {
    const within = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB', '--with-frame', 'burn'])) as MatchDoc;
    expect(within.samples).toBe(raw.filter((s) => s.frames.some((f) => f.includes('burn'))).length);
    expect(within.matchedSamples).toBe(raw.filter(hasBurnB).length);
    const outside = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB', '--without-frame', 'burnB'])) as MatchDoc;
    expect(outside.samples).toBe(raw.filter((s) => !hasBurnB(s)).length);
    expect(outside.matchedSamples).toBe(0);
  });

  it('writes the same bytes every time, and escapes the pattern in svg and text', async () => {
    for (const format of ['json', 'svg', 'text']) {
      const args = ['heatmap', PATTERN, '--match', 'burn[AB]', '--format', format, '--color', 'never'];
      expect(await run(args)).toBe(await run(args));
    }
    const svg = await run(['heatmap', PATTERN, '--match', '<b>|&', '--format', 'svg']);
    expect(svg).toContain('/&lt;b&gt;|&amp;/: matched ');
    expect(svg).not.toContain('<b>');
    const control = await run(['heatmap', PATTERN, '--match', 'a\x1b[2J]', '--format', 'text', '--color', 'never']);
    expect(control).toContain('cells where /a?[2J]/ matches');
    expect(control).not.toContain('\x1b');
    const bad = await runInProcess(['heatmap', PATTERN, '--match', 'a\x1b[2J']);
    expect(bad.stderr).toMatch(/^flamescope: .*: --match "a\\u001b\[2J" is not a regular expression: .*\n$/);
    expect(bad.stderr).not.toContain('\x1b');
  });

  it('without --match the JSON has no matched keys', async () => {
    const doc = JSON.parse(await run(['heatmap', PATTERN])) as Partial<MatchDoc>;
    expect(doc.matchedCounts).toBeUndefined();
    expect(doc.match).toBeUndefined();
  });

  it('text: a second grid, painted only where burnB ran, with the matched line', async () => {
    const text = await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB', '--format', 'text', '--color', 'never', '--rows', '50']);
    const burn = raw.filter(hasBurnB).length;
    expect(text).toContain(`cells where /burnB/ matches a frame of the stack: matched ${burn} of ${raw.length.toLocaleString('en-US')} samples`);
    const grid = text.slice(text.indexOf('cells where /burnB/'));
    const lines = grid.split('\n');
    // Row labels every few rows: find the 500 ms row and the 0 ms row of the second grid.
    const row500 = lines.findIndex((l) => /^\s*500 │/.test(l));
    const row0 = lines.findIndex((l) => /^\s*0 │/.test(l));
    const cellsOf = (line: string): string => line.slice(line.indexOf('│') + 1);
    // Column 0 is blank (the workload had not started), columns 1–15 painted at 500 ms.
    expect(cellsOf(lines[row500]!).slice(1, 16)).toMatch(/^[.:\-=+*#%@]{15}$/);
    expect(cellsOf(lines[row0]!).trim()).toBe('');
  });

  it('svg: a magenta outline on each cell holding a match, and the legend line', async () => {
    const svg = await run(['heatmap', PATTERN, ...KEEP_IDLE, '--match', 'burnB', '--format', 'svg']);
    const rects = svg.match(/<rect class="match"/g) ?? [];
    expect(rects.length).toBe(cells(raw.filter(hasBurnB)).size);
    const burn = raw.filter(hasBurnB).length;
    expect(svg).toContain(`/burnB/: matched ${burn} of ${raw.length.toLocaleString('en-US')} samples (`);
  });
});

describe('the stack filter: --with-frame and --without-frame', () => {
  it('flame, collapse and explain keep exactly the samples the raw text says', async () => {
    const burn = raw.filter(hasBurnB).length;
    expect(await flameTotal(['--with-frame', 'burnB'])).toBe(burn);
    expect(await flameTotal(['--without-frame', 'burnB'])).toBe(raw.length - burn);
    expect(await flameTotal(['--with-frame', 'burn', '--without-frame', 'burnB'])).toBe(
      raw.filter((s) => s.frames.some((f) => f.includes('burn')) && !hasBurnB(s)).length,
    );
    const folded = await run(['collapse', PATTERN, '--with-frame', 'burnB', '--weight', 'samples']);
    const lines = folded.trimEnd().split('\n');
    expect(lines.every((l) => l.includes('burnB'))).toBe(true);
    expect(lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(burn);
    const heat = JSON.parse(await run(['heatmap', PATTERN, ...KEEP_IDLE, '--without-frame', 'burnB'])) as HeatmapDoc;
    expect(nonZero(heat.counts)).toEqual(cells(raw.filter((s) => !hasBurnB(s))));
    const e = JSON.parse(await run(['explain', PATTERN, '--from', '3', '--to', '4', '--with-frame', 'burnB', '--format', 'json'])) as { rows: { kind: string; name: string }[] };
    expect(e.rows.filter((r) => r.kind === 'thread').map((r) => r.name)).toEqual(['node']);
  });

  it('diff takes it on both sides', async () => {
    const d = await runInProcess(['diff', `${PATTERN}@0:3`, `${PATTERN}@3:6`, '--idle', 'keep', '--with-frame', 'burnB', '--format', 'json']);
    expect(d.code, d.stderr).toBe(0);
    const doc = JSON.parse(d.stdout) as Record<string, unknown>;
    const text = JSON.stringify(doc);
    // Only stacks through burnB are left on either side: no python frame.
    expect(text).not.toContain('python');
    expect(text).toContain('burnB');
  });

  it('a bad pattern is one line naming the option, on every command', async () => {
    for (const [command, option] of [
      ['heatmap', '--match'],
      ['heatmap', '--with-frame'],
      ['flame', '--without-frame'],
      ['collapse', '--with-frame'],
    ] as const) {
      const r = await runInProcess([command, PATTERN, option, '(a']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^flamescope: .*perf\\.pattern499\\.txt\\.gz: ${option} "\\(a" is not a regular expression: [^\\n]*\\n$`));
    }
  });
});
