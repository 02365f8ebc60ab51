import type { RegistrationField, RegistrationFieldFormat } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { thrown } from '../test/_setup.js'
import { InvalidClientMetadata } from './errors.js'
import { FIELDS, file, GIF, JPEG, PDF, PNG, SCOPES } from '../test/registration-fixtures.js'
import { checkRegistrationFieldValue, validateRegistrationFields } from './registration-fields.js'

function field(format: RegistrationFieldFormat, extra: Partial<RegistrationField> = {}): RegistrationField {
  return {
    id: 'f',
    type: 'registration_field',
    field_name: 'cds_f',
    format,
    description: 'A field.',
    documentation: 'https://utility.example/docs/f',
    ...extra,
  }
}

/** The description of the `invalid_client_metadata` error `value` gets, or `undefined` when accepted. */
function problem(f: RegistrationField, value: unknown): string | undefined {
  let error: unknown
  try {
    checkRegistrationFieldValue(f, value)
    return undefined
  } catch (caught) {
    error = caught
  }
  if (!(error instanceof InvalidClientMetadata)) throw error
  expect(error.status).toBe(400)
  expect(error.error_description).toContain("'cds_f'")
  return error.error_description
}

describe('CDS-WG1-02 §3.7 Registration Field Formats', () => {
  it('R1-02-3.7-01 string: a JSON string; null only for string_or_null', () => {
    expect(problem(field('string'), 'Acme')).toBeUndefined()
    expect(problem(field('string'), 42)).toBe("the registration field 'cds_f' must be a string")
    expect(problem(field('string'), null)).toBe("the registration field 'cds_f' must not be null (format string)")
    expect(problem(field('string_or_null'), null)).toBeUndefined()
    expect(problem(field('string_or_null'), true)).toBe("the registration field 'cds_f' must be a string")
  })

  it('R1-02-3.5-06 max_length counts characters, and the exact length passes', () => {
    const f = field('string', { max_length: 3 })
    expect(problem(f, 'abc')).toBeUndefined()
    expect(problem(f, 'été')).toBeUndefined()
    expect(problem(f, '😀😀😀')).toBeUndefined()
    expect(problem(f, 'abcd')).toBe("the registration field 'cds_f' must be at most 3 characters long")
    expect(problem(field('url_or_null', { max_length: 20 }), 'https://example.com/long/path')).toMatch(/at most 20 characters/)
    expect(problem(field('email', { max_length: 5 }), 'a@b.example')).toMatch(/at most 5 characters/)
  })

  it('R1-02-3.7-02 url: an absolute http(s) URL; url_or_null also takes null', () => {
    expect(problem(field('url'), 'https://acme.example/about')).toBeUndefined()
    expect(problem(field('url'), 'not a url')).toBe("the registration field 'cds_f' must be an absolute http or https URL")
    expect(problem(field('url'), '/relative')).toMatch(/absolute http or https URL/)
    expect(problem(field('url'), 'mailto:a@b.example')).toMatch(/absolute http or https URL/)
    expect(problem(field('url'), 7)).toBe("the registration field 'cds_f' must be an absolute URL")
    expect(problem(field('url_or_null'), null)).toBeUndefined()
    expect(problem(field('url'), null)).toMatch(/must not be null/)
  })

  it('R1-02-3.7-03 email: a valid address; email_or_null also takes null', () => {
    expect(problem(field('email'), 'dev@acme.example')).toBeUndefined()
    expect(problem(field('email'), 'foo')).toBe("the registration field 'cds_f' must be a valid email address")
    expect(problem(field('email'), 'a b@acme.example')).toMatch(/valid email address/)
    expect(problem(field('email_or_null'), null)).toBeUndefined()
  })

  it('R1-02-3.7-04 boolean: true or false, never the string "true"', () => {
    expect(problem(field('boolean'), true)).toBeUndefined()
    expect(problem(field('boolean'), false)).toBeUndefined()
    expect(problem(field('boolean'), 'true')).toBe("the registration field 'cds_f' must be true or false")
    expect(problem(field('boolean'), 1)).toMatch(/true or false/)
    expect(problem(field('boolean'), null)).toMatch(/must not be null/)
    expect(problem(field('boolean_or_null'), null)).toBeUndefined()
  })

  it('R1-02-3.7-05 image: Base64 of a PNG or JPEG; a GIF or non-Base64 text is refused', () => {
    expect(problem(field('image'), file(PNG, 20))).toBeUndefined()
    expect(problem(field('image'), file(JPEG, 20))).toBeUndefined()
    expect(problem(field('image'), file(GIF, 20))).toBe("the registration field 'cds_f' must be a Base64-encoded PNG or JPEG image; the decoded data is not one")
    expect(problem(field('image'), 'not base64!')).toBe("the registration field 'cds_f' must be a Base64-encoded PNG or JPEG image (RFC 4648 Base64)")
    expect(problem(field('image'), '')).toMatch(/RFC 4648 Base64/)
    expect(problem(field('image'), `${file(PNG, 20)}\n`)).toMatch(/RFC 4648 Base64/)
    expect(problem(field('image'), file(PNG, 20).replace(/=+$/, ''))).toMatch(/RFC 4648 Base64/)
    expect(problem(field('image'), { png: true })).toBe("the registration field 'cds_f' must be a Base64-encoded PNG or JPEG image")
    expect(problem(field('image_or_null'), null)).toBeUndefined()
  })

  it('R1-02-3.7-06 pdf: Base64 of a file that starts with %PDF-', () => {
    expect(problem(field('pdf'), file(PDF, 40))).toBeUndefined()
    expect(problem(field('pdf'), file(PNG, 40))).toBe("the registration field 'cds_f' must be a Base64-encoded PDF file; the decoded data is not one")
    expect(problem(field('pdf_or_null'), null)).toBeUndefined()
    expect(problem(field('pdf'), null)).toMatch(/must not be null/)
  })

  it('R1-02-3.5-07 max_size counts decoded bytes: max_size passes, max_size + 1 fails', () => {
    const f = field('image', { max_size: 32 })
    expect(problem(f, file(PNG, 32))).toBeUndefined()
    expect(problem(f, file(PNG, 33))).toBe("the registration field 'cds_f' is 33 bytes once decoded; at most 32 are allowed")
    expect(problem(field('pdf', { max_size: 10 }), file(PDF, 11))).toMatch(/11 bytes once decoded/)
  })

  it('CDS-WG3-01 §5.1 purposes: Purposes with an empty id and no scopes; purposes_or_null also takes null', () => {
    const purpose = { id: '', name: 'Audit', content: 'We audit your usage.', related_uri: null, scopes_supported: [] }
    expect(problem(field('purposes'), [purpose])).toBeUndefined()
    expect(problem(field('purposes'), [])).toMatch(/must be a list of Purpose objects/)
    expect(problem(field('purposes'), [{ ...purpose, id: 'p1' }])).toMatch(/must be a list of Purpose objects: \/0\/id/)
    expect(problem(field('purposes'), null)).toMatch(/must not be null/)
    expect(problem(field('purposes_or_null'), null)).toBeUndefined()
  })
})

