// Runs fuzz cases in worker threads, in batches, with a watchdog: a case that runs past its time limit, or
// while the process passes its memory limit, has its worker killed and is reported by id; the rest of its batch
// goes on in a fresh worker. Failures are shrunk to a small input written to a reproducer file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { type CaseLimits, caseInput, type FuzzCase, generateCases } from './cases';
import { loadSeeds } from './seeds';
import type { Job, WorkerMessage, WorkerSetup } from './worker';

export interface FuzzOptions {
  seed: number;
  cases: number;
  workers: number;
  /** Cases sent to a worker at a time. */
  batch: number;
  caseTimeoutMs: number;
  /** Peak resident memory of this process (workers included) that counts as a failure. */
  maxRssMb: number;
  /** V8 heap limit of each worker. */
  workerHeapMb: number;
  maxSeedBytes: number;
  maxOutputBytes: number;
  limits: CaseLimits;
  /** Where reproducers are written. */
  reproDir: string;
  /** Shrink failing inputs before writing them (costs up to `minimizeMs` per failure). */
  minimizeMs: number;
  /** Run only the case with this id (of the `cases` generated), and save its input as a reproducer. */
  only?: number;
  log: (line: string) => void;
}

export interface FuzzFailure {
  id: number;
  args: string[];
  problem: string;
  /** The (shrunk) input that shows the failure, and the command line that replays it. */
  reproducer?: string;
  command?: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  failures: FuzzFailure[];
  /** Exit codes seen, e.g. {"0": 2400, "1": 600}. */
  exits: Record<string, number>;
  /** The error lines of failed runs (numbers and quoted text elided), most frequent first. */
  errors: [string, number][];
  maxCaseMs: number;
  slowestCase: string;
  peakRssMb: number;
  seconds: number;
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundles the worker (TypeScript) next to the built CLI it runs. */
async function buildWorker(): Promise<string> {
  const cli = join(ROOT, 'dist/cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const outfile = join(ROOT, 'dist/fuzz/worker.js');
  await build({
    entryPoints: [join(ROOT, 'test/fuzz/worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

type Outcome = { id: number; ms: number; problem: string | null; code: number; error?: string };

/** One worker thread and the batch it is running. */
class Lane {
  private worker: Worker | null = null;
  running: Job | null = null;
  startedAt = 0;
  private pending: Job[] = [];
  private finish: (() => void) | null = null;

  constructor(
    private readonly script: string,
    private readonly setup: WorkerSetup,
    private readonly heapMb: number,
    private readonly report: (o: Outcome) => void,
  ) {}

  /** Runs jobs until all are reported (killed ones included); resolves then. */
  run(jobs: Job[]): Promise<void> {
    this.pending = [...jobs];
    return new Promise<void>((done) => {
      this.finish = done;
      this.next();
    });
  }

  private next(): void {
    if (this.pending.length === 0) {
      const done = this.finish;
      this.finish = null;
      done?.();
      return;
    }
    const worker = this.spawn();
    worker.postMessage(this.pending);
  }

  private spawn(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(this.script, { workerData: this.setup, resourceLimits: { maxOldGenerationSizeMb: this.heapMb }, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        this.running = this.pending.find((j) => j.id === m.id) ?? null;
        this.startedAt = performance.now();
      } else if (m.type === 'result') {
        this.pending = this.pending.filter((j) => j.id !== m.id);
        this.running = null;
        this.report(m);
      } else {
        this.next();
      }
    });
    worker.on('error', (e) => this.kill(`worker died: ${e.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.kill('worker exited');
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the running case as failed (hang, memory, crash) and goes on with the rest in a new worker. */
  kill(problem: string): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    const job = this.running ?? this.pending[0];
    this.running = null;
    if (job !== undefined) {
      this.pending = this.pending.filter((j) => j !== job);
      this.report({ id: job.id, ms: performance.now() - this.startedAt, problem, code: -1 });
    }
    if (this.finish !== null) this.next();
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}

/** A pool of lanes fed from one queue of batches, under one watchdog. */
class Pool {
  readonly lanes: Lane[];
  peakRss = 0;
  /** After a kill for memory, the freed memory takes a moment to leave the RSS: no second verdict until then. */
  private memoryQuietUntil = 0;

  constructor(
    count: number,
    script: string,
    setup: WorkerSetup,
    private readonly o: FuzzOptions,
    report: (o: Outcome) => void,
  ) {
    this.lanes = Array.from({ length: count }, () => new Lane(script, setup, o.workerHeapMb, report));
  }

  async run(jobs: Job[]): Promise<void> {
    const batches: Job[][] = [];
    for (let i = 0; i < jobs.length; i += this.o.batch) batches.push(jobs.slice(i, i + this.o.batch));
    const watchdog = setInterval(() => this.watch(), 100);
    try {
      await Promise.all(
        this.lanes.map(async (lane) => {
          for (let b = batches.shift(); b !== undefined; b = batches.shift()) await lane.run(b);
        }),
      );
    } finally {
      clearInterval(watchdog);
    }
  }

  private watch(): void {
    const rss = process.memoryUsage.rss() / 2 ** 20;
    this.peakRss = Math.max(this.peakRss, rss);
    const now = performance.now();
    const overMemory = rss > this.o.maxRssMb && now > this.memoryQuietUntil;
    if (overMemory) this.memoryQuietUntil = now + 2000;
    for (const lane of this.lanes) {
      if (lane.running === null) continue;
      if (overMemory) lane.kill(`memory: the process passed ${this.o.maxRssMb} MB RSS (${rss.toFixed(0)} MB) while this case ran`);
      else if (now - lane.startedAt > this.o.caseTimeoutMs) lane.kill(`hang: still running after ${this.o.caseTimeoutMs / 1000} s`);
    }
  }

  close(): void {
    for (const lane of this.lanes) lane.close();
  }
}

/** What kind of failure a problem is, so that shrinking keeps the same failure and not just any. */
const kindOf = (problem: string): string => problem.replace(/\d+/g, 'N').slice(0, 50);

/** Delta debugging over lines: drops chunks of lines while the same kind of failure remains. */
async function shrink(script: string, setup: WorkerSetup, timeoutMs: number, job: Job, input: Buffer, problem: string, budgetMs: number): Promise<Buffer> {
  const deadline = performance.now() + budgetMs;
  const kind = kindOf(problem);
  let lines = input.toString('latin1').split('\n');
  let id = 1_000_000_000;
  const fails = async (candidate: string[]): Promise<boolean> => {
    let outcome: Outcome | null = null;
    const lane = new Lane(script, setup, 1024, (o) => (outcome = o));
    const watchdog = setInterval(() => {
      if (lane.running !== null && performance.now() - lane.startedAt > timeoutMs) lane.kill(`hang: still running after ${timeoutMs / 1000} s`);
    }, 100);
    await lane.run([{ ...job, id: id++, case: undefined, input: Buffer.from(candidate.join('\n'), 'latin1') }]);
    clearInterval(watchdog);
    lane.close();
    const o = outcome as Outcome | null;
    return o !== null && o.problem !== null && kindOf(o.problem) === kind;
  };
  let parts = 2;
  while (lines.length > 1 && performance.now() < deadline) {
    const size = Math.ceil(lines.length / parts);
    let removed = false;
    for (let start = 0; start < lines.length && performance.now() < deadline; start += size) {
      const candidate = [...lines.slice(0, start), ...lines.slice(start + size)];
      if (await fails(candidate)) {
        lines = candidate;
        parts = Math.max(parts - 1, 2);
        removed = true;
        break;
      }
    }
    if (!removed) {
      if (size === 1) break;
      parts = Math.min(parts * 2, lines.length);
    }
  }
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** Generates `o.cases` cases from `o.seed`, runs them, and shrinks and saves the failures. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const script = await buildWorker();
  const seeds = loadSeeds(ROOT, o.maxSeedBytes);
  const setup: WorkerSetup = { root: ROOT, cli: pathToFileURL(join(ROOT, 'dist/cli.js')).href, maxSeedBytes: o.maxSeedBytes, maxOutputBytes: o.maxOutputBytes };
  const all = generateCases(o.seed, o.cases, seeds.length, o.limits);
  const cases = o.only === undefined ? all : all.filter((c) => c.id === o.only);
  if (o.only !== undefined) {
    const c = cases[0]!;
    mkdirSync(o.reproDir, { recursive: true });
    const path = join(o.reproDir, `case-seed${o.seed}-case${c.id}.input`);
    writeFileSync(path, caseInput(c, seeds));
    o.log(`case ${c.id}: ${JSON.stringify(c)}\n  input: ${path}`);
  }
  const byId = new Map<number, FuzzCase>(cases.map((c) => [c.id, c]));
  const failures: FuzzFailure[] = [];
  const exits: Record<string, number> = {};
  const errors = new Map<string, number>();
  let maxCaseMs = 0;
  let slowestCase = '';
  let done = 0;
  const report = (r: Outcome): void => {
    done++;
    exits[String(r.code)] = (exits[String(r.code)] ?? 0) + 1;
    if (r.error !== undefined) {
      const kind = r.error.replace(/"(?:[^"\\]|\\.)*"?|\d[\d,.]*/g, '…').slice(0, 90);
      errors.set(kind, (errors.get(kind) ?? 0) + 1);
    }
    const c = byId.get(r.id)!;
    if (r.ms > maxCaseMs) {
      maxCaseMs = r.ms;
      slowestCase = `case ${r.id}: ${c.args.join(' ')} on ${seeds[c.seed]!.name}`;
    }
    if (r.problem !== null) {
      failures.push({ id: r.id, args: c.args, problem: r.problem });
      o.log(`FAIL case ${r.id} (seed ${o.seed}): ${c.args.join(' ')} on ${seeds[c.seed]!.name}: ${r.problem.split('\n')[0]}`);
    }
    if (process.env.FUZZ_TRACE) o.log(`case ${r.id} ${r.ms.toFixed(0)} ms exit ${r.code} rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB: ${c.args.join(' ')} on ${seeds[c.seed]!.name}`);
    if (done % 1000 === 0) o.log(`${done} cases, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  };
  const pool = new Pool(o.workers, script, setup, o, report);
  try {
    await pool.run(cases.map((c) => ({ id: c.id, case: c, args: c.args, chunk: c.chunk })));
    pool.close();
    // Shrink and save the first few failures of each kind.
    const saved = new Set<string>();
    for (const f of failures) {
      const kind = kindOf(f.problem);
      if (saved.has(kind) || saved.size >= 10) continue;
      saved.add(kind);
      const c = byId.get(f.id)!;
      const input = caseInput(c, seeds);
      const job: Job = { id: c.id, args: c.args, chunk: c.chunk };
      const small = o.minimizeMs > 0 ? await shrink(script, setup, o.caseTimeoutMs, job, input, f.problem, o.minimizeMs) : input;
      mkdirSync(o.reproDir, { recursive: true });
      const gz = small[0] === 0x1f && small[1] === 0x8b;
      f.reproducer = join(o.reproDir, `fuzz-seed${o.seed}-case${c.id}.${gz ? 'txt.gz' : 'txt'}`);
      writeFileSync(f.reproducer, small);
      f.command = `node bin/flamescope.js ${c.args.map((a, k) => (a === '-' && c.args[k - 1] !== '-o' ? f.reproducer : a)).join(' ')}`;
    }
  } finally {
    pool.close();
  }
  return {
    seed: o.seed,
    cases: done,
    failures,
    exits,
    errors: [...errors].sort((a, b) => b[1] - a[1]),
    maxCaseMs,
    slowestCase,
    peakRssMb: Math.max(pool.peakRss, process.memoryUsage.rss() / 2 ** 20),
    seconds: (performance.now() - started) / 1000,
  };
}
