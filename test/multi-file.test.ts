// Several input files on one time axis (issue 7): a profile cut into pieces at record boundaries and read back
// as pieces — in any order on the command line, or as a directory — is the profile of the whole file: the same
// heat maps, flame graphs, folded stacks and embedded report data, byte for byte. And a real rotation
// (perf record --switch-output) reads as one continuous recording.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReportName } from '../src/cli';
import type { Profile } from '../src/parse/profile';
import { decodeProfile } from '../src/render/profile-codec';
import { corpus, ROOT, runCli, type CliResult } from './support/corpus';

const FLAMEPROF = corpus('weighted', 'flameprof-reconstructed.erl_perf.log');
const PATTERN = join(ROOT, 'examples/pattern.txt.gz');
const ROTATED = join(ROOT, 'examples/rotated');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flamescope-multi-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Where each record of a perf script text ends (after its blank line), found without the parser. */
function recordEnds(text: string): number[] {
  const ends: number[] = [];
  for (let at = text.indexOf('\n\n'); at >= 0; at = text.indexOf('\n\n', at + 1)) {
    if (text[at + 2] !== '\n') ends.push(at + 2);
  }
  return ends;
}

/** The text cut after the given records (1-based counts of records in the pieces before each cut). */
function cutAfterRecords(text: string, cuts: number[]): string[] {
  const ends = recordEnds(text);
  const offsets = [0, ...cuts.map((k) => ends[k - 1]!), text.length];
  const pieces = offsets.slice(1).map((end, k) => text.slice(offsets[k], end));
  expect(pieces.join('')).toBe(text);
  return pieces;
}

function writePieces(sub: string, names: string[], pieces: string[], gzipped: boolean[] = []): string[] {
  const at = join(dir, sub);
  mkdirSync(at, { recursive: true });
  return pieces.map((text, k) => {
    const path = join(at, names[k]!);
    writeFileSync(path, gzipped[k] === true ? gzipSync(text) : text);
    return path;
  });
}

