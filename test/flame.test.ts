// `flame`: totals against records counted straight from the raw text, the pattern workload's bands, folded
// output against `collapse`, and the SVG (well-formed, hostile names inert, zoom and search in jsdom).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildFlameTree, type FlameNode } from '../src/flamegraph/tree';
import { selectSamples } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import { coveredWeight, fitText, zoomRole } from '../src/render/flame-layout';
import { corpus, runCli } from './support/corpus';
import { resolveWeights } from '../src/model/metrics';


const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');

interface JsonNode {
  name: string;
  value: number;
  children: JsonNode[];
}

type FlameJson = JsonNode & { unit: string };

function flameJson(args: string[]): JsonNode & Record<string, unknown> {
  const r = runCli(['flame', '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** Record timestamps (µs, absolute) read from the raw text with a regex, independent of the parser. */
function rawTimestampsMicros(file: string): { micros: number[]; comms: string[] } {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const micros: number[] = [];
  const comms: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('\t') || line.trim() === '') continue;
    const m = /^(\S.*?)\s+\d+\s+(\d+)\.(\d{6}):\s/.exec(line);
    if (m === null) throw new Error(`unexpected header line: ${line}`);
    comms.push(m[1]!);
    micros.push(Number(m[2]) * 1e6 + Number(m[3]));
  }
  return { micros, comms };
}

/** The weight under frames whose name matches, each sample once (outermost match per path). */
function weightUnder(node: JsonNode, match: (name: string) => boolean): number {
  if (match(node.name)) return node.value;
  return node.children.reduce((sum, c) => sum + weightUnder(c, match), 0);
}

function checkSums(node: JsonNode, path: string): void {
  const sum = node.children.reduce((s, c) => s + c.value, 0);
  expect(node.value, `${path}`).toBeGreaterThanOrEqual(sum);
  const names = node.children.map((c) => c.name);
  expect(names, `${path} children sorted`).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const c of node.children) checkSums(c, `${path};${c.name}`);
}

describe('flame --format json totals', () => {
  const raw = rawTimestampsMicros(PATTERN);
  const t0 = Math.floor(Math.min(...raw.micros) / 1e6);

  it('the pattern file has one event and no idle samples, so every record counts', () => {
    expect(raw.micros).toHaveLength(4767);
    expect(raw.comms.filter((c) => c === 'swapper')).toHaveLength(0);
  });

  for (const [a, b] of [
    ['3.9', '4.15'],
    ['0', '1'],
    ['0.5', '0.56'],
    ['12.99', '13.01'],
    ['7.25', '9.75'],
    ['29.5', '40'],
  ] as const) {
    it(`[${a}, ${b}) has as many samples as records in the raw text`, () => {
      const start = t0 * 1e6 + Math.round(Number(a) * 1e6);
      const end = t0 * 1e6 + Math.round(Number(b) * 1e6);
      const expected = raw.micros.filter((t) => t >= start && t < end).length;
      const json = flameJson(['--from', a, '--to', b, PATTERN]);
      expect(json.value).toBe(expected);
      expect(json.name).toBe('all');
      expect(json).toMatchObject({ event: 'cpu-clock:ppp', metric: 'samples', unit: 'samples', groups: 'sign,comm', from: Number(a), to: Number(b), t0, samples: expected, without: 0 });
      checkSums(json, 'all');
    });
  }

  it('adjacent ranges never count a sample twice', () => {
    const whole = flameJson(['--from', '3', '--to', '5', PATTERN]).value;
    const left = flameJson(['--from', '3', '--to', '4.02', PATTERN]).value;
    const right = flameJson(['--from', '4.02', '--to', '5', PATTERN]).value;
    expect(left + right).toBe(whole);
  });

  it('value = self + children everywhere, on a Java profile and the idle-heavy system-wide one', async () => {
    for (const file of [corpus('perf', 'perf-java-stacks-01.txt'), corpus('perf', 'example-perf-stacks.txt.gz')]) {
      const profile = await readProfile(file);
      const samples = selectSamples(profile, { event: 0, idle: 'keep', range: null });
      const tree = buildFlameTree(profile, samples, { weights: resolveWeights(profile, 'period', 0), names: new FrameNames(profile, DEFAULT_NAMES) });
      const walk = (n: FlameNode): void => {
        expect(n.value).toBe(n.self + n.children.reduce((s, c) => s + c.value, 0));
        n.children.forEach(walk);
      };
      walk(tree);
      let total = 0;
      for (const i of samples) total += profile.metrics.find((m) => m.name === 'period')?.values[i] ?? 1;
      expect(tree.value).toBe(total);
      expect(tree.children.every((c) => c.kind === 'thread')).toBe(true);
    }
  });
});

