// The report's state in real headless Chromium: links that reproduce what their sender saw, Back and Forward
// through selections, Esc that acts on what has focus, hostile fragments, a profile without timestamps, and
// dark mode.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, openReport, shownSamples, reportsAndBrowser } from './support/browser';
import { corpus, runCli } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-state-'));
const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const NO_TIMESTAMPS = corpus('perf', 'perf-funcab-pid-01.txt');
const pattern = join(dir, 'pattern.html');
const mixed = join(dir, 'mixed.html');
const MIXED = join(dir, 'mixed.txt');

/**
 * A small profile in which every piece of state shows: two events (cycles, the default, and instructions),
 * periods, idle samples, and frame names that need escaping in a URL (`&`, `=`, `%`, spaces, non-ASCII).
 */
function mixedProfile(): string {
  const stacks = [
    ['Foo::bar(int, char*)', 'weird;name & = %', 'main', '_start'],
    ['λ::ß<T>', 'weird;name & = %', 'main', '_start'],
    ['gc', 'main', '_start'],
  ];
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const time = (100 + i * 0.01).toFixed(6);
    const event = i % 3 === 2 ? 'instructions' : 'cycles';
    if (i % 5 === 4) {
      lines.push(`swapper     0/0     [001] ${time}:     250000 ${event}: `);
      lines.push('\tffffffff81000000 intel_idle ([kernel.kallsyms])', '\tffffffff81000100 do_idle ([kernel.kallsyms])', '');
      continue;
    }
    lines.push(`app    42/43    [000] ${time}:    ${1000 * (1 + (i % 4))} ${event}: `);
    stacks[(i >> 1) % 3]!.forEach((frame, k) => lines.push(`\t${(0x400000 + k * 16).toString(16)} ${frame} (/usr/bin/app)`));
    lines.push('');
  }
  return lines.join('\n');
}

