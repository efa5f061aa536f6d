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

/** One colour channel: `base + span * v[which]` of the name's hash values. */
type Channel = readonly [base: number, span: number, which: 0 | 1 | 2];

// Ranges after flamegraph.pl's palettes (read to learn, not copied): hue fixed, lightness from the name.
const HUES: Record<Hue, readonly [Channel, Channel, Channel]> = {
  hot: [[205, 50, 2], [0, 230, 0], [0, 55, 1]],
  mem: [[0, 0, 0], [190, 50, 1], [0, 210, 0]],
  io: [[80, 60, 0], [80, 60, 0], [190, 55, 1]],
  wakeup: [[50, 60, 0], [165, 55, 0], [165, 55, 0]],
  aqua: [[50, 60, 0], [165, 55, 0], [165, 55, 0]],
  chain: [[100, 50, 0], [100, 50, 0], [200, 55, 1]],
  blue: [[80, 60, 0], [80, 60, 0], [205, 50, 0]],
  green: [[50, 60, 0], [200, 55, 0], [50, 60, 0]],
  red: [[200, 55, 0], [50, 80, 0], [50, 80, 0]],
  yellow: [[175, 55, 0], [175, 55, 0], [50, 20, 0]],
  purple: [[190, 65, 0], [80, 60, 0], [190, 65, 0]],
  orange: [[190, 65, 0], [90, 65, 0], [0, 0, 0]],
};

function hue(kind: Hue, v: [number, number, number]): string {
  const [r, g, b] = HUES[kind].map(([base, span, which]) => base + span * v[which]);
  return rgb(r!, g!, b!);
}

/**
 * The fill of a frame. In the mixed palettes (hot, java, js) the kind picks the hue: kernel orange, JIT green,
 * inlined aqua, user code hot (java/js: user code yellow/red like flamegraph.pl's `--colors java`). A single-hue
 * palette paints every function in its hue. In every palette, what is not a function has its own quiet style:
 * the root, threads and group levels grey; the sign level tinted like the heat map (positive red, negative
 * green); category pseudo-frames (`(M:F/A)`, `native`, `[mem: 10s MiB]`) slate blue.
 */
export function frameColor(name: string, kind: FlameNode['kind'], palette: Palette): string {
  const v = nameHash(name);
  if (kind === 'root' || kind === 'thread' || kind === 'group') return rgb(190 + 30 * v[0], 190 + 30 * v[0], 190 + 30 * v[0]);
  if (kind === 'sign') return name === 'negative' ? rgb(168, 221, 181) : name === 'positive' ? rgb(246, 178, 160) : rgb(230, 230, 230);
  if (kind === 'category') return rgb(160 + 25 * v[0], 178 + 25 * v[0], 205 + 25 * v[0]);
  if (palette === 'hot' || palette === 'java' || palette === 'js') {
    if (kind === 'kernel') return hue('orange', v);
    if (kind === 'jit') return hue('green', v);
    if (kind === 'inlined') return hue('aqua', v);
    if (palette === 'hot') return hue('hot', v);
    return hue(palette === 'java' ? 'red' : 'yellow', v);
  }
  return hue(palette, v);
}
