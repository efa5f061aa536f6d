// The page follows the system's light or dark mode through the CSS variables in report.css. A canvas cannot use
// CSS: each view reads the variables it needs when it draws, and redraws when the mode changes (onThemeChange).

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Calls `redraw` after the system switches between light and dark, once the new colours apply. */
export function onThemeChange(redraw: () => void): void {
  if (typeof matchMedia !== 'function') return;
  matchMedia(DARK_QUERY).addEventListener('change', redraw);
}
