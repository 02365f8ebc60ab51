import { Decimal, stringifyJson, type AuthorizationDetailsField, type ScopeDescription } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { scopeDescription, thrown } from '../test/_setup.js'
import { compareNumberText } from './authorization-details-formats.js'
import { manualClock } from './clock.js'
import { InvalidAuthorizationDetails, ServerError } from './errors.js'
import { fillScopeDefaults, validateAuthorizationDetails, type AuthorizationDetailsOptions } from './rar.js'

const DOC = 'https://utility.example/docs'

function field(id: string, format: AuthorizationDetailsField['format'], extra: Partial<AuthorizationDetailsField> = {}): AuthorizationDetailsField {
  return { id, name: id, description: id, documentation: DOC, for_types: ['every_format'], format, is_required: false, ...extra }
}

// A user-authorization scope carrying the given fields.
const scope = (id: string, fields: AuthorizationDetailsField[], extra: Partial<ScopeDescription> = {}): ScopeDescription =>
  scopeDescription(id, {
    description: id,
    documentation: DOC,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    authorization_details_fields_supported: fields,
    ...extra,
  })

const choices = ['monthly', 'hourly'].map((id) => ({ id, name: id, description: id, documentation: DOC }))
const EC_KEY = { kty: 'EC', use: 'enc', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }

const everyFormat = scope('every_format', [
  field('count', 'int', { minimum: 1, maximum: 100 }),
  field('unbounded', 'int', { minimum: 'infinite', maximum: 'infinite' }),
  field('limit', 'decimal', { minimum: Decimal.from('0.5'), maximum: Decimal.from('99999999999999999999.99999999') }),
  field('label', 'string', { minimum: 2, maximum: 5 }),
  field('note', 'string_or_null', { minimum: 1, maximum: 3 }),
  field('meters', 'string_list', { minimum: 1, maximum: 6 }),
  field('premises', 'string_list_or_null', { minimum: 0, maximum: 4 }),
  field('flag', 'boolean'),
  field('resolution', 'choice', { choices }),
  field('purpose', 'choice_or_null', { choices }),
  field('resolutions', 'choice_list_or_null', { choices }),
  field('history', 'relative_or_absolute_date', { minimum: 'P0D', maximum: 'P3Y' }),
  field('until', 'relative_or_absolute_datetime', { minimum: 'PT1H', maximum: 'infinite' }),
  field('jwk', 'jwk_or_null'),
])
const withDefaults = scope('with_defaults', [
  field('max_readings', 'int', { for_types: ['with_defaults'], default: 100, minimum: 1, maximum: 1000 }),
  field('start_date', 'relative_or_absolute_date', { for_types: ['with_defaults'], default: 'P1Y', minimum: 'P0D', maximum: 'P2Y' }),
  field('sync_until', 'relative_or_absolute_datetime', { for_types: ['with_defaults'], default: 'P1D', minimum: 'P0S', maximum: 'P1Y' }),
  field('jwk', 'jwk_or_null', { for_types: ['with_defaults'], default: null }),
  field('optional_without_default', 'string', { for_types: ['with_defaults'], minimum: 0, maximum: 10 }),
])
const grantAdmin = scope(
  'cds_grant_admin_1',
  [
    // A-02: §3.3.2's literal for_types is the scope type, not its id.
    field('client_id', 'string', { for_types: ['cds_grant_admin'], is_required: true, minimum: 1, maximum: 1000 }),
    field('grant_id', 'string', { for_types: ['cds_grant_admin_1'], is_required: true, minimum: 1, maximum: 1000 }),
  ],
  { type: 'cds_grant_admin', response_types_supported: [], grant_types_supported: ['client_credentials'], code_challenge_methods_supported: [] },
)
const scopes = { every_format: everyFormat, with_defaults: withDefaults, cds_grant_admin_1: grantAdmin }

// 2025-06-15 10:00 in Chicago (CDT, -05:00).
const clock = manualClock('2025-06-15T15:00:00Z')
const options: AuthorizationDetailsOptions = { clock, timezone: 'America/Chicago' }

