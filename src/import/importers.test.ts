// The importers on small hand-made inputs, whose every expected figure is counted by hand.
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAMES, DEFAULT_NAMES, FrameNames, stackNames } from '../flamegraph/names';
import { resolveWeights } from '../model/metrics';
import { kernelIdleRule } from '../parse/idle';
import { ProfileBuilder, type Profile } from '../parse/profile';
import { importCpuProfile } from './cpuprofile';
import { FoldedParser } from './folded';
import { importJson } from './read';
import { importTraceEvents, SLICE_EVENT } from './trace-event';

function finish(builder: ProfileBuilder): Profile {
  return builder.finish('test', { events: [] }, { skippedLines: 0, firstSkippedLine: 0, firstSkippedText: '', recordLines: 0, sideBandRecords: 0, sideBandKinds: [], clampedPeriods: 0, firstClampedLine: 0 }, kernelIdleRule);
}

/** Each sample as `comm;frame;frame@µs since the first whole second`, in model order. */
function rows(p: Profile, display = true): string[] {
  const names = new FrameNames(p, display ? DISPLAY_NAMES : DEFAULT_NAMES);
  const out: string[] = [];
  for (let i = 0; i < p.sampleCount; i++) {
    const frames = p.stack[i]! < 0 ? [] : stackNames(p, names, p.stack[i]!, false);
    const t = Number.isNaN(p.time[i]!) ? 'untimed' : String(p.time[i]! / 1000);
    out.push(`${[p.comms[p.comm[i]!], ...frames].join(';')}@${t}${p.idle[i] === 1 ? ' idle' : ''}`);
  }
  return out;
}

const frame = (functionName: string, url = '', lineNumber = -1, columnNumber = -1) => ({ functionName, url, lineNumber, columnNumber, scriptId: '0' });

/** (root) → (program); (root) → main (app.js) → anonymous → work; (root) → (idle); (root) → (garbage collector). */
const CPU_PROFILE = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [2, 3, 6, 7] },
    { id: 2, callFrame: frame('(program)'), hitCount: 1 },
    { id: 3, callFrame: frame('main', 'file:///app.js', 0, 0), hitCount: 0, children: [4] },
    { id: 4, callFrame: frame('', 'file:///app.js', 9, 14), hitCount: 0, children: [5] },
    { id: 5, callFrame: frame('work', 'file:///app (copy).js', 41, 2), hitCount: 2 },
    { id: 6, callFrame: frame('(idle)'), hitCount: 1 },
    { id: 7, callFrame: frame('(garbage collector)'), hitCount: 1 },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [5, 2, 5, 6, 7],
  // The third sample is recorded late: its delta is negative, so it comes before the second.
  timeDeltas: [100, 1000, -400, 2000, 1],
};

