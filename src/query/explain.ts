// "What is different in this selection, and does it happen again?": the frames (inclusive and self) and threads
// whose share of a selection exceeds their share of a baseline, ranked by the weight they add, each with an exact
// one-sided binomial test adjusted over every row tested (Benjamini–Hochberg); and, for the top rows, the heat-map
// cells where the same excess recurs, merged into ranges of sub-second offsets × seconds.
// Pure and free of Node APIs: the report bundles it.
import { columnCount, columnOf, rowOf, rowStartNs } from '../heatmap/grid';
import { type IdleMode, passesFilter, type SampleFilter, type TimeRange } from '../heatmap/range';
import { type Weights, weightOf } from '../model/metrics';
import { type FrameNames, isJavaThread } from '../flamegraph/names';
import type { Profile } from '../parse/profile';
import { benjaminiHochberg, binomialUpperTail } from './stats';

/** What the selection is compared with: the profile outside it, the whole profile, or another range. */
export type Baseline = { kind: 'rest' } | { kind: 'whole' } | { kind: 'range'; range: TimeRange };

/** Fewer samples than this in the selection and nothing is tested: an exact test of 9 samples can say little. */
export const MIN_SAMPLES = 10;
/** The false discovery rate a row (or a recurrence cell) must be under to count as significant. */
export const ALPHA = 0.01;

export type RowKind = 'thread' | 'frame' | 'self';

export interface ExplainRow {
  /** `thread`: a comm; `frame`: samples with the frame anywhere on the stack (once per sample); `self`: as leaf. */
  kind: RowKind;
  name: string;
  /** Samples and weight (Σ|w|) in the selection and in the baseline. */
  samples: number;
  weight: number;
  baselineSamples: number;
  baselineWeight: number;
  /** Shares of the weight: in the selection, in the baseline; their ratio (Infinity when absent from the baseline). */
  share: number;
  baselineShare: number;
  ratio: number;
  /** Weight in the selection beyond what the baseline share predicts: weight − share_baseline × selection weight. */
  excess: number;
  /** One-sided binomial p-value of the sample count against the baseline's sample share, and its BH adjustment. */
  p: number | null;
  q: number | null;
  significant: boolean;
}

export interface Explanation {
  metric: string;
  unit: string;
  samples: number;
  weight: number;
  baselineSamples: number;
  baselineWeight: number;
  /** False when the selection had fewer than MIN_SAMPLES samples (or the baseline none): p and q are null. */
  tested: boolean;
  /** Why nothing was tested, in words, when `tested` is false. */
  untestedReason: string | null;
  /** Rows tested (the m of the adjustment). */
  tests: number;
  alpha: number;
  /** Every thread, frame and leaf frame present in the selection, best explanation first. */
  rows: ExplainRow[];
}

export interface ExplainOptions {
  /** Event id, or −1 for every event. */
  event: number;
  idle: IdleMode;
  range: TimeRange;
  baseline: Baseline;
  weights: Weights;
  names: FrameNames;
  /** Who (threads, processes, CPUs): both sides keep only these samples. */
  filter?: SampleFilter;
}

/** Rows of the same excess are listed broadest first: a thread explains more than one of its frames. */
const KIND_ORDER: Record<RowKind, number> = { thread: 0, frame: 1, self: 2 };

/** Which side a sample is on: 1 selection, 2 baseline, 3 both (the `whole` baseline holds the selection). */
function sideOf(t: number, range: TimeRange, baseline: Baseline): number {
  const inSelection = t >= range.start && t < range.end;
  let inBaseline: boolean;
  if (baseline.kind === 'whole') inBaseline = true;
  else if (baseline.kind === 'rest') inBaseline = !inSelection;
  else inBaseline = t >= baseline.range.start && t < baseline.range.end;
  return (inSelection ? 1 : 0) | (inBaseline ? 2 : 0);
}

/**
 * The names of frames, threads and the per-stack sets of names, interned to small ids so that counting is done
 * in typed arrays. A stack's frames are walked once per distinct (stack, Java naming) pair, leaf to root, never
 * recursively; a name met twice on one stack (recursion) counts once.
 */
