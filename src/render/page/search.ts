// Frame search that can never block the page: the user's regular expression runs in a Web Worker over the
// distinct frame names (a few thousand, not one test per drawn frame), with a time budget. Past the budget the
// worker is terminated (the only way to stop a running regex) and the answer is "too slow".
import type { FlameNode } from '../../flamegraph/tree';
import { SEARCH_WORKER_SCRIPT } from '../inline-scripts';

/** Page → worker: new names to append to its table, or a pattern to match against the whole table. */
export type SearchRequest = { type: 'names'; names: string[] } | { type: 'match'; id: number; source: string; flags: string };
/** Worker → page: the table indices of the names that match. */
export interface SearchReply {
  id: number;
  hits: Int32Array;
  /** The pattern threw while matching (V8: backtracking stack overflow). */
  error?: string;
}

/** What a search found: the matching names, or why there is no answer. */
export type SearchResult =
  | { kind: 'matched'; names: ReadonlySet<string> }
  | { kind: 'invalid'; message: string }
  | { kind: 'too-slow'; budgetMs: number }
  | { kind: 'unavailable'; message: string }
  /** A newer search started before this one finished. */
  | { kind: 'superseded' };

/** How long a pattern may run before the search gives up on it. */
export const SEARCH_BUDGET_MS = 1000;

/** The flags a search uses: never `g` or `y`, whose `lastIndex` state would make `test` skip matches. */
export function searchFlags(ignoreCase: boolean): string {
  return ignoreCase ? 'i' : '';
}

/** The search text as a regular expression, or the reason it is not one. Compiling is linear; matching is not. */
export function compileSearch(text: string, ignoreCase: boolean): RegExp | string {
  try {
    return new RegExp(text, searchFlags(ignoreCase));
  } catch (e) {
    return (e as Error).message;
  }
}

/** The distinct frame names under the root (the root `all` is never a match), walked without recursion. */
export function distinctNames(root: FlameNode): Set<string> {
  const names = new Set<string>();
  const pending = [...root.children];
  while (pending.length > 0) {
    const node = pending.pop()!;
    names.add(node.name);
    for (const c of node.children) pending.push(c);
  }
  return names;
}

interface Running {
  id: number;
  timer: ReturnType<typeof setTimeout>;
  finish(result: SearchResult): void;
}

/**
 * Matches patterns against a growing table of frame names in a worker. One search at a time: a new one
 * supersedes the last (and terminates the worker if that one is still running, since a worker runs one regex
 * to its end before it reads its next message).
 */
export class NameSearch {
  private readonly names: string[] = [];
  private readonly known = new Set<string>();
  private worker: Worker | null = null;
  /** How many of `names` the current worker holds. */
  private sent = 0;
  private url: string | null = null;
  private running: Running | null = null;
  private nextId = 1;
  private broken: string | null = null;

  constructor(private readonly budgetMs = SEARCH_BUDGET_MS) {}

  /** Adds names not seen before; returns whether the table grew (earlier answers may then be incomplete). */
  addNames(names: Iterable<string>): boolean {
    const before = this.names.length;
    for (const name of names) {
      if (!this.known.has(name)) {
        this.known.add(name);
        this.names.push(name);
      }
    }
    return this.names.length > before;
  }

  /** The names matching `source`, answered within the budget or given up as too slow. */
  match(source: string, ignoreCase: boolean): Promise<SearchResult> {
    this.cancel();
    const compiled = compileSearch(source, ignoreCase);
    if (typeof compiled === 'string') return Promise.resolve({ kind: 'invalid', message: compiled });
    if (this.names.length === 0) return Promise.resolve({ kind: 'matched', names: new Set() });
    const worker = this.ready();
    if (worker === null) return Promise.resolve({ kind: 'unavailable', message: this.broken ?? 'no Web Worker' });
    const id = this.nextId++;
    return new Promise<SearchResult>((resolve) => {
      const timer = setTimeout(() => {
        this.stop();
        resolve({ kind: 'too-slow', budgetMs: this.budgetMs });
      }, this.budgetMs);
      this.running = {
        id,
        timer,
        finish: (result) => {
          clearTimeout(timer);
          this.running = null;
          resolve(result);
        },
      };
      worker.postMessage({ type: 'match', id, source, flags: searchFlags(ignoreCase) } satisfies SearchRequest);
    });
  }

  /** Drops the search in progress, if any (its promise resolves as superseded). */
  cancel(): void {
    const running = this.running;
    if (running === null) return;
    // The worker is busy with that pattern, and may stay busy for minutes: replace it.
    this.stop();
    running.finish({ kind: 'superseded' });
  }

  private stop(): void {
    if (this.running !== null) clearTimeout(this.running.timer);
    this.running = null;
    this.worker?.terminate();
    this.worker = null;
    this.sent = 0;
  }

  /** The worker, started (again) if needed, holding every name. Null if this browser cannot run it. */
  private ready(): Worker | null {
    if (this.broken !== null) return null;
    if (this.worker === null) {
      try {
        this.url ??= URL.createObjectURL(new Blob([SEARCH_WORKER_SCRIPT], { type: 'text/javascript' }));
        const worker = new Worker(this.url);
        worker.onmessage = (e: MessageEvent<SearchReply>) => this.answer(e.data);
        worker.onerror = (e) => this.fail(e.message || 'the search worker failed to start');
        this.worker = worker;
      } catch (e) {
        this.broken = (e as Error).message;
        return null;
      }
    }
    if (this.sent < this.names.length) {
      this.worker.postMessage({ type: 'names', names: this.names.slice(this.sent) } satisfies SearchRequest);
      this.sent = this.names.length;
    }
    return this.worker;
  }

  private answer(reply: SearchReply): void {
    const running = this.running;
    if (running === null || running.id !== reply.id) return;
    if (reply.error !== undefined) {
      running.finish({ kind: 'invalid', message: reply.error });
      return;
    }
    const names = new Set<string>();
    for (const i of reply.hits) names.add(this.names[i]!);
    running.finish({ kind: 'matched', names });
  }

  private fail(message: string): void {
    this.broken = message;
    const running = this.running;
    this.stop();
    running?.finish({ kind: 'unavailable', message });
  }
}
