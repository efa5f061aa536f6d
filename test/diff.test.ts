// `diff`: folded output against difffolded.pl (stored outputs it made, and live when FLAMEGRAPH_DIR is set),
// JSON totals against `flame --format json` of the same ranges, the elided view against the target's own graph,
// the SVG's colours, tooltips and escaping on hand-counted profiles, and the errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { corpus, ROOT, runCli } from './support/corpus';

const BIG = corpus('recorded', 'perf.big999.txt.gz');
const P49 = corpus('recorded', 'perf.pattern49.txt.gz');
const P499 = corpus('recorded', 'perf.pattern499.txt.gz');
const fixture = (name: string): string => gunzipSync(readFileSync(join(ROOT, 'test/fixtures/diff', name))).toString('utf8');

interface DiffJson {
  name: string;
  base: number;
  target: number;
  delta: number;
  children: DiffJson[];
}
interface FlameJson {
  name: string;
  value: number;
  children: FlameJson[];
}

function ok(args: string[]): { stdout: string; stderr: string } {
  const r = runCli(args);
  expect(r.stderr.includes('internal error'), r.stderr).toBe(false);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

/** Byte order of UTF-8, as `LC_ALL=C sort`. */
const byteSort = (lines: string[]): string[] => [...lines].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('diff --format folded is difffolded.pl on our collapse outputs', () => {
  const cases: [string, string[]][] = [
    ['big999-1-2-vs-5-6.txt.gz', [`${BIG}@1:2`, `${BIG}@5:6`]],
    ['big999-1-2-vs-5-6-n.txt.gz', [`${BIG}@1:2`, `${BIG}@5:6`, '--normalize']],
    // Periods of ~10^6 on both sides: the scaled products pass 2^53, where Perl's integer arithmetic matters.
    ['big999-period-1-2-vs-5-6-n.txt.gz', [`${BIG}@1:2`, `${BIG}@5:6`, '--normalize', '--metric', 'period']],
    ['pattern49-vs-pattern499.txt.gz', [P49, P499]],
    ['pattern49-vs-pattern499-n.txt.gz', [P49, P499, '--normalize']],
  ];
  for (const [file, args] of cases) {
    it(`${file}`, () => {
      const expected = fixture(file);
      expect(expected.split('\n').length).toBeGreaterThan(150);
      expect(ok(['diff', '--format', 'folded', ...args]).stdout).toBe(expected);
    });
  }

  it('says on stderr whether the base was scaled', () => {
    expect(ok(['diff', '--format', 'folded', `${BIG}@1:2`, `${BIG}@5:6`]).stderr).toBe(
      'flamescope: note: raw weights compared: base 1,147 samples, target 1,104 (--normalize scales the base to the target)\n',
    );
    expect(ok(['diff', '--format', 'folded', '--normalize', `${BIG}@1:2`, `${BIG}@5:6`]).stderr).toBe(
      "flamescope: note: base 1,147 samples scaled to the target's 1,104 (difffolded.pl -n)\n",
    );
  });

  it('--negate swaps the sides, as difffolded.pl TARGET BASE', () => {
    const swapped = ok(['diff', '--format', 'folded', '--negate', P49, P499]).stdout;
    const expected = fixture('pattern49-vs-pattern499.txt.gz')
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/ (\S+) (\S+)$/, ' $2 $1'));
    expect(swapped).toBe(`${byteSort(expected).join('\n')}\n`);
  });

  it('--elided keeps the stacks whose frame the target lacks (rule re-done on the Perl output)', () => {
    const lines = fixture('pattern49-vs-pattern499.txt.gz').trimEnd().split('\n');
    const split = (l: string): [string, number, number] => {
      const m = /^(.*) (\d+) (\d+)$/.exec(l)!;
      return [m[1]!, Number(m[2]), Number(m[3])];
    };
    const targetStacks = lines.map(split).filter(([, , t]) => t > 0).map(([s]) => s);
    const expected = lines.filter((l) => {
      const [stack, , t] = split(l);
      return t === 0 && !targetStacks.some((s) => s.startsWith(`${stack};`));
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(ok(['diff', '--format', 'folded', '--elided', P49, P499]).stdout).toBe(`${expected.join('\n')}\n`);
  });

  const dir = process.env.FLAMEGRAPH_DIR;
  const perl = spawnSync('perl', ['-e', '1']).status === 0;
  it.skipIf(dir === undefined || !perl || !existsSync(join(dir ?? '', 'difffolded.pl')))(
    'live: difffolded.pl on two ranges of big999 and on two files (FLAMEGRAPH_DIR)',
    () => {
      const tmp = mkdtempSync(join(tmpdir(), 'diff-'));
      // Two overlapping ranges of one file, and two files.
      const cases: [string[], string[], string[]][] = [
        [['--from', '3', '--to', '4', BIG], ['--from', '3.5', '--to', '3.9', BIG], [`${BIG}@3:4`, `${BIG}@3.5:3.9`]],
        [[P499], [P49], [P499, P49]],
      ];
      for (const [baseArgs, targetArgs, sides] of cases) {
        const files = [baseArgs, targetArgs].map((args, k) => {
          const file = join(tmp, `side${k}.txt`);
          writeFileSync(file, ok(['collapse', '--idle', 'drop', '--weight', 'samples', ...args]).stdout);
          return file;
        });
        for (const n of [[], ['-n']]) {
          const r = spawnSync('perl', [join(dir!, 'difffolded.pl'), ...n, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
          const expected = byteSort(r.stdout.trimEnd().split('\n'));
          const ours = ok(['diff', '--format', 'folded', ...(n.length > 0 ? ['--normalize'] : []), ...sides]).stdout;
          expect(ours, `${sides.join(' ')} ${n.join('')}`).toBe(`${expected.join('\n')}\n`);
        }
      }
    },
  );
});

function walk<T extends { children: T[] }>(root: T, visit: (node: T, path: string[]) => void): void {
  const pending: [T, string[]][] = [[root, []]];
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    visit(node, path);
    for (const c of node.children) pending.push([c, [...path, (c as unknown as { name: string }).name]]);
  }
}

describe('diff --format json', () => {
  const flameTotal = (args: string[]): FlameJson => JSON.parse(ok(['flame', '--format', 'json', ...args]).stdout);

  for (const [base, target, baseFlame, targetFlame] of [
    [`${BIG}@1:2`, `${BIG}@5:6`, [BIG, '--from', '1', '--to', '2'], [BIG, '--from', '5', '--to', '6']],
    [`${P499}@3.5:3.56`, P49, [P499, '--from', '3.5', '--to', '3.56'], [P49]],
  ] as const) {
    it(`base and target totals are flame's: ${base.split('/').pop()} vs ${target.split('/').pop()}`, () => {
      const diff = JSON.parse(ok(['diff', '--format', 'json', base, target]).stdout);
      const b = flameTotal([...baseFlame]);
      const t = flameTotal([...targetFlame]);
      expect(diff.base).toBe(b.value);
      expect(diff.target).toBe(t.value);
      expect(diff.sides.base.total).toBe(b.value);
      expect(diff.sides.target.total).toBe(t.value);
      expect(diff.normalized).toBe(false);
      expect(diff.metric).toBe('samples');
      // Every node of each side's flame graph is in the merged tree with its width.
      const widths = new Map<string, [number, number]>();
      walk<DiffJson>(diff, (n, path) => {
        widths.set(path.join(';'), [n.base, n.target]);
        expect(n.delta).toBe(n.target - n.base);
      });
      walk<FlameJson>(b, (n, path) => expect(widths.get(path.join(';'))?.[0], path.join(';')).toBe(n.value));
      walk<FlameJson>(t, (n, path) => expect(widths.get(path.join(';'))?.[1], path.join(';')).toBe(n.value));
    });
  }

  it('--normalize: meta says so, delta = target − base × target total / base total', () => {
    const diff = JSON.parse(ok(['diff', '--format', 'json', '--normalize', `${BIG}@1:2`, `${BIG}@5:6`]).stdout);
    expect(diff.normalized).toBe(true);
    expect(diff.baseScale).toBe(1104 / 1147);
    expect(diff.base).toBe(1147);
    expect(diff.delta).toBe(0);
    expect(diff.sides.base).toMatchObject({ from: 1, to: 2 });
    expect(diff.sides.target).toMatchObject({ from: 5, to: 6 });
  });

  it('--elided: only frames absent from the target, each with its base width', () => {
    const target = flameTotal([P499]);
    const present = new Set<string>();
    walk<FlameJson>(target, (_, path) => present.add(path.join(';')));
    const elided: DiffJson & { elided: boolean } = JSON.parse(ok(['diff', '--format', 'json', '--elided', P49, P499]).stdout);
    expect(elided.elided).toBe(true);
    let absent = 0;
    walk<DiffJson>(elided, (n, path) => {
      expect(n.target).toBe(0);
      // A node is either absent from the target, or an ancestor whose width is its elided callees'.
      if (!present.has(path.join(';'))) absent++;
      else expect(n.base).toBe(n.children.reduce((s, c) => s + c.base, 0));
      expect(n.children.length > 0 || !present.has(path.join(';'))).toBe(true);
    });
    expect(absent).toBeGreaterThan(0);
  });
});

/** A perf script record by hand: `comm pid time: 1 cpu-clock:` and its frames, leaf first. */
function record(time: string, frames: string[]): string {
  return `app 100 ${time}: 1 cpu-clock:\n${frames.map((f, k) => `\t${(0x1000 + k).toString(16)} ${f} (/bin/app)`).join('\n')}\n\n`;
}

describe('diff --format svg', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'diff-svg-'));
  const base = join(tmp, 'base.txt');
  const target = join(tmp, 'target.txt');
  const evil = '</title><script>alert`1`</script>&amp';
  // Base: foo 3, bar 1. Target: foo 1, bar 5, and a frame of hostile text 2.
  writeFileSync(base, [...[1, 2, 3].map((s) => record(`10.00000${s}`, ['foo', 'main'])), record('10.000004', ['bar', 'main'])].join(''));
  writeFileSync(
    target,
    [
      record('20.000001', ['foo', 'main']),
      ...[2, 3, 4, 5, 6].map((s) => record(`20.00000${s}`, ['bar', 'main'])),
      ...[7, 8].map((s) => record(`20.00000${s}`, [evil, 'main'])),
    ].join(''),
  );

  function frames(svg: string): Map<string, { title: string; fill: string }> {
    const doc = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
    const out = new Map<string, { title: string; fill: string }>();
    for (const g of Array.from(doc.querySelectorAll('#frames > g'))) {
      const title = g.querySelector('title')!.textContent!;
      out.set(title.slice(0, title.lastIndexOf(' (')), { title, fill: g.querySelector('rect')!.getAttribute('fill')! });
    }
    return out;
  }

  it('red where it grew, blue where it shrank, by the size of the change; tooltips give both and the change', () => {
    const svg = ok(['diff', base, target]).stdout;
    expect(ok(['diff', base, target]).stdout).toBe(svg);
    const f = frames(svg);
    // Target total 8. bar +4 and the hostile frame +2 (new) grew; foo −2 shrank; the largest change is 4.
    expect(f.get('bar')!.fill).toBe('rgb(255,0,0)');
    expect(f.get(evil)!.fill).toBe(`rgb(255,${Math.floor((210 * 2) / 4)},${Math.floor((210 * 2) / 4)})`);
    expect(f.get('foo')!.fill).toBe(`rgb(${Math.floor((210 * 2) / 4)},${Math.floor((210 * 2) / 4)},255)`);
    expect(f.get('bar')!.title).toBe('bar (base 1 sample, target 5 samples, +50.000%\u00a0(+4 samples))');
    expect(f.get('foo')!.title).toBe('foo (base 3 samples, target 1 sample, −25.000%\u00a0(−2 samples))');
    expect(svg).not.toContain('<script>alert');
    expect(svg).toContain('&lt;/title&gt;&lt;script&gt;alert`1`&lt;/script&gt;&amp;amp (base 0 samples');
  });

  it('--negate takes widths from the base: a frame the target lacks is drawn, one the base lacks is not', () => {
    const f = frames(ok(['diff', '--negate', target, base]).stdout);
    expect(f.get(evil)!.title).toBe(`${evil} (base 2 samples, target 0 samples, −25.000%\u00a0(−2 samples))`);
    expect(frames(ok(['diff', target, base]).stdout).has(evil)).toBe(false);
  });

  it('--normalize scales the base and says so in the subtitle', () => {
    const svg = ok(['diff', '--normalize', base, target]).stdout;
    expect(svg).toContain("base scaled ×2.000 to the target&#39;s total");
    // Base ×2: foo 6 → 1 (−5), bar 2 → 5 (+3).
    expect(frames(svg).get('foo')!.title).toBe('foo (base 6 samples scaled, target 1 sample, −62.500%\u00a0(−5 samples))');
    expect(ok(['diff', base, target]).stdout).toContain('raw weights compared');
  });
});

