#!/usr/bin/env node
// Rewrites a `perf script` file into the shape stackcollapse-perf.pl reads, without changing any record, so
// that the Perl script can give the expected answer for dialects it cannot read itself (README.md says which):
//   - a header line starts at column 0 (perf right-aligns the comm with %16s when there is no callchain);
//   - a frame printed on the header line (no callchain, `perf script -G`, `-F ...,ip,sym,dso`) moves to a
//     line of its own;
//   - a header without a pid/tid (`-F comm,time,...`) gets the placeholder pid 0 (the default root frame is
//     the comm, so the placeholder never shows in the expected files made from it);
//   - every record ends with a blank line (perf prints none between one-line records, nor after `+insn`).
// Usage: node reshape.js < in.txt > out.txt
import { readFileSync } from 'node:fs';

const TIME = / (\d+\.\d+): /;
const HEADER_FRAME = /^(.*? \d+\.\d+: .*?:)\s+([0-9a-f]+ .*\))$/;
const out = [];
const endRecord = () => {
  if (out.length > 0 && out.at(-1) !== '') out.push('');
};
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (line.startsWith('#') || line.startsWith('\t') || !TIME.test(line) || line.includes(': PERF_RECORD_')) {
    if (line === '') endRecord();
    else out.push(line);
    continue;
  }
  endRecord();
  let header = line.trimStart();
  let frame = null;
  const m = HEADER_FRAME.exec(header);
  if (m !== null) [header, frame] = [m[1], m[2]];
  const beforeTime = header.slice(0, TIME.exec(header).index).trimEnd();
  const lastWord = beforeTime.slice(beforeTime.lastIndexOf(' ') + 1);
  if (!/^\d+(\/\d+)?$/.test(lastWord) && !/^\[\d+\]$/.test(lastWord)) {
    header = `${beforeTime} 0${header.slice(beforeTime.length)}`;
  }
  out.push(header);
  if (frame !== null) out.push(`\t${frame}`);
}
endRecord();
process.stdout.write(`${out.join('\n')}\n`);
