// Which importer reads an input, decided from its first bytes (after gunzip), never from its name: a profile
// renamed, piped or saved without an extension reads the same.
import { sampleStart } from '../parse/perf-script';
import { looksLikeNflxprofile } from './nflxprofile';

/**
 * `perf-script`: perf script text (the default for any text we cannot place otherwise, so that its parser
 * reports the first line it could not read). `folded`: `frame;frame;frame count` lines. `json`: a V8
 * `.cpuprofile` or Chrome trace events, told apart once parsed (`jsonKind`). `nflxprofile`: Netflix's protobuf.
 */
export type InputFormat = 'perf-script' | 'folded' | 'json' | 'nflxprofile';

/** How many complete lines of the head decide between folded stacks and perf script text. */
const LINES_LOOKED_AT = 64;
const LOOK_BYTES = 1 << 16;
const NL = 10;

/** The format of an input from its first bytes (at least the first chunk the reader gave, gunzipped). */
export function detectFormat(head: Uint8Array): InputFormat {
  // perf.data is binary too: perf-script's reader refuses it with the command that converts it.
  if (startsWithPerfData(head)) return 'perf-script';
  // ---- nflxprofile (issue 10, binary): protobuf starts with a field tag, not text ----
  if (looksLikeNflxprofile(head)) return 'nflxprofile';
  const first = firstSignificantByte(head);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) return 'json';
  return looksFolded(head) ? 'folded' : 'perf-script';
}

function startsWithPerfData(head: Uint8Array): boolean {
  return head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === 'PERFILE2';
}

/** The first byte that is not whitespace or a UTF-8 byte order mark, −1 if none. */
function firstSignificantByte(head: Uint8Array): number {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (; i < head.length; i++) {
    const c = head[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return -1;
}

/**
 * Folded stacks: of the first lines that are not blank or `#` comments, most end in a count and none is perf
 * script (a record header, or a frame line indented with a TAB). A few malformed lines among folded ones keep
 * the file folded, so that its reader counts and names them. Only complete lines count; a head of one long
 * line is judged on that line.
 */
export function looksFolded(head: Uint8Array): boolean {
  // 64 lines are in the first 64 KiB unless a line is long (a 10,000-deep stack): then up to its end.
  let probe = head.byteLength > LOOK_BYTES ? head.subarray(0, LOOK_BYTES) : head;
  if (probe !== head && !probe.includes(NL)) {
    const nl = head.indexOf(NL, LOOK_BYTES);
    probe = nl < 0 ? head : head.subarray(0, nl + 1);
  }
  const text = Buffer.from(probe.buffer, probe.byteOffset, probe.byteLength).toString('utf8');
  const lines = text.split('\n');
  // The last piece may be cut short by the chunk's end (or the probe's); it counts only when it is all there is.
  if (lines.length > 1) lines.pop();
  let seen = 0;
  let folded = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (line.startsWith('\t') || sampleStart(line) !== null) return false;
    if (isFoldedLine(line)) folded++;
    if (++seen === LINES_LOOKED_AT) break;
  }
  return seen > 0 && folded * 2 > seen;
}

/** One folded line: text that does not start with a blank, then blanks and a count (see `splitFoldedLine`). */
export function isFoldedLine(line: string): boolean {
  return splitFoldedLine(line) !== null;
}

/**
 * A folded line's stack text and count text: `a;b;c 12` → `a;b;c`, `12` (a decimal count `0.5` too). Scanned from the end, once: lines are hostile, and a regex with a lazy run before the
 * count would go quadratic on a megabyte of `1 1 1 …`. Null when the line does not end in blanks and a number,
 * or starts with a blank (perf's frame lines).
 */
export function splitFoldedLine(line: string): { stack: string; count: string } | null {
  const end = line.length;
  let i = end;
  while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
  if (i === end) return null;
  if (i > 0 && line.charCodeAt(i - 1) === 0x2e /* . */) {
    const dot = i - 1;
    i = dot;
    while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
    if (i === dot) return null;
  }
  const countStart = i;
  // One blank only, as flamegraph.pl's `^(.*)\s+?(\d+(?:\.\d*)?)$` takes it: a frame may end in a space
  // (stackcollapse-perf.pl writes `std::function<void ` for a template it cuts), and keeps it.
  if (i < 2 || !isBlank(line.charCodeAt(i - 1)) || isBlank(line.charCodeAt(0))) return null;
  i--;
  return { stack: line.slice(0, i), count: line.slice(countStart, end) };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The JSON profile kinds; null for JSON that is neither. */
export type JsonKind = 'cpuprofile' | 'trace-event';

/** What a parsed JSON input is: a V8 .cpuprofile, Chrome trace events (array or `{traceEvents}`), or none. */
export function jsonKind(value: unknown): JsonKind | null {
  if (Array.isArray(value)) return value.length === 0 || value.every(isTraceEvent) ? 'trace-event' : null;
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o['traceEvents'])) return (o['traceEvents'] as unknown[]).every(isTraceEvent) ? 'trace-event' : null;
  if (Array.isArray(o['nodes']) && Array.isArray(o['samples']) && (Array.isArray(o['timeDeltas']) || typeof o['startTime'] === 'number')) return 'cpuprofile';
  return null;
}

/** A trace event: an object with a phase letter (`ph`). */
function isTraceEvent(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as { ph?: unknown }).ph === 'string';
}

/** The one error for JSON that is not a profile we read. */
export function notAProfileJson(what: string): string {
  return `JSON that is not a V8 .cpuprofile ({nodes, samples, timeDeltas}), a Chrome trace (an array of events or {traceEvents}) or an nflxprofile: ${what}`;
}

/** A short description of a JSON value for that error: its type and first keys. */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'} that are not trace events (objects with "ph")`;
  if (typeof value !== 'object' || value === null) return `a ${value === null ? 'null' : typeof value}`;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 37)}...` : k));
  return keys.length === 0 ? 'an empty object' : `an object with keys ${shown.join(', ')}${keys.length > 6 ? `, … (${keys.length})` : ''}`;
}
