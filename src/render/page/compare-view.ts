// The flame graph's "compare" bar (issue 8): the visible way to set a baseline ("Compare with…" then a range on
// the heat map, the same as Shift+drag), "Compare with the rest of the profile" in one click, what is compared
// with what, the "elided" and "swap" switches, and "Clear baseline". It holds no state of its own: the report's
// ViewState does (the permalink carries it); this only shows it and reports clicks.
import type { FlameNode } from '../../flamegraph/tree';
import { changeColor, changeOfShare, type ComparedNode, type Comparison, formatShareChange, weightChange } from './compare';
import type { Baseline } from './state';
import { describeRange } from './state';

export interface CompareState {
  baseline: Baseline | null;
  swap: boolean;
  elided: boolean;
}

export interface CompareBarCallbacks {
  /** "Compare with…": the next range made on the heat map is the baseline. */
  arm(): void;
  /** "Compare with the rest of the profile". */
  rest(): void;
  /** "Clear baseline". */
  clear(): void;
  /** The elided or swap switch changed. */
  switched(swap: boolean, elided: boolean): void;
  /** Esc on the bar: cancels a pending "Compare with…", else removes the baseline. */
  escape(): unknown;
}

export class CompareBar {
  private readonly withButton: HTMLButtonElement;
  private readonly restButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly switches: HTMLElement;
  private readonly swapBox: HTMLInputElement;
  private readonly elidedBox: HTMLInputElement;

  constructor(
    private readonly root: HTMLElement,
    callbacks: CompareBarCallbacks,
  ) {
    const $ = <T extends HTMLElement>(selector: string): T => root.querySelector<T>(selector)!;
    this.withButton = $('#compare-with');
    this.restButton = $('#compare-rest');
    this.clearButton = $('#compare-clear');
    this.status = $('#compare-status');
    this.switches = $('.compare-switches');
    this.swapBox = $('#compare-swap');
    this.elidedBox = $('#compare-elided');
    this.withButton.addEventListener('click', () => callbacks.arm());
    // The buttons keep the focus after a click, where the page's own Esc does not reach.
    root.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      callbacks.escape();
    });
    this.restButton.addEventListener('click', () => callbacks.rest());
    this.clearButton.addEventListener('click', () => callbacks.clear());
    const switched = (): void => callbacks.switched(this.swapBox.checked, this.elidedBox.checked);
    this.swapBox.addEventListener('change', switched);
    this.elidedBox.addEventListener('change', switched);
  }

  /** Says that the next range made on the heat map is the baseline (or no longer). */
  armed(on: boolean): void {
    this.withButton.setAttribute('aria-pressed', String(on));
    if (on) this.status.textContent = 'Now drag the baseline range on the heat map (Esc cancels).';
    else if (!this.root.classList.contains('comparing')) this.status.textContent = '';
  }

  /**
   * Shows the state: with a baseline, what is compared with what (`sides`) and the switches; without one, the
   * two ways to set it ("the rest" needs a selection to be the rest of).
   */
  show(state: CompareState, hasSelection: boolean, sides: string): void {
    const comparing = state.baseline !== null;
    this.root.classList.toggle('comparing', comparing);
    this.restButton.disabled = !hasSelection || state.baseline === 'rest';
    this.restButton.title = hasSelection ? 'The selection against every sample outside it' : 'Select a range first: it is compared with the rest';
    this.clearButton.hidden = !comparing;
    this.switches.hidden = !comparing;
    this.swapBox.checked = state.swap;
    this.elidedBox.checked = state.elided;
    this.status.textContent = comparing ? sides : '';
  }
}

/** `baseline 3–3.2 s (200 ms)` or `baseline: the rest of the profile`, as the bar names it. */
export function describeBaseline(baseline: Baseline): string {
  return baseline === 'rest' ? 'the rest of the profile' : describeRange(baseline);
}

/** A differential graph as Export SVG draws it: each frame's change colour and a tooltip like the page's. */
export class DrawnComparison {
  constructor(
    private readonly c: Comparison,
    /** A weight with its unit (`12 samples`, `4,096 words`). */
    private readonly amount: (v: number) => string,
    private readonly swapped: boolean,
    /** Sample counts are whole: the change is rounded (a metric's is not). */
    private readonly whole: boolean,
  ) {}

  svgFrames(): { fill: (node: FlameNode) => string; tip: (node: FlameNode) => string } {
    const c = this.c;
    const [target, base] = this.swapped ? ['baseline', 'selection'] : ['selection', 'baseline'];
    const share = (v: number, total: number): string => `${total > 0 ? ((100 * v) / total).toFixed(2) : '0.00'}%`;
    return {
      fill: (node) => changeColor(changeOfShare(node as ComparedNode, c.targetTotal, c.baseTotal, c.elided), c.maxDelta),
      tip: (node) => {
        const n = node as ComparedNode;
        const w = weightChange(n, c.targetTotal, c.baseTotal, c.elided);
        const weight = this.amount(Math.abs(this.whole ? Math.round(w) : w));
        const change = `${formatShareChange(changeOfShare(n, c.targetTotal, c.baseTotal, c.elided))} (${w < 0 ? '−' : w > 0 ? '+' : ''}${weight})`;
        return `${n.name} (${change}; ${target} ${share(n.target, c.targetTotal)}, ${base} ${share(n.base, c.baseTotal)})`;
      },
    };
  }
}
