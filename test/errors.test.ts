// What the CLI says about bad input and bad options (one line, the file named, no stack trace, non-zero
// exit), and how it recovers from oddities that real files have.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collapse } from '../src/flamegraph/collapse';
import { PerfScriptParser } from '../src/parse/perf-script';
import { corpus, ROOT, runCli, type CliResult } from './support/corpus';
import { resolveWeights } from '../src/model/metrics';


const EXAMPLE = join(ROOT, 'examples/pattern.txt.gz');
const NO_TIMESTAMPS = corpus('perf', 'perf-funcab-pid-01.txt');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flamescope-errors-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** A failed run: exactly one stderr line, `flamescope: <file>: <message>`, and no stack trace. */
function expectOneLineError(r: CliResult, file: string, message: RegExp, status = 1): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(lines[0]!.startsWith(`flamescope: ${file}: `), lines[0]).toBe(true);
  expect(lines[0]!.slice(`flamescope: ${file}: `.length)).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
}

describe('input errors: one line naming the file, exit 1', () => {
  it('missing file', () => {
    const path = join(dir, 'no-such-file.txt');
    expectOneLineError(runCli(['collapse', path]), path, /^no such file$/);
  });

  it('empty file', () => {
    const path = write('empty.txt', '');
    expectOneLineError(runCli(['collapse', path]), path, /^empty file/);
  });

  it('empty stdin', () => {
    expectOneLineError(runCli(['collapse', '-'], ''), '<stdin>', /^empty file/);
  });

  it('a file with only comments has no samples', () => {
    const path = write('comments.txt', '# ========\n# hostname : box\n# perf version : 6.1\n#\n');
    expectOneLineError(runCli(['collapse', path]), path, /^no samples \(expected `perf script` output\)$/);
  });

  it('a text file that is not perf script output says which line is wrong', () => {
    const path = write('garbage.txt', 'Dear diary,\nthis is not a profile.\n\nNor is this.\n');
    expectOneLineError(runCli(['collapse', path]), path, /^no samples: line 1 is not a perf script record header: "Dear diary,"$/);
  });

  it('truncated gzip (a real .gz cut in half)', () => {
    const gz = readFileSync(EXAMPLE);
    const path = write('truncated.txt.gz', gz.subarray(0, gz.length >> 1));
    expectOneLineError(runCli(['collapse', path]), path, /^truncated gzip data/);
  });

  it('corrupt gzip (bytes flipped in the middle)', () => {
    const gz = Buffer.from(readFileSync(EXAMPLE));
    const mid = gz.length >> 1;
    for (let i = mid; i < mid + 64; i++) gz[i] = gz[i]! ^ 0xff;
    const path = write('corrupt.txt.gz', gz);
    expectOneLineError(runCli(['collapse', path]), path, /^corrupt gzip data \(.+\)$/);
  });

  it('gzip with a bad header', () => {
    const gz = Buffer.from(readFileSync(EXAMPLE));
    gz[2] = 0x63; // compression method: only 8 (deflate) exists
    const path = write('bad-header.txt.gz', gz);
    expectOneLineError(runCli(['collapse', path]), path, /gzip/);
  });

  it('binary input (random bytes with NULs)', () => {
    const bytes = randomBytes(8192);
    bytes[100] = 0;
    bytes[0] = 0x41; // not a gzip magic by chance
    const path = write('random.bin', bytes);
    expectOneLineError(runCli(['collapse', path]), path, /^binary input/);
  });

  it('gzip of binary data', () => {
    const path = write('binary.gz', gzipSync(Buffer.concat([Buffer.from('abc'), Buffer.alloc(100), randomBytes(1000)])));
    expectOneLineError(runCli(['collapse', path]), path, /^binary input/);
  });

  it('a perf.data file says how to convert it', () => {
    const path = write('perf.data', Buffer.concat([Buffer.from('PERFILE2'), randomBytes(4096)]));
    expectOneLineError(runCli(['collapse', path]), path, /^this is a perf\.data file; convert it first: perf script/);
  });

  it('an empty directory (a directory is read as its files: see multi-file.test.ts)', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path, { recursive: true });
    expectOneLineError(runCli(['collapse', path]), path, /^an empty directory: no files to read/);
  });
});

