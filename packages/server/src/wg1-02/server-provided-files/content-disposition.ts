/**
 * The `Content-Disposition` header of a file download (RFC 6266), with a quoted ASCII `filename`
 * every client understands and, when the name needs more than that, an RFC 8187 `filename*` that
 * carries it exactly.
 *
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 * @module
 */

// RFC 8187 §3.2.1: attr-char, the characters a `filename*` value may carry unencoded.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/

/** The name as RFC 8187 `ext-value`: UTF-8, with everything but attr-char percent-encoded. */
function extValue(name: string): string {
  let encoded = ''
  for (const byte of new TextEncoder().encode(name)) {
    const char = String.fromCharCode(byte)
    encoded += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return `UTF-8''${encoded}`
}

/**
 * The ASCII stand-in of a name for the quoted `filename`: printable ASCII kept, except `"` and `\`
 * (which a quoted-string would need to escape, and some clients mishandle); everything else,
 * including control characters that could split the header, becomes `_`.
 */
function asciiFallback(name: string): string {
  let fallback = ''
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0
    fallback += code >= 0x20 && code < 0x7f && char !== '"' && char !== '\\' ? char : '_'
  }
  return fallback === '' ? 'download' : fallback
}

/**
 * `attachment; filename="<name>"`, plus `filename*` when the name is not plain printable ASCII.
 *
 * @example
 * ```ts
 * contentDisposition('report.pdf') // 'attachment; filename="report.pdf"'
 * contentDisposition('Tarifs été.csv') // `attachment; filename="Tarifs _t_.csv"; filename*=UTF-8''Tarifs%20%C3%A9t%C3%A9.csv`
 * ```
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 * @see {@link https://www.rfc-editor.org/rfc/rfc6266#section-4.3 | RFC 6266 §4.3}
 */
export function contentDisposition(name: string): string {
  const fallback = asciiFallback(name)
  // RFC 6266 §4.3: a recipient that understands filename* prefers it to filename.
  return fallback === name ? `attachment; filename="${name}"` : `attachment; filename="${fallback}"; filename*=${extValue(name)}`
}
