// The breakdown by thread, process and CPU: every figure is counted here from the raw perf script text with a
// regex of our own, and each row's filter keeps exactly the row's samples.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectSamples } from '../src/heatmap/range';
import { SAMPLES } from '../src/model/metrics';
import { readProfile } from '../src/parse/input';
import { breakdown } from '../src/query/breakdown';
import { compileFilter } from '../src/query/filter';
import { corpus, ROOT } from './support/corpus';
import { type RawHeader, rawHeadersOf } from './support/raw';

const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');
const PINNED = join(ROOT, 'examples/pinned/pinned-busy.txt.gz');

interface Header extends RawHeader {
  /** Exact microseconds since the epoch the file prints. */
  at: number;
}

const headers = (file: string): Header[] => rawHeadersOf(file).map((h) => ({ ...h, at: h.seconds * 1e6 + h.micros }));

/** Samples per key among headers in [from, to) seconds after t0 (the floor of the first timestamp). */
function count(hs: Header[], key: (h: Header) => string, from = 0, to = Infinity): Map<string, number> {
  const t0 = Math.floor(hs[0]!.at / 1e6) * 1e6;
  const out = new Map<string, number>();
  for (const h of hs) {
    const s = (h.at - t0) / 1e6;
    if (s < from || s >= to) continue;
    out.set(key(h), (out.get(key(h)) ?? 0) + 1);
  }
  return out;
}

const profile = await readProfile(PATTERN);
const raw = headers(PATTERN);

describe('breakdown', () => {
  it('ranks the threads of 3.7–3.8 s of pattern499 as the raw text counts them, python3 first', () => {
    const range = { start: 3.7e9, end: 3.8e9 };
    const b = breakdown(profile, selectSamples(profile, { event: 0, idle: 'keep', range }), SAMPLES, 'thread');
    const expected = count(raw, (h) => `${h.comm} ${h.tid}`, 3.7, 3.8);
    expect(b.rows[0]!.label).toMatch(/^python3 \d+$/);
    expect(new Map(b.rows.map((r) => [r.label, r.samples]))).toEqual(expected);
    expect(b.rows.reduce((n, r) => n + r.share, 0)).toBeCloseTo(1, 12);
  });

  it("gives each row the filter that keeps exactly its samples, and a sparkline of the row's samples per second", () => {
    const whole = breakdown(profile, selectSamples(profile, { event: 0, idle: 'keep', range: null }), SAMPLES, 'thread');
    for (const row of whole.rows) {
      const kept = selectSamples(profile, { event: 0, idle: 'keep', range: null, filter: compileFilter(profile, row.spec) });
      expect(kept.length, row.label).toBe(row.samples);
      expect(row.spark.reduce((a, b) => a + b, 0)).toBe(row.samples);
    }
    const python = whole.rows.find((r) => r.label.startsWith('python3'))!;
    const perSecond = count(raw.filter((h) => h.comm === 'python3'), (h) => String(Math.floor((h.at - Math.floor(raw[0]!.at / 1e6) * 1e6) / 1e6)));
    perSecond.forEach((n, second) => expect(python.spark[Number(second)], `second ${second}`).toBe(n));
  });

  it('breaks a system-wide recording down by CPU, the pinned loop alone on CPU 1', async () => {
    const pinned = await readProfile(PINNED);
    const b = breakdown(pinned, selectSamples(pinned, { event: 0, idle: 'keep', range: null }), SAMPLES, 'cpu');
    expect(new Map(b.rows.map((r) => [r.label, r.samples]))).toEqual(new Map([...count(headers(PINNED), (h) => `CPU ${h.cpu}`)]));
    const cpu1 = breakdown(pinned, selectSamples(pinned, { event: 0, idle: 'keep', range: null, filter: compileFilter(pinned, { cpus: [1] }) }), SAMPLES, 'thread');
    expect(cpu1.rows[0]!.label).toMatch(/^busy /);
  });

  it('says why a file without pids has no process breakdown', () => {
    expect(() => breakdown(profile, new Uint32Array(0), SAMPLES, 'process')).toThrow(/thread ids only.*-F \+pid/);
  });
});
