// The report benchmark (issues 3 and 11): report size and `report` wall time, then in headless Chromium
// (Debian's chromium via playwright-core, 1400×1000 window) for each profile:
//   ready      navigation to `window.flamescope.ready` settling (performance.now() when it resolves)
//   1 s sel    `await window.flamescope.select(a, a + 1)` for five seconds spread over the recording
//   whole      `await window.flamescope.select(null, null)`
//   idle       a click on #idle (hide idle), until both panels are drawn again; clicked twice, both counted
//   drag       the mouse pressed on a heat-map cell and moved one cell at a time: each move, from the input's
//              timestamp to the end of the next frame; median and p95 over all moves
//   compare    (issue 8) a 1 s selection, then `await window.flamescope.compare('rest')`: the differential
//              flame graph of the selection against the rest of the profile, to the next frame
//   explain    (issue 8) a 1 s selection, then the Explain panel's ranking of it against the rest of the profile
//              (`window.flamescope.explain()`: frames, self and threads, each tested and adjusted), in-page time
//   who        (issue 9) a 1 s selection: the thread breakdown (`window.flamescope.breakdown('thread')`, in-page
//              time), then its busiest thread as a filter of both views (`who(spec)`), to the next frame
//   paint      (issue 9) the search for the whole profile's hottest function (exact name): from the worker's
//              answer to the heat map painted and the flame graph drawn (`search(text).drawnMs`)
//   keep       (issue 9) the same search in filter mode: both views rebuilt from the matching stacks
//   functions  (issue 9) the function table of the whole profile (`functions()`), in-page time
//   sandwich   (issue 9) the sandwich of that function (`sandwich(name)`), in-page time
//   reversed   (issue 9) the reversed graph of the whole profile switched on (`reverse(true)`), in-page time
//   metric     `await window.flamescope.metric('period')` on a page showing samples (issue 7): both views of
//              the other metric, the heat map rebuilt and a flame tree no cache holds, to the next frame
// (see bench/page-probes.js for exactly what "drawn" means). Every figure is the median over fresh pages.
// Profiles: the benchmark profile (big999, targets of issue 3), it repeated 10 times (no target), and the
// synthetic 1-hour (also at devicePixelRatio 2), 200,000-stack and 5,000-deep profiles of issue 11 (ready
// ≤ 1 s, any interaction ≤ 100 ms). A measurement that cannot be taken prints "n/a" with a numbered note
// saying why; it does not stop the rest.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { installProbes, recordReady } from './page-probes.js';
import { buildSyntheticProfiles } from './profiles.js';

const BIG999_TARGETS = { sizeMB: 1.5, reportWallS: 2, readyMs: 1000, secondMs: 100, wholeMs: 300, idleMs: 100, dragMs: 100, metricMs: 100, compareMs: 100, explainMs: 100, breakdownMs: 100, whoMs: 100, paintMs: 100, keepMs: 100, functionsMs: 100, sandwichMs: 100, reversedMs: 100 };
const ISSUE11_TARGETS = { readyMs: 1000, secondMs: 100, wholeMs: 100, idleMs: 100, dragMs: 100 };
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 1000 };
/** Upper bounds before a page counts as stuck (they are not targets). */
const READY_TIMEOUT_MS = 90000;
const STEP_TIMEOUT_MS = 60000;

/** Short names of the figures, for verdicts and notes. */
const LABELS = { sizeMB: 'size', reportWallS: 'wall', readyMs: 'ready', secondMs: '1 s sel', wholeMs: 'whole', idleMs: 'idle', dragMedianMs: 'drag med', dragP95Ms: 'drag p95', metricMs: 'metric', compareMs: 'compare', explainMs: 'explain', breakdownMs: 'breakdown', whoMs: 'who', paintMs: 'paint', keepMs: 'keep', functionsMs: 'functions', sandwichMs: 'sandwich', reversedMs: 'reversed' };