export class NameIndex {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Per frame and Java naming (frame * 2 + java): name id, −1 dropped, −2 not named yet. */
  private readonly frameIds: Int32Array;
  /** Thread label per comm: spaces as `_`, like the flame graph's thread level. */
  readonly threadNames: string[];
  readonly commThread: Int32Array;
  readonly commJava: Uint8Array;
  private readonly threadIds = new Map<string, number>();

  constructor(
    private readonly profile: Profile,
    private readonly frameNames: FrameNames,
  ) {
    this.frameIds = new Int32Array(profile.frames.length * 2).fill(-2);
    this.threadNames = [];
    this.commThread = new Int32Array(profile.comms.length);
    this.commJava = new Uint8Array(profile.comms.length);
    profile.comms.forEach((comm, c) => {
      const label = comm.replaceAll(' ', '_');
      let id = this.threadIds.get(label);
      if (id === undefined) {
        id = this.threadNames.length;
        this.threadNames.push(label);
        this.threadIds.set(label, id);
      }
      this.commThread[c] = id;
      this.commJava[c] = isJavaThread(comm) ? 1 : 0;
    });
  }

  nameOf(frame: number, java: number): number {
    const key = frame * 2 + java;
    let id = this.frameIds[key]!;
    if (id === -2) {
      const name = this.frameNames.name(frame, java === 1);
      if (name === null) id = -1;
      else {
        id = this.ids.get(name) ?? -1;
        if (id === -1) {
          id = this.names.length;
          this.names.push(name);
          this.ids.set(name, id);
        }
      }
      this.frameIds[key] = id;
    }
    return id;
  }

  /** Calls `visit(nameId, isLeaf)` once per distinct name on the stack (leaf to root). */
  walk(stack: number, java: number, seen: Int32Array, stamp: number, visit: (name: number, leaf: boolean) => void): void {
    let leaf = true;
    for (let s = stack; s >= 0; s = this.profile.stackParent[s]!) {
      const id = this.nameOf(this.profile.stackFrame[s]!, java);
      if (id < 0) continue;
      if (leaf) {
        visit(id, true);
        leaf = false;
      }
      if (seen[id] === stamp) continue;
      seen[id] = stamp;
      visit(id, false);
    }
  }
}

/** Per (stack, java) key: samples and weight on one side. */
interface StackTally {
  samples: Float64Array;
  weight: Float64Array;
}

