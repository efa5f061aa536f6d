// What Netflix FlameScope does with a perf script file, re-done from the raw text so that a test can explain
// every cell where our heat map differs from FlameScope's stored answer (shared/corpus/flamescope-ref/).
// FlameScope (app/perf/heatmap.py, app/perf/regexp.py, app/controllers/heatmap.py): a sample is an event line
// matched by / +([0-9.]+): .+?:/ plus the lines that follow it; its time is float(ts); it is dropped when the
// concatenated text matches "swapper.*(cpuidle|cpu_idle|...)"; its cell is column floor(ts - floor(start)),
// row (from the top) rows - floor(rows * (ts % 1)) - 1, for every event together.
// FlameScope is wrong on one dialect (examples/dialects/): its event regex also matches perf's side-band records
// (`sh 19519 494.661754: PERF_RECORD_COMM exec: ...`, some stamped 0.000000), so it counts them as samples and
// starts its heat map at 0 s. `sideBand: 'skip'` re-does FlameScope's rules without those lines: the one
// documented difference for such files.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EVENT_LINE = / +([0-9.]+): .+?:/;
const IDLE_TEXT = /swapper.*(cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|xen_hypercall_sched_op|xen_hypercall_vcpu_op)/;

export interface FlameScopeSample {
  /** The timestamp text as perf printed it. */
  text: string;
  /** float(text), as Python parses it (nearest double, like parseFloat). */
  ts: number;
  /** Whether FlameScope's idle regex drops the sample. */
  idle: boolean;
}

export interface FlameScopeOptions {
  /** FlameScope's own behaviour ('keep': side-band records are samples) or without them ('skip'). */
  sideBand?: 'keep' | 'skip';
}

export function flameScopeSamples(path: string, options: FlameScopeOptions = {}): FlameScopeSample[] {
  const raw = readFileSync(path);
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  const samples: FlameScopeSample[] = [];
  let stack = '';
  let ts = '';
  const finish = (): void => {
    if (stack !== '') samples.push({ text: ts, ts: parseFloat(ts), idle: IDLE_TEXT.test(stack) });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (options.sideBand === 'skip' && line.includes('PERF_RECORD_')) continue;
    const m = EVENT_LINE.exec(line);
    if (m !== null) {
      finish();
      ts = m[1]!;
      stack = line.trimEnd();
    } else {
      stack += line.trimEnd();
    }
  }
  finish();
  return samples;
}

/** FlameScope's row counted from the bottom (offset 0), with its float `ts % 1`. */
export function flameScopeRow(ts: number, rows: number): number {
  return Math.floor(rows * (ts % 1));
}

export function flameScopeColumn(ts: number, start: number): number {
  return Math.floor(ts - Math.floor(start));
}

export interface FlameScopeHeatmap {
  columns: number[];
  rows: number[];
  values: number[][];
  maxvalue: number;
}

/** FlameScope's `values[col][i]` (i = 0 the top row) as our column-major array with row 0 at offset 0. */
export function bottomUpValues(ref: FlameScopeHeatmap): Float64Array {
  const rows = ref.rows.length;
  const out = new Float64Array(ref.columns.length * rows);
  ref.values.forEach((column, c) => column.forEach((v, i) => (out[c * rows + (rows - 1 - i)] = v)));
  return out;
}

/**
 * FlameScope's heat map of its samples (app/controllers/heatmap.py): ceil(end) − floor(start) columns, `start` the
 * earliest timestamp and `end` the last one, idle samples left out; as our column-major values, row 0 at offset 0.
 */
export function flameScopeGrid(samples: readonly FlameScopeSample[], rows: number): { columns: number; values: Float64Array } {
  const start = Math.min(...samples.map((s) => s.ts));
  const end = samples.at(-1)!.ts;
  const columns = Math.ceil(end) - Math.floor(start);
  const values = new Float64Array(Math.max(columns, flameScopeColumn(end, start) + 1) * rows);
  for (const s of samples) {
    if (!s.idle) values[flameScopeColumn(s.ts, start) * rows + flameScopeRow(s.ts, rows)]++;
  }
  return { columns, values };
}
