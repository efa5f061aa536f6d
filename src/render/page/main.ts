// The report page: decodes the embedded profile and wires heat map → selection → flame graph.
// Automation API: `window.flamescope.ready` and `window.flamescope.select(from, to)`.
import { inflateRaw } from 'pako';
import { collapse, foldedText } from '../../flamegraph/collapse';
import { DEFAULT_NAMES, DISPLAY_NAMES, FrameNames } from '../../flamegraph/names';
import type { FlameNode } from '../../flamegraph/tree';
import { TreeCache } from '../../flamegraph/tree-cache';
import { buildHeatmap, type HeatmapGrid } from '../../heatmap/grid';
import { chooseEvent, eventCounts, type IdleMode, type TimeRange, type WeightMode } from '../../heatmap/range';
import type { Profile } from '../../parse/profile';
import { resolveWeights, type Weights } from '../../model/metrics';
import { renderFlameSvg } from '../flame-svg';
import { FLAME_SVG_SCRIPT } from '../inline-scripts';
import { decodeProfile } from '../profile-codec';
import { FlameView } from './flame-view';
import { HeatmapView } from './heatmap-view';
import { describeRange, formatHash, parseHash, type Permalink, secondsToNs } from './state';

/** Options the CLI writes into the page. */
export interface PageOptions {
  title: string;
  rows: number;
  event: string | null;
  idle: IdleMode;
  select: { from: string; to: string } | null;
}

/** Everything the reader sees that a link must reproduce (see `Permalink` for how each travels). */
interface ViewState {
  event: number;
  rows: number;
  idle: IdleMode;
  weight: WeightMode;
  range: TimeRange | null;
  search: string;
  /** The search ignores case (FlameView's "ignore case" toggle). */
  caseInsensitive: boolean;
  zoom: string[];
  inverted: boolean;
  /** The heat map's enhanced contrast (HeatmapView's "enhance" toggle). */
  enhance: boolean;
}

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

async function inflate(base64: string): Promise<Uint8Array> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (typeof DecompressionStream === 'function') {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return inflateRaw(bytes);
}

class Report {
  private grid: HeatmapGrid | null = null;
  private tree!: FlameNode;
  private readonly trees: TreeCache;
  /** Whether any sample is the kernel idle loop (else "hide idle" changes nothing worth building ahead). */
  private readonly hasIdle: boolean;
  private prefetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Null for a profile without timestamps: no heat map, no time range, the whole profile's flame graph. */
  private readonly heatmap: HeatmapView | null;
  readonly flame: FlameView;

  constructor(
    private readonly profile: Profile,
    /** What a link that leaves a field out means: the file's own options. */
    private readonly defaults: ViewState,
    private readonly state: ViewState,
  ) {
    this.trees = new TreeCache(profile, new FrameNames(profile, DISPLAY_NAMES));
    this.hasIdle = profile.idle.includes(1);
    this.heatmap = profile.hasTime
      ? new HeatmapView($('#heatmap'), {
          select: (range) => this.select(range),
          viewChanged: () => {
            this.state.enhance = this.heatmap?.enhance ?? false;
            this.writeHash('replace');
          },
        })
      : null;
    this.flame = new FlameView($('#flamegraph'), {
      zoomed: (names) => {
        this.state.zoom = names;
        this.writeHash('replace');
      },
      searched: (text, ignoreCase) => {
        this.state.search = text;
        this.state.caseInsensitive = ignoreCase;
        this.writeHash('replace');
      },
    });
    this.controls();
    this.showState();
  }

