// Profile strings are hostile data: every one that reaches SVG or HTML text or an attribute goes through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for XML content and quoted attributes. Characters that XML 1.0 forbids outright (C0 controls
 * other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) become U+FFFD so the document stays well-formed.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
