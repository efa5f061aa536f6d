// Issue 7's acceptance, headless: every figure of shared/corpus/weighted/synthetic-weighted.expected.json
// through the CLI's JSON (heat maps of both events at 10 and 50 rows, gaps, flame trees of the whole range and
// of 102–103 s, by period and by samples), and flame_prof's own layout (flameprof-reconstructed.erl_perf.log):
// its 32 metrics, a signed heat map, group levels, category frames, merged call sites and rates. Expected
// figures come from the spec's JSON or are computed here from the raw text, never from the code under test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from './support/corpus';
import { child, type HeatmapDoc } from './support/docs';
import { runInProcess } from './support/cli';

const SYNTHETIC = corpus('weighted', 'synthetic-weighted.perf');
const FLAMEPROF = corpus('weighted', 'flameprof-reconstructed.erl_perf.log');
const EXPECTED = JSON.parse(readFileSync(corpus('weighted', 'synthetic-weighted.expected.json'), 'utf8')) as Expected;
const VHEAP = 'erlang:bin_vheap_size_delta';

interface ExpectedNode {
  n: string;
  v: number;
  c: ExpectedNode[];
}
interface ExpectedGrid {
  min_cell: number;
  max_cell: number;
  /** [column, row, value, samples] */
  cells: [number, number, number, number][];
}
interface ExpectedEvent {
  sample_count: number;
  weight_sum: number;
  abs_weight_sum: number;
  min_weight: number;
  median_interval_s: number;
  largest_interval_s: [number, number, number];
  heatmap_rows10_count: ExpectedGrid;
  heatmap_rows10_weight: ExpectedGrid;
  heatmap_rows50_count: ExpectedGrid;
  heatmap_rows50_weight: ExpectedGrid;
  gaps_over_5x_median_interval: [number, number, number][];
  flamegraph_whole_weight: ExpectedNode;
  'flamegraph_102.0-103.0_weight': ExpectedNode;
}
interface Expected {
  time_origin_s: number;
  columns: number;
  events: Record<string, ExpectedEvent>;
  all_events_largest_gap_s: [number, number, number];
}

interface FlameNode {
  name: string;
  value: number;
  net: number;
  samples: number;
  children: FlameNode[];
}
type FlameDoc = FlameNode & { event: string; metric: string; unit: string; groups: string; without: number };

const run = runInProcess;

async function ok(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const heatmap = async (args: string[]): Promise<HeatmapDoc> => JSON.parse(await ok(['heatmap', ...args])) as HeatmapDoc;
const flame = async (args: string[]): Promise<FlameDoc> => JSON.parse(await ok(['flame', '--format', 'json', ...args])) as FlameDoc;

/** A one-line error, exit status 1 or 2, nothing on stdout. */
async function error(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.stdout).toBe('');
  expect([1, 2]).toContain(r.code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^flamescope: /);
  return lines[0]!;
}

/** Seconds since t0 of an absolute time in the spec (100.91 → 0.91), exact to the microsecond. */
const relative = (seconds: number): number => Math.round((seconds - EXPECTED.time_origin_s) * 1e6) / 1e6;

/** A tree as the spec writes it, `{n, v, c}`, children by name: the spec's children are in another order. */
function shape(node: FlameNode): ExpectedNode {
  return { n: node.name, v: node.value, c: node.children.map(shape).sort(byName) };
}
function sortedExpected(node: ExpectedNode, root = true): ExpectedNode {
  return { n: root ? 'all' : node.n, v: node.v, c: node.c.map((c) => sortedExpected(c, false)).sort(byName) };
}
const byName = (a: ExpectedNode, b: ExpectedNode): number => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0);


function allNames(root: FlameNode): string[] {
  const names: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const n = pending.pop()!;
    names.push(n.name);
    pending.push(...n.children);
  }
  return names;
}

/** One record of the raw text: header fields and frames leaf first, read with the simplest rules. */
interface RawRecord {
  comm: string;
  proc: string;
  /** Microseconds, absolute. */
  micros: number;
  period: number | null;
  event: string;
  metrics: Map<string, [number, number]>;
  frames: string[];
}

