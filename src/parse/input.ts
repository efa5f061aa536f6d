// Opens a profile (a path, or `-` for stdin), detects gzip by its magic bytes, and streams the text through a
// parser in chunks: a 1 GB input is never held in memory as text.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors';
import { PerfScriptParser } from './perf-script';
import type { Profile } from './profile';

const CHUNK = 1 << 20;

export interface ReadOptions {
  /** Called with the number of compressed-or-plain input bytes read so far (for progress reports). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** What `-` reads (default: the process's stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** Reads and parses a profile; every problem with the input becomes a UserError naming the file. */
export async function readProfile(path: string, options: ReadOptions = {}): Promise<Profile> {
  const name = path === '-' ? '<stdin>' : path;
  let total = 0;
  if (path !== '-') {
    try {
      const info = await stat(path);
      if (info.isDirectory()) throw new UserError(name, 'is a directory, not a profile');
      total = info.size;
    } catch (e) {
      throw asUserError(name, e);
    }
  }
  const raw = path === '-' ? (options.stdin ?? process.stdin) : createReadStream(path, { highWaterMark: CHUNK });
  const parser = new PerfScriptParser(name);
  let bytesRead = 0;
  let consumeError: unknown;
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const first = await iterator.next();
    if (first.done === true || first.value.length === 0) throw new UserError(name, 'empty file: no samples');
    const head: Buffer = first.value;
    const counted = async function* (): AsyncGenerator<Buffer> {
      bytesRead += head.length;
      options.onProgress?.(bytesRead, total);
      yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        bytesRead += next.value.length;
        options.onProgress?.(bytesRead, total);
        yield next.value;
      }
    };
    let checked = false;
    const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
      try {
        for await (const chunk of source) {
          if (!checked) {
            checkText(name, chunk);
            checked = true;
          }
          parser.feed(chunk);
        }
      } catch (e) {
        // pipeline() reports a failing last stage as a bare AbortError; keep the reason to tell the user.
        consumeError ??= e;
        throw e;
      }
    };
    if (isGzip(head)) {
      await pipeline(Readable.from(counted()), createGunzip({ chunkSize: CHUNK }), consume);
    } else {
      await consume(counted());
    }
  } catch (e) {
    throw asUserError(name, consumeError ?? e);
  } finally {
    if (path !== '-') (raw as ReturnType<typeof createReadStream>).destroy();
  }
  const profile = parser.finish();
  if (profile.sampleCount === 0) {
    const w = profile.warnings;
    const why =
      w.skippedLines > 0
        ? `no samples: line ${w.firstSkippedLine} is not a perf script record header: ${JSON.stringify(w.firstSkippedText)}`
        : 'no samples (expected `perf script` output)';
    throw new UserError(name, why);
  }
  return profile;
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Refuses binary input with a message that says what to do. */
function checkText(name: string, chunk: Buffer): void {
  if (chunk.subarray(0, 8).toString('latin1') === 'PERFILE2') {
    throw new UserError(name, 'this is a perf.data file; convert it first: perf script --header -i FILE > FILE.txt');
  }
  const probe = chunk.subarray(0, 4096);
  if (probe.includes(0)) throw new UserError(name, 'binary input (NUL bytes): expected `perf script` text, plain or gzip');
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
