// Opens the input — one file, several, a directory of them, or `-` for stdin — detects gzip by its magic bytes,
// and hands each file to the importer its content calls for (`import/detect`, `import/read`): perf script text
// and folded stacks stream through their parsers in chunks (a 1 GB input is never held in memory as text); JSON
// profiles are read whole.
// Several files (flame_prof's rotated logs, perf's --switch-output pieces) are read into ONE profile on one time
// axis: ordered by their first sample, then parsed in that order into one builder, so that the profile is the
// one their concatenation in that order would give (the same frames, stacks, comms and metrics, in the same order).
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors';
import { detectFormat, type InputFormat, jsonKind } from '../import/detect';
import type { Imported } from '../import/imported';
import { importInput, MAX_WHOLE_BYTES } from '../import/read';
import { kernelIdleRule } from './idle';
import { sampleStart } from './perf-script';
import { noWarnings, ProfileBuilder, type ParseWarnings, type Profile, type ProfileHeader } from './profile';

const CHUNK = 1 << 20;
/** Reading a file only to find its first sample: small reads, and a bound for a large file that has none. */
const PEEK_CHUNK = 1 << 16;
/** How much of an input its format is told from (see `import/detect`). */
const HEAD_BYTES = 1 << 16;
const HEAD_LIMIT = 16 << 20;
const PEEK_LIMIT = 16 << 20;
/** How many side-band record kinds the merged warnings name (as the parser does per file). */
const MAX_SIDE_BAND_KINDS = 8;
const MAX_FILES = 0xffff;

export interface ReadOptions {
  /** Called with the number of compressed-or-plain input bytes read so far, of all files (for progress reports). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** What `-` reads (default: the process's stdin). */
  stdin?: NodeJS.ReadableStream;
  /**
   * Stream the samples: every `samples` of them are handed to `take` as a Profile of their own and dropped (see
   * `ProfileBuilder.streamWindows`); the profile returned is then the last window (its own t0), with the whole
   * input's warnings, after it too has been taken. For commands that only sum over samples, so that memory does
   * not grow with the input.
   */
  window?: { samples: number; take: (window: Profile) => void };
}

/** One input file of a profile, as the parser saw it. */
export interface InputFile {
  /** The path as given, `dir/name` for a file found in a directory, `<stdin>` for `-`. */
  name: string;
  header: ProfileHeader;
  /** What the parser skipped or clamped in this file; its line numbers are this file's. */
  warnings: ParseWarnings;
  samples: number;
}

/** Something the user should know about the input as a whole, said about one file. */
export interface InputNotice {
  file: string;
  message: string;
}

export interface Input {
  profile: Profile;
  /** The files read, in the order their samples were read (the profile's `files`). */
  files: InputFile[];
  /** Files of a directory left out, overlapping files, files from different hosts. */
  warnings: InputNotice[];
}

/** Reads and parses one profile; every problem with the input becomes a UserError naming the file. */
export async function readProfile(path: string, options: ReadOptions = {}): Promise<Profile> {
  return (await readProfiles([path], options)).profile;
}

/**
 * Reads the files (and the directories' files) named by `args` into one profile, ordered by their first sample
 * (ties by name). Every problem with an input becomes a UserError naming that file.
 */
