// The standalone differential flame graph SVG, in the spirit of flamegraph.pl's differential mode: widths from
// the target (from the base with --negate), red where a frame grew, blue where it shrank, white where it did not
// change, the intensity by the size of the change against the largest one. Same document shape as flame-svg.ts
// (one <g> per frame with a <title> tooltip), so the same inline script zooms and searches it. Every profile
// string is escaped; the output depends only on the tree and the options.
import { deltaOf, type DiffNode } from '../flamegraph/diff';
import { frameDocument } from './flame-svg';
import { FONT_SIZE, FRAME_HEIGHT, X_PAD } from './flame-layout';

export interface DiffSvgOptions {
  title: string;
  /** What the graph compares: sides, metric, scaling. */
  subtitle: string;
  /** `samples` or the metric's unit, for tooltips. */
  unit: string;
  width: number;
  /** Frames narrower than this many pixels are left out (with their callees). */
  minWidth: number;
  /** Widths from the base instead of the target (flamegraph.pl's `--negate` use): shows what shrank away. */
  widthsFrom: 'base' | 'target';
  /** What the base is multiplied by before comparing (1, or the target's total over the base's). */
  baseScale: number;
  /** The compiled inline script of the flame graph SVG (zoom, search). */
  script: string;
}

interface PlacedDiffFrame {
  node: DiffNode;
  x: number;
  w: number;
  depth: number;
}

/** The frames wide enough to draw, depth-first, callees left to right; an explicit stack, no recursion. */
export function placeDiffFrames(root: DiffNode, widthOf: (n: DiffNode) => number, pxPerUnit: number, minWidth: number): PlacedDiffFrame[] {
  const out: PlacedDiffFrame[] = [];
  const pending: PlacedDiffFrame[] = [{ node: root, x: 0, w: widthOf(root), depth: 0 }];
  while (pending.length > 0) {
    const f = pending.pop()!;
    if (f.w <= 0 || f.w * pxPerUnit < minWidth) continue;
    out.push(f);
    const first = pending.length;
    let cx = f.x;
    for (const c of f.node.children) {
      const w = widthOf(c);
      pending.push({ node: c, x: cx, w, depth: f.depth + 1 });
      cx += w;
    }
    for (let a = first, b = pending.length - 1; a < b; a++, b--) [pending[a], pending[b]] = [pending[b]!, pending[a]!];
  }
  return out;
}

/**
 * flamegraph.pl's differential colours: red for growth, blue for shrinkage, from a pale 210 for the smallest
 * change to full for the largest; white for none.
 */
export function diffColor(delta: number, maxDelta: number): string {
  if (delta > 0 && maxDelta > 0) {
    const gb = Math.floor((210 * (maxDelta - Math.min(delta, maxDelta))) / maxDelta);
    return `rgb(255,${gb},${gb})`;
  }
  if (delta < 0 && maxDelta > 0) {
    const rg = Math.floor((210 * (maxDelta + Math.max(delta, -maxDelta))) / maxDelta);
    return `rgb(${rg},${rg},255)`;
  }
  return 'rgb(255,255,255)';
}

/** A number for tooltips: thousands separators, up to 3 decimals, a real minus sign, `+` when asked. */
function figure(n: number, signed = false): string {
  const text = n.toLocaleString('en-US', { maximumFractionDigits: 3 }).replace(/^-/, '−');
  return signed && n > 0 ? `+${text}` : text === '−0' ? '0' : text;
}

/**
 * The tooltip after a frame's name: both widths and the change, FlameScope's `+2.345% (+12 samples)`, the
 * percentage a share of the total the graph's widths come from. The parentheses inside are preceded by a
 * no-break space: the script finds the name before the last ` (` (names may hold ` (` themselves).
 */
export function diffFacts(node: DiffNode, scale: number, total: number, unit: string): string {
  const delta = deltaOf(node, scale);
  const amount = (n: number, signed = false): string => `${figure(n, signed)} ${unit === 'samples' && Math.abs(n) === 1 ? 'sample' : unit}`;
  const base = scale === 1 || node.base === 0 ? `base ${amount(node.base)}` : `base ${amount(node.base * scale)} scaled`;
  const pct = total > 0 ? (100 * delta) / total : 0;
  const pctText = `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${Math.abs(pct).toFixed(3)}%`;
  return `${base}, target ${amount(node.target)}, ${pctText}\u00a0(${amount(delta, true)})`;
}

export function renderDiffSvg(root: DiffNode, o: DiffSvgOptions): string {
  const widthOf = o.widthsFrom === 'base' ? (n: DiffNode) => n.base * o.baseScale : (n: DiffNode) => n.target;
  const total = widthOf(root);
  const inner = o.width - 2 * X_PAD;
  const pxPerUnit = total > 0 ? inner / total : 0;
  const frames = placeDiffFrames(root, widthOf, pxPerUnit, o.minWidth);
  // The intensity scale: the largest change of any frame drawn below the root (the root's is the change of the
  // totals, which would make every frame pale).
  let maxDelta = 0;
  for (const f of frames) if (f.depth > 0) maxDelta = Math.max(maxDelta, Math.abs(deltaOf(f.node, o.baseScale)));
  const maxDepth = frames.reduce((m, f) => Math.max(m, f.depth), 0);
  const top = FONT_SIZE * 5;
  const bottom = FONT_SIZE * 2 + 10;
  const height = top + (maxDepth + 1) * FRAME_HEIGHT + bottom;
  const yOf = (depth: number): number => height - bottom - (depth + 1) * FRAME_HEIGHT;

  return frameDocument({ ...o, height, total, style: '#frames > g > rect { stroke: rgb(200,200,200); stroke-width: 0.3; }' }, (frame) => {
    for (const f of frames) {
      const tip = `${f.node.name} (${diffFacts(f.node, o.baseScale, total, o.unit)})`;
      frame(f, yOf(f.depth), pxPerUnit, tip, diffColor(deltaOf(f.node, o.baseScale), maxDelta));
    }
  });
}
