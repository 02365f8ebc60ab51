/**
 * Builders for the primitive data types of CDS-WG1-01 §2, CDS-WG1-02 §2 and CDS-WG3-01 §2,
 * shared by every object schema. Each returns an ordinary TypeBox schema, so objects are
 * written with `Type.Object` and these helpers for their fields.
 *
 * @module
 */
import Type, { type TObjectOptions, type TSchema, type TUnsafe, type TCodec, type TNull, type TUnion, type TRecord } from 'typebox'
import { Decimal } from './decimal.js'

/** Options every builder accepts: JSON Schema annotations such as `description` or `$id`, and object keywords. */
export type Annotations = TObjectOptions

/** Marks a decimal schema node, so the JSON Schema emitter and the lenient parser can find it. */
export const DECIMAL_KEYWORD = 'x-cds-decimal'

/** The check a strict decimal applies: an exact {@link Decimal}, or a JS safe integer (exact too). */
export function isExactDecimal(value: unknown): boolean {
  return value instanceof Decimal || (typeof value === 'number' && Number.isSafeInteger(value))
}

/** The static type of a decimal field in memory. */
export type TDecimal = TCodec<TUnsafe<Decimal | number>, Decimal>

/**
 * A decimal number (CDS-WG3-01 §2): a JSON number on the wire, a {@link Decimal} in memory.
 * The strict check accepts a Decimal or a safe integer and refuses floats; decoding
 * (`parseLenient`) always yields a Decimal.
 */
export function decimal(options: Annotations = {}): TDecimal {
  const base = Type.Refine(
    Type.Unsafe<Decimal | number>({ ...options, [DECIMAL_KEYWORD]: true }),
    isExactDecimal,
    () => 'must be an exact decimal (a Decimal, not a float)',
  )
  return Type.Codec(base)
    .Decode((value) => Decimal.from(value))
    .Encode((value) => value)
}

/** A string with one of the given values; `$id` names enumerations (CDS-WG1-02 §10: extensible). */
export function enumeration<const Values extends readonly [string, ...string[]]>(
  values: Values,
  options: Annotations = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ ...options, type: 'string', enum: [...values] })
}

/** `T` or JSON `null` ("… or `null`" in the spec tables). */
export function nullable<T extends TSchema>(schema: T, options: Annotations = {}): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], options)
}

/** A JSON object keyed by each value's identifier (CDS-WG1-02 §2 "Map"). */
export function map<T extends TSchema>(value: T, options: Annotations = {}): TRecord<'^.*$', T> {
  return Type.Record(Type.String(), value, options)
}

function stringFormat(format: string) {
  return (options: Annotations = {}): TUnsafe<string> => Type.Unsafe<string>({ ...options, type: 'string', format })
}

/** RFC 3339 `date-time` (CDS-WG1-02 §2 "datetime"). */
export const dateTime = stringFormat('date-time')
/** RFC 3339 `full-date` (CDS-WG3-01 §2 "date"). */
export const date = stringFormat('date')
/** An absolute URL (RFC 3986). */
export const url = stringFormat('uri')
/** An RFC 5322 addr-spec email address. */
export const email = stringFormat('email')

/** ISO 3166-1 alpha-2 country code (CDS-WG1-01 §2). */
export function countryCode(options: Annotations = {}): TUnsafe<string> {
  return Type.Unsafe<string>({ ...options, type: 'string', pattern: '^[A-Z]{2}$' })
}

/** ISO 4217 currency code (CDS-WG3-01 §2). */
export function currencyCode(options: Annotations = {}): TUnsafe<string> {
  return Type.Unsafe<string>({ ...options, type: 'string', pattern: '^[A-Z]{3}$' })
}

/** An RFC 6838 media type such as `application/pdf`. */
export function mimeType(options: Annotations = {}): TUnsafe<string> {
  return Type.Unsafe<string>({ ...options, type: 'string', pattern: '^[A-Za-z0-9][\\w!#$&^.+-]*/[A-Za-z0-9][\\w!#$&^.+-]*(\\s*;.*)?$' })
}

/** An E.164 phone number such as `+15554443333`. */
export function e164(options: Annotations = {}): TUnsafe<string> {
  return Type.Unsafe<string>({ ...options, type: 'string', pattern: '^\\+[1-9]\\d{1,14}$' })
}

