// The heat map of a 24-hour recording in headless Chromium at devicePixelRatio 2, where a canvas as wide as the
// recording went blank: its last columns are painted (read from screenshots, not from the page), the overview
// strip goes to a far time, a drag there selects exactly the cells the CLI counts, the keyboard selects, and
// enhance makes a one-sample cell stand out. Which cells hold samples comes from `flamescope heatmap --format
// json`, the totals from `flamescope flame --format json`: never from the page's code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, launch, shownSamples } from './support/browser';
import { colourDifference, contrastRatio } from './support/contrast';
import { ROOT, runCli } from './support/corpus';
import { decodePng } from './support/png';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-heatmap-view-'));
const DAY = join(dir, 'day.txt');
const DAY_HTML = join(dir, 'day.html');
/** A cell without samples: grey, as the issue specifies (#d9d9d9). */
const GREY = [0xd9, 0xd9, 0xd9] as const;

interface CliHeatmap {
  columns: number;
  rows: number;
  max: number;
  /** null: a cell without samples. */
  values: (number | null)[][];
}

let browser: Browser;
let heat: CliHeatmap;

/** The flame graph total `flamescope flame` gives for [from, to). */
function cliTotal(from: string, to: string): number {
  const r = runCli(['flame', DAY, '--from', from, '--to', to, '--format', 'json']);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { value: number }).value;
}

/** A page of the 24-hour report in a 1400×900 window at devicePixelRatio 2. */
async function openDay(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(DAY_HTML).href);
  await page.evaluate(() => window.flamescope.ready);
  return { page, errors };
}

/** Waits until the browser has painted what the last events changed. */
const settled = (page: Page): Promise<void> =>
  page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

/** The page position of the centre of a cell, as the page is scrolled now (cellPoint scrolls first). */
async function cellCentre(page: Page, column: number, row: number): Promise<{ x: number; y: number }> {
  const cells = page.locator('.hm-cells');
  const box = (await cells.boundingBox())!;
  const d = await cells.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  const cw = Number(d.cellWidth);
  const ch = Number(d.cellHeight);
  return { x: box.x + (column + 0.5) * cw, y: box.y + (Number(d.rows) - 1 - row + 0.5) * ch };
}

/** The colour on screen at a page position (one device pixel of a screenshot). */
async function colourAt(page: Page, p: { x: number; y: number }): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.floor(p.x), y: Math.floor(p.y), width: 1, height: 1 } });
  const [r, g, b] = decodePng(png).at(0, 0);
  return [r, g, b];
}

/** The columns the heat map shows now, [first, end). */
async function shownColumns(page: Page): Promise<{ first: number; end: number }> {
  return page.locator('.hm-cells').evaluate((el) => {
    const cw = Number((el as HTMLElement).dataset.cellWidth);
    const scroller = el.parentElement!;
    return { first: scroller.scrollLeft / cw, end: (scroller.scrollLeft + scroller.clientWidth) / cw };
  });
}

const busy = (column: number): number[] => heat.values[column]!.flatMap((v, r) => (v !== null && v > 0 ? [r] : []));
const sum = (cells: (number | null)[]): number => cells.reduce<number>((a, b) => a + (b ?? 0), 0);

