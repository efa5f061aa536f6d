// The report's flame graph panel in real headless Chromium: a catastrophic search pattern (typed, or given by
// a link) never freezes the page; Enter steps through matches; the case toggle; a 10,000-deep graph drawn at
// devicePixelRatio 2 (pixels checked); the root in view after a drag on a 1400×900 window; the keyboard.
// Expected figures come from `flamescope flame --format json`, walked here, never from the page's code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { cellPoint, launch } from './support/browser';
import { corpus, runCli } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-flame-view-'));
const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const pattern = join(dir, 'pattern.html');
const cxx = join(dir, 'cxx.html');
const deepText = join(dir, 'deep.txt');
const deep = join(dir, 'deep.html');
const ROW = 17;

interface JsonNode {
  name: string;
  value: number;
  children: JsonNode[];
}

/** The CLI's call tree of [from, to) (the whole profile without a range). */
function cliTree(file: string, range: [string, string] | null): JsonNode {
  const r = runCli(['flame', file, ...(range === null ? [] : ['--from', range[0], '--to', range[1]]), '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonNode;
}

/** The tree's frames below the root in pre-order (callers first, children in the JSON's order), iteratively. */
function preOrder(root: JsonNode): JsonNode[] {
  const out: JsonNode[] = [];
  const pending = [...root.children].reverse();
  while (pending.length > 0) {
    const node = pending.pop()!;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
  }
  return out;
}

/** flamegraph.pl's "Matched": the weight of the outermost matching frames. */
function matchedWeight(root: JsonNode, re: RegExp): number {
  let sum = 0;
  const pending = [...root.children];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (re.test(node.name)) sum += node.value;
    else pending.push(...node.children);
  }
  return sum;
}

interface Opened {
  page: Page;
  errors: string[];
}

/** Opens a report at a given window size and pixel ratio and waits for `flamescope.ready`. */
async function open(browser: Browser, file: string, options: { hash?: string; width?: number; height?: number; ratio?: number } = {}): Promise<Opened> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    deviceScaleFactor: options.ratio ?? 1,
  });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href + (options.hash ?? ''));
  await page.evaluate(() => window.flamescope.ready);
  return { page, errors };
}

const status = (page: Page): Promise<string> => page.locator('.fg-matched').evaluate((el) => el.textContent ?? '');
const step = (page: Page): Promise<string> => page.locator('.fg-step').evaluate((el) => el.textContent ?? '');
const focused = (page: Page): Promise<string> => page.locator('.fg-canvas').evaluate((el) => (el as HTMLElement).dataset.focused ?? '');

/** Waits until the search status line matches. */
async function statusMatching(page: Page, re: RegExp, timeout = 10_000): Promise<string> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('.fg-matched')!.textContent ?? ''), re.source, {
    timeout,
  });
  return status(page);
}

/**
 * Clicks a button with the real mouse and returns how long the page took to run its click handler, measured in
 * the page (handler time − event time), with the search status at that moment. Throws if no answer in 5 s.
 */
async function clickDelay(page: Page, selector: string): Promise<{ delay: number; status: string }> {
  await page.evaluate((selector) => {
    const w = window as unknown as { clicked?: { delay: number; status: string } };
    delete w.clicked;
    document.querySelector(selector)!.addEventListener(
      'click',
      (e) => {
        w.clicked = { delay: performance.now() - e.timeStamp, status: document.querySelector('.fg-matched')!.textContent ?? '' };
      },
      { once: true },
    );
  }, selector);
  const box = (await page.locator(selector).boundingBox())!;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the page did not answer a click within 5 s')), 5000));
  await Promise.race([page.mouse.click(box.x + box.width / 2, box.y + box.height / 2), timeout]);
  const answer = page.waitForFunction(() => (window as unknown as { clicked?: unknown }).clicked, undefined, { timeout: 5000 });
  await Promise.race([answer, timeout]);
  return page.evaluate(() => (window as unknown as { clicked: { delay: number; status: string } }).clicked);
}