const validate = (entries: unknown, opts: Partial<AuthorizationDetailsOptions> = {}) => validateAuthorizationDetails(entries, scopes, { ...options, ...opts })
const one = (fields: Record<string, unknown>, opts: Partial<AuthorizationDetailsOptions> = {}) =>
  validate([{ type: 'every_format', ...fields }], opts)[0] as Record<string, unknown> | undefined
const refusal = (fields: Record<string, unknown>) => thrown(() => one(fields))

describe('RFC 9396 §2 the authorization_details parameter', () => {
  it('RFC9396-01 reads the JSON text of the parameter and returns the checked entries', () => {
    expect(validate('[{"type":"every_format","count":5,"flag":true}]')).toEqual([{ type: 'every_format', count: 5, flag: true }])
    expect(validate('[]')).toEqual([])
  })

  it('RFC9396-02 refuses text that is not JSON, or not an array of objects with a type', () => {
    for (const bad of ['{"type":"every_format"}', 'not json', '[1]', '[null]', '[[]]', '[{}]', '[{"type":""}]', '[{"type":7}]']) {
      const err = thrown(() => validate(bad))
      expect(err, bad).toBeInstanceOf(InvalidAuthorizationDetails)
      expect(err).toMatchObject({ error: 'invalid_authorization_details', status: 400 })
    }
  })

  it('R1-02-3.4-04 refuses a type no requested scope supports, naming it', () => {
    const err = thrown(() => validate([{ type: 'nope' }]))
    expect(err).toMatchObject({ error: 'invalid_authorization_details', error_description: "authorization_details[0].type 'nope' is not an authorization details type of the requested scopes" })
    // A type of a scope that is not among the requested ones is refused the same way.
    expect(thrown(() => validateAuthorizationDetails([{ type: 'with_defaults' }], [everyFormat], options)).error).toBe('invalid_authorization_details')
  })

  it('RFC9396-07 refuses a field the type does not define, the RFC 9396 common fields included', () => {
    expect(refusal({ colour: 'red' }).error_description).toBe("authorization_details[0].colour is not a field of type 'every_format'")
    expect(refusal({ actions: ['read'] }).error_description).toBe("authorization_details[0].actions is not a field of type 'every_format'")
    // A field of another type of the same request is not borrowed.
    expect(refusal({ max_readings: 5 }).error).toBe('invalid_authorization_details')
  })
})

