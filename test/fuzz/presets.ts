// The two fuzz runs: `ci` for `npm test` (a few thousand small cases in well under a minute on 2 cores) and
// `long` for `npm run fuzz` (20,000 cases on whole corpus files, lines up to 1 MB, stacks 20,000 deep).
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FuzzOptions, ROOT } from './runner';

/** The default seeds: the same cases on every machine and every run. */
export const CI_SEED = 20251123;
export const LONG_SEED = 1111;

const workers = Math.max(1, Math.min(2, availableParallelism()));

export function ciOptions(log: (line: string) => void = () => {}): FuzzOptions {
  return {
    seed: CI_SEED,
    cases: 3000,
    workers,
    batch: 25,
    caseTimeoutMs: 20_000,
    maxRssMb: 1024,
    workerHeapMb: 512,
    maxSeedBytes: 24 << 10,
    maxOutputBytes: 128 << 20,
    limits: { maxRun: 100_000, maxDepth: 12_000 },
    reproDir: join(tmpdir(), 'flamescope-fuzz'),
    minimizeMs: 20_000,
    log,
  };
}

export function longOptions(log: (line: string) => void = () => {}): FuzzOptions {
  return {
    seed: LONG_SEED,
    cases: 20_000,
    workers,
    batch: 25,
    caseTimeoutMs: 30_000,
    maxRssMb: 1024,
    workerHeapMb: 512,
    maxSeedBytes: 2 << 20,
    maxOutputBytes: 256 << 20,
    limits: { maxRun: 1 << 20, maxDepth: 20_000 },
    reproDir: join(ROOT, '.fuzz'),
    minimizeMs: 120_000,
    log,
  };
}
