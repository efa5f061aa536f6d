// The report: one self-contained HTML file. Inline CSS and one inline script (bundled from src/render/page at
// build time), the profile embedded as deflated varint columns in base64 (no string in it can close a
// <script>), and a Content-Security-Policy that allows nothing but those two inline blocks by hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type HandlebarsModule from 'handlebars';
import { DEFAULT_GROUPS, formatGroups, type GroupLevel, resolveGroups } from '../flamegraph/tree';
import { resolveWeights } from '../model/metrics';
import { formatSeconds, type IdleMode, isFoldedProfile, NS_PER_SECOND, profileExtent } from '../heatmap/range';
import type { Profile } from '../parse/profile';
import type { FilterSpec } from '../query/filter';
import type { SignedScale } from './heatmap-scale';
import type { PageOptions } from './page/main';
import { encodeProfile } from './profile-codec';

/**
 * Handlebars is loaded when a report is written, not when the CLI starts: it is the largest module the CLI
 * imports (20 ms), and `collapse` or `heatmap` of a big file should not pay for it (issue 10).
 */
const requireHere = createRequire(import.meta.url);
const handlebars = (): typeof HandlebarsModule => requireHere('handlebars') as typeof HandlebarsModule;

export interface ReportAssets {
  template: string;
  css: string;
  script: string;
}

export interface ReportOptions {
  title: string;
  rows: number;
  event: string | null;
  idle: IdleMode;
  select: { from: string; to: string } | null;
  version: string;
  /** The metric the page opens on (`--metric`; default `samples`), per second when `rate`. */
  metric?: string;
  rate?: boolean;
  /** How signed cells share the colours (`--scale`; default symmetric). */
  scale?: SignedScale;
  /** The flame graph's levels under the root, as `--group` takes them (default `sign,comm`). */
  groups?: string;
  /** Category pseudo-frames hidden, Erlang call sites merged (`--hide-categories`, `--merge-lines`). */
  hideCategories?: boolean;
  mergeLines?: boolean;
  /** Who the page opens filtered to (`--comm`, `--pid`, `--tid`, `--cpu`, `--exclude-comm`); null: everyone. */
  who?: FilterSpec | null;
}

/** The signed scale a report opens with unless told: ±max|v| at the ends, so equal magnitudes look alike. */
export const DEFAULT_SCALE: SignedScale = 'symmetric';

/** The `report` command's flags that set the view the page opens on (the page can change each of them). */
export interface ReportViewFlags {
  metric?: string;
  rate?: boolean;
  scale?: string;
  group?: readonly GroupLevel[];
  hideCategories?: boolean;
  mergeLines?: boolean;
}

/**
 * The page's opening view from the command's flags, checked against the profile as the other commands check
 * them: an unknown metric, a rate of a metric that is no delta, or a level that is none is a UserError that
 * says what there is.
 */
export function reportView(profile: Profile, event: number, flags: ReportViewFlags): Pick<ReportOptions, 'metric' | 'rate' | 'scale' | 'groups' | 'hideCategories' | 'mergeLines'> {
  const metric = flags.metric ?? 'samples';
  resolveWeights(profile, metric, event, { rate: flags.rate === true });
  const groups = formatGroups(resolveGroups(profile, flags.group ?? DEFAULT_GROUPS));
  return {
    metric,
    rate: flags.rate === true,
    scale: flags.scale === 'halves' ? 'halves' : DEFAULT_SCALE,
    groups,
    hideCategories: flags.hideCategories === true,
    mergeLines: flags.mergeLines === true,
  };
}

/** The input files of a profile read from several, each with its span on the shared axis; null for one file. */
/** The sum of a folded profile's counts (its `samples` metric). */
function foldedCount(profile: Profile): number {
  const counts = profile.metrics.find((m) => m.name === 'samples');
  let sum = 0;
  if (counts !== undefined) for (const v of counts.values) if (v === v) sum += v;
  return sum;
}

function fileList(profile: Profile): { name: string; span: string }[] | null {
  if (profile.files.length < 2) return null;
  const first = new Float64Array(profile.files.length).fill(Infinity);
  const last = new Float64Array(profile.files.length).fill(-Infinity);
  const samples = new Float64Array(profile.files.length);
  for (let i = 0; i < profile.sampleCount; i++) {
    const f = profile.file[i]!;
    const t = profile.time[i]!;
    samples[f]++;
    if (t < first[f]!) first[f] = t;
    if (t > last[f]!) last[f] = t;
  }
  const at = (ns: number): string => (ns / NS_PER_SECOND).toFixed(3);
  return profile.files.map((file, f) => {
    const n = `${samples[f]!.toLocaleString('en-US')} sample${samples[f] === 1 ? '' : 's'}`;
    const when = first[f]! <= last[f]! ? `${at(first[f]!)}–${at(last[f]!)} s, ` : '';
    return { name: shownName(file), span: `(${when}${n})` };
  });
}