describe('diff errors', () => {
  it.each([
    [`${P49}@abc:2`, '"abc" is not a time in seconds'],
    [`${P49}@3`, '"3" after @ is not FROM:TO'],
    [`${P49}@5:4`, 'the range 5:4 is empty'],
    [`${P49}@900:901`, 'FROM 900 is past the end of the profile'],
  ])('%s', (side, message) => {
    const r = runCli(['diff', side, P499]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`flamescope: ${side}: `);
    expect(r.stderr).toContain(message);
  });

  it('--normalize against an empty base, and --negate with json, are one line each', () => {
    const gap = join(mkdtempSync(join(tmpdir(), 'diff-gap-')), 'gap.txt');
    writeFileSync(gap, [record('10.000001', ['foo', 'main']), record('12.000001', ['bar', 'main'])].join(''));
    for (const format of ['json', 'svg', 'folded']) {
      const r = runCli(['diff', '--normalize', '--format', format, `${gap}@1:1.5`, gap]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`flamescope: ${gap}@1:1.5: --normalize: the base has no samples to scale\n`);
      // Without --normalize an empty base is fine: everything grew.
      expect(runCli(['diff', '--format', format, `${gap}@1:1.5`, gap]).status).toBe(0);
    }
    const r = runCli(['diff', '--negate', '--format', 'json', P49, P499]);
    expect([r.status, r.stderr.split('\n').length]).toEqual([1, 2]);
    expect(r.stderr).toContain('--negate applies to --format svg and folded');
  });

  it('an unknown metric lists the ones there are', () => {
    const r = runCli(['diff', '--metric', 'nope', P49, P499]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`flamescope: ${P49}: unknown metric "nope"; this profile has: samples, period\n`);
  });
});

