// The parser's pieces on the lines perf really prints (examples/dialects/ and shared/corpus), and on hostile
// lines of a megabyte: every scan must stay linear, so each of these runs in milliseconds.
import { describe, expect, it } from 'vitest';
import { collapse } from '../flamegraph/collapse';
import { type HeaderFields, isAnnotation, parseTimedHeader, parseTimelessHeader, PerfScriptParser, sampleStart } from './perf-script';
import { NO_ID, type Profile } from './profile';
import { resolveWeights } from '../model/metrics';


function parse(text: string, chunk = 1 << 20): Profile {
  const parser = new PerfScriptParser('test');
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) parser.feed(bytes.subarray(i, i + chunk));
  return parser.finish();
}

function folded(profile: Profile, stackcollapse = true): string[] {
  return collapse(profile, { event: 0, idle: 'keep', range: null }, { root: 'comm', kernel: false, jit: false, addrs: false, stackcollapse, weights: resolveWeights(profile, 'period', 0) });
}

describe('parseTimedHeader', () => {
  const cases: [string, boolean | null, Partial<HeaderFields>][] = [
    [
      '            burn 22641   554.374814:    2004008 cpu-clock:pppH:      55d4bfb8c18d inner_a+0xc (/tmp/burn)',
      null,
      { comm: 'burn', pidToken: '22641', cpu: -1, seconds: '554', fraction: '374814', period: '2004008', event: 'cpu-clock:pppH', rest: '55d4bfb8c18d inner_a+0xc (/tmp/burn)' },
    ],
    [
      '      worker one   559.175667: cpu-clock:pppH:      55794a0fb1cd spin_one (/x)',
      null,
      { comm: 'worker one', pidToken: '', period: '', event: 'cpu-clock:pppH', rest: '55794a0fb1cd spin_one (/x)' },
    ],
    ['         threads   559.177668: cpu-clock:pppH: ', false, { comm: 'threads', pidToken: '', event: 'cpu-clock:pppH', rest: '' }],
    // A comm that ends in a number: a pid when the file has that column, part of the comm when it has not.
    ['worker 2   5.500000: cpu-clock:', null, { comm: 'worker', pidToken: '2' }],
    ['worker 2   5.500000: cpu-clock:', false, { comm: 'worker 2', pidToken: '' }],
    [':-1    -1 [000]   606.826409:     200040 cpu-clock:pppH: ', true, { comm: ':-1', pidToken: '-1', cpu: 0, period: '200040' }],
    ['iperf 27409/28744 [000] 441995.133575: cpu-clock: ', true, { comm: 'iperf', pidToken: '27409/28744', cpu: 0, event: 'cpu-clock' }],
    ['swapper     0 [001]  1333.768770: cpu-clock:', true, { comm: 'swapper', pidToken: '0', cpu: 1 }],
    ['ksoftirqd/3    31/31    [003] 7628265.872699: cycles:', true, { comm: 'ksoftirqd/3', pidToken: '31/31', cpu: 3, event: 'cycles' }],
    // flame_prof: a TAB after the comm, an Erlang pid, metrics after the event.
    [
      'running\t0.245.0 [000] 8812.403117: cpu-clock:\tmetric_erlang_reductions: 1843350, 1',
      null,
      { comm: 'running', pidToken: '0.245.0', cpu: 0, event: 'cpu-clock', rest: 'metric_erlang_reductions: 1843350, 1' },
    ],
    ['waiting    4242/301     [000]   100.050500:      -8192 erlang:bin_vheap_size_delta: ', true, { period: '-8192', event: 'erlang:bin_vheap_size_delta' }],
    [
      'sh 22813 [001]   564.853965: sched:sched_switch: prev_comm=sh prev_pid=22813 ==> next_comm=perf next_pid=22812',
      true,
      { event: 'sched:sched_switch', period: '', rest: 'prev_comm=sh prev_pid=22813 ==> next_comm=perf next_pid=22812' },
    ],
    ['burn 22649   557.646955914:    2004008 cpu-clock:pppH: ', true, { seconds: '557', fraction: '646955914' }],
    // Side-band records and -F lists without an event.
    ['sh 19519   494.661721: PERF_RECORD_FORK(19531:19531):(19519:19519)', true, { event: '', rest: 'PERF_RECORD_FORK(19531:19531):(19519:19519)' }],
    ['burn     0     0.000000: PERF_RECORD_COMM: burn:22677/22677', true, { comm: 'burn', event: 'PERF_RECORD_COMM', rest: 'burn:22677/22677' }],
    ['burn 123 5.600000: 2004008', true, { period: '2004008', event: '', rest: '' }],
  ];
  for (const [line, pidColumn, expected] of cases) {
    it(JSON.stringify(line).slice(0, 80), () => {
      const h = parseTimedHeader(line, pidColumn);
      expect(h).not.toBeNull();
      expect(h).toMatchObject(expected);
    });
  }

  it('is null for frames, annotations, comments and words', () => {
    for (const line of ['\t    7f0 foo (/x)', '  burn.c:9', ' insn: 48 01 c2', 'abc', '12.5: x:', 'comm 1 2.3 x', 'comm 1 .5: x:']) {
      expect(parseTimedHeader(line, null), line).toBeNull();
    }
  });
});

