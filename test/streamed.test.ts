// Issue 10: collapse and heatmap read their input as a stream of windows, so that memory stays flat whatever
// its size. What they give must be what reading the whole profile gives, byte for byte: this compares the two
// paths (the whole path is the one the other tests check against stackcollapse-perf.pl, FlameScope and the raw
// text) on the corpus with tiny windows (so every file spans many), and runs the CLI on an input of more
// samples than one real window holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collapse } from '../src/flamegraph/collapse';
import { DISPLAY_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildHeatmap, checkColumns } from '../src/heatmap/grid';
import { chooseEvent, type IdleMode } from '../src/heatmap/range';
import { resolveWeights } from '../src/model/metrics';
import { readProfile, readProfiles } from '../src/parse/input';
import type { Profile } from '../src/parse/profile';
import { compileFilter, type FilterSpec } from '../src/query/filter';
import { findGaps } from '../src/query/gaps';
import { compileStackFilter, samplesMatching, withMatch } from '../src/query/match';
import { StreamedCollapse, StreamedHeatmap, WINDOW_SAMPLES } from '../src/query/streamed';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { runInProcess } from './support/cli';

const CORPUS = join(__dirname, '../../shared/corpus');

interface Case {
  files: string[];
  idle: IdleMode;
  weight: string;
  who?: FilterSpec;
  withFrame?: string;
  match?: string;
}

const CASES: Case[] = [
  { files: ['perf/perf.test01'], idle: 'drop', weight: 'samples' },
  { files: ['perf/perf-cycles-instructions-01.txt'], idle: 'keep', weight: 'period' },
  { files: ['perf/perf-java-faults-01.txt'], idle: 'keep', weight: 'samples', withFrame: 'java' },
  { files: ['perf/perf-iperf-stacks-pidtid-01.txt'], idle: 'drop', weight: 'period', who: { comm: '^iperf' }, match: 'tcp' },
  { files: ['recorded/perf.pattern499.txt.gz'], idle: 'drop', weight: 'samples', who: { comm: 'node' }, match: 'burnB' },
  { files: ['recorded/perf-systemwide-a-filtered.txt.gz'], idle: 'keep', weight: 'samples', who: { cpus: [1] } },
  { files: ['weighted'], idle: 'keep', weight: 'erlang_memory_delta' },
  { files: ['weighted/synthetic-weighted.perf'], idle: 'keep', weight: 'period' },
  { files: ['other-formats/node.pattern.cpuprofile'], idle: 'drop', weight: 'samples' },
  { files: ['folded/perf-java-stacks-01-collapsed-all.txt'], idle: 'keep', weight: 'samples' },
];

/** The whole profile, and the streamed commands fed windows of `samples` samples of the same input. */
async function both(c: Case, samples: number) {
  const paths = c.files.map((f) => join(CORPUS, f));
  const whole = (await readProfiles(paths)).profile;
  const selection = { idle: c.idle, weight: c.weight, who: c.who ?? {}, stacks: c.withFrame === undefined ? {} : { withFrame: c.withFrame }, names: DISPLAY_NAMES };
  const folding = new StreamedCollapse(selection, 'tid');
  const binning = whole.hasTime ? new StreamedHeatmap({ ...selection, rows: 50, maxColumns: 100_000, ...(c.match === undefined ? {} : { match: new RegExp(c.match) }) }) : null;
  let windows = 0;
  const last = (
    await readProfiles(paths, {
      window: {
        samples,
        take: (w) => {
          windows++;
          folding.take(w);
          binning?.take(w);
        },
      },
    })
  ).profile;
  return { whole, last, folding, binning, windows };
}

function filterOf(profile: Profile, c: Case) {
  return withMatch(compileFilter(profile, c.who ?? {}), compileStackFilter(profile, c.withFrame === undefined ? {} : { withFrame: c.withFrame }, DISPLAY_NAMES));
}

