// The nflxprofile importer against FlameScope's own answers for Netflix's fixture
// (shared/corpus/other-formats/flamescope-ref/), and against damaged input.
//
// FlameScope's rules, re-done here from its source (app/controllers/heatmap.py, app/nflxprofile/heatmap.py, the
// nflxprofile package's flamegraph.py): a sample's time is start_time + the running sum of time_deltas in doubles;
// its cell is column floor(ts − floor(start_time)), row floor(rows · (ts % 1)); the heat map has
// ceil(end_time) − floor(start_time) columns and counts every sample; the flame graph is root → the node's
// function_name (the process) → its stack, children keyed by (name, libtype), `value` the self count.
//
// Documented differences (each one checked below where the fixture shows it):
// 1. Boundary rows: we round start_time and each delta to the nanosecond and sum integers; FlameScope bins its
//    running sum of doubles, so a sample whose sum falls a hair below a row boundary (136087.39999999997 for
//    136087.4) is one row lower there.
// 2. `[unknown]` frames are user frames for us; FlameScope types them kernel only because its libtype rule calls
//    every dso starting with `[` kernel (perf's unresolved dso is `[unknown]`).
// 3. Our heat map's columns span the samples; FlameScope's span to end_time (here the same: one column).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs/light.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFlameTree, type FlameNode } from '../src/flamegraph/tree';
import { DISPLAY_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildHeatmap, columnOf, rowOf } from '../src/heatmap/grid';
import { selectSamples } from '../src/heatmap/range';
import { SAMPLES } from '../src/model/metrics';
import { kernelIdleRule } from '../src/parse/idle';
import { NO_ID, ProfileBuilder, type Profile } from '../src/parse/profile';
import { importNflxprofile, looksLikeNflxprofile } from '../src/import/nflxprofile';
import { NFLXPROFILE_SCHEMA } from '../src/import/nflxprofile-schema';
import { runInProcess } from './support/cli';
import { corpus, CORPUS, ROOT } from './support/corpus';
import { userErrorMessage } from './support/errors';
import { bottomUpValues, flameScopeColumn, flameScopeRow, type FlameScopeHeatmap } from './support/flamescope';

const FIXTURE = corpus('other-formats', 'nodejs1.nflxprofile');
const ROWS = 50;
const NS = 1e9;

function load(bytes: Uint8Array, name = 'nodejs1.nflxprofile'): Profile {
  const builder = new ProfileBuilder();
  const { header, warnings } = importNflxprofile(name, bytes, builder);
  return builder.finish(name, header, warnings, kernelIdleRule);
}

/** The fixture's clock (fields 1, 2 and 4 of nflxprofile.proto), decoded with a schema of its own, not ours. */
function fixtureClock(): { start: number; end: number; deltas: number[] } {
  const type = new protobuf.Type('Clock')
    .add(new protobuf.Field('start', 1, 'double'))
    .add(new protobuf.Field('end', 2, 'double'))
    .add(new protobuf.Field('deltas', 4, 'double', 'repeated'));
  new protobuf.Root().add(type);
  return type.decode(readFileSync(FIXTURE)) as unknown as { start: number; end: number; deltas: number[] };
}

interface FsNode {
  name: string;
  libtype: string;
  value: number;
  children: FsNode[];
}

/** A tree in one shape for both: name, kind, self, children by name. */
interface Shape {
  name: string;
  kind: string;
  self: number;
  children: Shape[];
}

const byName = (a: Shape, b: Shape): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** FlameScope's tree as the kinds we give: level 1 is the process (a thread node), then frames by libtype. */
function fsShape(node: FsNode, depth = 0): Shape {
  let kind = depth === 0 ? 'root' : depth === 1 ? 'thread' : node.libtype === '' ? 'user' : node.libtype;
  // Difference 2: `[unknown]` is a user frame for us.
  if (depth > 1 && node.name === '[unknown]') kind = 'user';
  return { name: depth === 0 ? 'all' : node.name, kind, self: node.value, children: node.children.map((c) => fsShape(c, depth + 1)).sort(byName) };
}

function ourShape(node: FlameNode): Shape {
  return { name: node.name, kind: node.kind, self: node.self, children: node.children.map(ourShape).sort(byName) };
}