describe('parseTimelessHeader (old perf without timestamps)', () => {
  it('reads comm, pid, [cpu] and event', () => {
    expect(parseTimelessHeader('java 19983 cycles: ')).toMatchObject({ comm: 'java', pidToken: '19983', event: 'cycles', seconds: '' });
    expect(parseTimelessHeader('V8 WorkerThread 24636/25607 [000] cycles:')).toMatchObject({ comm: 'V8 WorkerThread', pidToken: '24636/25607', cpu: 0, event: 'cycles' });
  });
  it('is null for frames, even unindented ones with a number', () => {
    for (const line of ['7f722d142778 Ljava/io/PrintStream;::print (/tmp/perf-19982.map)', '400123 main (/bin/x)', 'java cycles:', 'java 1 2']) {
      expect(parseTimelessHeader(line), line).toBeNull();
    }
  });
});

describe('sampleStart: where a file starts, for ordering several files without parsing them whole', () => {
  it('a timed sample header gives its time exactly, µs or ns', () => {
    expect(sampleStart('bash 29520  9027.507695:    2004008 cpu-clock:pppH: ')).toEqual({ seconds: 9027, nanos: 507695000 });
    expect(sampleStart('running\t0.245.0 [000] 8812.403117: cpu-clock:\tmetric_erlang_reductions: 1843350, 1')).toEqual({ seconds: 8812, nanos: 403117000 });
    expect(sampleStart('swapper     0 [001] 5086.200000123: cycles:')).toEqual({ seconds: 5086, nanos: 200000123 });
  });
  it('a sample header without a timestamp is untimed', () => {
    expect(sampleStart('java 19983 cycles: ')).toBe('untimed');
  });
  it('side-band records, frames, and headers whose numbers the model cannot hold start nothing', () => {
    for (const line of [
      'perf 1234 [000] 100.000001: PERF_RECORD_COMM: perf:1234/1234',
      'bash 29520 9027.5: PERF_RECORD_MMAP2 29520/29520: [0x55(0x1000) @ 0 fd:01 1 0]: r-xp /usr/bin/bash',
      '7f722d142778 Ljava/io/PrintStream;::print (/tmp/perf-19982.map)',
      'x 1 [99999] 1.000001: cycles:',
      'x 1 99999999999999999999.000001: cycles:',
      'hello readme',
    ]) {
      expect(sampleStart(line), line).toBeNull();
    }
  });
});

