// One model, one answer: the flame graph of a range totals exactly the heat-map cells the range covers,
// for ranges inside a second and across seconds, cut at any row boundary.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, FrameNames } from '../src/flamegraph/names';
import { buildFlameTree } from '../src/flamegraph/tree';
import { buildHeatmap, cellRange, selectionTotal } from '../src/heatmap/grid';
import { chooseEvent, selectSamples } from '../src/heatmap/range';
import { readProfile } from '../src/parse/input';
import { corpus, runCli } from './support/corpus';
import { SAMPLES } from '../src/model/metrics';


const PATTERN = corpus('recorded', 'perf.pattern499.txt.gz');

describe('flame totals equal heat-map cell sums', () => {
  it('for cell selections of pattern499 at several row counts, in and across seconds', async () => {
    const profile = await readProfile(PATTERN);
    const event = chooseEvent(profile, undefined, true);
    const names = new FrameNames(profile, DEFAULT_NAMES);
    for (const rows of [10, 49, 50, 99, 100]) {
      const grid = buildHeatmap(profile, { event, idle: 'drop', rows, weights: SAMPLES });
      const selections: [number, number, number, number][] = [
        [3, 0, 3, Math.floor(rows / 5)], // a band inside one second
        [4, rows - 3, 5, 2], // across a second boundary
        [1, 0, 14, rows - 1], // whole seconds
        [7, rows - 1, 7, rows - 1], // one cell
      ];
      for (const [c1, r1, c2, r2] of selections) {
        const range = cellRange(c1, r1, c2, r2, rows);
        const tree = buildFlameTree(profile, selectSamples(profile, { event, idle: 'drop', range }), { weights: SAMPLES, names });
        const cells = selectionTotal(grid, { column: c1, row: r1 }, { column: c2, row: r2 });
        expect(tree.value, `rows ${rows}, cells ${c1}/${r1}–${c2}/${r2}`).toBe(cells);
      }
    }
  });

  it('through the CLI: flame --from/--to against heatmap json cells', () => {
    const heat = JSON.parse(runCli(['heatmap', PATTERN, '--rows', '50']).stdout) as { values: number[][] };
    const flame = (from: string, to: string) =>
      (JSON.parse(runCli(['flame', PATTERN, '--from', from, '--to', to, '--format', 'json']).stdout) as { value: number }).value;
    // 3.5–3.56 s = column 3, rows 25..27; 4.9–5.1 s = column 4 rows 45..49 + column 5 rows 0..4.
    const sum = (c: number, r1: number, r2: number) => heat.values[c]!.slice(r1, r2 + 1).reduce((a, b) => a + b, 0);
    expect(flame('3.5', '3.56')).toBe(sum(3, 25, 27));
    expect(flame('4.9', '5.1')).toBe(sum(4, 45, 49) + sum(5, 0, 4));
    expect(flame('2', '5')).toBe(sum(2, 0, 49) + sum(3, 0, 49) + sum(4, 0, 49));
  });
});
