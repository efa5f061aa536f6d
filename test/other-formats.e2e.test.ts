// The report of each other input format in real headless Chromium: the heat map of a V8 profile and of a trace
// shows the pattern workload's bands and a drag over one gives the CLI's figure; folded stacks get the note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellPoint, launch, openReport, shownSamples } from './support/browser';
import { corpus, runCli } from './support/corpus';

const CPUPROFILE = corpus('other-formats', 'node.pattern.cpuprofile');
const TRACE = corpus('other-formats', 'node.trace-array.json.gz');
const dir = mkdtempSync(join(tmpdir(), 'flamescope-formats-e2e-'));
let browser: Browser;

function report(file: string, name: string): string {
  const out = join(dir, `${name}.html`);
  const r = runCli(['report', file, '-o', out]);
  expect(r.status, r.stderr).toBe(0);
  return out;
}

function cliTotal(file: string, from: string, to: string): number {
  const r = runCli(['flame', file, '--from', from, '--to', to, '--format', 'json']);
  return (JSON.parse(r.stdout) as { value: number }).value;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reports of other formats', () => {
  for (const [file, name, column] of [
    [CPUPROFILE, 'cpuprofile', 3],
    [TRACE, 'trace', 1],
  ] as const) {
    it(`${name}: a drag over the 500–560 ms band of second ${column} gives the CLI's total`, async () => {
      const { page, errors, requests } = await openReport(browser, report(file, name));
      const from = await cellPoint(page, column, 25);
      const to = await cellPoint(page, column, 27);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 5 });
      await page.mouse.up();
      expect(await page.locator('#selection').textContent()).toMatch(new RegExp(`^${column}\\.5–${column}\\.56 s`));
      const total = cliTotal(file, `${column}.5`, `${column}.56`);
      expect(total).toBeGreaterThan(40);
      expect(await shownSamples(page)).toBe(total);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });
  }

  it('folded stacks: the whole flame graph, and a note saying why there is no heat map', async () => {
    const folded = join(dir, 'stacks.folded');
    writeFileSync(folded, runCli(['collapse', CPUPROFILE]).stdout);
    const { page, errors } = await openReport(browser, report(folded, 'folded'));
    expect(await page.locator('#no-time').textContent()).toMatch(/^Folded stacks carry no time/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
