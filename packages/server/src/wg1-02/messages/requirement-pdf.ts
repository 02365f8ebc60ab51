/**
 * A blank PDF form for a `pdf_form_request` (CDS-WG1-02 §3.6 `pdf_form`): one US Letter page in
 * the standard Helvetica font, written by hand so the server needs no PDF library. The file is
 * 7-bit ASCII, so its text is its bytes.
 *
 * @module
 */

/** Characters a PDF literal string must escape; anything outside printable ASCII becomes `?`. */
function pdfText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`)
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let rest = word; rest !== ''; ) {
      const room = line === '' ? width : width - line.length - 1
      if (rest.length <= room) {
        line = line === '' ? rest : `${line} ${rest}`
        rest = ''
      } else if (line !== '') {
        lines.push(line)
        line = ''
      } else {
        lines.push(rest.slice(0, width))
        rest = rest.slice(width)
      }
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/**
 * A one-page PDF (ISO 32000-1) with a title, explanatory text and blank lines to fill in.
 *
 * @example
 * ```ts
 * const bytes = blankFormPdf('PDF form required', 'Sign and return this form.', ['Company', 'Signature'])
 * ```
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export function blankFormPdf(title: string, text: string, blanks: readonly string[]): string {
  const body = wrap(text, 86)
  const lines = [
    'BT',
    '/F1 16 Tf',
    '72 720 Td',
    '20 TL',
    `(${pdfText(title)}) Tj`,
    '/F1 11 Tf',
    '16 TL',
    'T*',
    ...body.map((line) => `T* (${pdfText(line)}) Tj`),
    'T*',
    ...blanks.map((label) => `T* T* (${pdfText(`${label}: ______________________________________________`)}) Tj`),
    'ET',
  ]
  const content = lines.join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = out.length
  // ISO 32000-1 §7.5.4: every cross-reference entry is exactly 20 bytes.
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return out
}
