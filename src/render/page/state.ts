// The report page's logic that does not touch the DOM: permalinks, cell geometry, matched weight, flame layout.
// Unit-tested under vitest; bundled into the page.
import { type FlameNode, parseGroups } from '../../flamegraph/tree';
import { formatSeconds, type IdleMode, NS_PER_SECOND, parseSeconds, type TimeRange } from '../../heatmap/range';
import type { SignedScale } from '../heatmap-scale';
import type { BreakdownBy } from '../../query/breakdown';
import { type FilterSpec, parseCpuList, parseIdList } from '../../query/filter';

/**
 * What a permalink carries: everything a reader needs to see what its sender saw. Fields a link leaves out
 * take the page's defaults (the same file gives the same defaults), so a plain link stays short.
 */
export interface Permalink {
  range: TimeRange | null;
  search: string;
  /** Frame names from the root (without `all`) down to the zoomed frame; empty: not zoomed. */
  zoom: string[];
  /** The event by name (ids depend on the file's order; names are what people see). */
  event?: string;
  rows?: number;
  /** The metric by name (`samples`, `period`, `erlang_memory_delta`); an old link's `weight=` is read as one. */
  metric?: string;
  /** `rate=1`: a delta metric per second since the same process's previous sample. */
  rate?: boolean;
  /** How signed cells share the colours (`scale=halves`). */
  scale?: SignedScale;
  /** The flame graph's levels under the root, as `--group` writes them (`sign,bucket:erlang_memory,comm`). */
  groups?: string;
  /** `categories=0`: category pseudo-frames hidden. */
  categories?: boolean;
  /** `merge=1`: Erlang call sites `M:F/A;Line` merged into `M:F/A`. */
  mergeLines?: boolean;
  /** `gap=2.5`: the gap threshold in seconds (default: 5× the median interval). */
  gapThreshold?: number;
  idle?: IdleMode;
  /** `case=i`: the search ignores case. */
  caseInsensitive?: boolean;
  /** `icicle=1`: the root at the top. */
  icicle?: boolean;
  /** `enhance=1`: the heat map's enhanced contrast. */
  enhance?: boolean;
  /** `whole=1`: the whole profile, where the report was made with an initial selection (`--select`). */
  whole?: boolean;
  /** `base=3:3.2` or `base=rest`: the baseline the selection is compared with (a differential flame graph). */
  base?: Baseline;
  /** `swap=1`: the baseline is drawn as the target and the selection as the baseline. */
  swap?: boolean;
  /** `elided=1`: the frames of the baseline absent from the selection (FlameScope's elided view). */
  elided?: boolean;
  // ---- function table, sandwich, reversed graph (issue 9) ----
  /** `reverse=1`: the reversed (bottom-up) flame graph. */
  reverse?: boolean;
  /** `fn=<name>`: the function whose sandwich is open (a name as the flame graph shows it). */
  fn?: string;
  /** `fsort=total`: the function table's order (self when absent). */
  functionSort?: 'self' | 'total' | 'name';
  // ---- search modes (issue 9) ----
  /** `mode=filter` or `mode=exclude`: the search keeps only, or drops, the matching stacks (default: highlight). */
  mode?: SearchMode;
  // ---- who (issue 9) ----
  /** `comm=`, `xcomm=`, `pid=1,2`, `tid=`, `cpu=0,2-3`: who the views keep, as the CLI's options say it. */
  who?: FilterSpec;
  /** `who=all`: nobody filtered out, where the report was made with `--comm`, `--pid`… */
  everyone?: boolean;
  /** `bands=thread`: the heat map's band per busiest thread, process or CPU. */
  bands?: BreakdownBy;
}

/** What the search does with matching stacks: paint them, keep only them, or drop them, in both views. */
export type SearchMode = 'highlight' | 'filter' | 'exclude';

/** What the selection is compared with: a time range, or every sample outside the selection. */
export type Baseline = TimeRange | 'rest';

/** The largest time a link may name: times are exact integer nanoseconds in doubles. */
const MAX_NS = Number.MAX_SAFE_INTEGER;
const MAX_ROWS = 1000;
/** The longest function name a link carries (`fn=`): C++ template names run to thousands of characters. */
const MAX_NAME_CHARS = 20_000;
/** What a metric name can be: the parser's keys are `[A-Za-z0-9_.:]`, a rate adds nothing (`rate=1` says it). */
const METRIC_NAME = /^[A-Za-z0-9_.:]{1,200}$/;