describe('streamed collapse and heatmap equal the whole profile read at once', () => {
  for (const c of CASES) {
    it(`${c.files.join(' ')} (${c.weight}, idle ${c.idle}${c.who ? `, ${JSON.stringify(c.who)}` : ''})`, async () => {
      const { whole, last, folding, binning, windows } = await both(c, 97);
      expect(windows).toBeGreaterThan(Math.floor(whole.sampleCount / 97));
      expect(last.events).toEqual(whole.events);
      expect(last.warnings).toEqual(whole.warnings);
      expect(last.hasTime).toBe(whole.hasTime);
      const filter = filterOf(whole, c);
      const names = { kernel: true, jit: true, addrs: false, stackcollapse: true };
      let matchedSamples = 0;
      for (let event = 0; event < whole.events.length; event++) {
        const weights = resolveWeights(whole, c.weight, event);
        const expected = collapse(whole, { event, idle: c.idle, range: null, filter }, { root: 'tid', ...names, weights });
        expect(folding.lines(last, event, names)).toEqual(expected);
        if (binning === null) continue;
        const grid = buildHeatmap(whole, { event, idle: c.idle, rows: 50, weights, filter });
        expect(binning.columns).toBe(grid.columns);
        const streamed = binning.result(last, event, weights, undefined);
        expect(streamed.grid).toEqual(grid);
        expect(streamed.gaps).toEqual(findGaps(whole, event));
        expect(streamed.gapsAllEvents).toEqual(findGaps(whole, -1));
        if (c.match !== undefined) {
          const re = new RegExp(c.match);
          const flags = samplesMatching(whole, new FrameNames(whole, DISPLAY_NAMES), (n) => re.test(n));
          const matched = buildHeatmap(whole, { event, idle: c.idle, rows: 50, weights, filter: withMatch(filter, { flags, keep: true }) });
          expect(streamed.matched).toEqual(matched);
          matchedSamples += matched.samples;
        }
      }
      if (c.match !== undefined) expect(matchedSamples).toBeGreaterThan(0);
      // The default event of a heat map (the busiest) is chosen from the counts of every window.
      expect(chooseEvent(last, undefined, c.idle === 'drop', folding.eventCounts)).toBe(chooseEvent(whole, undefined, c.idle === 'drop'));
    });
  }

  it('a gap threshold given applies to the streamed gaps as to the whole', async () => {
    const { whole, last, binning } = await both(CASES[4]!, 1000);
    const weights = resolveWeights(whole, 'samples', 0);
    const streamed = binning!.result(last, 0, weights, 20e6);
    expect(streamed.gaps).toEqual(findGaps(whole, 0, 20e6));
    expect(streamed.gaps.gaps.length).toBeGreaterThan(0);
  });
});

describe('the CLI streams an input of more samples than a window holds', () => {
  let dir: string;
  let file: string;
  const samples = WINDOW_SAMPLES + 40_000;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flamescope-stream-'));
    file = join(dir, 'many.txt');
    // 1,000 samples a second, shallow stacks so that the file stays small (≈ 60 MB).
    await writeSynthProfile(file, { seconds: Math.ceil(samples / 1000), hz: 1000, depth: 3, stacks: 40, idle: 0.1 });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('collapse: the lines of the whole profile, and every sample of the text counted', async () => {
    const whole = await readProfile(file);
    expect(whole.sampleCount).toBeGreaterThan(WINDOW_SAMPLES);
    const r = await runInProcess(['collapse', file]);
    expect(r.code).toBe(0);
    const expected = collapse(whole, { event: 0, idle: 'keep', range: null }, { root: 'comm', kernel: false, jit: false, addrs: false, stackcollapse: true, weights: resolveWeights(whole, 'period', 0) });
    expect(r.stdout).toBe(`${expected.join('\n')}\n`);
    const counted = await runInProcess(['collapse', '--weight', 'samples', file]);
    const total = counted.stdout
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(total).toBe(whole.sampleCount);
  }, 60_000);

  it('heatmap --format json: the cells and gaps of the whole profile', async () => {
    const whole = await readProfile(file);
    const r = await runInProcess(['heatmap', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const event = chooseEvent(whole, undefined, true);
    const grid = buildHeatmap(whole, { event, idle: 'drop', rows: 50, weights: resolveWeights(whole, 'samples', event) });
    checkColumns(whole, grid.columns, 50, 100_000);
    expect(json.columns).toBe(grid.columns);
    const counts = (json.counts as number[][]).flat();
    expect(counts).toEqual([...grid.counts]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(grid.samples);
    expect(json.medianInterval).toBeCloseTo(findGaps(whole, event).medianNs / 1e9, 12);
  }, 60_000);
});
