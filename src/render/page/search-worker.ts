// The search worker: matches a user's regular expression against the flame graph's distinct frame names, off
// the page's main thread. A catastrophic pattern (`(a+)+$`, `(.*a){12}$`) can run here for minutes; the page
// stops waiting after its time budget and terminates this worker (search.ts), so the page never freezes.
// Bundled on its own (scripts/inline-scripts.js) and started from a Blob URL: the report's CSP allows
// `worker-src blob:` and nothing that reaches the network.
import type { SearchReply, SearchRequest } from './search';

const names: string[] = [];

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<SearchRequest>) => void) | null;
  postMessage(message: SearchReply, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'names') {
    // A loop, not push(...m.names): a spread of 200,000 names would overflow the call stack.
    for (const name of m.names) names.push(name);
    return;
  }
  const hits: number[] = [];
  try {
    const pattern = new RegExp(m.source, m.flags);
    for (let i = 0; i < names.length; i++) if (pattern.test(names[i]!)) hits.push(i);
  } catch (error) {
    // V8 throws when a regex's backtracking stack overflows: a pattern that fails, not a broken worker.
    scope.postMessage({ id: m.id, hits: new Int32Array(0), error: (error as Error).message }, []);
    return;
  }
  const indices = Int32Array.from(hits);
  scope.postMessage({ id: m.id, hits: indices }, [indices.buffer]);
};
