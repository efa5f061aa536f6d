// The gaps of a heat map as people read them, in the text and SVG heat maps (and for the page):
// "no samples 0.91–2.02 s (1.11 s)", times in seconds since t0 like the axis, exact decimals.
import { type Gap, type GapReport, exactSeconds } from '../query/gaps';

/** How many gaps a picture lists before it says how many more there are (the JSON has them all). */
export const LISTED_GAPS = 20;

/** `no samples 0.91–2.02 s (1.11 s)` */
export function gapLine(gap: Gap): string {
  return `no samples ${exactSeconds(gap.from)}–${exactSeconds(gap.to)} s (${exactSeconds(gap.to - gap.from)} s)`;
}

/**
 * The heading and lines of a gap list: what counts as a gap (threshold and median interval), then one line per
 * gap up to `limit`, then how many more. `what` names the samples (`cycles samples`).
 */
export function gapList(report: GapReport, what: string, limit = LISTED_GAPS): string[] {
  if (report.thresholdNs <= 0) return [`gaps: too few ${what} to tell`];
  const rule = `longer than ${exactSeconds(report.thresholdNs)} s; median interval ${exactSeconds(report.medianNs)} s`;
  const n = report.gaps.length;
  if (n === 0) return [`gaps: none (no interval between ${what} ${rule})`];
  const lines = [`gaps: ${n.toLocaleString('en-US')} interval${n === 1 ? '' : 's'} between ${what} ${rule}:`];
  for (const gap of report.gaps.slice(0, limit)) lines.push(`  ${gapLine(gap)}`);
  if (n > limit) lines.push(`  … and ${(n - limit).toLocaleString('en-US')} more (all of them in --format json)`);
  return lines;
}
