// A strict XML 1.0 well-formedness check, small and fast enough to run on every SVG the fuzzer makes (jsdom takes
// tens of milliseconds to start): balanced tags, quoted attributes without `<`, only declared entities, no
// character XML forbids, one root element.

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const SPACE = /[ \t\r\n]*/y;
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;

/** Why `text` is not well-formed XML, or null when it is. */
export function xmlProblem(text: string): string | null {
  const bad = FORBIDDEN_CHAR.exec(text);
  if (bad !== null) return `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}`;
  const open: string[] = [];
  let rootSeen = false;
  let i = 0;
  const name = (): string | null => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (m === null) return null;
    i = NAME.lastIndex;
    return m[0];
  };
  const space = (): boolean => {
    SPACE.lastIndex = i;
    SPACE.exec(text);
    const moved = SPACE.lastIndex > i;
    i = SPACE.lastIndex;
    return moved;
  };
  /** Checks `&` references in text or an attribute value from `from` to `to`. */
  const references = (from: number, to: number): string | null => {
    // Searched within the piece: indexOf on the whole document would rescan its tail for every piece.
    const piece = text.slice(from, to);
    for (let a = piece.indexOf('&'); a >= 0; a = piece.indexOf('&', a + 1)) {
      REFERENCE.lastIndex = a;
      const m = REFERENCE.exec(piece);
      if (m === null) return `bare & at ${from + a}`;
      const code = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? parseInt(m[3], 16) : -1;
      if (code >= 0 && !(code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))) {
        return `reference to a forbidden character at ${from + a}`;
      }
    }
    return null;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i) {
      const chunk = text.slice(i, textEnd);
      if (open.length === 0) {
        if (chunk.trim() !== '') return `text outside the root element at ${i}`;
      } else {
        if (chunk.includes(']]>')) return `]]> in text at ${i}`;
        const p = references(i, textEnd);
        if (p !== null) return p;
      }
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return `unterminated processing instruction at ${i}`;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return `unterminated comment at ${i}`;
      if (text.slice(i + 4, end).includes('--')) return `-- inside a comment at ${i}`;
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (open.length === 0) return `CDATA outside the root element at ${i}`;
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return `unterminated CDATA section at ${i}`;
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      if (rootSeen || open.length > 0) return `DOCTYPE after the root element at ${i}`;
      const end = text.indexOf('>', i);
      if (end < 0) return `unterminated DOCTYPE at ${i}`;
      i = end + 1;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const n = name();
      if (n === null) return `bad end tag at ${i}`;
      space();
      if (text[i] !== '>') return `bad end tag </${n} at ${i}`;
      i++;
      const expected = open.pop();
      if (expected !== n) return `</${n}> closes <${expected ?? 'nothing'}> at ${i}`;
    } else {
      i++;
      const n = name();
      if (n === null) return `< not starting a tag at ${i - 1}`;
      if (open.length === 0 && rootSeen) return `second root element <${n}> at ${i}`;
      const seen = new Set<string>();
      for (;;) {
        const spaced = space();
        if (text.startsWith('/>', i)) {
          i += 2;
          if (open.length === 0) rootSeen = true;
          break;
        }
        if (text[i] === '>') {
          i++;
          open.push(n);
          rootSeen = true;
          break;
        }
        if (!spaced) return `no space before an attribute of <${n}> at ${i}`;
        const a = name();
        if (a === null) return `bad attribute in <${n}> at ${i}`;
        if (seen.has(a)) return `duplicate attribute ${a} in <${n}> at ${i}`;
        seen.add(a);
        space();
        if (text[i] !== '=') return `attribute ${a} without a value at ${i}`;
        i++;
        space();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") return `unquoted attribute ${a} at ${i}`;
        const end = text.indexOf(quote, i + 1);
        if (end < 0) return `unterminated attribute ${a} at ${i}`;
        if (text.slice(i + 1, end).includes('<')) return `< in attribute ${a} at ${i}`;
        const p = references(i + 1, end);
        if (p !== null) return p;
        i = end + 1;
      }
    }
  }
  if (open.length > 0) return `<${open[open.length - 1]}> is never closed`;
  if (!rootSeen) return 'no root element';
  return null;
}