describe('the pattern workload: each band shows the function that made it', () => {
  // node runs burnA in 0–200 ms of every second, burnB in 500–560 ms, python in 700–800 ms (corpus README).
  // From the second second on, V8's optimising compiler has inlined loop → phaseOne → burnA into the one
  // optimised function perf sees, `JS:*processImmediate` (the recording has no `JS:*burnA` after 2.2 s), so
  // the 0–200 ms band is burnA's work under that name; it runs only while the workload is busy, as the quiet
  // 300–500 ms band shows.
  const isBurnA = (n: string): boolean => n.includes('burnA');
  const isBurnAOptimised = (n: string): boolean => isBurnA(n) || n.startsWith('JS:*processImmediate ');

  it('second 1, before V8 optimises it: the 0–200 ms band is dominated by burnA by name', () => {
    const a = flameJson(['--from', '1', '--to', '1.2', PATTERN]);
    expect(weightUnder(a, isBurnA)).toBeGreaterThan(a.value / 2);
  });

  for (let s = 1; s <= 14; s++) {
    it(`second ${s}`, () => {
      const a = flameJson(['--from', `${s}`, '--to', `${s}.2`, PATTERN]);
      expect(weightUnder(a, isBurnAOptimised)).toBeGreaterThan(a.value / 2);
      expect(weightUnder(a, (n) => n.includes('burnB'))).toBe(0);
      const quiet = flameJson(['--from', `${s}.3`, '--to', `${s}.5`, PATTERN]);
      expect(weightUnder(quiet, isBurnAOptimised)).toBe(0);
      const p = flameJson(['--from', `${s}.7`, '--to', `${s}.8`, PATTERN]);
      const python = p.children.filter((c) => c.name.startsWith('python')).reduce((sum, c) => sum + c.value, 0);
      expect(python).toBeGreaterThan(p.value / 2);
      const b = flameJson(['--from', `${s}.5`, '--to', `${s}.56`, PATTERN]);
      expect(weightUnder(b, (n) => n.includes('burnB'))).toBeGreaterThan(b.value / 2);
      expect(weightUnder(b, isBurnA)).toBe(0);
    });
  }
});

describe('flame --format folded', () => {
  // The rule: `flame --format folded` folds the graph's tree. For a perf profile without signed weights or
  // category frames that is `collapse` with flame's defaults spelled out: the most frequent event, idle dropped,
  // each sample weighing 1.
  it('equals collapse --event-filter <most samples> --idle drop --weight samples over the same range', () => {
    const file = corpus('perf', 'example-perf-stacks.txt.gz');
    const flame = runCli(['flame', '--format', 'folded', '--from', '2', '--to', '6.5', file]);
    const coll = runCli(['collapse', '--event-filter', 'cycles', '--idle', 'drop', '--weight', 'samples', '--from', '2', '--to', '6.5', file]);
    expect(flame.status).toBe(0);
    expect(flame.stdout.length).toBeGreaterThan(0);
    expect(flame.stdout).toBe(coll.stdout);
    const total = flame.stdout.trim().split('\n').reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(total).toBe(flameJson(['--from', '2', '--to', '6.5', file]).value);
  });

  it('picks the event with the most samples, unlike collapse', () => {
    const file = corpus('perf', 'perf-cycles-instructions-01.txt');
    const flame = runCli(['flame', '--format', 'folded', '--weight', 'samples', file]);
    const total = flame.stdout.trim().split('\n').reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(total).toBe(333);
    expect(flameJson(['--event', 'cycles', '--idle', 'keep', file]).value).toBe(111);
  });
});

const HOSTILE = '</script><img src=x onerror=alert(1)>';

function hostileProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flamescope-flame-'));
  const file = join(dir, 'hostile.perf');
  const record = (t: string, leaf: string): string =>
    `evil<b> 42 100.${t}: 1 cpu-clock:\n` +
    `\tffffffff81000001 ${leaf} (/usr/bin/evil)\n` +
    `\tffffffff81000002 ]]> (/usr/bin/evil)\n` +
    `\tffffffff81000003 "'&<>x (/usr/bin/evil)\n` +
    `\tffffffff81000004 main (/usr/bin/evil)\n\n`;
  writeFileSync(file, record('000001', HOSTILE) + record('000002', HOSTILE) + record('000003', 'tiny'));
  return file;
}

function parseSvg(text: string): Document {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

const frameTitles = (doc: Document): string[] =>
  Array.from(doc.querySelectorAll('#frames > g > title')).map((t) => t.textContent ?? '');

describe('flame --format svg', () => {
  it('is well-formed, one <g> per frame, titled with the range and weight', () => {
    const r = runCli(['flame', '--from', '3.9', '--to', '4.15', '--title', 'Band <A>', PATTERN]);
    expect(r.status).toBe(0);
    const doc = parseSvg(r.stdout);
    const json = flameJson(['--from', '3.9', '--to', '4.15', PATTERN]);
    const pxPerUnit = (1200 - 20) / json.value;
    let wide = 0;
    const count = (n: JsonNode): void => {
      if (n.value * pxPerUnit < 0.1) return;
      wide++;
      n.children.forEach(count);
    };
    count(json);
    expect(doc.querySelectorAll('#frames > g')).toHaveLength(wide);
    expect(doc.getElementById('title')!.textContent).toBe('Band <A>');
    expect(doc.getElementById('subtitle')!.textContent).toBe('cpu-clock:ppp, width = samples, 3.9–4.15 s after t0, 76 samples, idle dropped');
    expect(frameTitles(doc)[0]).toBe('all (76 samples, 100.00%)');
  });

  it('escapes hostile frame names: they stay text, never markup or script', () => {
    const file = hostileProfile();
    const r = runCli(['flame', file]);
    expect(r.status).toBe(0);
    const doc = parseSvg(r.stdout);
    expect(doc.getElementsByTagName('img')).toHaveLength(0);
    expect(doc.getElementsByTagName('b')).toHaveLength(0);
    expect(doc.getElementsByTagName('script')).toHaveLength(1);
    const script = doc.getElementsByTagName('script')[0]!.textContent ?? '';
    expect(script).not.toMatch(/onerror|evil|\]\]>/);
    // Names as collapse prints them: arguments cut at the first `(`, quotes dropped.
    const titles = frameTitles(doc);
    expect(titles).toContain('evil<b> (3 samples, 100.00%)');
    expect(titles).toContain(']]> (3 samples, 100.00%)');
    expect(titles).toContain('&<>x (3 samples, 100.00%)');
    expect(titles).toContain('</script><img src=x onerror=alert (2 samples, 66.67%)');
    expect(r.stdout).not.toContain('<img');
    expect(runCli(['flame', '--format', 'json', file]).stdout).toContain('"name":"</script><img src=x onerror=alert"');
  });

  it('escapes category frames, units and group labels that carry markup, in SVG, JSON and folded text', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flamescope-flame-')), 'hostile-weighted.perf');
    // No `/`: a slash would read as a PMU event (`cpu/cycles/`) and the unit would be the part between slashes.
    const event = `<script>alert(1)<b><title>"'&`;
    const category = '(</title><svg onload=alert(2)>:"f\'/1)';
    const bucket = '[mem: <script>alert(3)</script>]';
    const comm = '<img/src=x/onerror=alert(4)>';
    const record = (t: string, period: number): string =>
      `${comm} 7/7 [000] 100.${t}: ${period} ${event}:\n\tffffffff leaf (m.erl)\n\tffffffff ${category} (m.erl)\n\tffffffff ${bucket} ([category])\n\n`;
    writeFileSync(file, record('000001', -5) + record('000002', 3));
    const svg = runCli(['flame', '--metric', 'period', file]);
    expect(svg.stderr).toBe('');
    const doc = parseSvg(svg.stdout);
    // Only our own elements: no <img>, one <svg>, a <title> per frame, the one inline script.
    expect(doc.getElementsByTagName('img')).toHaveLength(0);
    expect(doc.getElementsByTagName('svg')).toHaveLength(1);
    expect(doc.getElementsByTagName('title')).toHaveLength(frameTitles(doc).length);
    expect(doc.getElementsByTagName('script')).toHaveLength(1);
    expect(doc.getElementsByTagName('script')[0]!.textContent).not.toMatch(/alert/);
    const titles = frameTitles(doc);
    // The unit of a period is the event's name: it stays text in tooltips, the subtitle and the data attribute.
    expect(titles).toContain(`all (8 ${event}, 100.00%, net −2 ${event} = 3 positive − 5 negative, 2 samples)`);
    expect(titles).toContain(`${comm} (5 ${event}, 62.50%, net −5 ${event}, 1 sample)`);
    expect(titles).toContain(`${bucket} (3 ${event}, 37.50%, 1 sample)`);
    expect(titles).toContain(`${category} (3 ${event}, 37.50%, 1 sample)`);
    expect(doc.getElementById('subtitle')!.textContent).toContain(`width = Σ|period| (${event})`);
    expect(doc.documentElement.getAttribute('data-unit')).toBe(event);
    const json = JSON.parse(runCli(['flame', '--format', 'json', '--metric', 'period', file]).stdout) as FlameJson;
    expect(json.unit).toBe(event);
    expect(json.children.map((c) => c.name)).toEqual(['positive', 'negative']);
    expect(json.children[1]!.children[0]!.name).toBe(comm);
    expect(json.children[1]!.children[0]!.children[0]!.name).toBe(bucket);
    expect(json.children[1]!.children[0]!.children[0]!.children[0]!.name).toBe(category);
    const folded = runCli(['flame', '--format', 'folded', '--metric', 'period', file]).stdout;
    expect(folded).toBe(`negative;${comm};${bucket};${category};leaf 5\npositive;${comm};${bucket};${category};leaf 3\n`);
  });

  it('--minwidth drops narrow frames; output is byte-for-byte deterministic', () => {
    const base = runCli(['flame', PATTERN]).stdout;
    expect(runCli(['flame', PATTERN]).stdout).toBe(base);
    const coarse = parseSvg(runCli(['flame', '--minwidth', '5', PATTERN]).stdout);
    const fine = parseSvg(base);
    const widths = Array.from(coarse.querySelectorAll('#frames rect')).map((e) => Number(e.getAttribute('width')));
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(5);
    expect(coarse.querySelectorAll('#frames > g').length).toBeLessThan(fine.querySelectorAll('#frames > g').length);
  });

  it('--inverted puts the root at the top', () => {
    const y = (args: string[]): { root: number; child: number } => {
      const doc = parseSvg(runCli(['flame', ...args, PATTERN]).stdout);
      const rects = doc.querySelectorAll('#frames > g > rect');
      return { root: Number(rects[0]!.getAttribute('y')), child: Number(rects[1]!.getAttribute('y')) };
    };
    const normal = y([]);
    const inverted = y(['--inverted']);
    expect(normal.child).toBeLessThan(normal.root);
    expect(inverted.child).toBeGreaterThan(inverted.root);
  });

  it('colours frame kinds apart and does not depend on chance', () => {
    const doc = parseSvg(runCli(['flame', PATTERN]).stdout);
    const fills = new Map<string, string>();
    for (const g of Array.from(doc.querySelectorAll('#frames > g'))) {
      const name = (g.querySelector('title')!.textContent ?? '').replace(/ \([^(]*\)$/, '');
      fills.set(name, g.querySelector('rect')!.getAttribute('fill')!);
    }
    const red = (name: string): number => Number(/rgb\((\d+),(\d+),(\d+)\)/.exec(fills.get(name)!)![2]);
    // Kernel frames are orange (green channel ≥ 90), JIT frames green (green channel ≥ 200).
    expect(red('do_syscall_64')).toBeGreaterThanOrEqual(90);
    const jit = [...fills.keys()].find((n) => n.startsWith('JS:*burnA'))!;
    expect(red(jit)).toBeGreaterThanOrEqual(200);
    const green = runCli(['flame', '--colors', 'green', PATTERN]).stdout;
    expect(green).not.toBe(runCli(['flame', PATTERN]).stdout);
  });

  it('zoom and search work when the inline script runs (jsdom)', () => {
    const file = hostileProfile();
    let alerted = false;
    const dom = new JSDOM(runCli(['flame', file]).stdout, { contentType: 'image/svg+xml', runScripts: 'outside-only' });
    dom.window.alert = () => {
      alerted = true;
    };
    dom.window.prompt = () => 'onerror|tiny';
    const doc = dom.window.document;
    // jsdom does not run <script> in SVG documents; run the embedded one as a browser would.
    dom.window.eval(doc.getElementsByTagName('script')[0]!.textContent ?? '');
    const groups = Array.from(doc.querySelectorAll('#frames > g'));
    const byName = (prefix: string): Element => groups.find((g) => g.querySelector('title')!.textContent!.startsWith(prefix))!;
    const tiny = byName('tiny');
    tiny.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    expect(tiny.querySelector('rect')!.getAttribute('width')).toBe('1180.00');
    expect(byName('</script>').classList.contains('hide')).toBe(true);
    expect(byName('main').classList.contains('parent')).toBe(true);
    expect(doc.getElementById('unzoom')!.classList.contains('hide')).toBe(false);
    // Search: both leaves match; they do not nest, so 3 of 3 samples.
    doc.getElementById('search')!.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    expect(doc.getElementById('matched')!.textContent).toBe('Matched: 100.00%');
    expect(tiny.querySelector('rect')!.getAttribute('fill')).toBe('rgb(230,0,230)');
    dom.window.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Escape' }));
    expect(byName('</script>').classList.contains('hide')).toBe(false);
    expect(doc.getElementById('matched')!.textContent).toBe(' ');
    expect(alerted).toBe(false);
  });
});

