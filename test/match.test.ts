// Which samples' stacks hold a frame whose shown name matches (src/query/match.ts). Expected counts come from the
// raw perf script text, split into records here with code of our own, never from the code under test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { DISPLAY_NAMES, FrameNames } from '../src/flamegraph/names';
import { readProfile } from '../src/parse/input';
import { bothMatches, compileStackFilter, samplesMatching, shownNames, stacksMatching } from '../src/query/match';
import { UserError } from '../src/errors';
import { corpus } from './support/corpus';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');

/** The records of a perf script text: header line and frame lines, in file order. */
function records(text: string): { header: string; frames: string[] }[] {
  return text
    .split('\n\n')
    .map((r) => r.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
    .filter((lines) => lines.length > 0)
    .map((lines) => ({ header: lines[0]!, frames: lines.slice(1) }));
}

const dir = mkdtempSync(join(tmpdir(), 'flamescope-match-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('samplesMatching', () => {
  it('flags exactly the pattern499 samples whose stack has a burnB frame (counted in the raw text)', async () => {
    const raw = records(gunzipSync(readFileSync(PATTERN)).toString('utf8'));
    const profile = await readProfile(PATTERN);
    expect(profile.sampleCount).toBe(raw.length);
    const flags = samplesMatching(profile, new FrameNames(profile, DISPLAY_NAMES), (n) => /burnB/.test(n));
    // Samples are in file order: compare sample by sample, not only the total.
    const expected = raw.map((r) => (r.frames.some((f) => f.includes('burnB')) ? 1 : 0));
    expect(expected.filter((x) => x === 1).length).toBeGreaterThan(300);
    expect([...flags]).toEqual(expected);
  });

  it('tests each distinct name once, however many frames and samples carry it', async () => {
    const profile = await readProfile(PATTERN);
    const tested: string[] = [];
    samplesMatching(profile, new FrameNames(profile, DISPLAY_NAMES), (n) => {
      tested.push(n);
      return n.includes('burn');
    });
    expect(new Set(tested).size).toBe(tested.length);
    expect(tested.length).toBe(shownNames(profile, new FrameNames(profile, DISPLAY_NAMES)).length);
  });

  it('a frame deep in a 10,000-deep stack flags it (one pass over the trie, no recursion)', async () => {
    const file = join(dir, 'deep.txt');
    await writeSynthProfile(file, { seconds: 2, hz: 5, depth: 10_000 });
    const raw = records(readFileSync(file, 'utf8'));
    const profile = await readProfile(file);
    // The root-most frame of every stack: matching it must flag every sample, through 10,000 parents.
    const rootFrame = /\s(\S+)\+0x/.exec(raw[0]!.frames.at(-1)!)![1]!;
    const flags = samplesMatching(profile, new FrameNames(profile, DISPLAY_NAMES), (n) => n === rootFrame);
    const expected = raw.map((r) => (r.frames.some((f) => f.includes(` ${rootFrame}+0x`)) ? 1 : 0));
    expect([...flags]).toEqual(expected);
    expect(expected).toContain(1);
  });

  it('reads Java threads with their own names (the L class prefix dropped), other threads with theirs', async () => {
    const file = join(dir, 'java.txt');
    const record = (comm: string, tid: number, t: string): string =>
      `${comm} ${tid} ${t}: 10101010 cpu-clock:\n\t    7f0000001000 Lcom/example/Work;::run+0x10 (/tmp/perf-1.map)\n\t    7f0000002000 main+0x20 (/usr/bin/app)\n\n`;
    writeFileSync(file, record('java', 1, '1.000001') + record('app', 2, '1.000002') + record('java', 1, '1.000003'));
    const profile = await readProfile(file);
    const names = new FrameNames(profile, DISPLAY_NAMES);
    // Java's shown name is `com/example/Work;::run`; the other thread shows `Lcom/example/Work;::run`.
    expect([...samplesMatching(profile, names, (n) => n.startsWith('com/'))]).toEqual([1, 0, 1]);
    expect([...samplesMatching(profile, names, (n) => n.startsWith('Lcom/'))]).toEqual([0, 1, 0]);
    expect(shownNames(profile, names).sort()).toEqual(['Lcom/example/Work;::run', 'com/example/Work;::run', 'main']);
  });
});

describe('stacksMatching', () => {
  it('a stack matches when any frame from its top to its root does', async () => {
    const profile = await readProfile(PATTERN);
    const frameFlags = new Uint8Array(profile.frames.length);
    const target = profile.stackFrame[profile.stackParent.findIndex((p) => p >= 0)]!;
    frameFlags[target] = 1;
    const flags = stacksMatching(profile, frameFlags);
    // Checked against a walk up each stack (what the single pass replaces).
    for (let s = 0; s < profile.stackParent.length; s++) {
      let hit = 0;
      for (let t = s; t >= 0; t = profile.stackParent[t]!) if (profile.stackFrame[t] === target) hit = 1;
      expect(flags[s], `stack ${s}`).toBe(hit);
    }
  });
});

describe('compileStackFilter', () => {
  it('--with-frame keeps and --without-frame drops; together a sample must pass both', async () => {
    const profile = await readProfile(PATTERN);
    const raw = records(gunzipSync(readFileSync(PATTERN)).toString('utf8'));
    const has = (r: { frames: string[] }, s: string): boolean => r.frames.some((f) => f.includes(s));
    const passes = (m: ReturnType<typeof compileStackFilter>, i: number): boolean => (m!.flags[i] === 1) === m!.keep;
    const w = compileStackFilter(profile, { withFrame: 'burn' }, DISPLAY_NAMES);
    const wo = compileStackFilter(profile, { withoutFrame: 'burnB' }, DISPLAY_NAMES);
    const both = compileStackFilter(profile, { withFrame: 'burn', withoutFrame: 'burnB' }, DISPLAY_NAMES);
    raw.forEach((r, i) => {
      expect(passes(w, i)).toBe(has(r, 'burn'));
      expect(passes(wo, i)).toBe(!has(r, 'burnB'));
      expect(passes(both, i)).toBe(has(r, 'burn') && !has(r, 'burnB'));
    });
    expect(compileStackFilter(profile, {}, DISPLAY_NAMES)).toBeUndefined();
    expect(bothMatches(undefined, w)).toBe(w);
  });

  it('a bad pattern is a UserError naming the option', async () => {
    const profile = await readProfile(PATTERN);
    expect(() => compileStackFilter(profile, { withoutFrame: 'a(' }, DISPLAY_NAMES)).toThrow(UserError);
    expect(() => compileStackFilter(profile, { withoutFrame: 'a(' }, DISPLAY_NAMES)).toThrow(/--without-frame "a\(" is not a regular expression/);
  });
});