/** The built page script, its stylesheet and the HTML template, from the package. */
export function loadReportAssets(): ReportAssets {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
  return { template: read('../templates/report.hbs'), css: read('./report.css'), script: read('./page.js') };
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** JSON that is safe inside a <script> data block: no `<` at all, so nothing can close or open a tag. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The input as the report names it: its base name. A report travels in tickets; the directory it was built in
 * (`/home/alice/incidents/...`) is nobody else's business and means nothing on another machine.
 */
export function shownName(source: string): string {
  return basename(source);
}

/** The header facts a reader of a ticket wants first. */
function metadata(profile: Profile): { label: string; value: string }[] {
  const h = profile.header;
  const meta: { label: string; value: string }[] = [{ label: 'File', value: shownName(profile.source) }];
  if (h.hostname !== undefined) meta.push({ label: 'Host', value: h.hostname });
  if (h.perfVersion !== undefined) meta.push({ label: 'perf', value: h.perfVersion });
  if (h.cmdline !== undefined) meta.push({ label: 'Command', value: h.cmdline });
  if (profile.hasTime) {
    const { first, last } = profileExtent(profile);
    const duration = h.sampleDurationMs !== undefined ? `${(h.sampleDurationMs / 1000).toFixed(3)} s` : `${formatSeconds(last - first)} s`;
    meta.push({ label: 'Duration', value: duration });
  }
  // ---- folded stacks (issue 10): a line stands for its count ----
  if (isFoldedProfile(profile)) meta.push({ label: 'Folded lines', value: profile.sampleCount.toLocaleString('en-US') }, { label: 'Samples', value: foldedCount(profile).toLocaleString('en-US') });
  else meta.push({ label: 'Samples', value: profile.sampleCount.toLocaleString('en-US') });
  meta.push({ label: profile.events.length === 1 ? 'Event' : 'Events', value: profile.events.join(', ') });
  const cpus = h.cpusOnline ?? (profile.cpu.some((c) => c >= 0) ? new Set(profile.cpu).size : undefined);
  if (cpus !== undefined) meta.push({ label: 'CPUs', value: String(cpus) });
  if (h.capturedOn !== undefined) meta.push({ label: 'Captured', value: h.capturedOn });
  return meta;
}

export function renderReport(profile: Profile, options: ReportOptions, assets: ReportAssets): string {
  // A bundler keeps `</script` out of string literals, but the page must not depend on that.
  const script = assets.script.replace(/<\/(script)/gi, '<\\/$1');
  const page: PageOptions = {
    title: options.title,
    rows: options.rows,
    event: options.event,
    idle: options.idle,
    select: options.select,
    metric: options.metric ?? 'samples',
    rate: options.rate === true,
    scale: options.scale ?? DEFAULT_SCALE,
    groups: options.groups ?? formatGroups(DEFAULT_GROUPS),
    hideCategories: options.hideCategories === true,
    mergeLines: options.mergeLines === true,
    who: options.who ?? null,
  };
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(assets.css)}`,
    'img-src data: blob:',
    // The search worker (a Blob URL of the page's own bundled script); connect-src stays 'none'.
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // The embedded profile names its input too (exports take their file names from it). Level 6, not 9: on
  // 200,000 distinct stacks level 9 takes 1.8 s more for 0.6 % fewer bytes.
  const data = deflateRawSync(encodeProfile({ ...profile, source: shownName(profile.source), files: profile.files.map(shownName) }), { level: 6 }).toString('base64');
  const template = handlebars().compile(assets.template, { strict: true });
  return template({
    csp,
    version: options.version,
    title: options.title,
    hasTime: profile.hasTime,
    // ---- folded stacks (issue 10): the no-timestamps note says what folded stacks can do instead ----
    foldedStacks: !profile.hasTime && isFoldedProfile(profile),
    meta: metadata(profile),
    files: fileList(profile),
    css: assets.css,
    options: scriptSafeJson(page),
    data,
    script,
  });
}
