// buildFlameTree: its paths and self weights are stackcollapse-perf.pl's folded lines for every input and naming
// of the corpus; children in code-point order; the rules a hand-made profile pins down (merged names, dropped
// frames, threads that differ in spaces, the kind of a node whose frames differ in kind); 10,000-deep stacks;
// and the report's TreeCache.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../src/flamegraph/collapse';
import { DEFAULT_NAMES, FrameNames, type NameOptions } from '../src/flamegraph/names';
import { buildFlameTree, type FlameNode } from '../src/flamegraph/tree';
import { TreeCache } from '../src/flamegraph/tree-cache';
import { selectSamples } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import type { Profile } from '../src/parse/profile';
// @ts-expect-error plain JS script without type declarations
import { synthProfile } from '../scripts/synth-profile.js';
import { byStem, corpus, foldedCases, inputForStem } from './support/corpus';
import { resolveWeights, SAMPLES } from '../src/model/metrics';
import { child } from './support/docs';


/** Every node with self weight as a folded line `thread;frame;...;frame self`, walked without recursion. */
function foldedLines(root: FlameNode): string[] {
  const lines: string[] = [];
  const pending: [FlameNode, string][] = root.children.map((c) => [c, c.name]);
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (node.self !== 0) lines.push(`${path} ${node.self}`);
    for (const c of node.children) pending.push([c, `${path};${c.name}`]);
  }
  return lines.sort(compareCodePoints);
}

/** value = self + children's values, children in code-point order, everywhere; returns the depth. */
function checkTree(root: FlameNode): number {
  let deepest = 0;
  const pending: [FlameNode, number][] = [[root, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    deepest = Math.max(deepest, depth);
    let sum = node.self;
    for (const c of node.children) sum += c.value;
    expect(node.value, node.name).toBe(sum);
    for (let k = 1; k < node.children.length; k++) {
      expect(compareCodePoints(node.children[k - 1]!.name, node.children[k]!.name), node.name).toBeLessThan(0);
    }
    for (const c of node.children) pending.push([c, depth + 1]);
  }
  return deepest;
}

function namesFor(option: string | null): NameOptions {
  return { kernel: option === 'kernel' || option === 'all', jit: option === 'jit' || option === 'all', addrs: option === 'addrs' };
}

function tree(profile: Profile, names = new FrameNames(profile, DEFAULT_NAMES), weight: 'samples' | 'period' = 'period'): FlameNode {
  return buildFlameTree(profile, selectSamples(profile, { event: 0, idle: 'keep', range: null }), { weights: resolveWeights(profile, weight, 0), names });
}

describe("the tree's paths are stackcollapse-perf.pl's folded lines", () => {
  // --pid and --tid change the root frame, which the tree does not show.
  const cases = foldedCases().filter((c) => c.option !== 'pid' && c.option !== 'tid');
  it('covers the corpus', () => {
    expect(cases.length).toBeGreaterThan(50);
  });
  for (const [stem, group] of byStem(cases)) {
    it(stem, async () => {
      const profile = await readProfile(inputForStem(stem));
      for (const c of group) {
        const expected = readFileSync(corpus('folded', c.file), 'utf8').split('\n').filter((l) => l !== '');
        const t = tree(profile, new FrameNames(profile, namesFor(c.option)));
        expect(foldedLines(t), c.file).toEqual([...expected].sort(compareCodePoints));
        checkTree(t);
      }
    });
  }
});

/** A perf script file from records `[comm, [frame lines, leaf first]]`, 1 ms apart, period 10 * (k + 1). */
async function handMade(records: [string, string[]][]): Promise<Profile> {
  const text = records
    .map(([comm, frames], k) => `${comm} 42/42 [000] 100.${String(k + 1).padStart(3, '0')}000: ${10 * (k + 1)} cycles: \n${frames.map((f) => `\t${f}\n`).join('')}`)
    .join('\n');
  const file = join(mkdtempSync(join(tmpdir(), 'flame-tree-')), 'hand.txt');
  writeFileSync(file, text);
  return readProfile(file);
}


describe('buildFlameTree on a hand-made profile', () => {
  it('orders children by code point, not UTF-16 unit: U+FF01 before U+1F600', async () => {
    const p = await handMade([
      ['app', ['1 \u{1F600}x+0x1 (/bin/app)', '2 main+0x1 (/bin/app)']],
      ['app', ['3 \uFF01y+0x1 (/bin/app)', '2 main+0x1 (/bin/app)']],
      ['app', ['4 zed+0x1 (/bin/app)', '2 main+0x1 (/bin/app)']],
    ]);
    expect(child(tree(p), 'app', 'main').children.map((c) => c.name)).toEqual(['zed', '\uFF01y', '\u{1F600}x']);
  });

  it('merges frames that get one name, folds dropped frames into their caller, and threads that differ in spaces', async () => {
    const p = await handMade([
      ['my app', ['1 work+0x1 (/bin/app)', '2 main+0x1 (/bin/app)']],
      ['my_app', ['5 work+0x9 (/lib/other.so)', '2 main+0x1 (/bin/app)']],
      ['my app', ['6 work+0x1 (/bin/app)', '7 (anonymous)+0x1 (/bin/app)', '2 main+0x1 (/bin/app)']],
    ]);
    const t = tree(p);
    expect(t.children.map((c) => c.name)).toEqual(['my_app']);
    expect(child(t, 'my_app', 'main').children.map((c) => c.name)).toEqual(['work']);
    expect(child(t, 'my_app', 'main', 'work')).toMatchObject({ value: 10 + 20 + 30, self: 60 });
  });

  it("gives a node whose frames differ in kind the kind of the first sample's frame in the selection", async () => {
    const p = await handMade([
      ['app', ['1 foo+0x1 ([kernel.kallsyms])', '2 main+0x1 (/bin/app)']],
      ['app', ['3 foo+0x1 (/lib/libfoo.so)', '2 main+0x1 (/bin/app)']],
    ]);
    const names = new FrameNames(p, DEFAULT_NAMES);
    const kindOfFoo = (samples: number[]): string =>
      child(buildFlameTree(p, Uint32Array.from(samples), { weights: SAMPLES, names }), 'app', 'main', 'foo').kind;
    expect(kindOfFoo([0, 1])).toBe('kernel');
    expect(kindOfFoo([1])).toBe('user');
    expect(kindOfFoo([1, 0])).toBe('user');
    expect(kindOfFoo([0])).toBe('kernel');
  });

  it('gives an empty selection a bare root', async () => {
    const p = await handMade([['app', ['1 main+0x1 (/bin/app)']]]);
    expect(buildFlameTree(p, new Uint32Array(0), { weights: SAMPLES, names: new FrameNames(p, DEFAULT_NAMES) })).toEqual({
      name: 'all',
      value: 0,
      self: 0,
      net: 0,
      samples: 0,
      kind: 'root',
      children: [],
    });
  });
});

describe('deep stacks', () => {
  it('builds a tree of 10,000-deep stacks without recursion', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flame-tree-')), 'deep.txt');
    writeFileSync(file, [...(synthProfile({ seconds: 2, hz: 5, depth: 10000, idle: 0.2 }) as Iterable<string>)].join(''));
    const p = await readProfile(file);
    const t = tree(p, undefined, 'samples');
    expect(t.value).toBe(p.sampleCount);
    // all → worker → __libc_start_call_main → main → 10,000 × recurse → leaf
    expect(checkTree(t)).toBe(10004);
  });
});