/** decodeURIComponent that answers null instead of throwing on a malformed escape. */
function decodePart(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * encodeURIComponent that cannot throw: a lone surrogate (possible in pasted text) becomes U+FFFD, as the
 * browser itself would encode it.
 */
function encodePart(text: string): string {
  let wellFormed = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        wellFormed += text[i]! + text[i + 1]!;
        i++;
      } else {
        wellFormed += '\ufffd';
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      wellFormed += '\ufffd';
    } else {
      wellFormed += text[i]!;
    }
  }
  return encodeURIComponent(wellFormed);
}

/** The raw (still percent-encoded) value of each key, first occurrence winning; a fragment is `k=v&k=v`. */
function rawFields(hash: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!fields.has(key)) fields.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return fields;
}

/** A time in a link (`34.2`), as exact nanoseconds, or null. */
function linkTime(raw: string | undefined): number | null {
  if (raw === undefined || raw.length > 40) return null;
  const ns = parseSeconds(raw);
  return ns !== null && Number.isSafeInteger(ns) && ns <= MAX_NS ? ns : null;
}

/** A link's baseline, `A:B` in seconds (A < B) or `rest`, or null for anything else. */
function linkBaseline(raw: string | undefined): Baseline | null {
  if (raw === 'rest') return 'rest';
  if (raw === undefined || raw.length > 81) return null;
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  const start = linkTime(raw.slice(0, colon));
  const end = linkTime(raw.slice(colon + 1));
  return start !== null && end !== null && start < end ? { start, end } : null;
}

/** A `1`/`0` flag, or undefined for anything else. */
function linkFlag(raw: string | undefined, yes: string, no: string): boolean | undefined {
  return raw === yes ? true : raw === no ? false : undefined;
}

/**
 * Reads a link's fragment. The fragment is hostile: each field is read on its own and one that does not make
 * sense is ignored (the page's default applies), so junk never throws and never blocks (linear in its length).
 */
export function parseHash(hash: string): Permalink {
  const raw = rawFields(hash);
  const start = linkTime(raw.get('from'));
  const end = linkTime(raw.get('to'));
  const search = raw.has('search') ? decodePart(raw.get('search')!) : null;
  const link: Permalink = {
    range: start !== null && end !== null && start < end ? { start, end } : null,
    search: search ?? '',
    zoom: [],
  };
  const zoom = raw.get('zoom');
  if (zoom !== undefined) {
    // Each name is percent-encoded on its own, so a `;` inside a name is `%3B` and `;` separates names.
    const names = zoom.split(';').map(decodePart);
    if (names.every((n) => n !== null)) link.zoom = names as string[];
  }
  const event = raw.has('event') ? decodePart(raw.get('event')!) : null;
  if (event !== null) link.event = event;
  const rows = raw.get('rows');
  if (rows !== undefined && /^[0-9]{1,4}$/.test(rows) && Number(rows) >= 1 && Number(rows) <= MAX_ROWS) link.rows = Number(rows);
  const metric = raw.has('metric') ? decodePart(raw.get('metric')!) : null;
  const weight = raw.get('weight');
  if (metric !== null && METRIC_NAME.test(metric)) link.metric = metric;
  else if (weight === 'samples' || weight === 'period') link.metric = weight;
  const scale = raw.get('scale');
  if (scale === 'symmetric' || scale === 'halves') link.scale = scale;
  const groups = raw.has('groups') ? decodePart(raw.get('groups')!) : null;
  // Only levels that read as levels; whether a bucket's metric exists is the page's question.
  if (groups !== null && groups.length <= 400 && parseGroups(groups) !== null) link.groups = groups;
  const gap = linkTime(raw.get('gap'));
  if (gap !== null) link.gapThreshold = gap;
  const idle = raw.get('idle');
  if (idle === 'keep' || idle === 'drop') link.idle = idle;
  const flags = [
    ['caseInsensitive', linkFlag(raw.get('case'), 'i', 's')],
    ['icicle', linkFlag(raw.get('icicle'), '1', '0')],
    ['enhance', linkFlag(raw.get('enhance'), '1', '0')],
    ['whole', linkFlag(raw.get('whole'), '1', '0')],
    ['rate', linkFlag(raw.get('rate'), '1', '0')],
    ['categories', linkFlag(raw.get('categories'), '1', '0')],
    ['mergeLines', linkFlag(raw.get('merge'), '1', '0')],
  ] as const;
  for (const [key, value] of flags) if (value !== undefined) link[key] = value;
  const base = linkBaseline(raw.get('base'));
  if (base !== null) link.base = base;
  const swap = linkFlag(raw.get('swap'), '1', '0');
  if (swap !== undefined) link.swap = swap;
  const elided = linkFlag(raw.get('elided'), '1', '0');
  if (elided !== undefined) link.elided = elided;
  // ---- function table, sandwich, reversed graph (issue 9) ----
  const reverse = linkFlag(raw.get('reverse'), '1', '0');
  if (reverse !== undefined) link.reverse = reverse;
  // A name is any text (it is only compared with the graph's names and shown as text), within a bound.
  const fn = raw.has('fn') && raw.get('fn')!.length <= MAX_NAME_CHARS * 3 ? decodePart(raw.get('fn')!) : null;
  if (fn !== null && fn !== '' && fn.length <= MAX_NAME_CHARS) link.fn = fn;
  const fsort = raw.get('fsort');
  if (fsort === 'self' || fsort === 'total' || fsort === 'name') link.functionSort = fsort;
  // ---- search modes (issue 9) ----
  const mode = raw.get('mode');
  if (mode === 'filter' || mode === 'exclude') link.mode = mode;
  // ---- who (issue 9) ----
  const who = linkWho(raw);
  if (who !== null) link.who = who;
  if (raw.get('who') === 'all') link.everyone = true;
  const bands = raw.get('bands');
  if (bands === 'thread' || bands === 'process' || bands === 'cpu') link.bands = bands;
  return link;
}