function ok(r: CliResult): string {
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The profile a report embeds. */
function embedded(html: string): Profile {
  const data = /<script type="application\/octet-stream" id="flamescope-data">([^<]*)<\/script>/.exec(html)![1]!;
  return decodeProfile(new Uint8Array(inflateRawSync(Buffer.from(data.trim(), 'base64'))));
}

function reportOf(inputs: string[], name: string): Profile {
  const out = join(dir, `${name}.html`);
  ok(runCli(['report', ...inputs, '-o', out]));
  return embedded(readFileSync(out, 'utf8'));
}

/** Every column and table of two profiles is the same, except what names the input (source, files, file). */
function expectSameProfile(actual: Profile, expected: Profile): void {
  const names = new Set(['source', 'files', 'file']);
  for (const key of Object.keys(expected) as (keyof Profile)[]) {
    if (names.has(key)) continue;
    expect(actual[key], `profile.${key}`).toEqual(expected[key]);
  }
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
}

/** The commands whose output must not depend on how the input was cut. */
const VIEWS: [string, string[]][] = [
  ['heatmap json', ['heatmap']],
  ['heatmap json, 10 rows, idle kept', ['heatmap', '--rows', '10', '--idle', 'keep']],
  ['heatmap text', ['heatmap', '--format', 'text', '--color', 'never']],
  ['flame json', ['flame', '--format', 'json']],
  ['flame folded', ['flame', '--format', 'folded']],
  ['collapse', ['collapse']],
  ['collapse --tid --all', ['collapse', '--tid', '--all']],
];

/** heatmap text and svg name the input in their caption: that line differs by design. */
function withoutCaption(command: string[], text: string): string {
  return command.includes('text') ? text.split('\n').slice(1).join('\n') : text;
}

describe('a flame_prof log cut into three files reads as the whole file', () => {
  const text = readFileSync(FLAMEPROF, 'utf8');
  // 7 records; the cuts fall between different timestamps (records 2|3 and 5|6).
  const pieces = cutAfterRecords(text, [2, 5]);
  let files: string[];
  let asDirectory: string;
  beforeAll(() => {
    files = writePieces('flameprof', ['a.erl_perf.log', 'b.erl_perf.log', 'c.erl_perf.log'], pieces);
    asDirectory = join(dir, 'flameprof');
  });

  const metric = ['--metric', 'erlang_bin_vheap_size_delta'];
  const views: [string, string[]][] = [
    ...VIEWS,
    ['heatmap json of a signed metric', ['heatmap', ...metric]],
    ['flame json of a signed metric', ['flame', '--format', 'json', ...metric]],
    ['collapse of a metric', ['collapse', ...metric]],
  ];
  for (const [what, command] of views) {
    it(`${what}: byte-identical in file order, shuffled, and as a directory`, () => {
      const whole = ok(runCli([...command, FLAMEPROF]));
      expect(whole.length).toBeGreaterThan(0);
      for (const inputs of [files, [files[2]!, files[0]!, files[1]!], [asDirectory]]) {
        const r = runCli([...command, ...inputs]);
        expect(withoutCaption(command, ok(r)), inputs.join(' ')).toBe(withoutCaption(command, whole));
        expect(r.stderr, inputs.join(' ')).toBe('');
      }
    });
  }

  it("the report's embedded profile: every column the same; the files listed in time order, each sample's file right", () => {
    const whole = reportOf([FLAMEPROF], 'flameprof-whole');
    // Which piece each record went to, by counting records in the pieces (not by the parser).
    const expectedFile = pieces.flatMap((piece, k) => recordEnds(piece).map(() => k));
    expect(expectedFile).toEqual([0, 0, 1, 1, 1, 2, 2]);
    for (const [name, inputs] of [
      ['in order', files],
      ['shuffled', [files[1]!, files[2]!, files[0]!]],
      ['directory', [asDirectory]],
    ] as const) {
      const multi = reportOf([...inputs], `flameprof-${name}`);
      expectSameProfile(multi, whole);
      expect(multi.files, name).toEqual(['a.erl_perf.log', 'b.erl_perf.log', 'c.erl_perf.log']);
      expect(Array.from(multi.file), name).toEqual(expectedFile);
      expect(multi.source, name).toBe('a.erl_perf.log and 2 more');
    }
    expect(whole.files).toEqual(['flameprof-reconstructed.erl_perf.log']);
  });
});

describe('a perf recording cut into three files (one gzip’d, the header only in the first) reads as the whole file', () => {
  const text = gunzipSync(readFileSync(PATTERN)).toString('utf8');
  const records = recordEnds(text).length;
  const pieces = cutAfterRecords(text, [Math.floor(records / 3), Math.floor((2 * records) / 3)]);
  let files: string[];
  beforeAll(() => {
    files = writePieces('pattern', ['p1.txt', 'p2.txt.gz', 'p3.txt'], pieces, [false, true, false]);
  });

  for (const [what, command] of [...VIEWS, ['flame json of a range across the cuts', ['flame', '--format', 'json', '--from', '4', '--to', '12']]] as [string, string[]][]) {
    it(`${what}: byte-identical, also shuffled`, () => {
      const whole = ok(runCli([...command, PATTERN]));
      for (const inputs of [files, [files[2]!, files[1]!, files[0]!]]) {
        expect(withoutCaption(command, ok(runCli([...command, ...inputs]))), inputs.join(' ')).toBe(withoutCaption(command, whole));
      }
    });
  }

  it("the report's embedded profile, header included", () => {
    const whole = reportOf([PATTERN], 'pattern-whole');
    const multi = reportOf([files[1]!, files[2]!, files[0]!], 'pattern-shuffled');
    expectSameProfile(multi, whole);
    expect(multi.header.hostname).toBeDefined();
    expect(multi.files).toEqual(['p1.txt', 'p2.txt.gz', 'p3.txt']);
    const perPiece = pieces.map((piece) => recordEnds(piece).length);
    expect([0, 1, 2].map((k) => Array.from(multi.file).filter((f) => f === k).length)).toEqual(perPiece);
  });
});

describe('a real rotation: perf record --switch-output=1s, three pieces (examples/rotated)', () => {
  const pieces = readdirSync(ROTATED)
    .filter((f) => f.endsWith('.txt.gz'))
    .sort()
    .map((f) => join(ROTATED, f));
  /** Sample headers in a piece's text (not comments): `bash 29520  9027.507695:    2004008 cpu-clock:pppH:`. */
  const headerTimes = (path: string): number[] =>
    gunzipSync(readFileSync(path))
      .toString('utf8')
      .split('\n')
      .flatMap((line) => {
        const m = /^\S.*\s(\d+\.\d+):\s+\d+ cpu-clock/.exec(line);
        return m === null ? [] : [Number(m[1])];
      });
  type Grid = { t0: number; rows: number; columns: number; samples: number; counts: number[][] };
  const heatmap = (inputs: string[]): Grid => JSON.parse(ok(runCli(['heatmap', '--idle', 'keep', ...inputs]))) as Grid;

  it('is three pieces of about a second each, in time order by name', () => {
    expect(pieces).toHaveLength(3);
    const spans = pieces.map(headerTimes).map((t) => [t[0]!, t[t.length - 1]!]);
    for (const [first, last] of spans) expect(last - first).toBeGreaterThan(0.5);
    expect(spans[1]![0]).toBeGreaterThan(spans[0]![1]!);
    expect(spans[2]![0]).toBeGreaterThan(spans[1]![1]!);
  });

  it('the pieces together give one continuous heat map whose samples are the sum of the pieces', () => {
    const times = pieces.flatMap(headerTimes);
    const merged = heatmap([ROTATED]);
    expect(merged.samples).toBe(times.length);
    expect(merged.samples).toBe(pieces.map((p) => heatmap([p]).samples).reduce((a, b) => a + b));
    expect(merged.t0).toBe(Math.floor(Math.min(...times)));
    expect(merged.columns).toBe(Math.floor(Math.max(...times)) - merged.t0 + 1);
    // Continuous: the busy loop ran the whole time, so each 100 ms from the first sample to the last has samples.
    const perTenth = new Map<number, number>();
    merged.counts.forEach((column, c) => column.forEach((n, r) => perTenth.set(Math.floor((c * merged.rows + r) / (merged.rows / 10)), n + (perTenth.get(Math.floor((c * merged.rows + r) / (merged.rows / 10))) ?? 0))));
    const firstTenth = Math.floor((Math.min(...times) - merged.t0) * 10);
    const lastTenth = Math.floor((Math.max(...times) - merged.t0) * 10);
    for (let k = firstTenth; k <= lastTenth; k++) expect(perTenth.get(k) ?? 0, `${k / 10} s`).toBeGreaterThan(0);
    // Cell by cell, the sum of the pieces' own heat maps, each moved by its t0.
    const sum = merged.counts.map((column) => column.map(() => 0));
    for (const p of pieces) {
      const g = heatmap([p]);
      g.counts.forEach((column, c) => column.forEach((n, r) => (sum[c + g.t0 - merged.t0]![r]! += n)));
    }
    expect(merged.counts).toEqual(sum);
  });

  it("the report: the pieces' zero 'sample duration' is not taken; the duration is the samples' span", () => {
    const out = join(dir, 'rotated.html');
    ok(runCli(['report', ...pieces, '-o', out]));
    const html = readFileSync(out, 'utf8');
    const profile = embedded(html);
    // Each piece's header says `# sample duration :      0.000 ms`.
    for (const p of pieces) expect(gunzipSync(readFileSync(p)).toString('utf8')).toMatch(/^# sample duration :\s+0\.000 ms$/m);
    expect(profile.header.sampleDurationMs).toBeUndefined();
    expect(profile.files).toEqual(pieces.map((p) => basename(p)));
    // The span in microseconds, from the text's timestamps as exact integers.
    const micros = pieces.flatMap(headerTimes).map((t) => Math.round(t * 1e6));
    const span = Math.max(...micros) - Math.min(...micros);
    const fraction = String(span % 1e6).padStart(6, '0').replace(/0+$/, '');
    const duration = `${Math.floor(span / 1e6)}${fraction === '' ? '' : `.${fraction}`}`;
    expect(/<dt>Duration<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1]).toBe(`${duration} s`);
  });

  it('the directory leaves its README out with one warning; the files in any order give the same heat map', () => {
    const r = runCli(['heatmap', ROTATED]);
    expect(r.stderr).toBe(`flamescope: ${ROTATED}: warning: left out 1 file that is not perf script text: README.md (no perf script sample header in it)\n`);
    expect(ok(runCli(['heatmap', pieces[2]!, pieces[0]!, pieces[1]!]))).toBe(r.stdout);
  });
});

describe('what is said about several files', () => {
  const text = readFileSync(FLAMEPROF, 'utf8');
  const ends = recordEnds(text);
  /** Records `from`..`to` (1-based, inclusive). */
  const records = (from: number, to: number): string => text.slice(from === 1 ? 0 : ends[from - 2], ends[to - 1]);

  it('overlapping files: one warning naming both files and the overlap; both files’ samples are counted', () => {
    // Records 1–5 (8812.403117 … 8812.611876) and 3–7 (8812.512094 … 8813.702311): they share 0.512094–0.611876 s.
    const [early, late] = writePieces('overlap', ['early.log', 'late.log'], [records(1, 5), records(3, 7)]);
    const r = runCli(['heatmap', late!, early!]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`flamescope: ${late}: warning: overlaps ${early} by 0.100 s (0.512–0.612 s after t0): both files' samples in that span are counted together\n`);
    expect((JSON.parse(r.stdout) as { samples: number }).samples).toBe(10);
  });

  it('files that only touch (the next starts at the same instant the previous ends) are not an overlap', () => {
    // Records 1 and 2 share the timestamp 8812.403117.
    const files = writePieces('touch', ['one.log', 'two.log'], [records(1, 1), records(2, 7)]);
    const r = runCli(['heatmap', ...files]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(ok(runCli(['heatmap', FLAMEPROF])));
  });

  it('a parse warning names the file the line is in, and its line there', () => {
    const second = records(3, 5).replace('\n\n', '\n\n!!! not a record\n\n');
    const files = writePieces('garbage', ['g1.log', 'g2.log', 'g3.log'], [records(1, 2), second, records(6, 7)]);
    const line = second.split('\n').indexOf('!!! not a record') + 1;
    expect(line).toBeGreaterThan(1);
    const r = runCli(['collapse', files[2]!, files[1]!, files[0]!]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`flamescope: ${files[1]}: warning: skipped 1 unparseable line (first at line ${line}: "!!! not a record")\n`);
  });

  it('a directory leaves out what is not text (an image, an empty file just rotated in) with one warning', () => {
    const at = join(dir, 'mixed-dir');
    writePieces('mixed-dir', ['a.log', 'b.log', 'current.log', 'image.png'], [records(1, 4), records(5, 7), '', '']);
    writeFileSync(join(at, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const r = runCli(['flame', '--format', 'folded', at]);
    expect(r.stderr).toBe(
      `flamescope: ${at}: warning: left out 2 files that are not perf script text: current.log (empty file: no samples), ` +
        'image.png (binary input (NUL bytes): expected `perf script` text, plain or gzip)\n',
    );
    expect(r.stdout).toBe(ok(runCli(['flame', '--format', 'folded', FLAMEPROF])));
  });

  it('files from different hosts: one warning naming the hosts', () => {
    const header = (host: string): string => `# ========\n# hostname : ${host}\n# ========\n#\n`;
    const files = writePieces('hosts', ['h1.log', 'h2.log', 'h3.log'], [header('db-1') + records(1, 2), header('db-1') + records(3, 5), header('web-7') + records(6, 7)]);
    const r = runCli(['heatmap', ...files]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`flamescope: ${files[0]}: warning: the files come from different hosts: "db-1" and "web-7" (${files[2]}); the profile mixes their samples on one time axis\n`);
  });

  it('a time jump between two files names the lines with their files', () => {
    const later = records(6, 7).replaceAll('8813.702311', '18813.702311');
    const files = writePieces('jump', ['j1.log', 'j2.log'], [records(1, 5), later]);
    const r = runCli(['collapse', ...files]);
    expect(r.status).toBe(0);
    const j2Line = 1;
    const j1Line = records(1, 5).split('\n').findIndex((l) => l.includes('8812.611876')) + 1;
    expect(r.stderr).toBe(
      `flamescope: ${files[0]} and 1 more: warning: time jumps forward by 2.78 h between line ${j1Line} of ${files[0]} (8812.611876 s) and line ${j2Line} of ${files[1]} (18813.702311 s) (two recordings concatenated, or a corrupt timestamp?)\n`,
    );
  });
});

describe('input errors with several files: one line naming the file', () => {
  const text = readFileSync(FLAMEPROF, 'utf8');
  const expectError = (r: CliResult, file: string, message: string, status = 1): void => {
    expect(r.stderr).toBe(`flamescope: ${file}: ${message}\n`);
    expect(r.status).toBe(status);
    expect(r.stdout).toBe('');
  };

  it('a file without samples among profiles', () => {
    const [good, empty] = writePieces('nosamples', ['good.log', 'comments.log'], [text, '# only a comment\n']);
    expectError(runCli(['heatmap', good!, empty!]), empty!, 'no samples (expected `perf script` output)');
  });

  it('a missing file among profiles', () => {
    const missing = join(dir, 'no-such.log');
    expectError(runCli(['flame', FLAMEPROF, missing]), missing, 'no such file');
  });

  it('stdin only alone', () => {
    expectError(runCli(['collapse', FLAMEPROF, '-'], Buffer.from(text)), '-', 'standard input can only be read alone, not with other files');
  });

  it('the same file twice', () => {
    expectError(runCli(['collapse', FLAMEPROF, FLAMEPROF]), FLAMEPROF, 'given twice');
  });

  it('an empty directory', () => {
    const empty = join(dir, 'empty-dir');
    mkdirSync(join(empty, 'a-subdirectory'), { recursive: true });
    writeFileSync(join(empty, '.hidden.log'), text);
    expectError(runCli(['report', empty]), empty, 'an empty directory: no files to read (subdirectories are not read)');
  });

  it('a directory without any profile says what each file is', () => {
    const notes = join(dir, 'notes-dir');
    mkdirSync(notes, { recursive: true });
    writeFileSync(join(notes, 'README.md'), '# Incident 7731\n\nSee the graphs.\n');
    writeFileSync(join(notes, 'perf.data'), Buffer.concat([Buffer.from('PERFILE2'), Buffer.alloc(64)]));
    expectError(
      runCli(['heatmap', notes]),
      notes,
      'no perf script profiles in this directory (README.md: no perf script sample header in it; perf.data: this is a perf.data file; convert it first: perf script --header -i FILE > FILE.txt)',
    );
  });

  it('a named file that is not a profile is refused, not left out', () => {
    const [readme] = writePieces('named', ['README.md'], ['# Incident 7731\n']);
    expectError(runCli(['heatmap', FLAMEPROF, readme!]), readme!, 'no samples (expected `perf script` output)');
  });

  it('a truncated gzip in a directory is a damaged profile: refused', () => {
    const gz = gzipSync(text);
    const at = join(dir, 'truncated-dir');
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'a.log'), text);
    writeFileSync(join(at, 'b.log.gz'), gz.subarray(0, gz.length >> 1));
    expectError(runCli(['heatmap', at]), join(at, 'b.log.gz'), 'truncated gzip data (unexpected end of file)');
  });
});

describe('the default report name', () => {
  it('one file as before, a directory by its name, several files by the first and how many more', () => {
    expect(defaultReportName(['x/stacks.txt.gz'])).toBe('stacks.html');
    expect(defaultReportName(['-'])).toBe('flamescope-report.html');
    expect(defaultReportName([ROTATED], ['a', 'b'])).toBe('rotated.html');
    expect(defaultReportName(['a.txt', 'b.txt', 'c.txt'], ['logs/b.txt', 'a.txt', 'c.txt'])).toBe('b-and-2-more.html');
    expect(basename(defaultReportName(['a.erl_perf.log', 'b.erl_perf.log']))).toBe('a.erl_perf.log-and-1-more.html');
  });
});
