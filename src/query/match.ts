// What a view's stacks hold: which samples have a frame whose SHOWN name (the flame graph's, `FrameNames` with
// the view's naming options; Java threads name frames their own way) passes a test. Linear in the profile: each
// distinct name is tested once, then frames, stacks (one ascending pass over the trie: a parent's id is always
// smaller than its child's) and samples are flagged by lookups. No recursion: 10,000-deep stacks are one loop.
// Pure and free of Node APIs: the page bundles it (the page's test is "is in the names the search worker found").
import { UserError } from '../errors';
import { FrameNames, isJavaThread, type NameOptions } from '../flamegraph/names';
import { buildHeatmap, type HeatmapGrid, type HeatmapOptions } from '../heatmap/grid';
import type { SampleFilter } from '../heatmap/range';
import type { Profile } from '../parse/profile';

/** Samples whose stack holds a matching frame: 1 per sample (the form `SampleFilter.match.flags` takes). */
export type SampleFlags = Uint8Array;

/** Whether any thread of the profile is a Java thread (whose frames have a second set of names). */
export function hasJavaThreads(profile: Profile): boolean {
  return profile.comms.some(isJavaThread);
}

/**
 * The distinct names the views show for the profile's frames (both variants when there are Java threads), for
 * the page's search worker: it tests these, never one per frame or sample. Dropped frames (null) are left out.
 */
export function shownNames(profile: Profile, names: FrameNames): string[] {
  const seen = new Set<string>();
  const variants = hasJavaThreads(profile) ? [false, true] : [false];
  for (const java of variants) {
    for (let f = 0; f < profile.frames.length; f++) {
      const n = names.name(f, java);
      if (n !== null) seen.add(n);
    }
  }
  return [...seen];
}

/** Per frame id, 1 when its name (in the Java or the other variant) passes `test`; each distinct name tested once. */
export function framesMatching(profile: Profile, names: FrameNames, test: (name: string) => boolean, java: boolean, cache = new Map<string, boolean>()): Uint8Array {
  const out = new Uint8Array(profile.frames.length);
  for (let f = 0; f < out.length; f++) {
    const n = names.name(f, java);
    if (n === null) continue;
    let hit = cache.get(n);
    if (hit === undefined) {
      hit = test(n);
      cache.set(n, hit);
    }
    if (hit) out[f] = 1;
  }
  return out;
}

/** Per stack id, 1 when the stack (the frame at its top or any below) holds a flagged frame: one ascending pass. */
export function stacksMatching(profile: Profile, frameFlags: Uint8Array): Uint8Array {
  const parent = profile.stackParent;
  const frame = profile.stackFrame;
  const out = new Uint8Array(parent.length);
  for (let s = 0; s < out.length; s++) {
    const p = parent[s]!;
    // The parent's id is smaller, so its flag is already final.
    out[s] = frameFlags[frame[s]!]! | (p >= 0 ? out[p]! : 0);
  }
  return out;
}

/**
 * Per sample, 1 when its stack holds a frame whose shown name passes `test`. Samples without a stack hold
 * nothing. Java threads' stacks are read with the Java names (computed only if the profile has such threads).
 */
export function samplesMatching(profile: Profile, names: FrameNames, test: (name: string) => boolean): SampleFlags {
  const cache = new Map<string, boolean>();
  const plain = stacksMatching(profile, framesMatching(profile, names, test, false, cache));
  let java: Uint8Array | null = null;
  let javaComm: Uint8Array | null = null;
  if (hasJavaThreads(profile)) {
    java = stacksMatching(profile, framesMatching(profile, names, test, true, cache));
    javaComm = Uint8Array.from(profile.comms, (c) => (isJavaThread(c) ? 1 : 0));
  }
  const out = new Uint8Array(profile.sampleCount);
  for (let i = 0; i < out.length; i++) {
    const s = profile.stack[i]!;
    if (s < 0) continue;
    out[i] = java !== null && javaComm![profile.comm[i]!] === 1 ? java[s]! : plain[s]!;
  }
  return out;
}

