// The inputs the fuzzer mutates: every perf script file of the shared corpus and of examples/, decompressed.
// Read by the runner (to write reproducers) and by each worker (to build its cases), never copied anywhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

export interface Seed {
  /** Where it comes from, relative to the project root (`../shared/corpus/perf/perf.test01`). */
  name: string;
  /** The text as latin1 (one char per byte), so mutations work on bytes. */
  text: string;
}

/** Files under examples/ that are not profiles: docs, code, and the expected folded answers beside the inputs. */
const NOT_A_PROFILE = /\.(md|js|mjs|ts|sh|py|c|json|html|svg|png)$|\.expected\.txt$/i;

/** The corpus and example files to mutate, in a fixed order. */
export function seedFiles(root: string): string[] {
  const corpus = resolve(root, '../shared/corpus');
  const list = (dir: string, keep: (f: string) => boolean): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((f) => join(dir, f))
          .filter((f) => statSync(f).isFile() && keep(basename(f)))
      : [];
  const examples = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((f) => {
        const path = join(dir, f);
        if (statSync(path).isDirectory()) return f === 'recipe' ? [] : examples(path);
        return NOT_A_PROFILE.test(f) || f.startsWith('README') ? [] : [path];
      });
  return [
    ...list(join(corpus, 'perf'), () => true),
    ...list(join(corpus, 'recorded'), (f) => f.endsWith('.gz')),
    ...list(join(corpus, 'weighted'), (f) => !f.endsWith('.json') && !f.startsWith('README')),
    ...examples(join(root, 'examples')),
  ];
}

/**
 * Reads the seeds, each cut after at most `maxBytes` at a record boundary (a blank line), so that a case stays
 * fast: the benchmark profile alone is 114 MB of text.
 */
export function loadSeeds(root: string, maxBytes: number): Seed[] {
  return seedFiles(root).map((path) => {
    let data = readFileSync(path);
    // Only a prefix of a large gzip file is needed: inflate a prefix of it (text shrinks at least 4-fold).
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data.subarray(0, Math.ceil(maxBytes / 4) + 1024), { finishFlush: constants.Z_SYNC_FLUSH });
    if (data.length > maxBytes) {
      const cut = data.lastIndexOf('\n\n', maxBytes);
      data = data.subarray(0, cut > 0 ? cut + 2 : maxBytes);
    }
    return { name: relative(root, path), text: data.toString('latin1') };
  });
}
