// The report page's logic without a DOM: permalinks, search, culled layout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../flamegraph/tree';
import { describeRange, findPath, formatCpuList, formatHash, layoutFlame, matchedWeight, type Permalink, parseHash, rowLabel } from './state';

const node = (name: string, self: number, children: FlameNode[] = []): FlameNode => ({
  name,
  self,
  net: 0,
  samples: 0,
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
    expect(formatHash({ range: null, search: '', zoom: [] })).toBe('');
  });

  it('carry every piece of state, each name percent-encoded on its own', () => {
    const link: Permalink = {
      range: { start: 3_500_000_000, end: 3_560_000_000 },
      search: 'gc|a&b=c',
      zoom: ['java', 'a;b', 'Foo::bar(int, char*)'],
      event: 'cpu_core/cycles/P',
      rows: 99,
      metric: 'erlang_bin_vheap_size_delta',
      rate: true,
      scale: 'halves',
      idle: 'keep',
      caseInsensitive: true,
      icicle: true,
      enhance: false,
      groups: 'sign,bucket:erlang_memory,comm',
      categories: false,
      mergeLines: true,
      gapThreshold: 2_500_000_000,
    };
    const hash = formatHash(link);
    // Written by hand from the rules: encodeURIComponent per value, `;` between zoom names.
    expect(hash).toBe(
      '#from=3.5&to=3.56&event=cpu_core%2Fcycles%2FP&rows=99&metric=erlang_bin_vheap_size_delta&rate=1&scale=halves' +
        '&idle=keep&search=gc%7Ca%26b%3Dc&case=i&zoom=java;a%3Bb;Foo%3A%3Abar(int%2C%20char*)&icicle=1&enhance=0' +
        '&groups=sign%2Cbucket%3Aerlang_memory%2Ccomm&categories=0&merge=1&gap=2.5',
    );
    expect(parseHash(hash)).toEqual(link);
  });

  it("read an old link's weight as the metric, and a metric over it", () => {
    expect(parseHash('#weight=period').metric).toBe('period');
    expect(parseHash('#weight=period&metric=erlang_memory').metric).toBe('erlang_memory');
    expect(formatHash(parseHash('#weight=samples'))).toBe('#metric=samples');
  });

  it('keep only metric names, scales and group levels that can be such', () => {
    const link = parseHash(
      '#metric=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&scale=%3Cb%3E&groups=sign,%3Cb%3E&gap=-1&rate=2&merge=yes&categories=',
    );
    expect(link).toEqual({ range: null, search: '', zoom: [] });
    expect(parseHash(`#metric=${'a'.repeat(201)}`).metric).toBeUndefined();
    expect(parseHash('#groups=none').groups).toBe('none');
    expect(parseHash('#groups=bucket%3Aerlang%3Amemory,pid,tid,event').groups).toBe('bucket:erlang:memory,pid,tid,event');
    expect(parseHash(`#groups=${'comm,'.repeat(100)}comm`).groups).toBeUndefined();
  });

  it('read each field of a hostile fragment on its own, ignoring the junk', () => {
    const link = parseHash('#search=%3Cimg%20onerror%3Dalert(1)%3E&from=abc&to=3&zoom=a;%E0%A4%A;b&rows=1e3&weight=x&metric=a%20b&icicle=yes&event=%');
    expect(link).toEqual({ range: null, search: '<img onerror=alert(1)>', zoom: [] });
    expect(parseHash('#rows=0&idle=drop&case=s&zoom=&from=1&to=2&from=5')).toEqual({
      range: { start: 1e9, end: 2e9 },
      search: '',
      zoom: [''],
      idle: 'drop',
      caseInsensitive: false,
    });
    // Times past what a double holds exactly name no range; a plus stays a plus (a regex quantifier).
    expect(parseHash(`#from=0&to=${'9'.repeat(30)}&search=a+b`)).toEqual({ range: null, search: 'a+b', zoom: [] });
    expect(parseHash('#rows=1000&to=1').rows).toBe(1000);
    expect(parseHash('#rows=1001').rows).toBeUndefined();
  });

  it('read a baseline as A:B seconds or rest, and ignore a hostile one', () => {
    expect(parseHash('#from=3.5&to=3.56&base=3:3.2').base).toEqual({ start: 3e9, end: 3.2e9 });
    expect(parseHash('#from=3.5&to=3.56&base=rest&swap=1&elided=0')).toMatchObject({ base: 'rest', swap: true, elided: false });
    expect(formatHash(parseHash('#from=3.5&to=3.56&base=3:3.2&elided=1'))).toBe('#from=3.5&to=3.56&base=3:3.2&elided=1');
    expect(formatHash({ range: null, search: '', zoom: [], base: 'rest', swap: false })).toBe('#base=rest&swap=0');
    for (const junk of ['3.2:3', '3:3', ':3', '3:', '3', 'x:y', '1:2:3', 'REST', '%3Cimg%3E', `0:${'9'.repeat(30)}`, '-1:2', `1:${'2'.repeat(90)}`]) {
      expect(parseHash(`#base=${junk}&swap=yes`)).toEqual({ range: null, search: '', zoom: [] });
    }
  });

  // ---- function table, sandwich, reversed graph (issue 9) ----
  it('carry the reversed graph, the sandwich function and the table order, and ignore hostile ones', () => {
    const name = 'std::vector<int>::operator[](unsigned long) & ; 🔥';
    const link = parseHash(`#from=3.5&to=3.56&reverse=1&fn=${encodeURIComponent(name)}&fsort=total`);
    expect(link).toMatchObject({ reverse: true, fn: name, functionSort: 'total' });
    expect(formatHash(link)).toBe(`#from=3.5&to=3.56&reverse=1&fn=${encodeURIComponent(name)}&fsort=total`);
    expect(parseHash('#reverse=0&fsort=name')).toMatchObject({ reverse: false, functionSort: 'name' });
    expect(formatHash({ range: null, search: '', zoom: [], fn: '' })).toBe('');
    for (const junk of ['reverse=yes', 'reverse=', 'fn=', 'fn=%E0%A4%A', `fn=${'x'.repeat(20_001)}`, 'fsort=SELF', 'fsort=net', 'fsort=%3Cscript%3E']) {
      expect(parseHash(`#${junk}`)).toEqual({ range: null, search: '', zoom: [] });
    }
    // A name is any text: markup stays text (the page only compares it and shows it with textContent).
    expect(parseHash('#fn=%3Cimg%20src%3Dx%3E').fn).toBe('<img src=x>');
  });

  // ---- search modes (issue 9) ----
  it('carry the search mode beside the search; highlight (the default) is not written, junk is ignored', () => {
    expect(formatHash({ range: null, search: 'burnB', zoom: [], mode: 'filter' })).toBe('#search=burnB&mode=filter');
    expect(parseHash('#search=burnB&mode=exclude')).toEqual({ range: null, search: 'burnB', zoom: [], mode: 'exclude' });
    expect(formatHash({ range: null, search: 'x', zoom: [], mode: 'highlight' })).toBe('#search=x');
    for (const junk of ['highlight', 'FILTER', 'filter ', '%66ilter', '<img>', '', 'exclude%00', 'filter&mode=exclude'.slice(0, 4)]) {
      expect(parseHash(`#mode=${junk}`)).toEqual({ range: null, search: '', zoom: [] });
    }
    // The first occurrence wins, as for every field.
    expect(parseHash('#mode=exclude&mode=filter').mode).toBe('exclude');
  });

  it('round-trip any state (property)', () => {
    const ns = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const range = fc.option(
      fc.tuple(ns, ns).filter(([a, b]) => a !== b).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })),
    );
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const link: fc.Arbitrary<Permalink> = fc.record(
      {
        range,
        search: text,
        zoom: fc.array(text, { maxLength: 6 }),
        event: text,
        rows: fc.integer({ min: 1, max: 1000 }),
        metric: fc.stringMatching(/^[A-Za-z0-9_.:]{1,40}$/),
        rate: fc.boolean(),
        scale: fc.constantFrom('symmetric' as const, 'halves' as const),
        groups: fc
          .uniqueArray(fc.constantFrom('event', 'sign', 'comm', 'pid', 'tid', 'bucket:erlang_memory', 'bucket:a.b:c'), { minLength: 1, maxLength: 5 })
          .map((levels) => levels.join(',')),
        categories: fc.boolean(),
        mergeLines: fc.boolean(),
        gapThreshold: fc.integer({ min: 1, max: 1e15 }),
        idle: fc.constantFrom('keep' as const, 'drop' as const),
        caseInsensitive: fc.boolean(),
        icicle: fc.boolean(),
        enhance: fc.boolean(),
        whole: fc.constant(true),
        mode: fc.constantFrom('filter' as const, 'exclude' as const),
      },
      { requiredKeys: ['range', 'search', 'zoom'] },
    ).map((l) => {
      // `whole=1` says "no range" where the report has an initial selection; beside a range it means nothing.
      if (l.range !== null) delete l.whole;
      return l;
    });
    fc.assert(
      fc.property(link, (l) => {
        expect(parseHash(formatHash(l))).toEqual(l);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throw on any fragment, and what they read is stable (property)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('from=', 'to=', 'zoom=', 'search=', 'rows=', 'event=', 'case=i', 'icicle=1', '%', '%E0%A4', '&', ';', '=', '#'),
      fc.constantFrom('mode=filter', 'mode=exclude', 'mode=', 'metric=', 'weight=period', 'groups=', 'sign,', 'bucket:', 'scale=halves', 'rate=1', 'gap=', 'merge=1', 'categories=0'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const link = parseHash(pieces.join(''));
        expect(parseHash(formatHash(link))).toEqual(link);
      }),
      { numRuns: 3000 },
    );
    // A lone surrogate (pasted text) is written as U+FFFD rather than throwing.
    expect(parseHash(formatHash({ range: null, search: 'a\ud800b', zoom: ['\udc00'] }))).toEqual({
      range: null,
      search: 'a\ufffdb',
      zoom: ['\ufffd'],
    });
  });

  it('describe ranges and rows as people read them', () => {
    expect(describeRange({ start: 3_500_000_000, end: 3_560_000_000 })).toBe('3.5–3.56 s (60 ms)');
    expect(describeRange({ start: 1_000_000_000, end: 2_500_000_000 })).toBe('1–2.5 s (1.5 s)');
    expect(describeRange({ start: 0, end: 3_600_000_000_000 })).toBe('0–3600 s (3,600 s)');
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

// ---- who (issue 9) ----
describe('permalinks: who the views keep', () => {
  it('carry the CLI options as the CLI writes them: comm, xcomm, pid, tid, cpu (ranges), bands', () => {
    const link = parseHash('#comm=%5Epython&xcomm=node%7Cperf&pid=4242,0.245.0&tid=15664&cpu=0,2-4&bands=thread');
    expect(link.who).toEqual({ comm: '^python', excludeComm: 'node|perf', pids: ['4242', '0.245.0'], tids: ['15664'], cpus: [0, 2, 3, 4] });
    expect(link.bands).toBe('thread');
    expect(formatHash(link)).toBe('#comm=%5Epython&xcomm=node%7Cperf&pid=4242,0.245.0&tid=15664&cpu=0,2-4&bands=thread');
  });

  it('write CPU lists compactly: runs of three or more as ranges', () => {
    expect(formatCpuList([5, 1, 2, 3, 7, 8])).toBe('1-3,5,7,8');
    expect(formatCpuList([0])).toBe('0');
    expect(formatCpuList([])).toBe('');
  });

  it('who=all says "nobody filtered out" (a report made with --comm); it is not written beside a filter', () => {
    expect(parseHash('#who=all').everyone).toBe(true);
    expect(formatHash({ range: null, search: '', zoom: [], everyone: true })).toBe('#who=all');
    expect(formatHash({ range: null, search: '', zoom: [], everyone: true, who: { tids: ['1'] } })).toBe('#tid=1');
    expect(parseHash('#who=some').everyone).toBeUndefined();
  });

  it('ignore each hostile or malformed field on its own, keeping the others', () => {
    // Not a regular expression, too long, empty; ids with spaces, markup or empty items; CPU lists that are no lists.
    expect(parseHash('#comm=(&tid=1').who).toEqual({ tids: ['1'] });
    expect(parseHash(`#comm=${'a'.repeat(401)}&cpu=1`).who).toEqual({ cpus: [1] });
    expect(parseHash('#comm=&xcomm=%E0%A4%A').who).toBeUndefined();
    for (const bad of ['1,,2', '1%202', '%3Cimg%3E', ',', '', 'a'.repeat(65)]) expect(parseHash(`#pid=${bad}`).who, bad).toBeUndefined();
    for (const bad of ['2-1', 'x', '1-99999', '-1', '0,,1', '']) expect(parseHash(`#cpu=${bad}`).who, bad).toBeUndefined();
    expect(parseHash(`#tid=${Array.from({ length: 5000 }, (_, k) => k).join(',')}`).who).toBeUndefined();
    expect(parseHash('#bands=tid&from=1&to=2').bands).toBeUndefined();
    // Repeated ids are one.
    expect(parseHash('#tid=7,7,8&cpu=3,3').who).toEqual({ tids: ['7', '8'], cpus: [3] });
  });

  it('never throw and round-trip what they kept, whatever the fragment', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('comm', 'xcomm', 'pid', 'tid', 'cpu', 'bands', 'who'), (junk, key) => {
        const link = parseHash(`#${key}=${junk}`);
        expect(parseHash(formatHash(link))).toEqual(link);
      }),
    );
  });
});