/** The samples a match keeps: flags where `keep`, their complement where not (so two matches can be combined). */
function kept(match: NonNullable<SampleFilter['match']>): Uint8Array {
  if (match.keep) return match.flags;
  return match.flags.map((f) => (f === 1 ? 0 : 1));
}

/** Both matches at once (a sample passes when it passes each); either may be absent. */
export function bothMatches(a: SampleFilter['match'], b: SampleFilter['match']): SampleFilter['match'] {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const ka = kept(a);
  const kb = kept(b);
  return { flags: ka.map((f, i) => f & kb[i]!), keep: true };
}

export interface StackFilterSpec {
  /** Keep the samples whose stack holds a frame whose shown name matches (unanchored JavaScript regex). */
  withFrame?: string;
  /** Drop the samples whose stack holds such a frame. */
  withoutFrame?: string;
}

/**
 * The stack filter (`--with-frame`, `--without-frame`) for one profile and the names the view shows, or
 * undefined when none is given. A bad pattern is a UserError naming its option. The pattern is the user's own,
 * typed on the command line; the names are profile text, each distinct one tested once.
 */
export function compileStackFilter(profile: Profile, spec: StackFilterSpec, options: NameOptions): SampleFilter['match'] {
  const names = new FrameNames(profile, options);
  const part = (option: string, source: string | undefined, keep: boolean): SampleFilter['match'] => {
    if (source === undefined) return undefined;
    const re = compilePattern(profile, option, source);
    return { flags: samplesMatching(profile, names, (n) => re.test(n)), keep };
  };
  return bothMatches(part('--with-frame', spec.withFrame, true), part('--without-frame', spec.withoutFrame, false));
}

/** A user's pattern, or a UserError `--option "text" is not a regular expression: …`. */
export function compilePattern(profile: Pick<Profile, 'source'>, option: string, source: string): RegExp {
  try {
    // No `g` or `y`: their lastIndex would make `test` skip matches.
    return new RegExp(source);
  } catch (e) {
    // V8's message quotes the pattern raw: its control characters must not drive the terminal.
    const why = (e as Error).message.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    throw new UserError(profile.source, `${option} ${JSON.stringify(source)} is not a regular expression: ${why}`);
  }
}

/** A filter with a stack match added to what it already keeps (both must pass). */
export function withMatch(filter: SampleFilter | undefined, match: SampleFilter['match']): SampleFilter | undefined {
  if (match === undefined) return filter;
  return { ...filter, match: bothMatches(filter?.match, match) };
}

/** A heat map's painting by a search: the pattern and the grid of the matching samples only (same cells). */
export interface MatchPainting {
  pattern: string;
  grid: HeatmapGrid;
}

/**
 * The heat map of the samples whose stack holds a frame matching `re`, under the same options (and filter) as
 * the heat map it paints: cell for cell, its counts and values are the matched part of that map's.
 */
export function matchedHeatmap(profile: Profile, options: HeatmapOptions, re: RegExp, names: NameOptions): HeatmapGrid {
  const flags = samplesMatching(profile, new FrameNames(profile, names), (n) => re.test(n));
  return buildHeatmap(profile, { ...options, filter: withMatch(options.filter, { flags, keep: true }) });
}

/**
 * The matched share of a cell: matched samples over the cell's samples (a count, so that it means the same for
 * every metric, signed ones included); null for a cell without samples.
 */
export function matchedShare(all: HeatmapGrid, matched: HeatmapGrid, cell: number): number | null {
  const n = all.counts[cell]!;
  return n === 0 ? null : matched.counts[cell]! / n;
}

/** `matched 412 of 14,842 samples (2.8%)`: the line every format and the page's search status share. */
export function matchedLine(matched: number, of: number): string {
  return `matched ${matchedPart(matched, of)}`;
}

/** `412 of 14,842 samples (2.8%)`. */
export function matchedPart(matched: number, of: number): string {
  const share = of === 0 ? 0 : (100 * matched) / of;
  const pct = share === 0 || share === 100 ? share.toFixed(0) : share < 0.1 ? '<0.1' : share.toFixed(1);
  return `${matched.toLocaleString('en-US')} of ${of.toLocaleString('en-US')} samples (${pct}%)`;
}
