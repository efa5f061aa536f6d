// Who the page's views keep (issue 9): a FilterSpec, as the CLI's --comm/--exclude-comm/--pid/--tid/--cpu say it,
// changed by the breakdown's rows and the "filtered to …" bar, and compiled into the one SampleFilter.
// Rows of one kind are a union (their tids, pids or CPUs merged); different kinds intersect, as on the CLI.
// A thread-name pattern can come from a link, so it is hostile: it is matched in the search worker, under its
// time budget, against the distinct thread names, and never on the page.
import type { SampleFilter } from '../../heatmap/range';
import type { Profile } from '../../parse/profile';
import type { BreakdownBy } from '../../query/breakdown';
import { COMM_TEST_LENGTH, compileFilter, type FilterSpec } from '../../query/filter';
import { NameSearch } from './search';

/** The part of a spec a breakdown's rows set: a row of that kind names one of its items. */
export type WhoPart = 'tids' | 'pids' | 'cpus' | 'comm';

/** The part of the spec a row's own spec fills (a thread of a file without thread ids is its name). */
export function partOf(row: FilterSpec): WhoPart {
  if (row.tids !== undefined) return 'tids';
  if (row.pids !== undefined) return 'pids';
  if (row.cpus !== undefined) return 'cpus';
  return 'comm';
}

/** The part a breakdown of this kind fills, for a profile whose rows look like `sample`. */
export function partOfKind(by: BreakdownBy, sample: FilterSpec | undefined): WhoPart {
  if (by === 'cpu') return 'cpus';
  if (by === 'process') return 'pids';
  return sample === undefined ? 'tids' : partOf(sample);
}

/** Whether a spec keeps everybody. */
export function isEveryone(spec: FilterSpec): boolean {
  return Object.values(spec).every((v) => v === undefined);
}

/** The spec without one part (what a breakdown of that kind is computed under, so that rows can be added). */
export function withoutPart(spec: FilterSpec, part: keyof FilterSpec): FilterSpec {
  const out: FilterSpec = { ...spec };
  delete out[part];
  return out;
}

/** The items of a row in its part (`['15664']`, `[1]`, or the name pattern). */
function itemsOf(row: FilterSpec, part: WhoPart): (string | number)[] {
  if (part === 'comm') return row.comm === undefined ? [] : [row.comm];
  return [...(row[part] ?? [])];
}

/** Whether every item of a row is chosen in the spec (the row is marked). */
export function isChosen(spec: FilterSpec, row: FilterSpec): boolean {
  const part = partOf(row);
  if (part === 'comm') return spec.comm !== undefined && commAlternatives(spec.comm).includes(row.comm!);
  const chosen = new Set<string | number>(spec[part] ?? []);
  return itemsOf(row, part).every((item) => chosen.has(item));
}

/**
 * A row clicked: `add` (Ctrl/Cmd/Shift-click, the checkbox) adds it to the rows chosen of its kind or takes it
 * away; a plain click keeps only it of its kind (or, when it was the only one, none of its kind).
 */
export function toggleRow(spec: FilterSpec, row: FilterSpec, add: boolean): FilterSpec {
  const part = partOf(row);
  const chosen = part === 'comm' ? (spec.comm === undefined ? [] : commAlternatives(spec.comm)) : [...(spec[part] ?? [])];
  const items = itemsOf(row, part);
  const was = isChosen(spec, row);
  let next: (string | number)[];
  if (add) next = was ? chosen.filter((c) => !items.includes(c)) : [...chosen, ...items];
  else next = was && chosen.length === items.length ? [] : items;
  return setPart(spec, part, next);
}

/** The spec with one part replaced by a list of items (none: the part removed). */
export function setPart(spec: FilterSpec, part: WhoPart, items: readonly (string | number)[]): FilterSpec {
  const out = withoutPart(spec, part);
  if (items.length === 0) return out;
  if (part === 'comm') out.comm = items.length === 1 ? String(items[0]) : items.map((p) => `(?:${String(p)})`).join('|');
  else if (part === 'cpus') out.cpus = (items as number[]).slice().sort((a, b) => a - b);
  else out[part] = items.map(String);
  return out;
}

/** The row patterns a merged name pattern was made of (`(?:^a$)|(?:^b$)` → `^a$`, `^b$`), else the pattern itself. */
function commAlternatives(pattern: string): string[] {
  const m = /^\(\?:(\^.*?\$)\)(\|\(\?:\^.*?\$\))*$/.test(pattern) ? pattern.slice(3, -1).split(')|(?:') : null;
  return m ?? [pattern];
}

/** Whether two specs keep the same samples by the same words (for history: following the same link twice). */
export function sameSpec(a: FilterSpec, b: FilterSpec): boolean {
  const norm = (s: FilterSpec) =>
    JSON.stringify([s.comm ?? null, s.excludeComm ?? null, s.pids ?? null, s.tids ?? null, s.cpus === undefined ? null : [...s.cpus].sort((x, y) => x - y)]);
  return norm(a) === norm(b);
}