  private controls(): void {
    const p = this.profile;
    const events = $<HTMLSelectElement>('#event');
    const counts = eventCounts(p, this.state.idle === 'drop');
    p.events.forEach((name, i) => events.add(new Option(`${name} (${counts[i]} samples)`, String(i))));
    $('#event-control').hidden = p.events.length < 2;
    events.addEventListener('change', () => {
      this.state.event = Number(events.value);
      this.redrawAll();
    });
    const rows = $<HTMLSelectElement>('#rows');
    for (const n of new Set([10, 25, 49, 50, 99, 100, this.defaults.rows])) rows.add(new Option(String(n), String(n)));
    rows.addEventListener('change', () => {
      this.state.rows = Number(rows.value);
      this.redrawHeatmap();
      this.writeHash('replace');
    });
    const idle = $<HTMLInputElement>('#idle');
    idle.addEventListener('change', () => {
      this.state.idle = idle.checked ? 'drop' : 'keep';
      this.redrawAll();
    });
    const weight = $<HTMLSelectElement>('#weight');
    $('#weight-control').hidden = !p.metrics.some((m) => m.name === 'period');
    weight.addEventListener('change', () => {
      this.state.weight = weight.value as WeightMode;
      this.redrawAll();
    });
    const search = $<HTMLInputElement>('#search');
    window.addEventListener('keydown', (e) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && document.activeElement !== search)) {
        e.preventDefault();
        search.focus();
      }
    });
    $('#whole').hidden = !p.hasTime;
    $('#whole').addEventListener('click', () => this.heatmap?.clear());
    $('#reset-zoom').addEventListener('click', () => this.flame.resetZoom());
    const orientation = $<HTMLInputElement>('#icicle');
    orientation.addEventListener('change', () => {
      this.state.inverted = orientation.checked;
      this.flame.setInverted(orientation.checked);
      this.writeHash('replace');
    });
    $('#export-svg').addEventListener('click', () => this.download('svg'));
    $('#export-folded').addEventListener('click', () => this.download('folded'));
    // Back and Forward between this page's entries fire popstate (and hashchange, as the fragment differs); a
    // link edited in the address bar fires hashchange. Following the same state twice changes nothing.
    window.addEventListener('popstate', () => this.followLink(location.hash));
    window.addEventListener('hashchange', () => this.followLink(location.hash));
  }

  /** Sets the controls to the state (after a link was opened or followed). */
  private showState(): void {
    const s = this.state;
    $<HTMLSelectElement>('#event').value = String(s.event);
    const rows = $<HTMLSelectElement>('#rows');
    if (![...rows.options].some((o) => o.value === String(s.rows))) rows.add(new Option(String(s.rows), String(s.rows)));
    rows.value = String(s.rows);
    $<HTMLInputElement>('#idle').checked = s.idle === 'drop';
    $<HTMLSelectElement>('#weight').value = s.weight;
    this.flame.setSearch(s.search, s.caseInsensitive);
    $<HTMLInputElement>('#icicle').checked = s.inverted;
    this.flame.setInverted(s.inverted);
    if (this.heatmap !== null) this.heatmap.enhance = s.enhance;
  }

  /** Highlights the search's matches. */
  showSearch(): void {
    this.flame.setSearch(this.state.search, this.state.caseInsensitive);
  }

  /** Applies a link's state (the address changed under the page), redrawing only what it changes; never pushes. */
  private followLink(hash: string): void {
    const next = stateFromLink(this.profile, this.defaults, parseHash(hash));
    const s = this.state;
    const heatmapChanged = next.event !== s.event || next.rows !== s.rows || next.idle !== s.idle || next.weight !== s.weight;
    const flameChanged =
      heatmapChanged || !sameRange(next.range, s.range) || next.zoom.length !== s.zoom.length || next.zoom.some((n, i) => n !== s.zoom[i]);
    const searchChanged = next.search !== s.search || next.caseInsensitive !== s.caseInsensitive;
    Object.assign(s, next);
    this.showState();
    if (heatmapChanged) this.redrawHeatmap();
    else this.heatmap?.setSelection(s.range);
    if (flameChanged) this.redrawFlame();
    if (searchChanged) this.showSearch();
    // Junk in the fragment was ignored: show the link that describes what the page now shows.
    this.writeHash('replace');
  }

  /** After a change of event, idle or weight: both views change, the selection stays. */
  /** What a sample weighs in the views, under the current event and metric. */
  private weights(): Weights {
    return resolveWeights(this.profile, this.state.weight, this.state.event);
  }

  private redrawAll(): void {
    this.redrawHeatmap();
    this.redrawFlame();
    this.writeHash('replace');
  }

  redrawHeatmap(): void {
    const s = this.state;
    if (this.heatmap === null) return;
    this.grid = buildHeatmap(this.profile, { event: s.event, idle: s.idle, rows: s.rows, weights: this.weights() });
    this.heatmap.setGrid(this.grid);
    this.heatmap.setSelection(s.range);
  }

  /** Rebuilds the flame graph of the current selection. */
  redrawFlame(): { samples: number; value: number } {
    const s = this.state;
    const { tree, samples } = this.trees.get({ event: s.event, idle: s.idle, range: s.range }, this.weights());
    this.tree = tree;
    const unit = this.weights().unit;
    this.flame.setTree(this.tree, unit, s.zoom);
    $('#selection').textContent =
      s.range === null
        ? `Whole profile: ${samples.toLocaleString('en-US')} samples`
        : `${describeRange(s.range)}: ${samples.toLocaleString('en-US')} samples`;
    this.prefetchIdleToggle();
    return { samples, value: this.tree.value };
  }

  /**
   * Builds, once the page is quiet, the tree "hide idle" would show next, so that the toggle is a cache hit (on
   * 200,000 distinct stacks a tree takes tens of ms to build; the cache holds a few).
   */
  private prefetchIdleToggle(): void {
    clearTimeout(this.prefetchTimer);
    if (!this.hasIdle) return;
    this.prefetchTimer = setTimeout(() => {
      const s = this.state;
      const other = { event: s.event, idle: s.idle === 'drop' ? ('keep' as const) : ('drop' as const), range: s.range };
      if (!this.trees.has(other, this.weights())) this.trees.get(other, this.weights());
      // The view on screen stays the most recently used entry.
      this.trees.get({ event: s.event, idle: s.idle, range: s.range }, this.weights());
    }, 250);
  }

  /** A new selection made on the heat map (drag, clicks, keyboard, Esc, "Whole profile"): Back undoes it. */
  private select(range: TimeRange | null): void {
    this.state.range = range;
    this.state.zoom = [];
    this.redrawFlame();
    this.writeHash('push');
    this.flame.reveal();
  }

  /** A new selection from the automation API: as one made by hand, Back undoes it. */
  applyRange(range: TimeRange | null): { samples: number; value: number } {
    if (this.heatmap === null) range = null;
    this.heatmap?.setSelection(range);
    this.state.range = range;
    this.state.zoom = [];
    const shown = this.redrawFlame();
    this.writeHash('push');
    this.flame.reveal();
    return shown;
  }

  /** The link to what the page shows: fields equal to the file's defaults are left out. */
  private link(): Permalink {
    const s = this.state;
    const d = this.defaults;
    const link: Permalink = { range: s.range, search: s.search, zoom: s.zoom };
    if (s.event !== d.event) link.event = this.profile.events[s.event]!;
    if (s.rows !== d.rows) link.rows = s.rows;
    if (s.weight !== d.weight) link.weight = s.weight;
    if (s.idle !== d.idle) link.idle = s.idle;
    if (s.caseInsensitive) link.caseInsensitive = true;
    if (s.inverted) link.icicle = true;
    if (s.enhance) link.enhance = true;
    // A report made with --select opens on that range: "Whole profile" must say so to reproduce what was seen.
    if (s.range === null && d.range !== null) link.whole = true;
    return link;
  }

  /**
   * Writes the link into the address: a new selection pushes a history entry (Back restores the previous one),
   * any other change replaces the current entry, so that Back is not a list of keystrokes and zoom clicks.
   */
  writeHash(how: 'push' | 'replace'): void {
    const hash = formatHash(this.link());
    if (hash === location.hash || (hash === '' && location.hash === '')) return;
    const url = hash === '' ? location.pathname + location.search : hash;
    try {
      if (how === 'push') history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    } catch {
      // Safari refuses more than 100 history changes in 30 s: the link then lags, the page keeps working.
    }
  }

  private download(kind: 'svg' | 'folded'): void {
    const s = this.state;
    const selection = { event: s.event, idle: s.idle, range: s.range };
    const base = (this.profile.source.split('/').pop() ?? 'profile').replace(/(\.txt)?(\.gz)?$/, '');
    let text: string;
    let type: string;
    if (kind === 'svg') {
      text = renderFlameSvg(this.tree, {
        title: $('#title').textContent ?? 'Flame Graph',
        subtitle: $('#selection').textContent ?? '',
        width: 1200,
        inverted: s.inverted,
        minWidth: 0.1,
        palette: 'hot',
        unit: this.weights().unit,
        script: FLAME_SVG_SCRIPT,
      });
      type = 'image/svg+xml';
    } else {
      const lines = collapse(this.profile, selection, { root: 'comm', ...DEFAULT_NAMES, weights: this.weights() });
      text = foldedText(lines);
      type = 'text/plain';
    }
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${base}.${kind === 'svg' ? 'svg' : 'folded.txt'}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** Whether two selections are the same range (or both the whole profile). */
function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);
}

