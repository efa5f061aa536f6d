// Comparing in the report (issue 8), in real headless Chromium: Shift+drag or "Compare with…" sets a baseline,
// the flame graph becomes the differential of the selection against it (red grew, blue shrank), tooltips read
// like FlameScope's `+2.345% (+12 samples)`, the elided and swap switches, "the rest of the profile", Esc, and
// links that restore the baseline (hostile ones ignored).
// Expected numbers are FlameScope's rule re-done by hand on the CLI's folded output of each range (a code path
// apart from the page's trees, diff and colours): change = t/T − b/B, samples = t − b·T/B.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, launch, type OpenedReport, openReport } from './support/browser';
import { corpus, runCli } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-compare-'));
const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const report = join(dir, 'pattern.html');
const ROW = 17;

/** The folded lines of a range (`flame --format folded`), as [stack, count]. */
function folded(from: string, to: string): [string, number][] {
  const r = runCli(['flame', PATTERN, '--from', from, '--to', to, '--format', 'folded']);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.lastIndexOf(' ');
      return [line.slice(0, at), Number(line.slice(at + 1))];
    });
}

/** A node's inclusive width in a range (the lines whose stack starts with its path), and the range's total. */
function counted(from: string, to: string, path: string): { inclusive: number; total: number } {
  let inclusive = 0;
  let total = 0;
  for (const [stack, n] of folded(from, to)) {
    total += n;
    if (stack === path || stack.startsWith(`${path};`)) inclusive += n;
  }
  return { inclusive, total };
}

/** FlameScope's tooltip for a frame: `+2.345% (+12 samples)` from both sides' counts. */
function expectedChange(t: { inclusive: number; total: number }, b: { inclusive: number; total: number }): string {
  const delta = t.inclusive / t.total - b.inclusive / b.total;
  const samples = Math.round(t.inclusive - (b.inclusive * t.total) / b.total);
  const sign = (x: number): string => (x > 0 ? '+' : x < 0 ? '−' : '');
  return `${sign(delta)}${Math.abs(delta * 100).toFixed(3)}% (${sign(samples)}${Math.abs(samples)} sample${Math.abs(samples) === 1 ? '' : 's'})`;
}

