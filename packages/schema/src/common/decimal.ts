/**
 * Exact decimal values.
 *
 * CDS-WG3-01 §2 ("decimal") and CDS-WG1-02 §2 put decimals on the wire as JSON numbers
 * (RFC 8259 §6) and forbid servers to keep them as binary floats: the number of digits
 * after the point is part of the value (`1.10` is not `1.1`). A JavaScript `number` cannot
 * hold that, so a decimal lives in memory as a {@link Decimal}: an immutable wrapper around
 * the exact text of the number. It is parsed from and written to JSON by `parseJson` and
 * `stringifyJson` (see `json.ts`), never by `JSON.parse`/`JSON.stringify`.
 *
 * Why a class and not a branded string: a serializer must tell a decimal from an ordinary
 * string without knowing the schema, so that it can write the decimal as a raw JSON number.
 * An `instanceof` check makes that possible in one pass (see docs/interpretations.md, D-1).
 *
 * @module
 */

// RFC 8259 §6 number grammar: the only texts a Decimal may hold.
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/**
 * An exact decimal number, kept as the text it was written with.
 *
 * @example
 * ```ts
 * const d = Decimal.from('1.10')
 * d.toString() // '1.10'
 * ```
 * @see CDS-WG3-01 §2 (decimal), RFC 8259 §6
 */
export class Decimal {
  readonly #text: string

  private constructor(text: string) {
    this.#text = text
    Object.freeze(this)
  }

  /**
   * Makes a Decimal from its JSON text (`"12.50"`), a bigint, or a JavaScript number that is a
   * safe integer. Non-integer numbers are refused: they have already lost their exact value.
   *
   * @throws {TypeError} when the input is not an exact decimal number
   */
  static from(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value
    if (typeof value === 'bigint') return new Decimal(value.toString())
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`${value} is not a safe integer; pass decimals as strings to keep them exact`)
      }
      return new Decimal(Object.is(value, -0) ? '0' : String(value))
    }
    if (typeof value !== 'string' || !NUMBER.test(value)) {
      throw new TypeError(`${JSON.stringify(value)} is not a decimal number (RFC 8259 §6)`)
    }
    return new Decimal(value)
  }

  /** True when `value` is a {@link Decimal}. */
  static isDecimal(this: void, value: unknown): value is Decimal {
    return value instanceof Decimal
  }

  /** True when `text` is a number in the RFC 8259 §6 grammar, the form a Decimal keeps. */
  static isDecimalText(this: void, text: string): boolean {
    return NUMBER.test(text)
  }

  /** The exact text, as it appears on the wire and as PostgreSQL `NUMERIC` accepts it. */
  toString(): string {
    return this.#text
  }

  /**
   * Compares numerically (not textually): `1.10` equals `1.1`.
   * Only for tests and filters; arithmetic belongs in the database (NUMERIC).
   */
  equals(other: Decimal | string): boolean {
    return normalize(this.#text) === normalize(Decimal.from(other).toString())
  }

  /**
   * Refuses default JSON serialization, which would turn the value into a string or a float.
   * Use `stringifyJson` from `@cds-ts/schema`.
   */
  toJSON(): never {
    throw new TypeError('A Decimal must be serialized with stringifyJson() from @cds-ts/schema')
  }

  /** @internal */
  get [Symbol.toStringTag](): string {
    return `Decimal(${this.#text})`
  }
}

/** Canonical form for numeric comparison: no exponent, no trailing zeros, no leading zeros. */
function normalize(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match) throw new TypeError(`${text} is not a decimal number`)
  const [, sign = '', int = '', frac = '', exp = '0'] = match
  let digits = int + frac
  let point = int.length + Number(exp)
  // pad so the point falls inside the digit string
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length)
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0'
  const fraction = digits.slice(point).replace(/0+$/, '')
  const body = fraction ? `${whole}.${fraction}` : whole
  return body === '0' ? '0' : sign + body
}
