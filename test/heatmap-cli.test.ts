// The heatmap command end to end: output formats, options and every error it can give.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { corpus, runCli } from './support/corpus';
import type { HeatmapDoc } from './support/docs';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const TEST01 = corpus('perf', 'perf.test01');
const MIXED = corpus('perf', 'perf-cycles-instructions-01.txt');


function json(args: string[]): HeatmapDoc {
  const r = runCli(['heatmap', ...args]);
  // perf.test01 has two truncated stack lines; the parser's warning about them is all stderr may hold.
  expect(r.stderr.split('\n').filter((l) => l !== '' && !/: warning: skipped/.test(l))).toEqual([]);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as HeatmapDoc;
}

/** A one-line error that names the problem, with no stack trace. */
function expectError(args: string[], pattern: RegExp): void {
  const r = runCli(['heatmap', ...args]);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^flamescope: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const parseSvg = (text: string): Document => new new JSDOM('').window.DOMParser().parseFromString(text, 'image/svg+xml');

describe('heatmap --format json', () => {
  it('has the documented keys in order, R values per column and C columns', () => {
    const r = runCli(['heatmap', TEST01]);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual([
      't0', 'rows', 'columns', 'event', 'metric', 'unit', 'scale', 'min', 'max', 'samples', 'without', 'total',
      'gaps', 'medianInterval', 'gapThreshold', 'largestInterval', 'gapsAllEvents', 'values', 'counts',
    ]);
    const doc = JSON.parse(r.stdout) as HeatmapDoc;
    // perf.test01's first timestamp is 5076.100000 and its last 5117.999999.
    expect(doc.t0).toBe(5076);
    expect(doc.columns).toBe(42);
    expect(doc.values).toHaveLength(42);
    expect(doc.counts).toHaveLength(42);
    for (const column of doc.values) expect(column).toHaveLength(50);
    for (const column of doc.counts) expect(column).toHaveLength(50);
    expect(doc.event).toBe('cpu-clock');
    expect(doc.metric).toBe('samples');
    expect(doc.unit).toBe('samples');
    expect(doc.scale).toBe('symmetric');
    // Five work samples at the times their names give, the four swapper idle samples dropped.
    expect(doc.samples).toBe(5);
    expect(doc.values[0]![5]).toBe(1); // STACK at 0 s, offset 100 ms
    expect(doc.values[10]![10]).toBe(1); // 5086.200000: exactly 200 ms, row 10 (FlameScope: row 9)
    // Every other cell has no sample: null, not 0, and its count is 0.
    const sampled = doc.counts.flat().filter((n) => n > 0).length;
    expect(sampled).toBe(5);
    expect(doc.values.flat().filter((v) => v === null)).toHaveLength(42 * 50 - 5);
    expect(doc.values.flat().filter((v) => v === 0)).toHaveLength(0);
    expect([doc.min, doc.max, doc.total]).toEqual([1, 1, 5]);
  });

  it('lists the gaps: intervals between samples of the event longer than 5× the median, in seconds since t0', () => {
    // perf.test01's nine timestamps (the four idle ones included: the sampler ran), from the raw text.
    const times = readFileSync(TEST01, 'utf8')
      .split('\n')
      .map((l) => /^\S.*? (\d+)\.(\d{6}):/.exec(l))
      .filter((m) => m !== null)
      .map((m) => (Number(m![1]) - 5076) * 1e6 + Number(m![2]))
      .sort((a, b) => a - b);
    expect(times).toHaveLength(9);
    const intervals = times.slice(1).map((t, k) => t - times[k]!).filter((d) => d > 0).sort((a, b) => a - b);
    const median = intervals.length % 2 === 1 ? intervals[intervals.length >> 1]! : (intervals[intervals.length / 2 - 1]! + intervals[intervals.length / 2]!) / 2;
    const doc = json([TEST01]);
    expect(doc.medianInterval).toBe(median / 1e6);
    expect(doc.gapThreshold).toBe((5 * median) / 1e6);
    const expected = times.slice(1).flatMap((t, k) => (t - times[k]! > 5 * median ? [{ from: times[k]! / 1e6, to: t / 1e6 }] : []));
    expect(doc.gaps).toEqual(expected);
    // One event: the same gaps for all events together.
    expect(doc.gapsAllEvents.gaps).toEqual(expected);
    // Samples every 5 to 10 s: no interval is 5× the median.
    expect(expected).toEqual([]);
    const longest = times.slice(1).reduce((best, t, k) => (t - times[k]! > best[1] - best[0] ? [times[k]!, t] : best), [0, 0]);
    expect(doc.largestInterval).toEqual({ from: longest[0]! / 1e6, to: longest[1]! / 1e6 });
    // --gap-threshold: every interval above 6 seconds.
    const wide = json([TEST01, '--gap-threshold', '6']);
    expect(wide.gapThreshold).toBe(6);
    const over6 = times.slice(1).flatMap((t, k) => (t - times[k]! > 6e6 ? [{ from: times[k]! / 1e6, to: t / 1e6 }] : []));
    expect(over6.length).toBeGreaterThan(0);
    expect(wide.gaps).toEqual(over6);
  });

  it('refuses a --gap-threshold that is not a positive number of seconds', () => {
    for (const bad of ['0', '-1', 'abc']) expectError([TEST01, `--gap-threshold=${bad}`], /--gap-threshold.*positive number of seconds/);
  });

  it('shows the event with the most samples by default, and another with --event', () => {
    const all = json([MIXED]);
    expect(all.event).toBe('instructions');
    expect(all.samples).toBe(333);
    const cycles = json([MIXED, '--event', 'cycles', '--idle', 'keep']);
    expect(cycles.event).toBe('cycles');
    expect(cycles.samples).toBe(111);
    expect(cycles.columns).toBe(all.columns);
  });

  it('takes --rows, --idle keep and --weight period', () => {
    const doc = json([TEST01, '--rows', '49', '--idle', 'keep']);
    expect(doc.rows).toBe(49);
    expect(doc.values[0]).toHaveLength(49);
    expect(doc.samples).toBe(9);
    const faults = json([corpus('perf', 'perf-java-faults-01.txt'), '--weight', 'period']);
    expect(faults.metric).toBe('period');
    expect(faults.unit).toBe('page-faults');
    const sum = faults.values.flat().reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(faults.total).toBe(sum);
    const periods = readFileSync(corpus('perf', 'perf-java-faults-01.txt'), 'utf8')
      .split('\n')
      .map((l) => /^\S.*?:\s+(\d+)\s+page-faults/.exec(l))
      .filter((m) => m !== null)
      .reduce((a, m) => a + Number(m![1]), 0);
    expect(periods).toBeGreaterThan(faults.samples);
    expect(sum).toBe(periods);
  });

  it('writes the same bytes every time, json and svg', () => {
    for (const format of ['json', 'svg']) {
      const a = runCli(['heatmap', PATTERN, '--format', format]);
      const b = runCli(['heatmap', PATTERN, '--format', format]);
      expect(a.status).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(1000);
      expect(a.stdout === b.stdout, format).toBe(true);
    }
  });

  it('writes to -o', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fs-heatmap-')), 'h.json');
    const r = runCli(['heatmap', TEST01, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).samples).toBe(5);
  });
});

