// Timestamps that jump by weeks (two recordings concatenated, a corrupt line) must not make the heat map's
// memory follow the time span: the heat map and the report refuse with a line that says where time jumps and how
// to override, every command warns with that line, and a 24-hour recording still works (issue 11).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { defaultMaxColumns, formatDuration, MAX_CELLS } from '../src/heatmap/grid';
import { corpus, runCli, type CliResult } from './support/corpus';

const SOURCE = readFileSync(corpus('perf', 'perf-funcab-cmd-01.txt'), 'utf8');
/** `comm pid secs.micros: event:` — the header lines of this file, read with our own regex. */
const HEADER = /^(func_ab \d+ )(\d+)\.(\d{6}):/;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flamescope-jumps-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file with `shift(lineIndex)` seconds added to each header's timestamp. */
function shifted(text: string, shift: (index: number) => number): string {
  return text
    .split('\n')
    .map((line, i) => line.replace(HEADER, (_, head: string, s: string, us: string) => `${head}${Number(s) + shift(i)}.${us}:`))
    .join('\n');
}

/** 1-based line numbers of the header lines of a text. */
const headerLines = (text: string): number[] => text.split('\n').flatMap((l, i) => (HEADER.test(l) ? [i + 1] : []));
const seconds = (text: string, line: number): number => {
  const m = HEADER.exec(text.split('\n')[line - 1]!)!;
  return Number(m[2]) + Number(m[3]) / 1e6;
};

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failsWithOneLine(r: CliResult, file: string): string {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`flamescope: ${file}: `)).toBe(true);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0]!;
}

const WEEKS = 3 * 7 * 86400;

describe('two recordings concatenated, three weeks apart', () => {
  const text = `${SOURCE}\n${shifted(SOURCE, () => WEEKS)}`;
  const headers = headerLines(text);
  const half = headers.length / 2;
  // The jump is between the last record of the first recording and the first of the second.
  const from = headers[half - 1]!;
  const to = headers[half]!;
  const where = new RegExp(`time jumps forward by 21 days between line ${from} \\(${seconds(text, from).toFixed(6)} s\\) and line ${to} \\(${seconds(text, to).toFixed(6)} s\\)`);
  const columns = Math.floor(seconds(text, headers.at(-1)!)) - Math.floor(seconds(text, headers[0]!)) + 1;

  it('the test file is what it should be', () => {
    expect(headers).toHaveLength(2 * 169);
    expect(columns).toBeGreaterThan(WEEKS);
  });

  for (const format of ['json', 'text', 'svg']) {
    it(`heatmap --format ${format} refuses in one line that names the jump and the override`, () => {
      const file = write('concat.txt', text);
      const line = failsWithOneLine(runCli(['heatmap', '--format', format, file]), file);
      expect(line).toMatch(where);
      expect(line).toContain(`the heat map would be ${columns.toLocaleString('en-US')} columns wide (21 days) at 50 rows`);
      expect(line).toContain(`more than the limit of ${(MAX_CELLS / 50).toLocaleString('en-US')}`);
      expect(line).toContain(`--max-columns ${columns} to draw it anyway`);
    });
  }

  it('report refuses the same way, at the rows its page can switch to', () => {
    const file = write('concat.txt', text);
    const line = failsWithOneLine(runCli(['report', file, '-o', join(dir, 'concat.html')]), file);
    expect(line).toMatch(where);
    expect(line).toContain('at 100 rows');
  });

  it('--max-columns draws it anyway, with a warning that names the lines', () => {
    const file = write('concat.txt', text);
    const r = runCli(['heatmap', '--rows', '1', '--max-columns', String(columns), file]);
    expect(r.status).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^flamescope: .*: warning: time jumps forward/);
    expect(r.stderr).toMatch(where);
    const doc = JSON.parse(r.stdout) as { columns: number; samples: number; values: number[][] };
    expect(doc.columns).toBe(columns);
    expect(doc.samples).toBe(2 * 169);
    expect(doc.values.filter((c) => c[0]! > 0).length).toBeLessThanOrEqual(6);
    const report = runCli(['report', file, '--max-columns', String(columns), '-o', join(dir, 'concat.html')]);
    expect(report.status).toBe(0);
  });

  it('collapse and flame work and warn with the lines', () => {
    const file = write('concat.txt', text);
    for (const args of [['collapse'], ['flame', '--format', 'folded']]) {
      const r = runCli([...args, file]);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(where);
      expect(r.stdout).toBe(runCli([...args, corpus('perf', 'perf-funcab-cmd-01.txt')]).stdout.replace(/ (\d+)$/gm, (_, n: string) => ` ${2 * Number(n)}`));
    }
  });
});

