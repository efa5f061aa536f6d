// Every perf script dialect recorded in examples/dialects/ (see its README): the samples read are the records
// counted in the raw text with the simplest rule, the folded output is stackcollapse-perf.pl's (as committed
// beside each input), and the heat map is FlameScope's, re-done from the raw text by its own rules.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collapse, type RootFrame } from '../src/flamegraph/collapse';
import { DEFAULT_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildHeatmap, columnOf, rowOf } from '../src/heatmap/grid';
import { chooseEvent, NS_PER_SECOND } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import { NO_ID, type Profile } from '../src/parse/profile';
import { ROOT, runCli } from './support/corpus';
import { flameScopeColumn, flameScopeGrid, flameScopeRow, flameScopeSamples } from './support/flamescope';
import { resolveWeights, SAMPLES } from '../src/model/metrics';


const DIR = join(ROOT, 'examples', 'dialects');
const path = (file: string): string => join(DIR, file);
const inputs = readdirSync(DIR)
  .filter((f) => /\.txt(\.gz)?$/.test(f) && !f.includes('.expected.'))
  .sort();
const stemOf = (file: string): string => file.replace(/\.txt(\.gz)?$/, '');
const inputOf = (stem: string): string => inputs.find((f) => stemOf(f) === stem)!;

function rawLines(file: string): string[] {
  const raw = readFileSync(path(file));
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8').split('\n');
}

/** The record headers, by the simplest rule: a timestamp, no TAB indent, not a side-band record. */
function headerLines(file: string): string[] {
  return rawLines(file).filter((l) => !l.startsWith('#') && !l.startsWith('\t') && / \d+\.\d+: /.test(l) && !l.includes('PERF_RECORD_'));
}

const TIMESTAMP = / (\d+)\.(\d+): /;

describe('every dialect: one sample per record, nothing skipped, side-band records left out', () => {
  it('has the recordings the README lists', () => {
    expect(inputs.map(stemOf).sort()).toEqual([
      'deep-recursion',
      'deleted',
      'deleted-unresolved',
      'dwarf',
      'exited-thread',
      'fields-header-only',
      'fields-no-pid',
      'fields-no-pid-callchain',
      'fields-period',
      'hide-callgraph',
      'insn',
      'mmap-events-attached',
      'no-callchain',
      'ns',
      'short',
      'srccode',
      'srcline',
      'systemwide-no-callchain',
      'task-events',
      'tracepoint',
      'two-events',
    ]);
  });

  for (const file of inputs) {
    it(file, async () => {
      const profile = await readProfile(path(file));
      const headers = headerLines(file);
      const sideBand = rawLines(file).filter((l) => !l.startsWith('\t') && l.includes('PERF_RECORD_'));
      expect(profile.sampleCount, `${file}: samples`).toBe(headers.length);
      expect(profile.warnings.skippedLines, `${file}: first skipped: ${profile.warnings.firstSkippedText}`).toBe(0);
      expect(profile.warnings.sideBandRecords, `${file}: side-band records`).toBe(sideBand.length);
      // t0 is the first sample's whole second: side-band records stamped 0.000000 do not move it.
      const seconds = headers.map((l) => Number(TIMESTAMP.exec(l)![1]));
      expect(profile.hasTime).toBe(true);
      expect(profile.t0).toBe(Math.min(...seconds));
      // The events are the words that end in ':' after the timestamp (and the period, if any).
      const events = new Set(headers.map((l) => / \d+\.\d+:\s+(?:\d+\s+)?(\S+):(?:\s|$)/.exec(l)![1]));
      expect(new Set(profile.events)).toEqual(events);
    });
  }
});

describe('headers without pid/tid keep every comm whole', () => {
  for (const stem of ['fields-no-pid', 'fields-no-pid-callchain']) {
    it(stem, async () => {
      const file = inputOf(stem);
      const profile = await readProfile(path(file));
      // Without a pid column, the comm is all the text before the timestamp.
      const expected = new Map<string, number>();
      for (const l of headerLines(file)) {
        const comm = l.slice(0, TIMESTAMP.exec(l)!.index).trim();
        expected.set(comm, (expected.get(comm) ?? 0) + 1);
      }
      expect([...expected.keys()].sort()).toEqual(['threads', 'worker one', 'worker two']);
      const got = new Map<string, number>();
      for (let i = 0; i < profile.sampleCount; i++) {
        const comm = profile.comms[profile.comm[i]!]!;
        got.set(comm, (got.get(comm) ?? 0) + 1);
        expect(profile.pid[i]).toBe(NO_ID);
        expect(profile.tid[i]).toBe(NO_ID);
      }
      expect(got).toEqual(expected);
    });
  }
});