describe('TreeCache', () => {
  it('gives the same tree for the same view, a new one for another, and forgets the oldest', async () => {
    const p = await readProfile(corpus('perf', 'perf-numa-stacks-01.txt'));
    const cache = new TreeCache(p, new FrameNames(p, DEFAULT_NAMES), 2);
    const whole = { event: 0, idle: 'keep', range: null } as const;
    const busy = { event: 0, idle: 'drop', range: null } as const;
    expect(cache.has(whole, resolveWeights(p, 'samples', 0))).toBe(false);
    const first = cache.get(whole, resolveWeights(p, 'samples', 0));
    expect(cache.has(whole, resolveWeights(p, 'samples', 0))).toBe(true);
    expect(cache.has(busy, resolveWeights(p, 'samples', 0))).toBe(false);
    expect(first.samples).toBe(selectSamples(p, whole).length);
    expect(cache.get(whole, resolveWeights(p, 'samples', 0))).toBe(first);
    const dropped = cache.get(busy, resolveWeights(p, 'samples', 0));
    expect(dropped).not.toBe(first);
    expect(dropped.tree.value).toBeLessThan(first.tree.value);
    expect(cache.get(whole, resolveWeights(p, 'samples', 0))).toBe(first);
    cache.get(whole, resolveWeights(p, 'period', 0)); // a third view: `busy` was used longest ago and goes
    expect(cache.has(busy, resolveWeights(p, 'samples', 0))).toBe(false);
    expect(cache.get(whole, resolveWeights(p, 'samples', 0))).toBe(first);
    const again = cache.get(busy, resolveWeights(p, 'samples', 0));
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
  });
});