export async function readProfiles(args: readonly string[], options: ReadOptions = {}): Promise<Input> {
  if (args.length === 0) throw new UserError('flamescope', 'no input file');
  if (args.length > 1 && args.includes('-')) throw new UserError('-', 'standard input can only be read alone, not with other files');
  const candidates = args[0] === '-' ? [stdinCandidate] : await candidatesOf(args);
  // The per-sample file column holds 16-bit ids.
  if (candidates.length > MAX_FILES) throw new UserError(args[0]!, `${candidates.length} files: more than the ${MAX_FILES} one profile can hold`);
  const warnings: InputNotice[] = [];
  const { ordered, skipped } = await inReadingOrder(candidates);
  if (skipped.length > 0) warnings.push(skippedNotice(skipped));

  const total = options.onProgress === undefined ? 0 : await totalSize(ordered);
  let bytesRead = 0;
  const onBytes = (n: number): void => {
    bytesRead += n;
    options.onProgress?.(bytesRead, total);
  };
  const builder = new ProfileBuilder();
  const extents = options.window === undefined ? null : new FileExtents();
  if (options.window !== undefined) {
    const take = options.window.take;
    builder.streamWindows(options.window.samples, (w) => (extents!.add(w), take(w)), sourceName(ordered.map((c) => c.name)), kernelIdleRule);
  }
  const files: InputFile[] = [];
  for (const c of ordered) {
    const before = builder.totalSamples;
    const { format, imported } = await importFile(c, builder, options, onBytes);
    const samples = builder.totalSamples - before;
    if (samples === 0) throw new UserError(c.name, noSamplesWhy(format, imported));
    files.push({ name: c.name, header: imported.header, warnings: imported.warnings, samples });
    for (const message of imported.notices) warnings.push({ file: c.name, message });
  }
  const names = files.map((f) => f.name);
  const profile = builder.finish(sourceName(names), mergeHeaders(files.map((f) => f.header)), mergeWarnings(files), kernelIdleRule);
  if (extents !== null) {
    extents.add(profile);
    options.window!.take(profile);
  }
  const overlap = extents === null ? findOverlap(profile) : extents.overlap(profile);
  if (overlap !== null) warnings.push(overlapNotice(overlap));
  const hosts = mixedHosts(files);
  if (hosts !== null) warnings.push(hosts);
  return { profile, files, warnings };
}

/**
 * The files in the order their samples are read: by first sample (peeked), ties by name. One file named alone
 * is read as it is, without a peek (stdin and pipes can be read only once). A directory's files that are not
 * perf script text are left out.
 */
async function inReadingOrder(candidates: Candidate[]): Promise<{ ordered: Candidate[]; skipped: Skipped[] }> {
  if (candidates.length === 1 && candidates[0]!.inDirectory === undefined) return { ordered: candidates, skipped: [] };
  const starts: Started[] = [];
  const skipped: Skipped[] = [];
  for (const c of candidates) {
    const start = await startOf(c);
    if (c.inDirectory !== undefined && (start.kind === 'refused' || start.kind === 'none')) skipped.push({ name: c.name, directory: c.inDirectory, why: start.why });
    else starts.push({ ...c, start });
  }
  if (starts.length === 0) {
    const directory = skipped[0]!.directory;
    throw new UserError(directory, `no perf script profiles in this directory (${skipped.map((s) => `${basename(s.name)}: ${s.why}`).join('; ')})`);
  }
  return { ordered: starts.sort(byFirstSample), skipped };
}

/** How a profile of several files is named in titles and messages: `a.log and 2 more` (`files` lists them all). */
export function sourceName(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names[0]!} and ${names.length - 1} more`;
}

/** A file to read: a path, or stdin. */
interface Candidate {
  /** The path to open, or '-'. */
  path: string;
  /** How messages and the profile name it. */
  name: string;
  /** The directory it was found in (files of a directory that are not profiles are left out, not refused). */
  inDirectory?: string;
}

const stdinCandidate: Candidate = { path: '-', name: '<stdin>' };

interface Skipped {
  name: string;
  directory: string;
  why: string;
}

/** Where a file's samples start: its first timestamp, samples without any, or not a profile at all. */
type Start = { kind: 'timed'; seconds: number; nanos: number } | { kind: 'untimed' } | { kind: 'none'; why: string } | { kind: 'refused'; why: string };

type Started = Candidate & { start: Start };

/** The files the arguments name: files as given, directories as their visible regular files (not recursive), sorted. */
async function candidatesOf(args: readonly string[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const seen = new Map<string, string>();
  const take = (c: Candidate, info: { dev: number; ino: number; isFile(): boolean }): void => {
    // The same file twice would count its samples twice (`dir dir/a.log`, two links to one file).
    const id = `${info.dev}:${info.ino}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new UserError(c.name, earlier === c.name ? 'given twice' : `is the same file as ${earlier}: given twice`);
    seen.set(id, c.name);
    // A pipe (`<(zcat a.gz)`) can be read once only, and ordering several files reads their beginnings first.
    if (args.length > 1 && !info.isFile()) throw new UserError(c.name, 'is not a regular file (a pipe?): it can only be read alone');
    candidates.push(c);
  };
  for (const arg of args) {
    const info = await statOf(arg);
    if (!info.isDirectory()) {
      take({ path: arg, name: arg }, info);
      continue;
    }
    let entries: string[];
    try {
      entries = await readdir(arg);
    } catch (e) {
      throw asUserError(arg, e);
    }
    const inDirectory: Candidate[] = [];
    // Dot files are an editor's or a tool's, not a recording.
    for (const entry of entries.filter((e) => !e.startsWith('.')).sort(byName)) {
      const path = join(arg, entry);
      const entryInfo = await statOf(path);
      if (!entryInfo.isFile()) continue;
      const c = { path, name: path, inDirectory: arg };
      take(c, entryInfo);
      inDirectory.push(c);
    }
    if (inDirectory.length === 0) throw new UserError(arg, 'an empty directory: no files to read (subdirectories are not read)');
  }
  return candidates;
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    throw asUserError(path, e);
  }
}

