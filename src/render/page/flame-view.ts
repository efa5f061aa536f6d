// The flame graph on a canvas: culled layout (only frames wider than half a pixel are visited), click to zoom,
// breadcrumbs to zoom out, regex search, tooltips, flame or icicle orientation.
import type { FlameNode } from '../../flamegraph/tree';
import { fitText, percent } from '../flame-layout';
import { frameColor } from '../palette';
import { sized } from './heatmap-view';
import { findPath, layoutFlame, matchedWeight, type PlacedFrame } from './state';

const ROW = 17;
const MATCH = 'rgb(230,0,230)';

export interface FlameCallbacks {
  /** The zoomed frame changed (names from the root, excluding `all`). */
  zoomed(names: string[]): void;
}

export class FlameView {
  private root: FlameNode | null = null;
  private path: FlameNode[] = [];
  private frames: PlacedFrame[] = [];
  private depth = 1;
  private pattern: RegExp | null = null;
  private inverted = false;
  private unit = 'samples';
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly crumbs: HTMLElement;
  private readonly matched: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly callbacks: FlameCallbacks,
  ) {
    this.canvas = root.querySelector<HTMLCanvasElement>('.fg-canvas')!;
    this.tooltip = root.querySelector<HTMLElement>('.tooltip')!;
    this.crumbs = root.querySelector<HTMLElement>('.fg-crumbs')!;
    this.matched = root.querySelector<HTMLElement>('.fg-matched')!;
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const f = this.frameAt(e);
      if (f !== null) this.zoom(f.ancestor ? this.path.slice(0, this.path.indexOf(f.node) + 1) : this.pathTo(f));
    });
    window.addEventListener('resize', () => this.draw());
  }

  /** Shows a new tree, keeping the zoom where the same frames exist. */
  setTree(tree: FlameNode, unit: string, zoomNames: readonly string[]): void {
    this.root = tree;
    this.unit = unit;
    this.path = findPath(tree, zoomNames);
    this.draw();
  }

  setSearch(pattern: RegExp | null): void {
    this.pattern = pattern;
    this.draw();
  }

  setInverted(inverted: boolean): void {
    this.inverted = inverted;
    this.draw();
  }

  resetZoom(): void {
    if (this.root !== null) this.zoom([this.root]);
  }

  private zoom(path: FlameNode[]): void {
    this.path = path;
    this.draw();
    this.callbacks.zoomed(path.slice(1).map((n) => n.name));
  }

  /** The chain of nodes from the root to a placed frame below the zoomed one. */
  private pathTo(target: PlacedFrame): FlameNode[] {
    const zoomed = this.path[this.path.length - 1]!;
    const chain: FlameNode[] = [];
    const find = (node: FlameNode): boolean => {
      if (node === target.node) return true;
      for (const c of node.children) {
        if (find(c)) {
          chain.unshift(c);
          return true;
        }
      }
      return false;
    };
    find(zoomed);
    return [...this.path, ...chain];
  }

  private frameAt(e: MouseEvent): PlacedFrame | null {
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) / rect.width;
    const row = Math.floor((e.clientY - rect.top) / ROW);
    const depth = this.inverted ? row : this.depth - 1 - row;
    for (const f of this.frames) if (f.depth === depth && x >= f.x && x < f.x + f.width) return f;
    return null;
  }

  private hover(e: MouseEvent): void {
    const f = this.frameAt(e);
    if (f === null || this.root === null) {
      this.tooltip.hidden = true;
      this.canvas.style.cursor = 'default';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    const zoomed = this.path[this.path.length - 1]!;
    const v = f.node.value;
    this.tooltip.textContent = '';
    const name = document.createElement('b');
    name.textContent = f.node.name;
    const detail = document.createElement('div');
    detail.textContent = `${v.toLocaleString('en-US')} ${this.unit} · ${percent(v, this.root.value)} of all · ${percent(v, zoomed.value)} of ${zoomed === this.root ? 'all' : zoomed.name}`;
    this.tooltip.append(name, detail);
    this.tooltip.hidden = false;
    const box = this.tooltip.parentElement!.getBoundingClientRect();
    const left = Math.min(e.clientX - box.left + 14, box.width - 320);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
  }

  private drawCrumbs(): void {
    this.crumbs.textContent = '';
    this.path.forEach((node, i) => {
      if (i > 0) this.crumbs.append(' › ');
      const link = document.createElement('button');
      link.className = 'crumb';
      link.textContent = node.name;
      link.disabled = i === this.path.length - 1;
      link.addEventListener('click', () => this.zoom(this.path.slice(0, i + 1)));
      this.crumbs.append(link);
    });
  }

  private draw(): void {
    const root = this.root;
    if (root === null) return;
    const width = Math.max(300, this.canvas.parentElement!.clientWidth || 900);
    const { frames, depth } = layoutFlame(this.path, 0.5 / width);
    this.frames = frames;
    this.depth = depth;
    const ctx = sized(this.canvas, width, depth * ROW, window.devicePixelRatio || 1);
    ctx.font = '12px Verdana, sans-serif';
    ctx.textBaseline = 'middle';
    const pattern = this.pattern;
    for (const f of frames) {
      const x = f.x * width;
      const w = f.width * width;
      const y = (this.inverted ? f.depth : depth - 1 - f.depth) * ROW;
      const hit = pattern !== null && f.node !== root && pattern.test(f.node.name);
      ctx.fillStyle = hit ? MATCH : frameColor(f.node.name, f.node.kind, 'hot');
      ctx.globalAlpha = f.ancestor ? 0.6 : 1;
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
      ctx.globalAlpha = 1;
      const label = fitText(f.node.name, w);
      if (label !== '') {
        ctx.fillStyle = '#000';
        ctx.fillText(label, x + 3, y + ROW / 2);
      }
    }
    this.drawCrumbs();
    if (pattern === null) {
      this.matched.textContent = '';
    } else {
      const m = matchedWeight(root, pattern);
      this.matched.textContent = `matched ${m.toLocaleString('en-US')} of ${root.value.toLocaleString('en-US')} ${this.unit} (${percent(m, root.value)})`;
    }
  }
}
