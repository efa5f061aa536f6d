// The shapes of the CLI's JSON documents as tests read them, and a walk down a tree by names.

export interface Span {
  from: number;
  to: number;
}

/** The gap keys of `heatmap --format json` (seconds since t0). */
export interface GapsDoc {
  gaps: Span[];
  medianInterval: number;
  gapThreshold: number;
  largestInterval: Span | null;
}

/** `heatmap --format json`. */
export interface HeatmapDoc extends GapsDoc {
  t0: number;
  rows: number;
  columns: number;
  event: string;
  metric: string;
  unit: string;
  scale: string;
  min: number;
  max: number;
  samples: number;
  without: number;
  total: number;
  gapsAllEvents: GapsDoc;
  /** null where no sample fell. */
  values: (number | null)[][];
  counts: number[][];
}

/** The node at a path of names under `node`, or an error that lists what is there instead. */
export function child<T extends { name: string; children: readonly T[] }>(node: T, ...path: string[]): T {
  let n = node;
  for (const name of path) {
    const next = n.children.find((c) => c.name === name);
    if (next === undefined) throw new Error(`no ${name} under ${n.name}: ${n.children.map((c) => c.name).join(', ')}`);
    n = next;
  }
  return n;
}
