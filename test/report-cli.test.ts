// `flamescope report` on the command line: a profile without timestamps still gives a page, and the page
// carries the input's base name, never the path of the machine that built it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../src/render/profile-codec';
import { corpus, ROOT, runCli } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-report-cli-'));
/** perf-funcab-pid-01.txt: 228 samples, no timestamps (corpus README). */
const NO_TIMESTAMPS = corpus('perf', 'perf-funcab-pid-01.txt');

describe('report of a profile without timestamps', () => {
  it('writes a page with a note instead of refusing, and says so on stderr', () => {
    const out = join(dir, 'funcab.html');
    const r = runCli(['report', NO_TIMESTAMPS, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^flamescope: .*perf-funcab-pid-01\.txt: warning: no timestamps: .*perf script -F \+time/);
    expect(lines[1]).toMatch(/^flamescope: wrote /);
    const html = readFileSync(out, 'utf8');
    const note = /<p class="note" id="no-time">([^]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(note).toMatch(/^This profile has no timestamps, so there is no heat map/);
    expect(note).toContain('<code>perf script -F +time</code>');
    expect(html.includes('class="panel no-time"')).toBe(true);
  });

  it('a timestamped profile has no such note', () => {
    const out = join(dir, 'pattern.html');
    const r = runCli(['report', corpus('recorded', 'perf.pattern49.txt.gz'), '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const html = readFileSync(out, 'utf8');
    expect(html.includes('id="no-time"')).toBe(false);
    expect(html.includes('<strong>Subsecond-offset heat map</strong>')).toBe(true);
  });

  it('--select on it is one clear error', () => {
    const r = runCli(['report', NO_TIMESTAMPS, '--select', '1:2', '-o', join(dir, 'x.html')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^flamescope: .*perf-funcab-pid-01\.txt: --select needs timestamps, and this profile has none[^\n]*\n$/);
  });
});

describe('the name a report shows', () => {
  it('is the base name of the input: no path of the building machine anywhere in the page or its data', () => {
    // An input deep in a directory that names its owner, given as an absolute path.
    const home = join(dir, 'home', 'alice-qz7', 'incident-7731');
    mkdirSync(home, { recursive: true });
    const input = join(home, 'pattern run 2.txt.gz');
    copyFileSync(corpus('recorded', 'perf.pattern49.txt.gz'), input);
    const out = join(dir, 'named.html');
    const r = runCli(['report', input, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const path of [dir, home, ROOT, process.cwd(), 'alice-qz7', 'incident-7731']) {
      expect(html.includes(path), `${path} in the HTML`).toBe(false);
    }
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe('flamescope: pattern run 2.txt.gz');
    expect(/<dt>File<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1]).toBe('pattern run 2.txt.gz');
    // The embedded profile (deflated, so a plain search cannot see it) names the input the same way.
    const data = /<script type="application\/octet-stream" id="flamescope-data">([^<]*)<\/script>/.exec(html)![1]!;
    const embedded = decodeProfile(new Uint8Array(inflateRawSync(Buffer.from(data.trim(), 'base64'))));
    expect(embedded.source).toBe('pattern run 2.txt.gz');
  });

  it('is <stdin> for standard input', () => {
    const out = join(dir, 'stdin.html');
    const r = runCli(['report', '-', '-o', out], readFileSync(corpus('perf', 'perf-dd-stacks-01.txt')));
    expect(r.status, r.stderr).toBe(0);
    expect(/<dt>File<\/dt><dd>([^<]*)<\/dd>/.exec(readFileSync(out, 'utf8'))?.[1]).toBe('&lt;stdin&gt;');
  });
});
