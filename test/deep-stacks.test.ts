// 10,000-deep stacks through every command of the CLI: nothing may recurse per frame (issue 11). Expected
// figures are counted from the raw text of the synthetic profile, not by the code under test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { writeSynthProfile } from '../scripts/synth-profile.js';
import { DEFAULT_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildFlameTree, type FlameNode, netOf, samplesOf } from '../src/flamegraph/tree';
import { selectSamples } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import { renderFlameJson } from '../src/render/flame-json';
import { corpus, ROOT, runCli, type CliResult } from './support/corpus';
import { resolveWeights } from '../src/model/metrics';

const DEPTH = 10_000;
let dir: string;
let file: string;
/** Per record of the raw text: its leaf symbol and how many `recurse` frames it has. */
let records: { leaf: string; recurse: number }[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flamescope-deep-'));
  file = join(dir, 'deep.txt');
  await writeSynthProfile(file, { seconds: 2, hz: 5, depth: DEPTH });
  records = readFileSync(file, 'utf8')
    .split('\n\n')
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const frames = r.split('\n').slice(1);
      return { leaf: /\s(\S+)\+0x/.exec(frames[0]!)![1]!, recurse: frames.filter((f) => / recurse\+0x44 /.test(f)).length };
    });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ok(r: CliResult): string {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

interface JsonNode {
  name: string;
  value: number;
  net?: number;
  samples?: number;
  children: JsonNode[];
}

describe('10,000-deep stacks', () => {
  it('the synthetic profile is what the test expects', () => {
    expect(records).toHaveLength(10);
    for (const r of records) expect(r.recurse).toBe(DEPTH);
  });

  it('flame --format json: the whole chain, with the right depth and values', () => {
    const root = JSON.parse(ok(runCli(['flame', '--format', 'json', file]))) as JsonNode & { samples: number };
    expect(root.value).toBe(records.length);
    expect(root.samples).toBe(records.length);
    // all → worker → __libc_start_call_main → main → recurse × DEPTH → the leaves.
    const chain: string[] = [];
    let node: JsonNode = root;
    while (node.children.length === 1) {
      node = node.children[0]!;
      chain.push(node.name);
      expect(node.value).toBe(records.length);
    }
    expect(chain.slice(0, 3)).toEqual(['worker', '__libc_start_call_main', 'main']);
    expect(chain.length).toBe(3 + DEPTH);
    expect(chain.slice(3).every((n) => n === 'recurse')).toBe(true);
    const leaves = new Map<string, number>();
    for (const r of records) leaves.set(r.leaf, (leaves.get(r.leaf) ?? 0) + 1);
    expect(node.children.map((c) => [c.name, c.value])).toEqual([...leaves].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    for (const c of node.children) expect(c.children).toEqual([]);
  });

  it('flame --format svg: well-formed, one frame per level, as tall as the stack', () => {
    for (const args of [[], ['--inverted']]) {
      const svg = ok(runCli(['flame', ...args, file]));
      const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      const depths = Array.from(doc.querySelectorAll('#frames > g'), (g) => Number(g.getAttribute('data-d')));
      expect(Math.max(...depths)).toBe(DEPTH + 4);
      expect(depths.filter((d) => d === DEPTH + 3)).toHaveLength(1);
    }
  });

  it('flame --format folded and collapse: one line per leaf, every frame kept', () => {
    for (const args of [['flame', '--format', 'folded'], ['collapse', '--weight', 'samples']]) {
      const lines = ok(runCli([...args, file])).trimEnd().split('\n');
      let total = 0;
      for (const line of lines) {
        const m = /^(.*) (\d+)$/.exec(line)!;
        const frames = m[1]!.split(';');
        expect(frames.length).toBe(DEPTH + 4);
        expect(frames.slice(0, 3)).toEqual(['worker', '__libc_start_call_main', 'main']);
        total += Number(m[2]);
      }
      expect(total).toBe(records.length);
    }
  });

  it('heatmap in every format and report exit 0', () => {
    const json = JSON.parse(ok(runCli(['heatmap', file]))) as { samples: number };
    expect(json.samples).toBe(records.length);
    ok(runCli(['heatmap', '--format', 'text', file]));
    ok(runCli(['heatmap', '--format', 'svg', file]));
    const out = join(dir, 'deep.html');
    const r = runCli(['report', file, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^flamescope: wrote .*deep\.html/);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });
});

describe('the iterative JSON writer', () => {
  // The rule it replaces: JSON.stringify of the nested tree with the meta keys on the root.
  const plain = (n: FlameNode): JsonNode => ({ name: n.name, value: n.value, net: netOf(n), samples: samplesOf(n), children: n.children.map(plain) });
  const files = [
    corpus('perf', 'perf-vertx-stacks-01.txt'),
    corpus('perf', 'perf-java-stacks-01.txt'),
    corpus('perf', 'example-perf-stacks.txt.gz'),
    corpus('weighted', 'synthetic-weighted.perf'),
    join(ROOT, 'examples/pattern.txt.gz'),
  ];
  for (const path of files) {
    it(`gives JSON.stringify's bytes on ${path.split('/').pop()}`, async () => {
      const profile = await readProfile(path);
      for (const weight of ['samples', 'period'] as const) {
        const samples = selectSamples(profile, { event: 0, idle: 'keep', range: null });
        const tree = buildFlameTree(profile, samples, { weights: resolveWeights(profile, weight, 0), names: new FrameNames(profile, DEFAULT_NAMES) });
        const meta = { event: profile.events[0]!, metric: weight, unit: 'ns', groups: 'sign,comm', from: null, to: 1.5, t0: profile.hasTime ? profile.t0 : null, without: 0 };
        expect(renderFlameJson(tree, meta)).toBe(`${JSON.stringify({ ...plain(tree), ...meta })}\n`);
      }
    });
  }

  it('writes a leaf-only tree and hostile names as JSON.stringify does', () => {
    const leaf: FlameNode = { name: '"\\\u2028</script>\ud800', value: 0.1 + 0.2, self: 0, net: -0.5, samples: 3, kind: 'root', children: [] };
    const meta = { event: 'e"', metric: 'x"</script>', unit: '<b>', groups: 'bucket:"', from: 1, to: 2, t0: 3, without: 7 };
    expect(renderFlameJson(leaf, meta)).toBe(`${JSON.stringify({ ...plain(leaf), ...meta })}\n`);
  });
});
