// The CI part of the fuzzing (issue 11): a few thousand mutated corpus files through every command, in worker
// threads running the built CLI's main(). Each run must keep the CLI's promises (see test/fuzz/promises.ts): exit
// 0 with valid output, or one `flamescope: <file>: ...` line and exit 1 or 2; no internal error, no hang, memory
// bounded. The long run is `npm run fuzz` (20,000 cases, bigger inputs and longer lines).
import { describe, expect, it } from 'vitest';
import { ciOptions } from './fuzz/presets';
import { runFuzz } from './fuzz/runner';
import { xmlProblem } from './fuzz/xml';
import { runProblem } from './fuzz/promises';
import { seedFiles } from './fuzz/seeds';
import { readProfile } from '../src/parse/input';
import { ROOT } from './support/corpus';

describe('fuzzing the CLI with mutated corpus files', () => {
  it('mutates profiles only: every seed is a profile with samples (not a doc or an expected answer)', async () => {
    const files = seedFiles(ROOT);
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const profile = await readProfile(file);
      expect(profile.sampleCount, file).toBeGreaterThan(0);
    }
  });

  it('3,000 cases keep every promise', async () => {
    const report = await runFuzz(ciOptions());
    const failures = report.failures.map((f) => `case ${f.id} (${f.args.join(' ')}): ${f.problem}${f.command ? `\n  reproduce: ${f.command}` : ''}`);
    expect(failures).toEqual([]);
    expect(report.cases).toBe(3000);
    // The cases must reach both outcomes, or the test would say little.
    expect(report.exits['0']).toBeGreaterThan(500);
    expect(report.exits['1']).toBeGreaterThan(500);
  }, 240_000);
});

describe('the fuzz checks themselves catch what they should', () => {
  it('xmlProblem: well-formed passes, broken fails', () => {
    expect(xmlProblem('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg a="1" b=\'&amp;&#60;\'><g><![CDATA[ <x> ]]><title>a &lt; b</title></g><rect/></svg>\n')).toBeNull();
    for (const bad of ['<svg><g></svg>', '<svg a="<"/>', '<svg>a & b</svg>', '<svg a=1/>', '<svg/><svg/>', '<svg>\u0001</svg>', '<svg a="1" a="2"/>', 'text<svg/>', '<svg>&#1;</svg>']) {
      expect(xmlProblem(bad), bad).not.toBeNull();
    }
  });

  it('runProblem: internal errors, two error lines, non-numbers and bad JSON are failures', () => {
    const args = ['collapse', '-'];
    expect(runProblem(args, { code: 0, stdout: 'a;b 1\nc 2.5\n', stderr: 'flamescope: <stdin>: warning: skipped 1 unparseable line\n' })).toBeNull();
    expect(runProblem(args, { code: 1, stdout: '', stderr: 'flamescope: <stdin>: no samples\n' })).toBeNull();
    expect(runProblem(args, { code: 0, stdout: 'a 1\n', stderr: 'flamescope: <stdin>: note: left out 2 side-band records\n' })).toBeNull();
    expect(runProblem(args, { code: 0, stdout: 'a 1\n', stderr: 'flamescope: <stdin>: wrote x\n' })).toMatch(/not a warning/);
    expect(runProblem(args, { code: 70, stdout: '', stderr: 'flamescope: internal error: Invalid typed array length: Infinity\n' })).toMatch(/internal error/);
    expect(runProblem(args, { code: 0, stdout: 'a;b Infinity\n', stderr: '' })).toMatch(/count/);
    expect(runProblem(args, { code: 1, stdout: '', stderr: 'flamescope: <stdin>: a\nflamescope: <stdin>: b\n' })).toMatch(/exactly one/);
    expect(runProblem(['flame', '--format', 'json', '-'], { code: 0, stdout: '{"name":"all"', stderr: '' })).toMatch(/does not parse/);
    expect(runProblem(['heatmap', '--format', 'json', '-'], { code: 0, stdout: '{"rows":50,"columns":1,"values":[[1]],"max":1,"min":1,"samples":1,"total":1}', stderr: '' })).toMatch(/column 0 has 1 values/);
    const grid = (values: string, counts: string): string => `{"rows":2,"columns":1,"values":[${values}],"counts":[${counts}],"max":0,"min":0,"samples":1,"total":0}`;
    const heatmap = ['heatmap', '--format', 'json', '--rows', '2', '-'];
    expect(runProblem(heatmap, { code: 0, stdout: grid('[0,null]', '[1,0]'), stderr: '' })).toBeNull();
    expect(runProblem(heatmap, { code: 0, stdout: grid('[null,null]', '[1,0]'), stderr: '' })).toMatch(/cell 0,0 is null with 1 samples/);
    expect(runProblem(heatmap, { code: 0, stdout: grid('[0,0]', '[1,0]'), stderr: '' })).toMatch(/cell 0,1 is 0 with 0 samples/);
    expect(runProblem(heatmap, { code: 0, stdout: grid('[0,null]', '[1]'), stderr: '' })).toMatch(/counts of column 0/);
    const flame = ['flame', '--format', 'json', '-'];
    expect(runProblem(flame, { code: 0, stdout: '{"name":"all","value":1,"net":-1,"samples":1,"children":[]}', stderr: '' })).toBeNull();
    expect(runProblem(flame, { code: 0, stdout: '{"name":"all","value":1,"samples":1,"children":[]}', stderr: '' })).toMatch(/has net undefined/);
    expect(runProblem(flame, { code: 0, stdout: '{"name":"all","value":1,"net":1,"samples":0.5,"children":[]}', stderr: '' })).toMatch(/samples is 0.5/);
  });
});
