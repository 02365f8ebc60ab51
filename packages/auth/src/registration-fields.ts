/**
 * Checking the registration field values a Client submits with its registration request
 * (CDS-WG1-02 §4.1) against their Registration Field definitions (§3.5): which fields the
 * requested scopes require or allow (§3.4, §3.6), and whether each value has its field's format
 * (§3.7, and the `purposes` formats of CDS-WG3-01 §5.1) within `max_length` or `max_size`.
 *
 * Every failure is an {@link InvalidClientMetadata} whose description names the field's
 * `field_name` (RFC 7591 §3.2.2, A-45).
 *
 * @see CDS-WG1-02 §3.5 Registration Field Object Format
 * @see CDS-WG1-02 §3.7 Registration Field Formats
 * @module
 */
import { Cds, checkStrict, RegistrationPurposes, type RegistrationField, type RegistrationFieldFormat, type ScopeDescription } from '@cds-ts/schema'
import { InvalidClientMetadata } from './errors.js'

/**
 * What {@link validateRegistrationFields} found in a request: the values by `field_name` for
 * each requested scope, and the requirements that are steps to complete after registration.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export interface RegistrationFieldValues {
  /**
   * For each requested scope id, the values of the `registration_field` entries its
   * `registration_requirements` and `registration_optional` list, keyed by `field_name`: the
   * submitted value, or the field's `default` when it has one and nothing was submitted.
   */
  readonly byScope: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /**
   * For each requested scope id, the Registration Fields of its `registration_requirements` that
   * are not values (internal review, payment, verification, forms): they gate production access
   * and start the Message flows of §3.6.
   */
  readonly pendingByScope: Readonly<Record<string, readonly RegistrationField[]>>
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff]
const PDF_SIGNATURE = [...Buffer.from('%PDF-', 'ascii')]
// RFC 4648 §4: the standard alphabet, padded to a multiple of four characters, no line breaks.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** How error descriptions name a field: by its `field_name` (its id when it has none). */
function label(field: RegistrationField): string {
  return `the registration field '${field.field_name ?? field.id}'`
}

function fail(field: RegistrationField, problem: string): never {
  // RFC 7591 §3.2.2 / A-45: a bad registration value is invalid client metadata, naming the field.
  throw new InvalidClientMetadata(`${label(field)} ${problem}`)
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte)
}

/** The number of Unicode code points of a string (what a person counts as characters). */
function characters(value: string): number {
  let n = 0
  for (const _ of value) n++
  return n
}

function checkLength(field: RegistrationField, value: string): void {
  // CDS-WG1-02 §3.5 (R1-02-3.5-06): max_length bounds non-null string, URL and email values.
  if (field.max_length !== undefined && characters(value) > field.max_length) {
    fail(field, `must be at most ${String(field.max_length)} characters long`)
  }
}

function checkString(field: RegistrationField, value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') fail(field, `must be ${what}`)
}

/** An absolute http(s) URL, as the spec's URL examples are (CDS-WG1-02 §2 "URL"). */
function isWebUrl(value: string): boolean {
  if (checkStrict(Cds.Url(), value).length > 0 || !URL.canParse(value)) return false
  const url = new URL(value)
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
}

/** Decodes a Base64 file and checks its signature and size. */
function checkFile(field: RegistrationField, value: unknown, kind: 'image' | 'pdf'): void {
  const what = kind === 'image' ? 'a Base64-encoded PNG or JPEG image' : 'a Base64-encoded PDF file'
  checkString(field, value, what)
  if (value === '' || !BASE64.test(value)) fail(field, `must be ${what} (RFC 4648 Base64)`)
  const bytes = Buffer.from(value, 'base64')
  // CDS-WG1-02 §3.7 (R1-02-3.7-05, -06): the decoded file is a PNG or JPEG image, or a PDF.
  const valid = kind === 'image' ? startsWith(bytes, PNG_SIGNATURE) || startsWith(bytes, JPEG_SIGNATURE) : startsWith(bytes, PDF_SIGNATURE)
  if (!valid) fail(field, `must be ${what}; the decoded data is not one`)
  // CDS-WG1-02 §3.5 (R1-02-3.5-07): max_size counts the bytes before Base64 encoding.
  if (field.max_size !== undefined && bytes.length > field.max_size) {
    fail(field, `is ${String(bytes.length)} bytes once decoded; at most ${String(field.max_size)} are allowed`)
  }
}

/**
 * Checks one submitted value against its field's format (CDS-WG1-02 §3.7; CDS-WG3-01 §5.1).
 * `null` passes only for the `_or_null` formats.
 *
 * @throws {InvalidClientMetadata} naming the field when the value does not fit
 * @see CDS-WG1-02 §3.7 Registration Field Formats
 */