/** The report profiles, by the key `--profiles` takes. */
export const REPORT_PROFILES = ['big999', 'big999x10', 'hour', 'hour2x', 'stacks200k', 'deep5000'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

/** Writes `copies` copies of a perf script text, each shifted `shift` seconds later than the one before. */
export async function repeatShifted(text, out, copies, shift) {
  const sink = createWriteStream(out);
  const header = /^(\S.*?\s)(\d+)\.(\d+):/;
  for (let k = 0; k < copies; k++) {
    const lines = createInterface({ input: createReadStream(text), crlfDelay: Infinity });
    for await (const line of lines) {
      if (k > 0 && line.startsWith('#')) continue;
      const m = header.exec(line);
      const shifted = m === null ? line : `${m[1]}${Number(m[2]) + k * shift}.${m[3]}:${line.slice(m[0].length)}`;
      if (!sink.write(`${shifted}\n`)) await new Promise((r) => sink.once('drain', r));
    }
  }
  await new Promise((r) => sink.end(r));
}

/** A measurement that could not be taken. `broken`: the page failed (counts as a miss); else the bench could not look. */
class NotMeasured extends Error {
  constructor(why, broken, stuck = false) {
    super(why);
    this.broken = broken;
    this.stuck = stuck;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new NotMeasured(`${what} did not finish within ${ms / 1000} s`, true, true)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The value of an in-page step: a number, or { na } from the probes (nothing to measure with). */
function valueOf(result) {
  if (typeof result === 'number') return result;
  throw new NotMeasured(result?.na ?? `unexpected ${JSON.stringify(result)}`, false);
}

/** Seconds to select: big999's usual five, or five spread evenly over a longer or shorter recording. */
function selectionStarts(seconds, run) {
  const starts = seconds >= 54 && seconds <= 70 ? [5, 17, 29, 41, 53] : [1, 2, 3, 4, 5].map((k) => Math.floor((seconds * k) / 6));
  return starts.map((s) => s + (run % 3)).filter((s) => s >= 0 && s + 1 <= seconds);
}

/** One fresh page: every measurement of one run, each into `m[name]` as values or the reason it failed. */
async function measureRun(browser, html, { seconds, dpr, moves }, run, m) {
  const record = (name, value) => (m[name].values ??= []).push(value);
  const fail = (name, e) => {
    if (!(e instanceof NotMeasured)) e = new NotMeasured(String(e?.message ?? e).split('\n')[0], true);
    m[name].na ??= e;
  };
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: dpr });
  const errors = [];
  let pageDead = null;
  try {
    await context.addInitScript(recordReady);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e.message ?? e).split('\n')[0]));
    page.on('crash', () => (pageDead = 'the page crashed'));
    const step = async (name, fn) => {
      if (pageDead !== null) return fail(name, new NotMeasured(pageDead, true));
      try {
        await withTimeout(fn(), STEP_TIMEOUT_MS, name);
      } catch (e) {
        fail(name, e);
        if (e instanceof NotMeasured && e.stuck) pageDead = `the page was stuck in ${name}`;
      }
    };
    let ready = false;
    await step('ready', async () => {
      await page.goto(pathToFileURL(html).href, { waitUntil: 'commit', timeout: READY_TIMEOUT_MS });
      const handle = await page.waitForFunction(() => window.__benchReady, null, { timeout: READY_TIMEOUT_MS, polling: 20 }).catch(() => {
        throw new NotMeasured(`not ready within ${READY_TIMEOUT_MS / 1000} s${errors.length ? `: ${errors[0]}` : ''}`, true);
      });
      const settled = await handle.jsonValue();
      if (settled.error !== undefined) throw new NotMeasured(`ready failed: ${settled.error}`, true);
      record('ready', settled.at);
      await page.evaluate(installProbes);
      ready = true;
    });
    if (!ready) pageDead ??= 'the page never became ready';

    const select = (from, to) =>
      page.evaluate(
        async ([from, to]) => {
          if (typeof window.flamescope?.select !== 'function') return { na: 'no window.flamescope.select' };
          const t = performance.now();
          await window.flamescope.select(from, to);
          return performance.now() - t;
        },
        [from, to],
      );
    for (const s of selectionStarts(seconds, run)) await step('second', async () => record('second', valueOf(await select(s, s + 1))));
    await step('whole', async () => record('whole', valueOf(await select(null, null))));
    // The hide-idle box clicked twice (reports start with it on or off): two interactions, both counted.
    for (let k = 0; k < 2; k++) await step('idle', async () => record('idle', valueOf(await page.evaluate((q) => window.__bench.toggleIdle(q), 300))));
    await step('drag', async () => {
      for (const v of await drag(page, moves)) record('drag', v);
    });
    // Issue 8: a 1 s selection against the rest of the profile (the whole tree less the selection's), drawn.
    await step('compare', async () => {
      const [s] = selectionStarts(seconds, run);
      if (s === undefined) throw new NotMeasured('no 1 s selection fits', false);
      valueOf(await select(s, s + 1));
      const ms = await page.evaluate(async () => {
        if (typeof window.flamescope?.compare !== 'function') return { na: 'no window.flamescope.compare' };
        const t = performance.now();
        await window.flamescope.compare('rest');
        const end = await window.__bench.afterPaint();
        await window.flamescope.compare(null);
        return end - t;
      });
      record('compare', valueOf(ms));
    });
    // Issue 8: the Explain panel's ranking of a 1 s selection against the rest of the profile.
    await step('explain', async () => {
      const [s] = selectionStarts(seconds, run);
      if (s === undefined) throw new NotMeasured('no 1 s selection fits', false);
      valueOf(await select(s, s + 1));
      const ms = await page.evaluate(async () => {
        if (typeof window.flamescope?.explain !== 'function') return { na: 'no window.flamescope.explain' };
        return (await window.flamescope.explain()).ms;
      });
      record('explain', valueOf(ms));
    });
    // Issue 9: who ran a 1 s selection, and its busiest thread as a filter of both views.
    await step('breakdown', async () => {
      const [s] = selectionStarts(seconds, run);
      if (s === undefined) throw new NotMeasured('no 1 s selection fits', false);
      valueOf(await select(s, s + 1));
      const r = await page.evaluate(async () => {
        if (typeof window.flamescope?.breakdown !== 'function') return { na: 'no window.flamescope.breakdown' };
        const b = await window.flamescope.breakdown('thread');
        const busiest = b.rows[0];
        if (busiest === undefined) return { ms: b.ms, who: { na: 'no thread in the selection' } };
        const t = performance.now();
        await window.flamescope.who(busiest.spec);
        const who = (await window.__bench.afterPaint()) - t;
        await window.flamescope.who(null);
        return { ms: b.ms, who };
      });
      record('breakdown', valueOf(r.na === undefined ? r.ms : r));
      record('who', valueOf(r.na === undefined ? r.who : r));
    });
    // Issue 9: the whole profile's function table, the hottest function's sandwich, its search painted and kept,
    // and the reversed graph.
    await step('functions', async () => {
      valueOf(await select(null, null));
      const r = await page.evaluate(async () => {
        const api = window.flamescope;
        if (typeof api?.functions !== 'function') return { na: 'no window.flamescope.functions' };
        const table = await api.functions();
        const hottest = table.rows.find((row) => row.name !== '[no frames]');
        if (hottest === undefined) return { functions: table.ms, na: 'no function' };
        const sandwich = (await api.sandwich(hottest.name)).ms;
        await api.sandwich(null);
        const exact = `^${hottest.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
        const paint = (await api.search(exact, 'highlight')).drawnMs;
        const keep = (await api.search(exact, 'filter')).drawnMs;
        await api.search('', 'highlight');
        const reversed = (await api.reverse(true)).ms;
        await api.reverse(false);
        return { functions: table.ms, sandwich, paint, keep, reversed };
      });
      for (const name of ['functions', 'sandwich', 'paint', 'keep', 'reversed']) record(name, valueOf(r[name] ?? { na: r.na ?? 'not measured' }));
      // Back to a 1 s selection, as the metric switch has always been measured on.
      const [s] = selectionStarts(seconds, run);
      if (s !== undefined) valueOf(await select(s, s + 1));
    });
    // Last, on a page that has shown samples only: the switch to period finds nothing cached.
    await step('metric', async () => {
      const ms = await page.evaluate(async () => {
        if (typeof window.flamescope?.metric !== 'function') return { na: 'no window.flamescope.metric' };
        const t = performance.now();
        try {
          await window.flamescope.metric('period');
        } catch (e) {
          return { na: String(e?.message ?? e).split('\n')[0] };
        }
        return window.__bench.afterPaint().then((end) => end - t);
      });
      record('metric', valueOf(ms));
    });
  } finally {
    await context.close().catch(() => {});
  }
}

/** Presses the mouse on a heat-map cell and moves it `moves` cells on; resolves with each move's ms. */
async function drag(page, moves) {
  const g = await page.evaluate(() => window.__bench.geometry());
  if (g.na !== undefined) throw new NotMeasured(g.na, false);
  // Start in the middle of a long recording (the incident is rarely at the start), one cell on per move,
  // rows walking up so every move lands in a new cell.
  const span = Math.min(g.columns, moves + 1);
  const first = Math.max(0, Math.floor(g.columns / 2) - (span >> 1));
  const cell = (k) => [first + (k % span), (Math.floor(g.rows / 2) + k) % g.rows];
  const revealed = await page.evaluate((c) => window.__bench.reveal(c), first);
  if (revealed.na !== undefined) throw new NotMeasured(revealed.na, false);
  const point = async (k) => {
    const p = await page.evaluate(([c, r]) => window.__bench.cellPoint(c, r), cell(k));
    if (p.na !== undefined) throw new NotMeasured(p.na, false);
    return p;
  };
  const moved = async (x, y) => {
    const before = await page.evaluate(() => window.__bench.moves.length);
    await page.mouse.move(x, y);
    return valueOf(await page.evaluate((n) => window.__bench.move(n, 10000), before + 1));
  };
  const start = await point(0);
  await moved(start.x, start.y);
  await page.mouse.down();
  const times = [];
  try {
    for (let k = 1; k <= moves; k++) {
      const p = await point(k);
      times.push(await moved(p.x, p.y));
    }
  } finally {
    await page.mouse.up();
    await page.evaluate(() => window.__bench.afterPaint());
  }
  return times;
}

/** All runs of one profile in one browser; returns { ready, second, whole, idle, dragMedian, dragP95 } as numbers or NotMeasured. */
async function measurePage(chromium, html, options) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const m = { ready: {}, second: {}, whole: {}, idle: {}, drag: {}, metric: {}, compare: {}, explain: {}, breakdown: {}, who: {}, paint: {}, keep: {}, functions: {}, sandwich: {}, reversed: {} };
  try {
    for (let run = 0; run < options.runs; run++) await measureRun(browser, html, options, run, m);
  } finally {
    await browser.close().catch(() => {});
  }
  const pick = (name, f = median) => (m[name].values?.length ? f(m[name].values) : (m[name].na ?? new NotMeasured('not measured', false)));
  const partial = Object.entries(m).filter(([, v]) => v.values?.length && v.na).map(([k, v]) => `${k}: some runs failed: ${v.na.message}`);
  return {
    ready: pick('ready'),
    second: pick('second'),
    whole: pick('whole'),
    idle: pick('idle'),
    dragMedian: pick('drag'),
    dragP95: pick('drag', (xs) => percentile(xs, 95)),
    metric: pick('metric'),
    compare: pick('compare'),
    explain: pick('explain'),
    breakdown: pick('breakdown'),
    who: pick('who'),
    paint: pick('paint'),
    keep: pick('keep'),
    functions: pick('functions'),
    sandwich: pick('sandwich'),
    reversed: pick('reversed'),
    moves: m.drag.values?.length ?? 0,
    partial,
  };
}

/** `flamescope report` of one input: { html, sizeMB, wallS } or { failed }. */
function buildReport(cli, input, html, runs) {
  const walls = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'report', input, '-o', html], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return { failed: `report exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n')[0]}` };
    walls.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return { html, sizeMB: statSync(html).size / 1e6, wallS: median(walls) };
}

/**
 * Prints the report rows. `files.text` is the decompressed benchmark profile (only needed for big999x10);
 * `profiles` is the set of REPORT_PROFILES keys to run; `moves` the mouse moves per drag.
 */
export async function reportBenchmark(files, { cli, scratch, runs, out, pad, profiles = new Set(REPORT_PROFILES), moves = 30 }) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    out('report: skipped (playwright-core is not installed: npm ci)');
    return [];
  }
  const inputs = [];
  if (profiles.has('big999')) inputs.push({ key: 'big999', name: 'big999 (.gz)', file: files.gz, seconds: 61, runs, targets: BIG999_TARGETS });
  if (profiles.has('big999x10')) {
    const big10 = join(scratch, 'big10x.txt');
    out('report: building the 10x profile (big999 repeated 10 times, each copy shifted 61 s later)...');
    await repeatShifted(await files.text(), big10, 10, 61);
    inputs.push({ key: 'big999x10', name: 'big999 x10 (text)', file: big10, seconds: 610, runs: Math.min(runs, 3), targets: {} });
  }
  const synthKeys = new Set(['hour', 'stacks200k', 'deep5000'].filter((k) => profiles.has(k) || (k === 'hour' && profiles.has('hour2x'))));
  if (synthKeys.size > 0) {
    out('report: synthetic profiles (scripts/synth-profile.js, in the scratch directory; stacks = lines of `flamescope collapse`):');
    for (const p of await buildSyntheticProfiles({ cli, scratch, out, keys: synthKeys })) {
      const base = { file: p.file, seconds: p.seconds, runs: Math.min(runs, 3), targets: ISSUE11_TARGETS, synthetic: p };
      if (profiles.has(p.key)) inputs.push({ ...base, key: p.key, name: p.name });
      if (p.key === 'hour' && profiles.has('hour2x')) inputs.push({ ...base, key: 'hour2x', name: '1-hour @2x', dpr: 2, sameReportAs: 'hour' });
    }
  }
  const haveBrowser = existsSync(CHROMIUM);
  if (!haveBrowser) out(`report: ${CHROMIUM} is missing: browser timings skipped`);

  const cols = [
    ['size MB', 8],
    ['wall s', 7],
    ['ready ms', 9],
    ['1 s sel ms', 11],
    ['whole ms', 9],
    ['idle ms', 8],
    ['drag med', 9],
    ['drag p95', 9],
    ['metric ms', 10],
    ['compare ms', 11],
    ['explain ms', 11],
    ['bkdown ms', 10],
    ['who ms', 7],
    ['paint ms', 9],
    ['keep ms', 8],
    ['fn tbl ms', 10],
    ['sandw ms', 9],
    ['rev ms', 7],
  ];
  const row = (label, cells, verdict = '') => `${pad(label, 20)} ${cells.map((c, i) => pad(c, cols[i][1], true)).join(' ')}  ${verdict}`.trimEnd();
  const le = (x) => (x === undefined ? '' : `≤ ${x}`);
  const targetRow = (label, t) =>
    row(label, [le(t.sizeMB), le(t.reportWallS), le(t.readyMs), le(t.secondMs), le(t.wholeMs), le(t.idleMs), le(t.dragMs), le(t.dragMs), le(t.metricMs), le(t.compareMs), le(t.explainMs), le(t.breakdownMs), le(t.whoMs), le(t.paintMs), le(t.keepMs), le(t.functionsMs), le(t.sandwichMs), le(t.reversedMs)]);
  out();
  const head = row('report of', cols.map((c) => c[0]), 'verdict');
  out(head);
  out(targetRow('  targets big999', BIG999_TARGETS));
  out(targetRow('  targets issue 11', ISSUE11_TARGETS));
  out('-'.repeat(head.length + 10));

  const notes = [];
  const results = [];
  const built = new Map();
  for (const input of inputs) {
    const html = join(scratch, `${input.key}.html`);
    const report = input.sameReportAs ? built.get(input.sameReportAs) : buildReport(cli, input.file, html, input.runs);
    built.set(input.key, report);
    if (report === undefined || report.failed) {
      out(row(input.name, [], `FAILED: ${report?.failed ?? 'no report'}`));
      results.push({ name: input.name, failed: report?.failed ?? 'no report' });
      process.exitCode = 1;
      continue;
    }
    const page = haveBrowser ? await measurePage(chromium, report.html, { seconds: input.seconds, runs: input.runs, dpr: input.dpr ?? 1, moves }) : null;
    const t = input.targets;
    const figures = {
      sizeMB: [report.sizeMB, t.sizeMB, 2],
      reportWallS: [report.wallS, t.reportWallS, 2],
      readyMs: [page?.ready, t.readyMs, 0],
      secondMs: [page?.second, t.secondMs, 0],
      wholeMs: [page?.whole, t.wholeMs, 0],
      idleMs: [page?.idle, t.idleMs, 0],
      dragMedianMs: [page?.dragMedian, t.dragMs, 0],
      dragP95Ms: [page?.dragP95, t.dragMs, 0],
      metricMs: [page?.metric, t.metricMs, 0],
      compareMs: [page?.compare, t.compareMs, 0],
      explainMs: [page?.explain, t.explainMs, 0],
      breakdownMs: [page?.breakdown, t.breakdownMs, 0],
      whoMs: [page?.who, t.whoMs, 0],
      paintMs: [page?.paint, t.paintMs, 0],
      keepMs: [page?.keep, t.keepMs, 0],
      functionsMs: [page?.functions, t.functionsMs, 0],
      sandwichMs: [page?.sandwich, t.sandwichMs, 0],
      reversedMs: [page?.reversed, t.reversedMs, 0],
    };
    const missed = [];
    const unmeasured = [];
    const cells = Object.entries(figures).map(([name, [value, target, digits]]) => {
      const label = LABELS[name];
      if (value === undefined) return '-';
      if (value instanceof NotMeasured) {
        let n = notes.findIndex((x) => x.why === value.message && x.name === input.name);
        if (n === -1) n = notes.push({ name: input.name, what: [], why: value.message }) - 1;
        notes[n].what.push(label);
        if (target !== undefined) (value.broken ? missed : unmeasured).push(label);
        return `n/a[${n + 1}]`;
      }
      if (target !== undefined && !(value <= target)) missed.push(label);
      return value.toFixed(digits);
    });
    const verdict = Object.keys(t).length === 0
      ? '(no target)'
      : missed.length > 0
        ? `MISS (${missed.join(', ')})`
        : unmeasured.length > 0
          ? `INCOMPLETE (${unmeasured.join(', ')})`
          : 'PASS';
    out(row(input.name, cells, verdict));
    for (const p of page?.partial ?? []) notes.push({ name: input.name, what: [], why: p });
    const json = (v) => (v === undefined ? undefined : v instanceof NotMeasured ? `n/a (${v.message})` : Number(v.toFixed(3)));
    results.push({
      name: input.name,
      runs: input.runs,
      dpr: input.dpr ?? 1,
      ...(input.synthetic ? { profile: { flags: input.synthetic.flags, textBytes: input.synthetic.textBytes, samples: input.synthetic.samples, stacks: input.synthetic.stacks } } : {}),
      ...Object.fromEntries(Object.entries(figures).map(([k, [v]]) => [k, json(v)])),
      moves: page?.moves,
      verdict,
    });
  }
  if (notes.length > 0) {
    out();
    notes.forEach((n, i) => out(`  [${i + 1}] ${n.name}${n.what.length ? ` (${n.what.join(', ')})` : ''}: ${n.why}`));
  }
  out();
  out(`  drag: ${moves} moves a run, one cell each, mouse held; med/p95 over all moves of all runs; the verdict uses p95.`);
  out('  ready: navigation start to ready; others: in-page time to the end of the next frame (bench/page-probes.js).');
  out('  metric: samples → period, nothing cached (the first switch of a fresh page); median over runs.');
  out('  big999: runs as given; other profiles: at most 3 runs. 1-hour @2x: the same report at devicePixelRatio 2.');
  return results;
}
