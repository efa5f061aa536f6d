// Tooltip text and placement: long names shortened in the middle, the box kept inside the window.
import { describe, expect, it } from 'vitest';
import { shortenMiddle, tooltipCorner } from './flame-tooltip';

describe('shortenMiddle', () => {
  it('keeps short names and cuts long ones in the middle to exactly the limit', () => {
    expect(shortenMiddle('main', 10)).toBe('main');
    const name = `std::vector<${'x'.repeat(500)}>::push_back`;
    const short = shortenMiddle(name, 41);
    expect(short.length).toBe(41);
    expect(short.startsWith('std::vector<xxxxxxxx')).toBe(true);
    expect(short.endsWith('xxxxxx>::push_back')).toBe(true);
    expect(short).toContain('…');
  });

  it('never splits a surrogate pair', () => {
    const short = shortenMiddle('😀'.repeat(30), 9);
    expect(Array.from(short)).toEqual(['😀', '😀', '😀', '😀', '…', '😀', '😀', '😀', '😀']);
  });
});

describe('tooltipCorner', () => {
  const win = { width: 1400, height: 900 };
  it('sits below right of the pointer when it fits', () => {
    expect(tooltipCorner({ x: 100, y: 100 }, { width: 300, height: 50 }, win)).toEqual({ left: 114, top: 114 });
  });

  it('flips left and up near the right and bottom edges', () => {
    expect(tooltipCorner({ x: 1300, y: 880 }, { width: 300, height: 50 }, win)).toEqual({ left: 986, top: 816 });
  });

  it('stays inside a window narrower than the box would need on either side', () => {
    const c = tooltipCorner({ x: 200, y: 10 }, { width: 390, height: 880 }, { width: 400, height: 900 });
    expect(c.left).toBeGreaterThanOrEqual(4);
    expect(c.left + 390).toBeLessThanOrEqual(396);
    expect(c.top).toBeGreaterThanOrEqual(4);
    expect(c.top + 880).toBeLessThanOrEqual(896);
  });
});