export function checkRegistrationFieldValue(field: RegistrationField, value: unknown): void {
  const format: RegistrationFieldFormat | undefined = field.format
  if (format === undefined) throw new TypeError(`Registration Field ${field.id} has no format (CDS-WG1-02 §3.6)`)
  const nullable = format.endsWith('_or_null')
  if (value === null) {
    // CDS-WG1-02 §3.7 (R1-02-3.7-01..06): only the `_or_null` formats admit null.
    if (nullable) return
    fail(field, `must not be null (format ${format})`)
  }
  switch (format) {
    case 'string':
    case 'string_or_null':
      checkString(field, value, 'a string')
      checkLength(field, value)
      return
    case 'url':
    case 'url_or_null':
      // CDS-WG1-02 §3.7 (R1-02-3.7-02): an absolute URL.
      checkString(field, value, 'an absolute URL')
      if (!isWebUrl(value)) fail(field, 'must be an absolute http or https URL')
      checkLength(field, value)
      return
    case 'email':
    case 'email_or_null':
      // CDS-WG1-02 §3.7 (R1-02-3.7-03): a valid email address.
      checkString(field, value, 'an email address')
      if (checkStrict(Cds.Email(), value).length > 0) fail(field, 'must be a valid email address')
      checkLength(field, value)
      return
    case 'boolean':
    case 'boolean_or_null':
      // CDS-WG1-02 §3.7 (R1-02-3.7-04): a JSON boolean, not the string "true".
      if (typeof value !== 'boolean') fail(field, 'must be true or false')
      return
    case 'image':
    case 'image_or_null':
      checkFile(field, value, 'image')
      return
    case 'pdf':
    case 'pdf_or_null':
      checkFile(field, value, 'pdf')
      return
    case 'purposes':
    case 'purposes_or_null': {
      // CDS-WG3-01 §5.1: one or more Purposes, each with an empty id and empty scopes_supported.
      const issue = checkStrict(RegistrationPurposes, value)[0]
      if (issue !== undefined) fail(field, `must be a list of Purpose objects: ${issue.path === '' ? '' : `${issue.path} `}${issue.message}`)
      return
    }
    default: {
      const unknown: never = format
      throw new TypeError(`Registration Field ${field.id} has the unsupported format ${String(unknown)}`)
    }
  }
}

function definition(fields: Readonly<Record<string, RegistrationField>>, id: string, scope: ScopeDescription): RegistrationField {
  const field = fields[id]
  // CDS-WG1-02 §3.2 (R1-02-3.2-25): every referenced id is a key of cds_registration_fields; the
  // server configuration is checked at start-up, so a miss here is a programming error.
  if (field === undefined) throw new TypeError(`scope ${scope.id} references the unknown Registration Field ${id}`)
  return field
}

/**
 * Checks the registration field values of a request for the requested scopes and collects the
 * after-registration requirements. A value submitted for a field that no requested scope lists is
 * ignored, like any client metadata the server does not use (RFC 7591 §2).
 *
 * - A `registration_field` in a scope's `registration_requirements` must be submitted, unless its
 *   definition has a `default`, which marks it optional (§3.5, A-45).
 * - A `registration_field` in `registration_optional` may be left out; its `default`, if any, is used.
 * - Every submitted value is checked with {@link checkRegistrationFieldValue}.
 *
 * @param request the registration request members (registration field values are keyed by `field_name`)
 * @throws {InvalidClientMetadata} naming the first field that is missing or invalid
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export function validateRegistrationFields(
  request: Readonly<Record<string, unknown>>,
  scopes: readonly ScopeDescription[],
  fields: Readonly<Record<string, RegistrationField>>,
): RegistrationFieldValues {
  const byScope: Record<string, Record<string, unknown>> = {}
  const pendingByScope: Record<string, RegistrationField[]> = {}
  const checked = new Set<string>()
  for (const scope of scopes) {
    const values: Record<string, unknown> = {}
    const pending: RegistrationField[] = []
    const listed = [
      ...scope.registration_requirements.map((id) => ({ id, required: true })),
      ...scope.registration_optional.map((id) => ({ id, required: false })),
    ]
    for (const { id, required } of listed) {
      const field = definition(fields, id, scope)
      if (field.type !== 'registration_field') {
        // CDS-WG1-02 §3.6: other requirement types are steps after registration, before production.
        if (required && !pending.includes(field)) pending.push(field)
        continue
      }
      const name = field.field_name
      if (name === undefined) throw new TypeError(`Registration Field ${field.id} has no field_name (CDS-WG1-02 §3.6)`)
      const submitted = Object.hasOwn(request, name) ? request[name] : undefined
      if (submitted === undefined) {
        // CDS-WG1-02 §3.5 (R1-02-3.5-05): a definition with a default is optional, and the default stands in.
        if (Object.hasOwn(field, 'default')) values[name] = field.default
        // CDS-WG1-02 §3.4 (R1-02-3.4-06): a required registration field must come with the request.
        else if (required) fail(field, `is required by the scope '${scope.id}'`)
        continue
      }
      if (!checked.has(field.id)) {
        checkRegistrationFieldValue(field, submitted)
        checked.add(field.id)
      }
      values[name] = submitted
    }
    byScope[scope.id] = values
    pendingByScope[scope.id] = pending
  }
  return { byScope, pendingByScope }
}
