// scripts/synth-profile.js, the generator of the benchmark's and browser tests' large profiles: counted from
// its raw text, so a shape the bench relies on ("200,000 distinct stacks") is what the file holds.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS script without type declarations
import { synthProfile } from '../scripts/synth-profile.js';

function text(options: object): string {
  return [...(synthProfile(options) as Iterable<string>)].join('');
}

describe('synth-profile', () => {
  it('with --stacks ≥ 100,000 and idle samples, every leaf still occurs', () => {
    const t = text({ seconds: 115, hz: 999, depth: 1, stacks: 100000, idle: 0.1 });
    const headers = t.match(/^\S.*$/gm) ?? [];
    const idle = headers.filter((h) => h.startsWith('swapper')).length;
    expect(headers.length).toBeGreaterThan(100000 / 0.9);
    expect(idle).toBeGreaterThan(headers.length * 0.08);
    const leaves = new Set(t.match(/ leaf_\d+\+/g));
    expect(leaves.size).toBe(100000);
  });

  it('is deterministic', () => {
    const o = { seconds: 3, stacks: 7, idle: 0.3, band: [0, 500] };
    expect(text(o)).toBe(text(o));
  });
});