export function explain(profile: Profile, options: ExplainOptions): Explanation {
  const { weights, range, baseline } = options;
  const index = new NameIndex(profile, options.names);
  const stacks = profile.stackParent.length;
  // Per side (0 selection, 1 baseline): per stack key, and per thread.
  const tally: StackTally[] = [0, 1].map(() => ({ samples: new Float64Array(stacks * 2), weight: new Float64Array(stacks * 2) }));
  const threads = index.threadNames.length;
  const threadTally = [0, 1].map(() => ({ samples: new Float64Array(threads), weight: new Float64Array(threads) }));
  const totals = [0, 1].map(() => ({ samples: 0, weight: 0 }));
  for (let i = 0; i < profile.sampleCount; i++) {
    if (options.event >= 0 && profile.event[i] !== options.event) continue;
    if (options.idle === 'drop' && profile.idle[i] === 1) continue;
    if (!passesFilter(profile, options.filter, i)) continue;
    const side = sideOf(profile.time[i]!, range, baseline);
    if (side === 0) continue;
    const raw = weightOf(weights, i);
    if (raw !== raw) continue;
    const w = Math.abs(raw);
    const comm = profile.comm[i]!;
    const s = profile.stack[i]!;
    for (let k = 0; k < 2; k++) {
      if ((side & (1 << k)) === 0) continue;
      totals[k]!.samples++;
      totals[k]!.weight += w;
      threadTally[k]!.samples[index.commThread[comm]!]++;
      threadTally[k]!.weight[index.commThread[comm]!] += w;
      if (s >= 0) {
        const key = s * 2 + index.commJava[comm]!;
        tally[k]!.samples[key]++;
        tally[k]!.weight[key] += w;
      }
    }
  }
  // Per name: inclusive and self, per side.
  const maxNames = profile.frames.length * 2;
  const perName = (): { samples: Float64Array; weight: Float64Array } => ({ samples: new Float64Array(maxNames), weight: new Float64Array(maxNames) });
  const inclusive = [perName(), perName()];
  const self = [perName(), perName()];
  // A name id is at most frames × 2 (two namings per frame); stamps start at 1, so zeros are "not seen".
  const seen = new Int32Array(profile.frames.length * 2);
  let stamp = 0;
  for (let key = 0; key < stacks * 2; key++) {
    const n0 = tally[0]!.samples[key]!;
    const n1 = tally[1]!.samples[key]!;
    if (n0 === 0 && n1 === 0) continue;
    stamp++;
    index.walk(key >> 1, key & 1, seen, stamp, (name, leaf) => {
      const into = leaf ? self : inclusive;
      for (let k = 0; k < 2; k++) {
        const t = tally[k]!;
        into[k]!.samples[name] += t.samples[key]!;
        into[k]!.weight[name] += t.weight[key]!;
      }
    });
  }
  const sel = totals[0]!;
  const base = totals[1]!;
  const rows: ExplainRow[] = [];
  const add = (kind: RowKind, name: string, k: number, w: number, b: number, bw: number): void => {
    if (k === 0) return;
    const share = sel.weight === 0 ? 0 : w / sel.weight;
    const baselineShare = base.weight === 0 ? 0 : bw / base.weight;
    rows.push({
      kind,
      name,
      samples: k,
      weight: w,
      baselineSamples: b,
      baselineWeight: bw,
      share,
      baselineShare,
      ratio: baselineShare === 0 ? Infinity : share / baselineShare,
      excess: w - baselineShare * sel.weight,
      p: null,
      q: null,
      significant: false,
    });
  };
  for (let t = 0; t < threads; t++) {
    add('thread', index.threadNames[t]!, threadTally[0]!.samples[t]!, threadTally[0]!.weight[t]!, threadTally[1]!.samples[t]!, threadTally[1]!.weight[t]!);
  }
  for (let id = 0; id < index.names.length; id++) {
    const name = index.names[id]!;
    add('frame', name, inclusive[0]!.samples[id]!, inclusive[0]!.weight[id]!, inclusive[1]!.samples[id]!, inclusive[1]!.weight[id]!);
    add('self', name, self[0]!.samples[id]!, self[0]!.weight[id]!, self[1]!.samples[id]!, self[1]!.weight[id]!);
  }
  const untestedReason =
    sel.samples < MIN_SAMPLES
      ? `too few samples to tell: ${sel.samples} in the selection, the test needs at least ${MIN_SAMPLES}`
      : base.samples === 0
        ? 'the baseline has no samples'
        : null;
  if (untestedReason === null) {
    const pValues = rows.map((r) => binomialUpperTail(r.samples, sel.samples, baselineRate(r.baselineSamples, base.samples)));
    const qValues = benjaminiHochberg(pValues);
    rows.forEach((r, i) => {
      r.p = pValues[i]!;
      r.q = qValues[i]!;
      r.significant = r.q <= ALPHA && r.excess > 0;
    });
  }
  rows.sort(compareRows);
  return {
    metric: weights.name,
    unit: weights.unit,
    samples: sel.samples,
    weight: sel.weight,
    baselineSamples: base.samples,
    baselineWeight: base.weight,
    tested: untestedReason === null,
    untestedReason,
    tests: untestedReason === null ? rows.length : 0,
    alpha: ALPHA,
    rows,
  };
}

/**
 * The chance per sample the test assumes: the baseline's sample share, with half a sample added (and one to the
 * total) so that a frame the baseline never saw gets a small chance rather than none, which would make any
 * count in the selection infinitely significant.
 */
