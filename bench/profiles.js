// The synthetic profiles of issue 11's benchmark, written by scripts/synth-profile.js into the bench's scratch
// directory (gzip'd: the 200,000-stack one is 190 MB of text). Each is described by what the bench prints:
// text size, samples (header lines counted in the text as it is written) and distinct stacks (lines of
// `flamescope collapse`, so counted by the CLI's own folding, not by the generator's intent).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { synthProfile } from '../scripts/synth-profile.js';

/** The shapes. `seconds` is the recording's span, used to place 1 s selections inside it. */
export const SYNTHETIC = [
  {
    key: 'hour',
    name: '1-hour',
    // 99 Hz while busy, busy in the first 250 ms of every second on 4 threads, 30 % idle: about 90,000
    // samples over 3,600 heat-map columns, 47 MB of text.
    options: { seconds: 3600, hz: 99, band: [0, 250], idle: 0.3, depth: 8 },
    flags: '--seconds 3600 --hz 99 --band 0:250 --idle 0.3 --depth 8',
    seconds: 3600,
  },
  {
    key: 'stacks200k',
    name: '200k stacks',
    // 999 Hz for 240 s, 10 % idle: 240,000 samples, the busy ones dealt over 200,000 distinct leaves.
    options: { seconds: 240, hz: 999, stacks: 200000, idle: 0.1 },
    flags: '--seconds 240 --hz 999 --stacks 200000 --idle 0.1',
    seconds: 240,
  },
  {
    key: 'deep5000',
    name: '5,000-deep',
    // 10 samples a second for 30 s (99 Hz in the first 100 ms), 20 % idle: 300 samples, the busy ones 5,000
    // frames of `recurse` deep, 62 MB of text.
    options: { seconds: 30, hz: 99, band: [0, 100], depth: 5000, idle: 0.2 },
    flags: '--seconds 30 --hz 99 --band 0:100 --depth 5000 --idle 0.2',
    seconds: 30,
  },
];

/** Writes one synthetic profile gzip'd to `path`; resolves to its text size and sample count. */
async function writeCounted(path, options) {
  const file = createWriteStream(path);
  const gzip = createGzip({ level: 1 });
  gzip.pipe(file);
  let textBytes = 0;
  let samples = 0;
  for (const chunk of synthProfile(options)) {
    textBytes += Buffer.byteLength(chunk);
    // A record starts with a header line: the only lines that begin with neither a tab nor a newline.
    samples += chunk.match(/^[^\t\n#]/gm)?.length ?? 0;
    if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
  }
  await new Promise((resolve, reject) => {
    file.once('close', resolve);
    file.once('error', reject);
    gzip.end();
  });
  return { textBytes, samples };
}

/** Lines `flamescope collapse FILE` prints (its distinct stacks), counted without holding the output. */
function collapseLines(cli, file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'collapse', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (b) => {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (b) => (stderr += b));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`collapse ${file} exited ${code}: ${stderr.trim()}`))));
  });
}

/**
 * Generates the synthetic profiles wanted (`keys`, all when null) into `scratch` and prints one line for each.
 * Returns [{ key, name, file, seconds, textBytes, gzBytes, samples, stacks }].
 */
export async function buildSyntheticProfiles({ cli, scratch, out, keys = null }) {
  const built = [];
  for (const shape of SYNTHETIC.filter((s) => keys === null || keys.has(s.key))) {
    const file = join(scratch, `${shape.key}.txt.gz`);
    const t = process.hrtime.bigint();
    const { textBytes, samples } = await writeCounted(file, shape.options);
    const genS = Number(process.hrtime.bigint() - t) / 1e9;
    let stacks;
    try {
      stacks = await collapseLines(cli, file);
    } catch (e) {
      stacks = `n/a (${e.message.split('\n')[0]})`;
    }
    const gzBytes = statSync(file).size;
    const p = { key: shape.key, name: shape.name, file, seconds: shape.seconds, textBytes, gzBytes, samples, stacks, flags: shape.flags };
    built.push(p);
    const n = (x) => (typeof x === 'number' ? x.toLocaleString('en-US') : x);
    out(
      `  ${shape.name.padEnd(12)} ${(textBytes / 1e6).toFixed(1).padStart(6)} MB text (${(gzBytes / 1e6).toFixed(1)} MB gzip), ` +
        `${n(samples)} samples, ${n(stacks)} distinct stacks, ${shape.seconds} s; generated in ${genS.toFixed(1)} s (synth-profile ${shape.flags})`,
    );
  }
  return built;
}
