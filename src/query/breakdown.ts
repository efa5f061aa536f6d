// Who ran the samples of a view: one row per thread, process or CPU with its weight, share and a sparkline of
// when it ran (its weight per second of the heat map's axis). Each row carries the filter that keeps exactly its
// samples, so a row clicked in the report (or `--tid` given on the CLI) and the row's own figures always agree.
// Pure and free of Node APIs: the page bundles it.
import { UserError } from '../errors';
import { NS_PER_SECOND } from '../heatmap/range';
import { type Weights, weightOf } from '../model/metrics';
import { idsOf, type Profile } from '../parse/profile';
import { exactPattern, type FilterSpec } from './filter';

export type BreakdownBy = 'thread' | 'process' | 'cpu';
export const BREAKDOWN_BY: readonly BreakdownBy[] = ['thread', 'process', 'cpu'];

export interface BreakdownRow {
  /** What people call it: `python3 4243` (thread), `node 4201` (process), `CPU 3`. */
  label: string;
  /** The filter that keeps exactly this row's samples. */
  spec: FilterSpec;
  samples: number;
  /** Σ|w| (the sample count for samples). */
  value: number;
  /** Σw. */
  net: number;
  /** value ÷ the breakdown's total value (0 when that is 0). */
  share: number;
  /** Σ|w| per second of the axis, from second 0 to the last sample's (empty without timestamps). */
  spark: Float64Array;
}

export interface Breakdown {
  by: BreakdownBy;
  rows: BreakdownRow[];
  samples: number;
  value: number;
}

/** Why a profile cannot be broken down this way, or null when it can. */
export function breakdownUnavailable(profile: Profile, by: BreakdownBy): string | null {
  if (by === 'process' && !profile.procs.some((token) => idsOf(token).pid !== '')) {
    return 'this file has thread ids only (perf script prints the tid alone by default): print both with `perf script -F +pid`';
  }
  if (by === 'cpu' && !profile.cpu.some((c) => c >= 0)) return 'this file has no CPU column: print it with `perf script -F +cpu`';
  return null;
}

/**
 * The rows of `samples` by thread, process or CPU, heaviest first (ties by label). A thread is its thread id
 * (a thread that renamed itself is one row, labelled by its most sampled name); a file without ids falls back to
 * the thread name. A process is labelled by its main thread's name (tid = pid), else its most sampled name.
 */
export function breakdown(profile: Profile, samples: Uint32Array, weights: Weights, by: BreakdownBy): Breakdown {
  const why = breakdownUnavailable(profile, by);
  if (why !== null) throw new UserError(profile.source, `no ${by} breakdown: ${why}`);
  const seconds = profile.hasTime ? axisSeconds(profile) : 0;
  const keyOf = rowKeys(profile, by);
  const groups = new Map<string, Group>();
  let total = 0;
  for (let k = 0; k < samples.length; k++) {
    const i = samples[k]!;
    const key = keyOf(i);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { key, samples: 0, value: 0, net: 0, comms: new Map(), main: -1, spark: new Float64Array(seconds) }));
    const w = weightOf(weights, i);
    g.samples++;
    g.value += Math.abs(w);
    g.net += w;
    total += Math.abs(w);
    const comm = profile.comm[i]!;
    g.comms.set(comm, (g.comms.get(comm) ?? 0) + 1);
    if (by === 'process' && g.main < 0) {
      const { pid, tid } = idsOf(profile.procs[profile.proc[i]!]!);
      if (pid === tid) g.main = comm;
    }
    if (seconds > 0) g.spark[Math.floor(profile.time[i]! / NS_PER_SECOND)]! += Math.abs(w);
  }
  const rows = [...groups.values()].map((g) => row(profile, g, total));
  rows.sort((a, b) => b.value - a.value || b.samples - a.samples || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { by, rows, samples: samples.length, value: total };
}

interface Group {
  key: string;
  samples: number;
  value: number;
  net: number;
  /** Samples per comm id. */
  comms: Map<number, number>;
  /** The comm of the process's main thread, −1 if none was sampled. */
  main: number;
  spark: Float64Array;
}

/** Seconds on the heat map's axis: 0 … the last sample's second. */
function axisSeconds(profile: Profile): number {
  let last = 0;
  for (let i = 0; i < profile.sampleCount; i++) if (profile.time[i]! > last) last = profile.time[i]!;
  return Math.floor(last / NS_PER_SECOND) + 1;
}

/** A sample's row key: `t<tid>` / `c<comm id>` (thread), `p<pid>` (process), `u<cpu>` (CPU). */
function rowKeys(profile: Profile, by: BreakdownBy): (i: number) => string {
  if (by === 'cpu') return (i) => `u${profile.cpu[i]}`;
  // Ids are read once per distinct pid/tid token, not per sample.
  const keys = profile.procs.map((token) => {
    const { pid, tid } = idsOf(token);
    if (by === 'process') return pid === '' ? null : `p${pid}`;
    return tid === '' ? null : `t${tid}`;
  });
  return (i) => keys[profile.proc[i]!] ?? (by === 'process' ? 'p' : `c${profile.comm[i]}`);
}

function row(profile: Profile, g: Group, total: number): BreakdownRow {
  const id = g.key.slice(1);
  const name = profile.comms[g.main >= 0 ? g.main : mostSampled(g.comms)] ?? '';
  const common = { samples: g.samples, value: g.value, net: g.net, share: total === 0 ? 0 : g.value / total, spark: g.spark };
  switch (g.key[0]) {
    case 'u':
      return { label: id === '-1' ? 'CPU ?' : `CPU ${id}`, spec: { cpus: [Number(id)] }, ...common };
    case 'p':
      return { label: `${name} ${id}`.trim(), spec: { pids: [id] }, ...common };
    case 't':
      return { label: `${name} ${id}`.trim(), spec: { tids: [id] }, ...common };
    default:
      // A file without thread ids: the thread is its name, kept exactly.
      return { label: name, spec: { comm: exactPattern(name) }, ...common };
  }
}

function mostSampled(comms: Map<number, number>): number {
  let best = -1;
  let most = -1;
  for (const [comm, n] of comms) {
    if (n > most || (n === most && comm < best)) {
      best = comm;
      most = n;
    }
  }
  return best;
}
