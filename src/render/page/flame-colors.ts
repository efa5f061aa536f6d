// What a frame of the page's flame graph looks like beyond the code kinds of palette.ts: the levels the tool
// adds under the root (sign, magnitude bucket, pid, tid, event) and the category pseudo-frames a profiler or a
// converter puts in the stacks (`(couch_file:init/1)`, `native`, `[mem: 10s MiB]`). Neither is code, so neither
// takes a code colour: `positive` and `negative` are tinted like the heat map (red, green), other levels grey
// like threads, categories slate blue; and their labels are set apart (levels bold, categories italic).
// The colours are the SVG palette's (palette.ts), so an exported graph looks like the page's.
import type { FlameNode } from '../../flamegraph/tree';
import { frameColor } from '../palette';

/** Whether a node is a `positive` or `negative` node of the sign level. */
export function isSignNode(node: Pick<FlameNode, 'name' | 'kind'>): boolean {
  const kind: string = node.kind;
  return (kind === 'sign' || kind === 'group') && (node.name === 'positive' || node.name === 'negative');
}

/** Whether a node is a level the tool added (sign, bucket, pid, tid, event), not a frame or a thread. */
export function isLevelNode(node: Pick<FlameNode, 'kind'>): boolean {
  const kind: string = node.kind;
  return kind === 'sign' || kind === 'group';
}

/** The fill of a frame on the page: the SVG palette's colour of its kind, so an exported graph looks the same. */
export function pageFrameColor(node: Pick<FlameNode, 'name' | 'kind'>): string {
  return frameColor(node.name, node.kind, 'hot');
}

/** The label font of a frame: levels bold, categories italic, code plain. */
export function pageFrameFont(node: Pick<FlameNode, 'kind'>): string {
  if (isLevelNode(node)) return 'bold 12px Verdana, sans-serif';
  if (node.kind === 'category') return 'italic 12px Verdana, sans-serif';
  return '12px Verdana, sans-serif';
}
