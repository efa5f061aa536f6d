// Broken and hostile input that the fuzzer found (issue 11): numbers the model cannot hold, lines that made a
// regex or the line splitter quadratic, more events than the model has ids for. Each must end in correct output
// or one clear line, never an internal error, a non-number or a hang (runs are killed after 20 s).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PerfScriptParser } from '../src/parse/perf-script';
import { decodeProfile, encodeProfile } from '../src/render/profile-codec';
import { corpus, ROOT } from './support/corpus';

const DD = readFileSync(corpus('perf', 'perf-dd-stacks-01.txt'), 'utf8');
/** The dd file's record headers: `dd 29776 666709.771979:   10101010 cpu-clock: `. */
const HEADER = /^dd (\d+) (\d+)\.(\d+):\s+(\d+) cpu-clock:/;
const headers = DD.split('\n').flatMap((l, i) => (HEADER.test(l) ? [i] : []));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI on stdin, killed after 20 s (a hang is a failure, not a slow pass). */
function run(args: string[], input: string | Buffer): Result {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/flamescope.js'), ...args, '-'], { input: Buffer.from(input), timeout: 20_000, maxBuffer: 1 << 30, encoding: 'buffer' });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** The dd profile with header `k` rewritten. */
function withHeader(k: number, rewrite: (line: string) => string): string {
  const lines = DD.split('\n');
  lines[headers[k]!] = rewrite(lines[headers[k]!]!);
  return lines.join('\n');
}

/** Folded lines as [stack, count], every count checked to be a plain finite number. */
function folded(stdout: string): [string, number][] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^(.+) (-?\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      return [m![1]!, Number(m![2])];
    });
}

/** One record skipped: its header line and the frame lines that belong to it, counted from that header on. */
function skippedOneLine(r: Result, line: number): void {
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(new RegExp(`^flamescope: <stdin>: warning: skipped \\d+ unparseable lines? \\(first at line ${line}: `));
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('numbers the profile model cannot hold: the header is skipped and counted, the rest is read', () => {
  const cases: [string, (l: string) => string][] = [
    ['a timestamp of 400 digits (a double says Infinity)', (l) => l.replace(/ \d+\.(\d+):/, ` ${'9'.repeat(400)}.$1:`)],
    ['a timestamp past 2^53 seconds', (l) => l.replace(/ \d+\.(\d+):/, ' 99999999999999999999.$1:')],
    ['a thread id past 32 bits', (l) => l.replace(/^dd \d+/, 'dd 99999999999')],
  ];
  for (const [what, rewrite] of cases) {
    it(what, () => {
      const input = withHeader(3, rewrite);
      const r = run(['collapse', '--tid'], input);
      skippedOneLine(r, headers[3]! + 1);
      // 11 records, 10 read: every count is the file's period, 10101010, and the thread id is the file's.
      const lines = folded(r.stdout);
      expect(lines.reduce((sum, [, n]) => sum + n, 0)).toBe(10 * 10101010);
      for (const [stack] of lines) expect(stack.startsWith('dd-?/29776;')).toBe(true);
      const heat = run(['heatmap', '--weight', 'period'], input);
      expect(heat.status).toBe(0);
      expect(JSON.parse(heat.stdout).total).toBe(10 * 10101010);
    });
  }

  // A period is a weight: beyond 2^53 (a corrupt line, or `Infinity`) it is clamped, with one warning naming the line.
  for (const [what, period] of [
    ['a period of 400 digits', '9'.repeat(400)],
    ['a period past 64 bits', '36893488147419103232'],
  ] as const) {
    it(what, () => {
      const input = withHeader(3, (l) => l.replace(/:\s+\d+ cpu-clock/, `: ${period} cpu-clock`));
      const r = run(['collapse', '--tid'], input);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe(
        `flamescope: <stdin>: warning: 1 sample had a period beyond 2^53 (first at line ${headers[3]! + 1}), counted as 9007199254740991\n`,
      );
      // Every count printed is a whole number, never Infinity or an exponent.
      for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(/ \d+$/);
    });
  }

  it('one damaged timestamp: the heat map says which line, not that the profile has none', () => {
    const input = withHeader(2, (l) => l.replace(/(\d+)\.(\d)(\d+):/, '$1.$2x$3:'));
    for (const args of [['heatmap'], ['report', '-o', '-'], ['flame', '--from', '0']]) {
      const r = run(args, input);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`flamescope: <stdin>: ${args[0] === 'flame' ? '--from/--to' : `a ${args[0] === 'report' ? 'report' : 'heat map'}`} needs timestamps, and 1 of 11 samples has none, the first at line ${headers[2]! + 1}: a damaged line?\n`);
    }
  });

  it('a CPU number past 16 bits', () => {
    const text = readFileSync(corpus('perf', 'perf-numa-stacks-01.txt'), 'utf8');
    const lines = text.split('\n');
    const k = lines.findIndex((l) => /\[\d+\] \d+\.\d+:/.test(l));
    lines[k] = lines[k]!.replace(/\[\d+\] (\d+\.\d+:)/, '[99999] $1');
    const r = run(['collapse'], lines.join('\n'));
    skippedOneLine(r, k + 1);
  });

  it('more distinct event names than the model has ids: one line, exit 1', () => {
    const records = Array.from({ length: 65_537 }, (_, i) => `a 1 1.${String(i).padStart(6, '0')}: 1 ev${i}:\n\tffff f (m)\n\n`);
    const r = run(['collapse'], records.join(''));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('flamescope: <stdin>: more than 65536 distinct event names: not a perf script recording\n');
  });

  it('the report codec keeps every metric value exactly: fractions, negatives, huge, infinite and absent', () => {
    const parser = new PerfScriptParser('x');
    parser.feed(Buffer.from('a 1 1.000001: 1 cpu-clock:\n\tffff f (m)\n'));
    const profile = parser.finish();
    // (Infinity made an older codec loop forever; 2.5 came back as −3.)
    for (const value of [0.5, -1.5, 2.5, Infinity, -Infinity, NaN, 2 ** 53 + 2, -(2 ** 60), 5e-324]) {
      const metrics = [{ name: 'm', values: Float64Array.of(value) }];
      expect(Array.from(decodeProfile(encodeProfile({ ...profile, metrics })).metrics[0]!.values)).toEqual([value]);
    }
  });
});

