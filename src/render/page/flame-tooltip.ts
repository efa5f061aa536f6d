// What a flame graph tooltip shows and where: long C++ and Java names shortened in the middle (their start
// says which class, their end which method), and a box that always stays inside the window.

/** `name` in at most `max` characters, the middle replaced by `…`, never splitting a surrogate pair. */
export function shortenMiddle(name: string, max: number): string {
  if (name.length <= max) return name;
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

/**
 * The top-left corner (window coordinates) of a `width` × `height` box shown next to a point: below and to the
 * right of it, flipped to the other side where it would leave the window, and never beyond the window's edges.
 */
export function tooltipCorner(
  point: { x: number; y: number },
  box: { width: number; height: number },
  window: { width: number; height: number },
  gap = 14,
  margin = 4,
): { left: number; top: number } {
  const place = (at: number, size: number, limit: number): number => {
    let start = at + gap;
    if (start + size > limit - margin) start = at - gap - size;
    return Math.max(margin, Math.min(start, limit - margin - size));
  };
  return { left: place(point.x, box.width, window.width), top: place(point.y, box.height, window.height) };
}
