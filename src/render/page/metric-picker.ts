// The metric selector: a filterable list (a combobox), so that one of flame_prof's 33 series is a few keystrokes
// away and only one heat map is ever drawn. Focus the box (or press ↓), type words of the name or its unit
// (`vheap delta`, `words`), move with the arrows, Enter picks, Esc leaves the metric as it was. The list is
// built with textContent only: metric names come from the profile.

/** One metric the list offers, for the event shown. */
export interface MetricChoice {
  /** `samples`, `period`, `erlang_bin_vheap_size_delta`. */
  name: string;
  /** `samples`, `ns`, `words`, … ('' when not known). */
  unit: string;
  /** Samples of the event that carry it (the event's samples for `samples`). */
  carried: number;
  /** Samples of the event. */
  of: number;
}

/**
 * The choices a query keeps, in list order: those with every word of the query (case-insensitive, `_` and `:`
 * counting as spaces) somewhere in their name or unit. An empty query keeps all.
 */
export function filterMetrics(choices: readonly MetricChoice[], query: string): MetricChoice[] {
  const words = loose(query).split(' ').filter((w) => w !== '');
  if (words.length === 0) return [...choices];
  return choices.filter((c) => {
    const text = loose(`${c.name} ${c.unit}`);
    return words.every((w) => text.includes(w));
  });
}

function loose(text: string): string {
  return text.toLowerCase().replace(/[_:]+/g, ' ');
}

export class MetricPicker {
  private choices: MetricChoice[] = [];
  private shown: MetricChoice[] = [];
  private current = 'samples';
  private active = -1;
  private open = false;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLElement,
    private readonly pick: (name: string) => void,
  ) {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    list.setAttribute('role', 'listbox');
    input.addEventListener('focus', () => {
      this.show('');
      input.select();
    });
    // A click on the box that already has focus opens the list again.
    input.addEventListener('mousedown', () => {
      if (document.activeElement === input && !this.open) this.show('');
    });
    input.addEventListener('input', () => this.show(input.value));
    input.addEventListener('blur', () => this.close());
    input.addEventListener('keydown', (e) => this.key(e));
    // Keep the focus in the box while an option is clicked, so the click picks rather than blurs.
    list.addEventListener('mousedown', (e) => e.preventDefault());
    list.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (item !== null) this.choose(this.shown[Number(item.dataset.index)]!);
    });
  }

  /** The metrics to offer (for the event shown) and the one shown. */
  setChoices(choices: MetricChoice[], current: string): void {
    this.choices = choices;
    this.value = current;
    if (this.open) this.show(this.input.value);
  }

  get value(): string {
    return this.current;
  }

  set value(name: string) {
    this.current = name;
    if (!this.open) this.input.value = name;
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.open) return this.show('');
      if (this.shown.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.activate((this.active + step + this.shown.length) % this.shown.length);
    } else if ((e.key === 'PageDown' || e.key === 'PageUp') && this.open && this.shown.length > 0) {
      e.preventDefault();
      const step = e.key === 'PageDown' ? 8 : -8;
      this.activate(Math.max(0, Math.min(this.shown.length - 1, this.active + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const choice = this.shown[this.active];
      if (this.open && choice !== undefined) this.choose(choice);
      else if (!this.open) this.show('');
    } else if (e.key === 'Escape') {
      // Esc here closes the list (or leaves the box) and goes no further: it never clears the selection.
      e.preventDefault();
      e.stopPropagation();
      if (this.open) this.close();
      else this.input.blur();
    }
  }

  private choose(choice: MetricChoice): void {
    const changed = choice.name !== this.current;
    this.current = choice.name;
    this.close();
    this.input.select();
    if (changed) this.pick(choice.name);
  }

  /** Opens the list filtered by `query`, the current metric (or the first match) active. */
  private show(query: string): void {
    this.open = true;
    this.input.setAttribute('aria-expanded', 'true');
    this.shown = filterMetrics(this.choices, query);
    const list = this.list;
    list.textContent = '';
    const head = document.createElement('li');
    head.className = 'mp-head';
    head.setAttribute('role', 'presentation');
    head.textContent =
      query.trim() === ''
        ? `${this.choices.length} metrics: type to filter, ↑↓ and Enter to pick`
        : `${this.shown.length} of ${this.choices.length} metrics match`;
    list.append(head);
    this.shown.forEach((c, i) => {
      const item = document.createElement('li');
      item.id = `${list.id}-${i}`;
      item.dataset.index = String(i);
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', String(c.name === this.current));
      const name = document.createElement('span');
      name.className = 'mp-name';
      name.textContent = c.name;
      const unit = document.createElement('span');
      unit.className = 'mp-unit';
      unit.textContent = c.unit === '' || c.unit === c.name ? '' : c.unit;
      item.append(name, unit);
      if (c.carried < c.of) {
        const note = document.createElement('span');
        note.className = 'mp-note';
        note.textContent = c.carried === 0 ? 'not on this event' : `${c.carried.toLocaleString('en-US')} of ${c.of.toLocaleString('en-US')} samples`;
        item.append(note);
        if (c.carried === 0) item.classList.add('mp-absent');
      }
      list.append(item);
    });
    list.hidden = false;
    const at = this.shown.findIndex((c) => c.name === this.current);
    this.activate(query.trim() === '' && at >= 0 ? at : this.shown.length > 0 ? 0 : -1);
  }

  private activate(index: number): void {
    this.list.querySelector('.mp-active')?.classList.remove('mp-active');
    this.active = index;
    if (index < 0) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    const item = this.list.querySelector<HTMLElement>(`[data-index="${index}"]`)!;
    item.classList.add('mp-active');
    this.input.setAttribute('aria-activedescendant', item.id);
    // Scroll the list only (scrollIntoView would scroll the page too).
    const list = this.list;
    if (item.offsetTop < list.scrollTop) list.scrollTop = index === 0 ? 0 : item.offsetTop;
    else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
  }

  private close(): void {
    this.open = false;
    this.active = -1;
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.input.value = this.current;
  }
}
