// Frame colours like flamegraph.pl's palettes, but always derived from a hash of the name (never random),
// so the same profile draws the same picture, and frame kinds (kernel, JIT, inlined) get their own hues.
import type { FlameNode } from '../flamegraph/tree';

export const PALETTES = [
  'hot',
  'mem',
  'io',
  'java',
  'js',
  'wakeup',
  'chain',
  'aqua',
  'blue',
  'green',
  'red',
  'yellow',
  'purple',
  'orange',
] as const;
export type Palette = (typeof PALETTES)[number];

type Hue = 'hot' | 'mem' | 'io' | 'wakeup' | 'chain' | 'aqua' | 'blue' | 'green' | 'red' | 'yellow' | 'purple' | 'orange';

/** Three numbers in [0, 1) from a name: FNV-1a, then three independent byte mixes. */
function nameHash(name: string): [number, number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const mix = (x: number): number => {
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
  };
  return [mix(h), mix(h ^ 0x9e3779b9), mix(h ^ 0x7f4a7c15)];
}

function rgb(r: number, g: number, b: number): string {
  return `rgb(${Math.floor(r)},${Math.floor(g)},${Math.floor(b)})`;
}

function hue(kind: Hue, [v1, v2, v3]: [number, number, number]): string {
  switch (kind) {
    case 'hot':
      return rgb(205 + 50 * v3, 230 * v1, 55 * v2);
    case 'mem':
      return rgb(0, 190 + 50 * v2, 210 * v1);
    case 'io':
      return rgb(80 + 60 * v1, 80 + 60 * v1, 190 + 55 * v2);
    case 'wakeup':
    case 'aqua':
      return rgb(50 + 60 * v1, 165 + 55 * v1, 165 + 55 * v1);
    case 'chain':
      return rgb(100 + 50 * v1, 100 + 50 * v1, 200 + 55 * v2);
    case 'blue':
      return rgb(80 + 60 * v1, 80 + 60 * v1, 205 + 50 * v1);
    case 'green':
      return rgb(50 + 60 * v1, 200 + 55 * v1, 50 + 60 * v1);
    case 'red':
      return rgb(200 + 55 * v1, 50 + 80 * v1, 50 + 80 * v1);
    case 'yellow':
      return rgb(175 + 55 * v1, 175 + 55 * v1, 50 + 20 * v1);
    case 'purple':
      return rgb(190 + 65 * v1, 80 + 60 * v1, 190 + 65 * v1);
    case 'orange':
      return rgb(190 + 65 * v1, 90 + 65 * v1, 0);
  }
}

/**
 * The fill of a frame. In the mixed palettes (hot, java, js) the kind picks the hue: kernel orange, JIT green,
 * inlined aqua, user code hot (java/js: user code yellow/red like flamegraph.pl's `--colors java`), threads and
 * the root grey. A single-hue palette paints every frame in its hue.
 */
export function frameColor(name: string, kind: FlameNode['kind'], palette: Palette): string {
  const v = nameHash(name);
  if (kind === 'root' || kind === 'thread') return rgb(190 + 30 * v[0], 190 + 30 * v[0], 190 + 30 * v[0]);
  if (palette === 'hot' || palette === 'java' || palette === 'js') {
    if (kind === 'kernel') return hue('orange', v);
    if (kind === 'jit') return hue('green', v);
    if (kind === 'inlined') return hue('aqua', v);
    if (palette === 'hot') return hue('hot', v);
    return hue(palette === 'java' ? 'red' : 'yellow', v);
  }
  return hue(palette, v);
}
