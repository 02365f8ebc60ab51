/**
 * The little decimal arithmetic the importers and the exporter need, on text only: an ESPI
 * reading is an integer and a power of ten, so `value × 10^p` is a shift of the decimal point, and
 * the way back is the same shift the other way. Nothing here ever builds a JavaScript number from
 * a value (catalog §5.2: a decimal never passes through a float).
 *
 * @see CDS-WG3-01 §2 (decimal)
 * @module
 */

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/** True when `text` is an optionally signed run of digits (an ESPI `value`). */
export function isIntegerText(text: string): boolean {
  return INTEGER.test(text)
}

/** True when `text` is a plain decimal (`-12.50`): no exponent, no `+`. */
export function isPlainDecimal(text: string): boolean {
  return DECIMAL.test(text)
}

/**
 * `integer × 10^exponent` as plain decimal text that keeps the reading's resolution:
 * `shift('134000', -6)` is `0.134000`, `shift('5', 1)` is `50`. A negative zero becomes `0…`.
 */
export function shift(integer: string, exponent: number): string {
  const match = /^([+-]?)0*(\d+)$/.exec(integer)
  if (match === null) throw new TypeError(`${JSON.stringify(integer)} is not an integer`)
  const [, sign = '', body = '0'] = match
  let text: string
  if (exponent >= 0) {
    text = body === '0' ? '0' : body + '0'.repeat(exponent)
  } else {
    const places = -exponent
    const padded = body.padStart(places + 1, '0')
    text = `${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`
  }
  return sign === '-' && /[1-9]/.test(text) ? `-${text}` : text
}

/** Digits after the point (`0.150` → 3, `12` → 0). */
export function scaleOf(decimal: string): number {
  const match = DECIMAL.exec(decimal)
  if (match === null) throw new TypeError(`${JSON.stringify(decimal)} is not a plain decimal`)
  return match[3]?.length ?? 0
}

/** `decimal × 10^scale` as an integer, for a `scale` at least {@link scaleOf} `decimal`. */
export function toScaledInteger(decimal: string, scale: number): string {
  const match = DECIMAL.exec(decimal)
  if (match === null) throw new TypeError(`${JSON.stringify(decimal)} is not a plain decimal`)
  const [, sign = '', whole = '0', fraction = ''] = match
  if (fraction.length > scale) throw new RangeError(`${decimal} has more than ${scale} digits after the point`)
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '')
  return sign === '-' && digits !== '0' ? `-${digits}` : digits
}

/** The negation of a plain decimal or integer, never `-0`. */
export function negate(decimal: string): string {
  if (decimal.startsWith('-')) return decimal.slice(1)
  return /[1-9]/.test(decimal) ? `-${decimal}` : decimal
}
