// The command line: parses options and wires them to parse → model → view → render. Nothing else.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UserError } from './errors';
import { progressLine } from './progress';
import { collapse, foldedText, foldTree, type RootFrame } from './flamegraph/collapse';
import { DISPLAY_NAMES, FrameNames, type NameOptions } from './flamegraph/names';
import { resolveWeights, weightOf, type Weights } from './model/metrics';
import { buildFlameTree, DEFAULT_GROUPS, type FlameNode, formatGroups, GROUP_WORDS, type GroupLevel, netOf, readGroups, resolveGroups, samplesOf } from './flamegraph/tree';
import { compileFilter, type FilterSpec, parseCpuList, parseIdList } from './query/filter';
// ---- stack filter and heat-map painting (issue 9) ----
import { compilePattern, compileStackFilter, matchedHeatmap, type MatchPainting, withMatch } from './query/match';
import { findGaps, type GapReport } from './query/gaps';
import { StreamedCollapse, StreamedHeatmap, WINDOW_SAMPLES } from './query/streamed';
import { reverseTree } from './flamegraph/reverse';
import { buildHeatmap, checkColumns, type HeatmapGrid, columnCount, DEFAULT_ROWS, defaultMaxColumns, MAX_ROWS, timeJumpText } from './heatmap/grid';
import { chooseEvent, formatSeconds, type IdleMode, parseSeconds, requireTime, resolveRange, type SampleFilter, type SampleSelection, selectSamples, timestampsAdvice, type TimeRange, type WeightMode } from './heatmap/range';
import { readProfiles, sourceName } from './parse/input';
import { baseScale, diffTrees, elidedTree } from './flamegraph/diff';
import { diffFolded, elidedLines, type FoldedDiff } from './flamegraph/diff-folded';
import { type DiffSide, renderDiffJson } from './render/diff-json';
import { renderDiffSvg } from './render/diff-svg';
import { type Baseline, explain, searchRecurrences } from './query/explain';
import { explainJson, explainText } from './render/explain-text';
import { loadReportAssets, renderReport, shownName } from './render/report';
import type { Profile } from './parse/profile';
import { reportView, type ReportViewFlags } from './render/report';
import { renderFlameJson } from './render/flame-json';
import { renderFlameSvg } from './render/flame-svg';
import { heatmapJson } from './render/heatmap-json';
import { heatmapSvg } from './render/heatmap-svg';
import { heatmapTextBands } from './render/heatmap-text';
import { FLAME_SVG_SCRIPT } from './render/inline-scripts';
import { type Palette, PALETTES } from './render/palette';
import { SIGNED_SCALES, type SignedScale } from './render/heatmap-scale';
// top (issue 9): the function table and the who-breakdown on the CLI.
import { breakdown, type BreakdownBy } from './query/breakdown';
import { FUNCTION_SORTS, type FunctionSort, functionTable, sortFunctions } from './query/functions';
import { breakdownJson, breakdownText, functionsJson, functionsText } from './render/top-text';

const VERSION = '0.1.0';

/** Where a run of the CLI reads and writes: the process's streams, or others (the fuzz tests run it in-process). */
export interface CliStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Looked up when used, so that importing the CLI does not open the process's stdin. */
const PROCESS_STREAMS: CliStreams = {
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
};

/** The streams of the run in progress: one run at a time per thread. */
let io: CliStreams = PROCESS_STREAMS;

/** Runs the CLI and returns the exit code; every failure is one line on stderr. */
export async function main(argv: string[], streams: CliStreams = PROCESS_STREAMS): Promise<number> {
  const outer = io;
  io = streams;
  try {
    return await run(argv);
  } finally {
    io = outer;
  }
}

/** The input being read, to name it when memory runs out after it was parsed. */
let input: string | null = null;

/** What V8 throws when an array, a buffer or a string cannot be made that large. */
const OUT_OF_MEMORY = /^(Invalid string length|Invalid array length|Invalid typed array length|Array buffer allocation failed)/;

