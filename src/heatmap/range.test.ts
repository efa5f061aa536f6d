// Which event `--event NAME` picks: exact name first, then the one name that matches without modifiers or PMU.
import { describe, expect, it } from 'vitest';
import { PerfScriptParser } from '../parse/perf-script';
import type { Profile } from '../parse/profile';
import { chooseEvent, eventAliases } from './range';
import { userErrorMessage } from '../../test/support/errors';

/** A profile with one sample of each event, in order. */
function withEvents(...events: string[]): Profile {
  const parser = new PerfScriptParser('events.txt');
  parser.feed(Buffer.from(events.map((e, i) => `prog 1 [000] 10.${String(i).padStart(6, '0')}: 1 ${e}:\n\t7f1 main (/x)\n\n`).join('')));
  return parser.finish();
}

const errorOf = userErrorMessage;

describe('chooseEvent', () => {
  it('--event cycles finds the Intel hybrid cpu_core/cycles/P when it is the only cycles event', () => {
    const p = withEvents('cpu_core/cycles/P', 'cpu_core/instructions/u', 'page-faults');
    expect(chooseEvent(p, 'cycles', false)).toBe(0);
    expect(chooseEvent(p, 'cpu_core/cycles', false)).toBe(0);
    expect(chooseEvent(p, 'cpu_core/cycles/P', false)).toBe(0);
    expect(chooseEvent(p, 'instructions', false)).toBe(1);
    expect(chooseEvent(p, 'page-faults', false)).toBe(2);
  });

  it('is an error that names the candidates when both core types recorded it', () => {
    const p = withEvents('cpu_core/cycles/P', 'cpu_atom/cycles/P');
    expect(errorOf(() => chooseEvent(p, 'cycles', false))).toBe(
      'event "cycles" is ambiguous: it matches cpu_core/cycles/P (1 samples), cpu_atom/cycles/P (1 samples); give one of these names',
    );
    expect(chooseEvent(p, 'cpu_atom/cycles', false)).toBe(1);
  });

  it('modifiers and tracepoints', () => {
    const p = withEvents('cycles:uppp', 'sched:sched_switch', 'cpu-clock:pppH');
    expect(chooseEvent(p, 'cycles', false)).toBe(0);
    expect(chooseEvent(p, 'sched_switch', false)).toBe(1);
    expect(chooseEvent(p, 'sched:sched_switch', false)).toBe(1);
    expect(chooseEvent(p, 'cpu-clock', false)).toBe(2);
    expect(errorOf(() => chooseEvent(p, 'sched', false))).toMatch(/^unknown event "sched"; this profile has: cycles:uppp \(1 samples\)/);
  });

  it('eventAliases', () => {
    expect(eventAliases('cpu_core/cycles/P')).toEqual(['cpu_core/cycles', 'cycles']);
    expect(eventAliases('cpu/event=0x3c,umask=0x0/')).toEqual(['cpu/event=0x3c,umask=0x0']);
    expect(eventAliases('cycles:u')).toEqual(['cycles']);
    expect(eventAliases('erlang:bin_vheap_size_delta')).toEqual(['erlang:bin_vheap_size_delta', 'bin_vheap_size_delta']);
    expect(eventAliases('cpu-clock')).toEqual(['cpu-clock']);
  });
});
