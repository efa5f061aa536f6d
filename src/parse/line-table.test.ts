// The byte-keyed table of frame lines (issue 10): a line is found only when its bytes are equal, at any byte
// offset in any buffer, and never by its hash alone.
import { describe, expect, it } from 'vitest';
import { LineTable } from './line-table';
import { PerfScriptParser } from './perf-script';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('LineTable', () => {
  it('finds a kept line by its bytes, anywhere in another buffer', () => {
    const t = new LineTable();
    const a = bytes('xx\t ffff foo+0x1 (/bin/x)\n');
    const id = t.add(a, 2, a.length - 1);
    expect(id).toBe(0);
    for (let shift = 0; shift < 9; shift++) {
      const b = bytes(`${'#'.repeat(shift)}\t ffff foo+0x1 (/bin/x)\n`);
      expect(t.find(b, shift, b.length - 1)).toBe(id);
    }
    const other = bytes('\t ffff foo+0x2 (/bin/x)');
    expect(t.find(other, 0, other.length)).toBe(-1);
    // Same length, one byte different at either end.
    expect(t.find(bytes('X ffff foo+0x1 (/bin/x)'), 0, 23)).toBe(-1);
    expect(t.find(bytes('\t ffff foo+0x1 (/bin/x('), 0, 23)).toBe(-1);
  });

  it('matches a line and its newline at every byte lane of every alignment, and nothing else', () => {
    const t = new LineTable();
    const lines = ['a', 'ab', 'abc', 'abcd', 'abcde', '\t    7f86100077d7 JS:*top /tmp/rec/big.js:8:13+0x397 (/tmp/perf-15368.map)'];
    const ids = lines.map((l) => t.add(bytes(l), 0, l.length));
    // One big buffer, sliced at every offset: the words read come from the shared ArrayBuffer.
    for (const [k, line] of lines.entries()) {
      for (let at = 0; at < 8; at++) {
        const whole = bytes(`${'Z'.repeat(at)}${line}\nQQQQQQQQ`);
        const view = whole.subarray(at);
        expect(t.matches(ids[k]!, view, 0, view.length)).toBe(true);
        expect(t.matches(ids[k]!, whole, at, whole.length)).toBe(true);
        // No newline after it, a different last byte, a different first byte, or the newline past `end`.
        expect(t.matches(ids[k]!, bytes(`${'Z'.repeat(at)}${line}Q`), at, at + line.length + 1)).toBe(false);
        expect(t.matches(ids[k]!, bytes(`${'Z'.repeat(at)}${line.slice(0, -1)}%\n`), at, at + line.length + 1)).toBe(false);
        expect(t.matches(ids[k]!, bytes(`${'Z'.repeat(at)}%${line.slice(1)}\n`), at, at + line.length + 1)).toBe(false);
        expect(t.matches(ids[k]!, whole, at, at + line.length)).toBe(false);
      }
    }
  });

  it('keeps many lines apart (rehashing as it grows) and remembers which line followed which', () => {
    const t = new LineTable();
    const n = 20000;
    for (let i = 0; i < n; i++) expect(t.add(bytes(`\t${i.toString(16)} f${i} (/x)`), 0, `\t${i.toString(16)} f${i} (/x)`.length)).toBe(i);
    for (let i = 0; i < n; i += 997) {
      const line = bytes(`\t${i.toString(16)} f${i} (/x)`);
      expect(t.find(line, 0, line.length)).toBe(i);
    }
    t.follows(3, 7);
    expect(t.successor(3)).toBe(7);
    expect(t.successor(4)).toBe(-1);
  });

  it('does not keep a line longer than 4 KiB: the parser reads it the slow way', () => {
    const t = new LineTable();
    const long = bytes(`\t1 ${'x'.repeat(5000)} (/x)`);
    expect(t.add(long, 0, long.length)).toBe(-1);
    expect(t.find(long, 0, long.length)).toBe(-1);
  });
});

