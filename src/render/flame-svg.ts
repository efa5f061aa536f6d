// The standalone interactive flame graph SVG, in the spirit of flamegraph.pl: one <g> per frame with a
// <title> tooltip, a rect and a fitted label; the inline script (flame-svg-script.ts) adds zoom and search.
// Every profile string is escaped; the script comes from our own bundle and is checked before embedding.
import { type FlameNode, netOf, samplesOf } from '../flamegraph/tree';
import { escapeXml } from './escape';
import { FONT_SIZE, fitText, FRAME_HEIGHT, type FrameBox, percent, X_PAD } from './flame-layout';
import { frameColor, type Palette } from './palette';

export interface FlameSvgOptions {
  title: string;
  /** What the graph shows: event, weight, range, sample count. */
  subtitle: string;
  /**
   * What a unit of width is, for tooltips: `samples`, or the metric's unit (`ns`, `cycles`, `words`); with any
   * other than `samples` the tooltips also give the net sum and the sample count.
   */
  unit: string;
  width: number;
  /** Frames narrower than this many pixels are left out (with their callees). */
  minWidth: number;
  /** Icicle layout: the root at the top. */
  inverted: boolean;
  palette: Palette;
  /** The compiled inline script (see scripts/build.js). */
  script: string;
  /** A frame's fill instead of the palette's (the report's differential graph colours by change). */
  fill?: (node: FlameNode) => string;
  /** A frame's tooltip instead of `name (facts)`. */
  tip?: (node: FlameNode) => string;
}

interface PlacedFrame extends FrameBox {
  node: FlameNode;
}

/**
 * The frames wide enough to draw, in depth-first order (a frame before its callees, callees left to right), with
 * their place in weight units. An explicit stack instead of recursion, so a 10,000-deep graph cannot overflow.
 */
export function placeFrames(root: FlameNode, pxPerUnit: number, minWidth: number): PlacedFrame[] {
  const out: PlacedFrame[] = [];
  const pending: { node: FlameNode; x: number; depth: number }[] = [{ node: root, x: 0, depth: 0 }];
  while (pending.length > 0) {
    const { node, x, depth } = pending.pop()!;
    if (node.value * pxPerUnit < minWidth) continue;
    out.push({ node, x, w: node.value, depth });
    // Callees sit side by side from the frame's left edge; pushed right to left so the leftmost comes out first.
    const first = pending.length;
    let cx = x;
    for (const c of node.children) {
      pending.push({ node: c, x: cx, depth: depth + 1 });
      cx += c.value;
    }
    for (let a = first, b = pending.length - 1; a < b; a++, b--) [pending[a], pending[b]] = [pending[b]!, pending[a]!];
  }
  return out;
}

const num = (n: number): string => String(Math.round(n * 100) / 100);

/** A weight as tooltips show it: thousands separators, a real minus sign. */
function amount(n: number, unit: string): string {
  const noun = unit === 'samples' && n === 1 ? 'sample' : unit;
  return `${n.toLocaleString('en-US').replace(/^-/, '−')} ${noun}`;
}

/**
 * What a frame's tooltip says after its name: its width (Σ|w|) and share; for a metric, also the net sum Σw
 * when it differs (some weight is negative) and the samples (zero-weight ones included). The root says how the
 * net sum splits: net = positive − negative. No ` (` inside, so the script finds the name before the last one.
 */
export function frameFacts(node: FlameNode, total: number, unit: string, isRoot: boolean): string {
  const facts = [amount(node.value, unit), percent(node.value, total)];
  if (unit === 'samples') return facts.join(', ');
  const net = netOf(node);
  if (net !== node.value) {
    // Σ|w| = positive + negative and Σw = positive − negative, so both halves follow exactly.
    const number = (n: number): string => n.toLocaleString('en-US');
    const split = isRoot ? ` = ${number((node.value + net) / 2)} positive − ${number((node.value - net) / 2)} negative` : '';
    facts.push(`net ${amount(net, unit)}${split}`);
  }
  facts.push(amount(samplesOf(node), 'samples'));
  return facts.join(', ');
}

/** Refuses a script that could end the CDATA section or a <script> element it is embedded in. */
export function checkEmbeddable(script: string): string {
  if (script.includes(']]>') || /<\/script/i.test(script)) throw new Error('inline script contains "]]>" or "</script"');
  return script;
}