describe('CDS-WG1-02 §3.9 every Authorization Details Field format', () => {
  it('R1-02-3.9-06 int: JSON integers only, big ones kept exact', () => {
    expect(one({ count: 7 })).toEqual({ type: 'every_format', count: 7 })
    const big = Decimal.from('123456789012345678901234567890')
    expect(one({ unbounded: big })?.unbounded).toBe(big)
    expect(one({ unbounded: -5 })?.unbounded).toBe(-5)
    for (const bad of ['7', 1.5, Decimal.from('1.0'), Decimal.from('1e3'), true, null]) expect(refusal({ count: bad }).error_description).toBe('authorization_details[0].count must be an integer')
  })

  it('R1-02-3.9-02 decimal: any JSON number, never through a float', () => {
    const parsed = validate('[{"type":"every_format","limit":1.1000000000000000055511151231257827}]')[0] as Record<string, unknown> | undefined
    expect(parsed?.limit).toBeInstanceOf(Decimal)
    expect(stringifyJson(parsed)).toBe('{"type":"every_format","limit":1.1000000000000000055511151231257827}')
    expect(one({ limit: 1 })?.limit).toBe(1)
    expect(refusal({ limit: '1.5' }).error_description).toBe('authorization_details[0].limit must be a number')
    expect(refusal({ limit: Decimal.from('1e5000') }).error_description).toBe('authorization_details[0].limit has an exponent out of range')
  })

  it('A-30 a value parsed with JSON.parse (a float) is a programming error, not a client error', () => {
    expect(() => one({ limit: 1.5 })).toThrow(TypeError)
  })

  it('string and string_or_null: strings (null only for the second)', () => {
    expect(one({ label: 'abc', note: null })).toEqual({ type: 'every_format', label: 'abc', note: null })
    expect(refusal({ label: null }).error_description).toBe('authorization_details[0].label must be a string')
    expect(refusal({ note: 5 }).error_description).toBe('authorization_details[0].note must be a string or null')
  })

  it('R1-02-3.9-06 string_list and string_list_or_null: arrays of strings', () => {
    const input = ['m1', 'm2']
    const out = one({ meters: input, premises: null })
    expect(out).toEqual({ type: 'every_format', meters: ['m1', 'm2'], premises: null })
    expect(out?.meters).not.toBe(input)
    expect(refusal({ meters: [1] }).error_description).toBe('authorization_details[0].meters must be an array of strings')
    expect(refusal({ meters: null }).error).toBe('invalid_authorization_details')
    expect(refusal({ premises: 'p1' }).error_description).toBe('authorization_details[0].premises must be an array of strings or null')
  })

  it('boolean: true or false only', () => {
    expect(one({ flag: false })?.flag).toBe(false)
    for (const bad of ['true', 1, null]) expect(refusal({ flag: bad }).error_description).toBe('authorization_details[0].flag must be a boolean')
  })

  it('R1-02-3.9-04 choice, choice_or_null and choice_list_or_null: ids of the listed choices', () => {
    expect(one({ resolution: 'hourly', purpose: null, resolutions: ['monthly', 'hourly'] })).toMatchObject({ resolution: 'hourly', purpose: null, resolutions: ['monthly', 'hourly'] })
    expect(one({ resolutions: null })?.resolutions).toBeNull()
    expect(refusal({ resolution: 'daily' }).error_description).toBe("authorization_details[0].resolution must be one of 'monthly', 'hourly'")
    expect(refusal({ resolution: null }).error).toBe('invalid_authorization_details')
    expect(refusal({ purpose: 'yearly' }).error).toBe('invalid_authorization_details')
    expect(refusal({ resolutions: ['monthly', 'daily'] }).error_description).toBe("authorization_details[0].resolutions must be null or an array of 'monthly', 'hourly'")
  })

  it('R1-02-2-01 A-60 jwk_or_null: a public EC or RSA encryption key, or null', () => {
    expect(one({ jwk: EC_KEY })?.jwk).toEqual(EC_KEY)
    expect(one({ jwk: null })?.jwk).toBeNull()
    expect(refusal({ jwk: { ...EC_KEY, use: 'sig' } }).error_description).toMatch(/^authorization_details\[0\]\.jwk must be a JWK public encryption key/)
    expect(refusal({ jwk: { ...EC_KEY, d: 'secret' } }).error).toBe('invalid_authorization_details')
    expect(refusal({ jwk: { ...EC_KEY, crv: 'secp256k1' } }).error_description).toBe('authorization_details[0].jwk must use one of the curves P-256, P-384, P-521')
    expect(refusal({ jwk: { kty: 'RSA', use: 'enc', n: 'short', e: 'AQAB' } }).error_description).toBe('authorization_details[0].jwk must be an RSA key of at least 2048 bits')
    expect(refusal({ jwk: { kty: 'OKP', use: 'enc', crv: 'X25519', x: 'abc' } }).error_description).toBe('authorization_details[0].jwk must be an EC or RSA key')
    expect(refusal({ jwk: { ...EC_KEY, key_ops: ['sign'] } }).error_description).toBe('authorization_details[0].jwk key_ops may only contain encrypt, wrapKey')
    expect(one({ jwk: { ...EC_KEY, key_ops: ['wrapKey'] } })?.jwk).toMatchObject({ key_ops: ['wrapKey'] })
  })
})

