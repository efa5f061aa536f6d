// The report page's logic without a DOM: permalinks, search, culled layout.
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../flamegraph/tree';
import { describeRange, findPath, formatHash, layoutFlame, matchedWeight, parseHash, rowLabel } from './state';

const node = (name: string, self: number, children: FlameNode[] = []): FlameNode => ({
  name,
  self,
  kind: 'user',
  value: self + children.reduce((a, c) => a + c.value, 0),
  children,
});

/** all → thread → `recurse` × depth → leaf, 7 samples: the shape of `synth-profile.js --depth`. */
function chain(depth: number): FlameNode {
  let top = node('leaf', 7);
  for (let d = 0; d < depth; d++) top = node('recurse', 0, [top]);
  return node('all', 0, [node('worker', 0, [top])]);
}

const tree = node('all', 0, [
  node('java', 0, [node('main', 10, [node('gc', 30, [node('gc_helper', 20)]), node('parse', 39)]), node('tiny', 1)]),
]);

describe('permalinks', () => {
  it('round-trip a range and a search exactly, in nanoseconds', () => {
    const link = parseHash('#from=34.2&to=34.300001&search=gc%7Cparse');
    expect(link.range).toEqual({ start: 34_200_000_000, end: 34_300_001_000 });
    expect(link.search).toBe('gc|parse');
    expect(formatHash(link)).toBe('#from=34.2&to=34.300001&search=gc%7Cparse');
  });

  it('ignore a reversed or malformed range', () => {
    expect(parseHash('#from=5&to=3').range).toBeNull();
    expect(parseHash('#from=x&to=3').range).toBeNull();
    expect(parseHash('').range).toBeNull();
    expect(formatHash({ range: null, search: '' })).toBe('');
  });

  it('describe ranges and rows as people read them', () => {
    expect(describeRange({ start: 3_500_000_000, end: 3_560_000_000 })).toBe('3.5–3.56 s (60 ms)');
    expect(rowLabel(10, 50)).toBe('200–220 ms');
    expect(rowLabel(1, 49)).toBe('20.4–40.8 ms');
  });
});

describe('search', () => {
  const by = (re: RegExp) => (name: string) => re.test(name);

  it('counts nested matches once', () => {
    // gc (50 inclusive) contains gc_helper (20): matched weight is 50, not 70.
    expect(matchedWeight(tree, by(/gc/))).toBe(50);
    expect(matchedWeight(tree, by(/parse|gc_helper/))).toBe(59);
    expect(matchedWeight(tree, by(/^all$/))).toBe(0);
  });

  it('walks a 10,000-deep recursion without overflowing the stack, counting it once', () => {
    const deep = chain(10_000);
    expect(matchedWeight(deep, by(/^recurse$/))).toBe(7);
    expect(matchedWeight(deep, by(/^leaf$/))).toBe(7);
  });
});

describe('flame layout', () => {
  it('lays out a 10,000-deep chain without recursion, each frame one row above its caller', () => {
    const deep = chain(10_000);
    const { frames, depth } = layoutFlame([deep], 0.001);
    // all, the thread, 10,000 recurse frames, the leaf.
    expect(depth).toBe(10_003);
    expect(frames.length).toBe(10_003);
    expect(frames.filter((f, i) => f.depth !== i || f.parent !== i - 1)).toEqual([]);
    expect(frames[10_002]!.node.name).toBe('leaf');
  });

  it("records each frame's caller, in pre-order", () => {
    const { frames } = layoutFlame([tree], 0);
    const names = frames.map((f) => f.node.name);
    expect(names).toEqual(['all', 'java', 'main', 'gc', 'gc_helper', 'parse', 'tiny']);
    expect(frames.map((f) => (f.parent < 0 ? null : names[f.parent]))).toEqual([null, 'all', 'java', 'main', 'gc', 'main', 'java']);
  });

  it('places children by weight and culls frames narrower than the threshold', () => {
    const { frames, depth } = layoutFlame([tree], 0.05);
    const byName = new Map(frames.map((f) => [f.node.name, f]));
    expect(depth).toBe(5);
    expect(byName.get('main')).toMatchObject({ x: 0, depth: 2 });
    expect(byName.get('main')!.width).toBeCloseTo(99 / 100);
    expect(byName.get('gc')!.x).toBeCloseTo(0);
    expect(byName.get('parse')!.x).toBeCloseTo(50 / 100);
    expect(byName.has('tiny')).toBe(false); // 1% < 5%
  });

  it('zoomed: ancestors span the width and the zoomed frame fills it', () => {
    const path = findPath(tree, ['java', 'main', 'gc']);
    expect(path.map((n) => n.name)).toEqual(['all', 'java', 'main', 'gc']);
    const { frames } = layoutFlame(path, 0);
    expect(frames.filter((f) => f.ancestor).map((f) => f.node.name)).toEqual(['all', 'java', 'main']);
    const helper = frames.find((f) => f.node.name === 'gc_helper')!;
    expect(helper.width).toBeCloseTo(20 / 50);
    expect(helper.depth).toBe(4);
    expect(frames.some((f) => f.node.name === 'parse')).toBe(false);
  });

  it('findPath stops where the names no longer exist (a new selection without that frame)', () => {
    expect(findPath(tree, ['java', 'nosuch', 'gc']).map((n) => n.name)).toEqual(['all', 'java']);
  });
});
