// The list of gaps under the heat map: the stretches without a sample of the event shown, longer than a
// threshold (5× the median interval unless the reader sets one). The heat map shows them as grey cells; the
// list says exactly where they begin and end, in the map's seconds and in the file's own clock (to find them in
// the perf script text), and a click outlines one on the map.
import type { GapReport } from '../../query/gaps';
import { NS_PER_SECOND } from '../../heatmap/range';

/** Gaps listed at most; past that, a count (a day of flame_prof has one every 15 s). */
export const GAPS_LISTED = 200;
/**
 * More gaps than this at the default threshold, and the list starts folded behind its summary: a CPU profile
 * of a bursty program has hundreds of idle stretches (no sample because nothing ran, not because the sampler
 * could not), and a list of them would push the flame graph off the screen.
 */
export const GAPS_OPEN = 5;

/** One formatter for every gap: `toLocaleString` with options builds a new one per call (a list has hundreds). */
const THREE_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** `0.910` (three decimals, as the spec writes them). */
function seconds(ns: number): string {
  return THREE_DECIMALS.format(ns / NS_PER_SECOND);
}

/** A duration as read: `1.11 s`, `270 ms`, `1,234 s`. */
export function formatSpan(ns: number): string {
  if (ns < NS_PER_SECOND) return `${Number((ns / 1e6).toPrecision(3))} ms`;
  const s = ns / NS_PER_SECOND;
  return `${s >= 1000 ? Math.round(s).toLocaleString('en-US') : Number(s.toPrecision(3))} s`;
}

/** `no samples 0.910–2.020 s (1.11 s)`, in seconds since t0 (the heat map's axis). */
export function describeGap(gap: { from: number; to: number }): string {
  return `no samples ${seconds(gap.from)}–${seconds(gap.to)} s (${formatSpan(gap.to - gap.from)})`;
}

/** The same gap on the file's clock: `100.910–102.020 s`. */
export function fileClockGap(gap: { from: number; to: number }, t0: number): string {
  return `${seconds(gap.from + t0 * NS_PER_SECOND)}–${seconds(gap.to + t0 * NS_PER_SECOND)} s`;
}

export interface GapListCallbacks {
  /** The reader set a threshold (ns), or cleared it (null: the default). */
  threshold(ns: number | null): void;
  /** The reader picked a gap: outline it on the map. */
  show(gap: { from: number; to: number }): void;
}

export class GapList {
  private readonly summary: HTMLElement;
  private readonly items: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly defaultNote: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  /** The reader unfolded a long list. */
  private expanded = false;
  private last: { report: GapReport; event: string; t0: number; custom: boolean } | null = null;

  constructor(
    root: HTMLElement,
    private readonly callbacks: GapListCallbacks,
  ) {
    this.summary = root.querySelector<HTMLElement>('.gap-summary')!;
    this.items = root.querySelector<HTMLElement>('.gap-items')!;
    this.input = root.querySelector<HTMLInputElement>('#gap-threshold')!;
    this.defaultNote = root.querySelector<HTMLElement>('.gap-default')!;
    this.toggle = root.querySelector<HTMLButtonElement>('.gap-toggle')!;
    this.toggle.addEventListener('click', () => {
      this.expanded = !this.expanded;
      if (this.last !== null) this.show(this.last.report, this.last.event, this.last.t0, this.last.custom);
    });
    this.input.addEventListener('change', () => {
      const text = this.input.value.trim();
      const value = Number(text);
      if (text === '') this.callbacks.threshold(null);
      else if (Number.isFinite(value) && value > 0 && value < 1e7) this.callbacks.threshold(Math.round(value * NS_PER_SECOND));
      else this.input.classList.add('invalid');
    });
    this.input.addEventListener('input', () => this.input.classList.remove('invalid'));
    // Esc in the box leaves it (and never clears the selection).
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.input.blur();
      }
    });
    this.items.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('[data-from]');
      if (item !== null) this.callbacks.show({ from: Number(item.dataset.from), to: Number(item.dataset.to) });
    });
  }

  /** Lists the gaps of the event shown; `custom`: the threshold is the reader's, not 5× the median. */
  show(report: GapReport, event: string, t0: number, custom: boolean): void {
    this.last = { report, event, t0, custom };
    const { gaps, medianNs, thresholdNs } = report;
    // A threshold the reader typed asks for the list; the default's long list waits for a click.
    const folded = !custom && gaps.length > GAPS_OPEN && !this.expanded;
    this.toggle.hidden = custom || gaps.length <= GAPS_OPEN;
    this.toggle.textContent = folded ? 'list them' : 'hide the list';
    this.toggle.setAttribute('aria-expanded', String(!folded));
    this.input.placeholder = custom || thresholdNs <= 0 ? '' : String(Number((thresholdNs / NS_PER_SECOND).toPrecision(3)));
    if (!custom) this.input.value = '';
    else if (document.activeElement !== this.input) this.input.value = String(thresholdNs / NS_PER_SECOND);
    this.defaultNote.textContent =
      medianNs > 0 ? `(default: 5× the median interval, ${formatSpan(medianNs)})` : '(too few samples for a median interval)';
    const longest = gaps.reduce((a, g) => (a === null || g.to - g.from > a.to - a.from ? g : a), null as (typeof gaps)[number] | null);
    this.summary.textContent =
      gaps.length === 0
        ? `No gaps in ${event}.`
        : `${gaps.length.toLocaleString('en-US')} ${gaps.length === 1 ? 'gap' : 'gaps'} in ${event}` +
          (gaps.length > 1 && longest !== null ? `, the longest ${formatSpan(longest.to - longest.from)} at ${seconds(longest.from)} s` : '') +
          (folded ? '.' : ':');
    this.items.textContent = '';
    for (const gap of folded ? [] : gaps.slice(0, GAPS_LISTED)) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'gap';
      button.dataset.from = String(gap.from);
      button.dataset.to = String(gap.to);
      button.textContent = describeGap(gap);
      button.title = 'Show it on the heat map';
      const clock = document.createElement('span');
      clock.className = 'gap-clock';
      clock.textContent = `file time ${fileClockGap(gap, t0)}`;
      item.append(button, clock);
      this.items.append(item);
    }
    if (!folded && gaps.length > GAPS_LISTED) {
      const more = document.createElement('li');
      more.className = 'gap-more';
      more.textContent = `… and ${(gaps.length - GAPS_LISTED).toLocaleString('en-US')} more: raise the threshold to see the longest.`;
      this.items.append(more);
    }
    this.items.hidden = gaps.length === 0 || folded;
  }
}
