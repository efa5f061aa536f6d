// Headless Chromium (Debian's package) driven by playwright-core, for end-to-end tests of reports.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { runCli } from './corpus';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    // playwright gives every launch a fresh, empty user-data-dir of its own.
  });
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests for anything but the report file itself. */
  requests: string[];
  /** Dialogs (alert, confirm) the page tried to open. */
  dialogs: string[];
}

/** Opens a report from file:// and waits for `window.flamescope.ready`. */
export async function openReport(browser: Browser, file: string, hash = ''): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const opened: OpenedReport = { page, errors: [], requests: [], dialogs: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') opened.errors.push(m.text());
  });
  page.on('pageerror', (e) => opened.errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (u.split('#')[0] !== url && !u.startsWith('blob:') && !u.startsWith('data:')) opened.requests.push(u);
  });
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url + hash);
  await page.evaluate(() => window.flamescope.ready);
  return opened;
}

/** The page position of the centre of heat-map cell (column, row); row 0 is the bottom row. */
export async function cellPoint(page: Page, column: number, row: number): Promise<{ x: number; y: number }> {
  const canvas = page.locator('.hm-cells');
  await canvas.evaluate((el, column) => {
    const cw = Number((el as HTMLElement).dataset.cellWidth);
    el.parentElement!.scrollLeft = Math.max(0, column * cw - 200);
  }, column);
  const box = (await canvas.boundingBox())!;
  const d = await canvas.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  const cw = Number(d.cellWidth);
  const ch = Number(d.cellHeight);
  const rows = Number(d.rows);
  return { x: box.x + (column + 0.5) * cw, y: box.y + (rows - 1 - row + 0.5) * ch };
}

/** The sample count the page shows for its current selection. */
export async function shownSamples(page: Page): Promise<number> {
  const text = (await page.locator('#selection').textContent()) ?? '';
  const m = /([\d,]+) samples$/.exec(text);
  if (m === null) throw new Error(`no sample count in ${JSON.stringify(text)}`);
  return Number(m[1]!.replace(/,/g, ''));
}

/** Writes `flamescope report INPUT -o OUTPUT` for each pair (failing with the CLI's stderr), then starts Chromium. */
export async function reportsAndBrowser(pairs: readonly (readonly [string, string])[]): Promise<Browser> {
  for (const [input, out] of pairs) {
    const r = runCli(['report', input, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
  }
  return launch();
}

/**
 * The alpha of the heat map's overlay in a cell (row 0 at the bottom): at its middle, or 1 px inside its left
 * edge where outlines are drawn.
 */
export async function overlayAlpha(page: Page, column: number, row: number, where: 'middle' | 'edge' = 'middle'): Promise<number> {
  return page.locator('.hm-overlay').evaluate(
    (canvas, [column, row, edge]) => {
      const c = canvas as HTMLCanvasElement;
      const cells = document.querySelector('.hm-cells') as HTMLElement;
      const cw = Number(cells.dataset.cellWidth);
      const ch = Number(cells.dataset.cellHeight);
      const rows = Number(cells.dataset.rows);
      const scroll = (cells.parentElement as HTMLElement).scrollLeft;
      const ratio = c.width / c.getBoundingClientRect().width;
      const x = Math.floor((column * cw - scroll + (edge ? 1 : cw / 2)) * ratio);
      const y = Math.floor((rows - 1 - row + 0.5) * ch * ratio);
      return c.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
    },
    [column, row, where === 'edge'] as const,
  );
}
