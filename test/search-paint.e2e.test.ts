// The report's search painting the heat map, and its filter and exclude modes (issue 9), in headless Chromium.
// Expected cells and counts come from the raw perf script text (split here by code of our own) and from the CLI's
// flame totals of the same stack filter.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, openReport, overlayAlpha, reportsAndBrowser } from './support/browser';
import { corpus, runCli } from './support/corpus';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const BIG = corpus('recorded', 'perf.big999.txt.gz');
const dir = mkdtempSync(join(tmpdir(), 'flamescope-search-paint-'));
const pattern = join(dir, 'pattern.html');
const big = join(dir, 'big.html');
let browser: Browser;

/** The samples of the raw text: comm, column (seconds since the floor of the first timestamp), µs, frames. */
function rawSamples(file: string): { comm: string; column: number; micros: number; frames: string[] }[] {
  const parsed = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n\n')
    .map((r) => r.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const m = /^\s*(\S.*?)\s+\d+\s+(?:\[\d+\]\s+)?(\d+)\.(\d{6}):/.exec(lines[0]!)!;
      return { comm: m[1]!, seconds: Number(m[2]), micros: Number(m[3]), frames: lines.slice(1) };
    });
  const t0 = Math.min(...parsed.map((s) => s.seconds));
  return parsed.map((s) => ({ comm: s.comm, column: s.seconds - t0, micros: s.micros, frames: s.frames }));
}