function rawRecords(file: string): RawRecord[] {
  const records: RawRecord[] = [];
  for (const block of readFileSync(file, 'utf8').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    if (lines.length === 0) continue;
    const [head, ...rest] = lines;
    const fields = head!.split('\t');
    const m = /^(\S+)\s+(\S+)\s+\[\d+\]\s+(\d+)\.(\d{6}):\s+(?:(-?\d+)\s+)?(\S+):(?=\s|$)/.exec(head!);
    if (m === null) throw new Error(`not a header: ${head}`);
    const metrics = new Map<string, [number, number]>();
    for (const f of fields) {
      const mm = /^metric_(\w+): (-?\d+), (-?\d+)$/.exec(f);
      if (mm !== null) metrics.set(mm[1]!, [Number(mm[2]), Number(mm[3])]);
    }
    records.push({
      comm: m[1]!,
      proc: m[2]!,
      micros: Number(m[3]) * 1e6 + Number(m[4]),
      period: m[5] === undefined ? null : Number(m[5]),
      event: m[6]!,
      metrics,
      frames: rest.map((l) => /^\s+\S+ (.*?)(?: \(([^()]*)\))?$/.exec(l)![1]!),
    });
  }
  return records;
}

describe('synthetic-weighted.perf: every figure of the expected JSON', () => {
  for (const [event, e] of Object.entries(EXPECTED.events)) {
    for (const rows of [10, 50] as const) {
      for (const mode of ['count', 'weight'] as const) {
        it(`${event}: heat map at ${rows} rows by ${mode === 'count' ? 'samples' : 'period'}`, async () => {
          const spec = e[`heatmap_rows${rows}_${mode}`];
          const doc = await heatmap([SYNTHETIC, '--event', event, '--rows', String(rows), '--metric', mode === 'count' ? 'samples' : 'period']);
          expect(doc.t0).toBe(EXPECTED.time_origin_s);
          expect(doc.columns).toBe(EXPECTED.columns);
          expect(doc.rows).toBe(rows);
          expect(doc.event).toBe(event);
          expect(doc.samples).toBe(e.sample_count);
          const listed = new Map(spec.cells.map(([c, r, v, n]) => [`${c},${r}`, [v, n]]));
          for (let c = 0; c < doc.columns; c++) {
            for (let r = 0; r < rows; r++) {
              // Every listed cell has its value and count (a sum of 0 stays 0: white); every other is null (grey).
              const [v, n] = listed.get(`${c},${r}`) ?? [null, 0];
              expect([doc.values[c]![r], doc.counts[c]![r]], `cell ${c},${r}`).toEqual([v, n]);
            }
          }
          expect([doc.min, doc.max]).toEqual([spec.min_cell, spec.max_cell]);
          // Column 101 is grey throughout, for both events.
          expect(doc.values[1]!.every((v) => v === null)).toBe(true);
          expect(doc.total).toBe(mode === 'count' ? e.sample_count : e.weight_sum);
        });
      }
    }

    it(`${event}: the smallest sample weight, in 1 ms cells that each hold one sample`, async () => {
      const doc = await heatmap([SYNTHETIC, '--event', event, '--rows', '1000', '--metric', 'period']);
      expect(Math.max(...doc.counts.flat())).toBe(1);
      expect(doc.min).toBe(e.min_weight);
    });

    it(`${event}: gaps over 5× the median interval, the median and the largest interval`, async () => {
      const doc = await heatmap([SYNTHETIC, '--event', event]);
      expect(doc.medianInterval).toBe(e.median_interval_s);
      expect(doc.gapThreshold).toBe(Math.round(5 * e.median_interval_s * 1e6) / 1e6);
      expect(doc.gaps).toEqual(e.gaps_over_5x_median_interval.map(([from, to]) => ({ from: relative(from), to: relative(to) })));
      for (const [k, [from, to, length]] of e.gaps_over_5x_median_interval.entries()) {
        expect(Math.round((doc.gaps[k]!.to - doc.gaps[k]!.from) * 1e6) / 1e6).toBe(length);
        expect([from, to]).toEqual([100 + doc.gaps[k]!.from, 100 + doc.gaps[k]!.to].map((s) => Math.round(s * 1e6) / 1e6));
      }
      const [length, from, to] = e.largest_interval_s;
      expect(doc.largestInterval).toEqual({ from: relative(from), to: relative(to) });
      expect(Math.round((doc.largestInterval!.to - doc.largestInterval!.from) * 1e6) / 1e6).toBe(length);
    });

    for (const [key, range] of [
      ['flamegraph_whole_weight', []],
      ['flamegraph_102.0-103.0_weight', ['--from', '2', '--to', '3']],
    ] as const) {
      it(`${event}: the flame tree ${key} by period`, async () => {
        const tree = await flame([SYNTHETIC, '--event', event, '--metric', 'period', ...range]);
        expect(shape(tree)).toEqual(sortedExpected(e[key]));
        expect(tree).toMatchObject({ event, metric: 'period', unit: event === VHEAP ? 'words' : 'cycles', groups: 'sign,comm', without: 0 });
        if (key === 'flamegraph_whole_weight') {
          expect(tree.value).toBe(e.abs_weight_sum);
          expect(tree.net).toBe(e.weight_sum);
          expect(tree.samples).toBe(e.sample_count);
        }
      });
    }
  }

  it('all events together: the largest gap is 100.91 → 102.02', async () => {
    const doc = await heatmap([SYNTHETIC]);
    const [length, from, to] = EXPECTED.all_events_largest_gap_s;
    expect(doc.gapsAllEvents.largestInterval).toEqual({ from: relative(from), to: relative(to) });
    expect(Math.round((to - from) * 1e6) / 1e6).toBe(length);
    // Whatever event is shown, the all-events figures are the same.
    expect((await heatmap([SYNTHETIC, '--event', VHEAP])).gapsAllEvents).toEqual(doc.gapsAllEvents);
  });

  it('cycles: no sign level; 18 samples = 11 on 1_scheduler + 7 on 2_scheduler', async () => {
    const records = rawRecords(SYNTHETIC).filter((r) => r.event === 'cycles');
    expect(records).toHaveLength(18);
    const tree = await flame([SYNTHETIC, '--event', 'cycles', '--metric', 'samples']);
    expect(tree.value).toBe(18);
    expect(tree.children.map((c) => [c.name, c.value])).toEqual([
      ['1_scheduler', records.filter((r) => r.comm === '1_scheduler').length],
      ['2_scheduler', records.filter((r) => r.comm === '2_scheduler').length],
    ]);
    expect(tree.children.map((c) => c.value)).toEqual([11, 7]);
    // By period, positive weights only: still no sign level, and net = Σ|w|.
    const byPeriod = await flame([SYNTHETIC, '--event', 'cycles', '--metric', 'period']);
    expect(byPeriod.children.map((c) => c.name)).toEqual(['1_scheduler', '2_scheduler']);
    expect(byPeriod.net).toBe(byPeriod.value);
  });

  it(`${VHEAP}: the sign level, Σ|w| 80,896, net −15,360, erlang:+/2 intact, the zero-weight sample`, async () => {
    const tree = await flame([SYNTHETIC, '--event', VHEAP, '--metric', 'period']);
    expect(tree.children.map((c) => c.name)).toEqual(['positive', 'negative']);
    expect([tree.value, tree.net]).toEqual([80896, -15360]);
    const [positive, negative] = tree.children as [FlameNode, FlameNode];
    expect([positive.value, positive.net, negative.value, negative.net]).toEqual([32768, 32768, 48128, -48128]);
    // The memory-bucket categories under each status.
    expect(child(positive, 'running').children.map((c) => [c.name, c.value]).sort()).toEqual([
      ['[mem: 100s KiB]', 4096],
      ['[mem: 10s MiB]', 24576],
      ['[mem: 1s MiB]', 4096],
    ]);
    expect(child(negative, 'garbage_collecting').children.map((c) => [c.name, c.value]).sort()).toEqual([
      ['[mem: 10s MiB]', 32768],
      ['[mem: 1s MiB]', 2048],
    ]);
    const path = ['[mem: 100s KiB]', '(couch_os_process:init/1)', 'proc_lib:init_p/5', 'proc_lib:init_p_do_apply/3;249', 'gen_server:handle_msg/6;750', 'gen_server:try_handle_call/4;721', 'couch_os_process:handle_call/3;180', 'jiffy_collapse:collapse/2;57', 'erlang:+/2'];
    expect(child(positive, 'running', ...path).value).toBe(4096);
    expect(child(negative, 'running', ...path).value).toBe(1024);
    // The zero-weight sample (waiting, 103.505): no width anywhere, but counted in the samples.
    const raw = rawRecords(SYNTHETIC).filter((r) => r.event === VHEAP);
    const zero = raw.filter((r) => r.period === 0);
    expect(zero.map((r) => [r.comm, r.micros])).toEqual([['waiting', 103_505_000]]);
    expect(tree.samples).toBe(raw.length);
    expect(positive.samples + negative.samples).toBe(raw.length - 1);
    expect(positive.children.map((c) => c.name)).toEqual(['running']);
    expect(child(negative, 'waiting').samples).toBe(raw.filter((r) => r.comm === 'waiting').length - 1);
    // The root's tooltip in the SVG says the net split.
    const svg = await ok(['flame', SYNTHETIC, '--event', VHEAP, '--metric', 'period']);
    expect(svg).toContain('<title>all (80,896 words, 100.00%, net −15,360 words = 32,768 positive − 48,128 negative, 12 samples)</title>');
  });

  it(`${VHEAP} by samples: 12 = running 7 + waiting 3 + garbage_collecting 2, no sign level`, async () => {
    const raw = rawRecords(SYNTHETIC).filter((r) => r.event === VHEAP);
    const tree = await flame([SYNTHETIC, '--event', VHEAP, '--metric', 'samples']);
    expect(tree.value).toBe(12);
    const count = (comm: string): number => raw.filter((r) => r.comm === comm).length;
    expect(tree.children.map((c) => [c.name, c.value])).toEqual([
      ['garbage_collecting', count('garbage_collecting')],
      ['running', count('running')],
      ['waiting', count('waiting')],
    ]);
    expect(tree.children.map((c) => c.value)).toEqual([2, 7, 3]);
  });

  it('the text and SVG heat maps draw null, zero, negative and positive cells apart', async () => {
    const text = await ok(['heatmap', SYNTHETIC, '--event', VHEAP, '--metric', 'period', '--rows', '10', '--format', 'text', '--color', 'never']);
    const rowLine = (r: number): string => text.split('\n').find((l) => new RegExp(`^ *${r * 100} │`).test(l))!.replace(/^.*│/, '');
    // Symmetric scale ±32768, ninths: −4096 → b, −2048 → a, 0 → 0, 16384 → 5, −32768 → i, 8192 → 3, 1024 → 1.
    expect(rowLine(0)).toBe('b 5');
    expect(rowLine(1)).toBe('a b3');
    expect(rowLine(2)).toBe('0');
    expect(rowLine(4)).toBe('  i');
    expect(rowLine(5)).toBe('   0');
    expect(text).toMatch(/legend: -32768 ihgfedcba 0 123456789 32768 words per cell/);
    expect(text).toContain('no samples 0.27–2.021 s (1.751 s)');
    // Halves: the maximum is full red, 9.
    const halves = await ok(['heatmap', SYNTHETIC, '--event', VHEAP, '--metric', 'period', '--rows', '10', '--format', 'text', '--color', 'never', '--scale', 'halves']);
    expect(halves.split('\n').find((l) => /^ *0 │/.test(l))!.replace(/^.*│/, '')).toBe('b 9');
    const json = await heatmap([SYNTHETIC, '--event', VHEAP, '--metric', 'period', '--scale', 'halves']);
    expect(json.scale).toBe('halves');

    const svg = await ok(['heatmap', SYNTHETIC, '--event', VHEAP, '--metric', 'period', '--rows', '10', '--format', 'svg', '--scale', 'halves']);
    const fill = (tip: RegExp): [number, number, number] => {
      const m = new RegExp(`fill="#([0-9a-f]{6})"><title>${tip.source}`).exec(svg);
      if (m === null) throw new Error(`no cell ${tip.source}`);
      return [0, 2, 4].map((k) => parseInt(m[1]!.slice(k, k + 2), 16)) as [number, number, number];
    };
    const [gr, gg] = fill(/2 s \+ 400 ms: −32,768 words \(1 sample\)/);
    expect(gg).toBeGreaterThan(gr); // the minimum: green
    const [rr, rg] = fill(/2 s \+ 0 ms: 16,384 words \(1 sample\)/);
    expect(rr).toBeGreaterThan(rg); // the maximum: red
    expect(fill(/0 s \+ 200 ms: 0 words \(2 samples\)/)).toEqual([255, 255, 255]); // +1024 − 1024: white
    expect(fill(/3 s \+ 500 ms: 0 words \(1 sample\)/)).toEqual([255, 255, 255]); // the zero-weight sample: white
    expect(svg).toMatch(/<rect class="plot" [^>]*fill="#d9d9d9"/); // no sample: grey
    expect(svg).toContain('no samples 0.27–2.021 s (1.751 s)');
    expect(svg).toContain('metric period (words)');
  });
});