describe('isAnnotation: srcline, insn and srccode lines', () => {
  it('recognises what perf -F +srcline, +insn, +insnlen and +srccode print', () => {
    for (const line of ['  burn.c:9', '  ??:0', '  ??:?', '  libc.so.6[2724a]', '  /path with space/f.c:12', ' insn: 48 01 c2', ' ilen: 4 insn: 48 83 c0 03', '|9          for (int i = 0; i < 20000; i++) sink += i * 3;']) {
      expect(isAnnotation(line), line).toBe(true);
    }
  });
  it('leaves frames and headers alone', () => {
    for (const line of ['\t  118d inner_a+0xc (/x)', '   7f12 foo (/x)', 'burn 1 2.3: ev:', '  burn.c:', '  :9', '|x', 'burn.c:9']) {
      expect(isAnnotation(line), line).toBe(false);
    }
  });
});

describe('records', () => {
  const NO_CALLCHAIN = [
    '            burn 22641   554.374814:    2004008 cpu-clock:pppH:      55d4bfb8c18d inner_a+0xc (/tmp/burn)',
    '            burn 22641   554.376817:    2004008 cpu-clock:pppH:      55d4bfb8c1b0 inner_b+0xc (/tmp/burn)',
    '         swapper     0   554.378833:    2004008 cpu-clock:pppH:  ffffffff821f4dab pv_native_safe_halt+0xb ([kernel.kallsyms])',
  ].join('\n');

  it('one line per record without a callchain: each is a sample with its one frame', () => {
    const p = parse(NO_CALLCHAIN);
    expect(p.sampleCount).toBe(3);
    expect(p.warnings.skippedLines).toBe(0);
    expect(folded(p)).toEqual(['burn;inner_a 2004008', 'burn;inner_b 2004008', 'swapper;pv_native_safe_halt 2004008']);
    expect(p.idle[2]).toBe(1);
  });

  it('reads the same whatever the chunk boundaries (one byte at a time)', () => {
    const text = `${NO_CALLCHAIN}\nsh 1 1.000000: PERF_RECORD_EXIT(1:1):(0:0)\nburn 7 555.000001: 1 cpu-clock:\n\t7f1 main (/x)\n  burn.c:9\n`;
    const whole = parse(text);
    const bytewise = parse(text, 1);
    expect(folded(bytewise)).toEqual(folded(whole));
    expect(bytewise.sampleCount).toBe(4);
    expect(bytewise.warnings).toEqual(whole.warnings);
  });

  it('side-band records are counted, not samples, and do not move t0', () => {
    const p = parse(
      [
        'swapper     0     0.000000: PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x120bb08) @ 0xffffffff81000000]: x [kernel.kallsyms]_text',
        'perf-exec     0     0.000000: PERF_RECORD_COMM: perf-exec:19519/19519',
        'sh 19519   494.661721: PERF_RECORD_FORK(19531:19531):(19519:19519)',
        'burn 19531   494.663005:    2004008 cpu-clock:pppH: ',
        '\t            1197 inner_a+0x16 (/tmp/burn)',
        '',
        'PERF_RECORD_FINISHED_ROUND',
        'burn 19531   494.712381: PERF_RECORD_EXIT(19531:19531):(19519:19519)',
      ].join('\n'),
    );
    expect(p.sampleCount).toBe(1);
    expect(p.t0).toBe(494);
    expect(p.events).toEqual(['cpu-clock:pppH']);
    expect(p.warnings).toMatchObject({
      skippedLines: 0,
      sideBandRecords: 5,
      sideBandKinds: ['PERF_RECORD_MMAP', 'PERF_RECORD_COMM', 'PERF_RECORD_FORK', 'PERF_RECORD_FINISHED_ROUND', 'PERF_RECORD_EXIT'],
    });
  });

  it("perf's exiting thread has tid -1, an absent pid/tid is NO_ID", () => {
    const p = parse(':-1    -1 [000]   606.826409:     200040 cpu-clock:pppH: \n\tffffffff8220342e do_exit+0x62e ([kernel.kallsyms])\n\n      worker one   607.000000: cpu-clock:\n');
    expect([p.pid[0], p.tid[0]]).toEqual([NO_ID, -1]);
    expect([p.pid[1], p.tid[1]]).toEqual([NO_ID, NO_ID]);
  });

  it('a period beyond 2^53 (or Infinity) is clamped and counted', () => {
    const p = parse(`a 1 1.000000: ${'9'.repeat(400)} cpu-clock:\n\t7f1 main (/x)\n\na 1 1.100000: 5 cpu-clock:\n\t7f1 main (/x)\n`);
    expect(Array.from(p.metrics[0]!.values)).toEqual([Number.MAX_SAFE_INTEGER, 5]);
    expect(p.warnings).toMatchObject({ clampedPeriods: 1, firstClampedLine: 1 });
    expect(folded(p)).toEqual([`a;main ${Number.MAX_SAFE_INTEGER + 5}`]);
  });

  it('a (deleted) module: one frame with its offset kept for the stackcollapse name, the readable name without', () => {
    const p = parse(
      [
        'doomed 1 1.000000: 1 cpu-clock:',
        '\t1105 doomed_leaf+0xc (/tmp/gone/libdoomed.so (deleted))',
        '\t5 [unknown] (/memfd:jitcode (deleted))',
        '\t13a1 a->b+0x4d (/tmp/perf-1.map (deleted))',
        '\t2724a __libc_start_call_main+0x7a (/usr/lib/libc.so.6)',
        '',
      ].join('\n'),
    );
    const byModule = (m: string) => p.frames.filter((f) => f.module === m);
    expect(byModule('/tmp/gone/libdoomed.so (deleted)')).toEqual([
      { symbol: 'doomed_leaf', module: '/tmp/gone/libdoomed.so (deleted)', address: '', inlineDepth: 0, perlSymbol: 'doomed_leaf+0xc (/tmp/gone/libdoomed.so' },
    ]);
    expect(byModule('/memfd:jitcode (deleted)')[0]).toMatchObject({ symbol: '[unknown]', address: '5', perlSymbol: '[unknown] (/memfd:jitcode' });
    expect(byModule('/tmp/perf-1.map (deleted)').map((f) => [f.symbol, f.inlineDepth, f.perlSymbol])).toEqual([
      ['a', 0, undefined],
      ['b', 1, 'b+0x4d (/tmp/perf-1.map'],
    ]);
    // stackcollapse-perf.pl: symbol runs on to the last " (", cut at its first "(".
    expect(folded(p)).toEqual(['doomed;__libc_start_call_main;a;b+0x4d _[i];[unknown] ;doomed_leaf+0xc  1']);
    expect(folded(p, false)).toEqual(['doomed;__libc_start_call_main;a;b_[i];[memfd:jitcode (deleted)];doomed_leaf 1']);
  });

  it('a line whose parentheses do not balance is split where stackcollapse-perf.pl splits it', () => {
    const p = parse('a 1 1.000000: 1 cpu-clock:\n\t7f1 f (/x))\n\t7f2 g (b)(c)\n');
    expect(p.warnings.skippedLines).toBe(0);
    expect(p.frames.map((f) => [f.symbol, f.module])).toEqual([
      ['f', '/x)'],
      ['g', 'b)(c'],
    ]);
  });

  it('skipped lines count the lines of a record whose header was unreadable', () => {
    const p = parse('not a header\n\t7f1 main (/x)\n\t7f2 start (/x)\n\na 1 1.000000: 1 cpu-clock:\n\t7f1 main (/x)\n');
    expect(p.sampleCount).toBe(1);
    expect(p.warnings).toMatchObject({ skippedLines: 3, firstSkippedLine: 1, firstSkippedText: 'not a header', recordLines: 5 });
  });
});

