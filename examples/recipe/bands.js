// Counts a recording's samples per offset band and by leaf function, to check that the pattern is there
// before the profile is committed (the table in examples/README.md). Usage: node bands.js [FILE.txt.gz]
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const file = process.argv[2] ?? new URL('../pattern.txt.gz', import.meta.url).pathname;
const BANDS = [[0, 150], [150, 400], [400, 450], [450, 700], [700, 800], [800, 1000]];
const FUNCTIONS = ['spinA', 'spinB', 'spinC'];

/** [time in µs, leaf frame] of every record; timestamps are exact integers, never floats. */
const samples = [];
let header = null;
for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
  if (line.startsWith('#')) continue;
  if (line.trim() === '') {
    header = null;
  } else if (!/^\s/.test(line)) {
    const m = /\s(\d+)\.(\d{6}):/.exec(line);
    header = { us: Number(m[1]) * 1e6 + Number(m[2]), leaf: null };
    samples.push(header);
  } else if (header !== null && header.leaf === null) {
    header.leaf = line.trim();
  }
}
const t0 = Math.floor(samples[0].us / 1e6);
const last = samples[samples.length - 1].us / 1e6;
console.log(`${file}: ${samples.length} samples, ${(last - samples[0].us / 1e6).toFixed(1)} s, t0 = ${t0} s`);
for (const [lo, hi] of BANDS) {
  const inBand = samples.filter((s) => {
    const ms = Math.floor((s.us - t0 * 1e6) % 1e6 / 1000);
    return ms >= lo && ms < hi;
  });
  const leaves = FUNCTIONS.map((f) => [f, inBand.filter((s) => s.leaf?.includes(f)).length]).filter(([, n]) => n > 0);
  console.log(`${String(lo).padStart(4)}–${String(hi).padEnd(4)} ms: ${String(inBand.length).padStart(5)}   ${leaves.map(([f, n]) => `${n} ${f}`).join(', ')}`);
}
