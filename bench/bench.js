#!/usr/bin/env node
// `npm run bench`: wall time, throughput and peak RSS of the CLI on the benchmark profile, against the targets
// of issues 2 and 3, then the HTML report in headless Chromium on it and on the synthetic 1-hour, 200,000-stack
// and 5,000-deep profiles of issue 11 (bench/report-bench.js). Every CLI measurement is a fresh child process;
// the figure shown is the median of the runs.
//
//   node bench/bench.js [--runs N] [--quick] [--only cli|report] [--profiles KEY,...] [--moves N]
//                       [--input FILE.txt.gz] [--no-gnu-time] [--sizes GB,...|none]
//
// --quick does one run of each command and page, and 10 mouse moves per drag (a smoke test of the numbers,
// not a measurement); --only skips the other half; --profiles picks report profiles (big999, big999x10, hour,
// hour2x, stacks200k, deep5000; default all); --moves sets the mouse moves per drag (default 30);
// --no-gnu-time uses the in-process RSS probe even where GNU time exists. --sizes (default 1,4) times `collapse`
// and `heatmap` once on inputs of that many GB of text, big999's samples repeated, each copy 61 s later (issue 10:
// peak RSS ≤ 250 MB and flat from 114 MB to 4 GB); `none` (or --quick) skips them.
// With FLAMEGRAPH_DIR set to a FlameGraph checkout (and perl on the PATH), the CLI half also times
// stackcollapse-perf.pl on the same text and prints how many times faster `collapse` is (issue 10: ≥ 11×).
// Peak RSS comes from GNU time (`/usr/bin/time -f '%e %M'`) when it works, else from bench/measure-rss.js, which
// runs the CLI's main() in-process and reports process.resourceUsage().maxRSS.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { repeatShifted, REPORT_PROFILES, reportBenchmark } from './report-bench.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin/flamescope.js');
const MEASURE_RSS = join(ROOT, 'bench/measure-rss.js');
const GNU_TIME = '/usr/bin/time';
const DEFAULT_INPUT = resolve(ROOT, '../shared/corpus/recorded/perf.big999.txt.gz');
const MB = 1e6;

/** The targets of issue 10 ("Speed and memory"; issue 2's were 150 MB/s and 1.0 s), on the 2-core machines the project runs on. */
const TARGETS = {
  collapseMBps: 250,
  heatmapWallS: 0.5,
  peakRssMB: 250,
  /** `collapse` of the plain text against stackcollapse-perf.pl on it, timed when FLAMEGRAPH_DIR has a copy. */
  perlRatio: 11,
};

function parseArgs(argv) {
  const options = { runs: 5, quick: false, input: DEFAULT_INPUT, gnuTime: true, only: null, profiles: new Set(REPORT_PROFILES), moves: 30, sizes: [1, 4] };
  const usage = 'usage: node bench/bench.js [--runs N] [--quick] [--only cli|report] [--profiles KEY,...] [--moves N] [--input FILE.txt.gz] [--no-gnu-time] [--sizes GB,...|none]\n';
  const fail = (why) => {
    process.stderr.write(`bench: ${why}\n${usage}`);
    process.exit(2);
  };
  let moves = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--no-gnu-time') options.gnuTime = false;
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--input') options.input = resolve(argv[++i] ?? '');
    else if (arg === '--only') {
      options.only = argv[++i];
      if (options.only !== 'cli' && options.only !== 'report') fail('--only takes cli or report');
    } else if (arg === '--profiles') {
      options.profiles = new Set((argv[++i] ?? '').split(',').filter(Boolean));
      const unknown = [...options.profiles].filter((p) => !REPORT_PROFILES.includes(p));
      if (unknown.length > 0 || options.profiles.size === 0) fail(`--profiles takes some of ${REPORT_PROFILES.join(',')}`);
    } else if (arg === '--moves') {
      moves = Number(argv[++i]);
      if (!Number.isInteger(moves) || moves < 1) fail('--moves needs a whole number ≥ 1');
    } else if (arg === '--sizes') {
      const value = argv[++i] ?? '';
      options.sizes = value === 'none' ? [] : value.split(',').map(Number);
      if (options.sizes.some((x) => !(x > 0 && x <= 64))) fail('--sizes takes GB of text (e.g. 1,4) or none');
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(usage);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    process.stderr.write('bench: --runs needs a whole number ≥ 1\n');
    process.exit(2);
  }
  if (options.quick) options.runs = 1;
  options.moves = moves ?? (options.quick ? 10 : 30);
  return options;
}