describe('folded output equals stackcollapse-perf.pl (examples/dialects/*.collapsed*.expected.txt)', () => {
  const expectedFiles = readdirSync(DIR)
    .filter((f) => f.endsWith('.expected.txt'))
    .sort();

  it('has an expected file for every recording', () => {
    const stems = new Set(expectedFiles.map((f) => f.replace(/\.collapsed.*$/, '')));
    expect([...stems].sort()).toEqual(inputs.map(stemOf).sort());
  });

  for (const expectedFile of expectedFiles) {
    it(expectedFile, async () => {
      const m = /^(.*)\.collapsed(?:-(\w+))?\.expected\.txt$/.exec(expectedFile)!;
      const [stem, option] = [m[1]!, m[2]];
      const profile = await readProfile(path(inputOf(stem)));
      const root: RootFrame = option === 'tid' ? 'tid' : option === 'pid' ? 'pid' : 'comm';
      const lines = collapse(
        profile,
        { event: 0, idle: 'keep', range: null },
        {
          root,
          kernel: option === 'kernel' || option === 'all',
          jit: option === 'jit' || option === 'all',
          addrs: option === 'addrs',
          stackcollapse: true,
          weights: resolveWeights(profile, 'period', 0),
        },
      );
      const expected = readFileSync(path(expectedFile), 'utf8');
      const got = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
      if (got !== expected) {
        const a = got.split('\n');
        const b = expected.split('\n');
        const k = a.findIndex((line, i) => line !== b[i]);
        expect(`line ${k + 1}: ${a[k]}`, `${expectedFile}: first difference`).toBe(`line ${k + 1}: ${b[k]}`);
      }
    });
  }

  it('the CLI prints the same bytes (deleted --all, exited-thread --tid)', () => {
    for (const [stem, option] of [
      ['deleted', 'all'],
      ['exited-thread', 'tid'],
    ] as const) {
      const r = runCli(['collapse', `--${option}`, path(inputOf(stem))]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(readFileSync(path(`${stem}.collapsed-${option}.expected.txt`), 'utf8'));
    }
  });
});

/** The sample's time as perf printed it, rebuilt from ours (for FlameScope's float arithmetic). */
function timestampText(profile: Profile, i: number): string {
  const t = profile.time[i]!;
  const col = columnOf(t);
  return `${profile.t0 + col}.${String(t - col * NS_PER_SECOND).padStart(9, '0')}`;
}

describe("heat map cells equal FlameScope's rules, up to the documented differences", () => {
  const ROWS = 50;
  for (const file of inputs) {
    it(file, async () => {
      const profile = await readProfile(path(file));
      const sideBand = profile.warnings.sideBandRecords > 0;
      if (sideBand) {
        // FlameScope takes side-band records for samples: more "samples", and its heat map starts at 0 s.
        const asFlameScope = flameScopeSamples(path(file));
        expect(asFlameScope.length).toBe(profile.sampleCount + profile.warnings.sideBandRecords);
        expect(Math.min(...asFlameScope.map((s) => s.ts))).toBe(0);
      }
      const fs = flameScopeSamples(path(file), { sideBand: 'skip' });
      expect(fs.length).toBe(profile.sampleCount);
      const theirs = flameScopeGrid(fs, ROWS);
      const ours = buildHeatmap(profile, { event: -1, idle: 'drop', rows: ROWS, weights: SAMPLES });
      const start = Math.min(...fs.map((s) => s.ts));
      // FlameScope has one column less when its last timestamp is a whole second (ceil(end) = end).
      const lastIsWhole = fs.at(-1)!.ts === Math.floor(fs.at(-1)!.ts);
      expect(ours.columns).toBe(theirs.columns + (lastIsWhole ? 1 : 0));
      const adjusted = Float64Array.from(ours.values);
      let boundary = 0;
      let idleWork = 0;
      for (let i = 0; i < profile.sampleCount; i++) {
        const sample = fs[i]!;
        expect(sample.ts, `${file}: sample ${i}`).toBe(parseFloat(timestampText(profile, i)));
        const t = profile.time[i]!;
        const ourCell = columnOf(t) * ROWS + rowOf(t, ROWS);
        const theirCell = flameScopeColumn(sample.ts, start) * ROWS + flameScopeRow(sample.ts, ROWS);
        const weKeep = profile.idle[i] === 0;
        if (weKeep && sample.idle) {
          // FlameScope drops a swapper sample for an idle function anywhere in its stack; we look at the leaf.
          expect(profile.comms[profile.comm[i]!]).toMatch(/^swapper/);
          adjusted[ourCell]--;
          idleWork++;
        } else {
          expect(!weKeep && !sample.idle, `${sample.text}: we drop as idle what FlameScope keeps`).toBe(false);
          if (weKeep && ourCell !== theirCell) {
            // Only an exact row boundary can differ: FlameScope's float ts % 1 falls just below it.
            expect(((t - columnOf(t) * NS_PER_SECOND) * ROWS) % NS_PER_SECOND, `${sample.text} on a row boundary`).toBe(0);
            expect(theirCell, sample.text).toBe(ourCell - 1);
            adjusted[ourCell]--;
            adjusted[theirCell]++;
            boundary++;
          }
        }
      }
      expect(Array.from(adjusted)).toEqual(Array.from(theirs.values.subarray(0, adjusted.length)));
      expect(boundary + idleWork).toBeLessThanOrEqual(profile.sampleCount / 10);
    });
  }
});

describe('dialect details', () => {
  it("perf's exiting thread ':-1    -1' is comm ':-1', tid -1: --tid prints :-1-?/-1", async () => {
    const profile = await readProfile(path(inputOf('exited-thread')));
    const exiting = headerLines(inputOf('exited-thread')).filter((l) => l.startsWith(':-1 '));
    expect(exiting.length).toBeGreaterThanOrEqual(3);
    let seen = 0;
    for (let i = 0; i < profile.sampleCount; i++) {
      if (profile.comms[profile.comm[i]!] !== ':-1') continue;
      expect(profile.tid[i]).toBe(-1);
      expect(profile.pid[i]).toBe(NO_ID);
      seen++;
    }
    expect(seen).toBe(exiting.length);
    const lines = collapse(profile, { event: 0, idle: 'keep', range: null }, { root: 'tid', ...DEFAULT_NAMES, weights: SAMPLES });
    expect(lines.every((l) => l.startsWith(':-1-?/-1;'))).toBe(true);
  });

  it('(deleted) modules: collapse names them as Perl does, flame graphs with a readable name', async () => {
    const profile = await readProfile(path(inputOf('deleted')));
    const flame = collapse(profile, { event: 0, idle: 'keep', range: null }, { root: 'comm', ...DEFAULT_NAMES, weights: SAMPLES });
    const names = new Set(flame.flatMap((l) => l.slice(0, l.lastIndexOf(' ')).split(';')));
    expect(names).toContain('[memfd:jitcode (deleted)]');
    expect(names).toContain('doomed_leaf');
    expect(names).toContain('main');
    for (const name of names) {
      expect(name, 'no trailing space').toBe(name.trim());
      expect((name.match(/\[/g) ?? []).length, `${name}: brackets balance`).toBe((name.match(/\]/g) ?? []).length);
    }
    const unresolved = await readProfile(path(inputOf('deleted-unresolved')));
    const frames = new FrameNames(unresolved, DEFAULT_NAMES);
    const shown = new Set(unresolved.frames.map((_, f) => frames.name(f, false)));
    expect(shown).toContain('[libdoomed.so (deleted)]');
    expect(shown).toContain('[doomed (deleted)]');
    const cli = runCli(['flame', '--format', 'folded', path(inputOf('deleted'))]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(';[memfd:jitcode (deleted)] ');
  });

  it('side-band records: one note on stderr, and the heat map starts at the first sample', () => {
    const r = runCli(['heatmap', path(inputOf('task-events'))]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^flamescope: .*task-events\.txt\.gz: note: left out 22 side-band records \(PERF_RECORD_MMAP, PERF_RECORD_COMM, PERF_RECORD_MMAP2, PERF_RECORD_FORK, PERF_RECORD_EXIT\): they are not samples\n$/,
    );
    const grid = JSON.parse(r.stdout) as { t0: number; columns: number; samples: number };
    expect(grid.t0).toBeGreaterThan(0);
    expect(grid.columns).toBe(1);
    expect(grid.samples).toBe(headerLines(inputOf('task-events')).length);
  });

  it('two events: --event picks either, by its name without modifiers', async () => {
    const profile = await readProfile(path(inputOf('two-events')));
    expect(profile.events).toEqual(['page-faults', 'cpu-clock']);
    expect(chooseEvent(profile, 'cpu-clock', false)).toBe(1);
    expect(chooseEvent(profile, 'page-faults', false)).toBe(0);
  });

  it('a tracepoint keeps its arguments out of the stack, and sched_switch names it', async () => {
    const profile = await readProfile(path(inputOf('tracepoint')));
    expect(profile.events).toEqual(['sched:sched_switch']);
    expect(profile.metrics.map((m) => m.name)).not.toContain('period');
    expect(chooseEvent(profile, 'sched_switch', false)).toBe(0);
    const leaves = new Set<string>();
    for (let i = 0; i < profile.sampleCount; i++) leaves.add(profile.frames[profile.stackFrame[profile.stack[i]!]!]!.symbol);
    expect(leaves).toEqual(new Set(['__schedule']));
  });

  it('deep recursion: 1,003-frame stacks, read whole', async () => {
    const profile = await readProfile(path(inputOf('deep-recursion')));
    let deepest = 0;
    for (let i = 0; i < profile.sampleCount; i++) {
      let depth = 0;
      for (let s = profile.stack[i]!; s >= 0; s = profile.stackParent[s]!) depth++;
      deepest = Math.max(deepest, depth);
    }
    // The deepest record, counted in the raw text: its frame lines.
    let most = 0;
    let run = 0;
    for (const l of rawLines(inputOf('deep-recursion'))) {
      if (l.startsWith('\t')) most = Math.max(most, ++run);
      else run = 0;
    }
    expect(most).toBeGreaterThan(1000);
    expect(deepest).toBe(most);
  });

  it('--ns keeps nanoseconds', async () => {
    const profile = await readProfile(path(inputOf('ns')));
    expect(profile.timeDigits).toBe(9);
    const first = headerLines(inputOf('ns'))[0]!;
    const [, whole, frac] = TIMESTAMP.exec(first)!;
    expect(frac).toHaveLength(9);
    expect(profile.time[0]).toBe((Number(whole) - profile.t0) * NS_PER_SECOND + Number(frac));
  });
});

describe('what the CLI says about input it could not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flamescope-dialects-'));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const RECORD = 'prog 1 [000] 100.000001: 1000 cpu-clock:\n\t7f1 main (/x)\n\n';

  it('a file mostly skipped says so loudly, and still folds what it read', () => {
    const file = write('mostly-noise.txt', `${RECORD}${'this is not perf script output\n'.repeat(5)}`);
    const r = runCli(['collapse', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('prog;main 1000\n');
    expect(r.stderr).toBe(
      `flamescope: ${file}: warning: MOST OF THIS FILE WAS NOT READ: skipped 5 lines of 7 (71%) that are not perf script records ` +
        `(first at line 4: "this is not perf script output"); the profile below is built from the rest only\n`,
    );
  });

  it('a file where nothing is read fails with one line', () => {
    const file = write('noise.txt', 'hello\nworld\n');
    const r = runCli(['collapse', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`flamescope: ${file}: no samples: line 1 is not a perf script record header: "hello"\n`);
  });

  it('a period too large for a double is clamped with a warning: every count is a number', () => {
    const file = write('huge-period.txt', `prog 1 [000] 100.000001: ${'9'.repeat(400)} cpu-clock:\n\t7f1 main (/x)\n\n${RECORD}`);
    const r = runCli(['collapse', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`prog;main ${Number.MAX_SAFE_INTEGER + 1000}\n`);
    expect(r.stderr).toBe(`flamescope: ${file}: warning: 1 sample had a period beyond 2^53 (first at line 1), counted as 9007199254740991\n`);
    const heat = runCli(['heatmap', '--weight', 'period', file]);
    expect(heat.status).toBe(0);
    expect(heat.stdout).not.toMatch(/Infinity|NaN/);
    // Both samples are at 100.000001 s: one cell holds the clamped sum, as collapse's line; the others are null.
    const grid = JSON.parse(heat.stdout) as { values: (number | null)[][]; counts: number[][] };
    expect(grid.counts.flat().filter((n) => n > 0)).toEqual([2]);
    expect(grid.values.flat().filter((v) => v !== null)).toEqual([Number.MAX_SAFE_INTEGER + 1000]);
  });
});