describe('V8 .cpuprofile', () => {
  it('one sample per entry of samples, at startTime plus the running sum of timeDeltas', () => {
    const b = new ProfileBuilder();
    const imported = importCpuProfile('app.cpuprofile', structuredClone(CPU_PROFILE), b);
    expect(imported.notices).toEqual([]);
    expect(imported.header.events).toEqual(['cpu-clock']);
    const p = finish(b);
    expect(p.hasTime).toBe(true);
    expect(p.t0).toBe(1);
    // (root) dropped; (program) and (garbage collector) kept; (idle) idle; names `function url:line:col`, 1-based.
    expect(rows(p)).toEqual([
      'node;main file:///app.js:1:1;(anonymous) file:///app.js:10:15;work file:///app (copy).js:42:3@100',
      'node;(program)@1100',
      'node;main file:///app.js:1:1;(anonymous) file:///app.js:10:15;work file:///app (copy).js:42:3@700',
      'node;(idle)@2700 idle',
      'node;(garbage collector)@2701',
    ]);
    // Folded names are the same, `(…)` frames included (perf's rule drops them; these are V8's own).
    expect(rows(p, false)[1]).toBe('node;(program)@1100');
    // `collapse --jit` marks JavaScript frames as JIT, as perf's node frames are; V8's own are not code.
    const jit = new FrameNames(p, { ...DEFAULT_NAMES, jit: true });
    expect(stackNames(p, jit, p.stack[0]!, false).at(-1)).toBe('work file:///app (copy).js:42:3_[j]');
    expect(stackNames(p, jit, p.stack[1]!, false)).toEqual(['(program)']);
  });

  it('a sample of a node the profile lacks is left out and counted; a cycle and a length mismatch are errors', () => {
    const b = new ProfileBuilder();
    const profile = { ...structuredClone(CPU_PROFILE), samples: [5, 99, 98, 2, 5], timeDeltas: [1, 1, 1, 1, 1] };
    expect(importCpuProfile('x', profile, b).notices).toEqual(['left out 2 samples of nodes the profile does not list (the first: node id 99)']);
    expect(finish(b).sampleCount).toBe(3);
    const cyclic = { nodes: [{ id: 1, callFrame: frame('a'), children: [2] }, { id: 2, callFrame: frame('b'), children: [1] }], samples: [2], timeDeltas: [1], startTime: 0 };
    expect(() => importCpuProfile('x', cyclic, new ProfileBuilder())).toThrow(/cycle/);
    expect(() => importCpuProfile('x', { ...structuredClone(CPU_PROFILE), timeDeltas: [1] }, new ProfileBuilder())).toThrow(/samples \(5\) and timeDeltas \(1\) differ/);
    expect(() => importCpuProfile('x', { nodes: [{ id: 'a' }], samples: [], timeDeltas: [], startTime: 0 }, new ProfileBuilder())).toThrow(/node 0 has no numeric "id"/);
  });

  it('a 10,000-deep stack (no recursion anywhere)', () => {
    const depth = 10_000;
    const nodes = Array.from({ length: depth }, (_, k) => ({ id: k + 1, callFrame: frame(`f${k}`, 'file:///deep.js', k, 0), children: k + 1 < depth ? [k + 2] : [] }));
    const b = new ProfileBuilder();
    importCpuProfile('deep', { nodes, samples: [depth, depth - 1], timeDeltas: [5, 5], startTime: 0 }, b);
    const p = finish(b);
    let d = 0;
    for (let s = p.stack[0]!; s >= 0; s = p.stackParent[s]!) d++;
    expect(d).toBe(depth);
  });

  it('any other JSON gets the one error naming what was expected', () => {
    expect(() => importJson('package.json', Buffer.from('{"name": "x", "version": "1"}'), new ProfileBuilder())).toThrow(
      /^JSON that is not a V8 \.cpuprofile .*: an object with keys "name", "version"$/,
    );
    expect(() => importJson('bad.json', Buffer.from('{"nodes": '), new ProfileBuilder())).toThrow(/^JSON that is not .*: it does not parse/);
  });
});

describe('Chrome trace events', () => {
  it('Profile and ProfileChunk events: nodes arrive across chunks with their parent, per (pid, id)', () => {
    const events = [
      { ph: 'M', name: 'thread_name', pid: 7, tid: 8, args: { name: 'CrRendererMain' } },
      { ph: 'P', name: 'Profile', pid: 7, tid: 8, id: '0x1', ts: 0, args: { data: { startTime: 2_000_000 } } },
      {
        ph: 'P', name: 'ProfileChunk', pid: 7, tid: 99, id: '0x1', ts: 1,
        args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: frame('(root)') }, { id: 2, callFrame: frame('run', 'https://x/app.js', 2, 4), parent: 1 }], samples: [2, 2] }, timeDeltas: [10, 20] } },
      },
      {
        ph: 'P', name: 'ProfileChunk', pid: 7, tid: 99, id: '0x1', ts: 2,
        args: { data: { cpuProfile: { nodes: [{ id: 3, callFrame: frame('(idle)'), parent: 1 }, { id: 4, callFrame: frame('step', 'https://x/app.js', 5, 0), parent: 2 }], samples: [4, 3] }, timeDeltas: [30, 40] } },
      },
      { ph: 'X', name: 'RunTask', pid: 7, tid: 8, ts: 5, dur: 100 },
      { ph: 'b', name: 'async', pid: 7, tid: 8, ts: 5, id: 3 },
    ];
    const b = new ProfileBuilder();
    const imported = importTraceEvents('trace.json', events, b);
    expect(imported.header.events).toEqual(['cpu-clock']);
    expect(imported.notices).toEqual(['left out trace events that are not samples: 1 slices (B/E/X), 1 async begins (b)']);
    const p = finish(b);
    expect(rows(p)).toEqual([
      'CrRendererMain;run https://x/app.js:3:5@10',
      'CrRendererMain;run https://x/app.js:3:5@30',
      'CrRendererMain;run https://x/app.js:3:5;step https://x/app.js:6:1@60',
      'CrRendererMain;(idle)@100 idle',
    ]);
    expect([p.pid[0], p.tid[0], p.procs[p.proc[0]!]]).toEqual([7, 8, '7/8']);
  });

  it('without profiler samples, slices are sampled at every whole millisecond a thread is inside one', () => {
    // Thread 1: X 0.5–3.2 ms holding B/E 1.0–2.0 ms (ticks 1, 2, 3: the B/E slice is open at 1 only, as it
    // ends at 2). Thread 2: X 10.0–10.9 ms (tick 10). An E without a B and an X of no duration are counted.
    const events = [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'main' } },
      { ph: 'X', name: 'outer', cat: 'c', pid: 1, tid: 1, ts: 500, dur: 2700 },
      { ph: 'B', name: 'inner', cat: 'c', pid: 1, tid: 1, ts: 1000 },
      { ph: 'E', pid: 1, tid: 1, ts: 2000 },
      { ph: 'X', name: 'other', cat: 'c', pid: 1, tid: 2, ts: 10_000, dur: 900 },
      { ph: 'E', pid: 1, tid: 2, ts: 11_000 },
      { ph: 'X', name: 'empty', pid: 1, tid: 2, ts: 11_000, dur: 0 },
    ];
    const b = new ProfileBuilder();
    const imported = importTraceEvents('trace.json', events, b);
    expect(imported.header.events).toEqual([SLICE_EVENT]);
    expect(imported.notices).toEqual([
      'no V8 profiler samples in this trace: its B/E/X slices are sampled every 1 ms of wall time instead (event trace-slices)',
      'left out trace events that are not samples: 1 E events without a B, 1 X slices of no duration',
    ]);
    expect(rows(finish(b))).toEqual(['main;outer;inner@1000', 'main;outer@2000', 'main;outer@3000', 'pid 1;other@10000']);
  });
});

