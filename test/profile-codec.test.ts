// The report's embedded profile decodes to exactly the model it was made from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readProfile } from '../src/parse/input';
import { decodeProfile, encodeProfile } from '../src/render/profile-codec';
import { corpus, runCli } from './support/corpus';

const inputs = [
  corpus('perf', 'perf.test01'),
  corpus('perf', 'perf-funcab-pid-01.txt'), // no timestamps
  corpus('perf', 'perf-cycles-instructions-01.txt'), // two events, no period
  corpus('perf', 'perf-java-stacks-01.txt'), // inline chains, unresolved frames
  corpus('weighted', 'synthetic-weighted.perf'), // signed periods
  corpus('recorded', 'perf.pattern499.txt.gz'),
];

describe('profile codec', () => {
  for (const input of inputs) {
    it(`round-trips ${input.split('/').slice(-2).join('/')}`, async () => {
      const profile = await readProfile(input);
      const decoded = decodeProfile(encodeProfile(profile));
      expect(decoded).toEqual(profile);
    });
  }

  it('decodes after the browser-side DecompressionStream', async () => {
    const profile = await readProfile(corpus('perf', 'perf.test01'));
    const packed = deflateRawSync(encodeProfile(profile), { level: 9 });
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(decodeProfile(bytes)).toEqual(profile);
  });

  it('round-trips strings that start with a byte-order mark or hold characters beyond U+FFFF', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codec-')), 'odd.txt');
    const frames = '\t1 \uFEFFbom+0x1 (/bin/\u{1F600})\n\t2 \u{1F600}main+0x1 (/bin/app)\n';
    writeFileSync(file, `app 1/1 [000] 1.000001: 1 cycles: \n${frames}`);
    const profile = await readProfile(file);
    expect(profile.frames.map((f) => f.symbol)).toContain('\uFEFFbom');
    expect(decodeProfile(encodeProfile(profile))).toEqual(profile);
  });

  it('refuses truncated data', async () => {
    const bytes = encodeProfile(await readProfile(corpus('perf', 'perf.test01')));
    for (const cut of [10, bytes.length >> 1, bytes.length - 1]) {
      expect(() => decodeProfile(bytes.subarray(0, cut))).toThrow(/truncated profile data/);
    }
  });

  it('refuses bytes that are not profile data', () => {
    expect(() => decodeProfile(new TextEncoder().encode('hello'))).toThrow(/not flamescope profile data/);
  });

  describe('the data a report embeds', () => {
    /** The profile a report's page decodes: its data block, base64 of deflated codec bytes. */
    function embedded(html: string): ReturnType<typeof decodeProfile> {
      const m = /<script type="application\/octet-stream" id="flamescope-data">([^<]*)<\/script>/.exec(html);
      expect(m).not.toBeNull();
      return decodeProfile(inflateRawSync(Buffer.from(m![1]!.trim(), 'base64')));
    }

    /** Every metric series of a report equals the one parsed from its input, value by value (NaN where absent). */
    async function expectSameMetrics(input: string): Promise<ReturnType<typeof decodeProfile>> {
      const out = join(mkdtempSync(join(tmpdir(), 'codec-report-')), 'r.html');
      const r = runCli(['report', input, '-o', out]);
      expect(r.status, r.stderr).toBe(0);
      const page = embedded(readFileSync(out, 'utf8'));
      const parsed = await readProfile(input);
      expect(page.metrics.map((m) => m.name)).toEqual(parsed.metrics.map((m) => m.name));
      for (let k = 0; k < parsed.metrics.length; k++) {
        // Float64Array equality is value by value, NaN equal to NaN; Object.is tells 0 from −0 as well.
        expect(page.metrics[k]!.values, parsed.metrics[k]!.name).toEqual(parsed.metrics[k]!.values);
        parsed.metrics[k]!.values.forEach((v, i) => expect(Object.is(page.metrics[k]!.values[i], v)).toBe(true));
      }
      expect(page.sampleCount).toBe(parsed.sampleCount);
      return page;
    }

    it("keeps every one of flame_prof's 32 metric series exactly", async () => {
      const input = corpus('weighted', 'flameprof-reconstructed.erl_perf.log');
      const page = await expectSameMetrics(input);
      expect(page.metrics.length).toBe(32);
      // And they are the numbers of the text: the first header's reductions value and delta.
      const first = readFileSync(input, 'utf8').split('\n')[0]!;
      const [, value, delta] = /metric_erlang_reductions: (-?\d+), (-?\d+)/.exec(first)!;
      expect(page.metrics.find((m) => m.name === 'erlang_reductions')!.values[0]).toBe(Number(value));
      expect(page.metrics.find((m) => m.name === 'erlang_reductions_delta')!.values[0]).toBe(Number(delta));
    });

    it('keeps fractional, negative and absent metric values, and signed periods', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'codec-frac-')), 'frac.erl_perf.log');
      const record = (time: string, metrics: string): string => `running\t0.1.0 [000] ${time}: cpu-clock:${metrics}\n\tffffffff a:b/1 (a.erl)\n\n`;
      writeFileSync(
        file,
        record('10.100000', '\tmetric_erlang_memory: 2.5, -0.75') +
          record('10.200000', '\tmetric_erlang_memory: 4503599627370497, -4503599627370497') +
          record('10.300000', '') +
          record('10.400000', '\tmetric_erlang_memory: 0.1, -0.0001'),
      );
      await expectSameMetrics(file);
      const parsed = await readProfile(file);
      expect(Array.from(parsed.metrics.find((m) => m.name === 'erlang_memory_delta')!.values)).toEqual([-0.75, -4503599627370497, NaN, -0.0001]);
      await expectSameMetrics(corpus('weighted', 'synthetic-weighted.perf'));
    });
  });
});
