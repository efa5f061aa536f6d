// Independent readings of raw perf script text, for expected figures that do not come from the code under test:
// a regex of our own over the sample header lines, and folded lines reversed by hand.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface RawHeader {
  comm: string;
  tid: string;
  /** −1 when the file has no CPU column. */
  cpu: number;
  /** The printed timestamp: whole seconds and microseconds. */
  seconds: number;
  micros: number;
}

/** The sample headers of a perf script text (`comm [pid/]tid [cpu] secs.usecs: ...`). */
export function rawHeaders(text: string): RawHeader[] {
  const out: RawHeader[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S.*?)\s+(?:\d+\/)?(\d+)\s+(?:\[(\d+)\]\s+)?(\d+)\.(\d{6}):/.exec(line);
    if (m !== null) out.push({ comm: m[1]!, tid: m[2]!, cpu: m[3] === undefined ? -1 : Number(m[3]), seconds: Number(m[4]), micros: Number(m[5]) });
  }
  return out;
}

/** The sample headers of a gzip'd perf script file. */
export function rawHeadersOf(file: string): RawHeader[] {
  return rawHeaders(gunzipSync(readFileSync(file)).toString('utf8'));
}

/** Folded lines with every stack reversed (leaf first), in byte order: `flamegraph.pl --reverse`'s input. */
export function reversedLines(folded: string): string[] {
  return folded
    .trimEnd()
    .split('\n')
    .map((line) => {
      const cut = line.lastIndexOf(' ');
      return `${line.slice(0, cut).split(';').reverse().join(';')} ${line.slice(cut + 1)}`;
    })
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
