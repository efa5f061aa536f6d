// The report's function table: the functions of the flame graph shown (the selection under the filters), with
// self and total weight and shares (query/functions), sortable by column and filtered by a plain substring of
// the name (never a regex: a user's regex runs only in the search worker). A click on a row asks the page to
// highlight the function in the flame graph and open its sandwich.
// Names are profile text: they reach the page only through textContent.
import { type FunctionRow, type FunctionSort, type FunctionTable, NO_FRAMES, sortFunctions } from '../../query/functions';
import { percent } from '../flame-layout';

/** Rows drawn: the table answers "where does the time go"; the filter box finds any other. */
export const FUNCTION_ROWS = 100;

export interface FunctionViewCallbacks {
  /** A row was picked (null: unpicked). */
  pick(name: string | null): void;
  /** The reader sorted by another column. */
  sorted(by: FunctionSort): void;
}

const COLUMNS: { label: string; sort: FunctionSort | null; title: string }[] = [
  { label: 'self', sort: 'self', title: 'Weight of the samples whose stack ends in the function (sort by it)' },
  { label: 'self %', sort: null, title: "Self as a share of the flame graph's total" },
  { label: 'total', sort: 'total', title: 'Weight of the samples whose stack holds the function, each sample once however often it recurs (sort by it)' },
  { label: 'total %', sort: null, title: "Total as a share of the flame graph's total" },
  { label: 'function', sort: 'name', title: 'Sort by name' },
];

export class FunctionView {
  private readonly summary: HTMLElement;
  private readonly filterBox: HTMLInputElement;
  private readonly body: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private readonly more: HTMLElement;
  private table: FunctionTable | null = null;
  private sortBy: FunctionSort = 'self';
  private sortedRows: FunctionRow[] = [];
  private visible: FunctionRow[] = [];
  private picked: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly callbacks: FunctionViewCallbacks,
    /** A weight with its unit (`1,234 samples`), and as a table cell says it (`1,234`: the unit is in the header). */
    private readonly amount: (v: number) => string,
    private readonly cell: (v: number) => string,
  ) {
    this.summary = root.querySelector<HTMLElement>('.fn-summary')!;
    this.filterBox = root.querySelector<HTMLInputElement>('.fn-filter')!;
    this.more = root.querySelector<HTMLElement>('.fn-more')!;
    const table = root.querySelector<HTMLTableElement>('.fn-table')!;
    this.head = table.createTHead().insertRow();
    this.body = table.createTBody();
    for (const column of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.title = column.title;
      if (column.sort === null) th.textContent = column.label;
      else {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'fn-sort';
        button.dataset.sort = column.sort;
        button.textContent = column.label;
        button.addEventListener('click', () => {
          this.sort(column.sort!);
          this.callbacks.sorted(column.sort!);
        });
        th.append(button);
      }
      if (column.sort === 'name') th.className = 'fn-name';
      this.head.append(th);
    }
    this.filterBox.addEventListener('input', () => this.render());
    this.filterBox.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.filterBox.value !== '') {
        e.stopPropagation();
        this.filterBox.value = '';
        this.render();
      }
    });
  }

  /** Every row, in the order shown (sorted, not filtered). */
  get rows(): readonly FunctionRow[] {
    return this.sortedRows;
  }

  /** The rows drawn (sorted, filtered, the first FUNCTION_ROWS). */
  get shownRows(): readonly FunctionRow[] {
    return this.visible;
  }

  get sortedBy(): FunctionSort {
    return this.sortBy;
  }

  /** Shows the table of a selection (`what` names it, `unit` is what the weights count), or why there is none. */
  show(table: FunctionTable | null, what: string, unit: string): void {
    this.table = table;
    for (const th of this.head.cells) {
      const button = th.querySelector<HTMLElement>('.fn-sort');
      if (button?.dataset.sort === 'self' || button?.dataset.sort === 'total') button.textContent = `${button.dataset.sort} (${unit})`;
    }
    // The table comes sorted by self (a sort of 200,000 rows is tens of ms): sort again only for another order.
    this.sortedRows = table === null ? [] : this.sortBy === 'self' ? table.rows : sortFunctions(table.rows, this.sortBy);
    if (table === null) this.summary.textContent = what;
    else this.summary.textContent = `${what}: ${table.rows.length.toLocaleString('en-US')} functions, ${this.amount(table.total)}`;
    this.render();
  }

  sort(by: FunctionSort): void {
    if (by === this.sortBy && this.table !== null) return;
    this.sortBy = by;
    if (this.table !== null) this.sortedRows = sortFunctions(this.table.rows, by);
    this.render();
  }

  /** Marks a function's row as picked (null: none), without telling the page. */
  mark(name: string | null): void {
    this.picked = name;
    for (const tr of this.body.rows) tr.classList.toggle('picked', tr.dataset.name === name);
  }

  /** Sets the filter box (automation, tests) and redraws. */
  filter(text: string): void {
    this.filterBox.value = text;
    this.render();
  }

  private render(): void {
    for (const button of this.head.querySelectorAll<HTMLButtonElement>('.fn-sort')) {
      const on = button.dataset.sort === this.sortBy;
      button.classList.toggle('active', on);
      button.parentElement!.setAttribute('aria-sort', on ? (this.sortBy === 'name' ? 'ascending' : 'descending') : 'none');
    }
    const needle = this.filterBox.value.toLowerCase();
    const matching = needle === '' ? this.sortedRows : this.sortedRows.filter((r) => r.name.toLowerCase().includes(needle));
    this.visible = matching.slice(0, FUNCTION_ROWS);
    const total = this.table?.total ?? 0;
    const rows = this.visible.map((row) => {
      const tr = document.createElement('tr');
      tr.className = row.name === this.picked ? 'fn-row picked' : 'fn-row';
      tr.dataset.name = row.name;
      tr.tabIndex = 0;
      const cells = [this.cell(row.self), percent(row.self, total), this.cell(row.total), percent(row.total, total), row.name];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i === 4) {
          td.className = row.name === NO_FRAMES ? 'fn-name fn-none' : 'fn-name';
          td.title = row.name === NO_FRAMES ? 'Samples without a frame the flame graph shows (no stack): the self width of their thread' : row.name;
        }
        tr.append(td);
      });
      const pick = (): void => {
        const next = this.picked === row.name ? null : row.name;
        this.mark(next);
        this.callbacks.pick(next);
      };
      tr.addEventListener('click', pick);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          pick();
        }
      });
      return tr;
    });
    this.body.replaceChildren(...rows);
    const hidden = matching.length - this.visible.length;
    const filtered = needle === '' ? '' : `${matching.length.toLocaleString('en-US')} of ${this.sortedRows.length.toLocaleString('en-US')} functions match. `;
    this.more.textContent =
      this.table === null ? '' : `${filtered}${hidden > 0 ? `${hidden.toLocaleString('en-US')} more not shown: type in the filter box to find one. ` : ''}${matching.length === 0 ? 'No function matches.' : ''}`;
  }
}