describe('nodejs1.nflxprofile (Netflix fixture)', () => {
  const profile = load(readFileSync(FIXTURE));

  it('imports its six samples with their process, threads and times', () => {
    expect(profile.sampleCount).toBe(6);
    expect(profile.hasTime).toBe(true);
    expect(profile.t0).toBe(136087);
    expect(profile.events).toEqual(['samples']);
    expect(profile.comms).toEqual(['node']);
    // samples_pid / samples_tid as the file holds them: the first sample is on thread 12785, a worker.
    expect(Array.from(profile.pid)).toEqual([12783, 12783, 12783, 12783, 12783, 12783]);
    expect(Array.from(profile.tid)).toEqual([12785, 12783, 12783, 12783, 12783, 12783]);
    expect(profile.procs).toEqual(['12783/12785', '12783/12783']);
    // has_samples_cpu is "true" but the file has no cpus: none.
    expect(Array.from(profile.cpu)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(Array.from(profile.idle)).toEqual([0, 0, 0, 0, 0, 0]);
    // start 136087.1, deltas 0, .1, .1, .1, .1, 0 (each a double a hair off), rounded to the nanosecond.
    expect(Array.from(profile.time)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.5].map((s) => Math.round(s * NS)));
    expect(profile.header.sampleDurationMs).toBeCloseTo(400, 6);
    expect(profile.warnings.timeJump).toBeUndefined();
  });

  it('its heat map equals FlameScope’s up to boundary rows (difference 1)', () => {
    const ref = JSON.parse(readFileSync(corpus('other-formats', 'flamescope-ref', 'heatmap.nodejs1.nflxprofile.json'), 'utf8')) as FlameScopeHeatmap;
    expect(ref.rows).toHaveLength(ROWS);
    const grid = buildHeatmap(profile, { event: -1, idle: 'keep', rows: ROWS, weights: SAMPLES });
    const { start, end, deltas } = fixtureClock();
    // Difference 3 does not show here: FlameScope's ceil(end) − floor(start) is our one column.
    expect(Math.ceil(end) - Math.floor(start)).toBe(1);
    expect(grid.columns).toBe(ref.columns.length);

    const adjusted = Float64Array.from(grid.values);
    const boundary: number[] = [];
    let ts = start;
    deltas.forEach((delta, i) => {
      ts += delta;
      const t = profile.time[i]!;
      const ours = columnOf(t) * ROWS + rowOf(t, ROWS);
      const theirs = flameScopeColumn(ts, start) * ROWS + flameScopeRow(ts, ROWS);
      if (ours === theirs) return;
      // Only a time on a row boundary may be one row lower in FlameScope, its double a hair below the boundary.
      const frac = t - columnOf(t) * NS;
      expect((frac * ROWS) % NS, `sample ${i} sits on a row boundary`).toBe(0);
      expect(theirs, `sample ${i} is one row lower in FlameScope`).toBe(ours - 1);
      expect(ts - Math.floor(ts)).toBeLessThan(frac / NS);
      adjusted[ours]--;
      adjusted[theirs]++;
      boundary.push(i);
    });
    // By hand: the sums for .3 and .4 are 136087.29999999999 and 136087.39999999997.
    expect(boundary).toEqual([2, 3]);
    expect(Array.from(adjusted)).toEqual(Array.from(bottomUpValues(ref)));
    expect(ref.maxvalue).toBe(grid.max);
  });

  it('its whole-profile flame graph equals FlameScope’s up to `[unknown]` kinds (difference 2)', () => {
    const ref = JSON.parse(readFileSync(corpus('other-formats', 'flamescope-ref', 'flamegraph.nodejs1.nflxprofile.whole.json'), 'utf8')) as FsNode;
    const samples = selectSamples(profile, { event: -1, idle: 'keep', range: null });
    const tree = buildFlameTree(profile, samples, { names: new FrameNames(profile, DISPLAY_NAMES) });
    expect(ourShape(tree)).toEqual(fsShape(ref));
    expect(tree.value).toBe(6);
    // The kinds the libtypes give, and the one difference.
    const kinds = new Map<string, Set<string>>();
    const walk = (n: FlameNode): void => {
      kinds.set(n.name, (kinds.get(n.name) ?? new Set()).add(n.kind));
      n.children.forEach(walk);
    };
    walk(tree);
    expect([...kinds.get('LazyCompile:*b [eval]:1')!]).toEqual(['jit']);
    expect([...kinds.get('__libc_start_main')!]).toEqual(['user']);
    expect([...kinds.get('[unknown]')!]).toEqual(['user']);
  });
});