describe('long lines stay linear (each would take minutes if quadratic)', () => {
  const MB = 1 << 20;

  it('a comment of a megabyte of blanks without a colon, before the first record', () => {
    const r = run(['collapse'], `#${' '.repeat(MB)}x\n${DD}`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(folded(r.stdout).reduce((sum, [, n]) => sum + n, 0)).toBe(11 * 10101010);
  });

  it('a symbol of a megabyte of `.(` and a module of a megabyte without a slash', () => {
    const input = `${DD}\n\ndd 29776 666710.000001:   1 cpu-clock: \n\t ffff main${'.('.repeat(MB / 2)} (m)\n\t ffff [unknown] (${'a'.repeat(MB)})\n`;
    const r = run(['collapse'], input);
    expect(r.status).toBe(0);
    const last = folded(r.stdout).find(([stack]) => stack.length > MB)!;
    expect(last[0].startsWith(`dd;[${'a'.repeat(100)}`)).toBe(true);
    expect(last[1]).toBe(1);
  });

  it('a header with a megabyte of tabs before its [cpu]', () => {
    const input = `dd 29776 ${'\t'.repeat(MB)}x [001] 666709.771979: 1 cpu-clock:\n\tffff f (m)\n\n${DD}`;
    const r = run(['collapse'], input);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(folded(r.stdout).reduce((sum, [, n]) => sum + n, 0)).toBe(11 * 10101010 + 1);
  });

  it('a 4 MB line read from stdin in 64-byte chunks', () => {
    // main() in a child process, with stdin as a stream of 64-byte chunks (a pipe gives 64 KB ones).
    const script = `
      import { Readable } from 'node:stream';
      import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli.js')).href)};
      const text = Buffer.from('a 1 1.000001: 1 cpu-clock:\\n\\tffff ' + 'x'.repeat(${4 * MB}) + ' (m)\\n');
      const chunks = function* () { for (let i = 0; i < text.length; i += 64) yield text.subarray(i, i + 64); };
      process.exitCode = await main(['collapse', '--weight', 'samples', '-'], { stdin: Readable.from(chunks()), stdout: process.stdout, stderr: process.stderr });
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, maxBuffer: 1 << 30, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`a;${'x'.repeat(4 * MB)} 1\n`);
  });
});