export function renderFlameSvg(root: FlameNode, o: FlameSvgOptions): string {
  const total = root.value;
  const inner = o.width - 2 * X_PAD;
  const pxPerUnit = total > 0 ? inner / total : 0;
  const frames = placeFrames(root, pxPerUnit, o.minWidth);
  const maxDepth = frames.reduce((m, f) => Math.max(m, f.depth), 0);
  const top = FONT_SIZE * 5;
  const bottom = FONT_SIZE * 2 + 10;
  const height = top + (maxDepth + 1) * FRAME_HEIGHT + bottom;
  const yOf = (depth: number): number =>
    o.inverted ? top + depth * FRAME_HEIGHT : height - bottom - (depth + 1) * FRAME_HEIGHT;

  return frameDocument({ ...o, height, total }, (frame) => {
    for (const f of frames) {
      const tip = o.tip?.(f.node) ?? `${f.node.name} (${frameFacts(f.node, total, o.unit, f.depth === 0)})`;
      frame(f, yOf(f.depth), pxPerUnit, tip, o.fill?.(f.node) ?? frameColor(f.node.name, f.node.kind, o.palette));
    }
  });
}

/** What the document around the frames needs. */
export interface FrameDocument {
  width: number;
  height: number;
  /** The root's width in units (the script turns widths into percentages with it). */
  total: number;
  unit: string;
  title: string;
  subtitle: string;
  script: string;
  /** CSS rules beside the shared ones. */
  style?: string;
}

/**
 * The SVG document of a flame graph, plain or differential: the styles, title, buttons and the script that
 * zooms and searches, around one `<g>` per frame that `frames` adds with its `frame(...)` callback (a tooltip, a
 * rect of the given fill, a fitted label). One shape for both, so one inline script serves both.
 */
export function frameDocument(
  o: FrameDocument,
  frames: (frame: (f: { node: { name: string }; x: number; w: number; depth: number }, y: number, pxPerUnit: number, tip: string, fill: string) => void) => void,
): string {
  const { width, height } = o;
  const out: string[] = [];
  out.push('<?xml version="1.0" standalone="no"?>');
  out.push('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">');
  out.push(
    `<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"` +
      ` data-total="${o.total}" data-width="${width}" data-unit="${escapeXml(o.unit)}">`,
  );
  out.push(`<style type="text/css">
text { font-family: Verdana, sans-serif; font-size: ${FONT_SIZE}px; fill: rgb(0,0,0); }
#title { text-anchor: middle; font-size: ${FONT_SIZE + 5}px; }
#subtitle { text-anchor: middle; fill: rgb(100,100,100); }
#search, #unzoom { cursor: pointer; }
#search { opacity: 0.4; }
#search:hover, #search.show { opacity: 1; }
#frames > g:hover > rect { stroke: black; stroke-width: 0.5; }${o.style === undefined ? '' : `\n${o.style}`}
#frames > g { cursor: pointer; }
.hide { display: none; }
.parent { opacity: 0.5; }
</style>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="rgb(248,248,248)"/>`);
  out.push(`<text id="title" x="${num(width / 2)}" y="${FONT_SIZE * 2}">${escapeXml(o.title)}</text>`);
  out.push(`<text id="subtitle" x="${num(width / 2)}" y="${FONT_SIZE * 3.5}">${escapeXml(o.subtitle)}</text>`);
  out.push(`<text id="unzoom" class="hide" x="${X_PAD}" y="${FONT_SIZE * 2}">Reset Zoom</text>`);
  out.push(`<text id="search" x="${width - X_PAD - 110}" y="${FONT_SIZE * 2}">Search</text>`);
  out.push(`<text id="matched" x="${width - X_PAD - 110}" y="${height - FONT_SIZE / 2 - 4}"> </text>`);
  out.push(`<text id="details" x="${X_PAD}" y="${height - FONT_SIZE / 2 - 4}"> </text>`);
  out.push('<g id="frames">');
  frames((f, y, pxPerUnit, tip, fill) => {
    const px = f.w * pxPerUnit;
    const x = X_PAD + f.x * pxPerUnit;
    out.push(
      `<g data-x="${f.x}" data-w="${f.w}" data-d="${f.depth}"><title>${escapeXml(tip)}</title>` +
        `<rect x="${num(x)}" y="${y}" width="${num(px)}" height="${FRAME_HEIGHT - 1}" fill="${fill}" rx="2" ry="2"/>` +
        `<text x="${num(x + 3)}" y="${y + FRAME_HEIGHT - 5}">${escapeXml(fitText(f.node.name, px))}</text></g>`,
    );
  });
  out.push('</g>');
  out.push(`<script type="text/ecmascript"><![CDATA[\n${checkEmbeddable(o.script)}\n]]></script>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
