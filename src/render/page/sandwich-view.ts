// The sandwich of one function (speedscope's sandwich view): above, its callers as a reversed flame graph that
// ends at the function on its bottom row; below, its callees merged over all its occurrences, the function on
// the top row. Both are drawn on canvases with the flame graph's colours; hovering says a frame's weight, a click
// centres the sandwich on that frame's function. Only the rows nearest the function are drawn (a 10,000-deep
// recursion stays a few hundred pixels tall): a click further out moves the centre there.
// Names are profile text: on the canvas as drawn text, elsewhere only through textContent.
import type { FlameNode } from '../../flamegraph/tree';
import { isFrameNode, type Sandwich } from '../../query/functions';
import { fitText, percent } from '../flame-layout';
import { pageFrameColor, pageFrameFont } from './flame-colors';
import { shortenMiddle } from './flame-tooltip';
import { sized } from './heatmap-view';
import { layoutFlame, type PlacedFrame } from './state';
import { onThemeChange } from './theme';

const ROW = 17;
/** Rows drawn on each side: the nearest callers and callees; the rest is a click away. */
export const SANDWICH_ROWS = 24;

/** One side of the sandwich: a canvas that draws a tree with its root row next to the other side. */
class SandwichSide {
  private frames: PlacedFrame[] = [];
  private rows = 0;
  private depth = 0;
  private width = 0;
  private tree: FlameNode | null = null;
  private total = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** Callers: the root at the bottom, their callers above. Callees: the root at the top. */
    private readonly upward: boolean,
    private readonly tooltip: HTMLElement,
    private readonly describe: (node: FlameNode, total: number) => string,
    pick: (name: string) => void,
  ) {
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    canvas.addEventListener('click', (e) => {
      const f = this.frameAt(e);
      // The root is the function already shown; a level (the thread) is not a function.
      if (f !== null && f.depth > 0 && isFrameNode(f.node)) pick(f.node.name);
    });
  }

  show(tree: FlameNode | null, total: number, width: number): void {
    this.tree = tree;
    this.total = total;
    this.width = width;
    if (tree === null) {
      this.frames = [];
      this.rows = 0;
      this.depth = 0;
      this.canvas.hidden = true;
      return;
    }
    this.canvas.hidden = false;
    const { frames, depth } = layoutFlame([tree], 0.5 / width);
    this.frames = frames.filter((f) => f.depth < SANDWICH_ROWS);
    this.depth = depth;
    this.rows = Math.min(depth, SANDWICH_ROWS);
    this.draw();
  }

  /** How many levels lie beyond the rows drawn. */
  get hiddenLevels(): number {
    return Math.max(0, this.depth - SANDWICH_ROWS);
  }

  draw(): void {
    if (this.tree === null) return;
    const ctx = sized(this.canvas, this.width, this.rows * ROW, window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, this.width, this.rows * ROW);
    ctx.textBaseline = 'middle';
    for (const f of this.frames) {
      const x = f.x * this.width;
      const w = f.width * this.width;
      const y = this.rowTop(f.depth);
      ctx.fillStyle = pageFrameColor(f.node);
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
      const label = fitText(f.node.name, w);
      if (label !== '') {
        ctx.font = f.depth === 0 ? 'bold 12px Verdana, sans-serif' : pageFrameFont(f.node);
        ctx.fillStyle = '#000';
        ctx.fillText(label, x + 3, y + ROW / 2);
      }
    }
    this.canvas.dataset.rows = String(this.rows);
    this.canvas.dataset.frames = String(this.frames.length);
  }

  private rowTop(depth: number): number {
    return this.upward ? (this.rows - 1 - depth) * ROW : depth * ROW;
  }

  private frameAt(e: MouseEvent): PlacedFrame | null {
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) / this.width;
    const row = Math.floor((e.clientY - rect.top) / ROW);
    const depth = this.upward ? this.rows - 1 - row : row;
    for (const f of this.frames) if (f.depth === depth && x >= f.x && x < f.x + f.width) return f;
    return null;
  }

  private hover(e: MouseEvent): void {
    const f = this.frameAt(e);
    this.canvas.style.cursor = f !== null && f.depth > 0 && isFrameNode(f.node) ? 'pointer' : 'default';
    if (f === null) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.textContent = this.describe(f.node, this.total);
    this.tooltip.hidden = false;
    const panel = this.tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    const left = Math.min(e.clientX + 12, document.documentElement.clientWidth - this.tooltip.offsetWidth - 8);
    this.tooltip.style.left = `${left - panel.left}px`;
    this.tooltip.style.top = `${e.clientY + 14 - panel.top}px`;
  }
}

