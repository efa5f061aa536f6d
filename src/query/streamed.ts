// Commands that only sum over samples (collapse, heatmap) read their input as a stream of windows (see
// `ProfileBuilder.streamWindows`): each window is folded or binned, then dropped, so that memory does not grow
// with the input (issue 10: flat from 100 MB to 4 GB of text). What they give equals what the same command gives
// on the whole profile at once, byte for byte: the same sums in the same order (the tests compare both).
// What needs every sample at once (a time range of a profile whose t0 is not known yet, a rate's previous
// sample of each process) is not streamed: the CLI reads those commands whole.
import { Collapser, type CollapseOptions, type RootFrame } from '../flamegraph/collapse';
import type { NameOptions } from '../flamegraph/names';
import { HeatmapAccumulator, type HeatmapGrid, TimeAxis, eventLabel } from '../heatmap/grid';
import { eventCounts, type IdleMode, type SampleFilter } from '../heatmap/range';
import { resolveWeights, type Weights } from '../model/metrics';
import type { Profile } from '../parse/profile';
import { compileFilter, type FilterSpec } from './filter';
import type { GapReport } from './gaps';
import { compileStackFilter, type StackFilterSpec, samplesMatching, withMatch } from './match';
import { FrameNames } from '../flamegraph/names';
import { TimeLog } from './time-log';

/** Samples a window holds: ≈ 12 MB of columns for a perf profile, a few per cent of the time spent per window. */
export const WINDOW_SAMPLES = 1 << 18;

/** What every streamed command selects samples by. */
export interface StreamedSelection {
  idle: IdleMode;
  /** The weight or metric name (`samples`, `period`, `erlang_memory_delta`); never a rate. */
  weight: string;
  who: FilterSpec;
  stacks: StackFilterSpec;
  /** How the stack filter names frames. */
  names: NameOptions;
}

/**
 * Per window: the filter (who and stack), compiled for that window's samples. Each event is summed apart, since
 * which one a command shows is known only once every sample is read (the first seen, or the busiest).
 */
abstract class Streamed {
  private hasCpu = false;
  private readonly counts: number[] = [];

  constructor(
    protected readonly selection: StreamedSelection,
    private readonly dropIdle: boolean,
  ) {}

  /** Takes one window (see `ReadOptions.window`). */
  take(window: Profile): void {
    this.hasCpu ||= window.cpu.some((c) => c >= 0);
    eventCounts(window, this.dropIdle, this.counts);
    const s = this.selection;
    const filter = withMatch(compileFilter(window, s.who, true), compileStackFilter(window, s.stacks, s.names));
    for (let event = 0; event < window.events.length; event++) this.sum(window, event, filter, windowWeights(window, s.weight, event));
  }

  protected abstract sum(window: Profile, event: number, filter: SampleFilter | undefined, weights: Weights): void;

  /** The samples of each event (idle ones left out when they are dropped), for `chooseEvent`. */
  get eventCounts(): number[] {
    return this.counts;
  }

  /** Checks the filter against the whole input, as a command reading it whole does (a UserError when it cannot apply). */
  check(profile: Profile): void {
    compileFilter(profile, this.selection.who, this.hasCpu);
  }
}

/**
 * The weights of a window: as `resolveWeights` gives them, except for a metric the input has not shown yet
 * (samples before its first appearance do not carry it: left out, as they are in the whole profile). Whether the
 * name exists at all is checked on the whole input, at the end.
 */
function windowWeights(window: Profile, name: string, event: number): Weights {
  if (name !== 'samples' && name !== 'period' && !window.metrics.some((m) => m.name === name)) {
    return { name, unit: '', values: new Float64Array(window.sampleCount).fill(NaN), absentIsOne: false };
  }
  return resolveWeights(window, name, event);
}

/** `collapse` as a stream: folded lines of each event, summed window after window. */
export class StreamedCollapse extends Streamed {
  private readonly byEvent: Collapser[] = [];

  constructor(
    selection: StreamedSelection,
    private readonly root: RootFrame,
  ) {
    super(selection, selection.idle === 'drop');
  }

  protected sum(window: Profile, event: number, filter: SampleFilter | undefined, weights: Weights): void {
    const folding = (this.byEvent[event] ??= new Collapser());
    folding.add(window, { event, idle: this.selection.idle, range: null, filter }, { root: this.root, weights });
  }

  /** The folded lines of one event, named as the last window (`profile`) names frames. */
  lines(profile: Profile, event: number, options: Omit<CollapseOptions, 'root' | 'weights'>): string[] {
    return this.byEvent[event]?.lines(profile, options) ?? [];
  }
}