describe('Chrome trace events: bounds', () => {
  it('a slice of a corrupt duration is an error before any sample is made', () => {
    const b = new ProfileBuilder();
    expect(() => importTraceEvents('t', [{ ph: 'X', name: 'x', pid: 1, tid: 1, ts: 0, dur: 1e15 }], b)).toThrow(/cover 1,000,000,000,001 ms of thread time, more than the 8,388,608 samples/);
    expect(b.sampleCount).toBe(0);
  });
});

describe('folded stacks', () => {
  const parse = (text: string, chunk = 7) => {
    const b = new ProfileBuilder();
    const parser = new FoldedParser('x.folded', b);
    const buf = Buffer.from(text);
    for (let at = 0; at < buf.length; at += chunk) parser.feed(buf.subarray(at, at + chunk));
    return { imported: parser.end(), profile: finish(b) };
  };

  it('a line is one untimed sample carrying its count; the first frame is the thread name', () => {
    const { imported, profile } = parse('perl;main;foo 2\r\nperl 1\n\nnode;a (x.js:1);b "q" 40816326\n');
    expect(imported.warnings.skippedLines).toBe(0);
    expect(profile.hasTime).toBe(false);
    expect(rows(profile)).toEqual(['perl;main;foo@untimed', 'perl@untimed', 'node;a (x.js:1);b "q"@untimed']);
    expect(profile.metrics.map((m) => m.name)).toEqual(['samples']);
    expect([...profile.metrics[0]!.values]).toEqual([2, 1, 40816326]);
    // What every view sums: the counts, under `samples` and `period` alike.
    for (const name of ['samples', 'period']) expect([...resolveWeights(profile, name, 0).values!]).toEqual([2, 1, 40816326]);
  });

  it("a stack whose leaf is V8's (idle) is idle", () => {
    const { profile } = parse('node;(idle) 5\nnode;a;(idle) 1\nnode;(idle);a 2\n(idle) 1\n');
    expect([...profile.idle]).toEqual([1, 1, 0, 0]);
  });

  it('a line without a count is skipped and counted, the first named by its number; decimal counts are counts', () => {
    const { imported, profile } = parse('a;b 1\na;b 0.5\njust text\na;c 2\na 1e3\n');
    expect(imported.warnings).toMatchObject({ skippedLines: 2, firstSkippedLine: 3, firstSkippedText: 'just text', recordLines: 5 });
    expect([...profile.metrics[0]!.values]).toEqual([1, 0.5, 2]);
  });
});
