#!/usr/bin/env node
// Trims a `perf script` text file to fit a size, keeping whole records: reads stdin, writes stdout.
// A record starts at a line that carries a timestamp (`123.456789: `; every recording here has them) or
// is a side-band line (`PERF_RECORD_...`), and takes the lines after it (frames, srcline and insn lines, the
// blank line) up to the next one; `#` comment lines at the top are kept.
// Usage: node trim.js MAX_BYTES [KEEP_REGEX [CONTEXT]]
//   without KEEP_REGEX: the first records that fit in MAX_BYTES;
//   with KEEP_REGEX: every record whose header matches it, plus CONTEXT records before and after each
//   (default 3), in file order, then cut to MAX_BYTES like above.
import { readFileSync } from 'node:fs';

const [maxBytes, keep, context] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 3)];
const lines = readFileSync(0, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const comments = [];
let i = 0;
while (i < lines.length && lines[i].startsWith('#')) comments.push(lines[i++]);
const records = [];
for (; i < lines.length; i++) {
  const line = lines[i];
  const startsRecord = !line.startsWith('\t') && (/ \d+\.\d+: /.test(line) || /^\s*PERF_RECORD_/.test(line));
  if (startsRecord || records.length === 0) records.push([line]);
  else records.at(-1).push(line);
}
let chosen = records;
if (keep !== undefined) {
  const re = new RegExp(keep);
  const wanted = new Set();
  records.forEach((r, k) => {
    if (!re.test(r[0])) return;
    for (let j = Math.max(0, k - context); j <= Math.min(records.length - 1, k + context); j++) wanted.add(j);
  });
  chosen = records.filter((_, k) => wanted.has(k));
}
let out = comments.length > 0 ? `${comments.join('\n')}\n` : '';
for (const r of chosen) {
  const text = `${r.join('\n')}\n`;
  if (Buffer.byteLength(out) + Buffer.byteLength(text) > maxBytes) break;
  out += text;
}
process.stdout.write(out);
