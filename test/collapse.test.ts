// collapse against stackcollapse-perf.pl's expected output for every input and option in the corpus.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collapse, type CollapseOptions } from '../src/flamegraph/collapse';
import { readProfile } from '../src/parse/input';
import { byStem, corpus, foldedCases, inputForStem, runCli } from './support/corpus';
import type { Profile } from '../src/parse/profile';
import { resolveWeights } from '../src/model/metrics';

function optionsFor(option: string | null, profile: Profile): CollapseOptions {
  return {
    root: option === 'tid' ? 'tid' : option === 'pid' ? 'pid' : 'comm',
    kernel: option === 'kernel' || option === 'all',
    jit: option === 'jit' || option === 'all',
    addrs: option === 'addrs',
    weights: resolveWeights(profile, 'period', 0),
  };
}

/** The first differing line, so that a failure names what went wrong. */
function firstDifference(actual: string[], expected: string[]): string {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) return `line ${i + 1}:\n  got      ${actual[i]}\n  expected ${expected[i]}`;
  }
  return 'identical';
}

const cases = foldedCases();

describe('collapse matches stackcollapse-perf.pl byte for byte', () => {
  it('covers all 93 expected files', () => {
    expect(cases).toHaveLength(93);
  });

  for (const [stem, group] of byStem(cases)) {
    it(stem, async () => {
      const profile = await readProfile(inputForStem(stem));
      for (const c of group) {
        const expected = readFileSync(corpus('folded', c.file), 'utf8').split('\n').filter((l) => l !== '');
        const actual = collapse(profile, { event: 0, idle: 'keep', range: null }, optionsFor(c.option, profile));
        expect(firstDifference(actual, expected), `${c.file}`).toBe('identical');
      }
    });
  }

  it('the CLI prints the same bytes as the expected file (gzip input, option flags)', () => {
    const r = runCli(['collapse', '--all', inputForStem('perf-workload-default')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(corpus('folded', 'perf-workload-default-collapsed-all.txt'), 'utf8'));
  });

  it('keeps the first event seen and says so, like the Perl script', () => {
    const r = runCli(['collapse', corpus('perf', 'perf-cycles-instructions-01.txt')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/keeping only the first event seen, instructions/);
    const total = r.stdout.trim().split('\n').reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(total).toBe(333);
    const cycles = runCli(['collapse', '--event-filter', 'cycles', corpus('perf', 'perf-cycles-instructions-01.txt')]);
    expect(cycles.stdout.trim().split('\n').reduce((sum, l) => sum + Number(l.split(' ').pop()), 0)).toBe(111);
  });
});