export function baselineRate(samples: number, total: number): number {
  return (samples + 0.5) / (total + 1);
}

/** Most excess first; equal excess broadest first (thread, frame, self), then by name, for a stable order. */
function compareRows(a: ExplainRow, b: ExplainRow): number {
  return b.excess - a.excess || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Recurrence

/** Cells where a row's share recurs: sub-second offsets [fromRow, toRow] of the listed seconds (columns). */
export interface Recurrence {
  fromRow: number;
  /** Inclusive. */
  toRow: number;
  columns: number[];
}

export interface RecurrenceOptions {
  event: number;
  idle: IdleMode;
  weights: Weights;
  /** Heat-map rows per second (the report's: 50 by default). */
  rows: number;
  filter?: SampleFilter;
}

/** The heat-map cell of every sample taken (−1: left out) and the samples per cell: shared by every row searched. */
export interface CellScan {
  rows: number;
  cellOf: Int32Array;
  samples: Uint32Array;
}

export function scanCells(profile: Profile, options: RecurrenceOptions): CellScan {
  const rows = options.rows;
  const samples = new Uint32Array(columnCount(profile) * rows);
  const cellOf = new Int32Array(profile.sampleCount).fill(-1);
  for (let i = 0; i < profile.sampleCount; i++) {
    if (options.event >= 0 && profile.event[i] !== options.event) continue;
    if (options.idle === 'drop' && profile.idle[i] === 1) continue;
    if (!passesFilter(profile, options.filter, i)) continue;
    const t = profile.time[i]!;
    if (t !== t) continue;
    const w = weightOf(options.weights, i);
    if (w !== w) continue;
    const cell = columnOf(t) * rows + rowOf(t, rows);
    cellOf[i] = cell;
    samples[cell]++;
  }
  return { rows, cellOf, samples };
}

/**
 * The heat-map cells where the row's sample count is significantly above its baseline share (the same exact
 * test, Benjamini–Hochberg over every non-empty cell of the heat map), merged (see `mergeCells`). Largest first.
 */
export function findRecurrences(
  profile: Profile,
  row: ExplainRow,
  explanation: Explanation,
  names: FrameNames,
  scan: CellScan,
  counts: Uint32Array = cellCounts(profile, [row], names, scan)[0]!,
): Recurrence[] {
  if (!explanation.tested) return [];
  const rate = baselineRate(row.baselineSamples, explanation.baselineSamples);
  return mergeCells(significantCells(counts, rate, scan), scan.rows);
}

/**
 * Recurrences of the first `perRanking` significant rows of each ranking (frames, self, threads). A leaf frame
 * with the same counts as the frame (a function only ever the leaf) has the same cells: searched once.
 */
export function searchRecurrences(profile: Profile, e: Explanation, names: FrameNames, options: RecurrenceOptions, perRanking: number): Map<ExplainRow, Recurrence[]> {
  const out = new Map<ExplainRow, Recurrence[]>();
  const chosen = (['frame', 'self', 'thread'] as const).flatMap((kind) => e.rows.filter((r) => r.kind === kind && r.significant).slice(0, perRanking));
  if (chosen.length === 0) return out;
  const scan = scanCells(profile, options);
  // Every chosen row's count per cell in one pass over the frames, stacks and samples.
  const counts = cellCounts(profile, chosen, names, scan);
  chosen.forEach((row, j) => {
    const same = [...out.keys()].find((r) => r.name === row.name && r.samples === row.samples && r.baselineSamples === row.baselineSamples);
    out.set(row, same !== undefined ? out.get(same)! : findRecurrences(profile, row, e, names, scan, counts[j]));
  });
  return out;
}

/**
 * Each row's samples per heat-map cell: by thread, or by (stack, Java naming): a frame row counts a sample whose
 * stack holds the name, a self row one whose leaf (the innermost frame the names keep) is it. Rows are bits (31
 * at a time), so one pass serves them all. A stack's parent is interned before it, so one pass in id order carries
 * "on this stack" and "is its leaf" down the trie: no walk to the root per stack.
 */
function cellCounts(profile: Profile, rows: readonly ExplainRow[], names: FrameNames, scan: CellScan): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let from = 0; from < rows.length; from += 31) out.push(...cellCountsOf(profile, rows.slice(from, from + 31), names, scan));
  return out;
}

