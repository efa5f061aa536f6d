// A workload with a sub-second pattern that a heat map makes obvious.
// Times are read from CLOCK_MONOTONIC (process.hrtime), the clock of `perf record -k mono`, so "offset 0 ms"
// here is offset 0 ms in the heat map.
//
//   node workload.js main SECONDS   spinA during 0–150 ms of every second, spinB during 400–450 ms
//   node workload.js side SECONDS   spinC during 700–800 ms of every even second
//
// Between bands the process sleeps in a timer, so those offsets stay (nearly) empty.
'use strict';

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const now = () => process.hrtime.bigint();

const role = process.argv[2] ?? 'main';
// The thread name (perf's comm, the root frame of a flame graph) tells the two processes apart.
process.title = `workload-${role}`;
const seconds = Number(process.argv[3] ?? 15);
const stopAt = now() + BigInt(seconds) * NS_PER_S;

let sink = 0;

// Each spin function does its own arithmetic (no calls in the hot loop), so the leaf frame names the band.
function spinA(untilNs) {
  let x = 1;
  while (now() < untilNs) {
    for (let i = 0; i < 20000; i++) x = (x * 1103515245 + 12345) % 2147483648;
  }
  sink ^= x;
}

function spinB(untilNs) {
  let x = 2;
  while (now() < untilNs) {
    for (let i = 0; i < 20000; i++) x = (x * 69069 + 1) % 4294967296;
  }
  sink ^= x;
}

function spinC(untilNs) {
  let x = 3.5;
  while (now() < untilNs) {
    for (let i = 0; i < 20000; i++) x = Math.sqrt(x * x + i) % 1000;
  }
  sink += x;
}

/** Bands as [start ms, end ms, spin function, which seconds]. */
const BANDS = {
  main: [
    [0, 150, spinA, () => true],
    [400, 450, spinB, () => true],
  ],
  side: [[700, 800, spinC, (s) => s % 2n === 0n]],
}[role];
if (BANDS === undefined) throw new Error(`unknown role ${role}; expected main or side`);

/** Waits for the next band to start, burns through it, and repeats until the run is over. */
function next() {
  const t = now();
  if (t >= stopAt) {
    process.stdout.write(`${role}: done (checksum ${sink})\n`);
    return;
  }
  const second = t / NS_PER_S;
  const offsetMs = (t % NS_PER_S) / NS_PER_MS;
  for (const [startMs, endMs, spin, when] of BANDS) {
    if (when(second) && offsetMs >= BigInt(startMs) && offsetMs < BigInt(endMs)) {
      spin(second * NS_PER_S + BigInt(endMs) * NS_PER_MS);
      setImmediate(next);
      return;
    }
  }
  // Sleep until the next band start (in this second or the next).
  let wait = Infinity;
  for (const [startMs, , , when] of BANDS) {
    for (const s of [second, second + 1n, second + 2n]) {
      if (!when(s)) continue;
      const start = s * NS_PER_S + BigInt(startMs) * NS_PER_MS;
      if (start > t) {
        wait = Math.min(wait, Number(start - t) / 1e6);
        break;
      }
    }
  }
  setTimeout(next, Math.max(0, Math.floor(wait)));
}

next();
