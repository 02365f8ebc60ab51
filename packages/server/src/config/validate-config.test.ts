import { describe, expect, it } from 'vitest'
import { defaultConfig } from './defaults.js'
import { isIanaTimeZone, validateConfig } from './validate-config.js'

describe('CDS-WG1-02 §2 timezone (R1-02-2-07)', () => {
  it('accepts IANA zone names and refuses offsets and unknown names', () => {
    for (const zone of ['America/Chicago', 'Europe/Brussels', 'UTC', 'America/Argentina/Buenos_Aires']) expect(isIanaTimeZone(zone)).toBe(true)
    for (const zone of ['Mars/Base', '+01:00', 'America/', '', 'Europe/Brussels ']) expect(isIanaTimeZone(zone)).toBe(false)
  })
})

describe('validateConfig', () => {
  it('finds nothing wrong with the demo configuration on https or on loopback http', () => {
    expect(validateConfig(defaultConfig('https://utility.example.com'))).toEqual([])
    expect(validateConfig(defaultConfig('http://127.0.0.1:8080'))).toEqual([])
  })

  it('CDS-WG1-02 §3.3.2 (R1-02-3.3.2-01): a Grant Admin scope has exactly its own id as RAR type', () => {
    const config = defaultConfig('https://utility.example.com')
    config.oauth.scope_descriptions.cds_grant_admin_1!.authorization_details_types_supported = ['cds_grant_admin']
    expect(validateConfig(config)).toEqual([
      {
        path: '/oauth/scope_descriptions/cds_grant_admin_1/authorization_details_fields_supported/0/for_types/0',
        message: '"cds_grant_admin_1" is not in this scope\'s authorization_details_types_supported',
      },
      {
        path: '/oauth/scope_descriptions/cds_grant_admin_1/authorization_details_fields_supported/1/for_types/0',
        message: '"cds_grant_admin_1" is not in this scope\'s authorization_details_types_supported',
      },
      { path: '/oauth/scope_descriptions/cds_grant_admin_1/authorization_details_types_supported', message: 'must be exactly ["cds_grant_admin_1"]' },
    ])
  })

  it('RFC 6749 §4.1: the code response type comes with the authorization_code grant', () => {
    const config = defaultConfig('https://utility.example.com')
    config.oauth.scope_descriptions.demo_usage_data!.response_types_supported = []
    expect(validateConfig(config)).toEqual([
      {
        path: '/oauth/scope_descriptions/demo_usage_data/response_types_supported',
        message: 'the "code" response type and the "authorization_code" grant type must be offered together',
      },
    ])
  })

  it('escapes map keys in paths (RFC 6901)', () => {
    const config = defaultConfig('https://utility.example.com')
    const field = config.oauth.registration_fields.company_name!
    config.oauth.registration_fields = { 'a/b~c': field, company_logo: config.oauth.registration_fields.company_logo! }
    expect(validateConfig(config)).toContainEqual({ path: '/oauth/registration_fields/a~1b~0c/id', message: '"company_name" must equal its key "a/b~c"' })
  })
})