describe('one corrupt timestamp, and time going back', () => {
  it('a header a year in the future names that line', () => {
    const text = SOURCE;
    const headers = headerLines(text);
    const bad = headers[40]!;
    const file = write('corrupt.txt', shifted(text, (i) => (i + 1 === bad ? 365 * 86400 : 0)));
    const line = failsWithOneLine(runCli(['heatmap', file]), file);
    expect(line).toContain(`time jumps forward by 365 days between line ${headers[39]} (`);
    expect(line).toContain(` and line ${bad} (`);
  });

  it('a second recording made before the first says back', () => {
    const file = write('back.txt', `${SOURCE}\n${shifted(SOURCE, () => -WEEKS)}`);
    const line = failsWithOneLine(runCli(['heatmap', '--format', 'text', file]), file);
    expect(line).toMatch(/time jumps back by 21 days between line \d+ /);
  });

  it('gaps under an hour are not jumps', () => {
    const headers = headerLines(SOURCE);
    const file = write('gap.txt', shifted(SOURCE, (i) => (i + 1 >= headers[80]! ? 3599 : 0)));
    const r = runCli(['heatmap', '--rows', '10', file]);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { columns: number }).columns).toBe(3599 + 3);
  });

  it('a jump too far for memory, drawn anyway with --max-columns: one line that still names the lines', () => {
    const headers = headerLines(SOURCE);
    const file = write('far.txt', shifted(SOURCE, (i) => (i + 1 === headers[10]! ? 2 ** 40 : 0)));
    const line = failsWithOneLine(runCli(['heatmap', '--max-columns', String(Number.MAX_SAFE_INTEGER), file]), file);
    expect(line).toMatch(/^flamescope: .*: not enough memory for a heat map of 1,099,511,6\d\d,\d{3} columns × 50 rows \(time jumps forward by .* between line \d+ \(.*\) and line /);
    expect(line).toContain(` and line ${headers[10]} (`);
  });
});

describe('a 24-hour recording is legitimate', () => {
  let day: string;
  let first: number;
  let last: number;
  beforeAll(async () => {
    day = join(dir, 'day.txt');
    await writeSynthProfile(day, { seconds: 86400, every: 60, band: [0, 30], hz: 99 });
    const stamps = [...readFileSync(day, 'utf8').matchAll(/\] (\d+)\.\d{6}:/g)].map((m) => Number(m[1]));
    first = stamps[0]!;
    last = stamps.at(-1)!;
  }, 60_000);

  it('fits the default limit up to 115 rows', () => {
    expect(defaultMaxColumns(115)).toBeGreaterThanOrEqual(86400);
    expect(formatDuration(86400)).toBe('24 h');
  });

  it('heatmap (every format) and report exit 0 without a warning, 86,400 columns wide', () => {
    const r = runCli(['heatmap', '--rows', '99', day]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { columns: number; values: number[][] };
    expect(doc.columns).toBe(last - first + 1);
    expect(doc.columns).toBeGreaterThan(86340);
    for (const format of ['text', 'svg']) expect(runCli(['heatmap', '--format', format, day]).status).toBe(0);
    const report = runCli(['report', day, '-o', join(dir, 'day.html')]);
    expect(report.status).toBe(0);
  });

  it('at 1000 rows it needs --max-columns, and says so', () => {
    const line = failsWithOneLine(runCli(['heatmap', '--rows', '1000', day]), day);
    expect(line).toContain('the profile spans 24 h: pass --max-columns');
  });
});