// ---- who (issue 9) ----

/** The most ids or CPUs a link may list (a link is typed or pasted; a page has nowhere near that many threads). */
const MAX_LINK_IDS = 4096;
/** What an id can be: perf's decimal ids, flame_prof's `0.245.0`. */
const LINK_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A link's who-fields, each read on its own: a pattern that is no regular expression (compiling one is linear;
 * it is matched in the page's search worker, never on the page), an id list with junk, or a CPU list that is no
 * list is ignored. Null when none is left.
 */
function linkWho(raw: Map<string, string>): FilterSpec | null {
  const who: FilterSpec = {};
  const pattern = (key: string): string | undefined => {
    const text = raw.has(key) ? decodePart(raw.get(key)!) : null;
    if (text === null || text === '' || text.length > 400) return undefined;
    try {
      new RegExp(text);
      return text;
    } catch {
      return undefined;
    }
  };
  const ids = (key: string): string[] | undefined => {
    const text = raw.has(key) ? decodePart(raw.get(key)!) : null;
    if (text === null || text.length > MAX_LINK_IDS * 65) return undefined;
    const list = parseIdList(text);
    return list !== null && list.length <= MAX_LINK_IDS && list.every((id) => LINK_ID.test(id)) ? [...new Set(list)] : undefined;
  };
  const comm = pattern('comm');
  if (comm !== undefined) who.comm = comm;
  const excludeComm = pattern('xcomm');
  if (excludeComm !== undefined) who.excludeComm = excludeComm;
  const pids = ids('pid');
  if (pids !== undefined) who.pids = pids;
  const tids = ids('tid');
  if (tids !== undefined) who.tids = tids;
  const cpuText = raw.get('cpu');
  // parseCpuList caps each number at 32767; the length cap bounds the expansion of ranges.
  const cpus = cpuText === undefined || cpuText.length > 4000 ? null : parseCpuList(cpuText);
  if (cpus !== null && cpus.length <= MAX_LINK_IDS) who.cpus = [...new Set(cpus)].sort((a, b) => a - b);
  return Object.keys(who).length === 0 ? null : who;
}

