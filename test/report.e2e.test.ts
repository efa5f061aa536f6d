// The report in real headless Chromium, opened from file://: drag across heat-map cells, compare the flame
// graph with `flamescope flame` for the same range, search, zoom, permalinks, no network, no script injection.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, launch, openReport, shownSamples } from './support/browser';
import { corpus, ROOT, runCli } from './support/corpus';

const { DOMParser } = new JSDOM('').window;
const dir = mkdtempSync(join(tmpdir(), 'flamescope-report-'));
const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const pattern = join(dir, 'pattern.html');

/** The flame graph total `flamescope flame` gives for [from, to). */
function cliTotal(file: string, from: string, to: string): number {
  const r = runCli(['flame', file, '--from', from, '--to', to, '--format', 'json']);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { value: number }).value;
}

let browser: Browser;

beforeAll(async () => {
  const r = runCli(['report', PATTERN, '-o', pattern]);
  expect(r.status, r.stderr).toBe(0);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('report in Chromium', () => {
  it('draws the heat map with no console errors and no network requests', async () => {
    const { page, errors, requests } = await openReport(browser, pattern);
    const geometry = await page.locator('.hm-cells').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    const cli = JSON.parse(runCli(['heatmap', PATTERN]).stdout) as { columns: number; rows: number };
    expect(Number(geometry.columns)).toBe(cli.columns);
    expect(Number(geometry.rows)).toBe(cli.rows);
    expect(await page.locator('.meta').textContent()).toMatch(/perf6\.1\.187|6\.1\.187/);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('a mouse drag over the 500–560 ms band of second 3 shows burnB, with the CLI total for that range', async () => {
    const { page, errors, requests } = await openReport(browser, pattern);
    const from = await cellPoint(page, 3, 25);
    const to = await cellPoint(page, 3, 27);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    expect(await page.locator('#selection').textContent()).toMatch(/^3\.5–3\.56 s/);
    expect(await shownSamples(page)).toBe(cliTotal(PATTERN, '3.5', '3.56'));
    await page.locator('#search').fill('burnB');
    // The search runs in a worker: wait for its answer.
    await page.waitForFunction(() => document.querySelector('.fg-matched')!.textContent!.startsWith('matched'));
    const matched = (await page.locator('.fg-matched').textContent()) ?? '';
    const m = /matched ([\d,]+) of ([\d,]+) samples \(([\d.]+)%\)/.exec(matched);
    expect(m, matched).not.toBeNull();
    expect(Number(m![3])).toBeGreaterThan(50);
    expect(new URL(page.url()).hash).toBe('#from=3.5&to=3.56&search=burnB');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('click-then-click across a second boundary selects the cells in between', async () => {
    const { page } = await openReport(browser, pattern);
    const a = await cellPoint(page, 4, 45);
    const b = await cellPoint(page, 5, 4);
    await page.mouse.click(a.x, a.y);
    await page.mouse.click(b.x, b.y);
    expect(await page.locator('#selection').textContent()).toMatch(/^4\.9–5\.1 s/);
    expect(await shownSamples(page)).toBe(cliTotal(PATTERN, '4.9', '5.1'));
    await page.keyboard.press('Escape');
    expect(await page.locator('#selection').textContent()).toMatch(/^Whole profile/);
    await page.close();
  });

  it('select() totals equal flamescope flame for ranges inside and across seconds', async () => {
    const { page } = await openReport(browser, pattern);
    for (const [from, to] of [
      ['1', '1.2'],
      ['7.7', '7.8'],
      ['3.95', '4.15'],
      ['0', '30.5'],
    ] as const) {
      const result = await page.evaluate(([f, t]) => window.flamescope.select(f, t), [Number(from), Number(to)] as const);
      expect(result.value, `${from}–${to}`).toBe(cliTotal(PATTERN, from, to));
      expect(await shownSamples(page)).toBe(result.samples);
    }
    await page.close();
  });

  it('clicking a frame zooms into it and the breadcrumbs zoom back out', async () => {
    const { page } = await openReport(browser, pattern);
    await page.evaluate(() => window.flamescope.select(3.5, 3.56));
    const canvas = page.locator('.fg-canvas');
    const box = (await canvas.boundingBox())!;
    // Flame orientation: `all` is the bottom row, threads the row above it; click the left-most thread.
    await page.mouse.click(box.x + 5, box.y + box.height - 17 - 8);
    const crumbs = page.locator('.fg-crumbs .crumb');
    expect(await crumbs.count()).toBe(2);
    expect(await crumbs.nth(0).textContent()).toBe('all');
    await crumbs.nth(0).click();
    expect(await crumbs.count()).toBe(1);
    await page.close();
  });

  it('a permalink opens the report on that range and search', async () => {
    const { page } = await openReport(browser, pattern, '#from=7.7&to=7.8&search=python');
    expect(await page.locator('#selection').textContent()).toMatch(/^7\.7–7\.8 s/);
    expect(await shownSamples(page)).toBe(cliTotal(PATTERN, '7.7', '7.8'));
    expect(await page.locator('#search').inputValue()).toBe('python');
    await page.reload();
    await page.evaluate(() => window.flamescope.ready);
    expect(await page.locator('#selection').textContent()).toMatch(/^7\.7–7\.8 s/);
    await page.close();
  });

  it('--select writes the initial selection into the file', async () => {
    const out = join(dir, 'selected.html');
    expect(runCli(['report', PATTERN, '--select', '12.5:12.56', '-o', out]).status).toBe(0);
    const { page } = await openReport(browser, out);
    expect(await page.locator('#selection').textContent()).toMatch(/^12\.5–12\.56 s/);
    expect(await shownSamples(page)).toBe(cliTotal(PATTERN, '12.5', '12.56'));
    // "Whole profile" in such a report is written into the link, so reloading it shows what was seen.
    await page.locator('#whole').click();
    await page.waitForFunction(() => document.querySelector('#selection')?.textContent?.startsWith('Whole profile'));
    expect(await page.evaluate(() => location.hash)).toBe('#whole=1');
    await page.reload();
    await page.evaluate(() => window.flamescope.ready);
    expect(await page.locator('#selection').textContent()).toMatch(/^Whole profile/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#selection')?.textContent?.startsWith('12.5'));
    await page.close();
  });

  it('a hostile profile shows its names as text and runs nothing', async () => {
    const evil = '</script><img src=x onerror="window.__xss=1;alert(1)">';
    const text = [
      `evil${'<b>x</b>'} 1234 [000] 100.100000: 1 cpu-clock:`,
      `\tffffffff81000000 ${evil} ([kernel.kallsyms])`,
      `\t7f0000000000 main (/usr/bin/${'"><svg onload=alert(2)>'})`,
      '',
      `evil 1234 [000] 100.600000: 1 cpu-clock:`,
      `\tffffffff81000000 ${evil} ([kernel.kallsyms])`,
      '',
    ].join('\n');
    const input = join(dir, '<img src=x onerror=alert(3)>.txt');
    writeFileSync(input, text);
    const out = join(dir, 'evil.html');
    expect(runCli(['report', input, '-o', out]).status).toBe(0);
    const { page, errors, dialogs, requests } = await openReport(browser, out);
    // The two data blocks and the page's script, whatever the profile held.
    expect(await page.evaluate(() => document.scripts.length)).toBe(3);
    await page.locator('#search').fill('onerror');
    await page.waitForFunction(() => document.querySelector('.fg-matched')!.textContent!.startsWith('matched'));
    expect(await page.locator('.fg-matched').textContent()).toMatch(/matched 2 of 2 samples/);
    expect(await page.locator('h1').textContent()).toContain('<img src=x onerror=alert(3)>');
    expect(await page.evaluate(() => document.querySelectorAll('img, svg, b').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('exports the flame graph of the selection as folded stacks (as the CLI) and as a standalone SVG', async () => {
    const { page } = await openReport(browser, pattern, '#from=3.5&to=3.56');
    const saved = async (button: string): Promise<string> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return readFileSync(path, 'utf8');
    };
    const folded = await saved('#export-folded');
    expect(folded).toBe(runCli(['flame', PATTERN, '--from', '3.5', '--to', '3.56', '--format', 'folded']).stdout);
    const svg = await saved('#export-svg');
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.documentElement.nodeName).toBe('svg');
    expect(svg).toContain('burnB');
    await page.close();
  });

  it('folds a long gap list at the default threshold behind its summary, and lists it on a click', async () => {
    const { page, errors } = await openReport(browser, pattern);
    await page.waitForFunction(() => document.querySelector('.gap-summary')!.textContent !== '');
    const cli = JSON.parse(runCli(['heatmap', PATTERN]).stdout) as { gaps: { from: number; to: number }[] };
    // A bursty CPU profile: every idle stretch longer than 5× the median interval is a gap.
    expect(cli.gaps.length).toBeGreaterThan(5);
    expect(await page.locator('.gap-summary').textContent()).toMatch(new RegExp(`^${cli.gaps.length} gaps in cpu-clock:ppp, the longest .*\\.$`));
    expect(await page.locator('.gap-items').isHidden()).toBe(true);
    await page.locator('.gap-toggle').click();
    expect(await page.locator('.gap-items').isVisible()).toBe(true);
    expect(await page.locator('.gap-items button').count()).toBe(Math.min(200, cli.gaps.length));
    await page.locator('.gap-toggle').click();
    expect(await page.locator('.gap-items').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is byte-identical when made twice', () => {
    const again = join(dir, 'again.html');
    runCli(['report', PATTERN, '-o', again]);
    expect(readFileSync(again).equals(readFileSync(pattern))).toBe(true);
  });

  it('takes the README screenshot (SCREENSHOT=1)', async () => {
    if (process.env.SCREENSHOT !== '1') return;
    const { page } = await openReport(browser, pattern);
    await page.evaluate(() => window.flamescope.select(3.5, 3.56));
    await page.screenshot({ path: join(ROOT, 'docs/report.png'), fullPage: true });
    await page.close();
  });
});
