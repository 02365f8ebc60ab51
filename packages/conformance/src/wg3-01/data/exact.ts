/**
 * Exact decimal arithmetic for the checks (CDS-WG3-01 §2 decimal, catalog §5.4): values parsed by
 * `ctx.exactJson` keep their text, and sums are done on scaled `bigint`s, never on floats.
 *
 * @module
 */
import { Decimal } from '@cds-ts/schema'

/** A decimal as an integer count of `10^-scale`. */
export interface Exact {
  units: bigint
  scale: number
}

/** The RFC 8259 number grammar without an exponent (catalog §5.2 rule 3, A-54). */
export const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/

/** The exact value of a parsed JSON number (a {@link Decimal} or a safe integer); `undefined` for anything else. */
export function exact(value: unknown): Exact | undefined {
  let text: string
  if (Decimal.isDecimal(value)) text = value.toString()
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value)
  else return undefined
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (match === null) return undefined
  const [, sign, whole = '0', fraction = '', exponent = '0'] = match
  let units = BigInt(`${whole}${fraction}`)
  let scale = fraction.length - Number(exponent)
  if (scale < 0) {
    units *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { units: sign === '-' ? -units : units, scale }
}

/** `a + b`, exactly. */
export function add(a: Exact, b: Exact): Exact {
  const scale = Math.max(a.scale, b.scale)
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale }
}

/** `a − b`, exactly. */
export function subtract(a: Exact, b: Exact): Exact {
  return add(a, { units: -b.units, scale: b.scale })
}

/** Whether two values are numerically equal (`1.10` equals `1.1`). */
export function equal(a: Exact, b: Exact): boolean {
  return subtract(a, b).units === 0n
}

/** The decimal text of an exact value. */
export function show(value: Exact): string {
  const negative = value.units < 0n
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0')
  const text = value.scale === 0 ? digits : `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`
  return negative ? `-${text}` : text
}

/** Zero. */
export const ZERO: Exact = { units: 0n, scale: 0 }