/** The benchmarks. `input` picks the plain text or the gzip file; targets are checked against the medians. */
const CASES = [
  {
    name: 'collapse (plain text)',
    command: 'collapse',
    args: (f) => ['collapse', f.text],
    throughput: true,
    targets: { mbps: TARGETS.collapseMBps, rss: TARGETS.peakRssMB },
  },
  {
    name: 'collapse (.gz)',
    command: 'collapse',
    args: (f) => ['collapse', f.gz],
    throughput: true,
    targets: { rss: TARGETS.peakRssMB },
  },
  {
    name: 'heatmap --format json (.gz)',
    command: 'heatmap',
    args: (f) => ['heatmap', f.gz, '--format', 'json'],
    targets: { wall: TARGETS.heatmapWallS, rss: TARGETS.peakRssMB },
  },
  {
    name: 'flame --format json (.gz)',
    command: 'flame',
    args: (f) => ['flame', f.gz, '--format', 'json'],
    targets: { rss: TARGETS.peakRssMB },
  },
  // diff (issue 8): two 1 s ranges of one file, read once; the figure to compare with flame's.
  {
    name: 'diff 1:2 vs 5:6 svg (.gz)',
    command: 'diff',
    args: (f) => ['diff', `${f.gz}@1:2`, `${f.gz}@5:6`, '--format', 'svg'],
    targets: { rss: TARGETS.peakRssMB },
  },
  // explain (issue 8): within 10 % of the flame graph of the same 1 s range.
  {
    name: 'flame --from 20 --to 21 (.gz)',
    command: 'flame',
    args: (f) => ['flame', f.gz, '--from', '20', '--to', '21'],
    targets: { rss: TARGETS.peakRssMB },
  },
  {
    name: 'explain --from 20 --to 21 (.gz)',
    command: 'explain',
    args: (f) => ['explain', f.gz, '--from', '20', '--to', '21'],
    targets: { rss: TARGETS.peakRssMB, relative: { to: 'flame --from 20 --to 21 (.gz)', factor: 1.1 } },
  },
];