export interface StreamedHeatmapOptions extends StreamedSelection {
  rows: number;
  maxColumns: number;
  /** `--match`: also sum the samples whose stack holds a frame whose shown name matches (names as `names`). */
  match?: RegExp;
}

/** What `heatmap` shows of one event. */
export interface StreamedHeatmapResult {
  grid: HeatmapGrid;
  matched?: HeatmapGrid;
  gaps: GapReport;
  /** The gaps of all events together (the same report when there is one event). */
  gapsAllEvents: GapReport;
}

/**
 * `heatmap` as a stream: each event's cells (and matched cells), the time axis of every sample, and each event's
 * timestamps in a compact log for its gap report (which needs them all: its threshold is their median interval).
 */
export class StreamedHeatmap extends Streamed {
  private readonly axis = new TimeAxis();
  private readonly grids: HeatmapAccumulator[] = [];
  private readonly matched: HeatmapAccumulator[] = [];
  private readonly logs: TimeLog[] = [];
  private allLog: TimeLog | null = null;
  /** The whole second the logs' times are relative to: the first window's t0. */
  private origin = NaN;
  private matchFlags: SampleFilter['match'];

  constructor(private readonly options: StreamedHeatmapOptions) {
    super(options, options.idle === 'drop');
  }

  override take(window: Profile): void {
    this.axis.add(window);
    this.logTimes(window);
    const re = this.options.match;
    this.matchFlags = re === undefined ? undefined : { flags: samplesMatching(window, new FrameNames(window, this.options.names), (n) => re.test(n)), keep: true };
    super.take(window);
  }

  protected sum(window: Profile, event: number, filter: SampleFilter | undefined, weights: Weights): void {
    const { rows, maxColumns, idle } = this.options;
    (this.grids[event] ??= new HeatmapAccumulator(rows, maxColumns)).add(window, { event, idle, filter, weights });
    if (this.matchFlags !== undefined) {
      (this.matched[event] ??= new HeatmapAccumulator(rows, maxColumns)).add(window, { event, idle, filter: withMatch(filter, this.matchFlags), weights });
    }
  }

  /**
   * Every timed sample, by event and all together: what `findGaps` reads from a whole profile. The log of all
   * events is started only when a second event appears (from the first event's log: until then every sample was
   * of that event), so that a profile of one event, the usual case, keeps one log and not two.
   */
  private logTimes(window: Profile): void {
    if (this.origin !== this.origin && window.sampleCount > 0) this.origin = window.t0;
    if (this.allLog === null && window.events.length > 1) this.allLog = copyOf(this.logs[0]);
    const all = this.allLog;
    const shift = (window.t0 - this.origin) * 1e9;
    for (let i = 0; i < window.sampleCount; i++) {
      const t = window.time[i]!;
      if (t !== t) continue;
      const e = window.event[i]!;
      (this.logs[e] ??= new TimeLog()).push(shift + t);
      all?.push(shift + t);
    }
  }

  /** Columns the heat map spans (for `checkColumns`, before `result` makes them). */
  get columns(): number {
    return this.axis.columns;
  }

  /** The heat map of `event` and its gaps; `weights` resolved on the whole input (`profile`, the last window). */
  result(profile: Profile, event: number, weights: Weights, gapThresholdNs: number | undefined): StreamedHeatmapResult {
    const label = eventLabel(profile, event);
    const empty = (): HeatmapAccumulator => new HeatmapAccumulator(this.options.rows);
    const grid = (this.grids[event] ?? empty()).grid(this.axis, profile, label, weights);
    const matched = this.options.match === undefined ? undefined : (this.matched[event] ?? empty()).grid(this.axis, profile, label, weights);
    // The logs are relative to the first window's t0; the report is in ns since the whole input's.
    const shift = this.origin !== this.origin ? 0 : (this.origin - this.axis.t0) * 1e9;
    const gaps = (this.logs[event] ?? new TimeLog()).gaps(gapThresholdNs, shift);
    const gapsAllEvents = this.allLog === null ? gaps : this.allLog.gaps(gapThresholdNs, shift);
    return { grid, ...(matched === undefined ? {} : { matched }), gaps, gapsAllEvents };
  }
}

/** A new log of the same times (none when there is no log). */
function copyOf(log: TimeLog | undefined): TimeLog {
  const copy = new TimeLog();
  if (log === undefined) return copy;
  const reader = log.reader(0);
  for (let n = reader.read(); n > 0; n = reader.read()) for (let k = 0; k < n; k++) copy.push(reader.block[k]!);
  return copy;
}