/** Byte order: the same on every machine and locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Timed files by their first sample, then files whose first sample has no timestamp, then the rest; ties by name. */
function byFirstSample(a: Started, b: Started): number {
  const rank = (s: Start): number => (s.kind === 'timed' ? 0 : s.kind === 'untimed' ? 1 : 2);
  const sa = a.start;
  const sb = b.start;
  if (rank(sa) !== rank(sb)) return rank(sa) - rank(sb);
  if (sa.kind === 'timed' && sb.kind === 'timed' && (sa.seconds !== sb.seconds || sa.nanos !== sb.nanos)) {
    return sa.seconds !== sb.seconds ? sa.seconds - sb.seconds : sa.nanos - sb.nanos;
  }
  return byName(a.name, b.name);
}

/**
 * Where a file's samples start, reading it only until its first sample's header (gzip too). A named file that
 * is not readable text is refused here (the same message the full read gives); a directory's is left out.
 */
async function startOf(c: Candidate): Promise<Start> {
  const raw = createReadStream(c.path, { highWaterMark: PEEK_CHUNK });
  let pending: Buffer[] = [];
  let scanned = 0;
  try {
    let first = true;
    const text = textOf(c.name, raw);
    for await (const chunk of text) {
      // Other formats are not peeked: they are read after the perf files that have timestamps, by name (their
      // samples keep their own timestamps on the one time axis).
      if (first && detectFormat(chunk) !== 'perf-script') {
        // In a directory, JSON that is not a profile (a package.json, tool metadata) is left out like a README.
        if (c.inDirectory !== undefined && detectFormat(chunk) === 'json' && !(await isProfileJson(chunk, text))) {
          return { kind: 'none', why: 'JSON that is not a V8 .cpuprofile or a Chrome trace' };
        }
        return { kind: 'untimed' };
      }
      first = false;
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        pending.push(chunk.subarray(pos, nl));
        const start = lineStart(Buffer.concat(pending).toString('utf8'));
        pending = [];
        if (start !== null) return start;
        pos = nl + 1;
      }
      pending.push(chunk.subarray(pos));
      scanned += chunk.length;
      if (scanned > PEEK_LIMIT) return { kind: 'none', why: `no perf script sample header in its first ${PEEK_LIMIT >> 20} MiB` };
    }
    return lineStart(Buffer.concat(pending).toString('utf8')) ?? { kind: 'none', why: 'no perf script sample header in it' };
  } catch (e) {
    // In a directory, a file that is not text (a perf.data, an image, an empty file just rotated in) is left
    // out; an unreadable file or damaged gzip is a damaged profile, and is refused.
    if (c.inDirectory !== undefined && e instanceof NotText) return { kind: 'refused', why: e.message };
    throw asUserError(c.name, e);
  } finally {
    raw.destroy();
  }
}

/** Whether a JSON file (its first chunk, then the rest of its text) is a profile; bounded as the import is. */
async function isProfileJson(first: Buffer, rest: AsyncIterable<Buffer>): Promise<boolean> {
  const chunks = [first];
  let size = first.length;
  for await (const chunk of rest) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_WHOLE_BYTES) return true;
  }
  try {
    return jsonKind(JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''))) !== null;
  } catch {
    return false;
  }
}

