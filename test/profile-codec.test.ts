// The report's embedded profile decodes to exactly the model it was made from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readProfile } from '../src/parse/input';
import { decodeProfile, encodeProfile } from '../src/render/profile-codec';
import { corpus } from './support/corpus';

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
});