describe('flame layout helpers', () => {
  it('coveredWeight counts nested matches once', () => {
    expect(coveredWeight([])).toBe(0);
    expect(coveredWeight([{ x: 0, w: 10, depth: 1 }, { x: 2, w: 3, depth: 2 }, { x: 12, w: 4, depth: 3 }])).toBe(14);
    expect(coveredWeight([{ x: 2, w: 3, depth: 5 }, { x: 0, w: 10, depth: 1 }])).toBe(10);
  });

  it('fitText truncates with .. and hides labels of slim frames', () => {
    expect(fitText('abc', 10)).toBe('');
    expect(fitText('short', 100)).toBe('short');
    expect(fitText('a_rather_long_function_name', 60)).toBe('a_rath..');
  });

  it('zoomRole: ancestors stay as bars, siblings hide', () => {
    const target = { x: 10, w: 5, depth: 3 };
    expect(zoomRole({ x: 0, w: 20, depth: 1 }, target)).toBe('ancestor');
    expect(zoomRole({ x: 11, w: 2, depth: 4 }, target)).toBe('inside');
    expect(zoomRole({ x: 16, w: 2, depth: 3 }, target)).toBe('hidden');
    expect(zoomRole({ x: 0, w: 5, depth: 2 }, target)).toBe('hidden');
  });
});

describe('flame errors: one line, non-zero exit, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['--from after --to', ['--from', '5', '--to', '3', PATTERN], /--from 5 is after --to 3/],
    ['--from past the end', ['--from', '9999', PATTERN], /--from 9999 is past the end of the profile \(the profile spans/],
    ['unknown event', ['--event', 'nosuch', PATTERN], /unknown event "nosuch"; this profile has: cpu-clock:ppp/],
    ['--from without timestamps', ['--from', '1', corpus('perf', 'perf-funcab-pid-01.txt')], /needs timestamps/],
    ['missing file', ['/nonexistent/perf.txt'], /^flamescope: \/nonexistent\/perf.txt: /],
    ['bad --minwidth', ['--minwidth', 'wide', PATTERN], /--minwidth/],
    ['bad --colors', ['--colors', 'rainbow', PATTERN], /--colors/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = runCli(['flame', ...args]);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^flamescope: /);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a file without timestamps gives the whole-profile graph', () => {
    const json = flameJson([corpus('perf', 'perf-funcab-pid-01.txt')]);
    expect(json.value).toBe(228);
    expect(json).toMatchObject({ from: null, to: null, t0: null });
  });
});
