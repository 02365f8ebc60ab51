/**
 * A tiny, valid one-page PDF for each demo Bill Statement (the file behind `file_uri`,
 * CDS-WG3-01 §10.5.1): a few lines of Helvetica text, a few hundred bytes, with a correct
 * cross-reference table so every reader opens it.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 * @see {@link https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf | ISO 32000-1 §7.5 File Structure}
 * @module
 */

/** `(text)` as a PDF literal string: ASCII only, with `\`, `(` and `)` escaped. */
function literal(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '')
  return `(${ascii.replace(/[\\()]/g, (c) => `\\${c}`)})`
}

/**
 * A one-page PDF showing `lines` from the top of a US Letter page.
 *
 * @example
 * ```ts
 * const pdf = tinyPdf(['Demo Gas & Electric', 'Amount due: 84.12 USD'])
 * new TextDecoder().decode(pdf.subarray(0, 8)) // '%PDF-1.4'
 * ```
 */
export function tinyPdf(lines: readonly string[]): Uint8Array {
  const text = lines.map((line, i) => `${i === 0 ? '' : '0 -16 Td '}${literal(line)} Tj`).join('\n')
  const content = `BT /F1 11 Tf 72 720 Td\n${text}\nET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  for (const [i, object] of objects.entries()) {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
  }
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  // Every character is ASCII, so string offsets are byte offsets.
  return new TextEncoder().encode(body)
}
