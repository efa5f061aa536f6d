// The report page's logic that does not touch the DOM: permalinks, cell geometry, matched weight, flame layout.
// Unit-tested under vitest; bundled into the page.
import type { FlameNode } from '../../flamegraph/tree';
import { formatSeconds, NS_PER_SECOND, parseSeconds, type TimeRange } from '../../heatmap/range';

/** What a permalink (`#from=34.2&to=34.3&search=gc`) carries. */
export interface Permalink {
  range: TimeRange | null;
  search: string;
  event?: string;
  rows?: number;
}

export function parseHash(hash: string): Permalink {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const from = params.get('from');
  const to = params.get('to');
  const start = from === null ? null : parseSeconds(from);
  const end = to === null ? null : parseSeconds(to);
  const link: Permalink = {
    range: start !== null && end !== null && start < end ? { start, end } : null,
    search: params.get('search') ?? '',
  };
  const event = params.get('event');
  if (event !== null) link.event = event;
  const rows = Number(params.get('rows'));
  if (Number.isInteger(rows) && rows >= 1 && rows <= 1000) link.rows = rows;
  return link;
}

export function formatHash(link: Permalink): string {
  const parts: string[] = [];
  if (link.range !== null) parts.push(`from=${formatSeconds(link.range.start)}`, `to=${formatSeconds(link.range.end)}`);
  if (link.event !== undefined) parts.push(`event=${encodeURIComponent(link.event)}`);
  if (link.rows !== undefined) parts.push(`rows=${link.rows}`);
  if (link.search !== '') parts.push(`search=${encodeURIComponent(link.search)}`);
  return parts.length === 0 ? '' : `#${parts.join('&')}`;
}

/** `12.200–12.260 s (60 ms)`: a range as people read it. */
export function describeRange(range: TimeRange): string {
  const ms = (range.end - range.start) / 1e6;
  const span = ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 3)} s` : `${Number(ms.toFixed(3))} ms`;
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