beforeAll(async () => {
  const synth = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/synth-profile.js'), '--seconds', '86400', '--every', '60', '--band', '0:30', '--hz', '99', '-o', DAY],
    { encoding: 'utf8' },
  );
  expect(synth.status, synth.stderr).toBe(0);
  const r = runCli(['report', DAY, '-o', DAY_HTML]);
  expect(r.status, r.stderr).toBe(0);
  heat = JSON.parse(runCli(['heatmap', DAY, '--format', 'json']).stdout) as CliHeatmap;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('heat map of a 24-hour recording at devicePixelRatio 2', () => {
  it('paints its last columns, with canvases no wider than the window', async () => {
    const { page, errors } = await openDay();
    expect(heat.columns).toBe(86341);
    let last = heat.columns - 1;
    while (last > 0 && busy(last).length === 0) last--;
    expect(last).toBeGreaterThan(86000);
    const row = busy(last)[0]!;
    const empty = heat.values[last]!.findIndex((v, r) => v === null && r > row);
    await cellPoint(page, last, row);
    await settled(page);
    const full = await colourAt(page, await cellCentre(page, last, row));
    const blank = await colourAt(page, await cellCentre(page, last, empty));
    expect(blank).toEqual([...GREY]);
    expect(colourDifference(full, GREY), `cell ${last}/${row} is ${full}`).toBeGreaterThan(20);
    // Memory follows the window, not the recording: every canvas of the panel fits in it (at 2 device px a px).
    const widths = await page.locator('#heatmap canvas').evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width));
    for (const w of widths) expect(w).toBeLessThanOrEqual(1400 * 2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the overview strip takes the heat map to a far time, by a click and by dragging its frame', async () => {
    const { page } = await openDay();
    const strip = page.locator('.hm-overview');
    expect(await strip.isVisible()).toBe(true);
    const box = (await strip.boundingBox())!;
    const perPixel = heat.columns / box.width;
    await page.mouse.click(box.x + box.width * 0.75, box.y + 10);
    await settled(page);
    let shown = await shownColumns(page);
    const target = heat.columns * 0.75;
    expect(Math.abs((shown.first + shown.end) / 2 - target)).toBeLessThan(2 * perPixel);
    // The cells there are painted: a busy second in view shows its colour.
    const column = Math.ceil(shown.first / 60) * 60 + 60;
    expect(column).toBeLessThan(shown.end);
    const row = busy(column)[0]!;
    expect(colourDifference(await colourAt(page, await cellCentre(page, column, row)), GREY)).toBeGreaterThan(20);
    // Dragging the frame 100 px left moves the heat map 100 px of overview earlier.
    const before = shown.first;
    const x = box.x + box.width * 0.75;
    await page.mouse.move(x, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(x - 50, box.y + 10, { steps: 3 });
    await page.mouse.move(x - 100, box.y + 10, { steps: 3 });
    await page.mouse.up();
    await settled(page);
    shown = await shownColumns(page);
    expect(Math.abs(before - shown.first - 100 * perPixel)).toBeLessThan(2 * perPixel);
    await page.close();
  });

  it('a drag three quarters of the way in selects exactly the cells, with the CLI total', async () => {
    const { page } = await openDay();
    const column = Math.ceil((heat.columns * 0.75) / 60) * 60;
    expect(busy(column).length).toBeGreaterThan(0);
    // From the 800 ms row of the second before to the 20–40 ms row of the busy second.
    await cellPoint(page, column - 1, 40);
    await settled(page);
    const from = await cellCentre(page, column - 1, 40);
    const to = await cellCentre(page, column, 1);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    const range = [`${column - 1}.8`, `${column}.04`] as const;
    expect(await page.locator('#selection').textContent()).toMatch(new RegExp(`^${column - 1}\\.8–${column}\\.04 s`));
    const total = cliTotal(...range);
    // The cells' own sum, from the CLI's heat map: rows 40–49 of the second before, rows 0–1 of the busy one.
    const cells = sum(heat.values[column - 1]!.slice(40)) + sum(heat.values[column]!.slice(0, 2));
    expect(total).toBe(cells);
    expect(total).toBeGreaterThan(0);
    expect(await shownSamples(page)).toBe(total);
    await page.close();
  });

  it('selects from the keyboard: End, arrows, Shift+arrows, Enter; Esc on the map clears', async () => {
    const { page } = await openDay();
    await page.locator('.hm-scroll').focus();
    const last = heat.columns - 1;
    await page.keyboard.press('End');
    for (let i = 0; i < heat.rows - 1 - 2; i++) await page.keyboard.press('ArrowDown');
    // The cursor is on the last second, row 2; mark down to row 0 and back a second to its row 49.
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowUp');
    // Marked: from (last − 1, row 1) to (last, row 2), i.e. [last − 1 + 0.02, last + 0.06).
    await page.keyboard.press('Enter');
    expect(await page.locator('#selection').textContent()).toMatch(new RegExp(`^${last - 1}\\.02–${last}\\.06 s`));
    const total = cliTotal(`${last - 1}.02`, `${last}.06`);
    expect(total).toBe(sum(heat.values[last - 1]!.slice(1)) + sum(heat.values[last]!.slice(0, 3)));
    expect(total).toBeGreaterThan(0);
    expect(await shownSamples(page)).toBe(total);
    // The heat map scrolled to the cursor: the last second is in view.
    const shown = await shownColumns(page);
    expect(shown.end).toBeGreaterThan(last);
    await page.keyboard.press('Escape');
    expect(await page.locator('#selection').textContent()).toMatch(/^Whole profile/);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('hm-scroll');
    await page.close();
  });

  it('enhance makes a one-sample cell clearly different from an empty one; the legend shows the real ends', async () => {
    const { page } = await openDay();
    // A cell with one sample whose upper neighbour is empty, found in the CLI's heat map.
    let cell: { column: number; row: number } | null = null;
    for (let c = 0; c < heat.columns && cell === null; c += 60) {
      const col = heat.values[c]!;
      const r = col.findIndex((v, i) => v === 1 && col[i + 1] === null);
      if (r >= 0) cell = { column: c, row: r };
    }
    expect(cell).not.toBeNull();
    const { column, row } = cell!;
    await cellPoint(page, column, row);
    await settled(page);
    const one = await cellCentre(page, column, row);
    const none = await cellCentre(page, column, row + 1);
    // The faintest cell is yellow on the grey of an empty one: apart in hue (ΔE), not in lightness (1:1).
    const plainColour = await colourAt(page, one);
    const plain = contrastRatio(plainColour, await colourAt(page, none));
    await page.locator('.hm-enhance').check();
    await settled(page);
    const enhanced = contrastRatio(await colourAt(page, one), await colourAt(page, none));
    expect(await colourAt(page, none)).toEqual([...GREY]);
    expect(colourDifference(plainColour, GREY)).toBeGreaterThan(40);
    expect(colourDifference(await colourAt(page, one), GREY)).toBeGreaterThan(40);
    expect(enhanced).toBeGreaterThanOrEqual(2.5);
    expect(enhanced).toBeGreaterThan(plain);
    const nonEmpty = heat.values.flat().filter((v): v is number => v !== null && v > 0);
    expect(await page.locator('.hm-legend .min').textContent()).toBe(`${Math.min(...nonEmpty)} sample`);
    expect(await page.locator('.hm-legend .max').textContent()).toBe(`${heat.max} samples`);
    await page.close();
  });

  it('enhance lifts a one-sample cell of a busy profile (13 samples at most) from 1:1 to at least 2.5:1 against the grey', async () => {
    const example = join(ROOT, 'examples/pattern.txt.gz');
    const html = join(dir, 'pattern.html');
    expect(runCli(['report', example, '-o', html]).status).toBe(0);
    const cli = JSON.parse(runCli(['heatmap', example, '--format', 'json']).stdout) as CliHeatmap;
    expect(cli.max).toBeGreaterThan(10);
    let cell: { column: number; row: number } | null = null;
    for (let c = 0; c < cli.columns && cell === null; c++) {
      const col = cli.values[c]!;
      const r = col.findIndex((v, i) => v === 1 && col[i + 1] === null);
      if (r >= 0) cell = { column: c, row: r };
    }
    expect(cell).not.toBeNull();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
    await page.goto(pathToFileURL(html).href);
    await page.evaluate(() => window.flamescope.ready);
    const one = await cellPoint(page, cell!.column, cell!.row);
    const none = await cellCentre(page, cell!.column, cell!.row + 1);
    const plainColour = await colourAt(page, one);
    const plain = contrastRatio(plainColour, await colourAt(page, none));
    await page.locator('.hm-enhance').check();
    await settled(page);
    const enhanced = contrastRatio(await colourAt(page, one), await colourAt(page, none));
    expect(await colourAt(page, none)).toEqual([...GREY]);
    expect(colourDifference(plainColour, GREY)).toBeGreaterThan(40);
    expect(enhanced).toBeGreaterThanOrEqual(2.5);
    expect(enhanced).toBeGreaterThan(plain + 1);
    await page.close();
  });

  it('tooltips say the cell with separators and units and stay inside the window', async () => {
    const { page } = await openDay();
    const last = heat.columns - 1;
    const row = busy(last)[0]!;
    await cellPoint(page, last, row);
    await settled(page);
    const p = await cellCentre(page, last, row);
    await page.mouse.move(p.x, p.y);
    const tip = page.locator('#heatmap .tooltip');
    const n = heat.values[last]![row]!;
    expect(await tip.textContent()).toBe(`86,340 s (23:59:00) + ${row * 20}–${(row + 1) * 20} ms: ${n} sample${n === 1 ? '' : 's'}`);
    const box = (await tip.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1400);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    await page.close();
  });

  it('follows window resizes: fit stays fit and canvases shrink with the window', async () => {
    const { page } = await openDay();
    await page.locator('.hm-zoom').selectOption('fit');
    const fit = async () =>
      page.locator('.hm-cells').evaluate((el) => ({
        content: Number((el as HTMLElement).dataset.cellWidth) * Number((el as HTMLElement).dataset.columns),
        view: el.parentElement!.clientWidth,
        layer: (el.querySelector('.hm-layer') as HTMLCanvasElement).width,
      }));
    const wide = await fit();
    expect(wide.content).toBeCloseTo(wide.view, 3);
    await page.setViewportSize({ width: 900, height: 900 });
    await settled(page);
    const narrow = await fit();
    expect(narrow.view).toBeLessThan(wide.view);
    expect(narrow.content).toBeCloseTo(narrow.view, 3);
    expect(narrow.layer).toBeLessThanOrEqual(narrow.view * 2);
    expect(await page.locator('.hm-overview').isVisible()).toBe(false);
    await page.close();
  });
});