function cellCountsOf(profile: Profile, rows: readonly ExplainRow[], names: FrameNames, scan: CellScan): Uint32Array[] {
  const java = Uint8Array.from(profile.comms, (c) => (isJavaThread(c) ? 1 : 0));
  const threadBits = new Uint32Array(profile.comms.length);
  const frameBits = new Map<string, number>();
  const selfBits = new Map<string, number>();
  rows.forEach((row, r) => {
    const bit = 1 << r;
    if (row.kind === 'thread') profile.comms.forEach((c, id) => (threadBits[id]! |= c.replaceAll(' ', '_') === row.name ? bit : 0));
    else {
      const bits = row.kind === 'frame' ? frameBits : selfBits;
      bits.set(row.name, (bits.get(row.name) ?? 0) | bit);
    }
  });
  const stacks = profile.stackParent.length;
  // Per (stack, variant): the bits of the frame rows on it, and of the self rows of its leaf.
  const onStack = new Uint32Array(stacks * 2);
  const leaf = new Uint32Array(stacks * 2);
  if (frameBits.size + selfBits.size > 0) {
    const onFrame = new Uint32Array(profile.frames.length);
    // The self bits of a frame, or −1 for a frame the names leave out (its parent's leaf stays the leaf).
    const selfOf = new Int32Array(profile.frames.length);
    for (const variant of [0, 1] as const) {
      if (!java.includes(variant)) continue;
      for (let f = 0; f < onFrame.length; f++) {
        const name = names.name(f, variant === 1);
        onFrame[f] = name === null ? 0 : (frameBits.get(name) ?? 0);
        selfOf[f] = name === null ? -1 : (selfBits.get(name) ?? 0);
      }
      for (let s = 0; s < stacks; s++) {
        const parent = profile.stackParent[s]!;
        const frame = profile.stackFrame[s]!;
        const k = s * 2 + variant;
        const up = parent >= 0 ? parent * 2 + variant : -1;
        onStack[k] = (up >= 0 ? onStack[up]! : 0) | onFrame[frame]!;
        leaf[k] = selfOf[frame]! === -1 ? (up >= 0 ? leaf[up]! : 0) : selfOf[frame]!;
      }
    }
  }
  const counts = rows.map(() => new Uint32Array(scan.samples.length));
  const cellOf = scan.cellOf;
  for (let i = 0; i < cellOf.length; i++) {
    const cell = cellOf[i]!;
    if (cell < 0) continue;
    const comm = profile.comm[i]!;
    const s = profile.stack[i]!;
    let bits = threadBits[comm]! | (s >= 0 ? onStack[s * 2 + java[comm]!]! | leaf[s * 2 + java[comm]!]! : 0);
    while (bits !== 0) {
      const r = 31 - Math.clz32(bits & -bits);
      counts[r]![cell]!++;
      bits &= bits - 1;
    }
  }
  return counts;
}

/** A cell's verdict: 0 not above the baseline share, 1 above it but not significantly, 2 significantly above. */
export const BELOW = 0;
export const ABOVE = 1;
export const SIGNIFICANT = 2;

/** Per cell (column-major): its verdict (see SIGNIFICANT). */
function significantCells(k: Uint32Array, rate: number, scan: CellScan): Uint8Array {
  const n = scan.samples;
  const tested: number[] = [];
  const pValues: number[] = [];
  const out = new Uint8Array(n.length);
  for (let cell = 0; cell < n.length; cell++) {
    if (n[cell] === 0) continue;
    tested.push(cell);
    // At or below the expected count the p-value is at least ½ (the median of a binomial is at least the floor
    // of its mean): such a cell cannot be significant, nor change which others are, so 1 stands in for it.
    const above = k[cell]! > n[cell]! * rate;
    pValues.push(above ? binomialUpperTail(k[cell]!, n[cell]!, rate) : 1);
    if (above) out[cell] = ABOVE;
  }
  const q = benjaminiHochberg(pValues);
  tested.forEach((cell, j) => {
    if (q[j]! <= ALPHA) out[cell] = SIGNIFICANT;
  });
  return out;
}

