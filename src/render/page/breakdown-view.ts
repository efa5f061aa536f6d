// Who ran the selection (issue 9): the breakdown panel (threads, processes or CPUs of the current selection, or
// of the whole profile, with samples, share and a sparkline of when each ran) and the "filtered to …" bar that
// says who the views keep and takes it away. A click on a row keeps only it; Ctrl/Cmd/Shift-click or its
// checkbox adds it to the rows of its kind. Labels are profile text: they reach the page only as textContent.
import type { Breakdown, BreakdownBy, BreakdownRow } from '../../query/breakdown';
import type { FilterSpec } from '../../query/filter';
import { sizedCanvas } from './heatmap-overview';

/** Rows shown: the busiest; the rest are counted ("and N more"). */
export const BREAKDOWN_ROWS = 50;

const TAB_NAMES: Record<BreakdownBy, string> = { thread: 'Threads', process: 'Processes', cpu: 'CPUs' };
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 16;

export interface BreakdownCallbacks {
  /** The reader chose another tab. */
  tab(by: BreakdownBy): void;
  /** A row clicked: `add` keeps the other rows of its kind (Ctrl/Cmd/Shift, the checkbox). */
  row(spec: FilterSpec, add: boolean): void;
}

/** A row as the automation API reports it. */
export interface ShownRow {
  label: string;
  samples: number;
  share: number;
  chosen: boolean;
  spec: FilterSpec;
}

export class BreakdownView {
  private readonly tabs = new Map<BreakdownBy, HTMLButtonElement>();
  private readonly summary: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly note: HTMLElement;
  private shown: ShownRow[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: BreakdownCallbacks,
  ) {
    this.summary = root.querySelector<HTMLElement>('.bd-summary')!;
    this.table = root.querySelector<HTMLTableElement>('.bd-table')!;
    this.note = root.querySelector<HTMLElement>('.bd-note')!;
    const strip = root.querySelector<HTMLElement>('.bd-tabs')!;
    for (const by of ['thread', 'process', 'cpu'] as const) {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.textContent = TAB_NAMES[by];
      tab.dataset.by = by;
      tab.addEventListener('click', () => this.callbacks.tab(by));
      // A tab list's keys: the arrows move to the next tab that can be shown.
      tab.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        const tabs = [...this.tabs.values()].filter((t) => !t.disabled);
        const next = tabs[(tabs.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
        if (next === undefined) return;
        next.focus();
        this.callbacks.tab(next.dataset.by as BreakdownBy);
      });
      strip.append(tab);
      this.tabs.set(by, tab);
    }
  }

  /** The tab shown and why the others cannot be (null: available). */
  setTabs(current: BreakdownBy, unavailable: Record<BreakdownBy, string | null>): void {
    for (const [by, tab] of this.tabs) {
      const why = unavailable[by];
      tab.disabled = why !== null;
      tab.title = why === null ? `Break the selection down by ${by}` : `No ${by} breakdown: ${why}`;
      tab.setAttribute('aria-selected', String(by === current));
    }
  }

  /** The rows on screen, for the automation API. */
  get rows(): readonly ShownRow[] {
    return this.shown;
  }

  /**
   * Shows a breakdown (null: only `what`, e.g. why there is none). `chosen` says which rows the views are
   * filtered to (marked, their boxes checked); `amount` writes a row's weight in the metric's unit.
   */
  show(b: Breakdown | null, what: string, chosen: (spec: FilterSpec) => boolean, amount: ((row: BreakdownRow) => string) | null, note: string, sparks: Sparks = {}): void {
    this.table.replaceChildren();
    this.shown = [];
    this.note.textContent = note;
    if (b === null) {
      this.summary.textContent = what;
      return;
    }
    const kind = b.by === 'cpu' ? 'CPU' : b.by;
    this.summary.textContent = `${what}: ${b.samples.toLocaleString('en-US')} samples, ${b.rows.length.toLocaleString('en-US')} ${kind}${b.rows.length === 1 ? '' : b.by === 'process' ? 'es' : 's'}`;
    if (b.rows.length === 0) return;
    const head = this.table.createTHead().insertRow();
    const titles = ['', b.by === 'cpu' ? 'CPU' : b.by, 'samples', ...(amount === null ? [] : ['weight']), 'share', 'when (per second)'];
    for (const text of titles) {
      const th = document.createElement('th');
      th.textContent = text;
      th.scope = 'col';
      head.append(th);
    }
    const body = this.table.createTBody();
    const top = b.rows.slice(0, BREAKDOWN_ROWS);
    // One scale for every sparkline, so that their heights compare.
    const sparkOf = (r: BreakdownRow): Float64Array => sparks.of?.(r) ?? r.spark;
    const colour = getComputedStyle(this.root).getPropertyValue('--accent').trim() || '#0645ad';
    for (const r of top) {
      const isChosen = chosen(r.spec);
      const tr = body.insertRow();
      tr.className = isChosen ? 'bd-row chosen' : 'bd-row';
      tr.tabIndex = 0;
      tr.title = isChosen ? 'Click: filter to it alone, or remove the filter; Ctrl/Shift-click: take it away' : 'Click: filter the heat map and flame graph to it; Ctrl/Shift-click or the box: add it';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = isChosen;
      box.setAttribute('aria-label', `keep ${r.label} (with the others checked)`);
      box.addEventListener('click', (e) => {
        e.stopPropagation();
        this.callbacks.row(r.spec, true);
      });
      tr.insertCell().append(box);
      const name = tr.insertCell();
      name.className = 'bd-name';
      name.textContent = r.label;
      name.title = r.label;
      const cells = [r.samples.toLocaleString('en-US'), ...(amount === null ? [] : [amount(r)]), PERCENT.format(r.share)];
      for (const text of cells) tr.insertCell().textContent = text;
      const spark = document.createElement('canvas');
      spark.className = 'bd-spark';
      spark.setAttribute('aria-hidden', 'true');
      // Each row on its own scale: the line says when it ran; its share says how much.
      const line = sparkOf(r);
      drawSpark(spark, line, line.reduce((m, v) => Math.max(m, v), 0), colour, sparks.span ?? null);
      tr.insertCell().append(spark);
      tr.addEventListener('click', (e) => this.callbacks.row(r.spec, e.ctrlKey || e.metaKey || e.shiftKey));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.callbacks.row(r.spec, e.ctrlKey || e.metaKey || e.shiftKey);
        }
      });
      this.shown.push({ label: r.label, samples: r.samples, share: r.share, chosen: isChosen, spec: r.spec });
    }
    if (b.rows.length > top.length) {
      const more = body.insertRow();
      more.className = 'bd-more';
      const td = more.insertCell();
      td.colSpan = titles.length;
      const rest = b.rows.slice(top.length);
      const samples = rest.reduce((n, r) => n + r.samples, 0);
      td.textContent = `and ${rest.length.toLocaleString('en-US')} more (${samples.toLocaleString('en-US')} samples)`;
    }
  }
}

