// `explain` as a table for a terminal, or as JSON. The ranking and the tests are `query/explain`'s; this only
// words them.
import { type Explanation, type ExplainRow, type Recurrence, recurrenceText } from '../query/explain';

export interface ExplainHeader {
  source: string;
  event: string;
  /** `3.5–3.56 s` */
  selection: string;
  /** `the rest of the profile`, `the whole profile`, `10–20 s` */
  baseline: string;
  idle: string;
  rows: number;
}

export interface ExplainedRow {
  row: ExplainRow;
  /** Computed for the top rows only; null for the others. */
  recurrences: Recurrence[] | null;
}

/** Numbers the width of a terminal column: 3 significant digits, `1.2e-30` below 0.001. */
function pValueText(q: number | null): string {
  if (q === null) return '—';
  if (q === 0) return '<1e-300';
  if (q < 0.001) return q.toExponential(1);
  return q.toPrecision(2);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ratioText(ratio: number): string {
  if (ratio === Infinity) return 'new';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toPrecision(3)}×`;
}

function amount(v: number): string {
  const rounded = Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  return rounded.toLocaleString('en-US').replace(/^-/, '−');
}

/** The methods, in one paragraph, so that a reader can judge the numbers. */
export function methodText(e: Explanation): string {
  const weighs =
    e.metric === 'samples'
      ? 'shares and excess are of samples'
      : `shares and excess are of Σ|${e.metric}| (${e.unit || e.metric}); the test is on sample counts`;
  return (
    `Ranked by excess: the weight in the selection beyond what the row's baseline share predicts (${weighs}). ` +
    `q: one-sided exact binomial test of the row's samples in the selection against its share of the baseline's samples, ` +
    `Benjamini–Hochberg adjusted over the ${e.tests} rows tested; significant when q ≤ ${e.alpha}.`
  );
}

/** The three rankings, each in the order of `rows`. */
export const SECTIONS: { kind: ExplainRow['kind']; title: string }[] = [
  { kind: 'frame', title: 'Frames (inclusive: the frame anywhere on the stack, once per sample)' },
  { kind: 'self', title: 'Self (the frame as the leaf)' },
  { kind: 'thread', title: 'Threads' },
];

export function explainText(e: Explanation, shown: readonly ExplainedRow[], header: ExplainHeader, top: number): string {
  const lines: string[] = [];
  const unit = e.metric === 'samples' ? 'samples' : e.unit || e.metric;
  lines.push(
    `${header.source}: ${header.event}, ${header.selection} (${e.samples.toLocaleString('en-US')} samples) against ${header.baseline} ` +
      `(${e.baselineSamples.toLocaleString('en-US')} samples), ${header.idle}`,
  );
  if (!e.tested) lines.push(`Nothing tested: ${e.untestedReason}.`);
  else {
    const significant = e.rows.filter((r) => r.significant).length;
    lines.push(significant === 0 ? 'Nothing is significantly above the baseline.' : `${significant} of ${e.rows.length} rows significantly above the baseline.`);
  }
  lines.push(methodText(e));
  for (const section of SECTIONS) {
    const all = shown.filter((r) => r.row.kind === section.kind);
    const rows = all.slice(0, top);
    lines.push('', section.title);
    const table: string[][] = [['rank', 'selection', 'baseline', 'ratio', `excess ${unit}`, 'q', '', 'name']];
    rows.forEach(({ row }, i) => {
      table.push([
        String(i + 1),
        percent(row.share),
        percent(row.baselineShare),
        ratioText(row.ratio),
        amount(row.excess),
        pValueText(row.q),
        row.q === null ? 'untested' : row.significant ? 'significant' : 'not significant',
        row.name,
      ]);
    });
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    const right = new Set([0, 1, 2, 3, 4, 5]);
    table.forEach((cells, i) => {
      lines.push(cells.map((cell, c) => (c === cells.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
      const recurrences = i === 0 ? null : rows[i - 1]!.recurrences;
      if (recurrences === null) return;
      const indent = ' '.repeat(widths[0]! + 2);
      if (recurrences.length === 0) {
        lines.push(`${indent}no recurrence found`);
        return;
      }
      const first = recurrences.slice(0, 6).map((r) => recurrenceText(r, header.rows));
      const more = recurrences.length > 6 ? ` and ${recurrences.length - 6} more` : '';
      lines.push(`${indent}also at ${first.join('; ')}${more}`);
    });
    const hidden = all.length - rows.length;
    if (hidden > 0) {
      const sig = all.slice(rows.length).filter((r) => r.row.significant).length;
      lines.push(`… and ${hidden} more (${sig} of them significant; --top to show more, --format json for all)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function explainJson(e: Explanation, rows: readonly ExplainedRow[], header: ExplainHeader, more: Record<string, unknown>): string {
  const finite = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
  const out = {
    source: header.source,
    event: header.event,
    ...more,
    metric: e.metric,
    unit: e.unit,
    idle: header.idle,
    samples: e.samples,
    weight: e.weight,
    baselineSamples: e.baselineSamples,
    baselineWeight: e.baselineWeight,
    tested: e.tested,
    untestedReason: e.untestedReason,
    tests: e.tests,
    alpha: e.alpha,
    method: methodText(e),
    heatmapRows: header.rows,
    rows: rows.map(({ row, recurrences }) => ({
      ...row,
      ratio: finite(row.ratio),
      ...(recurrences === null
        ? {}
        : { recurrences: recurrences.map((r) => ({ fromRow: r.fromRow, toRow: r.toRow, seconds: r.columns, text: recurrenceText(r, header.rows) })) }),
    })),
  };
  return `${JSON.stringify(out, null, 1)}\n`;
}