/**
 * Cells merged into recurrences. Within a second, a run is a stretch of cells above the baseline share that holds
 * significant cells, cut at its first and last significant cell: a 20 ms cell of ~10 samples at 499 Hz is not
 * always significant on its own even in the middle of a burst, and an empty or ordinary cell ends the run. Then
 * seconds whose runs overlap by at least half (of their union) join one recurrence, whose offsets are the union:
 * the same burst a row later in some seconds is still the same recurrence. Largest first.
 */
export function mergeCells(cells: Uint8Array, rows: number): Recurrence[] {
  const groups: Recurrence[] = [];
  const columns = cells.length / rows;
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      if (cells[c * rows + r] !== SIGNIFICANT) continue;
      // Extend over cells above the baseline; end at the last significant one.
      let end = r;
      for (let x = r + 1; x < rows && cells[c * rows + x]! >= ABOVE; x++) if (cells[c * rows + x] === SIGNIFICANT) end = x;
      const group = groups.find((g) => overlap(g.fromRow, g.toRow, r, end) >= 0.5);
      if (group === undefined) groups.push({ fromRow: r, toRow: end, columns: [c] });
      else {
        group.fromRow = Math.min(group.fromRow, r);
        group.toRow = Math.max(group.toRow, end);
        if (group.columns[group.columns.length - 1] !== c) group.columns.push(c);
      }
      r = end;
    }
  }
  // A piece of a second that a larger recurrence already covers (its offsets and its seconds) adds nothing.
  const covered = (g: Recurrence): boolean =>
    groups.some((h) => h !== g && h.fromRow <= g.fromRow && h.toRow >= g.toRow && g.columns.every((c) => h.columns.includes(c)) && (h.columns.length > g.columns.length || h.toRow - h.fromRow > g.toRow - g.fromRow));
  const kept = groups.filter((g) => !covered(g));
  const size = (x: Recurrence): number => x.columns.length * (x.toRow - x.fromRow + 1);
  return kept.sort((a, b) => size(b) - size(a) || a.columns[0]! - b.columns[0]! || a.fromRow - b.fromRow);
}

/** Rows two inclusive spans share, over the rows of their union. */
function overlap(a1: number, a2: number, b1: number, b2: number): number {
  const shared = Math.min(a2, b2) - Math.max(a1, b1) + 1;
  return shared <= 0 ? 0 : shared / (Math.max(a2, b2) - Math.min(a1, b1) + 1);
}

/** The sub-second offsets of a recurrence in seconds, as `0.50–0.56` (decimals enough for the row height). */
export function offsetText(rec: Recurrence, rows: number): string {
  const digits = rows <= 10 ? 1 : rows <= 100 ? 2 : 3;
  const at = (row: number): string => (rowStartNs(row, rows) / 1e9).toFixed(digits);
  return `${at(rec.fromRow)}–${at(rec.toRow + 1)}`;
}

/** Seconds as runs: `0–14`, `16, 21, 26`. */
export function columnsText(columns: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    let j = i;
    while (j + 1 < columns.length && columns[j + 1] === columns[j]! + 1) j++;
    parts.push(j === i ? String(columns[i]) : j === i + 1 ? `${columns[i]}, ${columns[j]}` : `${columns[i]}–${columns[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/** `0.50–0.56 s of seconds 0–14` */
export function recurrenceText(rec: Recurrence, rows: number): string {
  const seconds = rec.columns.length === 1 ? `second ${rec.columns[0]}` : `seconds ${columnsText(rec.columns)}`;
  return `${offsetText(rec, rows)} s of ${seconds}`;
}
