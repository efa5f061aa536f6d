// Flame graph geometry and text fitting, shared by the SVG renderer (Node) and its inline script (browser).

export const FONT_SIZE = 12;
/** Average glyph width as a fraction of the font size (Verdana), to guess how many characters fit. */
export const FONT_WIDTH = 0.59;
export const FRAME_HEIGHT = 16;
export const X_PAD = 10;

/** A frame's place in weight units: it spans [x, x + w) of its root and sits `depth` levels above it. */
export interface FrameBox {
  x: number;
  w: number;
  depth: number;
}

/** The label that fits a frame `px` pixels wide: the whole name, a prefix with `..`, or nothing. */
export function fitText(name: string, px: number): string {
  const chars = Math.floor((px - 3) / (FONT_SIZE * FONT_WIDTH));
  if (chars < 3) return '';
  if (name.length <= chars) return name;
  return `${name.slice(0, chars - 2)}..`;
}

/**
 * The weight covered by a set of frames, each sample counted once: a match nested inside another match
 * (recursion, or `foo` calling `foo_helper` under a search for `foo`) adds nothing.
 */
export function coveredWeight(boxes: readonly FrameBox[]): number {
  const sorted = [...boxes].sort((a, b) => a.x - b.x || b.w - a.w);
  let total = 0;
  let end = -Infinity;
  for (const b of sorted) {
    const start = Math.max(b.x, end);
    const stop = b.x + b.w;
    if (stop > start) {
      total += stop - start;
      end = stop;
    }
  }
  return total;
}

/** How a frame is shown when `target` is zoomed to full width: as an ancestor bar, rescaled, or hidden. */
export function zoomRole(box: FrameBox, target: FrameBox): 'ancestor' | 'inside' | 'hidden' {
  const inside = box.x >= target.x && box.x + box.w <= target.x + target.w;
  if (box.depth >= target.depth) return inside ? 'inside' : 'hidden';
  const contains = box.x <= target.x && box.x + box.w >= target.x + target.w;
  return contains ? 'ancestor' : 'hidden';
}

/** A percentage with two decimals, as tooltips and the search result show it. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : '0.00%';
}
