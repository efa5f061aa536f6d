// The function table and the sandwich (query/functions) against figures computed without them: by hand on a
// small profile with recursion and a stackless sample, and from `collapse`'s folded lines (stackcollapse-perf.pl's
// output, pinned by test/collapse.test.ts): self = Σ counts of the lines ending in f, total = Σ counts of the
// lines holding f (once per line), a caller = the frame above the line's first f, a callee = the frame below it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildFlameTree, type FlameNode } from '../src/flamegraph/tree';
import { selectSamples } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import { functionTable, NO_FRAMES, sandwich, sortFunctions } from '../src/query/functions';
import { runInProcess } from './support/cli';
import { corpus } from './support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'flamescope-functions-'));

/** Samples leaf first, as perf script prints them; an empty list is a sample without a stack. */
function perfText(samples: [number, string[]][]): string {
  let t = 1;
  const out: string[] = [];
  for (const [times, frames] of samples) {
    for (let k = 0; k < times; k++) {
      out.push(`prog 100 ${(t++ / 1000 + 1).toFixed(6)}: cpu-clock: `);
      frames.forEach((f, i) => out.push(`\t${(0x400000 + i).toString(16)} ${f} (/bin/prog)`));
      out.push('');
    }
  }
  return out.join('\n');
}

async function treeOf(file: string, groups?: 'none'): Promise<FlameNode> {
  const profile = await readProfile(file);
  const samples = selectSamples(profile, { event: 0, idle: 'keep', range: null });
  return buildFlameTree(profile, samples, { names: new FrameNames(profile, DISPLAY_NAMES), groups: groups === 'none' ? [] : undefined });
}

function children(node: FlameNode): Record<string, number> {
  return Object.fromEntries(node.children.map((c) => [c.name, c.value]));
}

describe('function table and sandwich, by hand', () => {
  // main→a→b→a ×3, main→a→c ×2, main→b ×1, no stack ×1 (leaf first below).
  const file = join(dir, 'recursion.txt');
  writeFileSync(
    file,
    perfText([
      [3, ['a', 'b', 'a', 'main']],
      [2, ['c', 'a', 'main']],
      [1, ['b', 'main']],
      [1, []],
    ]),
  );

  it('counts recursion once per sample, and a stackless sample as [no frames]', async () => {
    for (const groups of [undefined, 'none'] as const) {
      const table = functionTable(await treeOf(file, groups));
      const figures = Object.fromEntries(table.rows.map((r) => [r.name, [r.self, r.total]]));
      expect(figures).toEqual({ a: [3, 5], b: [1, 4], c: [2, 2], main: [0, 6], [NO_FRAMES]: [1, 1] });
      expect(table.total).toBe(7);
      expect(table.rows.reduce((s, r) => s + r.self, 0)).toBe(7);
      expect(table.rows.map((r) => r.name)).toEqual(['a', 'c', 'b', NO_FRAMES, 'main']);
      expect(sortFunctions(table.rows, 'total').map((r) => r.name)).toEqual(['main', 'a', 'b', 'c', NO_FRAMES]);
      expect(table.rows.find((r) => r.name === 'a')!.totalShare).toBeCloseTo(5 / 7, 12);
    }
  });

  it('the sandwich takes each sample at the outermost occurrence', async () => {
    const tree = await treeOf(file);
    const a = sandwich(tree, 'a')!;
    expect([a.callers.value, a.callees.value, a.callees.self]).toEqual([5, 5, 0]);
    expect(children(a.callers)).toEqual({ main: 5 });
    expect(children(a.callers.children[0]!)).toEqual({ prog: 5 });
    expect(children(a.callees)).toEqual({ b: 3, c: 2 });
    expect(children(a.callees.children[0]!)).toEqual({ a: 3 });
    const b = sandwich(tree, 'b')!;
    expect([b.callers.value, b.callees.value, b.callees.self]).toEqual([4, 4, 1]);
    expect(children(b.callers)).toEqual({ a: 3, main: 1 });
    expect(children(b.callees)).toEqual({ a: 3 });
    // A thread name is a level, not a function.
    expect(sandwich(tree, 'prog')).toBeNull();
    expect(sandwich(tree, 'nothing')).toBeNull();
  });

  it('a 10,000-deep recursion is walked without overflowing the stack', async () => {
    const deep = join(dir, 'deep.txt');
    writeFileSync(deep, perfText([[2, [...Array.from({ length: 10_000 }, () => 'f'), 'main']]]));
    const tree = await treeOf(deep);
    const table = functionTable(tree);
    expect(Object.fromEntries(table.rows.map((r) => [r.name, [r.self, r.total]]))).toEqual({ f: [2, 2], main: [0, 2] });
    const s = sandwich(tree, 'f')!;
    expect([s.callers.value, s.callees.value]).toEqual([2, 2]);
  });
});