/** What the sparklines show: each row's weight per second over the whole axis, and the selection's seconds. */
export interface Sparks {
  of?(row: BreakdownRow): Float64Array | undefined;
  /** The selection's first and last second (shaded under the bars); null: none. */
  span?: [number, number] | null;
}

/** A row's weight per second as bars (the busiest pixel of each run of seconds), on the breakdown's scale. */
function drawSpark(canvas: HTMLCanvasElement, spark: Float64Array, peak: number, colour: string, span: [number, number] | null): void {
  const ctx = sizedCanvas(canvas, SPARK_WIDTH, SPARK_HEIGHT, window.devicePixelRatio || 1);
  const n = spark.length;
  if (n === 0 || peak <= 0) return;
  const perPixel = n / SPARK_WIDTH;
  if (span !== null) {
    // The selection, as a band the bars stand in front of.
    ctx.fillStyle = getComputedStyle(canvas).getPropertyValue('--canvas-selection').trim() || 'rgba(40, 110, 255, 0.45)';
    const x1 = span[0] / perPixel;
    const x2 = (span[1] + 1) / perPixel;
    ctx.fillRect(x1, 0, Math.max(1.5, x2 - x1), SPARK_HEIGHT);
  }
  ctx.fillStyle = colour;
  for (let x = 0; x < SPARK_WIDTH; x++) {
    const from = Math.floor(x * perPixel);
    const to = Math.max(from + 1, Math.floor((x + 1) * perPixel));
    if (from >= n) break;
    let v = 0;
    for (let s = from; s < Math.min(n, to); s++) if (spark[s]! > v) v = spark[s]!;
    if (v <= 0) continue;
    // At least a pixel, so that a thread that ran once still shows where.
    const h = Math.max(1, Math.round((v / peak) * SPARK_HEIGHT));
    const w = perPixel >= 1 ? 1 : Math.max(1, 1 / perPixel - 0.5);
    ctx.fillRect(x, SPARK_HEIGHT - h, w, h);
  }
}

/** One thing the views are filtered to, with its way out. */
export interface WhoChip {
  label: string;
  title: string;
  remove(): void;
}

/** The "filtered to …" bar above the views: what is kept, each part removable, and "clear" for all of it. */
export class FilterBar {
  private readonly chips: HTMLElement;
  private readonly problems: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    clear: () => void,
  ) {
    this.chips = root.querySelector<HTMLElement>('.wb-chips')!;
    this.problems = root.querySelector<HTMLElement>('.wb-problems')!;
    root.querySelector<HTMLButtonElement>('.wb-clear')!.addEventListener('click', clear);
  }

  show(chips: readonly WhoChip[], problems: readonly string[]): void {
    this.root.hidden = chips.length === 0 && problems.length === 0;
    this.chips.replaceChildren();
    chips.forEach((chip, k) => {
      const span = document.createElement('span');
      span.className = 'wb-chip';
      span.title = chip.title;
      const text = document.createElement('span');
      text.textContent = chip.label;
      const x = document.createElement('button');
      x.type = 'button';
      x.className = 'wb-remove';
      x.textContent = '×';
      x.setAttribute('aria-label', `remove ${chip.label}`);
      x.addEventListener('click', () => chip.remove());
      span.append(text, x);
      if (k > 0) this.chips.append(' ');
      this.chips.append(span);
    });
    this.problems.textContent = problems.join('; ');
    this.root.querySelector<HTMLButtonElement>('.wb-clear')!.hidden = chips.length === 0;
  }
}