/** `0,2,3,4` → `0,2-4`: a CPU list as the CLI's `--cpu` takes it. */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length; ) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    parts.push(end > k + 1 ? `${sorted[k]}-${sorted[end]}` : end === k + 1 ? `${sorted[k]},${sorted[end]}` : `${sorted[k]}`);
    k = end + 1;
  }
  return parts.join(',');
}

/** The who-fields of a link's fragment. */
function formatWho(link: Permalink): string[] {
  const parts: string[] = [];
  const who = link.who;
  if (who !== undefined) {
    if (who.comm !== undefined) parts.push(`comm=${encodePart(who.comm)}`);
    if (who.excludeComm !== undefined) parts.push(`xcomm=${encodePart(who.excludeComm)}`);
    if (who.pids !== undefined && who.pids.length > 0) parts.push(`pid=${who.pids.map(encodePart).join(',')}`);
    if (who.tids !== undefined && who.tids.length > 0) parts.push(`tid=${who.tids.map(encodePart).join(',')}`);
    if (who.cpus !== undefined && who.cpus.length > 0) parts.push(`cpu=${formatCpuList(who.cpus)}`);
  }
  if (link.everyone === true && parts.length === 0) parts.push('who=all');
  if (link.bands !== undefined) parts.push(`bands=${link.bands}`);
  return parts;
}

/** Writes a link's fragment (`#from=34.2&to=34.3&search=gc`), or '' when it holds nothing. */
export function formatHash(link: Permalink): string {
  const parts: string[] = [];
  if (link.range !== null) parts.push(`from=${formatSeconds(link.range.start)}`, `to=${formatSeconds(link.range.end)}`);
  if (link.event !== undefined) parts.push(`event=${encodePart(link.event)}`);
  if (link.rows !== undefined) parts.push(`rows=${link.rows}`);
  if (link.metric !== undefined) parts.push(`metric=${encodePart(link.metric)}`);
  if (link.rate !== undefined) parts.push(`rate=${link.rate ? 1 : 0}`);
  if (link.scale !== undefined) parts.push(`scale=${link.scale}`);
  if (link.idle !== undefined) parts.push(`idle=${link.idle}`);
  if (link.search !== '') parts.push(`search=${encodePart(link.search)}`);
  if (link.caseInsensitive !== undefined) parts.push(`case=${link.caseInsensitive ? 'i' : 's'}`);
  if (link.zoom.length > 0) parts.push(`zoom=${link.zoom.map(encodePart).join(';')}`);
  if (link.icicle !== undefined) parts.push(`icicle=${link.icicle ? 1 : 0}`);
  if (link.enhance !== undefined) parts.push(`enhance=${link.enhance ? 1 : 0}`);
  if (link.groups !== undefined) parts.push(`groups=${encodePart(link.groups)}`);
  if (link.categories !== undefined) parts.push(`categories=${link.categories ? 1 : 0}`);
  if (link.mergeLines !== undefined) parts.push(`merge=${link.mergeLines ? 1 : 0}`);
  if (link.gapThreshold !== undefined) parts.push(`gap=${formatSeconds(link.gapThreshold)}`);
  if (link.range === null && link.whole === true) parts.push('whole=1');
  if (link.base !== undefined) parts.push(`base=${link.base === 'rest' ? 'rest' : `${formatSeconds(link.base.start)}:${formatSeconds(link.base.end)}`}`);
  if (link.swap !== undefined) parts.push(`swap=${link.swap ? 1 : 0}`);
  if (link.elided !== undefined) parts.push(`elided=${link.elided ? 1 : 0}`);
  if (link.reverse !== undefined) parts.push(`reverse=${link.reverse ? 1 : 0}`);
  if (link.fn !== undefined && link.fn !== '') parts.push(`fn=${encodePart(link.fn)}`);
  if (link.functionSort !== undefined) parts.push(`fsort=${link.functionSort}`);
  // ---- search modes (issue 9): highlight is the default, never written ----
  if (link.mode === 'filter' || link.mode === 'exclude') parts.push(`mode=${link.mode}`);
  parts.push(...formatWho(link));
  return parts.length === 0 ? '' : `#${parts.join('&')}`;
}