/** The start a line gives, or null to read on (comments, blanks, frames, side-band records). */
function lineStart(text: string): Start | null {
  if (text === '' || text.startsWith('#') || text.startsWith('\t')) return null;
  const start = sampleStart(text.trimEnd());
  if (start === null) return null;
  return start === 'untimed' ? { kind: 'untimed' } : { kind: 'timed', ...start };
}

/** Reads one file into the builder with the importer its content calls for (see `import/detect`). */
async function importFile(
  c: Candidate,
  builder: ProfileBuilder,
  options: ReadOptions,
  onBytes: (n: number) => void,
): Promise<{ format: InputFormat; imported: Imported }> {
  const raw = c.path === '-' ? (options.stdin ?? process.stdin) : createReadStream(c.path, { highWaterMark: CHUNK });
  const chunks = bytesOf(c.name, raw, onBytes);
  try {
    const head = await headOf(c.name, chunks);
    const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => chunks };
    return await importInput(c.name, head, rest, builder, (chunk) => checkText(c.name, chunk));
  } catch (e) {
    throw asUserError(c.name, e);
  } finally {
    // An importer that stopped early (an error) ends the decompression, as a `break` out of a for-await would.
    await chunks.return(undefined).catch(() => {});
    if (c.path !== '-') (raw as ReadStream).destroy();
  }
}

/**
 * The first bytes that decide an input's format: at least HEAD_BYTES and one whole line (a folded 10,000-deep
 * stack is a megabyte), up to HEAD_LIMIT; fewer only when the input is shorter.
 */
async function headOf(name: string, chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  let lineEnded = false;
  while (size < HEAD_BYTES || (!lineEnded && size < HEAD_LIMIT)) {
    const next = await chunks.next();
    if (next.done === true) break;
    parts.push(next.value);
    size += next.value.length;
    lineEnded ||= next.value.includes(10);
  }
  if (size === 0) throw new NotText(name, 'empty file: no samples');
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/**
 * An input's text in chunks: decompressed when it starts with gzip's magic bytes, refused when it is binary.
 * A reader that stops early (`break`) ends the decompression with it.
 */
async function* textOf(name: string, raw: NodeJS.ReadableStream, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  let checked = false;
  for await (const chunk of bytesOf(name, raw, onBytes)) {
    if (!checked) {
      // perf script text, folded stacks: a binary that is neither nflxprofile nor JSON is refused here.
      const format = detectFormat(chunk);
      if (format === 'perf-script' || format === 'folded') checkText(name, chunk);
      checked = true;
    }
    yield chunk;
  }
}

/** An input's bytes in chunks, decompressed when it starts with gzip's magic bytes (not checked to be text). */
async function* bytesOf(name: string, raw: NodeJS.ReadableStream, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done === true || first.value.length === 0) throw new NotText(name, 'empty file: no samples');
  const head: Buffer = first.value;
  const counted = async function* (): AsyncGenerator<Buffer> {
    onBytes?.(head.length);
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      onBytes?.(next.value.length);
      yield next.value;
    }
  };
  // pipeline() destroys every stage with the error of any, so iterating the gunzip stream throws that error;
  // its callback only keeps an early stop (premature close) from becoming an unhandled error.
  const bytes: AsyncIterable<Buffer> = isGzip(head) ? pipeline(Readable.from(counted()), createGunzip({ chunkSize: CHUNK }), () => {}) : counted();
  yield* bytes;
}

async function totalSize(files: readonly Candidate[]): Promise<number> {
  let total = 0;
  for (const f of files) if (f.path !== '-') total += (await statOf(f.path)).size;
  return total;
}

function noSamplesWhy(format: InputFormat, imported: Imported): string {
  const w = imported.warnings;
  if (format === 'folded') {
    return w.skippedLines > 0 ? `no samples: line ${w.firstSkippedLine} is not a folded stack (\`frame;frame count\`): ${JSON.stringify(w.firstSkippedText)}` : 'no samples (every count is 0)';
  }
  if (format !== 'perf-script') return `no samples${imported.notices.length > 0 ? ` (${imported.notices.join('; ')})` : ''}`;
  return w.skippedLines > 0
    ? `no samples: line ${w.firstSkippedLine} is not a perf script record header: ${JSON.stringify(w.firstSkippedText)}`
    : 'no samples (expected `perf script` output)';
}

