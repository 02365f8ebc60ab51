import { checkStrict, CustomerDataServerMetadataExtension } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../config/defaults.js'
import { buildAuthorizationServerMetadata } from '../../wg1-02/oauth/get-authorization-server-metadata.js'
import { customerDataMetadata } from './metadata.js'

const BASE = 'https://utility.example.com'

describe('CDS-WG3-01 §5 Server Metadata (catalog §1.1)', () => {
  it('R3-01-5-01..-12: the version, the listing URLs the scopes reach and the value types map', () => {
    const config = defaultConfig(BASE)
    const members = customerDataMetadata(config)
    expect(members).toMatchObject({
      cds_customerdata_version: 'v1',
      cds_accounts_api: `${BASE}/api/accounts`,
      cds_servicecontracts_api: `${BASE}/api/servicecontracts`,
      cds_servicepoints_api: `${BASE}/api/servicepoints`,
      cds_meterdevices_api: `${BASE}/api/meterdevices`,
      cds_billstatement_api: `${BASE}/api/billstatements`,
      cds_billsection_api: `${BASE}/api/billsections`,
      cds_aggregations_api: `${BASE}/api/aggregations`,
      cds_usagesegments_api: `${BASE}/api/usagesegments`,
      cds_usagesegments_additional_value_types: {},
      // the demo usage scopes offer include_eacs, so the EAC API is published with its formats.
      cds_eacs_api: `${BASE}/api/eacs`,
      cds_eac_formats: config.customer_data.eac_formats,
    })
    expect(checkStrict(CustomerDataServerMetadataExtension, buildAuthorizationServerMetadata(config))).toEqual([])
  })

  it('publishes the EAC API only while a scope offers include_eacs (A-05), and nothing when disabled', () => {
    const config = defaultConfig(BASE)
    for (const id of ['cds_usage', 'cds_query_usage']) {
      const scope = config.oauth.scope_descriptions[id]!
      config.oauth.scope_descriptions[id] = { ...scope, authorization_details_fields_supported: scope.authorization_details_fields_supported.filter((f) => f.id !== 'include_eacs') }
    }
    expect(customerDataMetadata(config)).not.toHaveProperty('cds_eacs_api')
    expect(customerDataMetadata(config)).not.toHaveProperty('cds_eac_formats')
    config.customer_data.enabled = false
    expect(customerDataMetadata(config)).toEqual({})
  })

  it('only the scopes a document publishes count (Client-specific metadata)', () => {
    const config = defaultConfig(BASE)
    const { cds_accounts, cds_client_admin } = config.oauth.scope_descriptions
    expect(customerDataMetadata(config, { cds_accounts: cds_accounts!, cds_client_admin: cds_client_admin! })).toEqual({
      cds_customerdata_version: 'v1',
      cds_accounts_api: `${BASE}/api/accounts`,
      // §6.1.4: Account List offers include_aggregations.
      cds_aggregations_api: `${BASE}/api/aggregations`,
    })
  })
})