describe('flameprof-reconstructed.erl_perf.log: flame_prof files as they are', () => {
  const records = rawRecords(FLAMEPROF);

  it('the raw text: 7 samples of 16 metric pairs', () => {
    expect(records).toHaveLength(7);
    for (const r of records) expect(r.metrics.size).toBe(16);
  });

  it('lists its 32 metrics by name when a metric is unknown', async () => {
    const keys = [...records[0]!.metrics.keys()];
    const names = keys.flatMap((k) => [k, `${k}_delta`]);
    expect(names).toHaveLength(32);
    const line = await error(['heatmap', FLAMEPROF, '--metric', 'nosuch']);
    expect(line).toBe(`flamescope: ${FLAMEPROF}: unknown metric "nosuch"; this profile has: samples, ${names.join(', ')}`);
    for (const command of [['flame'], ['collapse']]) expect(await error([...command, FLAMEPROF, '--metric', 'nosuch'])).toBe(line);
  });

  it('a signed heat map of erlang_bin_vheap_size_delta: the cells are the deltas summed, min < 0', async () => {
    const doc = await heatmap([FLAMEPROF, '--metric', 'erlang_bin_vheap_size_delta']);
    expect(doc.metric).toBe('erlang_bin_vheap_size_delta');
    expect(doc.unit).toBe('words');
    const t0 = Math.floor(Math.min(...records.map((r) => r.micros)) / 1e6);
    const cells = new Map<string, [number, number]>();
    for (const r of records) {
      const column = Math.floor(r.micros / 1e6) - t0;
      const row = Math.floor(((r.micros % 1e6) * 50) / 1e6);
      const [v, n] = cells.get(`${column},${row}`) ?? [0, 0];
      cells.set(`${column},${row}`, [v + r.metrics.get('erlang_bin_vheap_size')![1], n + 1]);
    }
    for (let c = 0; c < doc.columns; c++) {
      for (let r = 0; r < 50; r++) {
        const [v, n] = cells.get(`${c},${r}`) ?? [null, 0];
        expect([doc.values[c]![r], doc.counts[c]![r]], `cell ${c},${r}`).toEqual([v, n]);
      }
    }
    const sums = [...cells.values()].map(([v]) => v);
    expect(doc.min).toBe(Math.min(...sums));
    expect(doc.min).toBeLessThan(0);
    expect(doc.max).toBe(0);
    // Coloured: the minimum cell is full green in the terminal too.
    const text = await ok(['heatmap', FLAMEPROF, '--metric', 'erlang_bin_vheap_size_delta', '--format', 'text', '--color', 'always']);
    expect(text).toContain('\x1b[48;2;0;68;27m'); // interpolateGreens(1) = #00441b
    expect(text).toContain('\x1b[48;2;255;255;255m'); // cells whose deltas sum to 0
    expect(text).toContain('\x1b[48;2;217;217;217m'); // cells without samples
  });

  it('--group sign,bucket:erlang_memory,comm lays out negative → bucket → status → (M:F/A) → …, as the fork drew it', async () => {
    const tree = await flame([FLAMEPROF, '--metric', 'erlang_bin_vheap_size_delta', '--group', 'sign,bucket:erlang_memory,comm']);
    expect(tree.groups).toBe('sign,bucket:erlang_memory,comm');
    // The expected paths, from the raw text: the sign of the delta, the order of magnitude of erlang_memory in
    // bytes (binary prefixes), the status, the frames root first; zero deltas add no width.
    const bucket = (bytes: number): string => {
      const units = ['B', 'KiB', 'MiB', 'GiB'];
      let p = 0;
      while (bytes >= 1024 ** (p + 1)) p++;
      return `${10 ** Math.floor(Math.log10(bytes / 1024 ** p))}s ${units[p]}`;
    };
    expect([bucket(142688), bucket(1803720), bucket(2848), bucket(34424)]).toEqual(['100s KiB', '1s MiB', '1s KiB', '10s KiB']);
    const expected = new Map<string, number>();
    for (const r of records) {
      const delta = r.metrics.get('erlang_bin_vheap_size')![1];
      if (delta === 0) continue;
      const path = [delta < 0 ? 'negative' : 'positive', bucket(r.metrics.get('erlang_memory')![0]), r.comm, ...[...r.frames].reverse()].join('\u0000');
      expected.set(path, (expected.get(path) ?? 0) + Math.abs(delta));
    }
    expect(expected.size).toBeGreaterThan(1);
    const leaves = new Map<string, number>();
    const pending: [FlameNode, string[]][] = tree.children.map((c) => [c, [c.name]]);
    while (pending.length > 0) {
      const [node, path] = pending.pop()!;
      const self = node.value - node.children.reduce((s, c) => s + c.value, 0);
      if (self !== 0) leaves.set(path.join('\u0000'), self);
      for (const c of node.children) pending.push([c, [...path, c.name]]);
    }
    expect(leaves).toEqual(expected);
    // Every delta of this file is a release: only a negative side, and the first frame under the status is the
    // initial call (M:F/A).
    expect(tree.children.map((c) => c.name)).toEqual(['negative']);
    const running = child<FlameNode>(tree, 'negative', '100s KiB', 'running');
    expect(running.children.map((c) => c.name)).toEqual(['(couch_index_updater:init/1)']);
    // --group none: the frames right under the root; an unknown level or bucket metric is one clear line.
    const none = await flame([FLAMEPROF, '--group', 'none']);
    expect(none.children.map((c) => c.name).sort()).toEqual([...new Set(records.map((r) => r.frames[r.frames.length - 1]!))].sort());
    expect(await error(['flame', FLAMEPROF, '--group', 'sign,colour'])).toMatch(/"colour" is not a level; the levels are event, sign, bucket:<metric>, comm, pid, tid/);
    expect(await error(['flame', FLAMEPROF, '--group', 'bucket:erlang_mem'])).toMatch(/--group bucket:erlang_mem: unknown metric "erlang_mem"; this profile has: erlang_reductions, erlang_reductions_delta, /);
  });

  it('keeps (M:F/A) and native as frames, drawn as categories; --hide-categories leaves them out in every format', async () => {
    // proc_lib's initial calls, root-most (the runnable process has none: it starts at erlang:apply/2).
    const initialCalls = new Set(records.flatMap((r) => r.frames).filter((f) => /^\(\w+:\w+\/\d\)$/.test(f)));
    expect(initialCalls.size).toBe(3);
    expect(records.filter((r) => initialCalls.has(r.frames[r.frames.length - 1]!))).toHaveLength(6);
    const names = new Set(allNames(await flame([FLAMEPROF])));
    for (const f of initialCalls) expect(names).toContain(f);
    expect(names).toContain('native');
    const svg = await ok(['flame', FLAMEPROF]);
    const fillOf = (name: string): string => new RegExp(`<title>${name.replace(/[()]/g, '\\$&')} \\([^<]*</title><rect [^>]*fill="(rgb\\([^"]+\\))"`).exec(svg)![1]!;
    const slate = (fill: string): boolean => {
      const [r, g, b] = /rgb\((\d+),(\d+),(\d+)\)/.exec(fill)!.slice(1).map(Number) as [number, number, number];
      return b > g && g > r;
    };
    expect(slate(fillOf('(couch_index_updater:init/1)'))).toBe(true);
    expect(slate(fillOf('native'))).toBe(true);
    expect(slate(fillOf('proc_lib:init_p/5'))).toBe(false);

    const hidden = new Set(allNames(await flame([FLAMEPROF, '--hide-categories'])));
    for (const f of initialCalls) expect(hidden).not.toContain(f);
    expect(hidden).not.toContain('native');
    expect(hidden).toContain('proc_lib:init_p/5');
    const folded = await ok(['flame', FLAMEPROF, '--format', 'folded', '--hide-categories']);
    expect(folded).not.toMatch(/\(couch|;native/);
    expect(await ok(['flame', FLAMEPROF, '--hide-categories'])).not.toMatch(/<title>\(couch/);
  });

  it('--merge-lines folds M:F/A;Line into M:F/A in every format; folded export never splits a name at its ;', async () => {
    const lines = new Set(records.flatMap((r) => r.frames).filter((f) => /;\d+$/.test(f)));
    expect(lines.size).toBeGreaterThan(3);
    const plain = new Set(allNames(await flame([FLAMEPROF])));
    for (const f of lines) expect(plain).toContain(f);
    const merged = new Set(allNames(await flame([FLAMEPROF, '--merge-lines'])));
    for (const f of lines) {
      expect(merged).not.toContain(f);
      expect(merged).toContain(f.replace(/;\d+$/, ''));
    }
    // Folded: frames are split at `;` only, so a call site is written with `:` — or merged away.
    const folded = await ok(['flame', FLAMEPROF, '--format', 'folded']);
    const frameCounts = folded.trimEnd().split('\n').map((l) => l.slice(0, l.lastIndexOf(' ')).split(';').length);
    const depths = new Map<string, number>();
    for (const r of records) {
      const key = [r.comm, ...[...r.frames].reverse()].join('\u0000');
      depths.set(key, r.frames.length + 1);
    }
    expect(frameCounts.sort()).toEqual([...depths.values()].sort());
    expect(folded).toContain('couch_btree:fold/4:222');
    const mergedFolded = await ok(['flame', FLAMEPROF, '--format', 'folded', '--merge-lines']);
    expect(mergedFolded).not.toMatch(/\/\d:\d/);
    expect(mergedFolded).toMatch(/;couch_index_updater:update\/3;couch_btree:fold\/4 \d+$/m);
    const svg = await ok(['flame', FLAMEPROF, '--merge-lines']);
    expect(svg).not.toContain('fold/4;222');
    // collapse stays stackcollapse-perf.pl: `;` → `:`, the (M:F/A) frames dropped, no --merge-lines.
    const collapsed = await ok(['collapse', FLAMEPROF]);
    expect(collapsed).toContain('couch_btree:fold/4:222');
    expect(collapsed).not.toContain('(couch');
    expect(await error(['collapse', FLAMEPROF, '--merge-lines'])).toMatch(/unknown option '--merge-lines'/);
  });

  it("--rate: each delta ÷ the seconds since the same process's previous sample; first samples left out", async () => {
    // By hand from the raw text: 0.245.0 at 8812.403117 then 8812.611876 (reductions delta 6552), 0.301.0 at
    // 8812.403117 then 8813.702311 (delta 190), 0.412.0 at 8812.512094 then 8813.702311 (delta 89242).
    const expected: [string, number][] = [
      ['0.245.0', 6552 / 0.208759],
      ['0.301.0', 190 / 1.299194],
      ['0.412.0', 89242 / 1.190217],
    ];
    const byProc = new Map<string, RawRecord[]>();
    for (const r of records) byProc.set(r.proc, [...(byProc.get(r.proc) ?? []), r]);
    for (const [proc, rate] of expected) {
      const [a, b] = byProc.get(proc)!;
      expect(b!.metrics.get('erlang_reductions')![1] / ((b!.micros - a!.micros) / 1e6)).toBeCloseTo(rate, 6);
    }
    const tree = await flame([FLAMEPROF, '--metric', 'erlang_reductions_delta', '--rate', '--group', 'pid']);
    expect(tree).toMatchObject({ metric: 'erlang_reductions_delta/s', unit: 'reductions/s', without: 4 });
    expect(tree.children.map((c) => c.name)).toEqual(expected.map(([p]) => p));
    for (const [k, [, rate]] of expected.entries()) expect(tree.children[k]!.net).toBeCloseTo(rate, 6);
    expect(tree.samples).toBe(3);
    // The heat map: the same three rates in their cells.
    const doc = await heatmap([FLAMEPROF, '--metric', 'erlang_reductions_delta', '--rate']);
    expect(doc.without).toBe(4);
    expect(doc.total).toBeCloseTo(expected.reduce((s, [, r]) => s + r, 0), 6);
    expect(await error(['heatmap', FLAMEPROF, '--metric', 'erlang_memory', '--rate'])).toMatch(
      /--rate needs a delta metric \(a name ending in _delta\), not "erlang_memory"; this profile has: erlang_reductions_delta, /,
    );
    expect(await error(['flame', FLAMEPROF, '--rate'])).toMatch(/--rate needs a delta metric .* not "samples"/);
  });

  it('--weight is --metric samples|period, and the two cannot be given together', async () => {
    expect(await ok(['heatmap', SYNTHETIC, '--weight', 'period'])).toBe(await ok(['heatmap', SYNTHETIC, '--metric', 'period']));
    expect(await error(['heatmap', SYNTHETIC, '--weight', 'period', '--metric', 'samples'])).toMatch(/'--weight <mode>' cannot be used with option '--metric <name>'/);
  });
});
