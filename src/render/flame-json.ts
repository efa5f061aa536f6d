// The flame graph as JSON: the d3-flame-graph shape `{name, value, children}` (value inclusive, children sorted
// by name), with what a width means (event, weight, range) as extra keys on the root.
import type { FlameNode } from '../flamegraph/tree';

export interface FlameJsonMeta {
  event: string;
  weight: 'samples' | 'period';
  /** Seconds since t0, or null for the whole profile. */
  from: number | null;
  to: number | null;
  /** Floor of the first timestamp in seconds, or null when the profile has no timestamps. */
  t0: number | null;
  /** Number of samples in the graph (equals `value` when weight is samples). */
  samples: number;
}

interface JsonNode {
  name: string;
  value: number;
  children: JsonNode[];
}

function plain(node: FlameNode): JsonNode {
  return { name: node.name, value: node.value, children: node.children.map(plain) };
}

export function renderFlameJson(root: FlameNode, meta: FlameJsonMeta): string {
  return `${JSON.stringify({ ...plain(root), ...meta })}\n`;
}
