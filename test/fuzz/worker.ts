// A fuzz worker thread: runs cases one after another through the built CLI's main(), in this thread, with stdin,
// stdout and stderr in memory, and tells the runner when each case starts (for its watchdog) and how it ended.
import { Readable, Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { main as Main } from '../../src/cli';
import { caseInput, type FuzzCase } from './cases';
import { runProblem } from './promises';
import { loadSeeds } from './seeds';

export interface WorkerSetup {
  root: string;
  /** file: URL of the built CLI (dist/cli.js). */
  cli: string;
  maxSeedBytes: number;
  /** Output beyond this many bytes is a failure (memory must stay bounded). */
  maxOutputBytes: number;
}

/** One case to run: a generated case, or (while minimising) explicit input bytes. */
export interface Job {
  id: number;
  case?: FuzzCase;
  input?: Uint8Array;
  args: string[];
  chunk: number;
}

export type WorkerMessage =
  | { type: 'start'; id: number }
  | { type: 'result'; id: number; ms: number; problem: string | null; code: number; error?: string }
  | { type: 'idle' };

/** Collects what the CLI writes, up to a limit; or only its tail, when that is all the checks read. */
class Sink extends Writable {
  private chunks: Buffer[] = [];
  private kept = 0;
  bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly tailOnly = false,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += data.length;
    if (this.tailOnly) {
      this.chunks.push(data);
      this.kept += data.length;
      while (this.kept - this.chunks[0]!.length >= 1 << 16) this.kept -= this.chunks.shift()!.length;
    } else if (this.bytes <= this.limit) {
      this.chunks.push(data);
    }
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The input in chunks of `size` bytes (at most 20,000 chunks, so that a 1-byte chunk size stays quick). */
function* chunks(input: Uint8Array, size: number): Generator<Buffer> {
  const step = Math.max(size, Math.ceil(input.length / 20000));
  for (let i = 0; i < input.length; i += step) yield Buffer.from(input.subarray(i, i + step));
}

async function runJob(main: typeof Main, setup: WorkerSetup, seeds: ReturnType<typeof loadSeeds>, job: Job): Promise<{ problem: string | null; code: number; error?: string }> {
  const input = job.input ?? caseInput(job.case!, seeds);
  // The text heat map is checked by its end (the legend): a long one in colour is hundreds of megabytes.
  const textFormat = job.args[0] === 'heatmap' && job.args[job.args.indexOf('--format') + 1] === 'text';
  const stdout = new Sink(setup.maxOutputBytes, textFormat);
  const stderr = new Sink(setup.maxOutputBytes);
  let code: number;
  try {
    code = await main(job.args, { stdin: Readable.from(chunks(input, job.chunk)), stdout, stderr });
  } catch (e) {
    return { problem: `main() threw: ${(e as Error).stack ?? String(e)}`, code: -1 };
  }
  if (stdout.bytes > setup.maxOutputBytes && !textFormat) return { problem: `more than ${setup.maxOutputBytes} bytes of output`, code };
  const err = stderr.text();
  // The CLI turns a failed allocation into a clear line; on a small input that line hides a bug.
  if (err.includes('too large to make in memory') && input.length < 16 << 20) return { problem: `out of memory on a ${input.length}-byte input: ${err.trim()}`, code };
  const error = code === 0 ? undefined : err.trimEnd().split('\n').pop()!.slice(0, 200);
  return { problem: runProblem(job.args, { code, stdout: stdout.text(), stderr: err }), code, error };
}

if (parentPort !== null) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const { main } = (await import(setup.cli)) as { main: typeof Main };
  const seeds = loadSeeds(setup.root, setup.maxSeedBytes);
  const post = (m: WorkerMessage): void => port.postMessage(m);
  port.on('message', async (jobs: Job[]) => {
    for (const job of jobs) {
      post({ type: 'start', id: job.id });
      const started = performance.now();
      const { problem, code, error } = await runJob(main, setup, seeds, job);
      post({ type: 'result', id: job.id, ms: performance.now() - started, problem, code, error });
    }
    post({ type: 'idle' });
  });
}