/** Per name: [self, total] from folded lines whose first frame is the thread (collapse's root frame). */
function fromFolded(folded: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const add = (name: string, self: number, total: number): void => {
    const row = out.get(name) ?? [0, 0];
    row[0] += self;
    row[1] += total;
    out.set(name, row);
  };
  for (const line of folded.trimEnd().split('\n')) {
    const cut = line.lastIndexOf(' ');
    const count = Number(line.slice(cut + 1));
    const frames = line.slice(0, cut).split(';').slice(1);
    if (frames.length === 0) add(NO_FRAMES, count, count);
    else add(frames[frames.length - 1]!, count, 0);
    for (const f of new Set(frames)) add(f, 0, count);
  }
  return out;
}

/** The frames just above and just below the first `name` of each folded line, with their counts. */
function neighbours(folded: string, name: string): { callers: Record<string, number>; callees: Record<string, number>; self: number } {
  const callers: Record<string, number> = {};
  const callees: Record<string, number> = {};
  let self = 0;
  for (const line of folded.trimEnd().split('\n')) {
    const cut = line.lastIndexOf(' ');
    const count = Number(line.slice(cut + 1));
    const stack = line.slice(0, cut).split(';');
    const at = stack.indexOf(name, 1);
    if (at < 0) continue;
    callers[stack[at - 1]!] = (callers[stack[at - 1]!] ?? 0) + count;
    if (at === stack.length - 1) self += count;
    else callees[stack[at + 1]!] = (callees[stack[at + 1]!] ?? 0) + count;
  }
  return { callers, callees, self };
}