describe('a line of a megabyte, of every shape that made a regex backtrack, parses and folds right', () => {
  const M = 1 << 20;
  const RECORD = 'prog 123 [000] 100.000001: 1000 cpu-clock:\n\t7f0000001000 main+0x10 (/usr/bin/prog)\n';
  const record = (frame: string, comm = 'prog'): string => `${comm} 1 [000] 100.000001: 1 cpu-clock:\n\t7f1 ${frame}\n`;
  const cases: [string, string, string[]][] = [
    ['a comment of blanks without a colon', `#${' '.repeat(M)}x\n${RECORD}`, ['prog;main 1000']],
    ['a comment of words without a colon', `# ${'a '.repeat(M / 2)}\n${RECORD}`, ['prog;main 1000']],
    ['a header with a megabyte of blanks', `prog${' '.repeat(M)}1 [000] 100.000001: 1 cpu-clock:\n\t7f1 main (/x)\n`, ['prog;main 1']],
    ['a period of a megabyte of digits', `prog 1 100.000001: ${'1'.repeat(M)} cpu-clock:\n\t7f1 main (/x)\n`, [`prog;main ${Number.MAX_SAFE_INTEGER}`]],
    ['a line of number words', `${'1 '.repeat(M / 2)}\n${RECORD}`, ['prog;main 1000']],
    ['a line of almost-timestamps', `x${' 1.1:x'.repeat(M / 6)}\n${RECORD}`, ['prog;main 1000']],
    ['a Go-like symbol of `.(` without `).`', record(`${'.('.repeat(M / 2)} (/x)`), ['prog;. 1']],
    ['a Go-like symbol of `.(` and one `).` at the end', record(`${'.('.repeat(M / 2)}).x (/x)`), [`prog;${'.('.repeat(M / 2)}).x 1`]],
    ['an unresolved frame in a module without `/`', record(`[unknown] (${'m'.repeat(M)})`), [`prog;[${'m'.repeat(M)}] 1`]],
    ['a template of anonymous namespaces', record(`a<b (c)>${'(anonymous namespace)'.repeat(M / 21)} (/x)`), [`prog;a<b (c)>${'(anonymous namespace)'.repeat(M / 21)} 1`]],
    ['a symbol of offsets', record(`${'+0x1'.repeat(M / 4)} (/x)`), [`prog;${'+0x1'.repeat(M / 4 - 1)} 1`]],
    ['nested parentheses', record(`f ${'('.repeat(M / 2)}${')'.repeat(M / 2)}`), ['prog;f 1']],
    ['a srcline-like line', `${record('main (/x)')}  ${'a:'.repeat(M / 2)}1\n`, ['prog;main 1']],
    ['a versioned-vmlinux-like module', record(`f (${'vmlinux-'.repeat(M / 8)}!)`), ['prog;f 1']],
    ['a perf-map-like module', record(`f (${'/tmp/perf-1'.repeat(M / 11)})`), ['prog;f 1']],
    ['an idle-like leaf', record(`intel_idle_${'a.'.repeat(M / 2)}! (/x)`, 'swapper'), [`swapper;intel_idle_${'a.'.repeat(M / 2)}! 1`]],
    ['a side-band line', `prog 1 1.000000: PERF_RECORD_${'X'.repeat(M)}\n${RECORD}`, ['prog;main 1000']],
    ['a header-line frame', `prog 1 100.000001: 1 cpu-clock: 7f1 ${'x('.repeat(M / 2)} (/x)\n`, ['prog;x 1']],
    ['a comm of a megabyte', `${'c'.repeat(M)} 1 100.000001: 1 cpu-clock:\n\t7f1 main (/x)\n`, [`${'c'.repeat(M)};main 1`]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const lines = folded(parse(text));
      expect(lines.join('\n') === expected.join('\n'), `${name}: ${lines.map((l) => `${l.slice(0, 60)}…${l.slice(-30)}`)}`).toBe(true);
    }, 20_000);
  }
});
