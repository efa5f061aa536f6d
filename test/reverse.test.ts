// The reversed (bottom-up) flame graph: `flame --reverse --format folded` is `collapse`'s output with every
// stack reversed, as `flamegraph.pl --reverse` reverses the folded lines it reads.
import { describe, expect, it } from 'vitest';
import { corpus } from './support/corpus';
import { reversedLines } from './support/raw';
import { runInProcess } from './support/cli';

/** Folded lines with each stack read backwards, in byte order (flamegraph.pl --reverse's reading). */

async function out(args: string[]): Promise<string> {
  const r = await runInProcess(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('flame --reverse', () => {
  const cases: [string, string[]][] = [
    [corpus('recorded', 'perf.pattern499.txt.gz'), []],
    [corpus('recorded', 'perf.pattern499.txt.gz'), ['--from', '3.5', '--to', '3.56']],
    [corpus('perf', 'perf-java-stacks-01.txt'), []],
    [corpus('perf', 'perf-numa-stacks-01.txt'), []],
  ];
  for (const [file, range] of cases) {
    it(`folded equals collapse reversed stack by stack: ${file.split('/').pop()} ${range.join(' ')}`, async () => {
      const collapsed = await out(['collapse', file, '--weight', 'samples', '--idle', 'keep', ...range]);
      const reversed = await out(['flame', file, '--reverse', '--format', 'folded', '--idle', 'keep', ...range]);
      expect(reversed.trimEnd().split('\n')).toEqual(reversedLines(collapsed));
    });
  }

  it('keeps every total: the root of the reversed graph is the root of the graph, signed weights included', async () => {
    const file = corpus('weighted', 'synthetic-weighted.perf');
    const args = [file, '--event', 'erlang:bin_vheap_size_delta', '--metric', 'period', '--format', 'json'];
    const plain = JSON.parse(await out(['flame', ...args])) as { value: number; net: number; samples: number };
    const reversed = JSON.parse(await out(['flame', ...args, '--reverse'])) as { value: number; net: number; samples: number; children: { name: string; value: number }[] };
    expect([reversed.value, reversed.net, reversed.samples]).toEqual([80896, -15360, 12]);
    expect([reversed.value, reversed.net, reversed.samples]).toEqual([plain.value, plain.net, plain.samples]);
    // The leaves come first: erlang:+/2 (the jiffy path's leaf) is a child of the root, as wide as its samples.
    expect(reversed.children.find((c) => c.name === 'erlang:+/2')?.value).toBe(4096 + 1024);
  });
});
