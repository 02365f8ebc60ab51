/**
 * The value check of one authorization details field: its `format`, its `minimum`/`maximum` and
 * its `choices` (CDS-WG1-02 §3.8–§3.10). {@link checkFieldValue} returns the value to keep (dates
 * resolved when asked) or throws `InvalidAuthorizationDetails`. Used by `rar.ts`.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 * @module
 */
import { Decimal, JwkPublicEncryptionKey, checkStrict, type AuthorizationDetailsField } from '@cds-ts/schema'
import { InvalidAuthorizationDetails } from './errors.js'
import {
  parseRelativeOrAbsoluteDate,
  parseRelativeOrAbsoluteDatetime,
  resolveDate,
  resolveDatetime,
  type RelativeDirection,
  type RelativeOrAbsolute,
  type Resolved,
} from './relative-date.js'

/**
 * What a field check needs beyond the field and the value.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export interface FieldCheckContext {
  /** The instant relative dates are resolved against (CDS-WG1-02 §3.9, R1-02-3.9-03). */
  now: Date
  /** The IANA zone of `cds_timezone`. */
  timezone: string
  /** Whether this field's relative values count forward or back. */
  direction: RelativeDirection
  /** Return relative dates as the absolute dates they stand for (RFC 9396 §7.1, CDS-WG3-01 §7.3). */
  resolve: boolean
  /** Where the value sits, for error descriptions: `authorization_details[0].field`. */
  path: string
}

// RFC 8259 §6 `int`: digits without fraction or exponent.
const INTEGER_TEXT = /^-?\d+$/
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/
// Exponents beyond this are refused rather than expanded (a value like 1e1000000 would cost memory).
const MAX_EXPONENT = 1000
// the curves and key operations a JWK Public Encryption Key may use; RSA keys of 2048 bits at least.
const EC_CURVES = ['P-256', 'P-384', 'P-521']
const KEY_OPS = ['encrypt', 'wrapKey']
const RSA_2048_MODULUS_CHARS = 342

/**
 * Checks one submitted (or default) value against its Authorization Details Field and returns the
 * value to keep.
 *
 * @throws {InvalidAuthorizationDetails} naming `context.path` when the value does not fit
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function checkFieldValue(field: AuthorizationDetailsField, value: unknown, context: FieldCheckContext): unknown {
  const fail = (reason: string) => new InvalidAuthorizationDetails(`${context.path} ${reason}`)
  const format = field.format
  switch (format) {
    case 'int':
    case 'decimal': {
      const text = numberText(value, format)
      // CDS-WG1-02 §3.9 (R1-02-3.9-06): `int` is a JSON integer; `decimal` any JSON number, kept exact (R1-02-3.9-02).
      if (text === undefined || (format === 'int' && !INTEGER_TEXT.test(text))) throw fail(`must be ${format === 'int' ? 'an integer' : 'a number'}`)
      checkNumberLimits(field, text, fail)
      return value
    }
    case 'string':
      if (typeof value !== 'string') throw fail('must be a string')
      checkLength(field, length(value), fail)
      return value
    case 'string_or_null':
      if (value === null) return null
      if (typeof value !== 'string') throw fail('must be a string or null')
      checkLength(field, length(value), fail)
      return value
    case 'string_list':
    case 'string_list_or_null': {
      if (value === null && format === 'string_list_or_null') return null
      if (!isStringArray(value)) {
        throw fail(`must be an array of strings${format === 'string_list_or_null' ? ' or null' : ''}`)
      }
      // CDS-WG1-02 §3.8: a list's limits bound the combined length of its strings.
      checkLength(field, value.reduce((sum, item) => sum + length(item), 0), fail)
      return [...value]
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw fail('must be a boolean')
      return value
    case 'choice':
    case 'choice_or_null':
      if (value === null && format === 'choice_or_null') return null
      // CDS-WG1-02 §3.9 (R1-02-3.9-04): a choice is the id of one of the field's choices.
      if (typeof value !== 'string' || !choiceIds(field).includes(value)) throw fail(`must be one of ${choiceList(field)}`)
      return value
    case 'choice_list_or_null':
      if (value === null) return null
      if (!isStringArray(value) || !value.every((item) => choiceIds(field).includes(item))) {
        throw fail(`must be null or an array of ${choiceList(field)}`)
      }
      return [...value]
    case 'relative_or_absolute_date':
    case 'relative_or_absolute_datetime':
      return checkDateValue(field, value, context, fail)
    case 'jwk_or_null':
      if (value === null) return null
      checkJwk(value, fail)
      return copyJson(value)
    default: {
      // The schema's enum is closed; a format added there must be handled here.
      const unknown: never = format
      throw new TypeError(`authorization details field '${field.id}' has an unsupported format ${String(unknown)}`)
    }
  }
}

/** The exact text of a JSON number as `parseJson` hands it over: a safe integer or a `Decimal`. */
function numberText(value: unknown, format: 'int' | 'decimal'): string | undefined {
  if (value instanceof Decimal) return value.toString()
  if (typeof value !== 'number') return undefined
  if (Number.isSafeInteger(value)) return String(value)
  // A float has already lost the client's digits (R1-02-3.9-02, A-30): the caller parsed with JSON.parse.
  if (format === 'decimal' && Number.isFinite(value)) throw new TypeError('authorization_details must be parsed with parseJson from @cds-ts/schema')
  return undefined
}