/** `12.200–12.260 s (60 ms)`: a range as people read it. */
export function describeRange(range: TimeRange): string {
  const ms = (range.end - range.start) / 1e6;
  const span = ms >= 1000 ? `${Number((ms / 1000).toFixed(3)).toLocaleString('en-US', { maximumFractionDigits: 3 })} s` : `${Number(ms.toFixed(3))} ms`;
  return `${formatSeconds(range.start)}–${formatSeconds(range.end)} s (${span})`;
}

/** The label of a row's offsets, `200–220 ms`. */
export function rowLabel(row: number, rows: number): string {
  const ms = (r: number) => Number(((r * 1000) / rows).toFixed(1));
  return `${ms(row)}–${ms(row + 1)} ms`;
}

/**
 * The weight of the frames whose names match, each sample counted once: a match inside a matching frame adds
 * nothing (flamegraph.pl's "Matched"). The root never matches. Walked with an explicit stack, not recursion, so
 * a 10,000-deep graph cannot overflow the call stack.
 */
export function matchedWeight(root: FlameNode, matches: (name: string) => boolean): number {
  let sum = 0;
  const pending = [...root.children];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (matches(node.name)) sum += node.value;
    else for (const c of node.children) pending.push(c);
  }
  return sum;
}

/** A frame placed for drawing: x and width as fractions of the zoomed frame's width, depth from the root. */
export interface PlacedFrame {
  node: FlameNode;
  x: number;
  width: number;
  depth: number;
  /** Whether this is an ancestor of the zoomed frame (drawn full width). */
  ancestor: boolean;
  /** The index of its caller in the layout's frames, -1 for the root. */
  parent: number;
}

/**
 * Lays out the tree zoomed to `path` (the chain of nodes from the root to the zoomed frame): ancestors span the
 * full width; the zoomed frame's descendants are placed by weight. Frames narrower than `minFraction` of the
 * width are left out with everything they hold, so drawing cost follows what is visible, not the tree's size.
 * Frames come in pre-order (a caller before its callees, callees left to right), so within one depth they are
 * in x order. Iterative: a 10,000-deep graph cannot overflow the call stack.
 */
export function layoutFlame(path: readonly FlameNode[], minFraction: number): { frames: PlacedFrame[]; depth: number } {
  const frames: PlacedFrame[] = [];
  for (let d = 0; d < path.length - 1; d++) frames.push({ node: path[d]!, x: 0, width: 1, depth: d, ancestor: true, parent: d - 1 });
  const zoomed = path[path.length - 1]!;
  const top = path.length - 1;
  let maxDepth = top;
  const total = zoomed.value;
  if (total <= 0) {
    frames.push({ node: zoomed, x: 0, width: 1, depth: top, ancestor: false, parent: top - 1 });
    return { frames, depth: maxDepth + 1 };
  }
  const pending: { node: FlameNode; x: number; depth: number; parent: number }[] = [{ node: zoomed, x: 0, depth: top, parent: top - 1 }];
  const placed: { node: FlameNode; x: number }[] = [];
  while (pending.length > 0) {
    const { node, x, depth, parent } = pending.pop()!;
    const index = frames.length;
    frames.push({ node, x, width: node.value / total, depth, ancestor: false, parent });
    if (depth > maxDepth) maxDepth = depth;
    placed.length = 0;
    let cx = x;
    for (const c of node.children) {
      const w = c.value / total;
      if (w >= minFraction) placed.push({ node: c, x: cx });
      cx += w;
    }
    // Pushed right to left, so the left-most callee is laid out next.
    for (let k = placed.length - 1; k >= 0; k--) pending.push({ ...placed[k]!, depth: depth + 1, parent: index });
  }
  return { frames, depth: maxDepth + 1 };
}

/** The path from the root to the first node whose name chain equals `names` (as far as it exists). */
export function findPath(root: FlameNode, names: readonly string[]): FlameNode[] {
  const path = [root];
  let node = root;
  for (const name of names) {
    const next = node.children.find((c) => c.name === name);
    if (next === undefined) break;
    path.push(next);
    node = next;
  }
  return path;
}

/** Seconds to ns, for the automation API (`select(34.2, 34.3)`), exactly as typed. */
export function secondsToNs(seconds: number): number {
  const parsed = parseSeconds(String(seconds));
  return parsed ?? Math.round(seconds * NS_PER_SECOND);
}