/** The state a link describes; what it leaves out, or names wrongly (an event this file lacks), is the default. */
function stateFromLink(profile: Profile, defaults: ViewState, link: Permalink): ViewState {
  const event = link.event === undefined ? -1 : profile.events.indexOf(link.event);
  return {
    event: event >= 0 ? event : defaults.event,
    rows: link.rows ?? defaults.rows,
    idle: link.idle ?? defaults.idle,
    // Without periods every sample weighs 1: "period" would show the same numbers under a misleading name.
    weight: profile.metrics.some((m) => m.name === 'period') ? (link.weight ?? defaults.weight) : 'samples',
    // No range in the link: the report's initial selection (`--select`), unless the link says `whole=1`.
    range: profile.hasTime ? (link.range ?? (link.whole === true ? null : defaults.range)) : null,
    search: link.search,
    caseInsensitive: link.caseInsensitive ?? defaults.caseInsensitive,
    zoom: link.zoom,
    inverted: link.icicle ?? defaults.inverted,
    enhance: link.enhance ?? defaults.enhance,
  };
}

async function start(): Promise<Report> {
  const options = JSON.parse($('#flamescope-options').textContent!) as PageOptions;
  const profile = decodeProfile(await inflate($('#flamescope-data').textContent!.trim()));
  const idle = options.idle;
  let event = chooseEvent(profile, undefined, idle === 'drop');
  if (options.event !== null && profile.events.includes(options.event)) event = profile.events.indexOf(options.event);
  const defaults: ViewState = {
    event,
    rows: options.rows,
    idle,
    weight: 'samples',
    range: options.select === null ? null : parseHash(`from=${options.select.from}&to=${options.select.to}`).range,
    search: '',
    caseInsensitive: false,
    zoom: [],
    inverted: false,
    enhance: false,
  };
  const link = parseHash(location.hash);
  const state = stateFromLink(profile, defaults, link);
  const report = new Report(profile, defaults, state);
  report.redrawHeatmap();
  report.redrawFlame();
  report.writeHash('replace');
  return report;
}

/** Waits for the browser to paint what was just drawn. */
const painted = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

const ready = start().then(async (report) => {
  await painted();
  document.body.classList.add('ready');
  // A search from the link starts only now, after the first paint, and runs in a worker: never in the way.
  setTimeout(() => report.flame.startSearching(), 0);
  return report;
});
ready.catch((e: unknown) => {
  const box = $('#error');
  box.hidden = false;
  box.textContent = `This report could not be opened: ${(e as Error).message}`;
});

declare global {
  interface Window {
    flamescope: { ready: Promise<void>; select(from: number | null, to: number | null): Promise<{ samples: number; value: number }> };
  }
}

window.flamescope = {
  ready: ready.then(() => undefined),
  /** Selects [from, to) seconds since t0 (null, null: the whole profile); resolves once the flame graph is drawn. */
  async select(from, to) {
    const report = await ready;
    const range = from === null || to === null ? null : { start: secondsToNs(from), end: secondsToNs(to) };
    const result = report.applyRange(range);
    await painted();
    return result;
  },
};
