// The report page: decodes the embedded profile and wires heat map → selection → flame graph, under one event
// and one metric chosen together (the metric list, rate, scale), with the gaps of the event listed.
// Automation API: `window.flamescope.ready`, `select(from, to)` and `metric(name, rate?)`.
import { inflateRaw } from 'pako';
import { foldedText, foldTree } from '../../flamegraph/collapse';
import { DISPLAY_NAMES, FrameNames, isCategoryFrame, mergeLine, type NameOptions } from '../../flamegraph/names';
import { DEFAULT_GROUPS, type FlameNode, formatGroups, type GroupLevel, netOf, parseGroups, samplesOf } from '../../flamegraph/tree';
import { TreeCache, type TreeShape } from '../../flamegraph/tree-cache';
import { buildHeatmap, type HeatmapGrid, rowStartNs } from '../../heatmap/grid';
import { chooseEvent, eventCounts, type IdleMode, NS_PER_SECOND, passesFilter, type SampleFilter, type SampleSelection, type TimeRange } from '../../heatmap/range';
import type { Profile } from '../../parse/profile';
import { findGaps, type GapReport } from '../../query/gaps';
import { compileFilter, exactPattern, type FilterSpec } from '../../query/filter';
import { isDelta, metricNames, metricUnit, resolveWeights, SAMPLES, type Weights } from '../../model/metrics';
import { renderFlameSvg } from '../flame-svg';
import { formatCellValue, formatSamples, type SignedScale, valueUnit } from '../heatmap-scale';
import { FLAME_SVG_SCRIPT } from '../inline-scripts';
import { decodeProfile } from '../profile-codec';
import { FlameView } from './flame-view';
import { GapList } from './gap-list';
import { HeatmapView } from './heatmap-view';
import { type MetricChoice, MetricPicker } from './metric-picker';
import { describeRange, formatHash, parseHash, type Permalink, secondsToNs } from './state';
// Comparing (issue 8): a baseline and the differential flame graph.
import { diffTrees } from '../../flamegraph/diff';
import { compareTrees } from './compare';
import { CompareBar, describeBaseline, DrawnComparison } from './compare-view';
import type { Baseline } from './state';
import { type CellScan, explain, type Explanation, type ExplainRow, findRecurrences, recurrenceText, scanCells } from '../../query/explain';
import { ExplainView } from './explain-view';
// ---- function table, sandwich, reversed graph (issue 9) ----
import { reverseTree } from '../../flamegraph/reverse';
import { type FunctionRow, type FunctionSort, type FunctionTable, functionTable, NO_FRAMES, sandwich, type Sandwich } from '../../query/functions';
import { FunctionView } from './function-view';
import { SandwichView } from './sandwich-view';
// ---- search that paints the heat map (issue 9) ----
import { matchedLine, matchedPart, samplesMatching, shownNames, withMatch } from '../../query/match';
import type { SearchState } from './flame-view';
import type { SearchMode } from './state';
// Who (issue 9): the breakdown panel, the "filtered to …" bar, the heat map's bands, who-filters in the link.
import { breakdown, type Breakdown, type BreakdownBy, breakdownUnavailable } from '../../query/breakdown';
import { selectSamples } from '../../heatmap/range';
import { idsOf } from '../../parse/profile';
import { BreakdownView, FilterBar, type ShownRow, type WhoChip } from './breakdown-view';
import { BAND_ROWS, BANDS, type Band, HeatmapBands } from './heatmap-bands';
import { intersectFilters, isChosen, isEveryone, partOfKind, sameSpec, setPart, toggleRow, WhoCompiler, type WhoPart, withoutPart } from './who';

/** Options the CLI writes into the page. */
export interface PageOptions {
  title: string;
  rows: number;
  event: string | null;
  idle: IdleMode;
  select: { from: string; to: string } | null;
  /** The metric shown first (`--metric`), per second when `rate`. */
  metric: string;
  rate: boolean;
  scale: SignedScale;
  /** The flame graph's levels, as `--group` takes them. */
  groups: string;
  hideCategories: boolean;
  mergeLines: boolean;
  /** Who the page opens filtered to (`report --comm/--exclude-comm/--pid/--tid/--cpu`); null: everyone. */
  who?: FilterSpec | null;
}

/** Everything the reader sees that a link must reproduce (see `Permalink` for how each travels). */
interface ViewState {
  event: number;
  rows: number;
  idle: IdleMode;
  /** `samples`, `period` or a metric of the profile. */
  metric: string;
  /** A delta metric per second (only for `*_delta` metrics). */
  rate: boolean;
  scale: SignedScale;
  groups: GroupLevel[];
  hideCategories: boolean;
  mergeLines: boolean;
  /** The gap threshold in ns; null: 5× the median interval. */
  gapThreshold: number | null;
  range: TimeRange | null;
  search: string;
  /** The search ignores case (FlameView's "ignore case" toggle). */
  caseInsensitive: boolean;
  zoom: string[];
  inverted: boolean;
  /** The heat map's enhanced contrast (HeatmapView's "enhance" toggle). */
  enhance: boolean;
  /** What the selection is compared with (a differential flame graph); null: a plain flame graph. */
  baseline: Baseline | null;
  /** The baseline drawn as the target and the selection as the baseline. */
  swap: boolean;
  /** The elided view: the baseline's frames absent from the selection. */
  elided: boolean;
  // ---- function table, sandwich, reversed graph (issue 9) ----
  /** The reversed (bottom-up) flame graph. */
  reverse: boolean;
  /** The function whose sandwich is open (null: none). */
  fn: string | null;
  /** The function table's order. */
  fnSort: FunctionSort;
  /** What the search does with matching stacks (issue 9): paint them on the heat map, keep only them, drop them. */
  mode: SearchMode;
  /** Who the views keep (issue 9), as the CLI's options say it; {}: everyone. */
  who: FilterSpec;
  /** The heat map's bands: one per busiest thread, process or CPU; null: none. */
  bands: BreakdownBy | null;
}

/** What the flame graph of the current selection shows, for the automation API. */
interface Shown {
  samples: number;
  /** Σ|w| (the sample count for samples). */
  value: number;
  /** Σw. */
  net: number;
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

/**
 * A panel's work (function table, breakdown, Explain) run after the views it follows are painted, never before
 * them: `frames` requestAnimationFrame callbacks (each runs just before a paint), then a timeout (after it). The
 * panels wait 1, 2 and 3 frames, so each is its own task in its own frame and input is handled between them. A
 * newer schedule replaces the pending one; `flush` runs it now (for the API).
 */
class PanelTask {
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private job: (() => void) | null = null;

  constructor(private readonly frames: number) {}

  schedule(job: () => void): void {
    this.cancel();
    this.job = job;
    const wait = (left: number): void => {
      this.frame = requestAnimationFrame(() => {
        if (left > 1) wait(left - 1);
        else this.timer = setTimeout(() => this.flush(), 0);
      });
    };
    wait(this.frames);
  }

  cancel(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.job = null;
  }

