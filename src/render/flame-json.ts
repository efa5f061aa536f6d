// The flame graph as JSON: the d3-flame-graph shape `{name, value, children}` (value inclusive, Σ|w|; children
// sorted by name, a sign level positive first), with each node's net sum Σw and sample count, and what a width
// means (event, metric and its unit, group levels, range) as extra keys on the root.
import { type FlameNode, netOf, samplesOf } from '../flamegraph/tree';

export interface FlameJsonMeta {
  event: string;
  /** The metric widths sum (`samples`, `period`, `erlang_memory_delta`) and its unit. */
  metric: string;
  unit: string;
  /** The group levels asked for, as `--group` takes them (`sign,comm`); `sign` shows only with negatives. */
  groups: string;
  /** Seconds since t0, or null for the whole profile. */
  from: number | null;
  to: number | null;
  /** Floor of the first timestamp in seconds, or null when the profile has no timestamps. */
  t0: number | null;
  /** Samples of the selection left out because they do not carry the metric. */
  without: number;
}

/**
 * The same bytes as `JSON.stringify({name, value, children, ...meta})` of the tree, written with an explicit
 * stack: JSON.stringify recurses per level and overflows the call stack on a 10,000-deep graph.
 */
export function renderFlameJson(root: FlameNode, meta: FlameJsonMeta): string {
  return treeJson(
    root,
    (n) => `"value":${JSON.stringify(n.value)},"net":${JSON.stringify(netOf(n))},"samples":${samplesOf(n)}`,
    meta,
  );
}

/**
 * `{"name": …, <fields>, "children": [...], ...meta}` of a tree (the meta keys on the root only), as
 * JSON.stringify would write it, but with an explicit stack: JSON.stringify recurses per level and overflows
 * the call stack on a 10,000-deep graph. `fields` writes a node's keys between its name and its children.
 */
export function treeJson<T extends { name: string; children: readonly T[] }>(root: T, fields: (node: T) => string, meta: object): string {
  const out: string[] = [];
  const metaKeys = JSON.stringify(meta).slice(1, -1);
  // Each entry is a node still to open, or the text that closes a node once its children are written.
  const pending: (T | string)[] = [root];
  let first = true;
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if (!first && out[out.length - 1] !== '[') out.push(',');
    first = false;
    out.push(`{"name":${JSON.stringify(item.name)},${fields(item)},"children":`, '[');
    pending.push(item === root && metaKeys !== '' ? `],${metaKeys}}` : ']}');
    for (let k = item.children.length - 1; k >= 0; k--) pending.push(item.children[k]!);
  }
  out.push('\n');
  return out.join('');
}
