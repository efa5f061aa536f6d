// Netflix nflxprofile (protobuf): a placeholder. The importer itself is written on another branch (issue 10,
// "Other inputs"), which replaces this whole file; the import seam (`detect.ts`, `parse/input.ts`) already calls
// these two names so that the merge needs no change there.
import { UserError } from '../errors';
import type { ProfileBuilder } from '../parse/profile';
import type { Imported } from './imported';

/**
 * Whether the first bytes look like a protobuf message rather than text: a field tag of field 1–15 with a
 * known wire type, and bytes that text does not have (NUL or control bytes) in the head.
 */
export function looksLikeNflxprofile(head: Uint8Array): boolean {
  if (head.length < 2) return false;
  const tag = head[0]!;
  const wireType = tag & 7;
  if (tag >> 3 < 1 || tag >> 3 > 15 || (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5)) return false;
  const probe = head.subarray(0, 64);
  return probe.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d));
}

export function importNflxprofile(name: string, _bytes: Uint8Array, _builder: ProfileBuilder): Imported {
  throw new UserError(name, 'an nflxprofile (protobuf): not yet supported');
}
