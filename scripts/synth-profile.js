#!/usr/bin/env node
// Synthetic `perf script` profiles of a chosen shape, for benchmarks and browser tests that need sizes no
// recording in the corpus has: a 24-hour recording, 200,000 distinct stacks, 10,000-deep recursion. The text is
// what perf 6.1 prints for `perf record -F HZ -a -g` + `perf script` (pid/tid, [cpu], time, period, event, then
// indented frames, leaf first), so it goes through the same parser as a real file. Deterministic: the same
// options give the same bytes.
//
//   node scripts/synth-profile.js [--seconds N] [--hz N] [--depth N] [--stacks N] [--idle F] [--band A:B]
//                                 [--every N] [--gzip] -o FILE
//
// --seconds   length of the recording (default 60)
// --hz        samples per second while busy (default 99)
// --depth     frames per stack below the thread's main (default 12); deep profiles recurse in `recurse`
// --stacks    distinct leaf functions to spread samples over (default 50); from 100,000 up the leaves are
//             dealt in turn, so with at least that many busy samples every leaf (every stack) occurs
// --idle      fraction of samples that are the kernel idle loop on swapper (default 0)
// --band A:B  busy only during [A, B) ms of every second (default: the whole second)
// --every N   busy only in every N-th second (default 1: every second), so long recordings stay small
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';

/** A small deterministic PRNG (mulberry32), so the same options give the same file. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEFAULTS = { seconds: 60, hz: 99, depth: 12, stacks: 50, idle: 0, band: null, every: 1, start: 1000 };

const hex = (n) => n.toString(16);

/**
 * Yields the profile text in chunks of whole records. `options` as DEFAULTS; `band` is [fromMs, toMs].
 */
export function* synthProfile(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const rand = random(0x5eed + o.seconds * 7 + o.depth * 13 + o.stacks);
  const period = Math.round(1e9 / o.hz);
  const stepNs = period;
  const [bandFrom, bandTo] = o.band ?? [0, 1000];
  const deep = o.depth > 64;
  let chunk = '';
  let sampleNo = 0;
  // Busy (non-idle) samples so far: with many stacks the leaf cycles over these, so idle samples do not leave
  // leaves out (with --idle 0 it equals sampleNo, as before).
  let busyNo = 0;
  const leafCount = Math.max(1, o.stacks);
  for (let second = 0; second < o.seconds; second++) {
    if (second % o.every !== 0) continue;
    for (let t = bandFrom * 1e6; t < bandTo * 1e6; t += stepNs) {
      const ns = (o.start + second) * 1e9 + t + Math.floor(rand() * 1000) * 1000;
      const secs = Math.floor(ns / 1e9);
      const micros = String(Math.floor((ns % 1e9) / 1000)).padStart(6, '0');
      const cpu = String(sampleNo % 2).padStart(3, '0');
      const idle = rand() < o.idle;
      if (idle) {
        chunk += `swapper     0/0     [${cpu}] ${secs}.${micros}:    ${period} cpu-clock:ppp: \n`;
        chunk += '\tffffffff81a2d1b2 default_idle+0x12 ([kernel.kallsyms])\n';
        chunk += '\tffffffff81a2d5a0 default_idle_call+0x30 ([kernel.kallsyms])\n';
        chunk += '\tffffffff810e1f3c do_idle+0x1ec ([kernel.kallsyms])\n';
        chunk += '\tffffffff810e2189 cpu_startup_entry+0x19 ([kernel.kallsyms])\n\n';
      } else {
        const tid = 4100 + (sampleNo % 4);
        chunk += `worker  4100/${tid}  [${cpu}] ${secs}.${micros}:    ${period} cpu-clock:ppp: \n`;
        // The leaf: one of `stacks` functions; with many stacks the leaf varies per sample.
        const leaf = o.stacks >= 1e5 ? busyNo % leafCount : Math.floor(rand() * leafCount);
        busyNo++;
        chunk += `\t    55d0c0a0${hex(0x1000 + (leaf % 4096))} leaf_${leaf}+0x1d (/opt/app/bin/worker)\n`;
        if (deep) {
          for (let d = 0; d < o.depth; d++) chunk += `\t    55d0c0a01234 recurse+0x44 (/opt/app/bin/worker)\n`;
        } else {
          // A middle layer that varies with the leaf, so stacks differ in more than the last frame.
          for (let d = o.depth - 1; d >= 1; d--) {
            const fn = d % 3 === 0 ? `layer${d}_${leaf % 7}` : `layer${d}`;
            chunk += `\t    55d0c0b00${hex(0x100 + d)} ${fn}+0x${hex(16 + d)} (/opt/app/bin/worker)\n`;
          }
        }
        chunk += '\t    55d0c0a00100 main+0x80 (/opt/app/bin/worker)\n';
        chunk += '\t    7f1c2b229d90 __libc_start_call_main+0x80 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n\n';
      }
      sampleNo++;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk !== '') yield chunk;
}

/** Writes a synthetic profile to `path` (gzip'd when `gzip` is set); resolves when the file is closed. */
export async function writeSynthProfile(path, options = {}, gzip = false) {
  const file = createWriteStream(path);
  const sink = gzip ? createGzip({ level: 1 }) : file;
  if (gzip) sink.pipe(file);
  for (const chunk of synthProfile(options)) {
    if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', r));
  }
  await new Promise((resolve, reject) => {
    file.once('close', resolve);
    file.once('error', reject);
    sink.end();
  });
}

function parseCli(argv) {
  const o = {};
  let out = null;
  let gzip = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '-o') out = next();
    else if (a === '--gzip') gzip = true;
    else if (a === '--band') o.band = next().split(':').map(Number);
    else if (['--seconds', '--hz', '--depth', '--stacks', '--idle', '--every'].includes(a)) o[a.slice(2)] = Number(next());
    else throw new Error(`synth-profile: unknown argument ${a}`);
  }
  if (out === null) throw new Error('synth-profile: -o FILE is required');
  return { o, out, gzip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { o, out, gzip } = parseCli(process.argv.slice(2));
  await writeSynthProfile(out, o, gzip);
}
