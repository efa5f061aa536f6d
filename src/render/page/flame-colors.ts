// What a frame of the page's flame graph looks like beyond the frame kinds of palette.ts: the levels the tool
// adds under the root (sign, magnitude bucket, pid, tid, event) and the category pseudo-frames a profiler or a
// converter puts in the stacks (`(couch_file:init/1)`, `native`, `[mem: 10s MiB]`). Neither is code, so
// neither takes a code colour: `positive` and `negative` take the heat map's red and green, other levels a
// cool grey-blue, categories a violet, and both are lettered apart (levels bold, categories italic).
import type { FlameNode } from '../../flamegraph/tree';
import { frameColor } from '../palette';

/** A name's lightness jitter, 0..1, stable across selections (as palette.ts does for code frames). */
function jitter(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 1000) / 1000;
}

const rgb = (r: number, g: number, b: number): string => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;

/** The fill of a frame on the page. */
export function pageFrameColor(node: Pick<FlameNode, 'name' | 'kind'>): string {
  if (node.kind === 'group') {
    if (node.name === 'positive') return 'rgb(244,160,150)';
    if (node.name === 'negative') return 'rgb(150,212,156)';
    const v = jitter(node.name);
    return rgb(168 + 20 * v, 186 + 16 * v, 214 + 14 * v);
  }
  if (node.kind === 'category') {
    const v = jitter(node.name);
    return rgb(196 + 24 * v, 168 + 24 * v, 236 + 12 * v);
  }
  return frameColor(node.name, node.kind, 'hot');
}

/** The label font of a frame: levels bold, categories italic, code plain. */
export function pageFrameFont(kind: FlameNode['kind']): string {
  if (kind === 'group') return 'bold 12px Verdana, sans-serif';
  if (kind === 'category') return 'italic 12px Verdana, sans-serif';
  return '12px Verdana, sans-serif';
}