/** The CLI's flame graph total (samples, idle dropped as the report does by default) under some options. */
function flameSamples(file: string, args: string[]): number {
  const r = runCli(['flame', file, '--format', 'json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { samples: number }).samples;
}

beforeAll(async () => {
  browser = await reportsAndBrowser([
    [PATTERN, pattern],
    [BIG, big],
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('search paints the heat map (pattern499)', () => {
  const raw = rawSamples(PATTERN);
  const burn = raw.filter((s) => s.frames.some((f) => f.includes('burnB')));

  it('burnB paints exactly the cells where the raw text has burnB samples: 500–560 ms of seconds 1–15, nothing at 0–200 ms', async () => {
    const { page, errors, requests } = await openReport(browser, pattern);
    const painted = await page.evaluate(() => window.flamescope.search('burnB'));
    const expected = new Map<string, number>();
    for (const s of burn) {
      const key = `${s.column},${Math.floor((s.micros * 50) / 1e6)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(painted.cells.map((c) => [`${c.column},${c.row}`, c.matched]))).toEqual(expected);
    // Where (t0 is the floor of the first sample, 749 s; the workload began at 749.518 s: bursts in columns 1–15).
    const heavy = painted.cells.filter((c) => c.matched >= 3);
    expect(new Set(heavy.map((c) => c.column))).toEqual(new Set(Array.from({ length: 15 }, (_, i) => i + 1)));
    expect(heavy.every((c) => c.row >= 25 && c.row <= 27)).toBe(true);
    expect(painted.cells.filter((c) => c.row < 10)).toEqual([]);
    // Shaded by the matched share: a full cell is stronger than a cell where burnB is one sample of several.
    expect(painted.matched).toBe(burn.length);
    expect(painted.note).toContain(`Search /burnB/: matched ${burn.length} of ${painted.of.toLocaleString('en-US')} samples`);
    // The flame graph's own status stays.
    expect(painted.status).toMatch(new RegExp(`^matched ${burn.length} of `));
    // The paint is on the canvas: ink on a painted cell, none on an unpainted one.
    expect(await overlayAlpha(page, 8, 26)).toBeGreaterThan(100);
    expect(await overlayAlpha(page, 8, 5)).toBe(0);
    expect(await overlayAlpha(page, 20, 26)).toBe(0);
    // The cell's tooltip says how many of its samples match.
    const point = await cellPoint(page, 8, 26);
    await page.mouse.move(point.x, point.y);
    const cell = painted.cells.find((c) => c.column === 8 && c.row === 26)!;
    expect(cell.matched).toBe(expected.get('8,26'));
    await page.waitForFunction(() => !(document.querySelector('#heatmap .tooltip') as HTMLElement).hidden);
    expect(await page.locator('#heatmap .tooltip').textContent()).toMatch(new RegExp(`; ${cell.matched} of ${cell.samples} match the search$`));
    // Painting follows the rows: at 10 rows, 500–560 ms is row 5.
    await page.selectOption('#rows', '10');
    const ten = await page.evaluate(() => window.flamescope.searched());
    expect(ten.cells.filter((c) => c.matched >= 3).every((c) => c.row === 5)).toBe(true);
    expect(ten.cells.reduce((sum, c) => sum + c.matched, 0)).toBe(burn.length);
    // And the metric: under period the same samples are painted (each weighs its period, the cells stay).
    await page.evaluate(() => window.flamescope.metric('period'));
    const period = await page.evaluate(() => window.flamescope.searched());
    expect(period.cells.map((c) => [c.column, c.row, c.matched])).toEqual(ten.cells.map((c) => [c.column, c.row, c.matched]));
    await page.evaluate(() => window.flamescope.metric('samples'));
    // A who-filter the search does not match empties the painting; clearing the search removes it.
    await page.evaluate(() => window.flamescope.who({ comm: 'python' }));
    expect((await page.evaluate(() => window.flamescope.searched())).cells).toEqual([]);
    await page.evaluate(() => window.flamescope.who(null));
    const cleared = await page.evaluate(() => window.flamescope.search(''));
    expect(cleared.cells).toEqual([]);
    expect(cleared.note).toBe('');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('filter and exclude change both views: totals are the CLI flame totals of --with-frame / --without-frame', async () => {
    const { page, errors } = await openReport(browser, pattern);
    const withB = flameSamples(PATTERN, ['--with-frame', 'burnB']);
    const withoutB = flameSamples(PATTERN, ['--without-frame', 'burnB']);
    expect(withB).toBe(burn.length);
    const filtered = await page.evaluate(() => window.flamescope.search('burnB', 'filter'));
    expect(filtered.shown.samples).toBe(withB);
    expect(filtered.heatmapSamples).toBe(withB);
    expect(filtered.cells).toEqual([]);
    const all = (withB + withoutB).toLocaleString('en-US');
    const pct = ((100 * withB) / (withB + withoutB)).toFixed(1);
    expect(filtered.of).toBe(withB + withoutB);
    expect(filtered.note).toBe(`Search /burnB/ filters both views to the ${withB} of ${all} samples (${pct}%) whose stack matches.`);
    expect(await page.locator("#selection").textContent()).toBe(`Whole profile: ${withB.toLocaleString("en-US")} samples`);
    const excluded = await page.evaluate(() => window.flamescope.search('burnB', 'exclude'));
    expect(excluded.shown.samples).toBe(withoutB);
    expect(excluded.heatmapSamples).toBe(withoutB);
    expect(excluded.note).toBe(`Search /burnB/ drops from both views the ${withB} of ${all} samples (${pct}%) whose stack matches: ${withoutB.toLocaleString('en-US')} left.`);
    // A range under the filter: the CLI's --from/--to of the same filter.
    await page.evaluate(() => window.flamescope.search('burnB', 'filter'));
    const ranged = await page.evaluate(() => window.flamescope.select(3, 9));
    expect(ranged.samples).toBe(flameSamples(PATTERN, ['--with-frame', 'burnB', '--from', '3', '--to', '9']));
    // Back to highlight: everything is shown again, and painted.
    await page.evaluate(() => window.flamescope.select(null, null));
    const back = await page.evaluate(() => window.flamescope.search('burnB', 'highlight'));
    expect(back.shown.samples).toBe(withB + withoutB);
    expect(back.cells.length).toBeGreaterThan(15);
    // The mode menu does the same as the API.
    await page.selectOption('#search-mode', 'exclude');
    await page.waitForFunction((n) => document.querySelector("#selection")!.textContent === `Whole profile: ${n} samples`, withoutB.toLocaleString("en-US"));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the permalink carries the search and its mode; a link opens filtered', async () => {
    const { page, errors } = await openReport(browser, pattern);
    await page.evaluate(() => window.flamescope.search('burnB', 'exclude'));
    expect(await page.evaluate(() => location.hash)).toBe('#search=burnB&mode=exclude');
    await page.evaluate(() => window.flamescope.search('burnB', 'highlight'));
    expect(await page.evaluate(() => location.hash)).toBe('#search=burnB');
    await page.close();
    const opened = await openReport(browser, pattern, '#search=burnB&mode=filter');
    expect(await opened.page.locator('#search-mode').inputValue()).toBe('filter');
    await opened.page.waitForFunction(() => /filters both views/.test(document.querySelector('#heatmap .hm-match')?.textContent ?? ''));
    const state = await opened.page.evaluate(() => window.flamescope.searched());
    expect(state.shown.samples).toBe(burn.length);
    // A hostile mode is ignored: highlight.
    await opened.page.evaluate(() => {
      location.hash = '#search=burnB&mode=%3Cimg%20src%3Dx%3E';
    });
    await opened.page.waitForFunction(() => (document.querySelector('#search-mode') as HTMLSelectElement).value === 'highlight');
    expect(errors.concat(opened.errors)).toEqual([]);
    await opened.page.close();
  });

  it('a catastrophic pattern in filter mode never blocks the page: clicks answered at once, then "too slow" and no filter', async () => {
    // (.*a){12}$ backtracks for minutes over these names (see flame-view.e2e.test.ts).
    const { page, errors } = await openReport(browser, pattern, '#search=(.*a){12}%24&mode=filter');
    await page.waitForFunction(() => document.querySelector('.fg-matched')!.textContent === 'searching…', undefined, { timeout: 10_000 });
    const delay = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const button = document.querySelector<HTMLButtonElement>('#reset-zoom')!;
          button.addEventListener('click', (e) => resolve(performance.now() - e.timeStamp), { once: true });
          setTimeout(() => button.click(), 0);
        }),
    );
    expect(delay).toBeLessThan(200);
    // A real mouse click too, while the worker still runs.
    const box = (await page.locator('#whole').boundingBox())!;
    const t = Date.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    expect(Date.now() - t).toBeLessThan(1000);
    await page.waitForFunction(() => /too slow/.test(document.querySelector('.fg-matched')!.textContent ?? ''), undefined, { timeout: 10_000 });
    const state = await page.evaluate(() => window.flamescope.searched());
    // No answer: nothing filtered, nothing painted.
    const all = flameSamples(PATTERN, []);
    expect(state.shown.samples).toBe(all);
    expect(state.heatmapSamples).toBe(all);
    expect(state.cells).toEqual([]);
    // Exclude mode, from the API, after a burnB exclusion: the page answers while the worker runs, and a pattern
    // without an answer drops nothing.
    await page.evaluate(() => window.flamescope.search('burnB', 'exclude'));
    const pending = page.evaluate(() => window.flamescope.search('(.*a){12}$', 'exclude'));
    await page.waitForFunction(() => document.querySelector('.fg-matched')!.textContent === 'searching…', undefined, { timeout: 10_000 });
    const during = await page.evaluate(() => {
      const t = performance.now();
      return window.flamescope.select(3, 4).then(() => performance.now() - t);
    });
    expect(during).toBeLessThan(1000);
    const slow = await pending;
    expect(slow.status).toMatch(/too slow/);
    expect(slow.shown.samples).toBe(flameSamples(PATTERN, ['--from', '3', '--to', '4']));
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});

describe('big999: painting and filtering answer in ≤ 100 ms after the worker', () => {
  it('highlight, filter and exclude each apply within 100 ms on the page thread', async () => {
    const { page, errors } = await openReport(browser, big);
    const runs: Record<string, number[]> = { highlight: [], filter: [], exclude: [], filterSmall: [] };
    /** The same, to the end of the next frame (the flame graph's canvas drawn; includes waiting for the frame). */
    const drawn: Record<string, number[]> = { highlight: [], filter: [], exclude: [], filterSmall: [] };
    // Three rounds: the median of each mode is asserted (CI machines are 2-core and shared: one run can stall).
    for (let round = 0; round < 3; round++) {
      for (const mode of ['highlight', 'filter', 'exclude'] as const) {
        // JS:* frames are in 71,402 of 77,158 samples: filter mode keeps nearly all, exclude drops nearly all.
        const state = await page.evaluate((m) => window.flamescope.search('JS:\\*', m), mode);
        expect(state.matched).toBe(71_402);
        runs[mode]!.push(state.applyMs);
        drawn[mode]!.push(state.drawnMs);
      }
      // A different answer each round (leafMath, then back): flags made again, a new filter.
      const small = await page.evaluate(() => window.flamescope.search('leafMath', 'filter'));
      runs.filterSmall!.push(small.applyMs);
      drawn.filterSmall!.push(small.drawnMs);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!;
    const round1 = (_: string, v: unknown): unknown => (typeof v === 'number' ? Math.round(v * 10) / 10 : v);
    console.log(`big999: ms on the page thread from the worker's answer to both views updated: ${JSON.stringify(runs, round1)}; to the next frame drawn: ${JSON.stringify(drawn, round1)}`);
    for (const xs of Object.values(runs)) expect(median(xs)).toBeLessThanOrEqual(100);
    for (const xs of Object.values(drawn)) expect(median(xs)).toBeLessThanOrEqual(100);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
