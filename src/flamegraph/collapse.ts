// Folded stacks (`root;...;leaf count`), a drop-in for stackcollapse-perf.pl.
import { NO_ID, type Profile } from '../parse/profile';
import { type SampleSelection, selectSamples } from '../heatmap/range';
import { weightOf, type Weights } from '../model/metrics';
import { foldName, FrameNames, isJavaThread, type NameOptions } from './names';
import type { FlameNode } from './tree';

export type RootFrame = 'comm' | 'pid' | 'tid';

export interface CollapseOptions extends NameOptions {
  /** The root frame: the thread name, `comm-PID`, or `comm-PID/TID`. */
  root: RootFrame;
  weights: Weights;
}

/** The root frame of sample i: thread name (spaces → `_`), with the pid or pid/tid when asked. */
export function rootName(profile: Profile, i: number, root: RootFrame): string {
  const comm = profile.comms[profile.comm[i]!]!;
  const pid = profile.pid[i] === NO_ID ? '?' : String(profile.pid[i]);
  let name = comm;
  if (root === 'tid') name = `${comm}-${pid}/${profile.tid[i] === NO_ID ? '?' : profile.tid[i]}`;
  else if (root === 'pid') name = `${comm}-${pid}`;
  return name.replaceAll(' ', '_');
}

/**
 * Folded lines of the selected samples: one line per distinct stack, summed, sorted in byte order.
 * Frame names follow `names`; the folded text of each stack is built once and shared along the trie.
 */
export function collapse(profile: Profile, selection: SampleSelection, options: CollapseOptions): string[] {
  const folding = new Collapser();
  folding.add(profile, selection, options);
  return folding.lines(profile, options);
}

/** Root frames a Collapser tells apart (a key is `(stack + 1) * ROOT_SPAN + root`, below 2^53). */
const ROOT_SPAN = 1 << 21;

/**
 * Folds samples as they come, window after window of one input (see `ProfileBuilder.streamWindows`), into the
 * lines `collapse` gives for all of them at once: the same sums, made in the same order. Holds one number per
 * distinct (root frame, stack), never the samples.
 */
export class Collapser {
  private readonly roots = new Map<string, number>();
  private readonly rootNames: string[] = [];
  private readonly byKey = new Map<number, number>();

  /** Adds the selected samples of a profile (or of one window of it: stacks are shared by every window). */
  add(profile: Profile, selection: SampleSelection, options: Pick<CollapseOptions, 'root' | 'weights'>): void {
    const { roots, rootNames, byKey } = this;
    for (const i of selectSamples(profile, selection)) {
      const w = weightOf(options.weights, i);
      if (w !== w) continue;
      const root = rootName(profile, i, options.root);
      let r = roots.get(root);
      if (r === undefined) {
        r = rootNames.length;
        if (r === ROOT_SPAN) throw new Error(`more than ${ROOT_SPAN} distinct root frames`);
        rootNames.push(root);
        roots.set(root, r);
      }
      const key = (profile.stack[i]! + 1) * ROOT_SPAN + r;
      byKey.set(key, (byKey.get(key) ?? 0) + w);
    }
  }

  /** The folded lines so far, named as `profile` (the last window, or the whole) names its frames. */
  lines(profile: Profile, options: NameOptions): string[] {
    const folded = new FoldedStacks(profile, new FrameNames(profile, options));
    // Distinct stacks can fold to the same text (frames that differ only in offset or module): merge them.
    const totals = new Map<string, number>();
    for (const [key, weight] of this.byKey) {
      const r = key % ROOT_SPAN;
      const root = this.rootNames[r]!;
      const line = `${root}${folded.suffix((key - r) / ROOT_SPAN - 1, isJavaThread(root))}`;
      totals.set(line, (totals.get(line) ?? 0) + weight);
    }
    return sortByCodePoints([...totals.keys()]).map((line) => `${line} ${totals.get(line)}`);
  }
}

/**
 * Sorts strings in place by code point (see `compareCodePoints`). Without surrogates, UTF-16 code unit order (the
 * default sort's) is code point order, and the native sort is far cheaper in a one-shot CLI run, where a JS
 * comparator runs unoptimised (14 ms of `collapse` on the benchmark profile; issue 10).
 */
function sortByCodePoints(lines: string[]): string[] {
  return lines.some((line) => SURROGATE.test(line)) ? lines.sort(compareCodePoints) : lines.sort();
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The folded lines of a flame tree: what the graph shows, as text other tools read (flamegraph.pl, inferno,
 * speedscope). One line per path to a node with self width, from the first level under the root (group levels,
 * then frames) to the node, its count the width Σ|w|; a `;` inside a name is written `:` (`foldName`) so that it
 * cannot split the frame. Paths that fold to the same text are summed; lines sorted in byte order, as `collapse`.
 * Walked with an explicit stack: a 10,000-deep tree cannot overflow.
 */
export function foldTree(root: FlameNode): string[] {
  const totals = new Map<string, number>();
  const add = (line: string, weight: number): void => {
    totals.set(line, (totals.get(line) ?? 0) + weight);
  };
  // Width on the root itself (samples without frames and without group levels) has no path: it is the root's.
  if (root.self > 0) add(foldName(root.name), root.self);
  const pending: [FlameNode, string][] = root.children.map((c) => [c, foldName(c.name)]);
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (node.self > 0) add(path, node.self);
    for (const c of node.children) pending.push([c, `${path};${foldName(c.name)}`]);
  }
  return [...totals.keys()].sort(compareCodePoints).map((line) => `${line} ${totals.get(line)}`);
}

/** Folded lines as a file: one per line, newline-terminated, nothing at all for no stacks. */
export function foldedText(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `;frame;frame...` of every stack, memoised along the stack trie. */
export class FoldedStacks {
  private readonly memo: [Map<number, string>, Map<number, string>] = [new Map(), new Map()];

  constructor(
    private readonly profile: Profile,
    private readonly names: FrameNames,
  ) {}

  suffix(stack: number, java: boolean): string {
    if (stack < 0) return '';
    const memo = this.memo[java ? 1 : 0];
    const hit = memo.get(stack);
    if (hit !== undefined) return hit;
    // Walk up to the nearest memoised ancestor, then fill in downwards.
    const path: number[] = [];
    let s = stack;
    let prefix = '';
    while (s >= 0) {
      const known = memo.get(s);
      if (known !== undefined) {
        prefix = known;
        break;
      }
      path.push(s);
      s = this.profile.stackParent[s]!;
    }
    for (let k = path.length - 1; k >= 0; k--) {
      const id = path[k]!;
      const name = this.names.name(this.profile.stackFrame[id]!, java);
      if (name !== null) prefix = `${prefix};${name}`;
      memo.set(id, prefix);
    }
    return prefix;
  }
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (Perl's `cmp`). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
