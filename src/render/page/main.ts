// The report page: decodes the embedded profile and wires heat map → selection → flame graph.
// Automation API: `window.flamescope.ready` and `window.flamescope.select(from, to)`.
import { inflateRaw } from 'pako';
import { collapse, foldedText } from '../../flamegraph/collapse';
import { DEFAULT_NAMES, FrameNames } from '../../flamegraph/names';
import type { FlameNode } from '../../flamegraph/tree';
import { TreeCache } from '../../flamegraph/tree-cache';
import { buildHeatmap, type HeatmapGrid } from '../../heatmap/grid';
import { chooseEvent, eventCounts, type IdleMode, type TimeRange, type WeightMode } from '../../heatmap/range';
import type { Profile } from '../../parse/profile';
import { renderFlameSvg } from '../flame-svg';
import { FLAME_SVG_SCRIPT } from '../inline-scripts';
import { decodeProfile } from '../profile-codec';
import { FlameView } from './flame-view';
import { HeatmapView } from './heatmap-view';
import { describeRange, formatHash, parseHash, searchPattern, secondsToNs } from './state';

/** Options the CLI writes into the page. */
export interface PageOptions {
  title: string;
  rows: number;
  event: string | null;
  idle: IdleMode;
  select: { from: string; to: string } | null;
}

interface State {
  event: number;
  rows: number;
  idle: IdleMode;
  weight: WeightMode;
  range: TimeRange | null;
  search: string;
  zoom: string[];
  inverted: boolean;
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
  private grid!: HeatmapGrid;
  private tree!: FlameNode;
  private readonly trees: TreeCache;
  private readonly heatmap: HeatmapView;
  private readonly flame: FlameView;

  constructor(
    private readonly profile: Profile,
    private readonly state: State,
  ) {
    this.trees = new TreeCache(profile, new FrameNames(profile, DEFAULT_NAMES));
    this.heatmap = new HeatmapView($('#heatmap'), { select: (range) => this.select(range) });
    this.flame = new FlameView($('#flamegraph'), { zoomed: (names) => ((this.state.zoom = names), this.writeHash()) });
    this.controls();
  }

