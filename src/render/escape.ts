// Text that comes from a profile (file names, event names, frame names) is never trusted inside markup.

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML/SVG/HTML element content and quoted attribute values. Characters XML 1.0 forbids
 * (C0 controls other than tab, newline, carriage return; lone surrogates) become U+FFFD so the document stays
 * well-formed whatever bytes a perf file held.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
