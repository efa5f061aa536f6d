// One input's bytes (already gunzipped) → the importer its content calls for → samples in the builder.
import { UserError } from '../errors';
import { PerfScriptParser } from '../parse/perf-script';
import type { ProfileBuilder } from '../parse/profile';
import { importCpuProfile } from './cpuprofile';
import { describeJson, detectFormat, type InputFormat, jsonKind, notAProfileJson } from './detect';
import { FoldedParser } from './folded';
import type { Imported } from './imported';
import { importNflxprofile } from './nflxprofile';
import { importTraceEvents } from './trace-event';

/**
 * JSON and protobuf inputs are read whole (their parsers need all of it); text formats stream. The bound is
 * V8's: a string of more than 512 MiB cannot be made, so JSON beyond it is refused with a clear message rather
 * than an out-of-memory crash. Real traces are tens of MB.
 */
export const MAX_WHOLE_BYTES = 512 << 20;

/**
 * Reads one input: `head` is at least its first 64 KiB (or all of it), `rest` the chunks after. `checkText`
 * refuses binary input that claims to be text (it throws).
 */
export async function importInput(
  name: string,
  head: Buffer,
  rest: AsyncIterable<Buffer>,
  builder: ProfileBuilder,
  checkText: (chunk: Buffer) => void,
): Promise<{ format: InputFormat; imported: Imported }> {
  const format = detectFormat(head);
  switch (format) {
    case 'perf-script': {
      checkText(head);
      const parser = new PerfScriptParser(name, builder);
      parser.feed(head);
      for await (const chunk of rest) parser.feed(chunk);
      return { format, imported: { ...parser.end(), notices: [] } };
    }
    case 'folded': {
      checkText(head);
      const parser = new FoldedParser(name, builder);
      parser.feed(head);
      for await (const chunk of rest) parser.feed(chunk);
      return { format, imported: parser.end() };
    }
    case 'json':
      return { format, imported: importJson(name, await whole(name, head, rest, 'JSON'), builder) };
    case 'nflxprofile':
      return { format, imported: importNflxprofile(name, await whole(name, head, rest, 'nflxprofile'), builder) };
  }
}

async function whole(name: string, head: Buffer, rest: AsyncIterable<Buffer>, what: string): Promise<Buffer> {
  const chunks = [head];
  let size = head.length;
  for await (const chunk of rest) {
    size += chunk.length;
    if (size > MAX_WHOLE_BYTES) throw new UserError(name, `${what} larger than ${MAX_WHOLE_BYTES >> 20} MiB: too large to read whole (perf script text and folded stacks stream; JSON cannot)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** A .cpuprofile or a trace; any other JSON gets the one error that says what was expected. */
export function importJson(name: string, bytes: Buffer, builder: ProfileBuilder): Imported {
  let value: unknown;
  try {
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(name, notAProfileJson(`it does not parse (${(e as Error).message.slice(0, 120)})`));
  }
  const kind = jsonKind(value);
  if (kind === 'cpuprofile') return importCpuProfile(name, value as Record<string, unknown>, builder);
  if (kind === 'trace-event') return importTraceEvents(name, value, builder);
  throw new UserError(name, notAProfileJson(describeJson(value)));
}
