// Moving through a laid-out flame graph without a mouse: by rows (what is drawn at one depth), to a caller, to a
// callee, and from one search match to the next. Pure functions over layoutFlame's frames (pre-order, each with
// its caller's index), unit-tested under vitest; no recursion.
import type { PlacedFrame } from './state';

/** The frames of each depth, left to right (indices into `frames`), and each frame's place in its row. */
export interface FlameRows {
  rows: number[][];
  column: Int32Array;
}

export function frameRows(frames: readonly PlacedFrame[], depth: number): FlameRows {
  const rows: number[][] = Array.from({ length: depth }, () => []);
  const column = new Int32Array(frames.length);
  // Pre-order puts the frames of one depth in x order already.
  frames.forEach((f, i) => {
    const row = rows[f.depth]!;
    column[i] = row.length;
    row.push(i);
  });
  return { rows, column };
}

/** The caller of frame `i` (the frame below it in a flame graph), or `i` itself at the root. */
export function callerOf(frames: readonly PlacedFrame[], i: number): number {
  const parent = frames[i]!.parent;
  return parent >= 0 ? parent : i;
}

/**
 * A callee of frame `i` (the frame above it in a flame graph): `preferred` if it is one (where the user came
 * from, so up after down returns), else the widest, else `i` itself when it calls nothing drawn.
 */
export function calleeOf(frames: readonly PlacedFrame[], rows: FlameRows, i: number, preferred: number = -1): number {
  if (preferred >= 0 && frames[preferred]?.parent === i) return preferred;
  const row = rows.rows[frames[i]!.depth + 1];
  let best = i;
  if (row === undefined) return best;
  for (const j of row) {
    if (frames[j]!.parent === i && (best === i || frames[j]!.width > frames[best]!.width)) best = j;
  }
  return best;
}

/** The frame next to `i` in its row (`step` -1: left, 1: right), or `i` at the row's end. */
export function besideOf(rows: FlameRows, frames: readonly PlacedFrame[], i: number, step: -1 | 1): number {
  const row = rows.rows[frames[i]!.depth]!;
  return row[rows.column[i]! + step] ?? i;
}

/** The indices of the frames whose names match, in layout order (left to right, callers before callees). */
export function matchingFrames(frames: readonly PlacedFrame[], matches: (name: string) => boolean): number[] {
  const found: number[] = [];
  frames.forEach((f, i) => {
    if (f.parent >= 0 && matches(f.node.name)) found.push(i);
  });
  return found;
}

/**
 * The match to move to from frame `current` (-1: none) in direction `step`: the next (or previous) match in
 * layout order, wrapping around at the ends. -1 when there are no matches.
 */
export function stepMatch(matches: readonly number[], current: number, step: -1 | 1): number {
  const n = matches.length;
  if (n === 0) return -1;
  if (current < 0) return matches[step > 0 ? 0 : n - 1]!;
  // The first match after (or last before) the current frame, which need not be a match itself.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]! < current) lo = mid + 1;
    else hi = mid;
  }
  if (step > 0) {
    const k = matches[lo] === current ? lo + 1 : lo;
    return matches[k % n]!;
  }
  return matches[(lo - 1 + n) % n]!;
}