describe('damaged input: one line, never a crash or a hang', () => {
  const bytes = readFileSync(FIXTURE);

  it('every truncation of the fixture imports or gives a one-line UserError', () => {
    let refused = 0;
    for (let n = 0; n < bytes.length; n++) {
      try {
        load(bytes.subarray(0, n));
      } catch (e) {
        const message = userErrorMessage(() => {
          throw e;
        });
        expect(message, `truncated at ${n}`).not.toContain('\n');
        expect(message, `truncated at ${n}`).toMatch(/^(not a valid nflxprofile: |no samples in this nflxprofile)/);
        refused++;
      }
    }
    // Cut inside a field (most cuts), it is refused; only cuts just before the optional per-sample arrays still read.
    expect(refused).toBeGreaterThan(bytes.length - 20);
  });

  it('names what is wrong', () => {
    expect(userErrorMessage(() => load(bytes.subarray(0, 3000)))).toBe('not a valid nflxprofile: truncated (a field runs past the end of the file)');
    expect(userErrorMessage(() => load(Buffer.from('hello world\n')))).toMatch(/^not a valid nflxprofile: invalid wire type/);
    expect(userErrorMessage(() => load(new Uint8Array(0)))).toBe("not a valid nflxprofile: missing required 'start_time'");
  });

  it('garbage bytes never throw anything but a UserError', () => {
    // A fixed linear congruential sequence: the same bytes on every run.
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let k = 0; k < 300; k++) {
      const junk = Uint8Array.from({ length: 1 + (k % 97) * 7 }, next);
      // Half of them start like a real file, so that the decoder gets past the clock.
      if (k % 2 === 0) junk.set(bytes.subarray(0, Math.min(junk.length, 40)));
      try {
        load(junk);
      } catch (e) {
        userErrorMessage(() => {
          throw e;
        });
      }
    }
  });
});

describe('the two other ways a file stores stacks (synthetic files, encoded by protobufjs)', () => {
  const Profile = protobuf.Root.fromJSON(NFLXPROFILE_SCHEMA).lookupType('nflxprofile.Profile');
  const encode = (message: Record<string, unknown>): Uint8Array => Profile.encode(Profile.fromObject(message)).finish();
  const names = (profile: Profile): string[][] =>
    Array.from(profile.stack, (s) => {
      const out: string[] = [];
      for (; s >= 0; s = profile.stackParent[s]!) out.push(profile.frames[profile.stackFrame[s]!]!.symbol);
      return out.reverse();
    });
  const node = (function_name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ function_name, hit_count: 0, ...extra });

  it('has_parent: the node and its parents up to the root, left out', () => {
    const profile = load(
      encode({
        start_time: 10.5,
        end_time: 11,
        samples: [2, 3, 2],
        time_deltas: [0, 0.25, 0.125],
        params: { has_parent: 'true' },
        nodes: { 0: node('root'), 1: node('main', { parent: 0, libtype: 'user' }), 2: node('work', { parent: 1, libtype: 'jit' }), 3: node('sys_read', { parent: 1, libtype: 'kernel', pid: 7, tid: 8, cpu: 3 }) },
      }),
    );
    expect(names(profile)).toEqual([['main', 'work'], ['main', 'sys_read'], ['main', 'work']]);
    expect(profile.comms).toEqual(['[unknown]']);
    expect(Array.from(profile.time)).toEqual([0.5e9, 0.75e9, 0.875e9]);
    expect(Array.from(profile.pid)).toEqual([NO_ID, 7, NO_ID]);
    expect(Array.from(profile.tid)).toEqual([NO_ID, 8, NO_ID]);
    expect(Array.from(profile.cpu)).toEqual([-1, 3, -1]);
    expect(profile.procs).toEqual(['', '7/8']);
  });

  it('times do not drift near a Unix time, where a running sum of doubles does', () => {
    const n = 5000;
    const profile = load(
      encode({ start_time: 1700000000, end_time: 1700000005, samples: new Array(n).fill(1), time_deltas: new Array(n).fill(0.001), params: { has_node_stack: 'true' }, nodes: { 1: node('p') } }),
    );
    expect(profile.t0).toBe(1700000000);
    // Sample i is (i + 1) ms after the start, exactly.
    expect(Array.from(profile.time)).toEqual(Array.from({ length: n }, (_, i) => (i + 1) * 1e6));
    expect(profile.timeDigits).toBe(6);
    // FlameScope's clock, for contrast: the sum of the doubles is off by more than a microsecond by the end.
    let sum = 1700000000;
    for (let i = 0; i < n; i++) sum += 0.001;
    expect(Math.abs(sum - 1700000005)).toBeGreaterThan(1e-6);
  });

  it('has_parent: parents in a cycle are refused, not followed forever', () => {
    const bytes = encode({ start_time: 1, end_time: 2, samples: [1], time_deltas: [0], params: { has_parent: 'true' }, nodes: { 1: node('a', { parent: 2 }), 2: node('b', { parent: 1 }) } });
    expect(userErrorMessage(() => load(bytes))).toBe('not a valid nflxprofile: the parents of node 1 form a cycle');
  });

  it('old files: the tree of children from node 0, per-sample cpus and values', () => {
    const profile = load(
      encode({
        start_time: 100,
        end_time: 101,
        samples: [0, 2, 3],
        time_deltas: [0.1, 0.1, 0.1],
        params: { has_samples_cpu: 'true', hasValues: 'true' },
        samples_cpu: [1, 2, 3],
        samples_value: [5, 6, 7],
        nodes: { 0: node('root', { children: [1] }), 1: node('a', { children: [2, 3] }), 2: node('b'), 3: node('c', { children: [1] }) },
      }),
    );
    expect(names(profile)).toEqual([['root'], ['a', 'b'], ['a', 'c']]);
    expect(Array.from(profile.cpu)).toEqual([1, 2, 3]);
    expect(profile.metrics.map((m) => [m.name, Array.from(m.values)])).toEqual([['value', [5, 6, 7]]]);
  });

  it('refuses a sample of a node the file does not have, and arrays of the wrong length', () => {
    const base = { start_time: 1, end_time: 2, samples: [1, 9], time_deltas: [0, 0], params: { has_node_stack: 'true' }, nodes: { 1: node('p') } };
    expect(userErrorMessage(() => load(encode(base)))).toBe('not a valid nflxprofile: node 9 is named but the file does not have it');
    expect(userErrorMessage(() => load(encode({ ...base, samples: [1, 1], time_deltas: [0] })))).toBe('not a valid nflxprofile: 2 samples but 1 time deltas');
    expect(userErrorMessage(() => load(encode({ ...base, samples: [1, 1], samples_tid: [3] })))).toBe('not a valid nflxprofile: 2 samples but 1 samples_tid entries');
    expect(userErrorMessage(() => load(encode({ ...base, samples: [], time_deltas: [] })))).toBe('no samples in this nflxprofile');
  });
});