  flush(): void {
    const job = this.job;
    this.cancel();
    job?.();
  }
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
  private readonly picker: MetricPicker;
  private readonly gapList: GapList | null;
  /** The metric list of each event, made when the event is first shown. */
  private readonly choices = new Map<number, MetricChoice[]>();
  /** The gaps of the event shown, under the threshold shown. */
  private gaps: { event: number; threshold: number | null; report: GapReport } | null = null;
  private readonly presets: string[];
  private readonly compareBar: CompareBar;
  /** The differential graph on screen (its colours and tooltips for Export SVG), or null. */
  private comparison: DrawnComparison | null = null;
  /** What the last baseline change drew, for the automation API. */
  private lastShown: Shown | null = null;
  // ---- explain panel (issue 8) ----
  private readonly explainView: ExplainView | null;
  private explanation: Explanation | null = null;
  private readonly explainTask = new PanelTask(3);
  private cellScan: { key: string; scan: CellScan } | null = null;

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
          cellNote: profile.files.length > 1 ? (column, row, rows) => this.cellFiles(column, row, rows) : undefined,
          baseline: (range) => this.setBaseline(range),
          clearBaseline: () => this.setBaseline(null),
          baselineArmed: (armed) => this.compareBar.armed(armed),
          drawn: (geometry) => this.bandsView?.follow(geometry),
        })
      : null;
    this.gapList = profile.hasTime
      ? new GapList($('#heatmap .gaps'), {
          threshold: (ns) => {
            this.state.gapThreshold = ns;
            this.showGaps();
            this.writeHash('replace');
          },
          show: (gap) => this.heatmap?.markGap({ start: gap.from, end: gap.to + 1 }),
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
      searchAnswered: (answer) => this.searchAnswered(answer),
    });
    this.picker = new MetricPicker($<HTMLInputElement>('#metric'), $('#metric-list'), (name) => {
      this.state.metric = name;
      if (!isDelta(name)) this.state.rate = false;
      this.redrawAll();
    });
    this.explainView = profile.hasTime ? new ExplainView($('#explain'), { pick: (row) => this.explainPick(row) }) : null;
    this.presets = groupPresets(profile);
    this.compareBar = new CompareBar($('#compare'), {
      arm: () => this.heatmap?.armBaseline(),
      rest: () => this.setBaseline('rest'),
      clear: () => this.setBaseline(null),
      escape: () => this.heatmap?.escapeBaseline(),
      switched: (swap, elided) => {
        this.state.swap = swap;
        this.state.elided = elided;
        this.redrawFlame();
        this.writeHash('replace');
      },
    });
    $('#compare').hidden = !profile.hasTime;
    this.functionControls();
    // ---- who (issue 9) ----
    this.whoCompiler = new WhoCompiler(profile);
    this.breakdownView = new BreakdownView($('#breakdown'), {
      tab: (by) => {
        this.breakdownBy = by;
        this.showBreakdown();
      },
      row: (spec, add) => void this.changeWho(toggleRow(this.state.who, spec, add), 'push'),
    });
    this.filterBar = new FilterBar($('#who-bar'), () => void this.changeWho({}, 'push'));
    this.bandsView = profile.hasTime ? new HeatmapBands($('#heatmap .hm-bands'), { pick: (spec, add) => void this.changeWho(toggleRow(this.state.who, spec, add), 'push') }) : null;
    this.breakdownBy = (['thread', 'process', 'cpu'] as const).find((by) => breakdownUnavailable(profile, by) === null) ?? 'thread';
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
      this.showMetric();
      this.redrawAll();
      this.showGaps();
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
    const rate = $<HTMLInputElement>('#rate');
    rate.addEventListener('change', () => {
      this.state.rate = rate.checked && isDelta(this.state.metric);
      this.redrawAll();
    });
    const scale = $<HTMLSelectElement>('#scale');
    scale.addEventListener('change', () => {
      this.state.scale = scale.value === 'halves' ? 'halves' : 'symmetric';
      if (this.heatmap !== null) this.heatmap.scale = this.state.scale;
      this.writeHash('replace');
    });
    this.groupControls();
    $('#categories-control').hidden = !p.frames.some(isCategoryFrame);
    $('#merge-control').hidden = !p.frames.some((f) => f.inlineDepth === 0 && mergeLine(f.symbol) !== f.symbol);
    const categories = $<HTMLInputElement>('#categories');
    categories.addEventListener('change', () => {
      this.state.hideCategories = !categories.checked;
      this.redrawFlame();
      this.writeHash('replace');
    });
    const merge = $<HTMLInputElement>('#merge-lines');
    merge.addEventListener('change', () => {
      this.state.mergeLines = merge.checked;
      this.redrawFlame();
      this.writeHash('replace');
    });
    this.searchModeControl();
    const search = $<HTMLInputElement>('#search');
    window.addEventListener('keydown', (e) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && document.activeElement !== search && !isTextBox(document.activeElement))) {
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
    const bands = $<HTMLSelectElement>('#bands');
    for (const option of [...bands.options]) {
      const why = option.value === '' ? null : breakdownUnavailable(p, option.value as BreakdownBy);
      option.disabled = why !== null;
      if (why !== null) option.title = why;
    }
    bands.addEventListener('change', () => {
      this.state.bands = bands.value === '' ? null : (bands.value as BreakdownBy);
      this.drawBands();
      this.writeHash('replace');
    });
    $('#export-svg').addEventListener('click', () => this.download('svg'));
    $('#export-folded').addEventListener('click', () => this.download('folded'));
    // Back and Forward between this page's entries fire popstate (and hashchange, as the fragment differs); a
    // link edited in the address bar fires hashchange. Following the same state twice changes nothing.
    window.addEventListener('popstate', () => this.followLink(location.hash));
    window.addEventListener('hashchange', () => this.followLink(location.hash));
  }

  /** The levels menu: presets for this profile, and "custom…" to type any list `--group` takes. */
  private groupControls(): void {
    const menu = $<HTMLSelectElement>('#groups');
    const text = $<HTMLInputElement>('#groups-text');
    const apply = (levels: GroupLevel[]): void => {
      this.state.groups = levels;
      this.state.zoom = [];
      this.redrawFlame();
      this.writeHash('replace');
    };
    menu.addEventListener('change', () => {
      if (menu.value === 'custom') {
        text.hidden = false;
        text.value = formatGroups(this.state.groups);
        text.focus();
        text.select();
        return;
      }
      text.hidden = true;
      apply(parseGroups(menu.value)!);
    });
    text.addEventListener('change', () => {
      const levels = validGroups(this.profile, text.value);
      text.classList.toggle('invalid', levels === null);
      if (levels === null) {
        text.title = 'Levels: event, sign, bucket:METRIC, comm, pid, tid, comma-separated, or none';
        return;
      }
      text.title = '';
      apply(levels);
      this.showGroups();
    });
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        text.hidden = true;
        this.showGroups();
        menu.focus();
      }
    });
  }

  /** The levels menu showing the current levels (added as an entry when they are no preset). */
  private showGroups(): void {
    const menu = $<HTMLSelectElement>('#groups');
    const current = formatGroups(this.state.groups);
    const entries = [...this.presets];
    if (!entries.includes(current)) entries.push(current);
    menu.textContent = '';
    const defaults = formatGroups(this.defaults.groups);
    for (const e of entries) menu.add(new Option(groupsLabel(e) + (e === defaults ? ' (default)' : ''), e));
    menu.add(new Option('custom…', 'custom'));
    menu.value = current;
  }

  /** Sets the controls to the state (after a link was opened or followed). */
  private showState(): void {
    const s = this.state;
    $<HTMLSelectElement>('#event').value = String(s.event);
    const rows = $<HTMLSelectElement>('#rows');
    if (![...rows.options].some((o) => o.value === String(s.rows))) rows.add(new Option(String(s.rows), String(s.rows)));
    rows.value = String(s.rows);
    $<HTMLInputElement>('#idle').checked = s.idle === 'drop';
    this.showMetric();
    $<HTMLSelectElement>('#scale').value = s.scale;
    if (this.heatmap !== null) this.heatmap.scale = s.scale;
    this.showGroups();
    $<HTMLInputElement>('#groups-text').hidden = true;
    $<HTMLInputElement>('#categories').checked = !s.hideCategories;
    $<HTMLInputElement>('#merge-lines').checked = s.mergeLines;
    this.flame.setSearch(s.search, s.caseInsensitive);
    $<HTMLSelectElement>('#search-mode').value = s.mode;
    $<HTMLInputElement>('#icicle').checked = s.inverted;
    this.flame.setInverted(s.inverted);
    if (this.heatmap !== null) this.heatmap.enhance = s.enhance;
    $<HTMLInputElement>('#reverse').checked = s.reverse;
    this.functionView.sort(s.fnSort);
    $<HTMLSelectElement>('#bands').value = s.bands ?? '';
  }

  /** The metric list for the event shown, the metric's unit, and the rate box (delta metrics only). */
  private showMetric(): void {
    const s = this.state;
    this.picker.setChoices(this.metricChoices(s.event), s.metric);
    const weights = this.weights();
    $('#metric-unit').textContent = weights.name === 'samples' ? '' : valueUnit({ unit: weights.unit, metric: weights.name });
    const rate = $<HTMLInputElement>('#rate');
    rate.checked = s.rate;
    rate.disabled = !isDelta(s.metric);
    $('#rate-control').hidden = !this.profile.metrics.some((m) => isDelta(m.name));
  }

  /** Every metric of the profile, with how many samples of the event carry it. */
  private metricChoices(event: number): MetricChoice[] {
    let list = this.choices.get(event);
    if (list !== undefined) return list;
    const p = this.profile;
    let of = 0;
    const carried = new Array<number>(p.metrics.length).fill(0);
    for (let i = 0; i < p.sampleCount; i++) {
      if (p.event[i] !== event) continue;
      of++;
      for (let m = 0; m < p.metrics.length; m++) {
        const v = p.metrics[m]!.values[i]!;
        if (v === v) carried[m]++;
      }
    }
    list = metricNames(p).map((name, k) => ({
      name,
      unit: metricUnit(p, name, event),
      // A missing period counts 1 (perf's rule): period is carried by every sample.
      carried: k === 0 || name === 'period' ? of : carried[k - 1]!,
      of,
    }));
    this.choices.set(event, list);
    return list;
  }

  /** Highlights the search's matches. */
  showSearch(): void {
    this.flame.setSearch(this.state.search, this.state.caseInsensitive);
  }

  /** Applies a link's state (the address changed under the page), redrawing only what it changes; never pushes. */
  private followLink(hash: string): void {
    const next = stateFromLink(this.profile, this.defaults, parseHash(hash));
    const s = this.state;
    const metricChanged = next.metric !== s.metric || next.rate !== s.rate;
    const heatmapChanged = next.event !== s.event || next.rows !== s.rows || next.idle !== s.idle || metricChanged;
    const shapeChanged =
      formatGroups(next.groups) !== formatGroups(s.groups) || next.hideCategories !== s.hideCategories || next.mergeLines !== s.mergeLines;
    const flameChanged =
      heatmapChanged ||
      shapeChanged ||
      !sameRange(next.range, s.range) ||
      next.zoom.length !== s.zoom.length ||
      next.zoom.some((n, i) => n !== s.zoom[i]);
    const compareChanged =
      !sameBaseline(next.baseline, s.baseline) || (next.baseline !== null && (next.swap !== s.swap || next.elided !== s.elided));
    const searchChanged = next.search !== s.search || next.caseInsensitive !== s.caseInsensitive;
    const gapsChanged = next.event !== s.event || next.gapThreshold !== s.gapThreshold;
    const reverseChanged = next.reverse !== s.reverse;
    const fnChanged = next.fn !== s.fn;
    const modeChanged = next.mode !== s.mode;
    const whoChanged = !sameSpec(next.who, s.who);
    const bandsChanged = next.bands !== s.bands;
    Object.assign(s, next);
    this.showState();
    if (heatmapChanged) this.redrawHeatmap();
    else this.heatmap?.setSelection(s.range);
    this.heatmap?.setBaseline(s.baseline === 'rest' ? null : s.baseline);
    if (flameChanged || compareChanged || reverseChanged) this.redrawFlame();
    else if (fnChanged) this.showSandwich();
    if (searchChanged) this.showSearch();
    if (gapsChanged) this.showGaps();
    if (modeChanged) this.applySearchMatch();
    if (whoChanged) void this.changeWho(s.who, null);
    else if (bandsChanged && !heatmapChanged) this.drawBands();
    // Junk in the fragment was ignored: show the link that describes what the page now shows.
    this.writeHash('replace');
  }

  /** What a sample weighs in the views, under the current event and metric (samples if that cannot be). */
  private weights(): Weights {
    const s = this.state;
    const key = `${s.event} ${s.rate ? 1 : 0} ${s.metric}`;
    // A rate is a pass over the samples: made once per metric and event, not on every redraw.
    if (this.weightsMemo?.key !== key) {
      let weights: Weights;
      try {
        weights = resolveWeights(this.profile, s.metric, s.event, { rate: s.rate });
      } catch {
        weights = SAMPLES;
      }
      this.weightsMemo = { key, weights };
    }
    return this.weightsMemo.weights;
  }

  private weightsMemo: { key: string; weights: Weights } | null = null;

  /** How the flame graph is built beyond its samples and metric. */
  private shape(): TreeShape {
    const s = this.state;
    const names: NameOptions = { ...DISPLAY_NAMES, hideCategories: s.hideCategories, mergeLines: s.mergeLines };
    return { groups: s.groups, names };
  }

  // ---- the one sample filter (issue 9): who (threads, processes, CPUs) and what (a search's filter/exclude) ----

  /** The filter every view of the page takes (heat map, flame graph, comparison, explain); undefined: none. */
  private filter: SampleFilter | undefined = undefined;
  /** Changes whenever `filter` does (keys the caches that are not keyed by the filter object itself). */
  private filterSerial = 0;
  private whoFilter: SampleFilter | undefined = undefined;
  private whatFilter: SampleFilter['match'] = undefined;

  /** The samples of a range under the event, idle mode and filter shown. */
  private taken(range: TimeRange | null): SampleSelection {
    const s = this.state;
    return { event: s.event, idle: s.idle, range, filter: this.filter };
  }

  /**
   * Sets who the views keep (from the breakdown) and/or which stacks (the search's filter and exclude modes),
   * and redraws both views; the selection stays. A new filter object every time: caches key trees by it.
   */
  private setFilter(parts: { who?: SampleFilter | undefined; what?: SampleFilter['match'] }): Shown {
    if ('who' in parts) this.whoFilter = parts.who;
    if ('what' in parts) this.whatFilter = parts.what;
    const who = this.whoFilter;
    const what = this.whatFilter;
    this.filter = who === undefined && what === undefined ? undefined : { ...who, ...(what === undefined ? {} : { match: what }) };
    this.filterSerial++;
    this.state.zoom = [];
    this.redrawHeatmap();
    const shown = this.redrawFlame();
    this.writeHash('replace');
    return shown;
  }

  /** Who the views keep, from the automation API (`--comm`, `--pid`… as the CLI takes them); null: everyone. */
  applyWho(spec: FilterSpec | null): Promise<Shown> {
    return this.changeWho(spec ?? {}, 'push');
  }

  /** After a change of event, idle or metric: both views change, the selection stays. */
  private redrawAll(): void {
    this.showMetric();
    this.redrawHeatmap();
    this.redrawFlame();
    this.writeHash('replace');
  }

  redrawHeatmap(): void {
    const s = this.state;
    if (this.heatmap === null) return;
    this.grid = buildHeatmap(this.profile, { event: s.event, idle: s.idle, rows: s.rows, weights: this.weights(), filter: this.filter });
    this.heatmap.setGrid(this.grid);
    this.heatmap.setSelection(s.range);
    this.heatmap.setBaseline(s.baseline === 'rest' ? null : s.baseline);
    this.paintSearch();
    this.repaintRecurrences();
    this.drawBands();
    $('#scale-control').hidden = !this.heatmap.signed;
    const without = $('#heatmap .hm-without');
    without.hidden = this.grid.without === 0;
    without.textContent =
      this.grid.without === 0
        ? ''
        : `${formatSamples(this.grid.without)} of ${this.profile.events[s.event]} ${this.grid.without === 1 ? 'does' : 'do'} not carry ${this.grid.metric} and ${this.grid.without === 1 ? 'is' : 'are'} left out.`;
  }

  /** Lists the gaps of the event shown (cached: a gap list sorts the event's times). */
  showGaps(): void {
    const s = this.state;
    if (this.gapList === null) return;
    if (this.gaps === null || this.gaps.event !== s.event || this.gaps.threshold !== s.gapThreshold) {
      this.gaps = { event: s.event, threshold: s.gapThreshold, report: findGaps(this.profile, s.event, s.gapThreshold ?? undefined) };
    }
    this.gapList.show(this.gaps.report, this.profile.events[s.event] ?? '', this.profile.t0, s.gapThreshold !== null);
    this.heatmap?.markGap(null);
  }

  /** Rebuilds the flame graph of the current selection (the differential graph when a baseline is set). */
  redrawFlame(): Shown {
    const s = this.state;
    this.followNaming();
    const weights = this.weights();
    // The rest of the whole profile is nothing: the selection went, so does that baseline.
    if (s.baseline === 'rest' && s.range === null) s.baseline = null;
    this.comparison = null;
    this.scheduleBreakdown();
    if (s.baseline !== null) {
      const shown = this.redrawComparison(weights, s.baseline);
      // The panel follows the selection while comparing too (its ranking is against the rest of the profile).
      this.scheduleExplain();
      this.scheduleFunctions();
      return shown;
    }
    this.compareBar.show(s, s.range !== null, '');
    const { tree, samples } = this.trees.get(this.taken(s.range), weights, this.shape());
    this.tree = s.reverse ? this.reversed(tree) : tree;
    const weighted = weights.values !== null;
    this.flame.setTree(this.tree, { unit: weighted ? valueUnit({ unit: weights.unit, metric: weights.name }) : 'samples', weighted }, s.zoom);
    $('#selection').textContent =
      s.range === null
        ? `Whole profile: ${samples.toLocaleString('en-US')} samples`
        : `${describeRange(s.range)}: ${samples.toLocaleString('en-US')} samples`;
    $('#selection-weight').textContent = weighted ? describeWeight(tree, samples, weights) : '';
    this.prefetchIdleToggle();
    this.scheduleExplain();
    this.scheduleFunctions();
    return { samples, value: tree.value, net: netOf(tree) };
  }

  // ---- comparing (issue 8) ----------------------------------------------------------------------------------

  /**
   * The differential flame graph of the selection (target) against the baseline: two trees of the same event,
   * metric, levels and names from the cache, merged by name paths. "The rest" is the whole profile's tree less
   * the selection's, node by node, so it costs no pass over the samples (the whole tree is usually cached).
   */
  private redrawComparison(weights: Weights, baseline: Baseline): Shown {
    const s = this.state;
    const shape = this.shape();
    const rest = baseline === 'rest';
    const target = this.trees.get(this.taken(s.range), weights, shape);
    const base = this.trees.get(this.taken(rest ? null : baseline), weights, shape);
    // The selection's tree is the one on screen: keep it the most recently used entry of the cache.
    this.trees.get(this.taken(s.range), weights, shape);
    const comparison = compareTrees(diffTrees(base.tree, target.tree), { rest, swap: s.swap, elided: s.elided });
    this.tree = comparison.tree;
    const weighted = weights.values !== null;
    const unit = weighted ? valueUnit({ unit: weights.unit, metric: weights.name }) : 'samples';
    this.flame.setTree(comparison.tree, { unit, weighted }, s.zoom, comparison);
    this.comparison = new DrawnComparison(comparison, (v) => (weighted ? formatCellValue({ weighted, unit, metric: weights.name }, v) : formatSamples(v)), s.swap, !weighted);
    const baseSamples = rest ? base.samples - target.samples : base.samples;
    const selection = s.range === null ? 'whole profile' : describeRange(s.range);
    const count = (n: number): string => `${n.toLocaleString('en-US')} samples`;
    const against = rest ? 'the rest of the profile' : `baseline ${describeBaseline(baseline)}`;
    const sides = `${selection}: ${count(target.samples)} against ${against}: ${count(baseSamples)}`;
    $('#selection').textContent = `${s.elided ? 'Elided' : 'Differential'}${s.swap ? ' (swapped)' : ''}`;
    $('#selection-weight').textContent = 'shares normalised';
    this.compareBar.show(s, s.range !== null, sides);
    return { samples: target.samples, value: comparison.tree.value, net: comparison.tree.value };
  }

  /** A baseline from Shift+drag, "Compare with…", "the rest", or null to stop comparing. False: there was none. */
  private setBaseline(baseline: Baseline | null): boolean {
    const had = this.state.baseline !== null;
    if (baseline === 'rest' && this.state.range === null) return had;
    if (baseline === null && !had) return false;
    this.state.baseline = baseline;
    this.state.zoom = [];
    this.heatmap?.setBaseline(baseline === 'rest' ? null : baseline);
    this.lastShown = this.redrawFlame();
    this.writeHash('push');
    this.flame.reveal();
    return true;
  }

  // ---- function table, sandwich, reversed graph (issue 9) ----

  private functionView!: FunctionView;
  private sandwichView!: SandwichView;
  private readonly functionTask = new PanelTask(1);
  /** The table shown and the tree it was read from (the selection's, under the filters; never reversed). */
  private functions: { tree: FlameNode; table: FunctionTable } | null = null;
  /** Function tables by the tree they were read from (trees are never changed; the tree cache holds a few). */
  private readonly tables = new WeakMap<FlameNode, FunctionTable>();

  /** The function table of a tree, made once per tree (a 200,000-function tree takes tens of ms). */
  private tableOf(tree: FlameNode): FunctionTable {
    let table = this.tables.get(tree);
    if (table === undefined) this.tables.set(tree, (table = functionTable(tree)));
    return table;
  }
  private sandwichShown: Sandwich | null = null;
  /** The reversed tree of each tree reversed lately (trees never change once built). */
  private readonly reversedTrees = new WeakMap<FlameNode, FlameNode>();

  private functionControls(): void {
    const amount = (v: number): string => this.amount(v);
    this.functionView = new FunctionView(
      $('#functions'),
      {
        pick: (name) => this.pickFunction(name),
        sorted: (by) => {
          this.state.fnSort = by;
          this.writeHash('replace');
        },
      },
      amount,
      (v) => (this.weights().values === null ? v.toLocaleString('en-US') : formatCellValue({ weighted: true, unit: this.weights().unit, metric: this.weights().name }, v)),
    );
    this.sandwichView = new SandwichView($('#functions .sandwich'), { pick: (name) => this.pickFunction(name), close: () => this.pickFunction(null) }, amount);
    const reverse = $<HTMLInputElement>('#reverse');
    reverse.addEventListener('change', () => this.applyReverse(reverse.checked));
  }

  /** A weight as the panels say it: `1,234 samples`, `24,576 words`. */
  private amount(v: number): string {
    const weights = this.weights();
    if (weights.values === null) return formatSamples(v);
    return formatCellValue({ weighted: true, unit: weights.unit, metric: weights.name }, v);
  }

  private reversed(tree: FlameNode): FlameNode {
    let r = this.reversedTrees.get(tree);
    if (r === undefined) this.reversedTrees.set(tree, (r = reverseTree(tree)));
    return r;
  }

  /** The reversed graph on or off (the zoom's frames are another graph's: it starts at the root). */
  applyReverse(on: boolean): Shown {
    this.state.reverse = on;
    $<HTMLInputElement>('#reverse').checked = on;
    this.state.zoom = [];
    const shown = this.redrawFlame();
    this.writeHash('replace');
    return shown;
  }

  /** The table follows the flame graph, just after it is drawn (never in its way). */
  private scheduleFunctions(): void {
    // A differential graph is not reversed: the toggle says so rather than doing nothing silently.
    const reverse = $<HTMLInputElement>('#reverse');
    reverse.disabled = this.state.baseline !== null;
    $('#reverse-control').classList.toggle('off', reverse.disabled);
    this.functionTask.schedule(() => this.showFunctions());
  }

  /** The function table of the selection under the filters (the tree the plain flame graph draws), and its sandwich. */
  showFunctions(): FunctionTable {
    this.functionTask.cancel();
    const s = this.state;
    const { tree } = this.trees.get(this.taken(s.range), this.weights(), this.shape());
    if (this.functions?.tree !== tree) this.functions = { tree, table: this.tableOf(tree) };
    const what = s.range === null ? 'Whole profile' : describeRange(s.range);
    const weights = this.weights();
    this.functionView.show(this.functions.table, what, weights.values === null ? 'samples' : valueUnit({ unit: weights.unit, metric: weights.name }));
    this.functionView.mark(s.fn);
    this.showSandwich();
    return this.functions.table;
  }

  /** The open sandwich, of the table's tree. */
  showSandwich(): Sandwich | null {
    const s = this.state;
    const f = this.functions;
    this.sandwichShown = s.fn === null || f === null ? null : sandwich(f.tree, s.fn);
    const missing = s.fn === NO_FRAMES ? 'Samples without a frame the flame graph shows have no callers and no callees.' : undefined;
    this.sandwichView.show(s.fn, this.sandwichShown, f?.table.total ?? 0, missing);
    this.functionView.mark(s.fn);
    return this.sandwichShown;
  }

  /** Finds a frame in the flame graph by its name: the search box is a regex, so the name escaped, case kept. */
  private searchExactly(name: string): void {
    this.state.search = exactPattern(name);
    this.state.caseInsensitive = false;
    this.flame.setSearch(this.state.search, false);
    this.flame.startSearching();
  }

  /** A function picked in the table or the sandwich: highlight it in the flame graph and open its sandwich. */
  pickFunction(name: string | null): Sandwich | null {
    const s = this.state;
    s.fn = name;
    if (name !== null && name !== NO_FRAMES) this.searchExactly(name);
    const shown = this.showSandwich();
    this.writeHash('replace');
    return shown;
  }

  /** For the automation API: the table's rows in the order shown, and the rows drawn. */
  functionState(): { rows: FunctionRow[]; shown: string[]; total: number; sort: FunctionSort } {
    return {
      rows: [...this.functionView.rows],
      shown: this.functionView.shownRows.map((r) => r.name),
      total: this.functions?.table.total ?? 0,
      sort: this.functionView.sortedBy,
    };
  }

  /** For the automation API: sorts and filters the table as a reader would. */
  arrangeFunctions(sort: FunctionSort | undefined, filter: string | undefined): void {
    if (sort !== undefined) {
      this.functionView.sort(sort);
      this.state.fnSort = sort;
      this.writeHash('replace');
    }
    if (filter !== undefined) this.functionView.filter(filter);
  }

  /** The flame graph on screen, as folded lines (what "Export folded" writes). */
  shownFolded(): string[] {
    return foldTree(this.tree);
  }

  // ---- explain panel (issue 8) ----

  /** Explains the selection once the flame graph is drawn (never in its way). */
  private scheduleExplain(): void {
    if (this.explainView === null) return;
    this.explainTask.cancel();
    this.heatmap?.markCells([]);
    this.explanation = null;
    if (this.state.range === null) {
      this.explainView.show(null, 'Select a range on the heat map to see what sets it apart from the rest of the profile.');
      return;
    }
    this.explainView.show(null, 'Explaining…');
    this.explainTask.schedule(() => this.showExplain());
  }

  /** Ranks the selection against the rest of the profile, in the panel. */
  showExplain(): Explanation | null {
    const s = this.state;
    this.explainTask.cancel();
    if (this.explainView === null || s.range === null) return null;
    const names = new FrameNames(this.profile, this.shape().names ?? DISPLAY_NAMES);
    const e = explain(this.profile, { event: s.event, idle: s.idle, range: s.range, baseline: { kind: 'rest' }, weights: this.weights(), names, filter: this.filter });
    this.explanation = e;
    this.explainView.show(e, describeRange(s.range));
    return e;
  }

  /** A row picked in the panel: find the frame (or thread) in the flame graph, paint where it recurs. */
  private explainPick(row: ExplainRow | null): void {
    const s = this.state;
    const e = this.explanation;
    if (row === null || e === null || this.heatmap === null) {
      this.heatmap?.markCells([]);
      this.explainView?.showRecurrences('');
      return;
    }
    this.searchExactly(row.name);
    this.writeHash('replace');
    const key = `${s.event} ${s.idle} ${s.rows} ${s.metric} ${s.rate} ${this.filterSerial}`;
    if (this.cellScan?.key !== key) this.cellScan = { key, scan: scanCells(this.profile, { event: s.event, idle: s.idle, weights: this.weights(), rows: s.rows, filter: this.filter }) };
    const found = findRecurrences(this.profile, row, e, new FrameNames(this.profile, this.shape().names ?? DISPLAY_NAMES), this.cellScan.scan);
    this.heatmap.markCells(found.flatMap((r) => r.columns.map((column) => ({ column, fromRow: r.fromRow, toRow: r.toRow }))));
    const shown = found.slice(0, 4).map((r) => recurrenceText(r, s.rows));
    this.explainView?.showRecurrences(
      !e.tested ? '' : found.length === 0 ? `${row.name}: no recurrence found.` : `${row.name} also at ${shown.join('; ')}${found.length > 4 ? ` and ${found.length - 4} more` : ''} (outlined on the heat map).`,
    );
  }

  /** The heat map was rebuilt (rows, event, metric): the picked row's recurrences are found again on it. */
  private repaintRecurrences(): void {
    const row = this.explainView?.pickedRow ?? null;
    if (row !== null && this.explanation !== null) this.explainPick(row);
    else this.heatmap?.markCells([]);
  }

  /** Runs the panels' pending work now, for the automation API (which reads what they show). */
  flushPanels(): void {
    this.functionTask.flush();
    this.breakdownTask.flush();
    this.explainTask.flush();
  }

  /** For the automation API: the panel's rows and the cells painted. */
  explainState(): { rows: { kind: string; name: string; q: number | null; significant: boolean }[]; marked: { column: number; fromRow: number; toRow: number }[] } {
    return {
      rows: (this.explainView?.rows ?? []).map((r) => ({ kind: r.kind, name: r.name, q: r.q, significant: r.significant })),
      marked: [...(this.heatmap?.markedCells ?? [])],
    };
  }

  // ---- who (issue 9): the breakdown panel, the "filtered to …" bar, the bands ----------------------------------

  private readonly whoCompiler: WhoCompiler;
  private readonly breakdownView: BreakdownView;
  private readonly filterBar: FilterBar;
  private readonly bandsView: HeatmapBands | null;
  /** The breakdown's tab. */
  private breakdownBy: BreakdownBy;
  private readonly breakdownTask = new PanelTask(2);
  /** Counts who-changes, so that a slow pattern's answer never overwrites a later change. */
  private whoSerial = 0;
  /** Parts of the who-spec the page could not apply (a pattern too slow, a pid list on a file of thread ids). */
  private whoProblems: string[] = [];
  /** Labels of threads and processes by id (for the bar), made on first use from the whole profile. */
  private readonly whoLabels = new Map<BreakdownBy, Map<string, string>>();
  /** What the last who-change drew. */
  private whoShown: Shown | null = null;

  /** Applies the who-spec the page opened with (the CLI's options or the link's) before the first drawing. */
  async openWho(): Promise<void> {
    if (isEveryone(this.state.who)) {
      this.showWhoBar();
      return;
    }
    const compiled = await this.whoCompiler.compile(this.state.who);
    this.whoProblems = compiled.problems;
    if (compiled.filter !== undefined) this.setFilter({ who: compiled.filter });
    this.showWhoBar();
  }

  /**
   * Keeps `spec` in every view: writes the link first (`push`: a row click is a step Back undoes; null: the
   * address already says it, after Back), then compiles (name patterns in the worker) and redraws.
   */
  async changeWho(spec: FilterSpec, how: 'push' | 'replace' | null): Promise<Shown> {
    this.state.who = spec;
    if (how !== null) this.writeHash(how);
    const serial = ++this.whoSerial;
    const compiled = await this.whoCompiler.compile(spec);
    if (serial !== this.whoSerial) return this.whoShown ?? this.redrawFlame();
    this.whoProblems = compiled.problems;
    this.whoShown = this.setFilter({ who: compiled.filter });
    this.showWhoBar();
    return this.whoShown;
  }

  /** The bar above the views: each part of the who-spec with its ×, or hidden when everyone is kept. */
  private showWhoBar(): void {
    const spec = this.state.who;
    const fromCli = !isEveryone(spec) && sameSpec(spec, this.defaults.who);
    const origin = fromCli ? ' (from the report’s command line)' : '';
    const chips: WhoChip[] = [];
    const go = (next: FilterSpec) => void this.changeWho(next, 'push');
    if (spec.comm !== undefined) chips.push({ label: `name ~ ${spec.comm}`, title: `threads whose name matches ${spec.comm}${origin}`, remove: () => go(withoutPart(spec, 'comm')) });
    if (spec.excludeComm !== undefined) {
      chips.push({ label: `name ≁ ${spec.excludeComm}`, title: `threads whose name does not match ${spec.excludeComm}${origin}`, remove: () => go(withoutPart(spec, 'excludeComm')) });
    }
    const list = (part: 'pids' | 'tids', by: BreakdownBy, word: string): void => {
      const ids = spec[part] ?? [];
      for (const id of ids) {
        const name = this.whoLabel(by, id);
        chips.push({ label: name, title: `${word} ${id}${origin}`, remove: () => go(setPart(spec, part, ids.filter((x) => x !== id))) });
      }
    };
    list('pids', 'process', 'process');
    list('tids', 'thread', 'thread');
    const cpus = spec.cpus ?? [];
    for (const cpu of cpus) chips.push({ label: `CPU ${cpu}`, title: `CPU ${cpu}${origin}`, remove: () => go(setPart(spec, 'cpus', cpus.filter((c) => c !== cpu))) });
    this.filterBar.show(chips, this.whoProblems);
  }

  /** `python3 15664`: a thread's or process's id with its name, as the breakdown labels it. */
  private whoLabel(by: BreakdownBy, id: string): string {
    let labels = this.whoLabels.get(by);
    if (labels === undefined) {
      labels = new Map();
      if (breakdownUnavailable(this.profile, by) === null) {
        const all = selectSamples(this.profile, { event: -1, idle: 'keep', range: null });
        for (const row of breakdown(this.profile, all, SAMPLES, by).rows) {
          const key = row.spec.tids?.[0] ?? row.spec.pids?.[0];
          if (key !== undefined) labels.set(key, row.label);
        }
      }
      this.whoLabels.set(by, labels);
    }
    return labels.get(id) ?? `${by} ${id}`;
  }

  /** The part of the who-spec a breakdown of this kind sets. */
  private partOf(by: BreakdownBy): WhoPart {
    const threadIds = this.profile.procs.some((token) => idsOf(token).tid !== '');
    return partOfKind(by, by === 'thread' && !threadIds ? { comm: '' } : undefined);
  }

  /**
   * The view's filter without its `part` (so that a breakdown by that kind still lists the rows one can add):
   * the ids of the other parts, the names matched already, the search's filter.
   */
  private filterWithout(part: WhoPart): SampleFilter | undefined {
    const rest = withoutPart(this.state.who, part);
    const ids = this.whoCompiler.ids(rest);
    const comm = part === 'comm' ? undefined : this.filter?.comm;
    const match = this.filter?.match;
    const out: SampleFilter = { ...ids, ...(comm === undefined ? {} : { comm }), ...(match === undefined ? {} : { match }) };
    return Object.keys(out).length === 0 ? undefined : out;
  }

  /** Breaks the selection down once the flame graph is drawn (never in its way). */
  private scheduleBreakdown(): void {
    this.breakdownTask.schedule(() => this.showBreakdown());
  }

  /** The breakdown of the current selection (or the whole profile) under the event, metric and other filters. */
  showBreakdown(): Breakdown | null {
    this.breakdownTask.cancel();
    const p = this.profile;
    const s = this.state;
    const unavailable = { thread: breakdownUnavailable(p, 'thread'), process: breakdownUnavailable(p, 'process'), cpu: breakdownUnavailable(p, 'cpu') };
    if (unavailable[this.breakdownBy] !== null) this.breakdownBy = (['thread', 'process', 'cpu'] as const).find((by) => unavailable[by] === null) ?? this.breakdownBy;
    const by = this.breakdownBy;
    this.breakdownView.setTabs(by, unavailable);
    const what = s.range === null ? 'Whole profile' : describeRange(s.range);
    if (unavailable[by] !== null) {
      this.breakdownView.show(null, `No breakdown: ${unavailable[by]}`, () => false, null, '');
      return null;
    }
    const part = this.partOf(by);
    const samples = selectSamples(p, { event: s.event, idle: s.idle, range: s.range, filter: this.filterWithout(part) });
    const weights = this.weights();
    const b = breakdown(p, samples, weights, by);
    const weighted = weights.values !== null;
    const unit = { weighted, unit: weights.unit, metric: weights.name };
    const own = part === 'comm' ? s.who.comm !== undefined : (s.who[part]?.length ?? 0) > 0;
    const kind = by === 'cpu' ? 'CPU' : by;
    const note = own
      ? `Listed without the ${kind} filter, so that more can be added; the ${kind === 'process' ? 'processes' : `${kind}s`} kept are marked. Click a row to keep only it, Ctrl/Shift-click or its box to add or remove it.`
      : 'Click a row to filter the heat map and the flame graph to it; Ctrl/Shift-click or its box adds it to the rows kept.';
    // The sparklines show the whole axis (a selection's own seconds would be one bar), the selection shaded.
    const sparks = s.range === null ? null : this.wholeSparks(by, part);
    const span: [number, number] | null = s.range === null ? null : [Math.floor(s.range.start / NS_PER_SECOND), Math.floor((s.range.end - 1) / NS_PER_SECOND)];
    this.breakdownView.show(b, what, (spec) => isChosen(s.who, spec), weighted ? (row) => formatCellValue(unit, row.value) : null, note, {
      of: sparks === null ? undefined : (row) => sparks.get(JSON.stringify(row.spec)),
      span,
    });
    return b;
  }

  /** Each row's weight per second over the whole axis, under the same event, metric and filters (cached). */
  private sparkMemo: { key: string; sparks: Map<string, Float64Array> } | null = null;

  private wholeSparks(by: BreakdownBy, part: WhoPart): Map<string, Float64Array> {
    const s = this.state;
    const key = `${by} ${s.event} ${s.idle} ${s.metric} ${s.rate} ${this.filterSerial}`;
    if (this.sparkMemo?.key !== key) {
      const all = selectSamples(this.profile, { event: s.event, idle: s.idle, range: null, filter: this.filterWithout(part) });
      const rows = breakdown(this.profile, all, this.weights(), by).rows;
      this.sparkMemo = { key, sparks: new Map(rows.map((r) => [JSON.stringify(r.spec), r.spark])) };
    }
    return this.sparkMemo.sparks;
  }

  /** The heat map's bands (one per busiest row of the whole axis, under the view's filter), or none. */
  private drawBands(): void {
    const view = this.bandsView;
    const by = this.state.bands;
    if (view === null) return;
    if (by === null || breakdownUnavailable(this.profile, by) !== null) {
      view.show(null, '');
      return;
    }
    const s = this.state;
    const weights = this.weights();
    // As the breakdown: without the filter of the bands' own kind, so that the rows not chosen still show (and
    // can be added with a click); the chosen ones are marked.
    const filter = this.filterWithout(this.partOf(by));
    const rows = breakdown(this.profile, selectSamples(this.profile, { event: s.event, idle: s.idle, range: null, filter }), weights, by).rows.slice(0, BANDS);
    const bands: Band[] = rows.map((row) => ({
      label: row.label,
      spec: row.spec,
      chosen: isChosen(s.who, row.spec),
      grid: buildHeatmap(this.profile, { event: s.event, idle: s.idle, rows: BAND_ROWS, weights, filter: intersectFilters(filter, compileFilter(this.profile, row.spec)) }),
    }));
    const kind = by === 'cpu' ? 'CPUs' : by === 'process' ? 'processes' : 'threads';
    view.show(
      bands,
      rows.length === 0
        ? `No ${kind} to show.`
        : `The ${rows.length} busiest ${kind}, ${1000 / BAND_ROWS} ms per row, one colour scale for all bands. Click one to filter to it, Ctrl/Shift-click to add it.`,
    );
  }

  /** For the automation API: the breakdown's rows and the bands' cells. */
  whoState(): { by: BreakdownBy; rows: ShownRow[]; bands: ReturnType<HeatmapBands['cells']>; bar: string[]; problems: string[] } {
    return {
      by: this.breakdownBy,
      rows: [...this.breakdownView.rows],
      bands: this.bandsView?.cells() ?? [],
      bar: [...document.querySelectorAll('#who-bar .wb-chip > span')].map((e) => e.textContent ?? ''),
      problems: [...this.whoProblems],
    };
  }

  /** Shows the breakdown by `by` now (the automation API), timed. */
  breakdownNow(by: BreakdownBy): { ms: number; rows: ShownRow[] } {
    this.breakdownBy = by;
    const t = performance.now();
    this.showBreakdown();
    const ms = performance.now() - t;
    return { ms, rows: [...this.breakdownView.rows] };
  }

  /** The heat map's non-empty cells [column, row, count], for the automation API. */
  gridCells(): [number, number, number][] {
    const g = this.grid;
    const cells: [number, number, number][] = [];
    if (g !== null) for (let k = 0; k < g.counts.length; k++) if (g.counts[k]! > 0) cells.push([Math.floor(k / g.rows), k % g.rows, g.counts[k]!]);
    return cells;
  }

  /** Shows the bands by `by` (null: off), as the menu does. */
  applyBands(by: BreakdownBy | null): void {
    this.state.bands = by;
    $<HTMLSelectElement>('#bands').value = by ?? '';
    this.drawBands();
    this.writeHash('replace');
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
      const other = { ...this.taken(s.range), idle: s.idle === 'drop' ? ('keep' as const) : ('drop' as const) };
      const weights = this.weights();
      const shape = this.shape();
      // Its function table too: the panel reads it just after the toggle.
      this.tableOf(this.trees.get(other, weights, shape).tree);
      // The view on screen stays the most recently used entry.
      this.trees.get(this.taken(s.range), weights, shape);
    }, 250);
  }

  // ---- search that paints the heat map (issue 9) ----------------------------------------------------------
  // The user's regex runs only in the search worker, over the distinct names the views show (all frames of the
  // profile, not just the tree's); its answer, a set of names, is turned here into flags per frame, stack and
  // sample in linear time (query/match), which paint the heat map or filter both views.

  /** The search's answer: the names that match; null: no search, or one without an answer (invalid, too slow). */
  private searchNames: ReadonlySet<string> | null = null;
  /** The search text the answer is for (the note quotes it). */
  private searchText = '';
  /** Per sample, whether its stack holds a matching frame, for one naming and one answer. */
  private matchFlags: { naming: string; names: ReadonlySet<string>; flags: Uint8Array } | null = null;
  /** The namings whose names the search worker was given. */
  private readonly searchNamings = new Set<string>();
  /** The naming the flags were last made for (a change of naming makes them again). */
  private flagsNaming = '';
  /** Resolved when the next answer is applied (automation API). */
  private answerWaiters: (() => void)[] = [];
  /** What the last answer cost on this thread, and what it painted (automation API, the ≤ 100 ms figures). */
  private lastAnswer: { flagsMs: number; applyMs: number; matched: number; of: number } | null = null;
  /** When the last answer began to be applied (performance.now()), to time it to the next frame drawn. */
  answerStart = 0;

  /** The mode menu beside the search box. */
  private searchModeControl(): void {
    const menu = $<HTMLSelectElement>('#search-mode');
    menu.addEventListener('change', () => {
      const mode = menu.value;
      this.state.mode = mode === 'filter' || mode === 'exclude' ? mode : 'highlight';
      this.applySearchMatch();
      this.writeHash('replace');
    });
  }

  /** The key of the naming the flame graph shows (a search matches those names). */
  private namingKey(): string {
    const n = this.shape().names ?? DISPLAY_NAMES;
    return `${n.hideCategories === true ? 1 : 0}${n.mergeLines === true ? 1 : 0}`;
  }

  /**
   * Gives the search worker every name the views can show under the current naming (once per naming), and
   * makes the flags again when the naming changed since they were made.
   */
  private followNaming(): void {
    const key = this.namingKey();
    if (!this.searchNamings.has(key)) {
      this.searchNamings.add(key);
      this.flame.addSearchNames(shownNames(this.profile, this.trees.namesOf(this.shape().names)));
    }
    if (this.searchNames !== null && key !== this.flagsNaming) {
      // Not from inside a redraw: the filter it may change redraws both views.
      setTimeout(() => this.applySearchMatch(), 0);
    }
  }

  /** A new answer from the search (none when the box is empty; pending while it runs). */
  private searchAnswered(answer: SearchState): void {
    if (answer.kind === 'pending') return;
    const names = answer.kind === 'matched' ? answer.names : null;
    // The same names again (a re-run after the name table grew) change nothing: keep the flags and the filter.
    const previous = this.searchNames;
    this.searchNames = names !== null && previous !== null && sameNames(previous, names) ? previous : names;
    this.searchText = this.state.search;
    this.applySearchMatch();
  }

  /** The flags of the current answer under the current naming (made once per answer and naming). */
  private flags(names: ReadonlySet<string>): Uint8Array {
    const naming = this.namingKey();
    if (this.matchFlags === null || this.matchFlags.names !== names || this.matchFlags.naming !== naming) {
      const frameNames = this.trees.namesOf(this.shape().names);
      this.matchFlags = { naming, names, flags: samplesMatching(this.profile, frameNames, (n) => names.has(n)) };
    }
    this.flagsNaming = naming;
    return this.matchFlags.flags;
  }

  /**
   * Applies the answer under the mode: highlight paints the heat map; filter and exclude set the page's one
   * filter (`setFilter({what})`), which redraws both views. Timed from the answer to both views drawn.
   */
  private applySearchMatch(): void {
    const start = performance.now();
    this.answerStart = start;
    const names = this.searchNames;
    const flags = names === null ? null : this.flags(names);
    const flagsMs = performance.now() - start;
    const mode = this.state.mode;
    const what = flags === null || mode === 'highlight' ? undefined : { flags, keep: mode === 'filter' };
    const current = this.whatFilter;
    if (what?.flags !== current?.flags || what?.keep !== current?.keep) this.setFilter({ what });
    else this.paintSearch();
    const counts = this.matchCounts(flags);
    this.lastAnswer = { flagsMs, applyMs: performance.now() - start, ...counts };
    const waiters = this.answerWaiters;
    this.answerWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Matched samples and all samples of the heat map shown (event, idle, who-filter; the search's own mode aside). */
  private matchCounts(flags: Uint8Array | null): { matched: number; of: number } {
    const p = this.profile;
    const s = this.state;
    const who = this.whoFilter;
    let matched = 0;
    let of = 0;
    for (let i = 0; i < p.sampleCount; i++) {
      if (p.event[i] !== s.event || (s.idle === 'drop' && p.idle[i] === 1) || !passesFilter(p, who, i)) continue;
      of++;
      if (flags !== null && flags[i] === 1) matched++;
    }
    return { matched, of };
  }

  /**
   * Paints the heat map shown with the matching samples (highlight mode): the same cells under the same event,
   * metric, rows and filter, counting only them; and says in the note under the map what the search does.
   */
  private paintSearch(): void {
    const note = document.querySelector<HTMLElement>('#heatmap .hm-match');
    if (this.heatmap === null || this.grid === null) return;
    const s = this.state;
    const names = this.searchNames;
    if (names === null || note === null) {
      this.heatmap.setMatches(null);
      if (note !== null) note.hidden = true;
      return;
    }
    const flags = this.flags(names);
    const pattern = `/${this.searchText}/`;
    const text = note.querySelector<HTMLElement>('span')!;
    note.hidden = false;
    if (s.mode === 'highlight') {
      const matched = buildHeatmap(this.profile, { event: s.event, idle: s.idle, rows: s.rows, weights: this.weights(), filter: withMatch(this.filter, { flags, keep: true }) });
      this.heatmap.setMatches(matched.counts);
      text.textContent = `Search ${pattern}: ${matchedLine(matched.samples, this.grid.samples)}, painted where they fall: the larger the cell's matched share, the stronger.`;
      note.classList.remove('filtering');
      return;
    }
    this.heatmap.setMatches(null);
    const { matched, of } = this.matchCounts(flags);
    text.textContent =
      s.mode === 'filter'
        ? `Search ${pattern} filters both views to the ${matchedPart(matched, of)} whose stack matches.`
        : `Search ${pattern} drops from both views the ${matchedPart(matched, of)} whose stack matches: ${(of - matched).toLocaleString('en-US')} left.`;
    note.classList.add('filtering');
  }

  /** Searches from the automation API, in a mode; resolves once the answer is applied and painted. */
  async applySearch(text: string, mode: SearchMode, ignoreCase: boolean): Promise<void> {
    this.state.mode = mode;
    $<HTMLSelectElement>('#search-mode').value = mode;
    const answered = new Promise<void>((resolve) => this.answerWaiters.push(resolve));
    const unchanged = text === this.state.search && ignoreCase === this.state.caseInsensitive;
    this.state.search = text;
    this.state.caseInsensitive = ignoreCase;
    this.writeHash('replace');
    if (unchanged) this.applySearchMatch();
    else this.flame.setSearch(text, ignoreCase);
    await answered;
  }

  /** What the search painted or filtered, for the automation API. */
  searchState(): {
    status: string;
    mode: SearchMode;
    matched: number;
    of: number;
    cells: { column: number; row: number; matched: number; samples: number }[];
    flagsMs: number;
    applyMs: number;
    /** Samples in the heat map shown (under the search's filter or exclude mode too). */
    heatmapSamples: number;
    note: string;
  } {
    const a = this.lastAnswer;
    return {
      status: document.querySelector('#fg-matched')?.textContent ?? '',
      mode: this.state.mode,
      matched: a?.matched ?? 0,
      of: a?.of ?? 0,
      cells: this.heatmap?.paintedCells ?? [],
      flagsMs: a?.flagsMs ?? 0,
      applyMs: a?.applyMs ?? 0,
      heatmapSamples: this.grid?.samples ?? 0,
      note: document.querySelector<HTMLElement>('#heatmap .hm-match:not([hidden])')?.textContent?.trim() ?? '',
    };
  }

  /** What the flame graph shows now (automation API). */
  shown(): Shown {
    return { samples: samplesOf(this.tree), value: this.tree.value, net: netOf(this.tree) };
  }

  /** The input files of the samples in a cell, for its tooltip (profiles read from several files). */
  private cellFiles(column: number, row: number, rows: number): string {
    const p = this.profile;
    const s = this.state;
    const start = column * NS_PER_SECOND + rowStartNs(row, rows);
    const end = column * NS_PER_SECOND + rowStartNs(row + 1, rows);
    const files = new Set<number>();
    for (let i = 0; i < p.sampleCount; i++) {
      const t = p.time[i]!;
      if (t < start || t >= end || p.event[i] !== s.event || (s.idle === 'drop' && p.idle[i] === 1)) continue;
      files.add(p.file[i]!);
    }
    const names = [...files].sort((a, b) => a - b).map((f) => p.files[f] ?? '?');
    if (names.length === 0) return '';
    if (names.length === 1) return `from ${names[0]}`;
    // Files of a rotation can overlap, and a cell can straddle where one ends and the next begins.
    return `from ${names.length} files: ${names.join(', ')}`;
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
  applyRange(range: TimeRange | null): Shown {
    if (this.heatmap === null) range = null;
    this.heatmap?.setSelection(range);
    this.state.range = range;
    this.state.zoom = [];
    const shown = this.redrawFlame();
    this.writeHash('push');
    this.flame.reveal();
    return shown;
  }

  /** A baseline from the automation API, as if set by hand (Back undoes it). */
  applyBaseline(baseline: Baseline | null): Shown {
    this.lastShown = null;
    this.setBaseline(baseline);
    return this.lastShown ?? this.redrawFlame();
  }

  /** A metric from the automation API, as if picked from the list (an unknown name: an error listing them). */
  applyMetric(name: string, rate: boolean): Shown {
    // Throws with the names there are, as the CLI's --metric does.
    resolveWeights(this.profile, name, this.state.event, { rate });
    this.state.metric = name;
    this.state.rate = rate;
    this.showMetric();
    this.redrawHeatmap();
    const shown = this.redrawFlame();
    this.writeHash('replace');
    return shown;
  }

  /** The link to what the page shows: fields equal to the file's defaults are left out. */
  private link(): Permalink {
    const s = this.state;
    const d = this.defaults;
    const link: Permalink = { range: s.range, search: s.search, zoom: s.zoom };
    if (s.event !== d.event) link.event = this.profile.events[s.event]!;
    if (s.rows !== d.rows) link.rows = s.rows;
    if (s.metric !== d.metric) link.metric = s.metric;
    if (s.rate !== d.rate) link.rate = s.rate;
    if (s.scale !== d.scale) link.scale = s.scale;
    if (s.idle !== d.idle) link.idle = s.idle;
    if (s.caseInsensitive) link.caseInsensitive = true;
    if (s.inverted) link.icicle = true;
    if (s.enhance) link.enhance = true;
    if (formatGroups(s.groups) !== formatGroups(d.groups)) link.groups = formatGroups(s.groups);
    if (s.hideCategories !== d.hideCategories) link.categories = !s.hideCategories;
    if (s.mergeLines !== d.mergeLines) link.mergeLines = s.mergeLines;
    if (s.gapThreshold !== null) link.gapThreshold = s.gapThreshold;
    // A report made with --select opens on that range: "Whole profile" must say so to reproduce what was seen.
    if (s.range === null && d.range !== null) link.whole = true;
    if (!sameSpec(s.who, d.who)) {
      if (isEveryone(s.who)) link.everyone = true;
      else link.who = s.who;
    }
    if (s.bands !== null) link.bands = s.bands;
    if (s.baseline !== null) {
      link.base = s.baseline;
      if (s.swap) link.swap = true;
      if (s.elided) link.elided = true;
    }
    // ---- function table, sandwich, reversed graph (issue 9) ----
    if (s.reverse) link.reverse = true;
    if (s.fn !== null) link.fn = s.fn;
    if (s.fnSort !== 'self') link.functionSort = s.fnSort;
    if (s.mode !== 'highlight') link.mode = s.mode;
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
    const base = (this.profile.source.split('/').pop() ?? 'profile').replace(/(\.txt)?(\.gz)?$/, '');
    const weights = this.weights();
    let text: string;
    let type: string;
    if (kind === 'svg') {
      text = renderFlameSvg(this.tree, {
        title: $('#title').textContent ?? 'Flame Graph',
        subtitle: `${$('#selection').textContent ?? ''} ${$('#selection-weight').textContent ?? ''}${this.comparison === null ? '' : `: ${$('#compare-status').textContent ?? ''}`}`.trim(),
        width: 1200,
        inverted: s.inverted,
        minWidth: 0.1,
        palette: 'hot',
        unit: weights.values === null ? 'samples' : valueUnit({ unit: weights.unit, metric: weights.name }),
        script: FLAME_SVG_SCRIPT,
        ...(this.comparison === null ? {} : this.comparison.svgFrames()),
      });
      type = 'image/svg+xml';
    } else {
      // The graph on screen as folded text, as `flame --format folded` writes it (levels, names, widths).
      text = foldedText(foldTree(this.tree));
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

/** `Σ|w| 80,896 words · net −15,360 words`, or `23,500,000 events` when nothing is negative. */
function describeWeight(tree: FlameNode, samples: number, weights: Weights): string {
  const unit = { weighted: true, unit: weights.unit, metric: weights.name };
  if (tree.value === 0 && samplesOf(tree) > 0) return `${formatCellValue(unit, 0)}: every sample weighs 0, so the graph has no width`;
  const total = netOf(tree) === tree.value ? formatCellValue(unit, tree.value) : `Σ|w| ${formatCellValue(unit, tree.value)} · net ${formatCellValue(unit, netOf(tree))}`;
  const left = samples - samplesOf(tree);
  return left > 0 ? `${total} (${formatSamples(left)} without ${weights.name} left out)` : total;
}

/** Whether two answers of the search hold the same names (issue 9). */
function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}

/** Whether an element takes typed text (so `/` there is a character, not the search shortcut). */
function isTextBox(el: Element | null): boolean {
  return el instanceof HTMLInputElement ? !['checkbox', 'radio', 'button'].includes(el.type) : el instanceof HTMLTextAreaElement;
}

/** The levels menu's presets for a profile: the default first; bucket levels by each metric value it has. */
function groupPresets(profile: Profile): string[] {
  const presets = ['sign,comm', 'comm', 'sign,pid', 'sign,tid', 'pid', 'tid', 'none'];
  if (profile.events.length > 1) presets.splice(1, 0, 'event,sign,comm');
  // flame_prof's memory buckets (the fork's `negative → 100s MiB → runnable → …`), else the first metric value:
  // any other is a "custom…" away.
  const values = profile.metrics.map((m) => m.name).filter((n) => !isDelta(n) && n !== 'period');
  const bucket = values.includes('erlang_memory') ? 'erlang_memory' : values[0];
  if (bucket !== undefined) presets.splice(1, 0, `sign,bucket:${bucket},comm`);
  return presets;
}

/** `sign,bucket:erlang_memory,comm` as the menu shows it: `sign › bucket:erlang_memory › comm`. */
function groupsLabel(groups: string): string {
  return groups === 'none' ? 'none (frames only)' : groups.split(',').join(' › ');
}

/** The levels a text names, when each is a level this profile can show (a bucket needs its metric). */
function validGroups(profile: Profile, text: string): GroupLevel[] | null {
  const levels = parseGroups(text.trim());
  if (levels === null) return null;
  const ok = levels.every((l) => l.kind !== 'bucket' || profile.metrics.some((m) => m.name === l.metric));
  return ok ? levels : null;
}

/** Whether two selections are the same range (or both the whole profile). */
function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);
}

/** The metric a name selects for this profile, or null when it has no such metric. */
function knownMetric(profile: Profile, name: string | undefined): string | null {
  if (name === undefined) return null;
  // Without periods every sample weighs 1: "period" would show the same numbers under a misleading name.
  if (name === 'period' && !profile.metrics.some((m) => m.name === 'period')) return 'samples';
  return metricNames(profile).includes(name) ? name : null;
}

/** The state a link describes; what it leaves out, or names wrongly (an event this file lacks), is the default. */
function stateFromLink(profile: Profile, defaults: ViewState, link: Permalink): ViewState {
  const event = link.event === undefined ? -1 : profile.events.indexOf(link.event);
  const metric = knownMetric(profile, link.metric) ?? defaults.metric;
  const rate = isDelta(metric) && (link.rate ?? (metric === defaults.metric && defaults.rate));
  return {
    event: event >= 0 ? event : defaults.event,
    rows: link.rows ?? defaults.rows,
    idle: link.idle ?? defaults.idle,
    metric,
    rate,
    scale: link.scale ?? defaults.scale,
    groups: (link.groups === undefined ? null : validGroups(profile, link.groups)) ?? defaults.groups,
    hideCategories: link.categories === undefined ? defaults.hideCategories : !link.categories,
    mergeLines: link.mergeLines ?? defaults.mergeLines,
    gapThreshold: link.gapThreshold !== undefined && link.gapThreshold > 0 ? link.gapThreshold : null,
    // No range in the link: the report's initial selection (`--select`), unless the link says `whole=1`.
    range: profile.hasTime ? (link.range ?? (link.whole === true ? null : defaults.range)) : null,
    search: link.search,
    caseInsensitive: link.caseInsensitive ?? defaults.caseInsensitive,
    zoom: link.zoom,
    inverted: link.icicle ?? defaults.inverted,
    enhance: link.enhance ?? defaults.enhance,
    mode: link.mode ?? defaults.mode,
    ...compareFromLink(profile, link, link.range ?? (link.whole === true ? null : defaults.range)),
    // ---- function table, sandwich, reversed graph (issue 9) ----
    reverse: link.reverse ?? defaults.reverse,
    fn: link.fn ?? null,
    fnSort: link.functionSort ?? defaults.fnSort,
    who: link.who ?? (link.everyone === true ? {} : defaults.who),
    bands: profile.hasTime && link.bands !== undefined && breakdownUnavailable(profile, link.bands) === null ? link.bands : null,
  };
}

/** A link's comparison: a baseline needs a time axis, and "the rest" a selection to be the rest of. */
function compareFromLink(profile: Profile, link: Permalink, range: TimeRange | null): Pick<ViewState, 'baseline' | 'swap' | 'elided'> {
  let baseline = profile.hasTime ? (link.base ?? null) : null;
  if (baseline === 'rest' && range === null) baseline = null;
  return { baseline, swap: baseline !== null && link.swap === true, elided: baseline !== null && link.elided === true };
}

/** Whether two baselines are the same (both none, both the rest, or the same range). */
function sameBaseline(a: Baseline | null, b: Baseline | null): boolean {
  return a === b || (a !== null && b !== null && a !== 'rest' && b !== 'rest' && sameRange(a, b));
}

async function start(): Promise<Report> {
  const options = JSON.parse($('#flamescope-options').textContent!) as PageOptions;
  const profile = decodeProfile(await inflate($('#flamescope-data').textContent!.trim()));
  const idle = options.idle;
  let event = chooseEvent(profile, undefined, idle === 'drop');
  if (options.event !== null && profile.events.includes(options.event)) event = profile.events.indexOf(options.event);
  const metric = knownMetric(profile, options.metric) ?? 'samples';
  const defaults: ViewState = {
    event,
    rows: options.rows,
    idle,
    metric,
    rate: options.rate === true && isDelta(metric),
    scale: options.scale === 'halves' ? 'halves' : 'symmetric',
    groups: validGroups(profile, options.groups ?? '') ?? [...DEFAULT_GROUPS],
    hideCategories: options.hideCategories === true,
    mergeLines: options.mergeLines === true,
    gapThreshold: null,
    range: options.select === null ? null : parseHash(`from=${options.select.from}&to=${options.select.to}`).range,
    search: '',
    caseInsensitive: false,
    zoom: [],
    inverted: false,
    enhance: false,
    baseline: null,
    swap: false,
    elided: false,
    reverse: false,
    fn: null,
    fnSort: 'self',
    mode: 'highlight',
    who: options.who ?? {},
    bands: null,
  };
  const link = parseHash(location.hash);
  const state = stateFromLink(profile, defaults, link);
  const report = new Report(profile, defaults, state);
  await report.openWho();
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
  // The gap list sorts the event's sample times (tens of ms on big profiles): after the first paint too.
  setTimeout(() => report.showGaps(), 0);
  return report;
});
ready.catch((e: unknown) => {
  const box = $('#error');
  box.hidden = false;
  box.textContent = `This report could not be opened: ${(e as Error).message}`;
});

declare global {
  interface Window {
    flamescope: {
      ready: Promise<void>;
      select(from: number | null, to: number | null): Promise<Shown>;
      metric(name: string, rate?: boolean): Promise<Shown>;
      /** Compares the selection with [from, to) seconds, `'rest'`, or nothing (null); resolves once drawn. */
      compare(base: [number, number] | 'rest' | null): Promise<Shown>;
      explain(): Promise<{ ms: number; rows: { kind: string; name: string; q: number | null; significant: boolean }[] }>;
      explained(): Promise<ReturnType<Report['explainState']>>;
      /** Keeps only these threads, processes or CPUs in every view (null: all); resolves once drawn. */
      who(spec: FilterSpec | null): Promise<Shown & { ms: number }>;
      // ---- who (issue 9) ----
      /** Shows the breakdown by thread, process or CPU of the selection now; its rows and how long it took. */
      breakdown(by: 'thread' | 'process' | 'cpu'): Promise<{ ms: number; rows: ShownRow[] }>;
      /** The breakdown on screen, the bands' cells, the bar's chips. */
      whoState(): Promise<ReturnType<Report['whoState']>>;
      /** The heat map's non-empty cells: [column, row, samples or weight count]. */
      heatmapCells(): Promise<[number, number, number][]>;
      /** Sets the band mode (null: off); resolves once drawn. */
      bands(by: 'thread' | 'process' | 'cpu' | null): Promise<void>;
      // ---- function table, sandwich, reversed graph (issue 9) ----
      /** The function table of the selection now (sorted / filtered first when asked), with the time it took. */
      functions(arrange?: { sort?: FunctionSort; filter?: string }): Promise<{ ms: number; rows: FunctionRow[]; shown: string[]; total: number; sort: FunctionSort }>;
      /** Opens the sandwich of a function (null: closes it), as a click on its row does; resolves once drawn. */
      sandwich(name: string | null): Promise<{ ms: number; callers: TreeSummary | null; callees: TreeSummary | null }>;
      /** The reversed graph on or off; resolves once drawn, with the graph's folded lines. */
      reverse(on: boolean): Promise<{ ms: number; shown: Shown; folded: string[] }>;
      /**
       * Searches `text` (a regex, run in the worker) in a mode (default highlight); resolves once the answer is
       * applied and painted: the painted cells, matched and total samples, what the flame graph shows, and what
       * applying the answer cost on the page's thread (ms).
       */
      search(text: string, mode?: SearchMode, ignoreCase?: boolean): Promise<ReturnType<Report['searchState']> & { shown: Shown; drawnMs: number }>;
      /** The search's painting as it is now. */
      searched(): Promise<ReturnType<Report['searchState']> & { shown: Shown }>;
    };
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
  async compare(base) {
    const report = await ready;
    const baseline = base === null || base === 'rest' ? base : { start: secondsToNs(base[0]), end: secondsToNs(base[1]) };
    const result = report.applyBaseline(baseline);
    await painted();
    return result;
  },
  /** Explains the current selection now (the panel does it just after the flame graph) and times it. */
  async explain() {
    const report = await ready;
    const t = performance.now();
    report.showExplain();
    const ms = performance.now() - t;
    return { ms, rows: report.explainState().rows };
  },
  /** The Explain panel's rows and the heat-map cells it painted. */
  async explained() {
    const report = await ready;
    await painted();
    report.flushPanels();
    return report.explainState();
  },
  async search(text, mode = 'highlight', ignoreCase = false) {
    const report = await ready;
    await report.applySearch(text, mode, ignoreCase);
    await painted();
    // From the answer to the end of the next frame's drawing (the flame graph draws in that frame, before this).
    const drawnMs = performance.now() - report.answerStart;
    return { ...report.searchState(), shown: report.shown(), drawnMs };
  },
  async searched() {
    const report = await ready;
    await painted();
    return { ...report.searchState(), shown: report.shown() };
  },
  async who(spec) {
    const report = await ready;
    const t = performance.now();
    const result = await report.applyWho(spec);
    const ms = performance.now() - t;
    await painted();
    return { ...result, ms };
  },
  async breakdown(by) {
    const report = await ready;
    const result = report.breakdownNow(by);
    await painted();
    return result;
  },
  async functions(arrange) {
    const report = await ready;
    const t = performance.now();
    report.showFunctions();
    if (arrange !== undefined) report.arrangeFunctions(arrange.sort, arrange.filter);
    const ms = performance.now() - t;
    await painted();
    return { ms, ...report.functionState() };
  },
  async sandwich(name) {
    const report = await ready;
    report.showFunctions();
    const t = performance.now();
    const s = report.pickFunction(name);
    const ms = performance.now() - t;
    await painted();
    return { ms, callers: s === null ? null : summary(s.callers), callees: s === null ? null : summary(s.callees) };
  },
  async reverse(on) {
    const report = await ready;
    const t = performance.now();
    const shown = report.applyReverse(on);
    const ms = performance.now() - t;
    await painted();
    return { ms, shown, folded: report.shownFolded() };
  },
  async whoState() {
    const report = await ready;
    await painted();
    report.flushPanels();
    return report.whoState();
  },
  async heatmapCells() {
    const report = await ready;
    return report.gridCells();
  },
  async bands(by) {
    const report = await ready;
    report.applyBands(by);
    await painted();
  },
  /** Shows metric `name` (per second with `rate`) in both views; resolves once they are drawn. */
  async metric(name, rate = false) {
    const report = await ready;
    const result = report.applyMetric(name, rate);
    await painted();
    return result;
  },
};

// ---- function table, sandwich, reversed graph (issue 9) ----
/** A tree's root and first level, for the automation API. */
interface TreeSummary {
  name: string;
  value: number;
  self: number;
  children: { name: string; value: number }[];
}

function summary(node: FlameNode): TreeSummary {
  return { name: node.name, value: node.value, self: node.self, children: node.children.map((c) => ({ name: c.name, value: c.value })) };
}
