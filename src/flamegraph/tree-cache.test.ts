// The report's tree cache keys on everything a tree depends on: samples, metric, levels and naming.
import { describe, expect, it } from 'vitest';
import { corpus } from '../../test/support/corpus';
import { resolveWeights } from '../model/metrics';
import { readProfile } from '../parse/input';
import { DISPLAY_NAMES, FrameNames } from './names';
import { TreeCache } from './tree-cache';
import { parseGroups } from './tree';

describe('TreeCache keys', () => {
  it('a metric, a rate, levels or a naming make another tree; asking again gives the same one', async () => {
    const p = await readProfile(corpus('weighted', 'flameprof-reconstructed.erl_perf.log'));
    const cache = new TreeCache(p, new FrameNames(p, DISPLAY_NAMES), 10);
    const whole = { event: 0, idle: 'keep', range: null } as const;
    const samples = resolveWeights(p, 'samples', 0);
    const delta = resolveWeights(p, 'erlang_bin_vheap_size_delta', 0);
    const rate = resolveWeights(p, 'erlang_bin_vheap_size_delta', 0, { rate: true });
    const views = [
      { weights: samples, shape: {} },
      { weights: delta, shape: {} },
      { weights: rate, shape: {} },
      { weights: delta, shape: { groups: parseGroups('comm')! } },
      { weights: delta, shape: { groups: parseGroups('sign,bucket:erlang_memory,comm')! } },
      { weights: delta, shape: { names: { ...DISPLAY_NAMES, hideCategories: true } } },
      { weights: delta, shape: { names: { ...DISPLAY_NAMES, mergeLines: true } } },
    ];
    const trees = views.map((v) => cache.get(whole, v.weights, v.shape).tree);
    expect(new Set(trees).size).toBe(views.length);
    views.forEach((v, k) => {
      expect(cache.has(whole, v.weights, v.shape)).toBe(true);
      expect(cache.get(whole, v.weights, v.shape).tree).toBe(trees[k]);
    });
    // Equal options given anew are the same view.
    expect(cache.get(whole, delta, { names: { ...DISPLAY_NAMES, hideCategories: true } }).tree).toBe(trees[5]);
    expect(cache.get(whole, delta, { groups: parseGroups('sign,comm')! }).tree).toBe(trees[1]);
    // What they show differs as the options say (the file has 7 samples, one stack each).
    const names = (t: (typeof trees)[number]): string[] => {
      const out: string[] = [];
      const pending = [t];
      while (pending.length > 0) {
        const n = pending.pop()!;
        out.push(n.name);
        pending.push(...n.children);
      }
      return out;
    };
    expect(names(trees[1]!).some((n) => n.startsWith('(') || n === 'native')).toBe(true);
    expect(names(trees[5]!).some((n) => n.startsWith('(') || n === 'native')).toBe(false);
    expect(names(trees[1]!).some((n) => /;\d+$/.test(n))).toBe(true);
    expect(names(trees[6]!).some((n) => /;\d+$/.test(n))).toBe(false);
    expect(trees[3]!.children.map((c) => c.name)).not.toContain('negative');
    expect(trees[1]!.children.map((c) => c.name)).toContain('negative');
  });
});