describe('the parser with known lines and header shapes', () => {
  // Two records of the same shape (only the timestamp and one frame differ), then one whose header differs in
  // its period, then one without a blank line before it; fed whole and in chunks of every small size.
  const text = [
    'prog 42/43 [001] 10.000001:     1000 cycles: ',
    '\t    aaaa leaf+0x1 (/bin/prog)',
    '\t    bbbb main+0x2 (/bin/prog)',
    '',
    'prog 42/43 [001] 10.500000123:     1000 cycles: ',
    '\t    cccc other+0x3 (/bin/prog)',
    '\t    bbbb main+0x2 (/bin/prog)',
    '',
    'prog 42/43 [001] 11.25:     2000 cycles: ',
    '\t    aaaa leaf+0x1 (/bin/prog)',
    '\t    bbbb main+0x2 (/bin/prog)',
    'prog 42/43 [001] 12.000001:     1000 cycles: ',
    '\t    aaaa leaf+0x1 (/bin/prog)',
    '\t    bbbb main+0x2 (/bin/prog)',
    '',
  ].join('\n');

  for (const chunk of [text.length, 1, 2, 3, 5, 7, 64]) {
    it(`reads the same samples in chunks of ${chunk} bytes`, () => {
      const parser = new PerfScriptParser('t');
      const all = Buffer.from(text);
      for (let i = 0; i < all.length; i += chunk) parser.feed(all.subarray(i, i + chunk));
      const p = parser.finish();
      expect(p.sampleCount).toBe(4);
      // Timestamps read by hand from the text: 10.000001, 10.500000123, 11.25, 12.000001 (t0 = 10 s).
      expect(Array.from(p.time)).toEqual([1000, 500000123, 1250000000, 2000001000]);
      expect(p.timeDigits).toBe(9);
      expect(p.metrics.map((m) => [m.name, Array.from(m.values)])).toEqual([['period', [1000, 1000, 2000, 1000]]]);
      expect(Array.from(p.pid)).toEqual([42, 42, 42, 42]);
      expect(Array.from(p.tid)).toEqual([43, 43, 43, 43]);
      expect(Array.from(p.cpu)).toEqual([1, 1, 1, 1]);
      expect(p.comms).toEqual(['prog']);
      const leafOf = (i: number): string => p.frames[p.stackFrame[p.stack[i]!]!]!.symbol;
      const rootOf = (i: number): string => p.frames[p.stackFrame[p.stackParent[p.stack[i]!]!]!]!.symbol;
      expect([0, 1, 2, 3].map(leafOf)).toEqual(['leaf', 'other', 'leaf', 'leaf']);
      expect([0, 1, 2, 3].map(rootOf)).toEqual(['main', 'main', 'main', 'main']);
      expect(p.stack[0]).toBe(p.stack[2]);
      expect(p.warnings.recordLines).toBe(12);
      expect(p.warnings.skippedLines).toBe(0);
    });
  }

  it('counts a line as skipped at its own line number after known lines', () => {
    const bad = `${text}prog 42/43 [001] 13.000001:     1000 cycles: \n\t    aaaa leaf+0x1 (/bin/prog)\n\tnot a frame\n`;
    const parser = new PerfScriptParser('t');
    parser.feed(Buffer.from(bad));
    const p = parser.finish();
    expect(p.warnings.skippedLines).toBe(1);
    expect(p.warnings.firstSkippedLine).toBe(17);
    expect(p.warnings.firstSkippedText).toBe('\tnot a frame');
  });

  it('keeps a header shape only under the key of the line that gave it', () => {
    // The first header is not kept (a frame on its line); a tab-indented header read after it (slow path) must
    // not be kept under the first one's key, or the third header would take its comm, pid and period.
    const lines = [
      'prog 42/43 [001] 10.000001:     1000 cycles:      aaaa leaf+0x1 (/bin/prog)',
      '',
      '\tother 7/8 [000] 10.5:     5 cycles: ',
      '',
      'prog 42/43 [001] 11.000001:     1000 cycles:      aaaa leaf+0x1 (/bin/prog)',
      '',
    ];
    const parser = new PerfScriptParser('t');
    parser.feed(Buffer.from(lines.join('\n')));
    const p = parser.finish();
    expect(p.sampleCount).toBe(3);
    expect(Array.from(p.comm, (c) => p.comms[c])).toEqual(['prog', 'other', 'prog']);
    expect(Array.from(p.pid)).toEqual([42, 7, 42]);
    expect(Array.from(p.metrics[0]!.values)).toEqual([1000, 5, 1000]);
    expect(Array.from(p.stack, (s) => (s < 0 ? null : p.frames[p.stackFrame[s]!]!.symbol))).toEqual(['leaf', null, 'leaf']);
  });
});
