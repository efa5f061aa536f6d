#!/usr/bin/env node
// stackcollapse-perf.pl cannot read perf's name for an exiting thread, ":-1    -1" (its tid is not a number
// of digits), so its lazy comm match runs on to the timestamp: ":-1____-1_[000]___606.826409:" with the period
// as "pid". This replaces that root frame with what the record says, comm ":-1", pid unknown, tid -1
// (":-1", or ":-1-?/-1" under --tid), sums the lines that become equal and sorts them again in byte order.
// Usage: perl stackcollapse-perf.pl [--tid] exited-thread.txt | node fix-exited.js
import { readFileSync } from 'node:fs';

const totals = new Map();
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (line === '') continue;
  const space = line.lastIndexOf(' ');
  const stack = line
    .slice(0, space)
    .replace(/^:-1_+-1_\[\d+\]_+\d+\.\d+:-\?\/\d+;/, ':-1-?/-1;')
    .replace(/^:-1_+-1_\[\d+\]_+\d+\.\d+:;/, ':-1;');
  totals.set(stack, (totals.get(stack) ?? 0) + Number(line.slice(space + 1)));
}
const keys = [...totals.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
process.stdout.write(keys.map((k) => `${k} ${totals.get(k)}\n`).join(''));
