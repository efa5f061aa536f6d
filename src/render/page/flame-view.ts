// The flame graph panel. The canvas is only as large as the panel's visible viewport: a scroll container holds
// it (sticky at the top) and a spacer as tall as the whole graph, and each scroll redraws the visible rows, so a
// 10,000-deep graph draws at any pixel ratio with bounded memory. The panel fits the window, its scroll starts
// at the root, and after a selection the window brings the root into view. Click or Enter zooms, breadcrumbs
// or Esc zoom out, arrows move a focused frame; search runs in a worker (search.ts) and Enter steps through
// the matches.
import { type FlameNode, netOf, samplesOf } from '../../flamegraph/tree';
import { fitText, percent } from '../flame-layout';
import { formatCellValue, formatSamples, groupDigits } from '../heatmap-scale';
import { changeColor, changeLabelColor, changeOfShare, type ComparedNode, type Comparison, formatShareChange, weightChange } from './compare';
import { isSignNode, pageFrameColor, pageFrameFont } from './flame-colors';
import { besideOf, calleeOf, callerOf, frameRows, type FlameRows, matchingFrames, stepMatch } from './flame-nav';
import { shortenMiddle, tooltipCorner } from './flame-tooltip';
import { sized } from './heatmap-view';
import { distinctNames, NameSearch } from './search';
import { findPath, layoutFlame, matchedWeight, type PlacedFrame } from './state';
import { onThemeChange } from './theme';

const ROW = 17;
const MATCH = 'rgb(230,0,230)';
/** The least height of the flame graph's viewport, however small the window. */
const MIN_VIEW = 180;
/** Typing pauses this long before a search starts. */
const DEBOUNCE_MS = 150;
/** A search still running after this long says so (and drops the previous pattern's highlight). */
const NOTICE_MS = 200;
/** Longest name a tooltip shows whole. */
const TOOLTIP_CHARS = 160;
/** Breadcrumbs shown at each end of a deep zoom path; the middle ones are summarised. */
const CRUMBS_KEPT = 6;

/** What a flame graph's widths measure: sample counts, or a metric's |w| in a unit. */
export interface FlameMeasure {
  /** `samples`, `words`, `ns`, … (the metric's name when its unit is not known). */
  unit: string;
  /** Whether widths are a metric's Σ|w| (tooltips then also say the net sum and the samples). */
  weighted: boolean;
}

export interface FlameCallbacks {
  /** The zoomed frame changed (names from the root, excluding `all`). */
  zoomed(names: string[]): void;
  /** The search text or its case toggle changed (at once, before matching), for the permalink. */
  searched?(text: string, ignoreCase: boolean): void;
  /** The search has a new answer (issue 9: the page paints the heat map with it, or filters by it). */
  searchAnswered?(state: SearchState): void;
}

interface Layout {
  frames: PlacedFrame[];
  depth: number;
  rows: FlameRows;
  width: number;
}

/** The search's current answer, as the panel shows it. */
export type SearchState =
  | { kind: 'none' }
  | { kind: 'pending' }
  | { kind: 'matched'; names: ReadonlySet<string> }
  | { kind: 'invalid'; message: string }
  | { kind: 'too-slow'; budgetMs: number }
  | { kind: 'unavailable'; message: string };

export class FlameView {
  private root: FlameNode | null = null;
  private path: FlameNode[] = [];
  private layout: Layout | null = null;
  private inverted = false;
  private unit = 'samples';
  private weighted = false;
  /** Height of the visible part of the graph, CSS pixels. */
  private viewHeight = 0;
  /** The device pixel ratio the canvas was sized for. */
  private ratio = 1;
  private ctx: CanvasRenderingContext2D | null = null;
  private drawPending = 0;
  private readonly colors = new WeakMap<FlameNode, string>();
  private focusColor = '#000';
  /** The differential graph's sides and scale when the tree is a comparison (issue 8); null: a plain graph. */
  private comparison: Comparison | null = null;

  /** The keyboard's frame, which is also the current search match. */
  private focused: FlameNode | null = null;
  /** Where a move down to a caller came from, so a move back up returns there. */
  private cameFrom: FlameNode | null = null;