describe('CDS-WG1-02 §3.8 minimum and maximum', () => {
  it('R1-02-3.8-09 int: the bounds are accepted, one past them refused', () => {
    expect(one({ count: 1 })?.count).toBe(1)
    expect(one({ count: 100 })?.count).toBe(100)
    expect(refusal({ count: 0 }).error_description).toBe('authorization_details[0].count must be at least 1')
    expect(refusal({ count: 101 }).error_description).toBe('authorization_details[0].count must be at most 100')
  })

  it('R1-02-3.8-09 decimal: compared exactly, a 30-digit value included', () => {
    expect(one({ limit: Decimal.from('0.50') })?.limit).toEqual(Decimal.from('0.50'))
    expect(one({ limit: Decimal.from('99999999999999999999.99999999') })).toBeDefined()
    expect(refusal({ limit: Decimal.from('99999999999999999999.999999991') }).error_description).toBe('authorization_details[0].limit must be at most 99999999999999999999.99999999')
    expect(refusal({ limit: Decimal.from('0.4999999999999999999999999999') }).error).toBe('invalid_authorization_details')
    expect(one({ limit: Decimal.from('5e-1') })?.limit).toEqual(Decimal.from('5e-1'))
    expect(compareNumberText('5e-1', '0.5')).toBe(0)
    expect(compareNumberText('-1.10', '-1.1')).toBe(0)
    expect(compareNumberText('1E+2', '99.999')).toBe(1)
    expect(compareNumberText('-100', '-99')).toBe(-1)
  })

  it('R1-02-3.8-09 strings: length in characters (code points)', () => {
    expect(one({ label: '€€' })?.label).toBe('€€')
    expect(one({ label: '😀😀😀😀😀' })?.label).toBe('😀😀😀😀😀')
    expect(refusal({ label: 'a' }).error_description).toBe('authorization_details[0].label must be at least 2 characters long')
    expect(refusal({ label: 'abcdef' }).error_description).toBe('authorization_details[0].label must be at most 5 characters long')
    expect(refusal({ note: '' }).error).toBe('invalid_authorization_details')
  })

  it('R1-02-3.8-09 string lists: the combined length', () => {
    expect(one({ meters: ['abc', 'def'] })?.meters).toEqual(['abc', 'def'])
    expect(refusal({ meters: ['abc', 'defg'] }).error_description).toBe('authorization_details[0].meters must be at most 6 characters long')
    expect(refusal({ meters: [] }).error_description).toBe('authorization_details[0].meters must be at least 1 characters long')
    expect(one({ premises: [] })?.premises).toEqual([])
  })

  it('R1-02-3.8-09 dates: relative and absolute values inside the window, resolved in cds_timezone', () => {
    // Today in Chicago is 2025-06-15; the history field counts forward by default.
    expect(one({ history: 'P0D' })?.history).toBe('2025-06-15')
    expect(one({ history: 'P3Y' })?.history).toBe('2028-06-15')
    expect(one({ history: '2026-01-01' })?.history).toBe('2026-01-01')
    expect(refusal({ history: 'P3Y1D' }).error_description).toBe('authorization_details[0].history is further from now than the maximum P3Y')
    expect(refusal({ history: '2025-06-14' }).error_description).toBe('authorization_details[0].history is closer to now than the minimum P0D')
    expect(refusal({ history: 'infinite' }).error).toBe('invalid_authorization_details')
    expect(refusal({ history: 'P1DT1H' }).error_description).toBe("authorization_details[0].history must be a date, a relative date without time parts, or 'infinite'")
  })

  it('R1-02-3.8-09 a historical field counts back: maximum is the furthest back', () => {
    const back = { relativeDirection: () => 'subtract' as const }
    expect(one({ history: 'P3Y' }, back)?.history).toBe('2022-06-15')
    expect(one({ history: '2023-01-01' }, back)?.history).toBe('2023-01-01')
    expect(thrown(() => one({ history: '2022-06-14' }, back)).error_description).toBe('authorization_details[0].history is further from now than the maximum P3Y')
    expect(thrown(() => one({ history: '2025-06-16' }, back)).error_description).toBe('authorization_details[0].history is closer to now than the minimum P0D')
  })

  it('R1-02-3.8-09 datetimes: "infinite" maximum, relative minimum', () => {
    expect(one({ until: 'infinite' })?.until).toBe('infinite')
    expect(one({ until: 'P30DT2H' })?.until).toBe('2025-07-15T12:00:00-05:00')
    expect(one({ until: 'PT1H' })?.until).toBe('2025-06-15T11:00:00-05:00')
    expect(one({ until: '2025-06-15T16:00:00Z' })?.until).toBe('2025-06-15T16:00:00Z')
    expect(refusal({ until: 'PT59M' }).error_description).toBe('authorization_details[0].until is closer to now than the minimum PT1H')
    expect(refusal({ until: '2025-06-15T15:59:59Z' }).error).toBe('invalid_authorization_details')
  })

  it('RFC 9396 §7.1 relative values can be kept as submitted', () => {
    expect(one({ history: 'P1Y', until: 'P1D' }, { resolveRelative: false })).toEqual({ type: 'every_format', history: 'P1Y', until: 'P1D' })
  })
})

