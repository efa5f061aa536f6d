// Time ranges relative to t0 and the samples a view takes: one event, idle dropped or kept, a half-open range.
// Times are integer nanoseconds since t0, held in doubles (exact up to 104 days).
import { UserError } from '../errors';
import type { Profile } from '../parse/profile';
import { FOLDED_MODULE } from '../flamegraph/names';

export const NS_PER_SECOND = 1e9;

/** The half-open interval [start, end) of nanoseconds since t0. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

export type IdleMode = 'keep' | 'drop';
/** `--weight`, the old name of `--metric` for its two first metrics. */
export type WeightMode = 'samples' | 'period';

/** Parses a relative time in seconds (`34.2`, `0.005`) into exact nanoseconds, or null if it is not one. */
export function parseSeconds(text: string): number | null {
  const m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (m === null) return null;
  const frac = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
  return Number(m[1]) * NS_PER_SECOND + Number(frac);
}

/** Formats nanoseconds as seconds with as many decimals as needed (up to 9). */
export function formatSeconds(ns: number): string {
  const whole = Math.floor(ns / NS_PER_SECOND);
  const frac = String(ns - whole * NS_PER_SECOND).padStart(9, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/** [first sample, last sample] in ns since t0. */
export function profileExtent(profile: Profile): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < profile.sampleCount; i++) {
    const t = profile.time[i]!;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

/**
 * Resolves `--from`/`--to` (seconds since t0, either may be absent) against the profile, or throws a
 * UserError that says the profile's extent.
 */
export function resolveRange(profile: Profile, from: string | undefined, to: string | undefined): TimeRange | null {
  if (from === undefined && to === undefined) return null;
  requireTime(profile, '--from/--to');
  const { first, last } = profileExtent(profile);
  const extent = `the profile spans ${formatSeconds(first)}–${formatSeconds(last)} s after t0 = ${profile.t0} s`;
  const start = from === undefined ? 0 : parseSeconds(from);
  if (start === null) throw new UserError(profile.source, `--from ${JSON.stringify(from)} is not a time in seconds (${extent})`);
  const end = to === undefined ? last + 1 : parseSeconds(to);
  if (end === null) throw new UserError(profile.source, `--to ${JSON.stringify(to)} is not a time in seconds (${extent})`);
  if (to !== undefined && start > end) throw new UserError(profile.source, `--from ${from} is after --to ${to}`);
  if (start > last) throw new UserError(profile.source, `--from ${from} is past the end of the profile (${extent})`);
  if (end <= first) throw new UserError(profile.source, `--to ${to} is before the first sample (${extent})`);
  return { start, end };
}

/** What to do about a profile without timestamps, for every message that says so. */
export const RECORD_TIMESTAMPS = "record them with `perf script -F +time` (a recent perf's default fields include them)";

// ---- folded stacks (issue 10) ----
/** Whether a profile was read from folded stacks (which carry no time). */
export function isFoldedProfile(profile: Profile): boolean {
  if (profile.frames.length > 0) return profile.frames.every((f) => f.module === FOLDED_MODULE);
  return profile.procs.every((p) => p === '') && profile.events.every((e) => e === 'samples');
}

/** What to do about a profile without timestamps: perf's advice, or for folded stacks, what works without. */
export function timestampsAdvice(profile: Profile): string {
  return isFoldedProfile(profile)
    ? 'folded stacks carry no time (flame graphs, collapse and diff of two folded files work; for time, read the perf script text they came from)'
    : RECORD_TIMESTAMPS;
}
// ---- end of folded stacks ----

export function requireTime(profile: Profile, what: string): void {
  const untimed = profile.warnings.untimed;
  if (!profile.hasTime && untimed !== undefined) {
    // Most samples have one: a damaged line, not a recording without timestamps.
    const n = profile.sampleCount.toLocaleString('en-US');
    throw new UserError(
      untimed.file ?? profile.source,
      `${what} needs timestamps, and ${untimed.samples.toLocaleString('en-US')} of ${n} samples ${untimed.samples === 1 ? 'has' : 'have'} none, the first at line ${untimed.firstLine}: a damaged line?`,
    );
  }
  if (!profile.hasTime) {
    throw new UserError(
      profile.source,
      `${what} needs timestamps, and this profile has none; ${timestampsAdvice(profile)}`,
    );
  }
}

/** The events of a profile with their sample counts (idle samples excluded when dropIdle). */
export function eventCounts(profile: Profile, dropIdle: boolean, counts = new Array<number>(profile.events.length).fill(0)): number[] {
  // Counts of earlier windows of a streamed input are added to (events are interned: ids only grow).
  while (counts.length < profile.events.length) counts.push(0);
  for (let i = 0; i < profile.sampleCount; i++) {
    if (dropIdle && profile.idle[i] === 1) continue;
    counts[profile.event[i]!]++;
  }
  return counts;
}

/**
 * The event a view shows: the one named exactly, else the only one that the name matches without its
 * modifiers or PMU (`cycles` finds `cycles:u`, or `cpu_core/cycles/P` on Intel hybrid), else an error that lists
 * the candidates; with no name, the one with the most samples.
 */
export function chooseEvent(profile: Profile, name: string | undefined, dropIdle: boolean, counts = eventCounts(profile, dropIdle)): number {
  if (name === undefined) {
    let best = 0;
    for (let e = 1; e < counts.length; e++) if (counts[e]! > counts[best]!) best = e;
    return best;
  }
  const exact = profile.events.indexOf(name);
  if (exact >= 0) return exact;
  const loose = profile.events.flatMap((e, i) => (eventAliases(e).includes(name) ? [i] : []));
  if (loose.length === 1) return loose[0]!;
  const list = (ids: number[]): string => ids.map((i) => `${profile.events[i]} (${counts[i]} samples)`).join(', ');
  if (loose.length > 1) {
    throw new UserError(profile.source, `event ${JSON.stringify(name)} is ambiguous: it matches ${list(loose)}; give one of these names`);
  }
  const all = profile.events.map((_, i) => i);
  throw new UserError(profile.source, `unknown event ${JSON.stringify(name)}; this profile has: ${list(all)}`);
}

/**
 * The names an event goes by: `cycles:uppp` → `cycles`; `cpu_core/cycles/P` → `cpu_core/cycles` and `cycles`;
 * a tracepoint `sched:sched_switch` → itself and `sched_switch` (its `:` does not start modifiers).
 */
export function eventAliases(event: string): string[] {
  const slash = event.indexOf('/');
  if (slash > 0) {
    const close = event.indexOf('/', slash + 1);
    const inner = event.slice(slash + 1, close < 0 ? event.length : close);
    const names = [`${event.slice(0, slash)}/${inner}`];
    // `cpu/event=0x3c,umask=0x0/` has no plain name; `cpu_core/cycles/` has.
    if (/^[\w.-]+$/.test(inner)) names.push(inner);
    return names;
  }
  const colon = event.indexOf(':');
  if (colon < 0) return [event];
  const modifiers = event.slice(colon + 1);
  // `cycles:uppp` has modifiers (letters after the last colon); `sched:sched_switch` names a tracepoint.
  if (/^[ukhIGHpPSDWebR]+$/.test(modifiers)) return [event.slice(0, colon)];
  return [event, modifiers];
}

export interface SampleSelection {
  /** Event id, or −1 for every event. */
  event: number;
  idle: IdleMode;
  range: TimeRange | null;
  /** Who: threads, processes, CPUs (see `query/filter`); every sample when absent. */
  filter?: SampleFilter;
}

/**
 * Which samples a view keeps by who ran them, compiled against one profile: a flag per interned comm and per
 * pid/tid token, a set of CPUs. Absent parts keep every sample.
 */
export interface SampleFilter {
  /** Per comm id: 1 to keep. */
  comm?: Uint8Array;
  /** Per proc id (the pid/tid token): 1 to keep. */
  proc?: Uint8Array;
  cpu?: ReadonlySet<number>;
  /**
   * What: per sample, 1 when its stack holds a frame a search matched (see `query/match`); `keep` keeps those
   * samples (filter mode), else drops them (exclude mode).
   */
  match?: { readonly flags: Uint8Array; readonly keep: boolean };
}

/** Whether sample i passes a who-filter (none: every sample does), for loops that select samples themselves. */
export function passesFilter(profile: Profile, filter: SampleFilter | undefined, i: number): boolean {
  if (filter === undefined) return true;
  if (filter.comm !== undefined && filter.comm[profile.comm[i]!] !== 1) return false;
  if (filter.proc !== undefined && filter.proc[profile.proc[i]!] !== 1) return false;
  if (filter.cpu !== undefined && !filter.cpu.has(profile.cpu[i]!)) return false;
  return filter.match === undefined || (filter.match.flags[i] === 1) === filter.match.keep;
}

/** Indices of the samples a view takes, in file order. */
export function selectSamples(profile: Profile, selection: SampleSelection): Uint32Array {
  const { event, idle, range } = selection;
  const comm = selection.filter?.comm;
  const proc = selection.filter?.proc;
  const cpu = selection.filter?.cpu;
  const match = selection.filter?.match;
  const matchFlags = match?.flags;
  const matchKeep = match?.keep === true ? 1 : 0;
  const out = new Uint32Array(profile.sampleCount);
  let n = 0;
  for (let i = 0; i < profile.sampleCount; i++) {
    if (event >= 0 && profile.event[i] !== event) continue;
    if (idle === 'drop' && profile.idle[i] === 1) continue;
    if (comm !== undefined && comm[profile.comm[i]!] !== 1) continue;
    if (proc !== undefined && proc[profile.proc[i]!] !== 1) continue;
    if (cpu !== undefined && !cpu.has(profile.cpu[i]!)) continue;
    if (matchFlags !== undefined && (matchFlags[i] === 1 ? 1 : 0) !== matchKeep) continue;
    if (range !== null) {
      const t = profile.time[i]!;
      if (!(t >= range.start && t < range.end)) continue;
    }
    out[n++] = i;
  }
  return out.slice(0, n);
}