/** The CLI's commands, from its help text. */
function availableCommands() {
  const r = spawnSync(process.execPath, [CLI, 'help'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot run ${CLI}: ${r.stderr || r.error?.message}\n(did the build run? npm run bench builds first)`);
  const commands = new Set();
  const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
  for (const m of section.matchAll(/^ {2}([a-z][\w-]*)/gm)) commands.add(m[1]);
  return commands;
}

/** Whether GNU time works here (it is missing on some machines, and busybox's may lack -f). */
function gnuTimeWorks(scratch) {
  if (!existsSync(GNU_TIME)) return false;
  const out = join(scratch, 'time-probe');
  const r = spawnSync(GNU_TIME, ['-f', '%e %M', '-o', out, process.execPath, '-e', ''], { stdio: 'ignore' });
  if (r.status !== 0 || !existsSync(out)) return false;
  return /^\d+(\.\d+)? \d+\s*$/m.test(readFileSync(out, 'utf8'));
}

/** One fresh process: wall seconds (measured here, startup included) and peak RSS in MB. */
function measureOnce(args, scratch, useGnuTime) {
  const rssFile = join(scratch, 'rss');
  rmSync(rssFile, { force: true });
  const [cmd, cmdArgs] = useGnuTime
    ? [GNU_TIME, ['-f', '%e %M', '-o', rssFile, process.execPath, CLI, ...args]]
    : [process.execPath, [MEASURE_RSS, rssFile, ...args]];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    const stderr = r.stderr.toString('utf8').trim();
    throw new Error(`flamescope ${args.join(' ')} exited with ${r.status ?? r.signal}${stderr ? `: ${stderr}` : ''}`);
  }
  const text = readFileSync(rssFile, 'utf8');
  const kb = useGnuTime ? Number(/(\d+)\s*$/.exec(text.trim())?.[1]) : Number(text);
  return { wall, rssMB: (kb * 1024) / (1 << 20) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function decompress(gz, out) {
  await pipeline(createReadStream(gz), createGunzip(), createWriteStream(out));
  return statSync(out).size;
}

/**
 * Issue 10's memory figures: `collapse` and `heatmap --format json` once each on inputs of `options.sizes` GB of
 * text, big999's samples repeated with each copy shifted 61 s later (its span), written to the scratch directory
 * and removed after. Peak RSS should stay ≤ 250 MB whatever the size.
 */
async function sizeBenchmark(options, files, scratch, useGnuTime, out) {
  out();
  out(`${pad('large input (1 run each)', 30)} ${pad('GB', 6, true)} ${pad('MB/s', 8, true)} ${pad('wall s', 8, true)} ${pad('RSS MB', 8, true)} ${pad('target', 8, true)}  verdict`);
  const rows = [];
  // big999 itself first: "flat" is the same peak at 0.11 GB as at 4 GB.
  for (const gb of [0, ...options.sizes]) {
    const copies = gb === 0 ? 1 : Math.max(1, Math.round((gb * 1e9) / files.textBytes));
    const file = gb === 0 ? files.text : join(scratch, `big999-x${copies}.txt`);
    if (gb !== 0) await repeatShifted(files.text, file, copies, 61);
    const bytes = statSync(file).size;
    for (const command of ['collapse', 'heatmap']) {
      const name = `${command} (${copies} × big999)`;
      try {
        const r = measureOnce([command, file], scratch, useGnuTime);
        const ok = r.rssMB <= TARGETS.peakRssMB;
        out(`${pad(name, 30)} ${pad((bytes / 1e9).toFixed(2), 6, true)} ${pad((bytes / MB / r.wall).toFixed(1), 8, true)} ${pad(r.wall.toFixed(2), 8, true)} ${pad(r.rssMB.toFixed(0), 8, true)} ${pad(`≤ ${TARGETS.peakRssMB}`, 8, true)}  ${ok ? 'PASS' : 'MISS (RSS)'}`);
        rows.push({ name, bytes, wallS: Number(r.wall.toFixed(3)), peakRssMB: Number(r.rssMB.toFixed(1)), pass: ok });
        // The Perl script once on the first large input: the ratio once start-up and warm-up are paid off.
        if (command === 'collapse' && gb === options.sizes[0]) {
          const perl = perlOnce(file);
          if (perl !== null) {
            out(`${pad(`stackcollapse-perf.pl (${copies} × big999)`, 30)} ${pad((bytes / 1e9).toFixed(2), 6, true)} ${pad((bytes / MB / perl).toFixed(1), 8, true)} ${pad(perl.toFixed(2), 8, true)}  → collapse ${(perl / r.wall).toFixed(1)}× faster`);
            rows.push({ name: `stackcollapse-perf.pl (${copies} × big999)`, bytes, wallS: Number(perl.toFixed(3)), collapseRatio: Number((perl / r.wall).toFixed(2)) });
          }
        }
      } catch (e) {
        out(`${pad(name, 30)} FAILED: ${e.message}`);
        rows.push({ name, bytes, failed: e.message });
        process.exitCode = 1;
      }
    }
    if (gb !== 0) rmSync(file, { force: true });
  }
  return rows;
}

/** Seconds of one run of stackcollapse-perf.pl on a file, or null without perl and FLAMEGRAPH_DIR's script. */
function perlOnce(file) {
  const dir = process.env.FLAMEGRAPH_DIR;
  const script = dir === undefined ? null : join(dir, 'stackcollapse-perf.pl');
  if (script === null || !existsSync(script)) return null;
  const start = process.hrtime.bigint();
  const r = spawnSync('perl', [script, file], { stdio: ['ignore', 'ignore', 'ignore'] });
  return r.status === 0 ? Number(process.hrtime.bigint() - start) / 1e9 : null;
}

function pad(text, width, right = false) {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.input)) {
    process.stderr.write(`bench: the benchmark input ${options.input} is missing (it lives in the shared corpus, ../shared/corpus)\n`);
    process.exit(1);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'flamescope-bench-'));
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

  const available = availableCommands();
  const useGnuTime = options.gnuTime && gnuTimeWorks(scratch);
  // The plain text is needed by the CLI half and the 10x profile only: decompressed once, when first asked.
  const text = join(scratch, 'input.txt');
  let textBytes = null;
  const decompressed = async () => {
    textBytes ??= await decompress(options.input, text);
    return text;
  };
  const runCli = options.only !== 'report';
  const runReport = options.only !== 'cli';
  if (runCli) await decompressed();
  const files = { gz: options.input, text, textBytes };
  const cpu = cpus();

  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`flamescope bench: ${relative(process.cwd(), options.input) || options.input}`);
  out(`  input: ${(statSync(options.input).size / MB).toFixed(1)} MB gzip${textBytes === null ? '' : `, ${(textBytes / MB).toFixed(1)} MB of text`} (MB = 10^6 bytes)`);
  out(`  machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on the machine makes figures noisy)`);
  out(`  ${options.runs} run${options.runs === 1 ? '' : 's'} per command, each a fresh process; figures are medians (wall includes node startup)`);
  out(`  peak RSS from ${useGnuTime ? `${GNU_TIME} -f %M` : 'process.resourceUsage().maxRSS (bench/measure-rss.js; GNU time not used)'}`);
  if (options.quick) out('  --quick: one run of each command and page, 10 moves per drag; do not quote these figures');
  out();

  const results = [];
  if (runCli) results.push(...cliBenchmark(options, files, available, scratch, useGnuTime, out));
  let perl = null;
  if (runCli) perl = perlBenchmark(options, files, results, out);
  let sizes = [];
  if (runCli && !options.quick && options.sizes.length > 0) sizes = await sizeBenchmark(options, files, scratch, useGnuTime, out);
  let report = [];
  if (!runReport) out('report: skipped (--only cli)');
  else if (available.has('report')) {
    report = await reportBenchmark({ gz: options.input, text: decompressed }, { cli: CLI, scratch, runs: options.runs, out, pad, profiles: options.profiles, moves: options.moves });
  } else out('report: skipped (`flamescope report` does not exist)');
  out();
  if (options.runs > 1 && results.some((x) => x.runs)) {
    out('wall time spread (min–max):');
    for (const r of results.filter((x) => x.runs)) {
      out(`  ${pad(r.name, 28)} ${Math.min(...r.runs.map((x) => x.wall)).toFixed(3)}–${Math.max(...r.runs.map((x) => x.wall)).toFixed(3)} s`);
    }
  }

  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const record = { date: new Date().toISOString(), input: options.input, textBytes, runs: options.runs, quick: options.quick, only: options.only, loadavg: loadavg(), node: process.version, cpus: cpu.length, report, rssFrom: useGnuTime ? 'gnu-time' : 'resourceUsage', targets: TARGETS, results, perl, sizes };
  writeFileSync(join(ROOT, '.bench/last.json'), `${JSON.stringify(record, null, 2)}\n`);
  out('(saved to .bench/last.json)');
}

/** The CLI half: one table row per CASES entry; returns the results for .bench/last.json. */
function cliBenchmark(options, files, available, scratch, useGnuTime, out) {
  const textBytes = files.textBytes;
  const header = `${pad('command', 30)} ${pad('MB/s', 8, true)} ${pad('target', 8, true)} ${pad('wall s', 8, true)} ${pad('target', 8, true)} ${pad('RSS MB', 8, true)} ${pad('target', 8, true)}  verdict`;
  out(header);
  out('-'.repeat(header.length));
  const results = [];
  for (const c of CASES) {
    if (!available.has(c.command)) {
      out(`${pad(c.name, 30)} skipped: \`flamescope ${c.command}\` does not exist yet`);
      results.push({ name: c.name, skipped: true });
      continue;
    }
    const runs = [];
    try {
      for (let i = 0; i < options.runs; i++) runs.push(measureOnce(c.args(files), scratch, useGnuTime));
    } catch (e) {
      out(`${pad(c.name, 30)} FAILED: ${e.message}`);
      results.push({ name: c.name, failed: e.message });
      process.exitCode = 1;
      continue;
    }
    const wall = median(runs.map((r) => r.wall));
    const rss = median(runs.map((r) => r.rssMB));
    const mbps = c.throughput ? textBytes / MB / wall : undefined;
    const missed = [];
    if (c.targets.mbps !== undefined && !(mbps >= c.targets.mbps)) missed.push('MB/s');
    if (c.targets.wall !== undefined && !(wall <= c.targets.wall)) missed.push('wall');
    if (c.targets.rss !== undefined && !(rss <= c.targets.rss)) missed.push('RSS');
    const reference = c.targets.relative && results.find((r) => r.name === c.targets.relative.to);
    if (reference?.wallS !== undefined && !(wall <= reference.wallS * c.targets.relative.factor)) missed.push(`wall > ${c.targets.relative.factor} × ${reference.name}`);
    const ok = missed.length === 0;
    out(
      `${pad(c.name, 30)} ${pad(mbps === undefined ? '' : mbps.toFixed(1), 8, true)} ${pad(c.targets.mbps === undefined ? '' : `≥ ${c.targets.mbps}`, 8, true)} ` +
        `${pad(wall.toFixed(3), 8, true)} ${pad(c.targets.wall === undefined ? '' : `≤ ${c.targets.wall.toFixed(1)}`, 8, true)} ` +
        `${pad(rss.toFixed(0), 8, true)} ${pad(`≤ ${c.targets.rss}`, 8, true)}  ${ok ? 'PASS' : 'MISS'}${ok ? '' : ` (${missed.join(', ')})`}`,
    );
    results.push({
      name: c.name,
      args: c.args({ gz: '<input.gz>', text: '<input.txt>' }),
      runs: runs.map((r) => ({ wall: Number(r.wall.toFixed(4)), rssMB: Number(r.rssMB.toFixed(1)) })),
      wallS: Number(wall.toFixed(4)),
      peakRssMB: Number(rss.toFixed(1)),
      ...(mbps === undefined ? {} : { mbPerS: Number(mbps.toFixed(1)) }),
      pass: ok,
    });
  }
  return results;
}