async function out(args: string[]): Promise<string> {
  const r = await runInProcess(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('function table against collapse', () => {
  const cases: [string, string[]][] = [
    [corpus('recorded', 'perf.pattern499.txt.gz'), []],
    [corpus('recorded', 'perf.pattern499.txt.gz'), ['--from', '3.5', '--to', '3.56']],
    [corpus('perf', 'perf-numa-stacks-01.txt'), []],
    [corpus('perf', 'perf-funcab-pid-01.txt'), []],
    [corpus('perf', 'perf-java-stacks-01.txt'), []],
  ];
  for (const [file, range] of cases) {
    it(`top --format json: ${file.split('/').pop()} ${range.join(' ')}`, async () => {
      const folded = await out(['collapse', file, '--weight', 'samples', '--idle', 'keep', ...range]);
      const expected = fromFolded(folded);
      const top = JSON.parse(await out(['top', file, '--format', 'json', '--idle', 'keep', ...range])) as {
        total: number;
        rows: { name: string; self: number; total: number }[];
      };
      // Folded text writes a `;` inside a name as `:` (Java's `Class;.method` names); the table keeps the name.
      expect(new Map(top.rows.map((r) => [r.name.replaceAll(';', ':'), [r.self, r.total]]))).toEqual(expected);
      // The self column adds up to the flame graph's total.
      const flame = JSON.parse(await out(['flame', file, '--format', 'json', '--idle', 'keep', ...range])) as { value: number };
      expect(top.rows.reduce((s, r) => s + r.self, 0)).toBe(flame.value);
      expect(top.total).toBe(flame.value);
      // Heaviest self first, ties by total then name.
      for (let k = 1; k < top.rows.length; k++) {
        const [p, r] = [top.rows[k - 1]!, top.rows[k]!];
        expect(p.self > r.self || (p.self === r.self && (p.total > r.total || (p.total === r.total && p.name < r.name)))).toBe(true);
      }
    });
  }

  it('the sandwich of the heaviest functions of pattern499 agrees with the folded lines', async () => {
    const file = corpus('recorded', 'perf.pattern499.txt.gz');
    const folded = await out(['collapse', file, '--weight', 'samples', '--idle', 'keep']);
    const tree = await treeOf(file);
    const table = functionTable(tree);
    const totals = fromFolded(folded);
    for (const row of [...table.rows.slice(0, 5), ...sortFunctions(table.rows, 'total').slice(0, 5)]) {
      const s = sandwich(tree, row.name)!;
      const expected = neighbours(folded, row.name);
      expect(s.callers.value).toBe(totals.get(row.name)![1]);
      expect(s.callees.value).toBe(totals.get(row.name)![1]);
      expect(children(s.callers)).toEqual(expected.callers);
      expect(children(s.callees)).toEqual(expected.callees);
      expect(s.callees.self).toBe(expected.self);
    }
  });
});

describe('top', () => {
  const pattern = corpus('recorded', 'perf.pattern499.txt.gz');

  it('on pattern499 3.5–3.56 s burnB is at the top of self (30 of the 30 samples, as the raw text holds)', async () => {
    const text = await out(['top', pattern, '--from', '3.5', '--to', '3.56', '--limit', '10']);
    const lines = text.split('\n');
    expect(lines[0]).toContain('3.5–3.56 s, 30 samples');
    const first = lines.findIndex((l) => l.startsWith('rank'));
    expect(lines[first + 1]).toMatch(/^ +1 +30 +100\.00% +30 +100\.00% +JS:\*burnB \/tmp\/rec\/pattern\.js:10:15$/);
    // Columns line up: every row's name starts where the header's does.
    const at = lines[first]!.indexOf('function');
    for (const l of lines.slice(first + 1, first + 10)) expect(l.charAt(at - 1)).toBe(' ');
    expect(text).toContain('… and 6 more');
  });

  it('--by thread ranks who ran the samples, as the breakdown does; --sort total and --limit', async () => {
    const json = JSON.parse(await out(['top', pattern, '--from', '3.7', '--to', '3.8', '--by', 'thread', '--format', 'json'])) as { rows: { label: string; value: number }[] };
    expect(json.rows[0]!.label).toMatch(/^python/);
    const byTotal = JSON.parse(await out(['top', pattern, '--sort', 'total', '--limit', '3', '--format', 'json'])) as { rows: { total: number }[] };
    expect(byTotal.rows).toHaveLength(3);
    expect(byTotal.rows[0]!.total).toBeGreaterThanOrEqual(byTotal.rows[1]!.total);
  });

  it('takes the who-filters: --comm python keeps only python frames', async () => {
    const json = JSON.parse(await out(['top', pattern, '--comm', '^python', '--format', 'json'])) as { total: number; rows: { name: string }[] };
    const flame = JSON.parse(await out(['flame', pattern, '--comm', '^python', '--format', 'json'])) as { value: number; children: { name: string }[] };
    expect(json.total).toBe(flame.value);
    expect(flame.children.map((c) => c.name)).toEqual(['python3']);
  });

  it('takes the stack filter: with --with-frame burnB every sample kept has a burnB frame (V8 tier * or ^)', async () => {
    type Top = { samples: number; total: number; rows: { name: string; total: number; self: number }[] };
    const json = JSON.parse(await out(['top', pattern, '--with-frame', 'burnB', '--sort', 'total', '--format', 'json'])) as Top;
    // 442 samples ran the optimised burnB (`*`), one the baseline-compiled one (`^`), as the raw text holds.
    const burnB = json.rows.filter((r) => r.name.includes('burnB')).map((r) => [r.name, r.total]);
    expect(burnB).toEqual([
      ['JS:*burnB /tmp/rec/pattern.js:10:15', 442],
      ['JS:^burnB /tmp/rec/pattern.js:10:15', 1],
    ]);
    expect(json.samples).toBe(443);
    expect(json.rows[0]!.total).toBe(json.samples);
    const without = JSON.parse(await out(['top', pattern, '--without-frame', 'burnB', '--format', 'json'])) as Top;
    expect(without.rows.some((r) => r.name.includes('burnB'))).toBe(false);
    const all = JSON.parse(await out(['top', pattern, '--format', 'json'])) as Top;
    expect(json.samples + without.samples).toBe(all.samples);
  });

  it('a hostile or very long name never drives the terminal nor shifts a column; JSON keeps it whole', async () => {
    const file = join(dir, 'names.txt');
    const long = `ns::${'x'.repeat(5000)}`;
    writeFileSync(
      file,
      perfText([
        [2, ['evil\x1b[31mred\u0085', 'main']],
        [1, [long, 'main']],
      ]),
    );
    const text = await out(['top', file, '--idle', 'keep']);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.startsWith('rank'));
    const at = lines[head]!.indexOf('function');
    expect(lines[head + 1]!.slice(at)).toBe('evil?[31mred?');
    expect(lines[head + 2]!.slice(at)).toBe(long);
    const json = JSON.parse(await out(['top', file, '--idle', 'keep', '--format', 'json'])) as { rows: { name: string }[] };
    expect(json.rows.map((r) => r.name)).toEqual(['evil\x1b[31mred\u0085', long, 'main']);
  });

  it('refuses a bad option in one line', async () => {
    const r = await runInProcess(['top', pattern, '--by', 'colour']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
