// What a sample weighs: 1 (samples), perf's period, or any metric a header carried (flame_prof's 32 series), with
// its unit; and the derived per-process rate of a delta metric. Pure and free of Node APIs: the page bundles it.
import { UserError } from '../errors';
import type { Profile } from '../parse/profile';

/** The weight column a view sums, resolved against one profile and one event. */
export interface Weights {
  /** `samples`, `period`, `erlang_memory_delta`; a rate ends in `/s` (`erlang_memory_delta/s`). */
  readonly name: string;
  /** `samples`, `ns`, `events`, `bytes`, `words`, `reductions`, … (`''` when the metric's unit is not known). */
  readonly unit: string;
  /** Per sample, or null when every sample weighs 1. NaN where the sample does not carry the metric. */
  readonly values: Float64Array | null;
  /**
   * A sample without the metric weighs 1 instead of being left out: perf's rule for a missing period (and
   * stackcollapse-perf.pl's). Every other metric leaves out the samples that do not carry it.
   */
  readonly absentIsOne: boolean;
}

export const SAMPLES: Weights = { name: 'samples', unit: 'samples', values: null, absentIsOne: false };

/** The weight of sample i, or NaN when the sample does not carry the metric (it is left out of the view). */
export function weightOf(w: Weights, i: number): number {
  if (w.values === null) return 1;
  const v = w.values[i]!;
  return v === v ? v : w.absentIsOne ? 1 : NaN;
}

/** Whether the weights are not sample counts (so a node or cell of weight 0 is drawn as such). */
export function isMetric(w: Weights): boolean {
  return w.values !== null;
}

/** The metric names a profile offers, `samples` first, in order of first appearance. */
export function metricNames(profile: Profile): string[] {
  return ['samples', ...profile.metrics.map((m) => m.name).filter((n) => n !== 'samples')];
}

/** The names a `--rate` applies to: metrics that are deltas. */
export function isDelta(name: string): boolean {
  return name.endsWith('_delta');
}

/** The delta metrics of a profile, for messages: `erlang_reductions_delta, …`, or `none`. */
function deltaNames(profile: Profile): string {
  const names = profile.metrics.map((m) => m.name).filter(isDelta);
  return names.length === 0 ? 'none' : names.join(', ');
}

export interface WeightsOptions {
  /** Delta ÷ seconds since the same process's previous sample carrying the metric (`*_delta` metrics only). */
  rate?: boolean;
}

/**
 * The weights a name selects for an event (`samples`, `period` or a metric), or a UserError that lists the
 * names there are. `period` on a profile without periods is sample counts, as perf and stackcollapse count it.
 */
export function resolveWeights(profile: Profile, name: string, event: number, options: WeightsOptions = {}): Weights {
  const rate = options.rate === true;
  if (rate && !isDelta(name)) {
    throw new UserError(profile.source, `--rate needs a delta metric (a name ending in _delta), not ${JSON.stringify(name)}; this profile has: ${deltaNames(profile)}`);
  }
  // ---- folded stacks (issue 10): a sample that stands for a count carries it as its `samples` metric ----
  const counts = profile.metrics.find((m) => m.name === 'samples');
  if (counts !== undefined && !rate && (name === 'samples' || name === 'period')) return { name, unit: 'samples', values: counts.values, absentIsOne: true };
  // ---- end of folded stacks ----
  if (name === 'samples' && !rate) return SAMPLES;
  const metric = profile.metrics.find((m) => m.name === name);
  if (metric === undefined) {
    // Every sample counts 1 (perf's rule for a missing period): the unit says so, not `ns` it would claim.
    if (name === 'period' && !rate) return { ...SAMPLES, name: 'period' };
    const known = metricNames(profile).join(', ');
    throw new UserError(profile.source, `unknown metric ${JSON.stringify(name)}; this profile has: ${known}`);
  }
  const unit = metricUnit(profile, name, event);
  const absentIsOne = name === 'period';
  if (!rate) return { name, unit, values: metric.values, absentIsOne };
  return { name: `${name}/s`, unit: unit === '' ? '/s' : `${unit}/s`, values: rateValues(profile, metric.values), absentIsOne: false };
}

/**
 * Per sample: its delta ÷ the seconds since the same process's previous sample that carries the metric, so a
 * delta accumulated over a gap does not look like a spike. NaN for the first sample of a process (no interval)
 * and for two samples at the same instant. Samples are taken in time order (file order breaks ties).
 */