describe('CDS-WG1-02 §3.8 required fields and defaults', () => {
  it('R1-02-3.8-06 fills omitted optional fields with their defaults, relative ones resolved', () => {
    // 2025-06-15 10:00 CDT: start_date counts back (CDS-WG3-01 §7.3.4), sync_until forward.
    expect(validate([{ type: 'with_defaults' }])).toEqual([
      { type: 'with_defaults', max_readings: 100, start_date: '2024-06-15', sync_until: '2025-06-16T10:00:00-05:00', jwk: null },
    ])
    expect(validate([{ type: 'with_defaults', max_readings: 5 }])[0]).toMatchObject({ max_readings: 5 })
  })

  it('R1-02-3.8-05 refuses an entry without a required field, naming it', () => {
    const err = thrown(() => validate([{ type: 'cds_grant_admin_1', client_id: 'c-1' }]))
    expect(err).toMatchObject({ error: 'invalid_authorization_details', error_description: "authorization_details[0].grant_id is required for type 'cds_grant_admin_1'" })
  })

  it('A-02 takes fields whose for_types name the scope type or its id', () => {
    expect(validate([{ type: 'cds_grant_admin_1', client_id: 'c-1', grant_id: 'g-1' }])).toEqual([{ type: 'cds_grant_admin_1', client_id: 'c-1', grant_id: 'g-1' }])
  })

  it('a default that does not fit its own field is a server error', () => {
    const broken = scope('broken', [field('n', 'int', { for_types: ['broken'], default: 'ten', minimum: 1, maximum: 10 })])
    const err = thrown(() => validateAuthorizationDetails([{ type: 'broken' }], [broken], options))
    expect(err).toBeInstanceOf(ServerError)
    expect(err.status).toBe(500)
  })

  it('R1-02-3.8-06 a scope requested without entries gets one with its defaults', () => {
    const details = fillScopeDefaults([], ['with_defaults', 'cds_client_admin'], scopes, options)
    expect(details).toEqual([{ type: 'with_defaults', max_readings: 100, start_date: '2024-06-15', sync_until: '2025-06-16T10:00:00-05:00', jwk: null }])
    const explicit = validate([{ type: 'with_defaults', max_readings: 7 }])
    expect(fillScopeDefaults(explicit, ['with_defaults'], scopes, options)).toEqual(explicit)
  })

  it('A-32 a scope with a required field cannot be requested by scope alone', () => {
    const err = thrown(() => fillScopeDefaults([], ['cds_grant_admin_1'], scopes, options))
    expect(err).toMatchObject({ error: 'invalid_authorization_details', error_description: "scope cds_grant_admin_1.client_id is required for type 'cds_grant_admin_1'" })
  })

  it('R1-02-3.9-03 resolves against the clock at the time of the call', () => {
    const later = manualClock('2025-12-31T23:30:00-06:00')
    expect(validateAuthorizationDetails([{ type: 'with_defaults' }], scopes, { clock: later, timezone: 'America/Chicago' })[0]).toMatchObject({
      start_date: '2024-12-31',
      sync_until: '2026-01-01T23:30:00-06:00',
    })
  })

  it('R1-02-2-07 refuses an unknown cds_timezone as a programming error', () => {
    expect(() => validate([], { timezone: 'Nowhere/Land' })).toThrow(TypeError)
  })
})
