// The differential flame graph as JSON: the merged tree with each node's width in the base and in the target
// and the change between them, and on the root what the widths are (metric, unit), whether the base was scaled
// to the target's total, and which file and range each side is.
import { deltaOf, type DiffNode } from '../flamegraph/diff';
import { treeJson } from './flame-json';

export interface DiffSide {
  /** The file (or files) the side was read from, as given. */
  file: string;
  event: string;
  /** Seconds since that file's t0, or null for the whole file. */
  from: number | null;
  to: number | null;
  t0: number | null;
  /** Σ|w| of the side: its flame graph's total (`flame --format json`'s root value). */
  total: number;
  /** Samples of the side left out because they do not carry the metric. */
  without: number;
}

export interface DiffJsonMeta {
  metric: string;
  unit: string;
  /** True when the base was scaled to the target's total (`--normalize`); `delta` is then target − base × baseScale. */
  normalized: boolean;
  baseScale: number;
  /** True for the elided view: only what the target lacks, widths from the base. */
  elided: boolean;
  sides: { base: DiffSide; target: DiffSide };
}

/** Rounds away the float noise of a scaled base (`3.0000000000000004`), deterministically. */
function tidy(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * `{name, base, target, delta, children, ...meta}` of the merged tree, written with an explicit stack (a
 * 10,000-deep tree would overflow JSON.stringify's recursion). `base` and `target` are the sides' own widths,
 * never scaled, so their totals are those of `flame --format json` for the same ranges.
 */
export function renderDiffJson(root: DiffNode, meta: DiffJsonMeta): string {
  return treeJson(root, (n) => `"base":${n.base},"target":${n.target},"delta":${tidy(deltaOf(n, meta.baseScale))}`, meta);
}
