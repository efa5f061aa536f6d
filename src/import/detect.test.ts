import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../test/support/corpus';
import { describeJson, detectFormat, jsonKind, looksFolded, notAProfileJson, splitFoldedLine } from './detect';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('JSON by its first significant byte, after blanks and a byte order mark', () => {
    expect(detectFormat(bytes('{"nodes": []}'))).toBe('json');
    expect(detectFormat(bytes('\n\t  [ {"ph": "X"} ]'))).toBe('json');
    expect(detectFormat(bytes('\uFEFF{"traceEvents": []}'))).toBe('json');
  });

  it('folded stacks: every record line ends in a count', () => {
    expect(detectFormat(bytes('perl;main;foo 3\nperl;main;bar 12\n'))).toBe('folded');
    expect(detectFormat(bytes('# a comment\n\nmain 1\r\nmain;a 2\r\n'))).toBe('folded');
    // One line, no newline: judged on it.
    expect(detectFormat(bytes('a;b;c 7'))).toBe('folded');
  });

  it('perf script text: headers end in an event, frames are indented', () => {
    const perf = 'perl 12345 [001] 1234.567890: 10101010 cpu-clock:\n\tffffffff81000000 foo ([kernel.kallsyms])\n\n';
    expect(detectFormat(bytes(perf))).toBe('perf-script');
    // A perf header without a callchain whose line ends in a number (a tracepoint's argument): a header first.
    expect(detectFormat(bytes('dd 4242 [001] 1234.567890: 1 syscalls:sys_enter_read: fd: 3, count: 1\n'))).toBe('perf-script');
    expect(detectFormat(bytes('# ========\n# captured on: x\n# ========\n#\nperl 1 [000] 1.000001: cycles:\n'))).toBe('perf-script');
    // Mostly not folded: perf's parser then says which line it could not read.
    expect(detectFormat(bytes('a;b 1\nsomething else\nand more\n'))).toBe('perf-script');
    // Mostly folded, with one bad line: folded (its reader counts the bad line).
    expect(detectFormat(bytes('a;b 1\nsomething else\na;c 2\n'))).toBe('folded');
    expect(detectFormat(bytes('\n\n'))).toBe('perf-script');
  });

  it('binary perf.data goes to the perf reader (which says how to convert it), protobuf to nflxprofile', () => {
    expect(detectFormat(Buffer.concat([Buffer.from('PERFILE2'), Buffer.alloc(64)]))).toBe('perf-script');
    // Netflix's own fixture: its first bytes are the profile's start and end times (two doubles).
    expect(detectFormat(readFileSync(corpus('other-formats', 'nodejs1.nflxprofile')).subarray(0, 64))).toBe('nflxprofile');
  });

  it('a first line longer than 64 KiB is read to its end', () => {
    const deep = `app;${Array.from({ length: 10_000 }, (_, k) => `frame${k}`).join(';')} 3\n`;
    expect(deep.length).toBeGreaterThan(1 << 16);
    expect(detectFormat(bytes(`${deep}app;x 1\n`))).toBe('folded');
  });

  it('looks only at complete lines: a chunk cut inside the second line is judged on the first', () => {
    expect(looksFolded(bytes('a;b 1\na;b;c 2'))).toBe(true);
    expect(looksFolded(bytes('a;b 1\nperl 1 [000] 1.0'))).toBe(true);
  });
});

describe('splitFoldedLine', () => {
  it('splits at the last blanks before the count', () => {
    expect(splitFoldedLine('a;b;c 12')).toEqual({ stack: 'a;b;c', count: '12' });
    expect(splitFoldedLine('node;LazyCompile:*burnA /tmp/x.js:10 3')).toEqual({ stack: 'node;LazyCompile:*burnA /tmp/x.js:10', count: '3' });
    // One blank before the count, as flamegraph.pl reads it: a frame's own trailing blank stays.
    expect(splitFoldedLine('a\t\t5')).toEqual({ stack: 'a\t', count: '5' });
    expect(splitFoldedLine('java;std::function<void  3')).toEqual({ stack: 'java;std::function<void ', count: '3' });
    expect(splitFoldedLine('a 0.5')).toEqual({ stack: 'a', count: '0.5' });
  });

  it('refuses lines without a count or stack', () => {
    for (const line of ['a;b;c', '12', ' 12', '\ta 1', 'a 1.', 'a .5', 'a12', 'a 1 x', '']) expect(splitFoldedLine(line), line).toBeNull();
  });

  it('is linear on a megabyte of hostile text', () => {
    const hostile = 'a' + ' 1'.repeat(500_000) + ' x';
    expect(splitFoldedLine(hostile)).toBeNull();
    expect(splitFoldedLine(`a${' '.repeat(1_000_000)}1`)?.count).toBe('1');
  });
});

describe('jsonKind', () => {
  it('a .cpuprofile: nodes, samples and timeDeltas or startTime', () => {
    expect(jsonKind({ nodes: [], samples: [], timeDeltas: [] })).toBe('cpuprofile');
    expect(jsonKind({ nodes: [], samples: [], startTime: 0 })).toBe('cpuprofile');
    expect(jsonKind({ nodes: [], samples: [] })).toBeNull();
  });

  it('trace events: an array of events, or {traceEvents}', () => {
    expect(jsonKind([{ ph: 'X' }, { ph: 'M', name: 'thread_name' }])).toBe('trace-event');
    expect(jsonKind({ traceEvents: [{ ph: 'P' }], metadata: {} })).toBe('trace-event');
    expect(jsonKind([])).toBe('trace-event');
  });

  it('anything else is none, and its description names what it is', () => {
    expect(jsonKind({ name: 'flamescope', version: '1.0.0' })).toBeNull();
    expect(jsonKind([1, 2])).toBeNull();
    expect(jsonKind([{ ph: 'X' }, 'x'])).toBeNull();
    expect(jsonKind(3)).toBeNull();
    expect(describeJson({ name: 'flamescope', version: '1.0.0' })).toBe('an object with keys "name", "version"');
    expect(describeJson([1, 2])).toBe('an array of 2 items that are not trace events (objects with "ph")');
    expect(describeJson(null)).toBe('a null');
    expect(notAProfileJson('x')).toMatch(/^JSON that is not a V8 \.cpuprofile .*, a Chrome trace .* or an nflxprofile: x$/);
  });
});
