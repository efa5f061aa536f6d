// Paths into the shared corpus (../shared/corpus from the project root) and the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = resolve(ROOT, '../shared/corpus');
export const corpus = (...parts: string[]): string => join(CORPUS, ...parts);

/** The input in perf/ or recorded/ that a folded/ stem names. */
export function inputForStem(stem: string): string {
  for (const candidate of [corpus('perf', `${stem}.txt`), corpus('recorded', `${stem}.txt.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no corpus input for ${stem}`);
}

/** Every expected folded file: `<stem>-collapsed[-<opt>].txt`. */
export function foldedCases(): { file: string; stem: string; option: string | null }[] {
  return readdirSync(corpus('folded'))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const m = /^(.*)-collapsed(?:-(\w+))?\.txt$/.exec(file);
      if (m === null) throw new Error(`unexpected folded file ${file}`);
      return { file, stem: m[1]!, option: m[2] ?? null };
    });
}

/** Folded cases grouped by their input (one test per input reads it once for all its options). */
export function byStem<T extends { stem: string }>(cases: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const c of cases) groups.set(c.stem, [...(groups.get(c.stem) ?? []), c]);
  return groups;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds first). */
export function runCli(args: string[], input?: string | Buffer): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/flamescope.js'), ...args], {
    input,
    maxBuffer: 1 << 30,
    encoding: 'buffer',
  });
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
