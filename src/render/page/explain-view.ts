// The report's Explain panel: for the current selection against the rest of the profile, the frames, leaf
// frames and threads ranked by the weight they add (query/explain), with their significance; a click on a row
// asks the page to highlight the frame in the flame graph and paint where it recurs on the heat map.
// Names are profile text: they reach the page only through textContent.
import type { Explanation, ExplainRow } from '../../query/explain';

/** Rows shown per ranking: the panel answers "what is different", the CLI's JSON has them all. */
export const EXPLAIN_ROWS = 8;

export interface ExplainViewCallbacks {
  /** The reader picked a row (null: unpicked). */
  pick(row: ExplainRow | null): void;
}

const SECTIONS: { kind: ExplainRow['kind']; title: string }[] = [
  { kind: 'frame', title: 'Frames' },
  { kind: 'self', title: 'Self' },
  { kind: 'thread', title: 'Threads' },
];

const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

function qText(q: number | null): string {
  if (q === null) return '—';
  if (q === 0) return '<1e-300';
  return q < 0.001 ? q.toExponential(1) : q.toPrecision(2);
}

function ratioText(ratio: number): string {
  return ratio === Infinity ? 'new' : `${ratio >= 100 ? ratio.toFixed(0) : ratio.toPrecision(3)}×`;
}

function amount(v: number): string {
  return (Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3))).toLocaleString('en-US').replace(/^-/, '−');
}

export class ExplainView {
  private readonly summary: HTMLElement;
  private readonly tables: HTMLElement;
  private readonly note: HTMLElement;
  private readonly recur: HTMLElement;
  private picked: ExplainRow | null = null;
  private shownRows: ExplainRow[] = [];
  private readonly rowElements = new Map<ExplainRow, HTMLTableRowElement>();

  constructor(
    root: HTMLElement,
    private readonly callbacks: ExplainViewCallbacks,
  ) {
    this.summary = root.querySelector<HTMLElement>('.ex-summary')!;
    this.tables = root.querySelector<HTMLElement>('.ex-tables')!;
    this.note = root.querySelector<HTMLElement>('.ex-note')!;
    this.recur = root.querySelector<HTMLElement>('.ex-recur')!;
  }

  /** Says where the picked row recurs (or '' to say nothing). */
  showRecurrences(text: string): void {
    this.recur.textContent = text;
  }

  /** The rows on screen, each ranking in order (frames, self, threads). */
  get rows(): readonly ExplainRow[] {
    return this.shownRows;
  }

  get pickedRow(): ExplainRow | null {
    return this.picked;
  }

  /** Shows the ranking of a selection, or why there is none (`e` null: `why` says it). */
  show(e: Explanation | null, what: string): void {
    this.tables.replaceChildren();
    this.rowElements.clear();
    this.shownRows = [];
    this.picked = null;
    this.note.textContent = '';
    this.recur.textContent = '';
    if (e === null) {
      this.summary.textContent = what;
      return;
    }
    const significant = e.rows.filter((r) => r.significant).length;
    this.summary.textContent = `${what}: ${e.samples.toLocaleString('en-US')} samples against ${e.baselineSamples.toLocaleString('en-US')} in the rest of the profile. ${
      !e.tested ? `Nothing tested: ${e.untestedReason}.` : significant === 0 ? 'Nothing is significantly above the rest.' : `${significant} of ${e.rows.length} rows significantly above the rest.`
    }`;
    const weighs = e.metric === 'samples' ? 'samples' : `Σ|${e.metric}|, tested on sample counts`;
    this.note.textContent =
      `Ranked by excess (${weighs}): what the selection holds beyond the row's share of the rest. q: exact one-sided binomial test, ` +
      `Benjamini–Hochberg over ${e.tests} rows; significant at q ≤ ${e.alpha}. Click a row to find the frame in the flame graph and where it recurs on the heat map.`;
    for (const section of SECTIONS) {
      const rows = e.rows.filter((r) => r.kind === section.kind).slice(0, EXPLAIN_ROWS);
      if (rows.length === 0) continue;
      const table = document.createElement('table');
      table.className = `ex-table ex-${section.kind}`;
      const caption = table.createCaption();
      caption.textContent = section.title;
      const head = table.createTHead().insertRow();
      for (const label of ['name', 'selection', 'rest', 'ratio', 'excess', 'q']) {
        const th = document.createElement('th');
        th.textContent = label;
        th.scope = 'col';
        head.append(th);
      }
      const body = table.createTBody();
      for (const row of rows) {
        const tr = body.insertRow();
        tr.tabIndex = 0;
        tr.className = row.significant ? 'ex-row significant' : 'ex-row';
        tr.dataset.kind = row.kind;
        const cells = [row.name, PERCENT.format(row.share), PERCENT.format(row.baselineShare), ratioText(row.ratio), amount(row.excess), qText(row.q)];
        cells.forEach((text, i) => {
          const td = tr.insertCell();
          td.textContent = text;
          if (i === 0) {
            td.className = 'ex-name';
            td.title = row.name;
          }
        });
        tr.title = row.q === null ? 'not tested' : row.significant ? 'significant' : 'not significant';
        tr.addEventListener('click', () => this.pick(row));
        tr.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            this.pick(row);
          }
        });
        this.rowElements.set(row, tr);
        this.shownRows.push(row);
      }
      this.tables.append(table);
    }
  }

  /** Picks a row (again: unpicks it) and tells the page. */
  pick(row: ExplainRow | null): void {
    const next = row === this.picked ? null : row;
    this.rowElements.get(this.picked!)?.classList.remove('picked');
    this.picked = next;
    if (next !== null) this.rowElements.get(next)?.classList.add('picked');
    this.callbacks.pick(next);
  }
}
