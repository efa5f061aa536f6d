// Netflix nflxprofile (protobuf): a placeholder. The importer itself is written on another branch (issue 10,
// "Other inputs"), which replaces this whole file; the import seam (`detect.ts`, `parse/input.ts`) already calls
// these two names so that the merge needs no change there.
import { UserError } from '../errors';
import type { ProfileBuilder } from '../parse/profile';
import type { Imported } from './imported';

/** The tags an nflxprofile `Profile` message starts with: start_time, end_time (doubles), samples, time_deltas, nodes. */
const FIRST_TAGS = new Set([0x09, 0x11, 0x1a, 0x22, 0x2a]);

/**
 * Whether the first bytes look like an nflxprofile rather than text: the tag of one of its first fields, and
 * bytes that text does not have (NUL or control bytes) in the head.
 */
export function looksLikeNflxprofile(head: Uint8Array): boolean {
  if (head.length < 2 || !FIRST_TAGS.has(head[0]!)) return false;
  const probe = head.subarray(0, 64);
  return probe.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d));
}

export function importNflxprofile(name: string, _bytes: Uint8Array, _builder: ProfileBuilder): Imported {
  throw new UserError(name, 'an nflxprofile (protobuf): not yet supported');
}