export interface SandwichCallbacks {
  /** Centre the sandwich on another function (a frame clicked in it). */
  pick(name: string): void;
  /** Close it. */
  close(): void;
}

/** The sandwich panel: a title, the callers' graph, the function, the callees' graph. */
export class SandwichView {
  private readonly title: HTMLElement;
  private readonly note: HTMLElement;
  private readonly callers: SandwichSide;
  private readonly callees: SandwichSide;
  private readonly body: HTMLElement;
  private shown: { sandwich: Sandwich | null; total: number } | null = null;

  constructor(
    private readonly root: HTMLElement,
    callbacks: SandwichCallbacks,
    private readonly amount: (v: number) => string,
  ) {
    this.title = root.querySelector<HTMLElement>('.sw-title')!;
    this.note = root.querySelector<HTMLElement>('.sw-note')!;
    this.body = root.querySelector<HTMLElement>('.sw-body')!;
    const tooltip = root.querySelector<HTMLElement>('.tooltip')!;
    const describe = (node: FlameNode, total: number): string =>
      `${shortenMiddle(node.name, 160)}: ${this.amount(node.value)} · ${percent(node.value, total)} of the function's total`;
    this.callers = new SandwichSide(root.querySelector('.sw-callers')!, true, tooltip, describe, (n) => callbacks.pick(n));
    this.callees = new SandwichSide(root.querySelector('.sw-callees')!, false, tooltip, describe, (n) => callbacks.pick(n));
    root.querySelector('.sw-close')!.addEventListener('click', () => callbacks.close());
    onThemeChange(() => this.redraw());
    new ResizeObserver(() => this.redraw()).observe(this.body);
  }

  /** Shows the sandwich of `name` (null: closed; `s` null: the function is not in this selection). */
  show(name: string | null, s: Sandwich | null, selectionTotal: number, missing = 'This function has no sample in the selection shown.'): void {
    this.root.hidden = name === null;
    if (name === null) {
      this.shown = null;
      return;
    }
    this.shown = { sandwich: s, total: selectionTotal };
    if (s === null) {
      this.title.textContent = `Sandwich of ${shortenMiddle(name, 200)}`;
      this.note.textContent = missing;
      this.callers.show(null, 0, 0);
      this.callees.show(null, 0, 0);
      return;
    }
    const total = s.callees.value;
    this.title.textContent = `Sandwich of ${shortenMiddle(name, 200)}: ${this.amount(total)} (${percent(total, selectionTotal)} of the selection)`;
    this.title.title = name;
    this.redraw();
  }

  private redraw(): void {
    if (this.shown === null || this.shown.sandwich === null) return;
    const s = this.shown.sandwich;
    const width = Math.max(300, this.body.clientWidth);
    this.callers.show(s.callers, s.callers.value, width);
    this.callees.show(s.callees, s.callees.value, width);
    const levels = (n: number, of: string): string => (n > 0 ? `${n.toLocaleString('en-US')} more level${n === 1 ? '' : 's'} of ${of}` : '');
    const hidden = [levels(this.callers.hiddenLevels, 'callers'), levels(this.callees.hiddenLevels, 'callees')]
      .filter((t) => t !== '')
      .join(' and ');
    this.note.textContent =
      'Callers above (who called it, nearest first, up to the thread), callees below (merged over every place it runs). ' +
      'A sample is taken at the outermost call of the function on its stack, so recursion shows as the function under itself. ' +
      `Click a frame to centre the sandwich on it.${hidden === '' ? '' : ` Not drawn: ${hidden}.`}`;
  }
}
