/**
 * Fixed-point decimals for the demo data: every quantity is a `bigint` count of a unit's smallest
 * step (Wh for kWh with three decimals, cents, …) and becomes exact decimal text only when written,
 * so no value ever passes through a float (catalog §5.4).
 *
 * @see CDS-WG3-01 §2 (decimal)
 * @module
 */
import { Decimal } from '@cds-ts/schema'

/**
 * The decimal text of `value × 10^-scale`, with exactly `scale` fraction digits.
 *
 * @example
 * ```ts
 * fixedText(150n, 3) // '0.150'
 * fixedText(-4100n, 4) // '-0.4100'
 * ```
 */
export function fixedText(value: bigint, scale: number): string {
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  return negative ? `-${text}` : text
}

// Interval values repeat a lot (a few thousand distinct Wh counts): one frozen Decimal per value.
const cache = new Map<number, Map<bigint, Decimal>>()

/** {@link fixedText} as a `Decimal`, which the JSON writers emit as an exact number. */
export function fixed(value: bigint, scale: number): Decimal {
  let byValue = cache.get(scale)
  if (byValue === undefined) {
    byValue = new Map<bigint, Decimal>()
    cache.set(scale, byValue)
  }
  let decimal = byValue.get(value)
  if (decimal === undefined) {
    decimal = Decimal.from(fixedText(value, scale))
    if (byValue.size < 50_000) byValue.set(value, decimal)
  }
  return decimal
}

/**
 * `a × b` rescaled from `scaleA + scaleB` to `scale` fraction digits, rounding half away from zero.
 *
 * @example
 * ```ts
 * multiply(1234n, 3, 28n, 2, 2) // 1.234 kWh × 0.28 = 0.34552 → 35n (0.35)
 * ```
 */
export function multiply(a: bigint, scaleA: number, b: bigint, scaleB: number, scale: number): bigint {
  return rescale(a * b, scaleA + scaleB, scale)
}

/** `value` from `from` to `to` fraction digits, rounding half away from zero. */
export function rescale(value: bigint, from: number, to: number): bigint {
  if (to >= from) return value * 10n ** BigInt(to - from)
  const divisor = 10n ** BigInt(from - to)
  const half = divisor / 2n
  return value >= 0n ? (value + half) / divisor : -((-value + half) / divisor)
}

/** The sum of a list of fixed-point values. */
export function sum(values: Iterable<bigint>): bigint {
  let total = 0n
  for (const value of values) total += value
  return total
}