/**
 * The header of several files: each field from the first file that has it (in time order), the events of all.
 * The sample duration is the sum of those the files state, each piece of a rotation stating its own; perf's
 * --switch-output pieces state 0 ms, which is not a duration: without any other, the report shows the samples' span.
 */
export function mergeHeaders(headers: readonly ProfileHeader[]): ProfileHeader {
  if (headers.length === 1) return headers[0]!;
  const merged: ProfileHeader = { events: [] };
  let duration: number | undefined;
  for (const h of headers) {
    for (const [key, value] of Object.entries(h) as [keyof ProfileHeader, unknown][]) {
      if (key === 'events' || key === 'sampleDurationMs' || value === undefined || merged[key] !== undefined) continue;
      (merged as unknown as Record<string, unknown>)[key] = value;
    }
    for (const e of h.events) if (!merged.events.includes(e)) merged.events.push(e);
    if (h.sampleDurationMs !== undefined && h.sampleDurationMs > 0) duration = (duration ?? 0) + h.sampleDurationMs;
  }
  if (duration !== undefined) merged.sampleDurationMs = duration;
  return merged;
}

/** The warnings of several files as one: counts summed, the first line of each kind named with its file. */
export function mergeWarnings(files: readonly { name: string; warnings: ParseWarnings }[]): ParseWarnings {
  if (files.length === 1) return files[0]!.warnings;
  const merged = noWarnings();
  for (const { name, warnings: w } of files) {
    if (w.skippedLines > 0 && merged.skippedLines === 0) {
      merged.firstSkippedLine = w.firstSkippedLine;
      merged.firstSkippedText = w.firstSkippedText;
      merged.firstSkippedFile = name;
    }
    if (w.clampedPeriods > 0 && merged.clampedPeriods === 0) {
      merged.firstClampedLine = w.firstClampedLine;
      merged.firstClampedFile = name;
    }
    merged.skippedLines += w.skippedLines;
    merged.clampedPeriods += w.clampedPeriods;
    merged.recordLines += w.recordLines;
    merged.sideBandRecords += w.sideBandRecords;
    for (const kind of w.sideBandKinds) {
      if (merged.sideBandKinds.length < MAX_SIDE_BAND_KINDS && !merged.sideBandKinds.includes(kind)) merged.sideBandKinds.push(kind);
    }
  }
  return merged;
}

/** Two files whose samples share time: the later-starting file begins before the earlier one ends. */
export interface Overlap {
  earlier: string;
  later: string;
  /** The shared span, in nanoseconds since t0. */
  from: number;
  to: number;
  /** How many more files overlap one read before them. */
  more: number;
}

/** The first overlap between the files of a profile (in the order they were read), or null. */
export function findOverlap(profile: Profile): Overlap | null {
  const n = profile.files.length;
  if (n < 2 || !profile.hasTime) return null;
  const first = new Float64Array(n).fill(Infinity);
  const last = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < profile.sampleCount; i++) {
    const f = profile.file[i]!;
    const t = profile.time[i]!;
    if (t < first[f]!) first[f] = t;
    if (t > last[f]!) last[f] = t;
  }
  return overlapOf(profile.files, first, last);
}

/**
 * The first and last sample time of each file over streamed windows (each on its own t0), in ns since the first
 * window's t0 (exact while the input spans less than 104 days, 2^53 ns), for `findOverlap`'s answer.
 */
class FileExtents {
  private origin = NaN;
  /** The earliest whole second of any window. */
  private t0 = Infinity;
  private first: number[] = [];
  private last: number[] = [];

  add(w: Profile): void {
    if (w.sampleCount === 0) return;
    if (this.origin !== this.origin) this.origin = w.t0;
    if (w.t0 < this.t0) this.t0 = w.t0;
    const shift = (w.t0 - this.origin) * 1e9;
    for (let i = 0; i < w.sampleCount; i++) {
      const t = w.time[i]!;
      if (t !== t) continue;
      const f = w.file[i]!;
      const at = shift + t;
      if (!(at >= this.first[f]!)) this.first[f] = at;
      if (!(at <= this.last[f]!)) this.last[f] = at;
    }
  }

