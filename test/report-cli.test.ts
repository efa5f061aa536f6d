// `flamescope report` on the command line: a profile without timestamps still gives a page, and the page
// carries the input's base name, never the path of the machine that built it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, runCli } from './support/corpus';

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
    expect(html).toMatch(/<p class="note" id="no-time">This profile has no timestamps/);
    expect(html).toContain('<code>perf script -F +time</code>');
    expect(html).toContain('class="panel no-time"');
  });

  it('a timestamped profile has no such note', () => {
    const out = join(dir, 'pattern.html');
    const r = runCli(['report', corpus('recorded', 'perf.pattern49.txt.gz'), '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('id="no-time"');
    expect(html).toContain('Subsecond-offset heat map');
  });

  it('--select on it is one clear error', () => {
    const r = runCli(['report', NO_TIMESTAMPS, '--select', '1:2', '-o', join(dir, 'x.html')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^flamescope: .*perf-funcab-pid-01\.txt: --select needs timestamps, and this profile has none[^\n]*\n$/);
  });
});