describe('CDS-WG1-02 §4.1 registration field values of the requested scopes', () => {
  const usage = SCOPES.usage!
  const readings = SCOPES.readings!
  const premium = SCOPES.premium!

  it('R1-02-4.1-06 takes values by field_name, fills defaults of optional fields, and ignores unlisted members', () => {
    const values = validateRegistrationFields({ cds_company_name: 'Acme', cds_other: 'x' }, [usage, readings], FIELDS)
    expect(values.byScope).toEqual({ usage: { cds_company_name: 'Acme', cds_company_logo: null }, readings: { cds_company_name: 'Acme' } })
    expect(values.pendingByScope).toEqual({ usage: [], readings: [] })
  })

  it('R1-02-3.4-06 a required registration field that is missing is invalid_client_metadata naming it and its scope', () => {
    const error = thrown(() => validateRegistrationFields({}, [usage], FIELDS))
    expect(error.error).toBe('invalid_client_metadata')
    expect(error.error_description).toBe("the registration field 'cds_company_name' is required by the scope 'usage'")
  })

  it('R1-02-3.5-04 an optional field that is submitted is checked too', () => {
    const error = thrown(() => validateRegistrationFields({ cds_company_name: 'Acme', cds_contact_email: 'nope' }, [usage], FIELDS))
    expect(error.error_description).toBe("the registration field 'cds_contact_email' must be a valid email address")
  })

  it('R1-02-3.6-02 requirements that are not values are collected per scope, not asked for', () => {
    const values = validateRegistrationFields({ cds_company_name: 'Acme' }, [premium], FIELDS)
    expect(values.pendingByScope.premium?.map((f) => f.id)).toEqual(['review', 'terms'])
  })

  it('a field no requested scope lists is ignored even when its value is invalid (RFC 7591 §2)', () => {
    const values = validateRegistrationFields({ cds_company_name: 42 }, [SCOPES.meters!], FIELDS)
    expect(values.byScope).toEqual({ meters: {} })
  })

  it('a scope naming an unknown Registration Field is a configuration error (TypeError), not a client error', () => {
    expect(() => validateRegistrationFields({}, [{ ...readings, registration_requirements: ['nope'] }], FIELDS)).toThrow(TypeError)
  })
})