/** What `flamescope flame --format json` says about a range. */
function cliFlame(file: string, args: string[]): { value: number; samples: number } {
  const r = runCli(['flame', file, ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { value: number; samples: number };
}

async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const a = await cellPoint(page, ...from);
  const b = await cellPoint(page, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
}

const selectionText = async (page: Page): Promise<string> => (await page.locator('#selection').textContent()) ?? '';
const hash = (page: Page): Promise<string> => page.evaluate(() => location.hash);

let browser: Browser;

beforeAll(async () => {
  writeFileSync(MIXED, mixedProfile());
  browser = await reportsAndBrowser([
    [PATTERN, pattern],
    [MIXED, mixed],
  ]);
});

afterAll(async () => {
  await browser?.close();
});

describe('history', () => {
  it('Back after two drags restores the first range, Forward the second, and Back never leaves the page', async () => {
    const { page, errors } = await openReport(browser, pattern);
    // Set on this document: gone if Back ever loaded another page (or this one again).
    await page.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
    await drag(page, [3, 25], [3, 27]);
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    await drag(page, [7, 35], [7, 39]);
    expect(await selectionText(page)).toMatch(/^7\.7–7\.8 s/);
    expect(await hash(page)).toBe('#from=7.7&to=7.8');

    await page.goBack();
    expect(await hash(page)).toBe('#from=3.5&to=3.56');
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    expect(await shownSamples(page)).toBe(cliFlame(PATTERN, ['--from', '3.5', '--to', '3.56']).samples);
    await page.goBack();
    expect(await hash(page)).toBe('');
    expect(await selectionText(page)).toMatch(/^Whole profile/);
    await page.goForward();
    await page.goForward();
    expect(await selectionText(page)).toMatch(/^7\.7–7\.8 s/);
    expect(await shownSamples(page)).toBe(cliFlame(PATTERN, ['--from', '7.7', '--to', '7.8']).samples);
    expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('typing a search and zooming replace the entry; the API and "Whole profile" push one', async () => {
    const { page } = await openReport(browser, pattern);
    const length = (): Promise<number> => page.evaluate(() => history.length);
    const start = await length();
    await page.evaluate(() => window.flamescope.select(3.5, 3.56));
    expect(await length()).toBe(start + 1);
    await page.locator('#search').pressSequentially('burn');
    expect(await hash(page)).toBe('#from=3.5&to=3.56&search=burn');
    expect(await length()).toBe(start + 1);
    await page.locator('#whole').click();
    expect(await selectionText(page)).toMatch(/^Whole profile/);
    expect(await hash(page)).toBe('#search=burn');
    expect(await length()).toBe(start + 2);
    await page.goBack();
    expect(await hash(page)).toBe('#from=3.5&to=3.56&search=burn');
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    await page.close();
  });
});

describe('links', () => {
  // Every field differs from the file's defaults (event cycles, 50 rows, samples, idle dropped, flame).
  const LINK =
    '#from=1&to=2.5&event=instructions&rows=25&metric=period&idle=keep&search=bar%7C%C3%9F&case=i' +
    '&zoom=app;_start;main;weird%3Bname%20%26%20%3D%20%25&icicle=1&enhance=1';

  it('a link round-trips every piece of state, into the controls and back into the address', async () => {
    const { page, errors } = await openReport(browser, mixed, LINK);
    expect(await hash(page)).toBe(LINK);
    const expected = cliFlame(MIXED, ['--event', 'instructions', '--from', '1', '--to', '2.5', '--idle', 'keep', '--weight', 'period']);
    expect(await selectionText(page)).toMatch(/^1–2\.5 s /);
    expect(await shownSamples(page)).toBe(expected.samples);
    const controls = await page.evaluate(() => {
      const select = (id: string) => document.querySelector<HTMLSelectElement>(id)!;
      const input = (id: string) => document.querySelector<HTMLInputElement>(id)!;
      return {
        event: select('#event').selectedOptions[0]!.textContent,
        rows: select('#rows').value,
        metric: input('#metric').value,
        hideIdle: input('#idle').checked,
        search: input('#search').value,
        icicle: input('#icicle').checked,
        crumbs: [...document.querySelectorAll('.fg-crumbs .crumb')].map((c) => c.textContent),
        heatmapRows: (document.querySelector('.hm-cells') as HTMLElement).dataset.rows,
      };
    });
    expect(controls).toEqual({
      event: expect.stringMatching(/^instructions /),
      rows: '25',
      metric: 'period',
      hideIdle: false,
      search: 'bar|ß',
      icicle: true,
      // The flame graph shows a `;` inside a name as it is (only folded text must replace it).
      crumbs: ['all', 'app', '_start', 'main', 'weird;name & = %'],
      heatmapRows: '25',
    });
    // And it survives a reload.
    await page.reload();
    await page.evaluate(() => window.flamescope.ready);
    expect(await hash(page)).toBe(LINK);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an old link's weight=period opens on the period metric and is rewritten as metric=period", async () => {
    const { page } = await openReport(browser, mixed, '#from=1&to=2.5&weight=period');
    const expected = cliFlame(MIXED, ['--from', '1', '--to', '2.5', '--weight', 'period']);
    expect(await page.locator('#metric').inputValue()).toBe('period');
    expect(await page.locator('#selection-weight').textContent()).toBe(`${expected.value.toLocaleString('en-US')} cycles`);
    expect(await hash(page)).toBe('#from=1&to=2.5&metric=period');
    await page.close();
  });

  it('following a link in the open page applies it without a new entry', async () => {
    const { page } = await openReport(browser, mixed);
    const before = await page.evaluate(() => history.length);
    await page.evaluate((link) => (location.hash = link), LINK);
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#icicle')!.checked);
    expect(await hash(page)).toBe(LINK);
    expect(await page.locator('#rows').inputValue()).toBe('25');
    // Setting location.hash is a navigation the browser records itself; the page adds nothing to it.
    expect(await page.evaluate(() => history.length)).toBe(before + 1);
    await page.close();
  });

  it('a hostile fragment runs nothing, breaks nothing, and is reduced to what makes sense', async () => {
    const hostile =
      '#search=%3Cimg%20onerror%3Dalert(1)%3E&from=abc&to=%3Cscript%3E&zoom=%E0%A4%A;%3Csvg%20onload%3Dalert(2)%3E' +
      '&rows=99999&event=%&weight=%22%3E%3Cb%3E&icicle=<svg/onload=alert(3)>&enhance=1e9&case=' + 'x'.repeat(100_000);
    const { page, errors, dialogs, requests } = await openReport(browser, pattern, hostile);
    expect(await selectionText(page)).toMatch(/^Whole profile/);
    expect(await page.locator('#search').inputValue()).toBe('<img onerror=alert(1)>');
    expect(await hash(page)).toBe('#search=%3Cimg%20onerror%3Dalert(1)%3E');
    expect(await page.evaluate(() => document.querySelectorAll('img, svg, b, script:not([type])').length)).toBe(1); // the page's own script
    // The page still works: a drag selects, as it would have.
    await drag(page, [3, 25], [3, 27]);
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    // Junk given to the open page is ignored too.
    await page.evaluate(() => (location.hash = '#from=1&to=%FF%FE&zoom=%&rows=-1'));
    await page.waitForFunction(() => /^Whole profile/.test(document.querySelector('#selection')!.textContent ?? ''));
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe('Esc', () => {
  it('in the search box clears the search and keeps the selection', async () => {
    const { page } = await openReport(browser, pattern);
    await drag(page, [3, 25], [3, 27]);
    await page.locator('#search').fill('burnB');
    expect(await hash(page)).toBe('#from=3.5&to=3.56&search=burnB');
    await page.locator('#search').press('Escape');
    expect(await page.locator('#search').inputValue()).toBe('');
    expect(await page.locator('.fg-matched').textContent()).toBe('');
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    expect(await hash(page)).toBe('#from=3.5&to=3.56');
    // A second Esc, in the empty box, leaves the box and still keeps the selection.
    await page.locator('#search').press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('search');
    expect(await selectionText(page)).toMatch(/^3\.5–3\.56 s/);
    await page.close();
  });
});

describe('a profile without timestamps', () => {
  it('opens with the note and a flame graph of the whole profile, whose total is the CLI one', async () => {
    const out = join(dir, 'no-time.html');
    expect(runCli(['report', NO_TIMESTAMPS, '-o', out]).status).toBe(0);
    const { page, errors } = await openReport(browser, out, '#from=1&to=2');
    expect(await page.locator('#no-time').isVisible()).toBe(true);
    expect(await page.locator('#no-time').textContent()).toMatch(/no timestamps.*perf script -F \+time/s);
    expect(await page.locator('.hm-body').isVisible()).toBe(false);
    expect(await page.locator('#whole').isVisible()).toBe(false);
    const cli = cliFlame(NO_TIMESTAMPS, []);
    expect(cli.value).toBe(228); // the corpus README's count
    expect(await selectionText(page)).toBe('Whole profile: 228 samples');
    expect(await hash(page)).toBe(''); // a range means nothing here
    const shown = await page.evaluate(() => window.flamescope.select(null, null));
    expect(shown.value).toBe(cli.value);
    // The flame graph is drawn: the root row (bottom) is painted in the canvas.
    const painted = await page.locator('.fg-canvas').evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(5, c.height - 8, 1, 1);
      return data[3];
    });
    expect(painted).toBe(255);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('dark mode', () => {
  /** The RGB of the centre of heat-map cell (column, row), as painted. */
  const cellPixel = (page: Page, column: number, row: number): Promise<number[]> =>
    page.locator('.hm-cells').evaluate(
      (cells: HTMLElement, [column, row]) => {
        // The cells are painted on a viewport-sized layer inside .hm-cells, which carries the grid's geometry.
        const d = cells.dataset;
        const c = cells.querySelector<HTMLCanvasElement>('.hm-layer')!;
        const ratio = c.width / parseFloat(c.style.width);
        const scrollX = cells.parentElement!.scrollLeft;
        const x = ((column + 0.5) * Number(d.cellWidth) - scrollX) * ratio;
        const y = (Number(d.rows) - 1 - row + 0.5) * Number(d.cellHeight) * ratio;
        return [...c.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3)];
      },
      [column, row],
    );
  const luminance = ([r, g, b]: number[]): number => (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;

  it('follows the system: dark page, dark empty cells, light text; the canvases repaint when it switches', async () => {
    // An empty cell and a busy one, from the CLI's heat map: second 1 has no samples at 300–320 ms (row 15) and
    // is busy at 0–20 ms (burnA).
    const grid = JSON.parse(runCli(['heatmap', PATTERN]).stdout) as { values: (number | null)[][] };
    expect(grid.values[1]![15]).toBeNull();
    expect(grid.values[1]![0]).toBeGreaterThan(5);
    const { page, errors } = await openReport(browser, pattern);
    // Light: an empty cell is the grey.
    expect(await cellPixel(page, 1, 15)).toEqual([0xd9, 0xd9, 0xd9]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => matchMedia('(prefers-color-scheme: dark)').matches);
    // The change event reaches the page's listeners after the media query flips: let them repaint.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      const panel = getComputedStyle(document.querySelector('.panel')!);
      return { bg: style.backgroundColor, fg: style.color, panel: panel.backgroundColor };
    });
    const rgb = (css: string): number[] => css.match(/\d+/g)!.slice(0, 3).map(Number);
    expect(luminance(rgb(colours.bg))).toBeLessThan(0.15);
    expect(luminance(rgb(colours.panel))).toBeLessThan(0.2);
    expect(luminance(rgb(colours.fg))).toBeGreaterThan(0.8);
    // The heat map repainted: empty cells are a dark neutral grey, and busy ones stand out from them.
    const empty = await cellPixel(page, 1, 15);
    const busy = await cellPixel(page, 1, 0);
    expect(luminance(empty)).toBeLessThan(0.4);
    expect(Math.max(...empty) - Math.min(...empty)).toBeLessThan(16);
    expect(Math.hypot(...busy.map((v, i) => v - empty[i]!))).toBeGreaterThan(120);
    await page.evaluate(() => window.flamescope.select(3.5, 3.56));
    if (process.env.SCREENSHOT === '1') await page.screenshot({ path: '/tmp/flamescope-dark.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens dark when the system already is', async () => {
    const page = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${pattern}`);
    await page.evaluate(() => window.flamescope.ready);
    const px = await page.locator('.hm-yaxis').evaluate((c: HTMLCanvasElement) => {
      // The brightest pixel of the axis labels: light text on the dark panel.
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let best = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200) best = Math.max(best, data[i]! + data[i + 1]! + data[i + 2]!);
      return best / 765;
    });
    expect(px).toBeGreaterThan(0.7);
    await page.close();
  });
});