/** A JSON number's text as an exact fraction `mantissa × 10^exponent`. */
function exact(text: string): { mantissa: bigint; exponent: number } | undefined {
  const m = NUMBER_TEXT.exec(text)
  if (m === null) return undefined
  const fraction = m[3] ?? ''
  const exponent = Number(m[4] ?? '0') - fraction.length
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined
  const mantissa = BigInt(`${m[1] ?? ''}${m[2] ?? '0'}${fraction}`)
  return { mantissa, exponent }
}

/**
 * Compares two JSON number texts exactly (no float on the way): negative, zero or positive.
 *
 * @throws {RangeError} when an exponent is beyond ±1000
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function compareNumberText(a: string, b: string): number {
  const x = exact(a)
  const y = exact(b)
  if (x === undefined || y === undefined) throw new RangeError(`cannot compare ${a} and ${b}`)
  const e = Math.min(x.exponent, y.exponent)
  const left = x.mantissa * 10n ** BigInt(x.exponent - e)
  const right = y.mantissa * 10n ** BigInt(y.exponent - e)
  return left === right ? 0 : left < right ? -1 : 1
}

/** A numeric limit as text; `undefined` for an absent or `"infinite"` one (unbounded on that side). */
function limitText(limit: unknown): string | undefined {
  if (limit === undefined || limit === 'infinite') return undefined
  if (typeof limit === 'string' && Decimal.isDecimalText(limit)) return limit
  const text = limit instanceof Decimal ? limit.toString() : typeof limit === 'number' && Number.isFinite(limit) ? String(limit) : undefined
  if (text === undefined) throw new TypeError(`authorization details limit ${JSON.stringify(limit)} is not a number`)
  return text
}