async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  input = null;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      io.stderr.write(`flamescope: ${e.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      io.stderr.write(`flamescope: ${e.file}: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    if (e instanceof RangeError && input !== null && OUT_OF_MEMORY.test(e.message)) {
      io.stderr.write(`flamescope: ${input}: the output is too large to make in memory (${e.message}); choose a shorter range or fewer rows\n`);
      return 1;
    }
    io.stderr.write(`flamescope: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}

function buildProgram(): Command {
  const program = new Command('flamescope')
    .description('Subsecond-offset heat maps and flame graphs of any time range, from Linux `perf script` output.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {}, outputError: () => {} })
    .showHelpAfterError(false);

  program
    .command('collapse')
    .description('fold stacks like stackcollapse-perf.pl (a drop-in replacement)')
    .argument('<files...>', INPUT_HELP)
    .option('--pid', 'root frame is comm-PID')
    .option('--tid', 'root frame is comm-PID/TID')
    .option('--kernel', 'annotate kernel frames with _[k]')
    .option('--jit', 'annotate JIT frames with _[j]')
    .option('--all', 'all annotations (--kernel --jit)')
    .option('--addrs', 'include addresses of unresolved frames')
    .option('--event-filter <event>', 'keep only this event (default: the first event seen)')
    // --pid and --tid keep stackcollapse-perf.pl's meaning here (the root frame), so the id filters take other
    // names on this command: --only-pid and --only-tid.
    .addOption(commOption())
    .addOption(excludeCommOption())
    .addOption(new Option('--only-pid <list>', 'keep these process ids, comma-separated (--pid here is the root-frame flag)').argParser(idList))
    .addOption(new Option('--only-tid <list>', 'keep these thread ids, comma-separated (--tid here is the root-frame flag)').argParser(idList))
    .addOption(cpuOption())
    .addOption(idleOption('keep'))
    .addOption(weightOption('period'))
    .addOption(metricOption())
    .addOption(rateOption())
    .option('--from <seconds>', 'start of the range, in seconds since t0 (inclusive)')
    .option('--to <seconds>', 'end of the range, in seconds since t0 (exclusive)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .action(async (files: string[], o: CollapseFlags) => {
      const root: RootFrame = o.tid ? 'tid' : o.pid ? 'pid' : 'comm';
      const who: FilterSpec = { ...whoSpec({ comm: o.comm, excludeComm: o.excludeComm, cpu: o.cpu, pid: o.onlyPid, tid: o.onlyTid }), optionNames: { pid: '--only-pid', tid: '--only-tid' } };
      // The stack filter (issue 9) matches the names the flame graph shows, as on every other command.
      const stacks = { withFrame: o.withFrame, withoutFrame: o.withoutFrame };
      const names = { kernel: !!(o.kernel || o.all), jit: !!(o.jit || o.all), addrs: !!o.addrs, stackcollapse: true };
      // Streamed (memory flat whatever the input's size) unless a range or a rate needs every sample at once.
      const streamed = o.from === undefined && o.to === undefined && o.rate !== true;
      const stream = streamed ? new StreamedCollapse({ idle: o.idle, weight: o.metric ?? o.weight, who, stacks, names: DISPLAY_NAMES }, root) : null;
      const profile = await load(files, true, stream ?? undefined);
      warnTimeJump(profile);
      const event = o.eventFilter === undefined ? 0 : chooseEvent(profile, o.eventFilter, false, stream?.eventCounts);
      if (o.eventFilter === undefined && profile.events.length > 1) {
        warn(profile, `keeping only the first event seen, ${profile.events[0]} (use --event-filter to choose another)`);
      }
      const weights = weightsOf(profile, o, event);
      let lines: string[];
      if (stream !== null) {
        stream.check(profile);
        lines = stream.lines(profile, event, names);
      } else {
        const filter = withMatch(compileFilter(profile, who), compileStackFilter(profile, stacks, DISPLAY_NAMES));
        lines = collapse(profile, { event, idle: o.idle, range: resolveRange(profile, o.from, o.to), filter }, { root, ...names, weights });
      }
      await emit(o.output, foldedText(lines));
    });

  program
    .command('heatmap')
    .description('the subsecond-offset heat map: a column per second, a row per fraction of a second')
    .argument('<files...>', INPUT_HELP)
    .addOption(integerOption('--rows <n>', `rows per second, 1 to ${MAX_ROWS}`, 1, MAX_ROWS).default(DEFAULT_ROWS))
    .option('--event <event>', 'the event to show (default: the one with the most samples)')
    .addOption(idleOption('drop'))
    .addOption(weightOption('samples'))
    .addOption(metricOption())
    .addOption(rateOption())
    .addOption(scaleOption().default('symmetric'))
    .addOption(new Option('--gap-threshold <seconds>', 'list intervals without samples longer than this (default: 5 × the median interval)').argParser(positiveSeconds))
    .addOption(new Option('--format <format>', 'json data, text for a terminal, or a static svg').choices(['json', 'text', 'svg']).default('json'))
    .addOption(new Option('--color <when>', 'colour the text format').choices(['auto', 'always', 'never']).default('auto'))
    .addOption(maxColumnsOption())
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .action(async (files: string[], o: HeatmapFlags) => {
      const maxColumns = o.maxColumns ?? defaultMaxColumns(o.rows);
      // Streamed (memory flat whatever the input's size) unless a rate needs each process's previous sample.
      const stream =
        o.rate === true
          ? null
          : new StreamedHeatmap({
              idle: o.idle,
              weight: o.metric ?? o.weight,
              who: whoSpec(o),
              stacks: { withFrame: o.withFrame, withoutFrame: o.withoutFrame },
              names: DISPLAY_NAMES,
              rows: o.rows,
              maxColumns,
              ...(o.match === undefined ? {} : { match: compilePattern({ source: sourceName(inputNames(files)) }, '--match', o.match) }),
            });
      const profile = await load(files, true, stream ?? undefined);
      requireTime(profile, 'a heat map');
      const event = chooseEvent(profile, o.event, o.idle === 'drop', stream?.eventCounts);
      const weights = weightsOf(profile, o, event);
      let grid: HeatmapGrid;
      let match: MatchPainting | undefined;
      let gaps: GapReport;
      let gapsAllEvents: GapReport;
      if (stream !== null) {
        stream.check(profile);
        checkColumns(profile, stream.columns, o.rows, maxColumns);
        const result = stream.result(profile, event, weights, o.gapThreshold);
        ({ grid, gaps, gapsAllEvents } = result);
        match = result.matched === undefined ? undefined : { pattern: o.match!, grid: result.matched };
      } else {
        const heatmapOptions = { event, idle: o.idle, rows: o.rows, weights, maxColumns, filter: filterOf(profile, o) };
        grid = buildHeatmap(profile, heatmapOptions);
        // --match: the same cells counting only the samples whose stack holds a matching frame (issue 9).
        match = o.match === undefined ? undefined : { pattern: o.match, grid: matchedHeatmap(profile, heatmapOptions, compilePattern(profile, '--match', o.match), DISPLAY_NAMES) };
        gaps = findGaps(profile, event, o.gapThreshold);
        gapsAllEvents = profile.events.length === 1 ? gaps : findGaps(profile, -1, o.gapThreshold);
      }
      // After the heat map is made: one too wide for memory says where time jumps itself.
      warnTimeJump(profile);
      const toTerminal = o.output === undefined || o.output === '-';
      const text =
        o.format === 'svg'
          ? heatmapSvg(grid, { source: profile.source, scale: o.scale, gaps, match })
          : o.format === 'text'
            ? heatmapTextBands(grid, {
                source: profile.source,
                color: o.color === 'always' || (o.color === 'auto' && toTerminal && io.stdout.isTTY === true && !process.env.NO_COLOR),
                width: (toTerminal ? io.stdout.columns : undefined) ?? 120,
                scale: o.scale,
                gaps,
                match,
              })
            : heatmapJson(grid, { scale: o.scale, gaps, gapsAllEvents, match });
      await emit(o.output, text);
    });

  program
    .command('flame')
    .description('the flame graph of a time range (svg, json or folded)')
    .argument('<files...>', INPUT_HELP)
    .option('--from <seconds>', 'start of the range, in seconds since t0 (inclusive)')
    .option('--to <seconds>', 'end of the range, in seconds since t0 (exclusive)')
    .option('--event <event>', 'the event to show (default: the one with the most samples)')
    .addOption(idleOption('drop'))
    .addOption(weightOption('samples'))
    .addOption(metricOption())
    .addOption(rateOption())
    .addOption(groupOption().default(DEFAULT_GROUPS, formatGroups(DEFAULT_GROUPS)))
    .addOption(mergeLinesOption())
    .addOption(hideCategoriesOption())
    .addOption(new Option('--format <format>', 'output format').choices(['svg', 'json', 'folded']).default('svg'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--title <text>', 'title of the SVG', 'Flame Graph')
    .addOption(integerOption('--width <px>', 'width of the SVG in pixels (default 1200)', 100, 100000).default(1200))
    .option('--inverted', 'icicle graph: the root at the top')
    .option('--reverse', 'reversed, bottom-up graph: stacks read from the leaf (flamegraph.pl --reverse)')
    .addOption(new Option('--minwidth <px>', 'leave out frames narrower than this (default 0.1)').argParser(pixels).default(0.1))
    .addOption(new Option('--colors <palette>', 'frame colour palette').choices(PALETTES).default('hot'))
    .exitOverride()
    .action(async (files: string[], o: FlameFlags) => {
      const profile = await load(files);
      warnTimeJump(profile);
      const range = resolveRange(profile, o.from, o.to);
      const event = chooseEvent(profile, o.event, o.idle === 'drop');
      const nameOptions = { ...DISPLAY_NAMES, mergeLines: o.mergeLines === true, hideCategories: o.hideCategories === true };
      // A stack filter matches the names this graph shows.
      const selection = { event, idle: o.idle, range, filter: filterOf(profile, o, nameOptions) };
      const weights = weightsOf(profile, o, event);
      const groups = resolveGroups(profile, o.group);
      const samples = selectSamples(profile, selection);
      const names = new FrameNames(profile, nameOptions);
      const built = buildFlameTree(profile, samples, { weights, names, groups });
      // Bottom-up (flamegraph.pl --reverse): every stack read from its leaf, merged from there.
      const tree = o.reverse === true ? reverseTree(built) : built;
      if (o.format === 'folded') {
        // The graph as folded text: its group levels and names, `;` inside a name written `:`.
        await emit(o.output, foldedText(foldTree(tree)));
        return;
      }
      const eventName = profile.events[event] ?? '';
      const without = samples.length - samplesOf(tree);
      if (o.format === 'json') {
        const seconds = (ns: number): number => Number(formatSeconds(ns));
        await emit(
          o.output,
          renderFlameJson(tree, {
            event: eventName,
            metric: weights.name,
            unit: weights.unit,
            groups: formatGroups(groups),
            from: range === null ? null : seconds(range.start),
            to: range === null ? null : seconds(range.end),
            t0: profile.hasTime ? profile.t0 : null,
            without,
          }),
        );
        return;
      }
      const span = range === null ? 'whole profile' : `${formatSeconds(range.start)}–${formatSeconds(range.end)} s after t0`;
      const weighs = weights.values === null ? 'width = samples' : `width = Σ|${weights.name}| (${weights.unit})`;
      const net = netOf(tree) !== tree.value ? `, net ${netOf(tree).toLocaleString('en-US').replace(/^-/, '−')} ${weights.unit}` : '';
      const count = `${samplesOf(tree).toLocaleString('en-US')} sample${samplesOf(tree) === 1 ? '' : 's'}`;
      const left = without === 0 ? '' : ` (${without.toLocaleString('en-US')} without ${weights.name} left out)`;
      const idle = o.idle === 'drop' ? 'idle dropped' : 'idle kept';
      await emit(
        o.output,
        renderFlameSvg(tree, {
          title: o.title,
          subtitle: `${eventName}, ${weighs}${net}, ${span}, ${count}${left}, ${idle}`,
          unit: weights.values === null ? 'samples' : weights.unit === '' ? weights.name : weights.unit,
          width: o.width,
          minWidth: o.minwidth,
          inverted: !!o.inverted,
          palette: o.colors,
          script: FLAME_SVG_SCRIPT,
        }),
      );
    });

  // --- diff (issue 8) ---
  program
    .command('diff')
    .description('the differential flame graph of two ranges or files (svg, json, or folded like difffolded.pl)')
    .argument('<base>', `${DIFF_SIDE_HELP}: the baseline`)
    .argument('<target>', `${DIFF_SIDE_HELP}: what is compared with it`)
    .option('--event <event>', 'the event to compare (default: the one with the most samples, on each side)')
    .addOption(idleOption('drop'))
    .addOption(metricOption())
    .addOption(rateOption())
    .option('--normalize', "scale the base to the target's total before comparing (difffolded.pl -n)")
    .option('--elided', 'only the frames the base has and the target lacks entirely')
    .option('--negate', 'widths from the base instead of the target (svg), or the sides swapped (folded)')
    .addOption(new Option('--format <format>', 'output format').choices(['svg', 'json', 'folded']).default('svg'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--title <text>', 'title of the SVG', 'Differential Flame Graph')
    .addOption(integerOption('--width <px>', 'width of the SVG in pixels (default 1200)', 100, 100000).default(1200))
    .addOption(new Option('--minwidth <px>', 'leave out frames narrower than this (default 0.1)').argParser(pixels).default(0.1))
    .exitOverride()
    .action(async (baseArg: string, targetArg: string, o: DiffFlags) => {
      if (o.negate && o.format === 'json') throw new UserError(targetArg, '--negate applies to --format svg and folded (json has both sides)');
      const specs = [readDiffSide(baseArg), readDiffSide(targetArg)] as const;
      // A file named on both sides is read once.
      const profiles = new Map<string, Profile>();
      for (const spec of specs) {
        if (profiles.has(spec.file)) continue;
        const profile = await load([spec.file]);
        warnTimeJump(profile);
        profiles.set(spec.file, profile);
      }
      const sides = specs.map((spec) => diffSide(profiles.get(spec.file)!, spec, o)) as [DiffSideInput, DiffSideInput];
      const events = sides.map((side) => side.profile.events[side.selection.event] ?? '');
      if (events[0] !== events[1]) {
        io.stderr.write(`flamescope: warning: comparing event ${events[0]} (base) with ${events[1]} (target); --event chooses one for both\n`);
      }
      const selected = sides.map((side) => selectSamples(side.profile, side.selection));
      // Samples without the metric are left out of a side, as `flame` leaves them out: say so, never silently.
      selected.forEach((samples, k) => {
        let n = 0;
        for (const i of samples) if (Number.isNaN(weightOf(sides[k]!.weights, i))) n++;
        if (n > 0) warnAbout(specs[k]!.arg, `${n.toLocaleString('en-US')} sample${n === 1 ? '' : 's'} without ${sides[k]!.weights.name} left out`);
      });
      if (o.format === 'folded') {
        await emit(o.output, foldedText(diffFoldedOutput(o.negate ? [sides[1], sides[0]] : sides, o)));
        return;
      }
      const [base, target] = sides.map((side, k) =>
        buildFlameTree(side.profile, selected[k]!, {
          weights: side.weights,
          names: new FrameNames(side.profile, DISPLAY_NAMES),
          groups: DEFAULT_GROUPS,
        }),
      ) as [FlameNode, FlameNode];
      const without = [samplesOf(base), samplesOf(target)].map((n, k) => selected[k]!.length - n);
      const merged = diffTrees(base, target);
      if (o.normalize && merged.base === 0) throw new UserError(specs[0].arg, '--normalize: the base has no samples to scale');
      const scale = baseScale(merged, o.normalize === true);
      const shown = o.elided ? elidedTree(merged) : merged;
      const weights = sides[1].weights;
      const unit = weights.values === null ? 'samples' : weights.unit === '' ? weights.name : weights.unit;
      if (o.format === 'json') {
        const seconds = (ns: number): number => Number(formatSeconds(ns));
        const sideMeta = (side: DiffSideInput, tree: FlameNode, k: number): DiffSide => ({
          file: side.spec.file,
          event: side.profile.events[side.selection.event] ?? '',
          from: side.selection.range === null ? null : seconds(side.selection.range.start),
          to: side.selection.range === null ? null : seconds(side.selection.range.end),
          t0: side.profile.hasTime ? side.profile.t0 : null,
          total: tree.value,
          without: without[k]!,
        });
        await emit(
          o.output,
          renderDiffJson(shown, {
            metric: weights.name,
            unit: weights.unit,
            normalized: scale !== 1,
            baseScale: scale,
            elided: o.elided === true,
            sides: { base: sideMeta(sides[0], base, 0), target: sideMeta(sides[1], target, 1) },
          }),
        );
        return;
      }
      const describe = (side: DiffSideInput): string => {
        const r = side.selection.range;
        return `${shownName(side.spec.file)}${r === null ? '' : ` ${formatSeconds(r.start)}–${formatSeconds(r.end)} s`}`;
      };
      const widths = o.elided ? 'widths: what the target lacks, from the base' : o.negate ? 'widths from the base' : 'widths from the target';
      const scaling = scale !== 1 ? `base scaled ×${scale.toPrecision(4)} to the target's total` : o.normalize ? 'equal totals' : 'raw weights compared';
      await emit(
        o.output,
        renderDiffSvg(shown, {
          title: o.title,
          subtitle: `${describe(sides[0])} → ${describe(sides[1])}: ${widths}, red grew, blue shrank; ${weights.name}, ${scaling}`,
          unit,
          width: o.width,
          minWidth: o.minwidth,
          widthsFrom: o.elided || o.negate ? 'base' : 'target',
          baseScale: o.elided ? 1 : scale,
          script: FLAME_SVG_SCRIPT,
        }),
      );
    });
  // --- end diff ---

  program
    .command('report')
    .description('one self-contained HTML file: heat map → select a range → its flame graph')
    .argument('<files...>', INPUT_HELP)
    .option('-o, --output <file>', "the HTML file (default: the input's name with .html, in the current directory)")
    .addOption(integerOption('--rows <n>', `rows per second, 1 to ${MAX_ROWS}`, 1, MAX_ROWS).default(DEFAULT_ROWS))
    .option('--event <event>', 'the event to show first (default: the one with the most samples)')
    .addOption(idleOption('drop'))
    .option('--title <text>', 'title of the page (default: the file name)')
    .option('--select <from:to>', 'initial selection, in seconds since t0, e.g. 34.2:34.3')
    // The view the page opens on; the page switches each of them.
    .addOption(metricOption())
    .addOption(rateOption())
    .addOption(scaleOption())
    .addOption(groupOption())
    .addOption(hideCategoriesOption())
    .addOption(mergeLinesOption())
    .addOption(maxColumnsOption())
    .exitOverride()
    .action(async (files: string[], o: ReportFlags) => {
      const profile = await load(files);
      // A profile without timestamps still gets a report (the whole profile's flame graph); one where only some
      // samples lack them has a damaged line, and a heat map without those samples would be silently wrong.
      if (profile.warnings.untimed !== undefined) requireTime(profile, 'a report');
      const event = chooseEvent(profile, o.event, o.idle === 'drop');
      // The page re-buckets up to PAGE_MAX_ROWS rows: the heat map it builds must fit at those too.
      const pageRows = Math.max(o.rows, PAGE_MAX_ROWS);
      checkColumns(profile, columnCount(profile), pageRows, o.maxColumns ?? defaultMaxColumns(pageRows));
      warnTimeJump(profile);
      let select: { from: string; to: string } | null = null;
      if (o.select !== undefined) {
        const m = /^([^:]+):([^:]+)$/.exec(o.select);
        if (m === null) throw new UserError(profile.source, `--select ${JSON.stringify(o.select)} is not FROM:TO in seconds, e.g. 34.2:34.3`);
        requireTime(profile, '--select');
        resolveRange(profile, m[1]!, m[2]!);
        select = { from: m[1]!.trim(), to: m[2]!.trim() };
      }
      if (!profile.hasTime) {
        // Still worth a page: the whole profile's flame graph, with a note in it saying how to get a heat map.
        warn(profile, `no timestamps: the report has the whole profile's flame graph and no heat map; ${timestampsAdvice(profile)}`);
      }
      const html = renderReport(
        profile,
        {
          title: o.title ?? `flamescope: ${shownName(profile.source)}`,
          rows: o.rows,
          event: o.event === undefined ? null : profile.events[event]!,
          idle: o.idle,
          select,
          version: VERSION,
          ...reportView(profile, event, o),
          who: reportWho(profile, o),
        },
        loadReportAssets(),
      );
      const output = o.output ?? defaultReportName(files, profile.files);
      await emit(output, html);
      if (output !== '-') io.stderr.write(`flamescope: wrote ${output} (${(html.length / 1024).toFixed(0)} KB)\n`);
    });

  // ---- explain (issue 8) ----
  program
    .command('explain')
    .description('what differs in a time range: frames and threads ranked by their excess over a baseline, with exact significance, and where it recurs')
    .argument('<files...>', INPUT_HELP)
    .requiredOption('--from <seconds>', 'start of the selection, in seconds since t0 (inclusive)')
    .requiredOption('--to <seconds>', 'end of the selection, in seconds since t0 (exclusive)')
    .option('--baseline <baseline>', 'rest (the profile outside the selection), whole, or a range C:D in seconds', 'rest')
    .option('--event <event>', 'the event to explain (default: the one with the most samples)')
    .addOption(idleOption('drop'))
    .addOption(weightOption('samples'))
    .addOption(metricOption())
    .addOption(rateOption())
    .addOption(integerOption('--rows <n>', `heat-map rows per second for recurrences, 1 to ${MAX_ROWS}`, 1, MAX_ROWS).default(DEFAULT_ROWS))
    .addOption(integerOption('--top <n>', 'rows shown in each ranking of the text table (json has all)', 1, 1_000_000).default(10))
    .addOption(integerOption('--recur <n>', 'search recurrences for this many of the top significant rows of each ranking', 0, 100).default(1))
    .addOption(new Option('--format <format>', 'a table, or json').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .action(async (files: string[], o: ExplainFlags) => {
      const profile = await load(files);
      requireTime(profile, 'explain');
      warnTimeJump(profile);
      await emit(o.output, explainCommand(profile, o));
    });

  // ---- top (issue 9) ----
  program
    .command('top')
    .description('the functions of a time range by self and total weight (or its threads, processes, CPUs): the report\'s function table')
    .argument('<files...>', INPUT_HELP)
    .option('--from <seconds>', 'start of the range, in seconds since t0 (inclusive)')
    .option('--to <seconds>', 'end of the range, in seconds since t0 (exclusive)')
    .addOption(new Option('--by <what>', 'rank functions, or who ran the samples').choices(['function', 'thread', 'process', 'cpu']).default('function'))
    .addOption(new Option('--sort <column>', 'functions by self weight, total weight, or name').choices(FUNCTION_SORTS).default('self'))
    .addOption(integerOption('--limit <n>', 'rows shown (default: 25 in text, all in json)', 1, 100_000_000))
    .option('--event <event>', 'the event to rank (default: the one with the most samples)')
    .addOption(idleOption('drop'))
    .addOption(weightOption('samples'))
    .addOption(metricOption())
    .addOption(rateOption())
    .addOption(hideCategoriesOption())
    .addOption(mergeLinesOption())
    .addOption(new Option('--format <format>', 'an aligned table, or json').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .action(async (files: string[], o: TopFlags) => {
      const profile = await load(files);
      warnTimeJump(profile);
      await emit(o.output, topCommand(profile, o));
    });

  // Who a view shows: the same five options on every command that draws or ranks samples.
  for (const name of ['heatmap', 'flame', 'diff', 'explain', 'top', 'report']) {
    const command = program.commands.find((c) => c.name() === name)!;
    for (const option of [commOption(), excludeCommOption(), pidOption(), tidOption(), cpuOption()]) command.addOption(option);
  }
  // ---- stack filter (issue 9): which stacks a view keeps, on every command that takes the who-options ----
  for (const name of ['heatmap', 'flame', 'diff', 'explain', 'collapse', 'top']) {
    const command = program.commands.find((c) => c.name() === name)!;
    for (const option of [withFrameOption(), withoutFrameOption()]) command.addOption(option);
  }
  program.commands.find((c) => c.name() === 'heatmap')!.addOption(matchOption());
  return program;
}

interface HeatmapFlags extends FilterFlags {
  /** `--match REGEX` (issue 9): paint the cells where samples with a matching frame fall. */
  match?: string;
  metric?: string;
  rate?: boolean;
  scale: SignedScale;
  gapThreshold?: number;
  rows: number;
  maxColumns?: number;
  event?: string;
  idle: IdleMode;
  weight: WeightMode;
  format: 'json' | 'text' | 'svg';
  color: 'auto' | 'always' | 'never';
  output?: string;
}

// --- diff (issue 8) ---
interface DiffFlags extends FilterFlags {
  metric?: string;
  rate?: boolean;
  event?: string;
  idle: IdleMode;
  normalize?: boolean;
  elided?: boolean;
  negate?: boolean;
  format: 'svg' | 'json' | 'folded';
  output?: string;
  title: string;
  width: number;
  minwidth: number;
}

const DIFF_SIDE_HELP = 'FILE or FILE@FROM:TO (seconds since that file\'s t0; FROM or TO may be left out)';

/** A side of `diff` as typed: the file and the range, still text. */
interface DiffSideSpec {
  arg: string;
  file: string;
  from?: string;
  to?: string;
}

/** What one side compares: its profile, its samples, their weights. */
interface DiffSideInput {
  spec: DiffSideSpec;
  profile: Profile;
  selection: SampleSelection;
  weights: Weights;
}

/**
 * `FILE` or `FILE@FROM:TO`. A name holding `@` is a file unless what follows its last `@` is FROM:TO; a
 * malformed range is one line naming the argument, before any file is read.
 */
export function readDiffSide(arg: string): DiffSideSpec {
  const at = arg.lastIndexOf('@');
  if (at < 0 || (existsSync(arg) && !/^[^:]*:[^:]*$/.test(arg.slice(at + 1)))) return { arg, file: arg };
  const file = arg.slice(0, at);
  const m = /^([^:]*):([^:]*)$/.exec(arg.slice(at + 1));
  const bad = (why: string): UserError => new UserError(arg, `${why}; a side is FILE or FILE@FROM:TO in seconds since the file's t0, e.g. perf.txt@3.5:3.56`);
  if (m === null) throw bad(`${JSON.stringify(arg.slice(at + 1))} after @ is not FROM:TO`);
  if (file === '') throw bad('no file before @');
  const from = m[1]!.trim() === '' ? undefined : m[1]!;
  const to = m[2]!.trim() === '' ? undefined : m[2]!;
  for (const t of [from, to]) if (t !== undefined && parseSeconds(t) === null) throw bad(`${JSON.stringify(t)} is not a time in seconds`);
  if (from !== undefined && to !== undefined && parseSeconds(from)! >= parseSeconds(to)!) throw bad(`the range ${from}:${to} is empty (FROM must be before TO)`);
  return { arg, file, from, to };
}

/** Resolves a side against its profile; a range outside it is an error naming the argument. */
function diffSide(profile: Profile, spec: DiffSideSpec, o: DiffFlags): DiffSideInput {
  let range: TimeRange | null;
  try {
    range = resolveRange(profile, spec.from, spec.to);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    throw new UserError(spec.arg, e.message.replace(/--from/g, 'FROM').replace(/--to/g, 'TO').replace('--from/--to', 'FROM:TO'));
  }
  const event = chooseEvent(profile, o.event, o.idle === 'drop');
  return { spec, profile, selection: { event, idle: o.idle, range, filter: filterOf(profile, o) }, weights: resolveWeights(profile, o.metric ?? 'samples', event, { rate: o.rate === true }) };
}

/**
 * difffolded.pl's lines for two sides, from our own `collapse` of each (root frame the thread name, no
 * annotations), as `collapse --idle drop --weight samples --from --to` of each side piped to difffolded.pl.
 * Says on stderr whether the base was scaled: the folded format has no place for it.
 */
function diffFoldedOutput(sides: readonly [DiffSideInput, DiffSideInput], o: DiffFlags): string[] {
  const folded = sides.map((side) =>
    collapse(side.profile, side.selection, { root: 'comm', kernel: false, jit: false, addrs: false, stackcollapse: true, weights: side.weights }),
  ) as [string[], string[]];
  let diff: FoldedDiff;
  try {
    diff = diffFolded(folded[0], folded[1], o.normalize === true);
  } catch (e) {
    throw new UserError(sides[0].spec.arg, `--format folded needs non-negative weights (${(e as Error).message}); use --format json`);
  }
  if (o.normalize && diff.baseTotal === 0 && diff.targetTotal !== 0) throw new UserError(sides[0].spec.arg, '--normalize: the base has no samples to scale');
  const total = (n: number): string => n.toLocaleString('en-US');
  const unit = sides[1].weights.name;
  io.stderr.write(
    diff.scaled
      ? `flamescope: note: base ${total(diff.baseTotal)} ${unit} scaled to the target's ${total(diff.targetTotal)} (difffolded.pl -n)\n`
      : `flamescope: note: raw weights compared: base ${total(diff.baseTotal)} ${unit}, target ${total(diff.targetTotal)}${o.normalize ? '' : ' (--normalize scales the base to the target)'}\n`,
  );
  return o.elided ? elidedLines(diff, folded[1]) : diff.lines;
}
// --- end diff ---

interface FlameFlags extends FilterFlags {
  reverse?: boolean;
  metric?: string;
  rate?: boolean;
  group: readonly GroupLevel[];
  mergeLines?: boolean;
  hideCategories?: boolean;
  from?: string;
  to?: string;
  event?: string;
  idle: IdleMode;
  weight: WeightMode;
  format: 'svg' | 'json' | 'folded';
  output?: string;
  title: string;
  width: number;
  inverted?: boolean;
  minwidth: number;
  colors: Palette;
}

function pixels(value: string): number {
  if (!/^\d+(?:\.\d*)?$|^\.\d+$/.test(value)) throw new InvalidArgumentError('expected a number of pixels, e.g. 0.1');
  return Number(value);
}

interface ReportFlags extends ReportViewFlags, FilterFlags {
  output?: string;
  rows: number;
  maxColumns?: number;
  event?: string;
  idle: IdleMode;
  title?: string;
  select?: string;
}

/**
 * `stacks.txt.gz` → `stacks.html`, in the current directory (the input's may be read-only); a directory → its
 * name; several files → `<first>-and-N-more.html`, never the name a report of the first file alone would take.
 */
export function defaultReportName(args: readonly string[], files: readonly string[] = args): string {
  const stem = (file: string): string => basename(file).replace(/\.gz$/, '').replace(/\.(txt|perf|out|stacks)$/, '');
  if (args.length === 1 && args[0] === '-') return 'flamescope-report.html';
  if (args.length === 1 && isDirectory(args[0]!)) return `${basename(resolve(args[0]!)) || 'flamescope-report'}.html`;
  if (files.length === 1) return `${stem(files[0]!)}.html`;
  return `${stem(files[0]!)}-and-${files.length - 1}-more.html`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface CollapseFlags {
  withFrame?: string;
  withoutFrame?: string;
  comm?: string;
  excludeComm?: string;
  onlyPid?: string[];
  onlyTid?: string[];
  cpu?: number[];
  metric?: string;
  rate?: boolean;
  pid?: boolean;
  tid?: boolean;
  kernel?: boolean;
  jit?: boolean;
  all?: boolean;
  addrs?: boolean;
  eventFilter?: string;
  idle: IdleMode;
  weight: WeightMode;
  from?: string;
  to?: string;
  output?: string;
}

export function idleOption(defaultMode: IdleMode): Option {
  return new Option('--idle <mode>', 'keep or drop kernel idle-loop samples').choices(['keep', 'drop']).default(defaultMode);
}

export function weightOption(defaultMode: WeightMode): Option {
  return new Option('--weight <mode>', 'the same as --metric samples|period')
    .choices(['samples', 'period'])
    .default(defaultMode)
    .conflicts('metric');
}

export function metricOption(): Option {
  return new Option('--metric <name>', 'what a sample weighs: samples, period, or a metric of the file (an unknown name lists them)');
}

// Who a view shows (issue 9's one sample filter): thread names, processes, threads, CPUs.
export function commOption(): Option {
  return new Option('--comm <regex>', 'keep the threads whose name (comm; flame_prof: the process status) matches');
}

export function excludeCommOption(): Option {
  return new Option('--exclude-comm <regex>', 'leave out the threads whose name matches');
}

export function pidOption(): Option {
  return new Option('--pid <list>', 'keep these process ids, comma-separated').argParser(idList);
}

export function tidOption(): Option {
  return new Option('--tid <list>', 'keep these thread ids, comma-separated').argParser(idList);
}

export function cpuOption(): Option {
  return new Option('--cpu <list>', 'keep these CPUs: numbers and ranges, e.g. 0,2-3').argParser((value: string) => {
    const cpus = parseCpuList(value);
    if (cpus === null) throw new InvalidArgumentError('expected CPU numbers and ranges, e.g. 0,2-3');
    return cpus;
  });
}

function idList(value: string): string[] {
  const ids = parseIdList(value);
  if (ids === null) throw new InvalidArgumentError('expected ids separated by commas, e.g. 4242,4250');
  return ids;
}

interface FilterFlags {
  /** The stack filter (issue 9): keep / drop the samples whose stack holds a frame whose shown name matches. */
  withFrame?: string;
  withoutFrame?: string;
  comm?: string;
  excludeComm?: string;
  pid?: string[];
  tid?: string[];
  cpu?: number[];
}

/**
 * The sample filter the who-options and the stack filter describe, compiled for the profile (frames matched by
 * the names the view shows); undefined when none is given.
 */
function filterOf(profile: Profile, o: FilterFlags, names: NameOptions = DISPLAY_NAMES): SampleFilter | undefined {
  const who = compileFilter(profile, whoSpec(o));
  return withMatch(who, compileStackFilter(profile, { withFrame: o.withFrame, withoutFrame: o.withoutFrame }, names));
}

// ---- stack filter and heat-map painting (issue 9) ----
// Named for what they keep: a sample "with a frame" matching, or without one. The pattern is tested against each
// distinct frame name once (names as the flame graph shows them), not once per frame of every sample.
export function withFrameOption(): Option {
  return new Option('--with-frame <regex>', 'keep only the samples whose stack has a frame whose name matches');
}

export function withoutFrameOption(): Option {
  return new Option('--without-frame <regex>', 'leave out the samples whose stack has a frame whose name matches');
}

export function matchOption(): Option {
  return new Option('--match <regex>', 'also count, per cell, the samples whose stack has a frame whose name matches (painted in text and svg)');
}

// ---- report's who-filters (issue 9) ----
/**
 * The who-options of `report` as the page takes them (it compiles them itself), checked here as the other
 * commands check theirs, so that a bad pattern or a pid on a file of thread ids is one line, not a broken page.
 */
function reportWho(profile: Profile, o: FilterFlags): FilterSpec | null {
  const spec = whoSpec(o);
  return compileFilter(profile, spec) === undefined ? null : spec;
}

/** The who-options as a FilterSpec, with only the options given (the page reads its keys). */
function whoSpec(o: FilterFlags): FilterSpec {
  const spec: FilterSpec = {};
  if (o.comm !== undefined) spec.comm = o.comm;
  if (o.excludeComm !== undefined) spec.excludeComm = o.excludeComm;
  if (o.pid !== undefined) spec.pids = o.pid;
  if (o.tid !== undefined) spec.tids = o.tid;
  if (o.cpu !== undefined) spec.cpus = o.cpu;
  return spec;
}

export function scaleOption(): Option {
  return new Option('--scale <scale>', 'signed values: symmetric (±max|v|) or halves (each side to its own extreme)').choices(SIGNED_SCALES);
}

export function groupOption(): Option {
  return new Option('--group <levels>', `flame graph levels under the root: ${GROUP_WORDS} (default sign,comm)`).argParser(groupLevels);
}

export function mergeLinesOption(): Option {
  return new Option('--merge-lines', 'fold Erlang call sites M:F/A;Line into M:F/A');
}

export function hideCategoriesOption(): Option {
  return new Option('--hide-categories', 'leave out category pseudo-frames: (M:F/A), native, [category] frames');
}

export function rateOption(): Option {
  return new Option('--rate', "a *_delta metric per second: each delta ÷ the time since the same process's previous sample");
}

/** The weights `--metric` (or its alias `--weight`) names, for an event, as a rate with `--rate`. */
function weightsOf(profile: Profile, o: { metric?: string; weight: WeightMode; rate?: boolean }, event: number): Weights {
  return resolveWeights(profile, o.metric ?? o.weight, event, { rate: o.rate === true });
}

/** `--group`: the levels, or a usage error that lists the ones there are. */
function groupLevels(value: string): GroupLevel[] {
  const levels = readGroups(value);
  if (typeof levels === 'string') throw new InvalidArgumentError(`${levels}; the levels are ${GROUP_WORDS}, e.g. sign,bucket:erlang_memory,comm`);
  return levels;
}

/** `--gap-threshold`: exact nanoseconds of a positive number of seconds. */
function positiveSeconds(value: string): number {
  const ns = parseSeconds(value);
  if (ns === null || ns <= 0) throw new InvalidArgumentError('expected a positive number of seconds, e.g. 0.5');
  return ns;
}

export function integerOption(flags: string, description: string, min: number, max: number): Option {
  return new Option(flags, description).argParser((value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return Number(value);
  });
}

/** What every command reads. */
const INPUT_HELP =
  'perf script output (or a V8 .cpuprofile, Chrome trace or folded stacks, told by their content), plain or gzip: one file, several (read as one profile on one time axis, ordered by their first sample), or a directory of them; - for stdin';

/** The input files as messages name them (`-` is `<stdin>`). */
function inputNames(files: readonly string[]): string[] {
  return files.map((f) => (f === '-' ? '<stdin>' : f));
}

/** Reads the input files into one profile and reports their recoverable oddities, one line each, naming the file. */
export async function load(files: readonly string[], progress = true, stream?: { take: (window: Profile) => void }): Promise<Profile> {
  input = inputNames(files).join(' ');
  const started = Date.now();
  let shown = false;
  let drawn = 0;
  // A bar on a terminal only, from the first second on, redrawn at most ten times a second.
  const onProgress =
    progress && io.stderr.isTTY === true
      ? (read: number, total: number) => {
          const now = Date.now();
          if (now - started < 1000 || now - drawn < 100) return;
          shown = true;
          drawn = now;
          io.stderr.write(`\rflamescope: reading ${input}: ${progressLine(read, total, now - started)}\x1b[K`);
        }
      : undefined;
  const window = stream === undefined ? undefined : { samples: WINDOW_SAMPLES, take: (w: Profile) => stream.take(w) };
  const read = await readProfiles(files, { stdin: io.stdin, ...(onProgress === undefined ? {} : { onProgress }), ...(window === undefined ? {} : { window }) });
  if (shown) io.stderr.write('\r\x1b[K');
  const profile = read.profile;
  input = profile.source;
  for (const file of read.files) {
    const { warnings, notes } = parseMessages(file.warnings);
    for (const message of warnings) warnAbout(file.name, message);
    for (const message of notes) io.stderr.write(`flamescope: ${file.name}: note: ${message}\n`);
  }
  for (const notice of read.warnings) warnAbout(notice.file, notice.message);
  return profile;
}

/** What the parser skipped or clamped (warnings) and the side-band records it left out (a note), one line each. */
export function parseMessages(w: Profile['warnings']): { warnings: string[]; notes: string[] } {
  const out: string[] = [];
  const notes: string[] = [];
  if (w.skippedLines > 0) {
    const first = `first at line ${w.firstSkippedLine}: ${JSON.stringify(w.firstSkippedText)}`;
    // A file mostly unread is more likely not perf script output (or a dialect we do not know) than noisy.
    if (w.skippedLines * 2 > w.recordLines) {
      const percent = Math.round((100 * w.skippedLines) / w.recordLines);
      out.push(
        `MOST OF THIS FILE WAS NOT READ: skipped ${count(w.skippedLines, 'line')} of ${w.recordLines.toLocaleString('en-US')} (${percent}%) that are not perf script records (${first}); the profile below is built from the rest only`,
      );
    } else {
      out.push(`skipped ${count(w.skippedLines, 'unparseable line')} (${first})`);
    }
  }
  if (w.sideBandRecords > 0) {
    notes.push(`left out ${count(w.sideBandRecords, 'side-band record')} (${w.sideBandKinds.join(', ')}): they are not samples`);
  }
  if (w.clampedPeriods > 0) {
    out.push(
      `${count(w.clampedPeriods, 'sample')} had a period beyond 2^53 (first at line ${w.firstClampedLine}), counted as ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return { warnings: out, notes };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The rows the report's page can switch to (its largest choice), which its heat map must also fit. */
const PAGE_MAX_ROWS = 100;

export function maxColumnsOption(): Option {
  return new Option('--max-columns <n>', 'draw a heat map up to this many seconds wide (default: 200,000, or 10 million cells / rows when fewer)').argParser(
    (value: string) => {
      if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('expected a whole number of columns, e.g. 100000');
      return Number(value);
    },
  );
}

/** Two recordings concatenated, or one corrupt timestamp, stretch the time axis: say where. */
export function warnTimeJump(profile: Profile): void {
  const jump = profile.warnings.timeJump;
  if (jump !== undefined) warn(profile, `${timeJumpText(jump)} (two recordings concatenated, or a corrupt timestamp?)`);
}

export function warn(profile: Profile, message: string): void {
  warnAbout(profile.source, message);
}

function warnAbout(file: string, message: string): void {
  io.stderr.write(`flamescope: ${file}: warning: ${message}\n`);
}

/** Writes output (whole, or in pieces as they are made) to a file, or to stdout (waiting until it is flushed). */
export async function emit(output: string | undefined, text: string | Uint8Array | Iterable<string>): Promise<void> {
  if (output !== undefined && output !== '-') {
    try {
      await writeFile(output, text);
    } catch (e) {
      throw new UserError(output, `cannot write: ${(e as Error).message}`);
    }
    return;
  }
  if (typeof text === 'string' || text instanceof Uint8Array) return writeStdout(text);
  for (const piece of text) await writeStdout(piece);
}

async function writeStdout(text: string | Uint8Array): Promise<void> {
  // A reader that stops early (`collapse | head`) closes the pipe: the write's callback hands EPIPE to main(),
  // which ends quietly. Without a listener the stream would also throw it as an unhandled 'error' event.
  const stdout = io.stdout;
  if (!stdout.listeners('error').includes(errorsGoToWriteCallbacks)) stdout.on('error', errorsGoToWriteCallbacks);
  await new Promise<void>((resolve, reject) => {
    stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function errorsGoToWriteCallbacks(): void {}

// ---- top (issue 9) ----
interface TopFlags extends FilterFlags {
  from?: string;
  to?: string;
  by: 'function' | BreakdownBy;
  sort: FunctionSort;
  limit?: number;
  event?: string;
  idle: IdleMode;
  weight: WeightMode;
  metric?: string;
  rate?: boolean;
  hideCategories?: boolean;
  mergeLines?: boolean;
  format: 'text' | 'json';
  output?: string;
}

/** `top`'s output: the function table of the flame graph `flame` draws for the same options, or a breakdown. */
function topCommand(profile: Profile, o: TopFlags): string {
  const range = resolveRange(profile, o.from, o.to);
  const event = chooseEvent(profile, o.event, o.idle === 'drop');
  const weights = weightsOf(profile, o, event);
  const naming: NameOptions = { ...DISPLAY_NAMES, mergeLines: o.mergeLines === true, hideCategories: o.hideCategories === true };
  const samples = selectSamples(profile, { event, idle: o.idle, range, filter: filterOf(profile, o, naming) });
  const seconds = (ns: number): number => Number(formatSeconds(ns));
  const header = {
    source: profile.source,
    event: profile.events[event] ?? '',
    selection: range === null ? 'whole profile' : `${formatSeconds(range.start)}–${formatSeconds(range.end)} s`,
    idle: o.idle === 'drop' ? 'idle dropped' : 'idle kept',
    metric: weights.name,
    unit: weights.unit,
  };
  const more = { from: range === null ? null : seconds(range.start), to: range === null ? null : seconds(range.end), t0: profile.hasTime ? profile.t0 : null };
  const limit = o.limit ?? (o.format === 'json' ? Number.MAX_SAFE_INTEGER : 25);
  if (o.by !== 'function') {
    // Samples without the metric weigh nothing anywhere else (the flame graph leaves them out): here too.
    const weighed = weights.values === null ? samples : samples.filter((i) => !Number.isNaN(weightOf(weights, i)));
    const b = breakdown(profile, weighed, weights, o.by);
    return o.format === 'json' ? breakdownJson(b, header, limit, more) : breakdownText(b, header, limit);
  }
  const table = functionTable(buildFlameTree(profile, samples, { weights, names: new FrameNames(profile, naming) }));
  const rows = sortFunctions(table.rows, o.sort);
  return o.format === 'json' ? functionsJson(table, rows, header, o.sort, limit, more) : functionsText(table, rows, header, o.sort, limit);
}

// ---- explain (issue 8) ----
interface ExplainFlags extends FilterFlags {
  from: string;
  to: string;
  baseline: string;
  event?: string;
  idle: IdleMode;
  weight: WeightMode;
  metric?: string;
  rate?: boolean;
  rows: number;
  top: number;
  recur: number;
  format: 'text' | 'json';
  output?: string;
}

/** `explain`'s output for a loaded profile. */
function explainCommand(profile: Profile, o: ExplainFlags): string {
  const range = resolveRange(profile, o.from, o.to)!;
  const baseline = parseBaseline(profile, o.baseline);
  const event = chooseEvent(profile, o.event, o.idle === 'drop');
  const weights = weightsOf(profile, o, event);
  const names = new FrameNames(profile, DISPLAY_NAMES);
  const filter = filterOf(profile, o);
  const e = explain(profile, { event, idle: o.idle, range, baseline, weights, names, filter });
  const found = searchRecurrences(profile, e, names, { event, idle: o.idle, weights, rows: o.rows, filter }, o.recur);
  const rows = e.rows.map((row) => ({ row, recurrences: found.get(row) ?? null }));
  const span = (r: TimeRange): string => `${formatSeconds(r.start)}–${formatSeconds(r.end)} s`;
  const header = {
    source: profile.source,
    event: profile.events[event] ?? '',
    selection: span(range),
    baseline: baseline.kind === 'rest' ? 'the rest of the profile' : baseline.kind === 'whole' ? 'the whole profile' : span(baseline.range),
    idle: o.idle === 'drop' ? 'idle dropped' : 'idle kept',
    rows: o.rows,
  };
  if (o.format === 'json') {
    const seconds = (ns: number): number => Number(formatSeconds(ns));
    const base = baseline.kind === 'range' ? { from: seconds(baseline.range.start), to: seconds(baseline.range.end) } : baseline.kind;
    return explainJson(e, rows, header, { from: seconds(range.start), to: seconds(range.end), baseline: base, t0: profile.t0 });
  }
  return explainText(e, rows, header, o.top);
}

/** `--baseline rest|whole|C:D`. */
function parseBaseline(profile: Profile, text: string): Baseline {
  if (text === 'rest' || text === 'whole') return { kind: text };
  const m = /^([^:]+):([^:]+)$/.exec(text);
  if (m === null) throw new UserError(profile.source, `--baseline ${JSON.stringify(text)} is not rest, whole or C:D in seconds, e.g. 10:20`);
  try {
    return { kind: 'range', range: resolveRange(profile, m[1]!, m[2]!)! };
  } catch (e) {
    // resolveRange words it for --from and --to.
    if (e instanceof UserError) throw new UserError(e.file, `--baseline ${text}: ${e.message.replace(/--(from|to) /g, '')}`);
    throw e;
  }
}