describe('heatmap errors', () => {
  for (const bad of ['0', 'abc', '1001', '2.5', '-3']) {
    it(`--rows ${bad}`, () => expectError([TEST01, `--rows=${bad}`], /--rows.*1 to 1000/));
  }
  it('--event nosuch lists the events', () => expectError([MIXED, '--event', 'nosuch'], /unknown event "nosuch"; this profile has: instructions \(333 samples\), cycles \(\d+ samples\)$/));
  it('no timestamps says how to record them', () =>
    expectError([corpus('perf', 'perf-funcab-pid-01.txt')], /perf-funcab-pid-01\.txt: a heat map needs timestamps.*perf script -F \+time/));
  it('missing file', () => expectError([corpus('perf', 'nosuch.txt')], /nosuch\.txt: /));
  it('unknown format', () => expectError([TEST01, '--format', 'png'], /--format/));
});

describe('heatmap --format text', () => {
  it('draws R rows of cells, row 0 at the bottom, with both axes and a legend, no colour when asked', () => {
    const r = runCli(['heatmap', TEST01, '--format', 'text', '--color', 'never', '--rows', '10']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b/);
    const lines = r.stdout.split('\n');
    const cellLines = lines.filter((l) => l.includes('│'));
    expect(cellLines).toHaveLength(10);
    expect(cellLines[0]).toMatch(/^900 │/);
    expect(cellLines[9]).toMatch(/^ {2}0 │/);
    // The sample at 0 s + 100 ms is in row 1 (second line from the bottom), column 0.
    expect(cellLines[8]).toMatch(/^100 │@/);
    expect(lines.some((l) => /└┬────┬/.test(l))).toBe(true);
    expect(lines.some((l) => /^\s+0 {4}5 {4}10 {3}15.* s$/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/legend: 0 \.:-=\+\*#%@ 1 samples per cell \(cells from 1 to 1; blank: no samples; 0: sums to 0\)/);
    expect(lines[0]).toMatch(/perf\.test01 · event cpu-clock · metric samples · 5 samples/);
  });

  it('colours cells with 24-bit backgrounds with --color always, and not when piped by default', () => {
    const always = runCli(['heatmap', PATTERN, '--format', 'text', '--color', 'always']);
    expect(always.stdout).toMatch(/\x1b\[48;2;\d+;\d+;\d+m /);
    const auto = runCli(['heatmap', PATTERN, '--format', 'text']);
    expect(auto.stdout).not.toMatch(/\x1b/);
  });
});

describe('heatmap --format svg', () => {
  it('is well-formed XML with one rect per non-empty cell', () => {
    const doc = json([PATTERN, '--rows', '25']);
    const nonEmpty = doc.counts.flat().filter((n) => n !== 0).length;
    expect(nonEmpty).toBe(doc.values.flat().filter((v) => v !== null).length);
    const r = runCli(['heatmap', PATTERN, '--rows', '25', '--format', 'svg']);
    expect(r.status).toBe(0);
    const svg = parseSvg(r.stdout);
    expect(svg.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg.documentElement.tagName).toBe('svg');
    expect(svg.querySelectorAll('rect.cell')).toHaveLength(nonEmpty);
    const [source, facts] = Array.from(svg.querySelectorAll('text'), (t) => t.textContent);
    expect(source).toBe(PATTERN);
    expect(facts).toMatch(/^event cpu-clock:ppp · metric samples · 4767 samples · 25 rows of 40 ms per second · t0 = 749 s$/);
  });

  it('escapes a file name that is markup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-heatmap-'));
    const odd = join(dir, `a<b>&"c'.txt`);
    copyFileSync(TEST01, odd);
    const r = runCli(['heatmap', odd, '--format', 'svg']);
    expect(r.status).toBe(0);
    const svg = parseSvg(r.stdout);
    expect(svg.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg.querySelector('title')!.textContent).toContain(`a<b>&"c'.txt`);
  });

  it('escapes an event name, and so the unit of its period, that is markup; the JSON keeps it as text', () => {
    // No `/`: a slash would read as a PMU event (`cpu/cycles/`) and the unit would be the part between slashes.
    const event = `<script>alert(1)<b><title>"'&`;
    const file = join(mkdtempSync(join(tmpdir(), 'fs-heatmap-')), 'hostile.perf');
    writeFileSync(file, `app 7/7 [000] 100.000001: -5 ${event}:\n\tffffffff leaf (m)\n\napp 7/7 [000] 100.500001: 3 ${event}:\n\tffffffff leaf (m)\n\n`);
    const r = runCli(['heatmap', file, '--metric', 'period', '--format', 'svg']);
    expect(r.status).toBe(0);
    const svg = parseSvg(r.stdout);
    expect(svg.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg.getElementsByTagName('script')).toHaveLength(0);
    expect(svg.querySelector('title')!.textContent).toContain(`event ${event} · metric period (${event})`);
    const tips = Array.from(svg.querySelectorAll('rect.cell > title'), (t) => t.textContent);
    expect(tips).toEqual([`0 s + 0 ms: −5 ${event} (1 sample)`, `0 s + 500 ms: 3 ${event} (1 sample)`]);
    expect(Array.from(svg.querySelectorAll('text'), (t) => t.textContent).join('\n')).toContain(`5 ${event} per cell`);
    const json = JSON.parse(runCli(['heatmap', file, '--metric', 'period']).stdout) as HeatmapDoc;
    expect([json.event, json.unit, json.min, json.max]).toEqual([event, event, -5, 3]);
    const text = runCli(['heatmap', file, '--metric', 'period', '--format', 'text']).stdout;
    expect(text).toContain(`metric period (${event})`);
  });
});