function checkNumberLimits(field: AuthorizationDetailsField, text: string, fail: (reason: string) => InvalidAuthorizationDetails): void {
  if (exact(text) === undefined) throw fail('has an exponent out of range')
  const minimum = limitText(field.minimum)
  const maximum = limitText(field.maximum)
  // CDS-WG1-02 §3.8 (R1-02-3.8-09): values outside minimum..maximum are refused; the bounds themselves are accepted.
  if (minimum !== undefined && compareNumberText(text, minimum) < 0) throw fail(`must be at least ${minimum}`)
  if (maximum !== undefined && compareNumberText(text, maximum) > 0) throw fail(`must be at most ${maximum}`)
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** Length in Unicode code points, not UTF-16 units. */
function length(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

function checkLength(field: AuthorizationDetailsField, n: number, fail: (reason: string) => InvalidAuthorizationDetails): void {
  // CDS-WG1-02 §3.8 (R1-02-3.8-09): string formats bound the length (lists: the combined length).
  if (typeof field.minimum === 'number' && n < field.minimum) throw fail(`must be at least ${field.minimum} characters long`)
  if (typeof field.maximum === 'number' && n > field.maximum) throw fail(`must be at most ${field.maximum} characters long`)
}

function choiceIds(field: AuthorizationDetailsField): string[] {
  return (field.choices ?? []).map((choice) => choice.id)
}

function choiceList(field: AuthorizationDetailsField): string {
  return choiceIds(field)
    .map((id) => `'${id}'`)
    .join(', ')
}

function checkDateValue(
  field: AuthorizationDetailsField,
  value: unknown,
  context: FieldCheckContext,
  fail: (reason: string) => InvalidAuthorizationDetails,
): unknown {
  const isDate = field.format === 'relative_or_absolute_date'
  const parse = isDate ? parseRelativeOrAbsoluteDate : parseRelativeOrAbsoluteDatetime
  const resolve = (parsed: RelativeOrAbsolute) => (isDate ? resolveDate : resolveDatetime)(parsed, context)
  const what = isDate ? "a date, a relative date without time parts, or 'infinite'" : "a datetime, a duration, or 'infinite'"
  // CDS-WG1-02 §2 (R1-02-2-02, -04): a full-date / date-time, a duration, or "infinite".
  const parsed = typeof value === 'string' ? parse(value) : undefined
  if (parsed === undefined) throw fail(`must be ${what}`)
  const resolved = resolve(parsed)
  if (resolved === undefined) throw fail('is out of range')
  const limit = (name: 'minimum' | 'maximum'): Resolved | undefined => {
    const raw = field[name]
    if (raw === undefined) return undefined
    const bound = typeof raw === 'string' ? parse(raw) : undefined
    const at = bound === undefined ? undefined : resolve(bound)
    if (at === undefined) throw new TypeError(`authorization details field '${field.id}' has an invalid ${name}`)
    return at
  }
  // CDS-WG1-02 §3.8 (R1-02-3.8-09): limits count from now in the field's direction; "infinite" is furthest.
  const key = (r: Resolved) => (r.kind === 'infinite' ? Number.POSITIVE_INFINITY : context.direction === 'add' ? r.time : -r.time)
  const minimum = limit('minimum')
  const maximum = limit('maximum')
  if (minimum !== undefined && key(resolved) < key(minimum)) throw fail(`is closer to now than the minimum ${String(field.minimum)}`)
  if (maximum !== undefined && key(resolved) > key(maximum)) throw fail(`is further from now than the maximum ${String(field.maximum)}`)
  if (!context.resolve || resolved.kind === 'infinite') return value
  return resolved.text
}

function checkJwk(value: unknown, fail: (reason: string) => InvalidAuthorizationDetails): void {
  // CDS-WG1-02 §2 (R1-02-2-01): a public JWK whose `use` is `enc`, without private members.
  const issue = checkStrict(JwkPublicEncryptionKey, value)[0]
  if (issue !== undefined) throw fail(`must be a JWK public encryption key (${issue.path || '/'} ${issue.message})`)
  const jwk = value as Record<string, unknown>
  // EC keys on the NIST curves, RSA keys of 2048 bits or more, no other key type.
  if (jwk.kty === 'EC' && !EC_CURVES.includes(String(jwk.crv))) throw fail(`must use one of the curves ${EC_CURVES.join(', ')}`)
  if (jwk.kty === 'RSA' && String(jwk.n).length < RSA_2048_MODULUS_CHARS) throw fail('must be an RSA key of at least 2048 bits')
  if (jwk.kty !== 'EC' && jwk.kty !== 'RSA') throw fail('must be an EC or RSA key')
  const ops = jwk.key_ops
  if (ops !== undefined && (!Array.isArray(ops) || !ops.every((op) => KEY_OPS.includes(op as string)))) {
    throw fail(`key_ops may only contain ${KEY_OPS.join(', ')}`)
  }
}

/**
 * A deep copy of a parsed JSON value that keeps `Decimal` instances.
 *
 * @internal
 */
export function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson)
  if (value === null || typeof value !== 'object' || value instanceof Decimal) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyJson(item)]))
}

/**
 * Whether two parsed JSON values are equal: same members whatever their order, arrays in order,
 * `Decimal`s by their exact text.
 *
 * @internal
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a instanceof Decimal || b instanceof Decimal) return a instanceof Decimal && b instanceof Decimal && a.toString() === b.toString()
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  const left = Object.entries(a)
  const right = b as Record<string, unknown>
  return left.length === Object.keys(right).length && left.every(([key, value]) => Object.hasOwn(right, key) && sameJson(value, right[key]))
}
