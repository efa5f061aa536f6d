import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape';

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });
  it('leaves ordinary text, tabs, newlines and astral characters alone', () => {
    expect(escapeXml('java::Thread.run\t\n😀 ü')).toBe('java::Thread.run\t\n😀 ü');
  });
  it('replaces what XML forbids', () => {
    expect(escapeXml('a\u0000b\u001bc\uD800d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
  });
  it('is empty for empty text', () => {
    expect(escapeXml('')).toBe('');
  });
});