  overlap(profile: Profile): Overlap | null {
    const n = profile.files.length;
    if (n < 2 || !profile.hasTime) return null;
    const since = (this.t0 - this.origin) * 1e9;
    const first = Float64Array.from({ length: n }, (_, f) => (this.first[f] ?? Infinity) - since);
    const last = Float64Array.from({ length: n }, (_, f) => (this.last[f] ?? -Infinity) - since);
    return overlapOf(profile.files, first, last);
  }
}

function overlapOf(files: readonly string[], first: Float64Array, last: Float64Array): Overlap | null {
  const n = files.length;
  const profile = { files };
  let found: Overlap | null = null;
  // The file read so far that ends last: a later file overlaps it, or none before it.
  let reach = 0;
  for (let f = 1; f < n; f++) {
    if (first[f]! < last[reach]!) {
      if (found === null) found = { earlier: profile.files[reach]!, later: profile.files[f]!, from: first[f]!, to: Math.min(last[reach]!, last[f]!), more: 0 };
      else found.more++;
    }
    if (last[f]! > last[reach]!) reach = f;
  }
  return found;
}

function overlapNotice(o: Overlap): InputNotice {
  const s = (ns: number): string => (ns / 1e9).toFixed(3);
  const more = o.more === 0 ? '' : `; ${o.more} more file${o.more === 1 ? '' : 's'} overlap${o.more === 1 ? 's' : ''} one read before`;
  return {
    file: o.later,
    message: `overlaps ${o.earlier} by ${s(o.to - o.from)} s (${s(o.from)}–${s(o.to)} s after t0): both files' samples in that span are counted together${more}`,
  };
}

/** Files recorded on different machines, by their headers' host names. */
function mixedHosts(files: readonly InputFile[]): InputNotice | null {
  const firstOf = new Map<string, string>();
  for (const f of files) {
    const host = f.header.hostname;
    if (host !== undefined && !firstOf.has(host)) firstOf.set(host, f.name);
  }
  if (firstOf.size < 2) return null;
  const [[host, file], ...others] = [...firstOf];
  const list = others.map(([h, f]) => `${JSON.stringify(h)} (${f})`).join(', ');
  return {
    file: file!,
    message: `the files come from different hosts: ${JSON.stringify(host)} and ${list}; the profile mixes their samples on one time axis`,
  };
}

function skippedNotice(skipped: readonly Skipped[]): InputNotice {
  const shown = skipped.slice(0, 3).map((s) => `${basename(s.name)} (${s.why})`);
  const more = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
  const n = skipped.length;
  return { file: skipped[0]!.directory, message: `left out ${n} file${n === 1 ? '' : 's'} that ${n === 1 ? 'is' : 'are'} not perf script text: ${shown.join(', ')}${more}` };
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** An input that is not text at all: refused when named, left out of a directory. */
class NotText extends UserError {}

/** Refuses binary input with a message that says what to do. */
function checkText(name: string, chunk: Buffer): void {
  if (chunk.subarray(0, 8).toString('latin1') === 'PERFILE2') {
    throw new NotText(name, 'this is a perf.data file; convert it first: perf script --header -i FILE > FILE.txt');
  }
  const probe = chunk.subarray(0, 4096);
  if (probe.includes(0)) throw new NotText(name, 'binary input (NUL bytes): expected `perf script` text, plain or gzip');
}

function asUserError(name: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return new UserError(name, 'no such file');
    case 'EACCES':
      return new UserError(name, 'permission denied');
    case 'EISDIR':
      return new UserError(name, 'is a directory, not a profile');
    case 'Z_BUF_ERROR':
      return new UserError(name, 'truncated gzip data (unexpected end of file)');
    case 'Z_DATA_ERROR':
      return new UserError(name, `corrupt gzip data (${err.message})`);
  }
  if (err.message === 'unexpected end of file') return new UserError(name, 'truncated gzip data (unexpected end of file)');
  return new UserError(name, err.message ?? String(e));
}