describe('detection', () => {
  it('says yes to the fixture, from its first bytes only', () => {
    const bytes = readFileSync(FIXTURE);
    expect(looksLikeNflxprofile(bytes)).toBe(true);
    expect(looksLikeNflxprofile(bytes.subarray(0, 18))).toBe(true);
    expect(looksLikeNflxprofile(bytes.subarray(0, 17))).toBe(false);
  });

  it('says no to every text and JSON file of the corpus and of examples/, plain or gunzipped', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir).sort()) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (!entry.endsWith('.nflxprofile')) files.push(path);
      }
    };
    walk(CORPUS);
    walk(join(ROOT, 'examples'));
    expect(files.length).toBeGreaterThan(150);
    for (const path of files) {
      const raw = readFileSync(path);
      // A gzip file's first 4 KiB of text, from its first 16 KiB (a sync flush reads a truncated stream).
      const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw.subarray(0, 16384), { finishFlush: constants.Z_SYNC_FLUSH }) : raw;
      const head = text.subarray(0, 4096);
      expect(head.length, path).toBeGreaterThan(0);
      expect(looksLikeNflxprofile(head), path).toBe(false);
    }
  });

  it('says no to a text that starts with a tab, and to doubles that are not times', () => {
    expect(looksLikeNflxprofile(Buffer.from('\tffffffff81000000 do_idle ([kernel.kallsyms])\n'))).toBe(false);
    const fake = new Uint8Array(18);
    fake[0] = 0x09;
    fake[9] = 0x11;
    new DataView(fake.buffer).setFloat64(1, NaN, true);
    expect(looksLikeNflxprofile(fake)).toBe(false);
  });
});

describe('the CLI reads an nflxprofile by its content, not its name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flamescope-nflx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a copy without its extension: heat map and folded stacks', async () => {
    const plain = join(dir, 'profile');
    copyFileSync(FIXTURE, plain);
    const heatmap = await runInProcess(['heatmap', '--format', 'json', plain]);
    expect(heatmap.stderr).toBe('');
    const json = JSON.parse(heatmap.stdout) as { t0: number; columns: number; samples: number; event: string };
    expect([json.t0, json.columns, json.samples, json.event]).toEqual([136087, 1, 6, 'samples']);
    const folded = await runInProcess(['collapse', plain]);
    // Five distinct stacks (nodes 1–5), node 5 sampled twice; each line starts with the process name.
    const lines = folded.stdout.trimEnd().split('\n');
    expect(lines.map((l) => Number(l.slice(l.lastIndexOf(' ') + 1))).sort()).toEqual([1, 1, 1, 1, 2]);
    expect(lines.every((l) => l.startsWith('node;[unknown];__libc_start_main;node::Start;'))).toBe(true);
  });

  it('a truncated copy: one line on stderr and a non-zero exit', async () => {
    const cut = join(dir, 'cut');
    writeFileSync(cut, readFileSync(FIXTURE).subarray(0, 3000));
    const r = await runInProcess(['flame', '--format', 'json', cut]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`flamescope: ${cut}: not a valid nflxprofile: truncated (a field runs past the end of the file)\n`);
  });
});