describe('option errors', () => {
  it('unknown option: a usage error, exit 2, one line', () => {
    const r = runCli(['collapse', '--no-such-option', EXAMPLE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("flamescope: unknown option '--no-such-option'\n");
    expect(r.stdout).toBe('');
  });

  it('unknown command: a usage error, exit 2', () => {
    const r = runCli(['fold', EXAMPLE]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toMatch(/^flamescope: unknown command 'fold'/);
  });

  it('bad --idle value: a usage error, exit 2', () => {
    const r = runCli(['collapse', '--idle', 'maybe', EXAMPLE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^flamescope: .*--idle.*maybe.*\n$/);
  });

  it('collapse --from 5 --to 3', () => {
    expectOneLineError(runCli(['collapse', '--from', '5', '--to', '3', EXAMPLE]), EXAMPLE, /^--from 5 is after --to 3$/);
  });

  it('collapse --from past the end of a timestamped file names the extent', () => {
    expectOneLineError(
      runCli(['collapse', '--from', '9999', EXAMPLE]),
      EXAMPLE,
      /^--from 9999 is past the end of the profile \(the profile spans [\d.]+–[\d.]+ s after t0 = \d+ s\)$/,
    );
  });

  it('collapse --to before the first sample', () => {
    const r = runCli(['collapse', '--from', '0', '--to', '0', EXAMPLE]);
    expectOneLineError(r, EXAMPLE, /^--to 0 is before the first sample/);
  });

  it('collapse --from that is not a number', () => {
    expectOneLineError(runCli(['collapse', '--from', 'soon', EXAMPLE]), EXAMPLE, /^--from "soon" is not a time in seconds/);
  });

  it('collapse --from on a file without timestamps says how to record them', () => {
    expectOneLineError(
      runCli(['collapse', '--from', '1', NO_TIMESTAMPS]),
      NO_TIMESTAMPS,
      /needs timestamps, and this profile has none; record them with `perf script -F \+time`/,
    );
  });

  it('collapse --event-filter with an event the file does not have lists the events', () => {
    const file = corpus('perf', 'perf-cycles-instructions-01.txt');
    expectOneLineError(
      runCli(['collapse', '--event-filter', 'branch-misses', file]),
      file,
      /^unknown event "branch-misses"; this profile has: instructions \(333 samples\), cycles \(111 samples\)$/,
    );
  });
});

describe('recoverable oddities', () => {
  const CLEAN = corpus('perf', 'perf-funcab-cmd-01.txt');
  const cleanText = (): string => readFileSync(CLEAN, 'utf8');
  const collapseOf = (path: string): CliResult => runCli(['collapse', path]);

  it('garbage lines: the clean output plus one warning with the count and the first line number', () => {
    const clean = collapseOf(CLEAN);
    expect(clean.status).toBe(0);
    expect(clean.stderr).toBe('');
    const lines = cleanText().split('\n');
    // Inside a stack, between two records (just before a header), and at the very end.
    const firstBlank = lines.indexOf('');
    expect(firstBlank).toBeGreaterThan(0);
    const midStack = lines.findIndex((l) => l.startsWith('\t')) + 1;
    expect(midStack).toBeLessThan(firstBlank);
    const injected = [...lines];
    injected.splice(firstBlank + 1, 0, '@@@ this line is noise @@@');
    injected.splice(midStack, 0, '\t!!! not a frame !!!');
    injected.push('trailing garbage without a newline');
    const path = write('garbage-injected.txt', injected.join('\n'));
    const r = collapseOf(path);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
    expect(r.stderr).toBe(
      `flamescope: ${path}: warning: skipped 3 unparseable lines (first at line ${midStack + 1}: "\\t!!! not a frame !!!")\n`,
    );
  });

  it('stdin via - equals the file output, plain and gzip', () => {
    const plain = collapseOf(CLEAN);
    const fromStdin = runCli(['collapse', '-'], readFileSync(CLEAN));
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.stdout).toBe(plain.stdout);
    const gz = collapseOf(EXAMPLE);
    const gzFromStdin = runCli(['collapse', '-'], readFileSync(EXAMPLE));
    expect(gzFromStdin.status).toBe(0);
    expect(gzFromStdin.stdout).toBe(gz.stdout);
    expect(gzFromStdin.stdout.length).toBeGreaterThan(0);
  });

  it('gzip is detected by its magic bytes, not the name', () => {
    const path = write('really-gzip.txt', readFileSync(EXAMPLE));
    const plainNamedGz = write('really-plain.gz', gunzipSync(readFileSync(EXAMPLE)));
    const expected = collapseOf(EXAMPLE).stdout;
    expect(collapseOf(path).stdout).toBe(expected);
    expect(collapseOf(plainNamedGz).stdout).toBe(expected);
  });

  it('CRLF line endings give the same output', () => {
    const path = write('crlf.txt', cleanText().replace(/\n/g, '\r\n'));
    const r = collapseOf(path);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(collapseOf(CLEAN).stdout);
  });

  it('whitespace-only record separators give the same output', () => {
    let n = 0;
    const text = cleanText().replace(/^$/gm, () => [' ', '\t', '  \t ', '\r'][n++ % 4]!);
    expect(n).toBeGreaterThan(10);
    const path = write('whitespace-separators.txt', text);
    const r = collapseOf(path);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(collapseOf(CLEAN).stdout);
  });

  it('CRLF and whitespace-only separators through gzip and stdin', () => {
    const text = gunzipSync(readFileSync(EXAMPLE)).toString('utf8').replace(/\n\n/g, '\n \t\n').replace(/\n/g, '\r\n');
    const r = runCli(['collapse', '-'], gzipSync(text));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(collapseOf(EXAMPLE).stdout);
  });

  it('a file without a trailing newline or blank line keeps its last record', () => {
    const text = cleanText().replace(/\s+$/, '');
    const path = write('no-trailing-newline.txt', text);
    const r = collapseOf(path);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(collapseOf(CLEAN).stdout);
    // And the last record really counts: dropping it changes the output.
    const withoutLast = text.slice(0, text.lastIndexOf('\n\n'));
    expect(collapseOf(write('without-last.txt', withoutLast)).stdout).not.toBe(r.stdout);
  });

  it('a record with no blank line before the next header still ends there', () => {
    const text = cleanText().replace(/\n\n(?=\S)/g, '\n');
    const path = write('no-separators.txt', text);
    const r = collapseOf(path);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(collapseOf(CLEAN).stdout);
  });
});

describe('output', () => {
  it('a reader that stops early (`collapse | head -1`) ends the run quietly, exit 0', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/flamescope.js'), 'collapse', corpus('recorded', 'perf.big999.txt.gz')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});

describe('the parser is independent of how the input is cut into chunks', () => {
  it('feeding a corpus file in odd-sized chunks (CRLF included) gives the same profile', () => {
    const text = Buffer.from(readFileSync(corpus('perf', 'perf-iperf-stacks-pidtid-01.txt'), 'utf8').replace(/\n/g, '\r\n'));
    const fold = (chunkSizes: number[]): string[] => {
      const parser = new PerfScriptParser('x');
      let pos = 0;
      for (let k = 0; pos < text.length; k++) {
        const size = chunkSizes[k % chunkSizes.length]!;
        parser.feed(text.subarray(pos, pos + size));
        pos += size;
      }
      const profile = parser.finish();
      expect(profile.warnings.skippedLines).toBe(0);
      return collapse(profile, { event: 0, idle: 'keep', range: null }, { root: 'tid', kernel: true, jit: true, addrs: true, weights: resolveWeights(profile, 'period', 0) });
    };
    const whole = fold([text.length]);
    expect(whole.length).toBeGreaterThan(10);
    expect(fold([1, 2, 3, 5, 8, 13, 4096])).toEqual(whole);
    expect(fold([7919])).toEqual(whole);
  });
});
