// What the CLI promises for any input (issue 11): exit 0 with valid output, or one `flamescope: <file>: ...`
// line (after any warnings) and exit 1 or 2; never an internal error, a stack trace or a non-number.
import { xmlProblem } from './xml';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a successful run must print, by command and format. */
function outputProblem(args: string[], stdout: string): string | null {
  const command = args[0];
  const format = args[args.indexOf('--format') + 1];
  if (command === 'collapse' || (command === 'flame' && format === 'folded')) return foldedProblem(stdout);
  if (command === 'heatmap' && format === 'json') return heatmapJsonProblem(stdout, args);
  if (command === 'flame' && format === 'json') return flameJsonProblem(stdout);
  if ((command === 'heatmap' || command === 'flame') && format === 'svg') {
    const p = xmlProblem(stdout);
    return p === null ? (/^<\?xml[^]*<svg /.test(stdout) ? null : 'SVG without an <svg> element') : `SVG is not well-formed: ${p}`;
  }
  if (command === 'heatmap' && format === 'text') {
    if (!stdout.endsWith('\n') || !stdout.includes('legend: ')) return 'text heat map without its legend';
    return /NaN|Infinity|undefined/.test(stdout.slice(stdout.lastIndexOf('legend: '))) ? 'text heat map legend with a non-number' : null;
  }
  if (command === 'report') {
    if (!/^<!DOCTYPE html>/i.test(stdout) || !stdout.trimEnd().endsWith('</html>')) return 'report is not a whole HTML document';
    if (!/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; /.test(stdout)) return 'report without its Content-Security-Policy';
    return null;
  }
  return `no rule for ${args.join(' ')}`;
}

const COUNT = /^-?\d+(?:\.\d+)?(?:e[+-]\d+)?$/;

function foldedProblem(stdout: string): string | null {
  if (stdout === '') return null;
  if (!stdout.endsWith('\n')) return 'folded output does not end with a newline';
  const lines = stdout.slice(0, -1).split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const space = line.lastIndexOf(' ');
    const count = line.slice(space + 1);
    if (space <= 0) return `folded line ${k + 1} is not "stack count": ${JSON.stringify(line.slice(0, 80))}`;
    if (!COUNT.test(count) || !Number.isFinite(Number(count))) return `folded line ${k + 1} has count ${JSON.stringify(count.slice(0, 40))}`;
  }
  return null;
}

function heatmapJsonProblem(stdout: string, args: string[]): string | null {
  let doc: { rows: number; columns: number; values: (number | null)[][]; max: number; min: number; samples: number; total: number; counts?: number[][] };
  try {
    doc = JSON.parse(stdout);
  } catch (e) {
    return `heat map JSON does not parse: ${(e as Error).message}`;
  }
  const rows = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 50;
  if (doc.rows !== rows) return `heat map has ${doc.rows} rows, asked for ${rows}`;
  if (!Array.isArray(doc.values) || doc.values.length !== doc.columns) return 'heat map values are not one array per column';
  let samples = 0;
  for (let c = 0; c < doc.values.length; c++) {
    const column = doc.values[c]!;
    if (column.length !== rows) return `heat map column ${c} has ${column.length} values`;
    const counts = doc.counts?.[c];
    if (!Array.isArray(counts) || counts.length !== rows) return `heat map counts of column ${c} are not ${rows} numbers`;
    for (let r = 0; r < rows; r++) {
      const v = column[r]!;
      const n = counts[r]!;
      if (!Number.isInteger(n) || n < 0) return `heat map count ${c},${r} is ${String(n)}`;
      // A cell is null exactly when no sample fell in it.
      if (n === 0 ? v !== null : typeof v !== 'number' || !Number.isFinite(v)) return `heat map cell ${c},${r} is ${String(v)} with ${n} samples`;
      samples += n;
    }
  }
  for (const key of ['max', 'min', 'samples', 'total'] as const) if (typeof doc[key] !== 'number' || !Number.isFinite(doc[key])) return `heat map ${key} is ${String(doc[key])}`;
  if (samples !== doc.samples) return `heat map cells count ${samples} samples, its header says ${doc.samples}`;
  return null;
}

interface JsonNode {
  name: string;
  value: number;
  net: number;
  samples: number;
  children: JsonNode[];
}

function flameJsonProblem(stdout: string): string | null {
  let root: JsonNode & { samples: number };
  try {
    root = JSON.parse(stdout);
  } catch (e) {
    return `flame graph JSON does not parse: ${(e as Error).message}`;
  }
  if (root.name !== 'all') return 'flame graph root is not "all"';
  if (!Number.isInteger(root.samples)) return `flame graph samples is ${String(root.samples)}`;
  const pending: JsonNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (typeof node.name !== 'string' || !Array.isArray(node.children)) return 'flame graph node without a name or children';
    for (const key of ['value', 'net'] as const) {
      if (typeof node[key] !== 'number' || !Number.isFinite(node[key])) return `flame graph node ${JSON.stringify(node.name.slice(0, 60))} has ${key} ${String(node[key])}`;
    }
    if (!Number.isInteger(node.samples) || node.samples < 0) return `flame graph node ${JSON.stringify(node.name.slice(0, 60))} has samples ${String(node.samples)}`;
    for (const c of node.children) pending.push(c);
  }
  return null;
}

/** Why a run breaks the promises, or null when it keeps them. */
export function runProblem(args: string[], run: Run): string | null {
  if (/internal error/.test(run.stderr)) return `internal error: ${run.stderr.trim().split('\n').pop()}`;
  if (/^\s+at /m.test(run.stderr)) return 'a stack trace on stderr';
  const lines = run.stderr === '' ? [] : run.stderr.replace(/\n$/, '').split('\n');
  if (run.stderr !== '' && !run.stderr.endsWith('\n')) return 'stderr does not end with a newline';
  for (const line of lines) if (!line.startsWith('flamescope: ')) return `stderr line without "flamescope: ": ${JSON.stringify(line.slice(0, 100))}`;
  // Warnings, and notes (side-band records left out), are the lines a successful run may print.
  const isWarning = (line: string): boolean => /^flamescope: <stdin>: (?:warning|note): /.test(line);
  if (run.code === 0) {
    const other = lines.find((l) => !isWarning(l));
    if (other !== undefined) return `exit 0 with a line that is not a warning: ${JSON.stringify(other.slice(0, 200))}`;
    return outputProblem(args, run.stdout);
  }
  if (run.code !== 1 && run.code !== 2) return `exit ${run.code}: ${run.stderr.trim().slice(0, 200)}`;
  if (run.stdout !== '') return `exit ${run.code} with output on stdout`;
  const errors = lines.filter((l) => !isWarning(l));
  if (errors.length !== 1 || errors[0] !== lines[lines.length - 1]) return `exit ${run.code} without exactly one error line last: ${JSON.stringify(run.stderr.slice(0, 300))}`;
  if (!/^flamescope: <stdin>: \S/.test(errors[0]!)) return `error line does not name the input: ${JSON.stringify(errors[0]!.slice(0, 200))}`;
  return null;
}
