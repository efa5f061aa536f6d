// Issue 10, "Other inputs": V8 .cpuprofile, Chrome trace events and folded stacks through every command. The
// expected heat maps are counted here from the raw JSON (not by the importers), and the pattern workload's bands
// (shared/corpus/recorded/recipe/pattern.js: busy 0–200 ms and 500–560 ms of every second for the first half of
// the run) must show in them.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './support/cli';
import { corpus, foldedCases, ROOT, runCli } from './support/corpus';
import type { HeatmapDoc } from './support/docs';

const CPUPROFILE = corpus('other-formats', 'node.pattern.cpuprofile');
const TRACE = corpus('other-formats', 'node.trace-array.json.gz');
const BANDS_CPUPROFILE = join(ROOT, 'examples/v8/bands.cpuprofile');
const BANDS_TRACE = join(ROOT, 'examples/v8/bands.trace.json.gz');
const ROWS = 50;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flamescope-formats-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readJson(path: string): unknown {
  const raw = readFileSync(path);
  return JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
}

async function ok(args: string[]): Promise<string> {
  const r = await runInProcess(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function heatmap(args: string[]): Promise<HeatmapDoc> {
  return JSON.parse(await ok(['heatmap', ...args])) as HeatmapDoc;
}

/** Counts per [second since t0][row of 20 ms] of sample times in µs; the axis spans `axisUs` (idle samples too). */
function grid(timesUs: readonly number[], axisUs: readonly number[] = timesUs): { t0: number; counts: number[][] } {
  const t0 = Math.floor(Math.min(...axisUs) / 1e6);
  const columns = Math.floor(Math.max(...axisUs) / 1e6) - t0 + 1;
  const counts = Array.from({ length: columns }, () => new Array<number>(ROWS).fill(0));
  for (const t of timesUs) {
    const column = Math.floor(t / 1e6) - t0;
    // Multiply before dividing: 0.58 * 50 is 28.999… in doubles, 580000 * 50 / 1e6 is 29.
    const row = Math.floor(((t - Math.floor(t / 1e6) * 1e6) * ROWS) / 1e6);
    counts[column]![row]!++;
  }
  return { t0, counts };
}

type CpuProfileJson = { nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[]; startTime: number };

/** The times (µs) of a .cpuprofile's samples (startTime plus the running sum of timeDeltas), and of those not `(idle)`. */
function cpuProfileTimes(profile: CpuProfileJson): { all: number[]; busy: number[] } {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const all: number[] = [];
  const busy: number[] = [];
  let t = profile.startTime;
  profile.samples.forEach((node, i) => {
    t += profile.timeDeltas[i]!;
    all.push(t);
    if (!idle.has(node)) busy.push(t);
  });
  return { all, busy };
}

function cpuProfileGrid(path: string): { t0: number; counts: number[][] } {
  const { all, busy } = cpuProfileTimes(readJson(path) as CpuProfileJson);
  return grid(busy, all);
}

interface SliceEvent {
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
}

/**
 * The documented slice rule, counted the plain way: per thread, the set of whole-millisecond ticks (µs) that
 * fall inside some slice (start ≤ tick < end); B/E paired per thread, last open first.
 */
function sliceTicks(events: readonly SliceEvent[]): number[] {
  const ticks = new Map<string, Set<number>>();
  const open = new Map<string, number[]>();
  const cover = (key: string, start: number, end: number): void => {
    const set = ticks.get(key) ?? new Set<number>();
    ticks.set(key, set);
    for (let t = Math.ceil(start / 1000) * 1000; t < end; t += 1000) set.add(t);
  };
  for (const e of events) {
    const key = `${e.pid}/${e.tid}`;
    if (e.ph === 'X' && (e.dur ?? 0) > 0) cover(key, e.ts, e.ts + e.dur!);
    if (e.ph === 'B') open.set(key, [...(open.get(key) ?? []), e.ts]);
    if (e.ph === 'E') {
      const start = open.get(key)?.pop();
      if (start !== undefined) cover(key, start, e.ts);
    }
  }
  return [...ticks.values()].flatMap((s) => [...s]);
}

/** Mean samples per cell over the given columns and rows. */
function density(counts: number[][], columns: number[], rows: number[]): number {
  let sum = 0;
  for (const c of columns) for (const r of rows) sum += counts[c]![r]!;
  return sum / (columns.length * rows.length);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

describe('V8 .cpuprofile (corpus, the pattern workload)', () => {
  it('heat map: every cell as counted from the raw JSON, and the bands of the pattern', async () => {
    const expected = cpuProfileGrid(CPUPROFILE);
    const doc = await heatmap([CPUPROFILE]);
    expect(doc.t0).toBe(expected.t0);
    expect(doc.event).toBe('cpu-clock');
    expect(doc.counts).toEqual(expected.counts);
    // The first half (8 s run: seconds 1–4 are whole seconds of phase one): busy 0–200 ms and 500–560 ms.
    const phaseOne = [1, 2, 3, 4];
    const quiet = [...range(11, 24), ...range(29, 50)];
    expect(density(doc.counts, phaseOne, range(0, 10))).toBeGreaterThan(10);
    expect(density(doc.counts, [1, 2, 3], range(25, 28))).toBeGreaterThan(8);
    expect(density(doc.counts, phaseOne, quiet)).toBeLessThan(0.5);
    // Second half: the 5th second (t0 + 6 = 315 s) busy throughout.
    expect(expected.t0 + 6).toBe(315);
    expect(Math.min(...doc.counts[6]!)).toBeGreaterThanOrEqual(10);
  });

  it('a flame graph of a band shows the function that made it', async () => {
    const samplesWith = (folded: string, name: string): number =>
      folded.trim().split('\n').filter((l) => l.includes(`;${name} `)).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const band = (from: string, to: string) => ok(['flame', CPUPROFILE, '--from', from, '--to', to, '--format', 'folded']);
    // 0–200 ms: burnA (V8 inlines much of it into processImmediate, whose own samples are the rest); 500–560
    // ms: burnB; between them, nothing.
    expect(samplesWith(await band('3', '3.2'), 'burnA')).toBeGreaterThan(10);
    expect(samplesWith(await band('3', '3.2'), 'burnB')).toBe(0);
    expect(samplesWith(await band('3.5', '3.56'), 'burnB')).toBeGreaterThan(40);
    expect(await band('3.3', '3.5')).toBe('');
    // The leaf with the most samples (summed over the stacks it ends).
    const leafOf = (folded: string): string => {
      const byLeaf = new Map<string, number>();
      for (const l of folded.trim().split('\n')) {
        const leaf = l.slice(0, l.lastIndexOf(' ')).split(';').pop()!;
        byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + Number(l.slice(l.lastIndexOf(' ') + 1)));
      }
      return [...byLeaf].sort((a, b) => b[1] - a[1])[0]![0];
    };
    expect(leafOf(await ok(['flame', CPUPROFILE, '--from', '3.5', '--to', '3.56', '--format', 'folded']))).toMatch(/^burnB .*pattern\.js:10:15$/);
  });

  it('(idle) samples are idle: --idle keep counts them, with an (idle) frame', async () => {
    const profile = readJson(CPUPROFILE) as { nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[] };
    const idleId = profile.nodes.find((n) => n.callFrame.functionName === '(idle)')!.id;
    const idleSamples = profile.samples.filter((s) => s === idleId).length;
    expect(idleSamples).toBeGreaterThan(0);
    const kept = await heatmap([CPUPROFILE, '--idle', 'keep']);
    const dropped = await heatmap([CPUPROFILE]);
    expect(kept.samples).toBe(profile.samples.length);
    expect(dropped.samples).toBe(profile.samples.length - idleSamples);
    const folded = await ok(['flame', CPUPROFILE, '--idle', 'keep', '--format', 'folded']);
    expect(folded).toContain(`node;(idle) ${idleSamples}\n`);
  });
});

describe('Chrome trace events (corpus: slices only, no profiler samples)', () => {
  it('heat map: the slices sampled every ms, as counted from the raw JSON, show the pattern', async () => {
    const events = readJson(TRACE) as SliceEvent[];
    const expected = grid(sliceTicks(events));
    const r = await runInProcess(['heatmap', TRACE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: no V8 profiler samples in this trace: its B\/E\/X slices are sampled every 1 ms/);
    const doc = JSON.parse(r.stdout) as HeatmapDoc;
    expect(doc.event).toBe('trace-slices');
    expect(doc.t0).toBe(expected.t0);
    expect(doc.counts).toEqual(expected.counts);
    // 3 s run from 319.64 s: seconds 320 and 321 (columns 1, 2) are phase one.
    const phaseOne = [1, 2];
    expect(density(doc.counts, phaseOne, range(0, 10))).toBeGreaterThan(18);
    expect(density(doc.counts, phaseOne, range(25, 28))).toBeGreaterThan(18);
    expect(density(doc.counts, phaseOne, [...range(11, 24), ...range(29, 50)])).toBeLessThan(2);
  });
});

describe('recorded V8 profiles (examples/v8)', () => {
  it('the .cpuprofile and the trace profile 0x1 of the same run are the same samples', async () => {
    const expected = cpuProfileGrid(BANDS_CPUPROFILE);
    const fromProfile = await heatmap([BANDS_CPUPROFILE]);
    expect(fromProfile.counts).toEqual(expected.counts);
    const r = await runInProcess(['heatmap', BANDS_TRACE, '--comm', 'profile 0x1']);
    expect(r.stderr).toMatch(/warning: 2 V8 profiles sample thread \d+ at once/);
    expect((JSON.parse(r.stdout) as HeatmapDoc).counts).toEqual(expected.counts);
    const strip = (folded: string): string => folded.replace(/^[^;\n ]+(?: \(profile 0x1\))?/gm, 'T');
    const a = await ok(['collapse', BANDS_CPUPROFILE]);
    const b = await ok(['collapse', BANDS_TRACE, '--comm', 'profile 0x1']);
    expect(strip(b.replaceAll('JavaScriptMainThread_(profile_0x1)', 'T'))).toBe(strip(a));
  });

  it('four bands a second: 100 ms busy of every 250 ms', async () => {
    for (const file of [BANDS_CPUPROFILE, BANDS_TRACE]) {
      const doc = await heatmap([file]);
      // Rows whose count over the first two columns is at least half the busiest row's: 4 runs of 4–6 rows.
      const totals = range(0, ROWS).map((r) => doc.counts[0]![r]! + doc.counts[1]![r]!);
      const max = Math.max(...totals);
      const busy = totals.map((n) => n * 2 >= max);
      const runs = busy.filter((b, r) => b && !busy[(r + ROWS - 1) % ROWS]).length;
      expect(runs, file).toBe(4);
      expect(busy.filter(Boolean).length, file).toBeGreaterThanOrEqual(14);
      expect(busy.filter(Boolean).length, file).toBeLessThanOrEqual(24);
    }
  });
});

describe('detection from content, not names', () => {
  it('each file copied without its extension reads the same', async () => {
    const folded = join(dir, 'pattern.folded');
    writeFileSync(folded, await ok(['collapse', corpus('recorded', 'perf.pattern49.txt.gz')]));
    for (const file of [CPUPROFILE, TRACE, BANDS_CPUPROFILE, BANDS_TRACE, folded]) {
      const bare = join(dir, 'noext');
      copyFileSync(file, bare);
      expect(await ok(['flame', bare, '--format', 'folded']), file).toBe(await ok(['flame', file, '--format', 'folded']));
      expect(await ok(['collapse', bare]), file).toBe(await ok(['collapse', file]));
    }
  });

  it('a JSON file that is none of the formats: one line naming what was expected', async () => {
    for (const [name, text, what] of [
      ['package', '{"name": "flamescope", "version": "1.0.0"}', 'an object with keys "name", "version"'],
      ['numbers', '[1, 2, 3]', 'an array of 3 items that are not trace events'],
      ['broken', '{"nodes": [', 'it does not parse'],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const r = await runInProcess(['heatmap', path]);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`flamescope: ${path}: JSON that is not a V8 .cpuprofile ({nodes, samples, timeDeltas}), a Chrome trace (an array of events or {traceEvents}) or an nflxprofile: ${what}`);
    }
  });
});

describe('a directory', () => {
  it('reads the profiles in it, whatever their format, and leaves out JSON that is not one', async () => {
    const d = join(dir, 'profiles');
    mkdirSync(d);
    copyFileSync(BANDS_CPUPROFILE, join(d, 'a'));
    writeFileSync(join(d, 'package.json'), '{"name": "x"}');
    const r = await runInProcess(['collapse', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(await ok(['collapse', BANDS_CPUPROFILE]));
    expect(r.stderr).toBe(`flamescope: ${d}: warning: left out 1 file that is not perf script text: package.json (JSON that is not a V8 .cpuprofile or a Chrome trace)\n`);
  });
});

describe('every command on each format', () => {
  it('heatmap, flame, collapse and report', async () => {
    for (const file of [CPUPROFILE, TRACE, BANDS_CPUPROFILE, BANDS_TRACE]) {
      expect(await ok(['heatmap', file, '--format', 'text']), file).toMatch(/ × 50 rows of 20 ms · /);
      expect(await ok(['heatmap', file, '--format', 'svg']), file).toMatch(/^<\?xml/);
      expect(await ok(['flame', file]), file).toMatch(/<svg/);
      expect(JSON.parse(await ok(['flame', file, '--format', 'json']))).toBeTypeOf('object');
      const collapsed = await ok(['collapse', file]);
      expect(collapsed, file).toMatch(/^\S.* \d+$/m);
      const report = join(dir, 'r.html');
      // The report bundles the built page: the built CLI writes it.
      expect(runCli(['report', file, '-o', report]).status).toBe(0);
      expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>/i);
    }
  });
});

describe('folded stacks', () => {
  it('collapse re-folds every corpus folded file byte for byte', async () => {
    const cases = foldedCases();
    expect(cases.length).toBe(93);
    for (const c of cases) {
      const path = corpus('folded', c.file);
      expect(await ok(['collapse', path]), c.file).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('the flame graph of a folded profile is the one of the profile it was folded from, idle included', async () => {
    const folded = join(dir, 'cpu.folded');
    writeFileSync(folded, await ok(['collapse', CPUPROFILE]));
    for (const idle of ['drop', 'keep']) {
      expect(await ok(['flame', folded, '--idle', idle, '--format', 'folded'])).toBe(await ok(['flame', CPUPROFILE, '--idle', idle, '--format', 'folded']));
    }
  });

  it('diff of two folded files is the diff of the profiles they were folded from', async () => {
    const a = corpus('recorded', 'perf.pattern49.txt.gz');
    const b = corpus('recorded', 'perf.pattern499.txt.gz');
    const fa = join(dir, 'a.folded');
    const fb = join(dir, 'b.folded');
    // diff compares samples by default; collapse sums periods unless told otherwise.
    writeFileSync(fa, await ok(['collapse', a, '--weight', 'samples']));
    writeFileSync(fb, await ok(['collapse', b, '--weight', 'samples']));
    const fromFolded = await ok(['diff', fa, fb, '--format', 'folded']);
    expect(fromFolded).toBe(await ok(['diff', a, b, '--format', 'folded']));
    expect(fromFolded.split('\n').length).toBeGreaterThan(10);
  });

  it('flame graphs and a report work; what needs time says folded stacks have none', async () => {
    const folded = join(dir, 'c.folded');
    writeFileSync(folded, 'app;main;work 3\napp;main;idle 1\n');
    expect(await ok(['flame', folded, '--format', 'folded'])).toBe('app;main;idle 1\napp;main;work 3\n');
    const r = runCli(['report', folded, '-o', join(dir, 'f.html')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no timestamps: the report has the whole profile's flame graph and no heat map; folded stacks carry no time/);
    for (const command of [['heatmap', folded], ['explain', folded, '--from', '0', '--to', '1']]) {
      const e = await runInProcess(command);
      expect(e.code).not.toBe(0);
      expect(e.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(e.stderr).toMatch(/needs timestamps, and this profile has none; folded stacks carry no time/);
    }
  });

  it('a 10,000-deep stack (a 650 KB first line) is told from its content, on a pipe too', () => {
    const frames = Array.from({ length: 10_000 }, (_, k) => `frame_${k}_${'x'.repeat(50)}`);
    const text = `app;${frames.join(';')} 3\napp;x 1\n`;
    const path = join(dir, 'deep');
    writeFileSync(path, text);
    expect(runCli(['collapse', path]).stdout).toBe(text);
    // Standard input arrives in 64 KiB pieces: the head is read on to the end of the first line.
    expect(runCli(['collapse', '-'], Buffer.from(text)).stdout).toBe(text);
  });

  it('malformed lines: a counted warning with the first line number', async () => {
    const folded = join(dir, 'm.folded');
    writeFileSync(folded, 'a;b 1\na;b 2\na;c 1.5\nnot a stack\na;d 4\na;e 1e5\n');
    const r = await runInProcess(['collapse', folded]);
    expect(r.code).toBe(0);
    // Decimal counts are counts (flamegraph.pl reads them too).
    expect(r.stdout).toBe('a;b 3\na;c 1.5\na;d 4\n');
    expect(r.stderr).toBe(`flamescope: ${folded}: warning: skipped 2 unparseable lines (first at line 4: "not a stack")\n`);
  });
});
