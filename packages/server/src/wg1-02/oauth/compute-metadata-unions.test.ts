import { CUSTOMER_CONSENT_SCOPES, DIRECT_ACCESS_SCOPES, type ScopeDescription } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../config/defaults.js'
import { computeMetadataUnions } from './compute-metadata-unions.js'

const scopes = () => defaultConfig('https://utility.example.com').oauth.scope_descriptions
// CDS-WG3-01 §6: the demo configuration also publishes every Customer Data scope, each its own RAR type.
const CUSTOMER_DATA = [...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES]

function publicCodeScope(): ScopeDescription {
  return {
    ...scopes().demo_usage_data!,
    id: 'demo_public_app',
    type: 'demo_public_app',
    token_endpoint_auth_methods_supported: ['none'],
    authorization_details_types_supported: ['demo_public_app'],
    authorization_details_fields_supported: [],
  }
}

describe('CDS-WG1-02 §3.2 unions over the Scope Descriptions', () => {
  it('R1-02-3.2-02, -09, -10, -12, -13, -14: each list is the union of the scopes\' lists, in first-appearance order', () => {
    expect(computeMetadataUnions(scopes())).toEqual({
      scopes_supported: ['cds_client_admin', 'cds_grant_admin_1', 'demo_usage_data', 'demo_meter_readings', 'cds_server_provided_files_1', ...CUSTOMER_DATA],
      response_types_supported: ['code'],
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
      authorization_details_types_supported: ['cds_grant_admin_1', 'demo_usage_data', 'demo_meter_readings', 'cds_server_provided_files_1', ...CUSTOMER_DATA],
    })
  })

  it('R1-02-3.4-10: adding a public scope (auth method none) adds none to token_endpoint_auth_methods_supported', () => {
    const unions = computeMetadataUnions({ ...scopes(), demo_public_app: publicCodeScope() })
    expect(unions.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'none'])
    expect(unions.scopes_supported).toContain('demo_public_app')
    expect(unions.authorization_details_types_supported).toContain('demo_public_app')
  })

  it('A-40: without user-authorization scopes the response types are empty and PKCE lists nothing', () => {
    const { cds_client_admin, cds_grant_admin_1, demo_meter_readings } = scopes()
    const unions = computeMetadataUnions({ cds_client_admin: cds_client_admin!, cds_grant_admin_1: cds_grant_admin_1!, demo_meter_readings: demo_meter_readings! })
    expect(unions.response_types_supported).toEqual([])
    expect(unions.code_challenge_methods_supported).toEqual([])
    expect(unions.grant_types_supported).toEqual(['client_credentials'])
  })

  it('an empty map gives empty lists', () => {
    expect(Object.values(computeMetadataUnions({})).every((list) => list.length === 0)).toBe(true)
  })
})