  private controls(): void {
    const p = this.profile;
    const events = $<HTMLSelectElement>('#event');
    const counts = eventCounts(p, this.state.idle === 'drop');
    p.events.forEach((name, i) => events.add(new Option(`${name} (${counts[i]} samples)`, String(i))));
    events.value = String(this.state.event);
    $('#event-control').hidden = p.events.length < 2;
    events.addEventListener('change', () => {
      this.state.event = Number(events.value);
      this.redrawAll();
    });
    const rows = $<HTMLSelectElement>('#rows');
    for (const n of new Set([10, 25, 49, 50, 99, 100, this.state.rows])) rows.add(new Option(String(n), String(n)));
    rows.value = String(this.state.rows);
    rows.addEventListener('change', () => {
      this.state.rows = Number(rows.value);
      this.redrawHeatmap();
    });
    const idle = $<HTMLInputElement>('#idle');
    idle.checked = this.state.idle === 'drop';
    idle.addEventListener('change', () => {
      this.state.idle = idle.checked ? 'drop' : 'keep';
      this.redrawAll();
    });
    const weight = $<HTMLSelectElement>('#weight');
    $('#weight-control').hidden = !p.hasPeriod;
    weight.addEventListener('change', () => {
      this.state.weight = weight.value as WeightMode;
      this.redrawAll();
    });
    const search = $<HTMLInputElement>('#search');
    search.value = this.state.search;
    search.addEventListener('input', () => {
      this.state.search = search.value;
      search.classList.toggle('invalid', search.value !== '' && searchPattern(search.value) === null);
      this.flame.setSearch(searchPattern(search.value));
      this.writeHash();
    });
    window.addEventListener('keydown', (e) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && document.activeElement !== search)) {
        e.preventDefault();
        search.focus();
      }
    });
    $('#whole').addEventListener('click', () => this.heatmap.clear());
    $('#reset-zoom').addEventListener('click', () => this.flame.resetZoom());
    const orientation = $<HTMLInputElement>('#icicle');
    orientation.addEventListener('change', () => {
      this.state.inverted = orientation.checked;
      this.flame.setInverted(orientation.checked);
    });
    $('#export-svg').addEventListener('click', () => this.download('svg'));
    $('#export-folded').addEventListener('click', () => this.download('folded'));
    window.addEventListener('hashchange', () => {
      const link = parseHash(location.hash);
      this.state.search = link.search;
      search.value = link.search;
      this.flame.setSearch(searchPattern(link.search));
      this.applyRange(link.range);
    });
  }

  private redrawAll(): void {
    this.redrawHeatmap();
    this.redrawFlame();
  }

  redrawHeatmap(): void {
    const s = this.state;
    this.grid = buildHeatmap(this.profile, { event: s.event, idle: s.idle, rows: s.rows, weight: s.weight });
    this.heatmap.setGrid(this.grid);
    this.heatmap.setSelection(s.range);
  }

  /** Rebuilds the flame graph of the current selection; resolves once it is drawn. */
  redrawFlame(): { samples: number; value: number } {
    const s = this.state;
    const { tree, samples } = this.trees.get({ event: s.event, idle: s.idle, range: s.range }, s.weight);
    this.tree = tree;
    const unit = s.weight === 'samples' ? 'samples' : 'period';
    this.flame.setTree(this.tree, unit, s.zoom);
    this.flame.setSearch(searchPattern(s.search));
    $('#selection').textContent =
      s.range === null
        ? `Whole profile: ${samples.toLocaleString('en-US')} samples`
        : `${describeRange(s.range)}: ${samples.toLocaleString('en-US')} samples`;
    this.writeHash();
    return { samples, value: this.tree.value };
  }

  private select(range: TimeRange | null): void {
    this.state.range = range;
    this.state.zoom = [];
    this.redrawFlame();
  }

  applyRange(range: TimeRange | null): { samples: number; value: number } {
    this.state.range = range;
    this.state.zoom = [];
    this.heatmap.setSelection(range);
    return this.redrawFlame();
  }

  private writeHash(): void {
    const s = this.state;
    const hash = formatHash({ range: s.range, search: s.search });
    if (hash !== location.hash && !(hash === '' && location.hash === '')) {
      history.replaceState(null, '', hash === '' ? location.pathname + location.search : hash);
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
        unit: s.weight === 'samples' ? 'samples' : 'period',
        script: FLAME_SVG_SCRIPT,
      });
      type = 'image/svg+xml';
    } else {
      const lines = collapse(this.profile, selection, { root: 'comm', ...DEFAULT_NAMES, weight: s.weight });
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

async function start(): Promise<Report> {
  const options = JSON.parse($('#flamescope-options').textContent!) as PageOptions;
  const profile = decodeProfile(await inflate($('#flamescope-data').textContent!.trim()));
  const link = parseHash(location.hash);
  const idle = options.idle;
  let event = chooseEvent(profile, undefined, idle === 'drop');
  const wanted = link.event ?? options.event;
  if (wanted !== undefined && wanted !== null) {
    const i = profile.events.indexOf(wanted);
    if (i >= 0) event = i;
  }
  let range = link.range;
  if (range === null && options.select !== null) {
    range = parseHash(`from=${options.select.from}&to=${options.select.to}`).range;
  }
  const state: State = {
    event,
    rows: link.rows ?? options.rows,
    idle,
    weight: 'samples',
    range,
    search: link.search,
    zoom: [],
    inverted: false,
  };
  const report = new Report(profile, state);
  report.redrawHeatmap();
  report.redrawFlame();
  return report;
}

/** Waits for the browser to paint what was just drawn. */
const painted = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

const ready = start().then(async (report) => {
  await painted();
  document.body.classList.add('ready');
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
