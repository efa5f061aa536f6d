// The page's colours for canvas drawing. CSS follows the system's light or dark mode through the variables in
// report.css; a canvas cannot use CSS, so it asks here, and redraws when the mode changes (onThemeChange).

/** The colours a canvas needs, as CSS colour strings. */
export interface ThemeColors {
  /** Page text. */
  text: string;
  /** Secondary text. */
  muted: string;
  /** A panel's background, behind the canvases. */
  panel: string;
  /** Links, focus. */
  accent: string;
  /** An empty heat-map cell. */
  emptyCell: string;
  /** Axis labels and ticks drawn on canvases. */
  canvasText: string;
  /** The selection drawn over heat-map cells (translucent). */
  selection: string;
}

/** What a page without the stylesheet's variables (or a test without CSS) gets: the light theme. */
const LIGHT: ThemeColors = {
  text: '#222',
  muted: '#6b6b6b',
  panel: '#fff',
  accent: '#0645ad',
  emptyCell: '#fff',
  canvasText: '#333',
  selection: 'rgba(40, 110, 255, 0.45)',
};

const DARK_QUERY = '(prefers-color-scheme: dark)';

let cached: ThemeColors | null = null;
let watching = false;

/** Forgets the cached colours when the mode changes, whoever draws next. */
function watchMode(): void {
  if (watching || typeof matchMedia !== 'function') return;
  watching = true;
  matchMedia(DARK_QUERY).addEventListener('change', () => (cached = null));
}

/**
 * The current colours, read from the CSS variables once per mode (getComputedStyle would otherwise run on every
 * mouse move that repaints a canvas).
 */
export function themeColors(): ThemeColors {
  if (cached !== null) return cached;
  watchMode();
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  cached = {
    text: read('--fg', LIGHT.text),
    muted: read('--muted', LIGHT.muted),
    panel: read('--panel', LIGHT.panel),
    accent: read('--accent', LIGHT.accent),
    emptyCell: read('--canvas-empty', LIGHT.emptyCell),
    canvasText: read('--canvas-text', LIGHT.canvasText),
    selection: read('--canvas-selection', LIGHT.selection),
  };
  return cached;
}

/** Calls `redraw` after the system switches between light and dark, once the new colours apply. */
export function onThemeChange(redraw: () => void): void {
  if (typeof matchMedia !== 'function') return;
  matchMedia(DARK_QUERY).addEventListener('change', () => {
    // Listeners run in the order they were added: forget the old colours here too, before redrawing.
    cached = null;
    redraw();
  });
}
