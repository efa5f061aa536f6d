// The report's embedded profile decodes to exactly the model it was made from.
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

  it('refuses bytes that are not profile data', () => {
    expect(() => decodeProfile(new TextEncoder().encode('hello'))).toThrow(/not flamescope profile data/);
  });
});