export function rateValues(profile: Profile, values: Float64Array): Float64Array {
  const n = profile.sampleCount;
  const out = new Float64Array(n).fill(NaN);
  const order = timeOrder(profile);
  const last = new Float64Array(profile.procs.length).fill(NaN);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const v = values[i]!;
    if (v !== v) continue;
    const t = profile.time[i]!;
    const p = profile.proc[i]!;
    const before = last[p]!;
    last[p] = t;
    if (before === before && t > before) out[i] = v / ((t - before) / 1e9);
  }
  return out;
}

/** Sample indices in time order, ties in file order (files of a rotation can overlap). */
export function timeOrder(profile: Profile): Uint32Array {
  const n = profile.sampleCount;
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && profile.time[i]! < profile.time[i - 1]!) sorted = false;
  }
  if (sorted) return order;
  const t = profile.time;
  return Uint32Array.from(Array.from(order).sort((a, b) => t[a]! - t[b]! || a - b));
}

/** flame_prof's keys (`metric_erlang_<key>`) and their units (shared/specs/weighted-samples.md §1.2). */
const ERLANG_UNITS: Record<string, string> = {
  reductions: 'reductions',
  message_queue_len: 'messages',
  memory: 'bytes',
  total_heap_size: 'words',
  old_heap_block_size: 'words',
  heap_block_size: 'words',
  mbuf_size: 'words',
  recent_size: 'words',
  stack_size: 'words',
  old_heap_size: 'words',
  heap_size: 'words',
  bin_vheap_size: 'words',
  bin_vheap_block_size: 'words',
  bin_old_vheap_size: 'words',
  bin_old_vheap_block_size: 'words',
  minor_gcs: 'count',
};

/** The unit of an Erlang metric key (`erlang_memory`, `erlang_memory_delta`, `erlang:memory_delta`), or ''. */
function erlangUnit(name: string): string {
  const m = /^erlang[_:](.*?)(?:_delta)?$/.exec(name);
  return m === null ? '' : (ERLANG_UNITS[m[1]!] ?? '');
}

/** The unit of a metric under an event. */
export function metricUnit(profile: Profile, name: string, event: number): string {
  if (name === 'samples') return 'samples';
  if (name === 'period') return periodUnit(profile, event);
  return erlangUnit(name);
}

/**
 * What a period counts: ns for the software clocks (cpu-clock, task-clock), the Erlang unit for a converter's
 * `erlang:<key>` events, events otherwise (cycles, instructions, page-faults: occurrences of the event).
 */
export function periodUnit(profile: Profile, event: number): string {
  return eventPeriodUnit(event >= 0 ? (profile.events[event] ?? '') : '');
}

/**
 * The unit of a period for an event name: perf's clock events (cpu-clock, task-clock) count nanoseconds;
 * hardware and software counters count their own events (`cycles`, `instructions`, `page-faults`), named
 * without perf's modifiers (`cycles:ppp`, `cpu_core/cycles/P` → `cycles`); a converter's `erlang:<key>` event
 * has that key's unit.
 */
export function eventPeriodUnit(event: string): string {
  const erlang = erlangUnit(event);
  if (erlang !== '') return erlang;
  const pmu = /^[^/]*\/([^/]+)\//.exec(event);
  const name = (pmu?.[1] ?? event).split(':')[0]!.trim();
  if (name === '' || /\s/.test(name)) return 'events';
  return /^(cpu|task)-clock$/.test(name) ? 'ns' : name;
}

/**
 * The order-of-magnitude bucket of a value, for a `bucket:<metric>` group level: `1s MiB`, `10s MiB`,
 * `100s KiB` for bytes (binary prefixes), `10s k words` for other units (decimal prefixes); `−10s MiB` below 0.
 */
export function magnitudeBucket(value: number, unit: string): string {
  if (value !== value) return 'none';
  if (value === 0) return unit === '' ? '0' : `0 ${unit}`;
  const sign = value < 0 ? '−' : '';
  let v = Math.abs(value);
  const bytes = unit === 'bytes';
  const base = bytes ? 1024 : 1000;
  const prefixes = bytes ? ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] : ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let p = 0;
  while (v >= base && p < prefixes.length - 1) {
    v /= base;
    p++;
  }
  const suffix = bytes ? prefixes[p]! : [prefixes[p], unit].filter((x) => x !== '').join(' ');
  if (v < 1) return `${sign}<1 ${suffix}`.trimEnd();
  // At most `100s`: bytes run to 1023 of a prefix before the next, and 1000–1023 B are `100s B` like 100–1023 KiB.
  const digits = Math.min(2, Math.floor(Math.log10(v)));
  return `${sign}1${'0'.repeat(digits)}s ${suffix}`.trimEnd();
}