async function drag(page: Page, from: [number, number], to: [number, number], shift = false): Promise<void> {
  const a = await cellPoint(page, ...from);
  const b = await cellPoint(page, ...to);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

/** A drawn frame whose name matches: hovers the rows from the top and reads the tooltip's name. */
async function findFrame(page: Page, name: RegExp): Promise<{ x: number; y: number; tooltip: string } | null> {
  const canvas = page.locator('#flamegraph .fg-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  for (let y = ROW / 2; y < box.height; y += ROW) {
    for (const fx of [0.01, 0.2, 0.4, 0.6, 0.8, 0.99]) {
      const x = fx * box.width;
      await page.mouse.move(box.x + x, box.y + y);
      const tip = page.locator('#flamegraph .tooltip');
      if (await tip.isHidden()) continue;
      const shown = (await tip.locator('b').textContent()) ?? '';
      if (name.test(shown)) return { x, y: y - ROW / 2, tooltip: (await tip.textContent()) ?? '' };
    }
  }
  return null;
}

/** The canvas pixel at the top edge of a frame's row (a label's glyphs start 2 px below it), as [r, g, b]. */
async function pixel(page: Page, at: { x: number; y: number }): Promise<number[]> {
  return page.locator('#flamegraph .fg-canvas').evaluate(
    (el, p) => {
      const c = el as HTMLCanvasElement;
      const ratio = c.width / c.getBoundingClientRect().width;
      return [...c.getContext('2d')!.getImageData(Math.round(p.x * ratio), Math.round((p.y + 0.5) * ratio), 1, 1).data].slice(0, 3);
    },
    at,
  );
}

const hash = (page: Page): Promise<string> => page.evaluate(() => location.hash);

describe('comparing a selection with a baseline (pattern499)', () => {
  let browser: Browser;
  let opened: OpenedReport[] = [];
  // burnB runs 500–560 ms of seconds 0–14; 3.0–3.2 s is burnA's band (inlined into processImmediate here).
  // The selection is one stack: node … processImmediate;burnB. Its paths name the nodes compared.
  const selection = folded('3.5', '3.56');
  const burnBPath = selection[0]![0];
  const immediatePath = burnBPath.slice(0, burnBPath.lastIndexOf(';'));
  const writePath = `${immediatePath};Builtins_RecordWriteSaveFP`;
  const burnB = { t: counted('3.5', '3.56', burnBPath), b: counted('3', '3.2', burnBPath) };
  const write = { t: counted('3.5', '3.56', writePath), b: counted('3', '3.2', writePath) };
  const immediate = { t: counted('3.5', '3.56', immediatePath), b: counted('3', '3.2', immediatePath) };

  beforeAll(async () => {
    const r = runCli(['report', PATTERN, '-o', report]);
    expect(r.status).toBe(0);
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    for (const o of opened) {
      expect(o.errors).toEqual([]);
      expect(o.requests).toEqual([]);
    }
    await browser?.close();
  });
  const open = async (h: string): Promise<Page> => {
    const o = await openReport(browser, report, h);
    opened.push(o);
    return o.page;
  };

  it('the hand counts are what the workload makes', () => {
    // The whole selection is burnB, which the baseline never runs; the baseline has a write barrier it lacks.
    expect(selection.length).toBe(1);
    expect(burnBPath).toMatch(/;JS:\*processImmediate [^;]*;JS:\*burnB [^;]*$/);
    expect(burnB.t).toEqual({ inclusive: 30, total: 30 });
    expect(burnB.b.inclusive).toBe(0);
    expect(write.t.inclusive).toBe(0);
    expect(write.b.inclusive).toBeGreaterThan(5);
    expect(immediate.b.inclusive).toBeLessThan(immediate.b.total);
  });

  it('Shift+drag sets the baseline: burnB drawn red, the tooltip gives the change, the cells stay marked', async () => {
    const page = await open('#from=3.5&to=3.56');
    // Opaque overlay pixels: the baseline's hatch and outline (the selection is a translucent fill).
    const hatched = (): Promise<boolean> =>
      page.locator('#heatmap .hm-overlay').evaluate((el) => {
        const c = el as HTMLCanvasElement;
        return [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data].some((v, i) => i % 4 === 3 && v > 200);
      });
    expect(await hatched()).toBe(false);
    // Rows are 20 ms (50 rows): 3.0–3.2 s is column 3, rows 0–9.
    await drag(page, [3, 0], [3, 9], true);
    expect(await hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2');
    await expect.poll(() => page.locator('#compare-status').textContent()).toContain('against baseline 3–3.2 s (200 ms): 103 samples');
    expect(burnB.b.total).toBe(103);
    const frame = (await findFrame(page, /burnB/))!;
    expect(frame).not.toBeNull();
    expect(frame.tooltip).toContain(expectedChange(burnB.t, burnB.b));
    expect(frame.tooltip).toContain('+100.000% (+30 samples)');
    // The largest change of the graph: full red (flamegraph.pl's scale).
    expect(await pixel(page, frame)).toEqual([255, 0, 0]);
    const caller = (await findFrame(page, /processImmediate/))!;
    expect(caller.tooltip).toContain(expectedChange(immediate.t, immediate.b));
    const [r, g, b] = await pixel(page, caller);
    expect(r).toBe(255);
    expect(g).toBe(b);
    expect(g).toBeGreaterThan(0);
    expect(g).toBeLessThan(210);
    // The heat map marks the baseline's cells.
    expect(await hatched()).toBe(true);
    await page.screenshot({ path: join(dir, 'differential.png'), fullPage: true });
  });

  it('elided shows what the baseline has and the selection lacks, in blue; swap draws the baseline', async () => {
    const page = await open('#from=3.5&to=3.56&base=3:3.2');
    await page.locator('#compare-elided').check();
    await expect.poll(() => hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2&elided=1');
    expect(await findFrame(page, /burnB/)).toBeNull();
    const gone = (await findFrame(page, /^Builtins_RecordWriteSaveFP$/))!;
    expect(gone.tooltip).toContain(expectedChange(write.t, write.b));
    const [r, g, b] = await pixel(page, gone);
    expect(b).toBe(255);
    expect(r).toBe(g);
    expect(r).toBeLessThan(210);

    await page.locator('#compare-elided').uncheck();
    await page.locator('#compare-swap').check();
    await expect.poll(() => hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2&swap=1');
    // Swapped, the baseline is drawn and compared with the selection: burnB has no width, processImmediate's
    // share of the baseline is smaller than of the selection, so it is blue.
    expect(await findFrame(page, /burnB/)).toBeNull();
    const caller = (await findFrame(page, /processImmediate/))!;
    expect(caller.tooltip).toContain(expectedChange(immediate.b, immediate.t));
    const [r2, g2, b2] = await pixel(page, caller);
    expect([b2, r2 === g2, r2 < 210]).toEqual([255, true, true]);
    await page.screenshot({ path: join(dir, 'swapped.png'), fullPage: true });
  });

  it('Export SVG writes the differential graph, with its colours and change tooltips', async () => {
    const page = await open('#from=3.5&to=3.56&base=3:3.2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const path = join(dir, 'differential.svg');
    await download.saveAs(path);
    const svg = readFileSync(path, 'utf8');
    expect(svg).toContain('3.5–3.56 s (60 ms): 30 samples against baseline 3–3.2 s (200 ms): 103 samples');
    // burnB's frame: full red, and the change as the page's tooltip says it.
    const burnBFrame = /<title>(JS:\*burnB [^<]*)<\/title><rect [^>]*fill="([^"]+)"/.exec(svg);
    expect(burnBFrame?.[2]).toBe('rgb(255,0,0)');
    expect(burnBFrame?.[1]).toContain(`(${expectedChange(burnB.t, burnB.b)}; selection 100.00%, baseline 0.00%)`);
    // No frame keeps a code colour: each is grey (no change), red or blue.
    const fills = [...svg.matchAll(/<rect [^>]*width="[^"]+" height="\d+" fill="([^"]+)" rx/g)].map((m) => m[1]!);
    expect(fills.length).toBeGreaterThan(15);
    for (const fill of fills) {
      expect(fill).toMatch(/^rgb\((255,(\d+),\2|(\d+),\3,255|225,225,225)\)$/);
    }
  });

  it('search keeps working on the differential graph', async () => {
    const page = await open('#from=3.5&to=3.56&base=3:3.2&search=burnB');
    await expect.poll(() => page.locator('#flamegraph .fg-matched').textContent()).toContain('matched 30 of 30 samples');
    const frame = (await findFrame(page, /burnB/))!;
    expect(await pixel(page, frame)).toEqual([230, 0, 230]);
  });

  it('"Compare with…" then a plain drag, "the rest of the profile", Esc and Clear baseline', async () => {
    const page = await open('#from=3.5&to=3.56');
    // Pressed, then Esc (the button has the focus): no baseline pending, a drag selects as usual.
    await page.locator('#compare-with').click();
    expect(await page.locator('#compare-status').textContent()).toContain('drag the baseline range');
    await page.keyboard.press('Escape');
    expect(await page.locator('#compare-with').getAttribute('aria-pressed')).toBe('false');
    await drag(page, [4, 25], [4, 27]);
    expect(await hash(page)).toBe('#from=4.5&to=4.56');
    await page.goBack();
    await expect.poll(() => hash(page)).toBe('#from=3.5&to=3.56');
    await page.locator('#compare-with').click();
    await drag(page, [3, 0], [3, 9]);
    expect(await page.locator('#compare-with').getAttribute('aria-pressed')).toBe('false');
    expect(await hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2');
    await page.locator('#compare-rest').click();
    expect(await hash(page)).toBe('#from=3.5&to=3.56&base=rest');
    const all = counted('0', '31', burnBPath);
    await expect.poll(() => page.locator('#compare-status').textContent()).toContain(`${(all.total - 30).toLocaleString('en-US')} samples`);
    const frame = (await findFrame(page, /burnB/))!;
    const rest = { inclusive: all.inclusive - 30, total: all.total - 30 };
    expect(frame.tooltip).toContain(expectedChange(burnB.t, rest));
    // Esc on the heat map removes the baseline first, and only then the selection.
    await page.locator('#heatmap .hm-scroll').focus();
    await page.keyboard.press('Escape');
    expect(await hash(page)).toBe('#from=3.5&to=3.56');
    await expect.poll(() => page.locator('#selection').textContent()).toContain('3.5–3.56 s (60 ms): 30 samples');
    // Shift+click a first cell, then click the last one: a baseline too (FlameScope's two clicks).
    for (const [row, shift] of [[0, true], [9, false]] as const) {
      const p = await cellPoint(page, 3, row);
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.click(p.x, p.y);
      if (shift) await page.keyboard.up('Shift');
    }
    expect(await hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2');
    await page.locator('#compare-clear').click();
    expect(await hash(page)).toBe('#from=3.5&to=3.56');
    // Back restores the comparison (setting a baseline is a step in the history).
    await page.goBack();
    await expect.poll(() => hash(page)).toBe('#from=3.5&to=3.56&base=3:3.2');
    await expect.poll(() => page.locator('#compare-status').textContent()).toContain('against baseline 3–3.2 s');
  });

  it('a link restores the baseline and its switches; hostile baselines are ignored', async () => {
    const page = await open('#from=3.5&to=3.56&base=3:3.2&elided=1&swap=1');
    expect(await page.locator('#compare-elided').isChecked()).toBe(true);
    expect(await page.locator('#compare-swap').isChecked()).toBe(true);
    expect(await page.locator('#compare-status').textContent()).toContain('3.5–3.56 s (60 ms): 30 samples against baseline 3–3.2 s (200 ms): 103 samples');
    // Swapped and elided: what the selection has and the baseline lacks, burnB.
    const frame = (await findFrame(page, /burnB/))!;
    expect((await pixel(page, frame))[2]).toBe(255);
    for (const junk of ['3.2:3', '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'rest%00', `0:${'9'.repeat(40)}`, '1:2:3']) {
      const p = await open(`#from=3.5&to=3.56&base=${junk}`);
      expect(await hash(p)).toBe('#from=3.5&to=3.56');
      expect(await p.locator('#compare-clear').isHidden()).toBe(true);
      await p.close();
    }
    // `rest` without a selection has nothing to be the rest of.
    const whole = await open('#base=rest');
    expect(await hash(whole)).toBe('');
  });
});
