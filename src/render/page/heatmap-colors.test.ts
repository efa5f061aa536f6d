// The page's signed colours beyond the shared light ones: enhance on a diverging scale and the dark theme's.
import { describe, expect, it } from 'vitest';
import { colourDifference } from '../../../test/support/contrast';
import { NULL_GREY, signedColor, ZERO_WHITE } from '../heatmap-scale';
import { DARK_NULL, DARK_ZERO, signedPageColor, stretchSigned } from './heatmap-colors';

describe('signed colours on the page', () => {
  it('light: the shared colours, white only at 0', () => {
    for (const p of [-1, -0.5, -0.001, 0, 0.001, 0.5, 1]) expect(signedPageColor(p, 'light')).toEqual(signedColor(p));
    expect(signedPageColor(0, 'light')).toEqual(ZERO_WHITE);
  });

  it('dark: zero near-black, null a neutral grey, both apart from each other and from any value', () => {
    expect(signedPageColor(0, 'dark')).toEqual(DARK_ZERO);
    expect(Math.max(...DARK_NULL) - Math.min(...DARK_NULL)).toBeLessThan(12);
    expect(colourDifference(DARK_NULL, DARK_ZERO)).toBeGreaterThan(20);
    for (let k = 1; k <= 100; k++) {
      for (const p of [k / 100, -k / 100]) {
        const c = signedPageColor(p, 'dark');
        expect(colourDifference(c, DARK_NULL), `position ${p}`).toBeGreaterThan(20);
        expect(colourDifference(c, DARK_ZERO), `position ${p}`).toBeGreaterThan(20);
      }
    }
    // Red above 0, green below; brighter further out (brighter is bigger, as on the dark sequential scale).
    const [r1, g1] = signedPageColor(1, 'dark');
    const [r2, g2] = signedPageColor(-1, 'dark');
    expect(r1).toBeGreaterThan(g1 + 100);
    expect(g2).toBeGreaterThan(r2 + 100);
    const light = (c: readonly number[]): number => c[0]! + c[1]! + c[2]!;
    expect(light(signedPageColor(1, 'dark'))).toBeGreaterThan(light(signedPageColor(0.1, 'dark')));
    expect(light(signedPageColor(-1, 'dark'))).toBeGreaterThan(light(signedPageColor(-0.1, 'dark')));
  });

  it('light: the null grey and the faintest values are apart in colour', () => {
    for (const p of [0.001, -0.001]) expect(colourDifference(signedPageColor(p, 'light'), NULL_GREY)).toBeGreaterThan(15);
  });

  it('enhance stretches each side logarithmically, keeping sign, 0 and the ends', () => {
    expect(stretchSigned(0)).toBe(0);
    expect(stretchSigned(1)).toBe(1);
    expect(stretchSigned(-1)).toBe(-1);
    // 1 % of the extreme sits at 15 % of the ramp: log(1 + 99 × 0.01) / log(100).
    expect(stretchSigned(0.01)).toBeCloseTo(Math.log(1.99) / Math.log(100), 12);
    expect(stretchSigned(-0.01)).toBeCloseTo(-Math.log(1.99) / Math.log(100), 12);
    for (let k = 1; k < 100; k++) expect(stretchSigned(k / 100)).toBeGreaterThan(k / 100);
  });
});
