/**
 * The one JSON reader and writer for bodies that may carry decimals (CDS-WG3-01 §2).
 *
 * `JSON.parse` turns `0.10` into the float `0.1` and a 20-digit value into a rounded one;
 * `JSON.stringify` cannot write a number it does not hold. `lossless-json` reads numbers as
 * their text: here every number that is not a plain safe integer becomes a {@link Decimal},
 * and every {@link Decimal} is written back as a raw JSON number with its text unchanged.
 * Server and client share these two functions.
 *
 * @module
 */
import { parse, stringify } from 'lossless-json'
import { Decimal } from './decimal.js'

// Integers short enough to be exact in a double (|n| < 2^53 has at most 16 digits; 15 is always safe).
const SAFE_INTEGER_TEXT = /^-?(?:0|[1-9]\d{0,14})$/

function parseNumber(text: string): number | Decimal {
  if (SAFE_INTEGER_TEXT.test(text)) return Number(text)
  const n = Number(text)
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(n)) return n
  return Decimal.from(text)
}

const decimalStringifier = [{ test: Decimal.isDecimal, stringify: (value: unknown) => String(value) }]

/**
 * Parses JSON text without losing decimal precision.
 * Integers that fit a double exactly become `number`; every other number becomes a {@link Decimal}.
 *
 * @throws {SyntaxError} on text that is not JSON (RFC 8259)
 * @see CDS-WG3-01 §2 (decimal)
 */
export function parseJson(text: string): unknown {
  return parse(text, null, parseNumber)
}

/**
 * Writes a value as JSON; {@link Decimal} values become raw JSON numbers with their exact text.
 *
 * @param space indentation, as for `JSON.stringify`
 * @see CDS-WG3-01 §2 (decimal)
 */
export function stringifyJson(value: unknown, space?: number | string): string {
  const text = stringify(value, undefined, space, decimalStringifier)
  if (text === undefined) throw new TypeError('value has no JSON representation')
  return text
}