  private searchText = '';
  private ignoreCase = false;
  private searchState: SearchState = { kind: 'none' };
  /** Layout indices of the matching frames, in layout order. */
  private matches: number[] = [];
  /** The status line's matched weight, computed once per tree and answer (a walk of the whole tree). */
  private matchedCache: { root: FlameNode; state: SearchState; weight: number } | null = null;
  private searchStarted = false;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private searchGeneration = 0;
  /** The search text changed and its answer has not come yet. */
  private searchPending = false;
  /** A step (Enter, Shift+Enter) asked for while the search was still running. */
  private pendingStep: -1 | 0 | 1 = 0;
  private readonly search = new NameSearch();

  private readonly panel: HTMLElement;
  private readonly body: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly spacer: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly crumbs: HTMLElement;
  private readonly matchedText: HTMLElement;
  private readonly stepText: HTMLElement;
  private readonly searchBox: HTMLInputElement;
  private readonly caseBox: HTMLInputElement;

  constructor(
    root: HTMLElement,
    private readonly callbacks: FlameCallbacks,
  ) {
    const $ = <T extends HTMLElement>(selector: string): T => root.querySelector<T>(selector)!;
    this.panel = root;
    this.body = $('.fg-body');
    this.canvas = $<HTMLCanvasElement>('.fg-canvas');
    this.spacer = $('.fg-spacer');
    this.tooltip = $('.tooltip');
    this.crumbs = $('.fg-crumbs');
    this.matchedText = $('.fg-matched');
    this.stepText = $('.fg-step');
    this.searchBox = $<HTMLInputElement>('#search');
    this.caseBox = $<HTMLInputElement>('#search-ignore-case');

    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const i = this.frameAt(e);
      if (i >= 0) this.zoomTo(i);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('focus', () => {
      // Show where the arrows start, without scrolling: a mouse click focuses too, and must hit what it aimed at.
      if (this.focusIndex() < 0 && this.path.length > 0) {
        this.focused = this.path[this.path.length - 1]!;
        this.draw();
      }
    });
    this.body.addEventListener('scroll', () => {
      this.tooltip.hidden = true;
      this.scheduleDraw();
    });
    new ResizeObserver(() => this.resized()).observe(this.body);
    window.addEventListener('resize', () => this.resized());
    onThemeChange(() => this.scheduleDraw());
    this.followPixelRatio();

    this.searchBox.addEventListener('input', () => this.searchChanged());
    this.searchBox.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        // Esc acts on the search box only: it clears the search, never the time selection.
        e.stopPropagation();
        if (this.searchBox.value !== '') {
          e.preventDefault();
          this.searchBox.value = '';
          this.searchChanged();
        } else {
          this.searchBox.blur();
        }
      }
    });
    this.caseBox.addEventListener('change', () => this.searchChanged());
    $('#search-prev').addEventListener('click', () => this.step(-1));
    $('#search-next').addEventListener('click', () => this.step(1));
    $('#to-heatmap').addEventListener('click', () => {
      document.querySelector('#heatmap')?.scrollIntoView({ block: 'start' });
    });
    this.drawLegend($('.fg-legend'));
  }

  /** Shows a new tree, keeping the zoom where the same frames exist; the scroll starts at the root. */
  setTree(tree: FlameNode, measure: FlameMeasure, zoomNames: readonly string[], comparison: Comparison | null = null): void {
    this.comparison = comparison;
    this.root = tree;
    this.unit = measure.unit;
    this.weighted = measure.weighted;
    this.showLegendKinds(tree);
    this.path = findPath(tree, zoomNames);
    if (this.search.addNames(distinctNames(tree)) && this.searchText !== '') this.requestSearch(0);
    this.relayout(0);
  }

  /**
   * Adds names the search must know beyond the tree's (issue 9: every frame name of the profile, so that one
   * answer paints the whole heat map); a search under way is run again if the table grew.
   */
  addSearchNames(names: Iterable<string>): void {
    if (this.search.addNames(names) && this.searchText !== '') this.requestSearch(0);
  }

  /** The search box's text and case toggle (for permalinks); matching starts once `startSearching` was called. */
  setSearch(text: string, ignoreCase = this.ignoreCase): void {
    this.searchBox.value = text;
    this.caseBox.checked = ignoreCase;
    this.applySearch(0);
  }

  get searchIgnoreCase(): boolean {
    return this.ignoreCase;
  }

  set searchIgnoreCase(value: boolean) {
    this.setSearch(this.searchBox.value, value);
  }

  /** Lets searches run: called after the first paint, so a search from a link never delays opening. */
  startSearching(): void {
    this.searchStarted = true;
    if (this.searchText !== '') this.requestSearch(0);
  }

  setInverted(inverted: boolean): void {
    this.inverted = inverted;
    this.relayout(0);
  }

  resetZoom(): void {
    if (this.root !== null) this.zoom([this.root]);
  }

  /**
   * Scrolls the window, if needed, so the root row of the graph is in view (the root and first levels: the
   * answer to the selection just made), scrolling no further than the panel's top.
   */
  reveal(): void {
    const panel = this.panel.getBoundingClientRect();
    const body = this.body.getBoundingClientRect();
    const rootRow = this.inverted ? body.top + ROW : body.bottom;
    const bottom = window.innerHeight;
    if (rootRow <= bottom && rootRow - ROW >= 0) return;
    let by = rootRow - bottom + 8;
    if (panel.top - by < 0 || rootRow < ROW) by = panel.top;
    window.scrollBy(0, by);
  }

  // ---- search -------------------------------------------------------------------------------------------

  private searchChanged(): void {
    this.applySearch(DEBOUNCE_MS);
    this.callbacks.searched?.(this.searchText, this.ignoreCase);
  }

  private applySearch(delay: number): void {
    const text = this.searchBox.value;
    const ignoreCase = this.caseBox.checked;
    if (text === this.searchText && ignoreCase === this.ignoreCase) return;
    this.searchText = text;
    this.ignoreCase = ignoreCase;
    this.pendingStep = 0;
    this.requestSearch(delay);
  }

  private requestSearch(delay: number): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    clearTimeout(this.noticeTimer);
    this.searchGeneration++;
    if (this.searchText === '') {
      this.search.cancel();
      this.searchPending = false;
      this.showSearch({ kind: 'none' });
      return;
    }
    this.searchPending = true;
    if (this.searchStarted) this.searchTimer = setTimeout(() => void this.runSearch(), delay);
  }

  private async runSearch(): Promise<void> {
    this.searchTimer = undefined;
    const generation = this.searchGeneration;
    // A quick answer replaces the previous one without a flash; a slow one is announced.
    this.noticeTimer = setTimeout(() => {
      if (generation === this.searchGeneration) this.showSearch({ kind: 'pending' });
    }, NOTICE_MS);
    const result = await this.search.match(this.searchText, this.ignoreCase);
    if (result.kind === 'superseded' || generation !== this.searchGeneration) return;
    clearTimeout(this.noticeTimer);
    this.searchPending = false;
    this.showSearch(result);
    const step = this.pendingStep;
    this.pendingStep = 0;
    if (step !== 0) this.step(step);
  }

  private showSearch(state: SearchState): void {
    this.searchState = state;
    this.callbacks.searchAnswered?.(state);
    this.searchBox.classList.toggle('invalid', state.kind === 'invalid');
    this.matchedText.classList.toggle('problem', state.kind === 'invalid' || state.kind === 'too-slow' || state.kind === 'unavailable');
    this.findMatches();
    this.draw();
  }

  private isMatch(): ((name: string) => boolean) | null {
    const s = this.searchState;
    return s.kind === 'matched' ? (name) => s.names.has(name) : null;
  }

  /** The matching frames of the current layout, and the status line. */
  private findMatches(): void {
    const matches = this.isMatch();
    this.matches = matches !== null && this.layout !== null ? matchingFrames(this.layout.frames, matches) : [];
    this.describeSearch();
  }

  private describeSearch(): void {
    const s = this.searchState;
    const root = this.root;
    let text = '';
    if (s.kind === 'pending') text = 'searching…';
    else if (s.kind === 'invalid') text = `not a valid regex: ${s.message}`;
    else if (s.kind === 'too-slow') text = `pattern too slow (stopped after ${s.budgetMs / 1000} s): no highlight`;
    else if (s.kind === 'unavailable') text = `search unavailable: ${s.message}`;
    else if (s.kind === 'matched' && root !== null) {
      if (this.matchedCache?.root !== root || this.matchedCache.state !== s) {
        this.matchedCache = { root, state: s, weight: matchedWeight(root, (name) => s.names.has(name)) };
      }
      const m = this.matchedCache.weight;
      text = `matched ${m.toLocaleString('en-US')} of ${root.value.toLocaleString('en-US')} ${this.unit} (${percent(m, root.value)})`;
    }
    this.matchedText.textContent = text;
    this.describeStep();
  }

  /** `match 3 of 12`: where the current match is among the drawn matching frames. */
  private describeStep(): void {
    const s = this.searchState;
    let step = '';
    if (s.kind === 'matched') {
      const n = this.matches.length;
      const k = this.matches.indexOf(this.focusIndex());
      if (n === 0) step = s.names.size > 0 && this.matchedWeightShown() ? 'matches too narrow here: zoom out or in' : 'no match';
      else step = k >= 0 ? `match ${k + 1} of ${n}` : `${n} ${n === 1 ? 'match' : 'matches'}`;
    }
    this.stepText.textContent = step;
  }

  /** Whether any matching frame lies under the zoomed frame (drawn or too narrow to draw). */
  private matchedWeightShown(): boolean {
    const matches = this.isMatch();
    const zoomed = this.path[this.path.length - 1];
    return matches !== null && zoomed !== undefined && (matches(zoomed.name) || matchedWeight(zoomed, matches) > 0);
  }

  /** Moves the current match to the next (1) or previous (-1) matching frame and brings it into view. */
  private step(direction: -1 | 1): void {
    if (this.searchPending) {
      this.pendingStep = direction;
      if (this.searchTimer !== undefined && this.searchStarted) {
        clearTimeout(this.searchTimer);
        void this.runSearch();
      }
      return;
    }
    const next = stepMatch(this.matches, this.focusIndex(), direction);
    if (next < 0 || this.layout === null) return;
    this.focusFrame(this.layout.frames[next]!.node, true);
  }

  // ---- zoom, focus, keyboard --------------------------------------------------------------------------------

  private zoom(path: FlameNode[]): void {
    this.path = path;
    const zoomedDepth = path.length - 1;
    // Keep a couple of callers in view below the zoomed frame; near the root, keep the root itself.
    this.relayout(zoomedDepth * ROW < this.viewHeight / 3 ? 0 : (zoomedDepth - 2) * ROW);
    this.callbacks.zoomed(path.slice(1).map((n) => n.name));
  }

  /** Zooms to the frame at layout index `i` (an ancestor: back out to it). */
  private zoomTo(i: number): void {
    const frames = this.layout!.frames;
    const chain: FlameNode[] = [];
    for (let j = i; j >= 0; j = frames[j]!.parent) chain.push(frames[j]!.node);
    chain.reverse();
    this.focused = frames[i]!.node;
    this.zoom(chain);
  }

  private focusIndex(): number {
    const focused = this.focused;
    if (focused === null || this.layout === null) return -1;
    return this.layout.frames.findIndex((f) => f.node === focused);
  }

  /** Makes `node` the focused frame, scrolls it into view and, from the keyboard, describes it in the tooltip. */
  private focusFrame(node: FlameNode, announce: boolean): void {
    this.focused = node;
    const i = this.focusIndex();
    if (i >= 0) this.scrollToRow(this.layout!.frames[i]!.depth);
    this.describeStep();
    this.draw();
    if (announce && i >= 0) this.showTooltipAtFrame(i);
  }

  private key(e: KeyboardEvent): void {
    const layout = this.layout;
    if (layout === null) return;
    let i = this.focusIndex();
    if (i < 0) i = layout.frames.findIndex((f) => f.node === this.path[this.path.length - 1]);
    const { frames, rows } = layout;
    let next = -1;
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown': {
        // Arrows follow the picture: up is a callee in a flame graph, a caller in an icicle graph.
        const toCallee = (e.key === 'ArrowUp') !== this.inverted;
        if (toCallee) {
          const from = this.cameFrom === null ? -1 : frames.findIndex((f) => f.node === this.cameFrom);
          next = calleeOf(frames, rows, i, from);
        } else {
          next = callerOf(frames, i);
          if (next !== i) this.cameFrom = frames[i]!.node;
        }
        break;
      }
      case 'ArrowLeft':
      case 'ArrowRight':
        next = besideOf(rows, frames, i, e.key === 'ArrowLeft' ? -1 : 1);
        break;
      case 'Enter':
      case ' ':
        this.zoomTo(i);
        break;
      case 'Escape':
        // Esc on the flame graph zooms out one level and goes no further (never clears the selection).
        e.stopPropagation();
        if (this.path.length > 1) {
          this.focused = this.path[this.path.length - 1]!;
          this.zoom(this.path.slice(0, -1));
        }
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (next >= 0) this.focusFrame(frames[next]!.node, true);
  }

  // ---- geometry ---------------------------------------------------------------------------------------------

  /** Content y (from the top of the whole graph) of the row at `depth`. */
  private rowTop(depth: number): number {
    return (this.inverted ? depth : this.layout!.depth - 1 - depth) * ROW;
  }

  /** How far the scroll is from the root's end of the graph (bottom in a flame graph, top in an icicle one). */
  private get fromRoot(): number {
    return this.inverted ? this.body.scrollTop : this.body.scrollHeight - this.body.clientHeight - this.body.scrollTop;
  }

  private set fromRoot(px: number) {
    const max = this.body.scrollHeight - this.body.clientHeight;
    this.body.scrollTop = Math.max(0, Math.min(max, this.inverted ? px : max - px));
  }

  private scrollToRow(depth: number): void {
    const top = this.rowTop(depth);
    const view = this.body.scrollTop;
    const margin = Math.min(2 * ROW, Math.max(0, (this.viewHeight - ROW) / 2));
    if (top < view + margin) this.body.scrollTop = top - margin;
    else if (top + ROW > view + this.viewHeight - margin) this.body.scrollTop = top + ROW - this.viewHeight + margin;
    // And the row itself inside the window, if the panel is partly scrolled away.
    const y = this.body.getBoundingClientRect().top + top - this.body.scrollTop;
    if (y < 0) window.scrollBy(0, y - ROW);
    else if (y + ROW > window.innerHeight) window.scrollBy(0, y + 2 * ROW - window.innerHeight);
  }

  /** The layout index of the frame under the mouse, or -1. */
  private frameAt(e: MouseEvent): number {
    const layout = this.layout;
    if (layout === null) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) / layout.width;
    const y = e.clientY - rect.top + this.body.scrollTop;
    const row = Math.floor(y / ROW);
    const depth = this.inverted ? row : layout.depth - 1 - row;
    const frames = layout.rows.rows[depth];
    if (frames === undefined) return -1;
    // Frames of a row are in x order: binary search for the last one starting at or before x.
    let lo = 0;
    let hi = frames.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (layout.frames[frames[mid]!]!.x <= x) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return -1;
    const f = layout.frames[frames[found]!]!;
    return x < f.x + f.width ? frames[found]! : -1;
  }

  // ---- tooltip ----------------------------------------------------------------------------------------------

  private hover(e: MouseEvent): void {
    const i = this.frameAt(e);
    if (i < 0) {
      this.tooltip.hidden = true;
      this.canvas.style.cursor = 'default';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    this.showTooltip(i, { x: e.clientX, y: e.clientY });
  }

  private showTooltipAtFrame(i: number): void {
    const f = this.layout!.frames[i]!;
    const rect = this.canvas.getBoundingClientRect();
    const width = this.layout!.width;
    const left = Math.max(f.x * width, 0);
    const right = Math.min((f.x + f.width) * width, width);
    const y = rect.top + this.rowTop(f.depth) - this.body.scrollTop + ROW;
    this.showTooltip(i, { x: rect.left + Math.min(left + 20, (left + right) / 2), y });
  }

  private showTooltip(i: number, at: { x: number; y: number }): void {
    const root = this.root!;
    const node = this.layout!.frames[i]!.node;
    const zoomed = this.path[this.path.length - 1]!;
    const v = node.value;
    this.tooltip.textContent = '';
    if (this.comparison !== null) this.describeChange(node as ComparedNode, this.comparison);
    else this.describeFrame(node, root, zoomed, v);
    this.tooltip.hidden = false;
    const corner = tooltipCorner(
      at,
      { width: this.tooltip.offsetWidth, height: this.tooltip.offsetHeight },
      { width: document.documentElement.clientWidth, height: window.innerHeight },
    );
    // The tooltip is positioned inside the panel (its offset parent): window coordinates less the panel's.
    const panel = this.panel.getBoundingClientRect();
    this.tooltip.style.left = `${corner.left - panel.left - this.panel.clientLeft}px`;
    this.tooltip.style.top = `${corner.top - panel.top - this.panel.clientTop}px`;
  }

  /**
   * A differential graph's tooltip, as FlameScope words it: the change of share and the weight beyond what
   * the baseline's share predicts (`+2.345% (+12 samples)`), then both sides' shares and widths.
   */
  private describeChange(node: ComparedNode, c: Comparison): void {
    const name = document.createElement('b');
    name.textContent = shortenMiddle(node.name, TOOLTIP_CHARS);
    const change = document.createElement('div');
    change.className = 'fg-change';
    const delta = changeOfShare(node, c.targetTotal, c.baseTotal, c.elided);
    const weight = weightChange(node, c.targetTotal, c.baseTotal, c.elided);
    const rounded = this.weighted ? weight : Math.round(weight);
    change.textContent = `${formatShareChange(delta)} (${rounded > 0 ? '+' : ''}${this.amount(rounded).replace(/^-/, '−')})`;
    const sides = document.createElement('div');
    const side = (label: string, v: number, total: number): string => `${label} ${percent(v, total)} · ${this.amount(v)}`;
    const target = c.swapped ? 'baseline' : 'selection';
    const base = c.swapped ? 'selection' : 'baseline';
    sides.textContent = `${side(target, node.target, c.targetTotal)}; ${side(base, node.base, c.baseTotal)}`;
    this.tooltip.append(name, change, sides);
    if (c.elided) {
      const note = document.createElement('div');
      note.textContent = `elided: ${this.amount(node.value)} of the ${base} not in the ${target}`;
      this.tooltip.append(note);
    }
  }

  private describeFrame(node: FlameNode, root: FlameNode, zoomed: FlameNode, v: number): void {
    const name = document.createElement('b');
    name.textContent = shortenMiddle(node.name, TOOLTIP_CHARS);
    const detail = document.createElement('div');
    const ofZoomed = zoomed === root ? '' : ` · ${percent(v, zoomed.value)} of ${shortenMiddle(zoomed.name, 60)}`;
    detail.textContent = `${this.amount(v)}${this.weighted && netOf(node) !== v ? ' (Σ|w|)' : ''} · ${percent(v, root.value)} of all${ofZoomed}`;
    this.tooltip.append(name, detail);
    if (this.weighted) {
      // A metric's widths are |w|: say the signed sum where it differs, and how many samples made it.
      const more = document.createElement('div');
      const net = netOf(node) !== v ? `net ${this.amount(netOf(node))}${node === root ? ' (positive − negative)' : ''} · ` : '';
      more.textContent = `${net}${formatSamples(samplesOf(node))}`;
      this.tooltip.append(more);
    }
  }

  // ---- drawing ----------------------------------------------------------------------------------------------

  private resized(): void {
    if (this.root === null) return;
    const width = this.body.clientWidth;
    const ratio = window.devicePixelRatio || 1;
    if (this.layout === null || width !== this.layout.width || this.fitHeight() !== this.viewHeight || ratio !== this.ratio) {
      this.relayout(this.fromRoot);
    }
  }

  /** The viewport's height: the whole graph if it fits, else what fits in the window below the panel's bar. */
  private fitHeight(): number {
    const total = (this.layout?.depth ?? 1) * ROW;
    const above = this.body.getBoundingClientRect().top - this.panel.getBoundingClientRect().top;
    const below = this.panel.offsetHeight - above - this.body.offsetHeight;
    return Math.min(total, Math.max(MIN_VIEW, Math.floor(window.innerHeight - above - below - 2)));
  }

  /** Lays the graph out again (new tree, zoom, width or orientation) and scrolls to `fromRoot` px off the root. */
  private relayout(fromRoot: number, again = true): void {
    if (this.root === null) return;
    const width = Math.max(300, this.body.clientWidth || 900);
    const { frames, depth } = layoutFlame(this.path, 0.5 / width);
    this.layout = { frames, depth, rows: frameRows(frames, depth), width };
    this.viewHeight = this.fitHeight();
    this.body.style.height = `${this.viewHeight}px`;
    this.spacer.style.height = `${depth * ROW - this.viewHeight}px`;
    // The scroll bar may have come or gone: lay out again at the width left for the graph.
    if (again && this.body.clientWidth !== width && this.body.clientWidth >= 300) return this.relayout(fromRoot, false);
    this.ratio = window.devicePixelRatio || 1;
    this.ctx = sized(this.canvas, width, this.viewHeight, this.ratio);
    this.fromRoot = fromRoot;
    this.findMatches();
    this.drawCrumbs();
    this.draw();
  }

  /** Resizes the canvas when the window moves to a screen of another pixel ratio (no resize event then). */
  private followPixelRatio(): void {
    const query = window.matchMedia?.(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query?.addEventListener?.(
      'change',
      () => {
        this.resized();
        this.followPixelRatio();
      },
      { once: true },
    );
  }

  private scheduleDraw(): void {
    if (this.drawPending !== 0) return;
    this.drawPending = requestAnimationFrame(() => {
      this.drawPending = 0;
      this.draw();
    });
  }

  /** A width or sum with its unit: `1 sample`, `24,576 words`, `−15,360 words`. */
  private amount(v: number): string {
    if (!this.weighted) return `${groupDigits(v)} ${v === 1 && this.unit === 'samples' ? 'sample' : this.unit}`;
    return formatCellValue({ weighted: true, unit: this.unit, metric: this.unit }, v);
  }

  private color(node: FlameNode): string {
    let c = this.colors.get(node);
    if (c === undefined) {
      const k = this.comparison;
      // A differential graph is coloured by the change of each frame's share, not by the kind of code.
      c = k === null ? pageFrameColor(node) : changeColor(changeOfShare(node as ComparedNode, k.targetTotal, k.baseTotal, k.elided), k.maxDelta);
      this.colors.set(node, c);
    }
    return c;
  }

  /** Draws the rows inside the viewport, nothing else. */
  private draw(): void {
    const layout = this.layout;
    const ctx = this.ctx;
    if (layout === null || ctx === null || this.root === null) return;
    const { frames, rows, width } = layout;
    const top = this.body.scrollTop;
    this.focusColor = getComputedStyle(this.canvas).getPropertyValue('--flame-focus').trim() || '#000';
    ctx.clearRect(0, 0, width, this.viewHeight);
    ctx.font = '12px Verdana, sans-serif';
    ctx.textBaseline = 'middle';
    const matches = this.isMatch();
    const firstRow = Math.max(0, Math.floor(top / ROW));
    const lastRow = Math.min(layout.depth - 1, Math.floor((top + this.viewHeight - 1) / ROW));
    for (let row = firstRow; row <= lastRow; row++) {
      const depth = this.inverted ? row : layout.depth - 1 - row;
      const y = row * ROW - top;
      for (const i of rows.rows[depth] ?? []) {
        const f = frames[i]!;
        const x = f.x * width;
        const w = f.width * width;
        const hit = matches !== null && f.parent >= 0 && matches(f.node.name);
        ctx.fillStyle = hit ? MATCH : this.color(f.node);
        ctx.globalAlpha = f.ancestor ? 0.6 : 1;
        ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
        ctx.globalAlpha = 1;
        const label = fitText(f.node.name, w);
        if (label !== '') {
          const font = pageFrameFont(f.node);
          if (ctx.font !== font) ctx.font = font;
          const k = this.comparison;
          ctx.fillStyle = k === null || hit ? '#000' : changeLabelColor(changeOfShare(f.node as ComparedNode, k.targetTotal, k.baseTotal, k.elided), k.maxDelta);
          ctx.fillText(label, x + 3, y + ROW / 2);
        }
      }
    }
    const i = this.focusIndex();
    if (i >= 0) {
      const f = frames[i]!;
      // At least 8 px wide, so a one-pixel frame (a rare match) is still seen.
      const w = Math.max(f.width * width - 2.5, 8);
      const x = Math.min(Math.max(f.x * width + (f.width * width) / 2 - w / 2, 1), width - w - 1);
      ctx.strokeStyle = this.focusColor;
      ctx.lineWidth = 2;
      ctx.strokeRect(x, this.rowTop(f.depth) - top + 1, w, ROW - 3);
    }
    // For scripts and tests: the drawn geometry.
    Object.assign(this.canvas.dataset, { depth: String(layout.depth), row: String(ROW), frames: String(frames.length) });
    this.canvas.dataset.focused = i >= 0 ? frames[i]!.node.name : '';
  }

  private drawCrumbs(): void {
    this.crumbs.textContent = '';
    const path = this.path;
    const crumb = (i: number): HTMLElement => {
      const link = document.createElement('button');
      link.className = 'crumb';
      link.type = 'button';
      link.textContent = shortenMiddle(path[i]!.name, 60);
      link.title = path[i]!.name;
      link.disabled = i === path.length - 1;
      link.addEventListener('click', () => {
        this.focused = path[i]!;
        this.zoom(path.slice(0, i + 1));
      });
      return link;
    };
    // A 10,000-deep zoom would be 10,000 buttons: keep both ends, summarise the middle.
    const elide = path.length > 2 * CRUMBS_KEPT + 1;
    for (let i = 0; i < path.length; i++) {
      if (elide && i === CRUMBS_KEPT) {
        const skipped = path.length - 2 * CRUMBS_KEPT;
        this.crumbs.append(` › … ${skipped.toLocaleString('en-US')} frames …`);
        i = path.length - CRUMBS_KEPT - 1;
        continue;
      }
      if (i > 0) this.crumbs.append(' › ');
      this.crumbs.append(crumb(i));
    }
  }

  /** Shows the keys of levels and categories only when the graph has them (walks the top levels only). */
  private showLegendKinds(tree: FlameNode): void {
    const present = new Set<string>();
    let level: FlameNode[] = [tree];
    // Tool levels sit right under the root (at most six of them); categories are root-most frames in practice.
    for (let depth = 0; depth < 10 && level.length > 0 && level.length < 5000; depth++) {
      const next: FlameNode[] = [];
      for (const n of level) {
        if (isSignNode(n) && this.comparison === null) present.add('sign');
        if (n.kind === 'category') present.add('category');
        for (const c of n.children) next.push(c);
      }
      level = next;
    }
    if (this.comparison !== null) present.add('diff');
    for (const key of this.panel.querySelectorAll<HTMLElement>('.fg-key[data-kind]')) key.hidden = !present.has(key.dataset.kind!);
    // A differential graph's colours say grew or shrank: the code kinds' key would mislead.
    for (const key of this.panel.querySelectorAll<HTMLElement>('.fg-key[data-code]')) key.hidden = this.comparison !== null;
  }

  /** The frame-type colour key: what orange, red-yellow, green and aqua mean (and levels, categories). */
  private drawLegend(legend: HTMLElement): void {
    const kinds: [string, 'user' | 'kernel' | 'jit' | 'inlined' | 'category' | 'match' | 'sign', string][] = [
      ['user', 'user', 'user code (C, C++, Rust, Go…)'],
      ['kernel', 'kernel', 'kernel frames'],
      ['JIT', 'jit', 'JIT-compiled code (perf map, jitdump)'],
      ['inlined', 'inlined', 'inlined functions'],
      ['+ | −', 'sign', 'the sign level: samples of positive weight (red) and negative weight (green), widths |w|'],
      ['category', 'category', 'category pseudo-frames: (M:F/A) initial calls, native, [category] frames'],
      ['match', 'match', 'frames matching the search'],
    ];
    for (const [label, kind, title] of kinds) {
      const key = document.createElement('span');
      key.className = 'fg-key';
      key.title = title;
      const swatch = document.createElement('i');
      if (kind === 'match') swatch.style.background = MATCH;
      else if (kind === 'sign') {
        swatch.style.background = `linear-gradient(90deg, ${pageFrameColor({ name: 'positive', kind: 'group' })} 50%, ${pageFrameColor({ name: 'negative', kind: 'group' })} 50%)`;
      } else {
        const color = (n: string): string => pageFrameColor({ name: n, kind });
        swatch.style.background = `linear-gradient(90deg, ${['a', 'm', 'z'].map((n, k) => `${color(`${label}${n}${k}`)} ${k * 33}% ${k * 33 + 34}%`).join(', ')})`;
      }
      if (kind === 'sign' || kind === 'category') {
        key.dataset.kind = kind;
        key.hidden = true;
      } else if (kind !== 'match') {
        key.dataset.code = '';
      }
      key.append(swatch, label);
      legend.append(key);
    }
    // The differential graph's key (shown only while comparing).
    for (const [label, delta, title] of [
      ['grew', 1, 'a larger share of the selection than of the baseline (the stronger, the larger the change)'],
      ['shrank', -1, 'a smaller share of the selection than of the baseline'],
    ] as const) {
      const key = document.createElement('span');
      key.className = 'fg-key';
      key.title = title;
      key.dataset.kind = 'diff';
      key.hidden = true;
      const swatch = document.createElement('i');
      swatch.style.background = `linear-gradient(90deg, ${changeColor(delta * 0.2, 1)}, ${changeColor(delta, 1)})`;
      key.append(swatch, label);
      legend.append(key);
    }
  }
}
