// What an importer gives back about one file, beside the samples it added to the builder.
import type { ParseWarnings, ProfileHeader } from '../parse/profile';

export interface Imported {
  header: ProfileHeader;
  /** Lines or records skipped, with the first one named (folded stacks use the perf parser's fields). */
  warnings: ParseWarnings;
  /** Things the user should know about this file (records that are not samples, left out and counted), one line each. */
  notices: string[];
}
