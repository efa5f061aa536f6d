import { it } from 'vitest';
import { readProfile } from '../src/parse/input';
import { SAMPLES } from '../src/model/metrics';
import { buildFlameTree } from '../src/flamegraph/tree';
import { FrameNames, DISPLAY_NAMES } from '../src/flamegraph/names';
import { selectSamples } from '../src/heatmap/range';
it('bench', async () => {
  const p = await readProfile('/tmp/s200k.txt');
  const names = new FrameNames(p, DISPLAY_NAMES);
  for (const idle of ['drop', 'keep'] as const) {
    const s = selectSamples(p, { event: 0, idle, range: null });
    buildFlameTree(p, s, { weights: SAMPLES, names });
    const times = [];
    for (let k = 0; k < 9; k++) { const t = performance.now(); buildFlameTree(p, s, { weights: SAMPLES, names }); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(idle, 'samples', s.length, 'median ms', times[4].toFixed(2), 'min', times[0].toFixed(2));
  }
}, 120000);