/** The colour of one device pixel of the flame canvas, at CSS coordinates inside it. */
async function canvasPixel(page: Page, x: number, y: number): Promise<[number, number, number, number]> {
  return page.locator('.fg-canvas').evaluate(
    (el, [x, y]) => {
      const canvas = el as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      const d = canvas.getContext('2d')!.getImageData(Math.floor(x! * ratio), Math.floor(y! * ratio), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]!] as [number, number, number, number];
    },
    [x, y],
  );
}

/** Waits for the next two animation frames (a scroll's redraw). */
const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

let browser: Browser;

beforeAll(async () => {
  expect(runCli(['report', PATTERN, '-o', pattern]).status).toBe(0);
  // Long C++ names holding a run of 40 `a`: `(a+)+$` backtracks 2^40 times on each.
  const name = (k: number) => `ns::detail::Buffer<std::basic_string<char>, ${'a'.repeat(40)}${k}>::grow_${k}(unsigned long)+0x1${k}`;
  const records: string[] = [];
  for (let i = 0; i < 40; i++) {
    records.push(`app 77 [000] ${(100 + i / 10).toFixed(6)}: 1 cpu-clock:`, `\t7f00000010${i % 4} ${name(i % 4)} (/usr/bin/app)`, '\t7f0000000000 main+0x5 (/usr/bin/app)', '');
  }
  writeFileSync(join(dir, 'cxx.txt'), records.join('\n'));
  expect(runCli(['report', join(dir, 'cxx.txt'), '-o', cxx]).status).toBe(0);
  // 10,000-deep recursion, 10 samples.
  await writeSynthProfile(deepText, { seconds: 1, hz: 10, depth: 10_000 });
  const r = runCli(['report', deepText, '-o', deep]);
  expect(r.status, r.stderr).toBe(0);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('search never blocks the page', () => {
  it('a catastrophic pattern typed over long C++ names: clicks answered at once, then "too slow"', async () => {
    const { page, errors } = await open(browser, cxx);
    await page.locator('#search').fill('(a+)+$');
    // The worker is backtracking, and the page says so.
    await statusMatching(page, /^searching…$/);
    const click = await clickDelay(page, '#reset-zoom');
    expect(click.status).toBe('searching…');
    expect(click.delay).toBeLessThan(200);
    expect(await statusMatching(page, /too slow/)).toMatch(/^pattern too slow/);
    // No highlight, and the next search works (a fresh worker).
    expect(await step(page)).toBe('');
    await page.locator('#search').fill('grow_2');
    expect(await statusMatching(page, /^matched/)).toBe('matched 10 of 40 samples (25.00%)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a catastrophic pattern given by a link: the page opens, answers clicks, and says "too slow"', async () => {
    const { page, errors } = await open(browser, pattern, { hash: '#search=(.*a){12}%24' });
    expect(await page.locator('#search').inputValue()).toBe('(.*a){12}$');
    await statusMatching(page, /^searching…$/);
    const click = await clickDelay(page, '#reset-zoom');
    expect(click.status).toBe('searching…');
    expect(click.delay).toBeLessThan(200);
    expect(await statusMatching(page, /too slow/)).toMatch(/^pattern too slow/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('search', () => {
  const range: [string, string] = ['3', '4'];
  const tree = cliTree(PATTERN, range);
  const total = tree.value;
  const percent = (m: number) => `${((100 * m) / total).toFixed(2)}%`;
  const all = preOrder(tree);

  it('Enter and Shift+Enter step through the matches in layout order, wrapping around', async () => {
    const expected = all.filter((n) => /run/.test(n.name)).map((n) => n.name);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    // Every frame of this range is wider than a pixel, so every match is drawn.
    expect(Math.min(...all.map((n) => n.value)) / total).toBeGreaterThan(1 / 1000);
    const { page, errors } = await open(browser, pattern, { hash: `#from=${range[0]}&to=${range[1]}` });
    await page.locator('#search').fill('run');
    await statusMatching(page, /^matched/);
    expect(await step(page)).toBe(`${expected.length} matches`);
    const seen: string[] = [];
    for (let k = 1; k <= expected.length; k++) {
      await page.locator('#search').press('Enter');
      expect(await step(page)).toBe(`match ${k} of ${expected.length}`);
      seen.push(await focused(page));
    }
    expect(seen).toEqual(expected);
    await page.locator('#search').press('Enter');
    expect(await step(page)).toBe(`match 1 of ${expected.length}`);
    await page.locator('#search').press('Shift+Enter');
    expect(await step(page)).toBe(`match ${expected.length} of ${expected.length}`);
    expect(await focused(page)).toBe(expected[expected.length - 1]);
    // The search box keeps the focus, so Enter can be pressed again and again.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the ignore-case toggle changes the matched samples and frames as the CLI tree says', async () => {
    // `entry_SYSCALL_64…` matches either way; `Builtins_JSEntry…` only when case is ignored.
    const sensitive = matchedWeight(tree, /entry/);
    const insensitive = matchedWeight(tree, /entry/i);
    expect(insensitive).toBeGreaterThan(sensitive);
    const { page } = await open(browser, pattern, { hash: `#from=${range[0]}&to=${range[1]}` });
    await page.locator('#search').fill('entry');
    expect(await statusMatching(page, /^matched/)).toBe(`matched ${sensitive} of ${total} samples (${percent(sensitive)})`);
    expect(await step(page)).toBe(`${all.filter((n) => /entry/.test(n.name)).length} matches`);
    await page.locator('#search-ignore-case').check();
    expect(await statusMatching(page, new RegExp(`^matched ${insensitive} `))).toBe(
      `matched ${insensitive} of ${total} samples (${percent(insensitive)})`,
    );
    expect(await step(page)).toBe(`${all.filter((n) => /entry/i.test(n.name)).length} matches`);
    await page.locator('#search').fill('ENTRY');
    expect(await statusMatching(page, new RegExp(`^matched ${insensitive} `))).toContain(`matched ${insensitive} of`);
    await page.locator('#search-ignore-case').uncheck();
    expect(await statusMatching(page, /^matched 0 /)).toBe(`matched 0 of ${total} samples (0.00%)`);
    expect(await step(page)).toBe('no match');
    await page.close();
  });
});

describe('a 10,000-deep flame graph', () => {
  it('renders at devicePixelRatio 2 on a canvas no larger than its viewport, root to leaf', async () => {
    const { page, errors } = await open(browser, deep, { ratio: 2 });
    const geometry = await page.locator('.fg-canvas').evaluate((el) => {
      const c = el as HTMLCanvasElement;
      return { width: c.width, height: c.height, cssHeight: c.clientHeight, depth: Number(c.dataset.depth), scrollHeight: c.parentElement!.scrollHeight };
    });
    // all, worker, __libc_start_call_main, main, 10,000 × recurse, the leaf.
    expect(geometry.depth).toBe(10_005);
    expect(geometry.scrollHeight).toBe(10_005 * ROW);
    expect(geometry.height).toBe(geometry.cssHeight * 2);
    expect(geometry.height).toBeLessThanOrEqual(900 * 2);
    // The root row at the bottom of the visible area: the root's grey, not a blank canvas.
    const [r0, g0, b0, a0] = await canvasPixel(page, 10, geometry.cssHeight - ROW / 2);
    expect(a0).toBe(255);
    expect(r0).toBe(g0);
    expect(g0).toBe(b0);
    expect(r0).toBeGreaterThanOrEqual(190);
    // Ten rows up: a recurse frame, a warm user colour.
    const [r1, g1, b1, a1] = await canvasPixel(page, 10, geometry.cssHeight - 10 * ROW - ROW / 2);
    expect(a1).toBe(255);
    expect(r1).toBeGreaterThan(b1);
    expect(g1).toBeGreaterThan(b1);
    // Scrolled to the top, the leaves are drawn (and hit-testing finds them).
    await page.locator('.fg-body').evaluate((el) => (el.scrollTop = 0));
    await frames(page);
    expect((await canvasPixel(page, 10, ROW / 2))[3]).toBe(255);
    const box = (await page.locator('.fg-canvas').boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + ROW / 2);
    expect(await page.locator('#flamegraph .tooltip').textContent()).toMatch(/^leaf_\d+[\d,]+ samples? · [\d.]+% of all$/);
    // Zooming into a frame 5,000 deep keeps the breadcrumbs short.
    await page.locator('.fg-body').evaluate((el, y) => (el.scrollTop = y), 5000 * ROW);
    await frames(page);
    await page.mouse.click(box.x + 10, box.y + 100);
    expect(await page.locator('.fg-crumbs .crumb').count()).toBe(12);
    expect(await page.locator('.fg-crumbs').textContent()).toMatch(/… [\d,]+ frames …/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('layout on a 1400×900 window', () => {
  it('after a drag on the heat map the root row is in view without scrolling, and ↑ heat map goes back', async () => {
    const { page } = await open(browser, pattern, { width: 1400, height: 900 });
    const from = await cellPoint(page, 3, 25);
    const to = await cellPoint(page, 3, 27);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    expect(await page.locator('#selection').textContent()).toMatch(/^3\.5–3\.56 s/);
    const root = await page.locator('.fg-body').evaluate((el) => {
      const rect = el.getBoundingClientRect();
      // Flame orientation: the root is the bottom row of the scrolled content.
      const top = rect.top + el.clientTop + el.scrollHeight - 17 - el.scrollTop;
      return { top, bottom: top + 17, height: window.innerHeight };
    });
    expect(root.top).toBeGreaterThanOrEqual(0);
    expect(root.bottom).toBeLessThanOrEqual(root.height);
    // What is drawn there is the root frame.
    const canvasTop = (await page.locator('.fg-canvas').boundingBox())!.y;
    const [r, g, b, a] = await canvasPixel(page, 10, root.top - canvasTop + ROW / 2);
    expect([a, r === g && g === b]).toEqual([255, true]);
    // The heat map is a click away.
    await page.locator('#to-heatmap').click();
    const heatmapTop = await page.locator('#heatmap').evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(heatmapTop)).toBeLessThan(2);
    await page.close();
  });
});

describe('keyboard', () => {
  it('arrows move a focused frame, Enter zooms in, Esc zooms out and keeps the selection', async () => {
    const tree = cliTree(PATTERN, ['3', '4']);
    const widest = (n: JsonNode): JsonNode => n.children.reduce((best, c) => (c.value > best.value ? c : best));
    const thread = widest(tree);
    const next = widest(thread);
    const { page } = await open(browser, pattern, { hash: '#from=3&to=4' });
    await page.locator('.fg-canvas').focus();
    expect(await focused(page)).toBe('all');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe(thread.name);
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe(next.name);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe(thread.name);
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe(next.name);
    // Right: the next frame of the same row, which may belong to another thread.
    await page.keyboard.press('ArrowRight');
    const row = tree.children.flatMap((t) => t.children);
    expect(await focused(page)).toBe((row[row.indexOf(next) + 1] ?? next).name);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    expect(await page.locator('.fg-crumbs .crumb').allTextContents()).toEqual(['all', thread.name, next.name]);
    await page.keyboard.press('Escape');
    expect(await page.locator('.fg-crumbs .crumb').allTextContents()).toEqual(['all', thread.name]);
    expect(await page.locator('#selection').textContent()).toMatch(/^3–4 s/);
    await page.close();
  });
});
