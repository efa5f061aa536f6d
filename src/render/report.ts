// The report: one self-contained HTML file. Inline CSS and one inline script (bundled from src/render/page at
// build time), the profile embedded as deflated varint columns in base64 (no string in it can close a
// <script>), and a Content-Security-Policy that allows nothing but those two inline blocks by hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Handlebars from 'handlebars';
import { formatSeconds, type IdleMode, profileExtent } from '../heatmap/range';
import type { Profile } from '../parse/profile';
import type { PageOptions } from './page/main';
import { encodeProfile } from './profile-codec';

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
  meta.push({ label: 'Samples', value: profile.sampleCount.toLocaleString('en-US') });
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
  const template = Handlebars.compile(assets.template, { strict: true });
  return template({
    csp,
    version: options.version,
    title: options.title,
    hasTime: profile.hasTime,
    meta: metadata(profile),
    css: assets.css,
    options: scriptSafeJson(page),
    data,
    script,
  });
}