/** What compiling a spec for the page gave: the filter, and the parts it had to leave out and why. */
export interface CompiledWho {
  filter: SampleFilter | undefined;
  problems: string[];
}

/**
 * Compiles a spec for the page. Ids and CPUs as `compileFilter` does (a part the file cannot do is left out,
 * with the reason); name patterns in the search worker, so that a catastrophic one from a link is given up
 * after the worker's budget instead of freezing the page.
 */
export class WhoCompiler {
  private readonly search = new NameSearch();
  /** The names as `compileFilter` tests them (its first COMM_TEST_LENGTH characters). */
  private readonly tested: string[];
  private readonly memo = new Map<string, Uint8Array | string>();

  constructor(private readonly profile: Profile) {
    this.tested = profile.comms.map((name) => name.slice(0, COMM_TEST_LENGTH));
    this.search.addNames(this.tested);
  }

  async compile(spec: FilterSpec): Promise<CompiledWho> {
    const problems: string[] = [];
    const ids = this.ids(spec, problems);
    if (spec.comm === undefined && spec.excludeComm === undefined) return { filter: ids, problems };
    const keep = spec.comm === undefined ? null : await this.names(spec.comm);
    const drop = spec.excludeComm === undefined ? null : await this.names(spec.excludeComm);
    if (typeof keep === 'string') problems.push(`thread names ~ ${spec.comm}: ${keep}`);
    if (typeof drop === 'string') problems.push(`not thread names ~ ${spec.excludeComm}: ${drop}`);
    const keepFlags = keep instanceof Uint8Array ? keep : null;
    const dropFlags = drop instanceof Uint8Array ? drop : null;
    if (keepFlags === null && dropFlags === null) return { filter: ids, problems };
    const comm = Uint8Array.from(this.tested, (_, k) => ((keepFlags === null || keepFlags[k] === 1) && (dropFlags === null || dropFlags[k] === 0) ? 1 : 0));
    return { filter: { ...ids, comm }, problems };
  }

  /** The id and CPU parts, compiled at once (no pattern in them). */
  ids(spec: FilterSpec, problems: string[] = []): SampleFilter | undefined {
    const parts: FilterSpec = {};
    if (spec.pids !== undefined) parts.pids = spec.pids;
    if (spec.tids !== undefined) parts.tids = spec.tids;
    if (spec.cpus !== undefined) parts.cpus = spec.cpus;
    try {
      return compileFilter(this.profile, parts);
    } catch (e) {
      // A pid list on a file of thread ids, CPUs on a file without them: say so and keep what can be kept.
      problems.push(`${(e as Error).message.replace(/^--(pid|cpu) needs/, (_, option: string) => `${option === 'pid' ? 'processes' : 'CPUs'} need`)}; ignored`);
      const ok: FilterSpec = { ...parts };
      for (const key of ['pids', 'cpus'] as const) {
        try {
          compileFilter(this.profile, { [key]: parts[key] });
        } catch {
          delete ok[key];
        }
      }
      return compileFilter(this.profile, ok);
    }
  }

  /** Per comm id, 1 when the pattern matches its name; or why there is no answer (invalid, too slow). */
  private async names(pattern: string): Promise<Uint8Array | string> {
    const known = this.memo.get(pattern);
    if (known !== undefined) return known;
    const result = await this.search.match(pattern, false);
    let answer: Uint8Array | string;
    if (result.kind === 'matched') answer = Uint8Array.from(this.tested, (name) => (result.names.has(name) ? 1 : 0));
    else if (result.kind === 'invalid') answer = `not a regular expression (${result.message}), ignored`;
    else if (result.kind === 'too-slow') answer = `gave up after ${result.budgetMs} ms, ignored`;
    else if (result.kind === 'unavailable') answer = `cannot be matched here (${result.message}), ignored`;
    else return 'superseded';
    this.memo.set(pattern, answer);
    return answer;
  }
}

/** Every sample two filters both keep: flags and CPU sets intersected (a band is the view's filter AND its row). */
export function intersectFilters(a: SampleFilter | undefined, b: SampleFilter | undefined): SampleFilter | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const both = (x: Uint8Array | undefined, y: Uint8Array | undefined): Uint8Array | undefined =>
    x === undefined ? y : y === undefined ? x : Uint8Array.from(x, (v, k) => (v === 1 && y[k] === 1 ? 1 : 0));
  const out: SampleFilter = {};
  const comm = both(a.comm, b.comm);
  const proc = both(a.proc, b.proc);
  if (comm !== undefined) out.comm = comm;
  if (proc !== undefined) out.proc = proc;
  if (a.cpu !== undefined || b.cpu !== undefined) out.cpu = a.cpu === undefined ? b.cpu : b.cpu === undefined ? a.cpu : new Set([...a.cpu].filter((c) => b.cpu!.has(c)));
  const match = a.match ?? b.match;
  if (match !== undefined) out.match = match;
  return out;
}
