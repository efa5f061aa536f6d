// Who a view shows: --comm, --exclude-comm, --pid, --tid, --cpu on heatmap, flame and collapse, through the one
// sample filter. Expected counts come from the raw perf script text, read here with a regex of our own.
import { describe, expect, it } from 'vitest';
import { compileFilter, parseCpuList } from '../src/query/filter';
import { idsOf } from '../src/parse/profile';
import { readProfile } from '../src/parse/input';
import { join } from 'node:path';
import { corpus, ROOT } from './support/corpus';
import { runInProcess } from './support/cli';
import type { HeatmapDoc } from './support/docs';
import { type RawHeader, rawHeadersOf } from './support/raw';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
/** A system-wide recording (perf record -a) of two CPUs: the CPU column is printed. */
const SYSTEMWIDE = join(ROOT, 'examples/dialects/systemwide-no-callchain.txt.gz');

type Header = RawHeader;

const read = rawHeadersOf;
const raw = read(PATTERN);

/** Samples per 50-row cell, `column,row` → count, of the headers kept (t0: the floor of the file's first). */
function cells(kept: Header[], all = raw): Map<string, number> {
  const t0 = Math.min(...all.map((h) => h.seconds));
  const out = new Map<string, number>();
  for (const h of kept) {
    const key = `${h.seconds - t0},${Math.floor((h.micros * 50) / 1e6)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

async function heatmap(args: string[], file = PATTERN): Promise<Map<string, number>> {
  const r = await runInProcess(['heatmap', file, '--idle', 'keep', ...args]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as HeatmapDoc;
  const out = new Map<string, number>();
  doc.counts.forEach((column, c) => column.forEach((n, row) => n > 0 && out.set(`${c},${row}`, n)));
  return out;
}

describe('the who-filters on the CLI', () => {
  it('--comm keeps the threads whose name matches, cell by cell as the raw text says', async () => {
    const python = raw.filter((h) => /python/.test(h.comm));
    expect(python.length).toBeGreaterThan(500);
    expect(await heatmap(['--comm', 'python'])).toEqual(cells(python));
  });

  it('--exclude-comm leaves them out; with --comm, both apply', async () => {
    expect(await heatmap(['--exclude-comm', '^python'])).toEqual(cells(raw.filter((h) => !/^python/.test(h.comm))));
    expect(await heatmap(['--comm', 'n', '--exclude-comm', 'python'])).toEqual(cells(raw.filter((h) => /n/.test(h.comm) && !/python/.test(h.comm))));
  });

  it('--tid and --cpu keep those threads and CPUs', async () => {
    const tids = [...new Set(raw.map((h) => h.tid))];
    const tid = tids.find((t) => raw.filter((h) => h.tid === t).length > 100)!;
    expect(await heatmap(['--tid', tid])).toEqual(cells(raw.filter((h) => h.tid === tid)));
    const wide = read(SYSTEMWIDE);
    const cpu1 = wide.filter((h) => h.cpu === 1);
    expect(cpu1.length).toBeGreaterThan(100);
    expect(await heatmap(['--cpu', '1'], SYSTEMWIDE)).toEqual(cells(cpu1, wide));
    expect(await heatmap(['--cpu', '0-1'], SYSTEMWIDE)).toEqual(cells(wide, wide));
  });

  it('flame and collapse take the same samples: totals equal the heat map total of the same filter', async () => {
    const python = raw.filter((h) => /python/.test(h.comm)).length;
    const flame = await runInProcess(['flame', PATTERN, '--idle', 'keep', '--comm', 'python', '--format', 'json']);
    expect((JSON.parse(flame.stdout) as { value: number }).value).toBe(python);
    const folded = await runInProcess(['collapse', PATTERN, '--comm', 'python', '--weight', 'samples']);
    const total = folded.stdout.trimEnd().split('\n').reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(total).toBe(python);
    expect(folded.stdout.split('\n').every((line) => line === '' || line.startsWith('python'))).toBe(true);
  });

  it('collapse filters ids with --only-pid/--only-tid, keeping --pid/--tid as the root-frame flags of stackcollapse-perf.pl', async () => {
    const python = raw.filter((h) => h.comm === 'python3');
    const tid = python[0]!.tid;
    const expected = raw.filter((h) => h.tid === tid).length;
    const folded = await runInProcess(['collapse', PATTERN, '--only-tid', tid, '--tid', '--weight', 'samples']);
    const lines = folded.stdout.trimEnd().split('\n');
    expect(lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)).toBe(expected);
    // The root frame still says comm-PID/TID (stackcollapse's --tid), here the one thread kept.
    expect(new Set(lines.map((line) => line.slice(0, line.indexOf(';'))))).toEqual(new Set([`python3-?/${tid}`]));
    const byPid = await runInProcess(['collapse', PATTERN, '--only-pid', tid]);
    expect(byPid.stderr).toMatch(/--only-pid needs process ids.*use --only-tid.*-F \+pid/);
  });

  it('--cpu isolates a busy loop pinned to one CPU of a system-wide recording (examples/pinned)', async () => {
    const file = join(ROOT, 'examples/pinned/pinned-busy.txt.gz');
    const all = read(file);
    const onCpu = (cpu: number): Header[] => all.filter((h) => h.cpu === cpu);
    // The raw text: the loop ran on CPU 1 only, and CPU 0 was mostly idle.
    expect(onCpu(1).filter((h) => h.comm === 'busy').length).toBeGreaterThan(900);
    expect(onCpu(0).filter((h) => h.comm === 'busy')).toEqual([]);
    for (const cpu of [0, 1]) {
      const r = await runInProcess(['flame', file, '--cpu', String(cpu), '--idle', 'keep', '--format', 'json']);
      const tree = JSON.parse(r.stdout) as { value: number; children: { name: string; value: number }[] };
      expect(tree.value).toBe(onCpu(cpu).length);
      const busy = tree.children.find((c) => c.name === 'busy')?.value ?? 0;
      expect(busy).toBe(onCpu(cpu).filter((h) => h.comm === 'busy').length);
    }
    expect(await heatmap(['--cpu', '1'], file)).toEqual(cells(onCpu(1), all));
  });

  it('explain and diff take the same filter: only the kept threads are ranked, and diff totals are flame totals', async () => {
    const e = await runInProcess(['explain', PATTERN, '--from', '3', '--to', '4', '--comm', 'node', '--format', 'json']);
    expect(e.code, e.stderr).toBe(0);
    const rows = (JSON.parse(e.stdout) as { rows: { kind: string; name: string }[] }).rows;
    expect(rows.filter((r) => r.kind === 'thread').map((r) => r.name)).toEqual(['node']);
    const inRange = (h: Header, from: number, to: number): boolean => {
      const t = h.seconds - Math.min(...raw.map((x) => x.seconds)) + h.micros / 1e6;
      return t >= from && t < to;
    };
    const d = await runInProcess(['diff', `${PATTERN}@0:3`, `${PATTERN}@16:17`, '--idle', 'keep', '--exclude-comm', 'node', '--format', 'json']);
    expect(d.code, d.stderr).toBe(0);
    const doc = JSON.parse(d.stdout) as { base: number; target: number };
    const others = raw.filter((h) => !/node/.test(h.comm));
    expect([doc.base, doc.target]).toEqual([others.filter((h) => inRange(h, 0, 3)).length, others.filter((h) => inRange(h, 16, 17)).length]);
  });

  it('says in one line what is wrong: a bad pattern, a pid on a file of thread ids, a bad list', async () => {
    const bad = await runInProcess(['heatmap', PATTERN, '--comm', '(']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringMatching(/^flamescope: .*: --comm "\(" is not a regular expression: .*\n$/)]);
    const pid = await runInProcess(['heatmap', PATTERN, '--pid', '1234']);
    expect(pid.code).toBe(1);
    expect(pid.stderr).toMatch(/--pid needs process ids, and this file has thread ids only .*use --tid/);
    const cpu = await runInProcess(['heatmap', PATTERN, '--cpu', '2-1']);
    expect(cpu.code).toBe(2);
    expect(cpu.stderr).toMatch(/expected CPU numbers and ranges/);
    const noCpu = await runInProcess(['heatmap', PATTERN, '--cpu', '0']);
    expect(noCpu.code).toBe(1);
    expect(noCpu.stderr).toMatch(/--cpu needs the CPU of each sample, and this file has none/);
  });
});

describe('compileFilter', () => {
  it('reads pid/tid tokens as perf prints them; a lone number is a thread', () => {
    expect(idsOf('4242/4250')).toEqual({ pid: '4242', tid: '4250' });
    expect(idsOf('4250')).toEqual({ pid: '', tid: '4250' });
    expect(idsOf('0.245.0')).toEqual({ pid: '0.245.0', tid: '0.245.0' });
    expect(parseCpuList('0,2-3')).toEqual([0, 2, 3]);
    expect(parseCpuList('3-2')).toBeNull();
    expect(parseCpuList('a')).toBeNull();
  });

  it('keeps flame_prof processes by their Erlang pid; an empty spec keeps everything', async () => {
    const p = await readProfile(corpus('weighted', 'flameprof-reconstructed.erl_perf.log'));
    const filter = compileFilter(p, { pids: ['0.245.0'] })!;
    const kept = p.procs.filter((_, k) => filter.proc![k] === 1);
    expect(kept).toEqual(['0.245.0']);
    expect(compileFilter(p, {})).toBeUndefined();
  });

  it('tests a megabyte thread name by its start only', async () => {
    const { PerfScriptParser } = await import('../src/parse/perf-script');
    const parser = new PerfScriptParser('long');
    const long = `${'a'.repeat(1 << 20)}z`;
    parser.feed(Buffer.from(`${long} 1 1.000001: 1 cpu-clock:\n\tffff f (m)\n\nshort 2 1.000002: 1 cpu-clock:\n\tffff f (m)\n`));
    const profile = parser.finish();
    // The long name ends in z past the part that is tested, so z$ matches neither name; what is tested is 256 a's.
    const filter = compileFilter(profile, { comm: 'z$' })!;
    expect(Array.from(filter.comm!)).toEqual([0, 0]);
    expect(Array.from(compileFilter(profile, { comm: '^a{256}$' })!.comm!)).toEqual([1, 0]);
  });
});
