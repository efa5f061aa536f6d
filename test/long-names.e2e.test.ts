// A profile whose module names are 100 KB long (no `/` in them) once froze the report on opening: naming its
// frames backtracked over each name (issue 11). The page must open, and show the whole profile, promptly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openReport, type OpenedReport } from './support/browser';
import { runCli } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-long-names-'));
const SAMPLES = 40;

/** 40 samples over 10 modules of 100 KB (unresolved frames are named after their module) and one 100 KB library. */
function longModuleProfile(): string {
  const lines: string[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    lines.push(`prog 123 [000] ${(100 + s * 0.01).toFixed(6)}: 1000 cpu-clock:`);
    lines.push(`\t7f0000001000 [unknown] (${String.fromCharCode(97 + (s % 10)).repeat(100_000)})`);
    lines.push(`\t7f0000002000 leaf+0x1 (${'lib'.repeat(33_334)}.so)`);
    lines.push('\t7f0000003000 main+0x10 (/usr/bin/prog)');
    lines.push('');
  }
  return lines.join('\n');
}

let browser: Browser;
const input = join(dir, 'long-modules.txt');
const report = join(dir, 'long-modules.html');

beforeAll(async () => {
  writeFileSync(input, longModuleProfile());
  const r = runCli(['report', input, '-o', report]);
  expect(r.status, r.stderr).toBe(0);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('a report of 100 KB module names', () => {
  it('opens and shows the whole profile without hanging', async () => {
    // Generous against a 2-core CI machine; the old page never became ready.
    const opened = await Promise.race([
      openReport(browser, report),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the report did not become ready in 30 s')), 30_000)),
    ]);
    const { page, errors } = opened as OpenedReport;
    const whole = await page.evaluate(() => window.flamescope.select(null, null));
    expect(whole.samples).toBe(SAMPLES);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