describe('diff: one file on both sides, deep stacks, the SVG script', () => {
  it('a file named on both sides is read once (stdin on both sides works)', () => {
    const text = gunzipSync(readFileSync(P499));
    const r = runCli(['diff', '--format', 'json', '--', '-@3.5:3.56', '-@16:17'], text);
    expect(r.stderr).toBe('');
    const diff = JSON.parse(r.stdout);
    const flame = (from: string, to: string): number => JSON.parse(ok(['flame', '--format', 'json', P499, '--from', from, '--to', to]).stdout).value;
    expect([diff.base, diff.target]).toEqual([flame('3.5', '3.56'), flame('16', '17')]);
    expect(diff.sides.base.file).toBe('-');
  });

  it('10,000-deep stacks: json and svg', async () => {
    const deep = join(mkdtempSync(join(tmpdir(), 'diff-deep-')), 'deep.txt');
    await writeSynthProfile(deep, { seconds: 2, hz: 5, depth: 10_000 });
    const json = JSON.parse(ok(['diff', '--format', 'json', deep, deep]).stdout);
    let depth = 0;
    for (let n = json; n.children.length > 0; n = n.children[0]) depth++;
    expect(depth).toBeGreaterThan(10_000);
    expect(ok(['diff', deep, deep]).stdout).toContain('</svg>');
  });

  it('the SVG zooms and searches with the flame graph script (jsdom)', () => {
    const svg = ok(['diff', `${P499}@0:3`, `${P499}@16:17`]).stdout;
    const dom = new JSDOM(svg, { contentType: 'image/svg+xml', runScripts: 'outside-only' });
    const doc = dom.window.document;
    // jsdom does not run <script> in SVG documents; run the embedded one as a browser would.
    dom.window.eval(doc.getElementsByTagName('script')[0]!.textContent ?? '');
    let answer = 'burnC';
    dom.window.prompt = () => answer;
    doc.getElementById('search')!.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    expect(doc.getElementById('matched')!.textContent).toMatch(/^Matched: [1-9]\d*\.\d\d%$/);
    answer = '';
    const frame = Array.from(doc.querySelectorAll('#frames > g')).find((g) => g.querySelector('title')!.textContent!.startsWith('uv_run ('))!;
    frame.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    expect(doc.getElementById('unzoom')!.getAttribute('class')).not.toContain('hide');
  });
});

describe('diff with a metric some samples lack', () => {
  const FLAMEPROF = corpus('weighted', 'flameprof-reconstructed.erl_perf.log');
  it('says how many samples each side left out, as flame does (4 without a previous sample of their process)', () => {
    const r = runCli(['diff', '--format', 'json', '--metric', 'erlang_reductions_delta', '--rate', FLAMEPROF, FLAMEPROF]);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.endsWith('warning: 4 samples without erlang_reductions_delta/s left out'))).toHaveLength(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.sides.base.without).toBe(4);
    expect(doc.sides.target.without).toBe(4);
    expect(doc.unit).toBe('reductions/s');
  });
});