/**
 * stackcollapse-perf.pl on the same plain text, when `perl` and a copy of the script (FLAMEGRAPH_DIR, a FlameGraph
 * checkout) are there: its MB/s and how many times faster `collapse (plain text)` is (issue 10: ≥ 11×). The Perl
 * script takes seconds, so it runs at most 3 times; its output is thrown away, as the CLI's is.
 */
function perlBenchmark(options, files, results, out) {
  const dir = process.env.FLAMEGRAPH_DIR;
  const script = dir === undefined ? null : join(dir, 'stackcollapse-perf.pl');
  const collapseRow = results.find((r) => r.name === 'collapse (plain text)');
  if (script === null || !existsSync(script)) {
    out(`stackcollapse-perf.pl: not timed (${dir === undefined ? 'set FLAMEGRAPH_DIR to a FlameGraph checkout' : `no ${script}`}; the ratio target is ≥ ${TARGETS.perlRatio}×)`);
    return null;
  }
  if (spawnSync('perl', ['-e', '1'], { stdio: 'ignore' }).status !== 0) {
    out('stackcollapse-perf.pl: not timed (no working `perl` on the PATH)');
    return null;
  }
  const walls = [];
  for (let i = 0; i < Math.min(options.runs, 3); i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync('perl', [script, files.text], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== 0) {
      out(`stackcollapse-perf.pl: FAILED (exit ${r.status ?? r.signal}: ${r.stderr.toString('utf8').trim().slice(0, 200)})`);
      return { failed: true };
    }
  }
  const wall = median(walls);
  const mbps = files.textBytes / MB / wall;
  const ratio = collapseRow?.wallS === undefined ? undefined : wall / collapseRow.wallS;
  const verdict = ratio === undefined ? '' : ratio >= TARGETS.perlRatio ? '  PASS' : '  MISS';
  out(`${pad('stackcollapse-perf.pl (Perl)', 30)} ${pad(mbps.toFixed(1), 8, true)} ${pad('', 8)} ${pad(wall.toFixed(3), 8, true)}   (${walls.length} run${walls.length === 1 ? '' : 's'}, median)`);
  if (ratio !== undefined) out(`collapse (plain text) vs stackcollapse-perf.pl: ${ratio.toFixed(1)}× faster (target ≥ ${TARGETS.perlRatio}×)${verdict}`);
  return { script, runs: walls.map((w) => Number(w.toFixed(3))), wallS: Number(wall.toFixed(3)), mbPerS: Number(mbps.toFixed(1)), ...(ratio === undefined ? {} : { ratio: Number(ratio.toFixed(2)), pass: ratio >= TARGETS.perlRatio }) };
}

await main();
