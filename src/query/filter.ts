// Who a view shows: `--comm REGEX`, `--exclude-comm REGEX`, `--pid LIST`, `--tid LIST`, `--cpu LIST`, compiled once
// per profile into the flags `selectSamples` reads (a regex runs once per distinct thread name, never per sample).
// Pure and free of Node APIs: the page can bundle it.
import { UserError } from '../errors';
import type { SampleFilter } from '../heatmap/range';
import { idsOf, type Profile } from '../parse/profile';

export interface FilterSpec {
  /** Keep threads whose name matches (a JavaScript regular expression, unanchored). */
  comm?: string;
  /** Drop threads whose name matches. */
  excludeComm?: string;
  /** Keep these process ids (as printed: `4242`, flame_prof's `0.245.0`). */
  pids?: readonly string[];
  /** Keep these thread ids. */
  tids?: readonly string[];
  cpus?: readonly number[];
  /** What the user typed for the id lists, for messages (collapse says `--only-pid`); default `--pid`, `--tid`. */
  optionNames?: { pid: string; tid: string };
}

/**
 * Thread names longer than this are tested by their first this-many characters: a name is profile text (a
 * hostile file can hold megabyte comms, one per sample), and even a linear pattern would then cost gigabytes of
 * scanning. perf's comm is at most 16 bytes. (The pattern itself is the user's own, typed on the command line.)
 */
export const COMM_TEST_LENGTH = 256;

/** The filter a spec describes for one profile, or undefined when the spec keeps everything. */
export function compileFilter(profile: Profile, spec: FilterSpec, hasCpu = profile.cpu.some((c) => c >= 0)): SampleFilter | undefined {
  const out: SampleFilter = {};
  if (spec.comm !== undefined || spec.excludeComm !== undefined) {
    const keep = spec.comm === undefined ? null : pattern('--comm', spec.comm, profile);
    const drop = spec.excludeComm === undefined ? null : pattern('--exclude-comm', spec.excludeComm, profile);
    out.comm = Uint8Array.from(profile.comms, (name) => {
      const text = name.slice(0, COMM_TEST_LENGTH);
      return (keep === null || keep.test(text)) && (drop === null || !drop.test(text)) ? 1 : 0;
    });
  }
  if (spec.pids !== undefined || spec.tids !== undefined) {
    if (spec.pids !== undefined && !profile.procs.some((token) => idsOf(token).pid !== '')) {
      // perf script prints the thread id alone unless asked for the pid: a pid filter would silently match
      // only the threads whose id happens to equal it.
      throw new UserError(
        profile.source,
        `${spec.optionNames?.pid ?? '--pid'} needs process ids, and this file has thread ids only (perf script prints the tid alone by default): use ${spec.optionNames?.tid ?? '--tid'}, or print both with \`perf script -F +pid\``,
      );
    }
    const pids = spec.pids === undefined ? null : new Set(spec.pids);
    const tids = spec.tids === undefined ? null : new Set(spec.tids);
    out.proc = Uint8Array.from(profile.procs, (token) => {
      const { pid, tid } = idsOf(token);
      return (pids === null || pids.has(pid)) && (tids === null || tids.has(tid)) ? 1 : 0;
    });
  }
  if (spec.cpus !== undefined) {
    // `hasCpu`: a streamed input's windows are compiled one by one; whether any sample has a CPU is its whole's.
    if (!hasCpu) {
      throw new UserError(profile.source, '--cpu needs the CPU of each sample, and this file has none: print it with `perf script -F +cpu`');
    }
    out.cpu = new Set(spec.cpus);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function pattern(option: string, source: string, profile: Profile): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new UserError(profile.source, `${option} ${JSON.stringify(source)} is not a regular expression: ${(e as Error).message}`);
  }
}

/** `4242,4250` → ['4242', '4250']; null when the list is empty or has an empty item. */
export function parseIdList(text: string): string[] | null {
  const items = text.split(',').map((s) => s.trim());
  return items.some((s) => s === '' || /\s/.test(s)) ? null : items;
}

/** `0,2-3` → [0, 2, 3]; null when it is not a list of CPU numbers and ranges. */
export function parseCpuList(text: string): number[] | null {
  const out: number[] = [];
  for (const item of text.split(',')) {
    const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\s*$/.exec(item);
    if (m === null) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to > 32767) return null;
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/** A regular expression that matches exactly this name (`a.b(c)` → `^a\.b\(c\)$`): a name searched as itself. */
export function exactPattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
