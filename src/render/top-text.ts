// `top` as an aligned table for a terminal, or as JSON: the function table (query/functions) or the thread,
// process or CPU breakdown (query/breakdown) of a selection. This only words them.
import type { Breakdown } from '../query/breakdown';
import type { FunctionRow, FunctionSort, FunctionTable } from '../query/functions';

export interface TopHeader {
  source: string;
  event: string;
  /** `3.5–3.56 s`, or `whole profile`. */
  selection: string;
  idle: string;
  /** `samples`, or the metric's name. */
  metric: string;
  /** The metric's unit ('' for samples). */
  unit: string;
}

/** Control characters of a frame or thread name must not drive the terminal, nor break a row in two. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** A weight as a table shows it: whole numbers grouped, others to 4 significant digits; `−` for minus. */
function amount(v: number): string {
  const shown = Number.isInteger(v) ? v : Number(v.toPrecision(4));
  return shown.toLocaleString('en-US', { maximumFractionDigits: 20 }).replace(/^-/, '−');
}

/** Columns padded to their widest cell, numbers right-aligned; the name is last, so no name shifts a column. */
function table(rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((cells) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function headLine(h: TopHeader, samples: number, total: number): string {
  const unit = h.metric === 'samples' ? 'samples' : `Σ|${h.metric}|${h.unit === '' ? '' : ` ${h.unit}`}`;
  const weight = h.metric === 'samples' ? '' : `, ${amount(total)} ${unit}`;
  return printable(`${h.source}: ${h.event}, ${h.selection}, ${samples.toLocaleString('en-US')} samples${weight}, ${h.idle}`);
}

/** The function table, `limit` rows of it, sorted by `sort`. */
export function functionsText(t: FunctionTable, rows: readonly FunctionRow[], h: TopHeader, sort: FunctionSort, limit: number): string {
  const signed = t.rows.some((r) => r.selfNet !== r.self || r.totalNet !== r.total);
  const unit = h.metric === 'samples' ? 'samples' : h.unit || h.metric;
  const lines = [headLine(h, t.samples, t.total), `Functions by ${sort === 'name' ? 'name' : `${sort} weight`} (${unit}; total counts a sample once however often the function recurs on its stack)`, ''];
  const head = ['rank', 'self', 'self%', 'total', 'total%', ...(signed ? ['self net', 'total net'] : []), 'function'];
  const cells = [head];
  rows.slice(0, limit).forEach((r, i) => {
    cells.push([
      String(i + 1),
      amount(r.self),
      percent(r.selfShare),
      amount(r.total),
      percent(r.totalShare),
      ...(signed ? [amount(r.selfNet), amount(r.totalNet)] : []),
      printable(r.name),
    ]);
  });
  return finishTable(lines, cells, rows.length, limit);
}

/** The table (every column right-aligned but the name, last) and a line for the rows past the limit. */
function finishTable(lines: string[], cells: string[][], rows: number, limit: number): string {
  const columns = cells[0]!.length;
  lines.push(...table(cells, new Set(cells[0]!.map((_, c) => c).filter((c) => c < columns - 1))));
  const hidden = rows - Math.min(limit, rows);
  if (hidden > 0) lines.push(`… and ${hidden.toLocaleString('en-US')} more (--limit to show more, --format json for all)`);
  return `${lines.join('\n')}\n`;
}

/** What every JSON answer of `top` starts with. */
function jsonHead(h: TopHeader, more: Record<string, unknown>): Record<string, unknown> {
  return { source: h.source, event: h.event, ...more, metric: h.metric, unit: h.unit, idle: h.idle };
}

export function functionsJson(t: FunctionTable, rows: readonly FunctionRow[], h: TopHeader, sort: FunctionSort, limit: number, more: Record<string, unknown>): string {
  const out = {
    ...jsonHead(h, more),
    by: 'function',
    sort,
    samples: t.samples,
    total: t.total,
    net: t.net,
    functions: rows.length,
    rows: rows.slice(0, limit),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A breakdown by thread, process or CPU (each sample belongs to one row, so there is no self and total). */
export function breakdownText(b: Breakdown, h: TopHeader, limit: number): string {
  const signed = b.rows.some((r) => r.net !== r.value);
  const unit = h.metric === 'samples' ? 'samples' : h.unit || h.metric;
  const lines = [headLine(h, b.samples, b.value), `By ${b.by} (${unit})`, ''];
  const head = ['rank', 'weight', 'share', ...(signed ? ['net'] : []), 'samples', b.by];
  const cells = [head];
  b.rows.slice(0, limit).forEach((r, i) => {
    cells.push([String(i + 1), amount(r.value), percent(r.share), ...(signed ? [amount(r.net)] : []), r.samples.toLocaleString('en-US'), printable(r.label)]);
  });
  return finishTable(lines, cells, b.rows.length, limit);
}

export function breakdownJson(b: Breakdown, h: TopHeader, limit: number, more: Record<string, unknown>): string {
  const out = {
    ...jsonHead(h, more),
    by: b.by,
    samples: b.samples,
    total: b.value,
    rows: b.rows.slice(0, limit).map((r) => ({ label: r.label, filter: r.spec, samples: r.samples, value: r.value, net: r.net, share: r.share })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
