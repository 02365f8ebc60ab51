import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, clientCredentialsToken, register, type ApiApp } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { clientsByScope, secretFor } from '../../../test/grants-kit.js'
import { customerDataScopeDescriptions } from '../../config/customer-data-scopes.js'
import { toJsonText } from '../../db/json-text.js'

const STAMPS = { cds_created: '2025-01-01T00:00:00Z', cds_modified: '2025-01-01T00:00:00Z', cds_synced: '2025-01-01T00:00:00Z' }
const REGION = { id: 'reg-1', name: 'Anytown', types: ['geographic'], map_resource: 'x', map_content_type: 'image/png', geojson_resource: 'y' }

forEachDialect('CDS-WG3-01 §10.7.3, §10.9.1 linked resources (region maps, EAC data)', (t) => {
  let api: ApiApp
  const tokens = { usage: '', usageNoEacs: '', aggregations: '', accounts: '' }

  beforeAll(async () => {
    const scopes = ['cds_query_usage', 'cds_query_aggregations', 'cds_query_accounts'] as const
    api = await buildApiApp(t.database, (config) => {
      config.oauth.scope_descriptions = {
        ...config.oauth.scope_descriptions,
        ...customerDataScopeDescriptions(config.base_url, { scopes: [...scopes], grant_admin_scope: null, extra_fields: { cds_query_usage: ['include_eacs'] } }),
      }
    })
    const token = async (scope: string, details?: Record<string, unknown>) => {
      const reg = await register(api.app, `cds_client_admin ${scope}`)
      const client = (await clientsByScope(t.db, reg.admin.client_id)).get(scope)!
      return clientCredentialsToken(api.app, client, await secretFor(t.db, api.clock, api.config, client), undefined, details === undefined ? undefined : [{ type: scope, ...details }])
    }
    tokens.usage = await token('cds_query_usage', { include_eacs: true })
    tokens.usageNoEacs = await token('cds_query_usage', { include_eacs: false })
    tokens.aggregations = await token('cds_query_aggregations')
    tokens.accounts = await token('cds_query_accounts')
    await t.db.insertInto('accounts').values({ cds_account_id: 'acct-1', account_number: 'A-1', account_status: 'active', ...STAMPS }).execute()
    await t.db
      .insertInto('eacs')
      .values({
        cds_eac_id: 'eac-1',
        beneficiary_type: 'account',
        beneficiaries: toJsonText(['acct-1']),
        eac_numbers: toJsonText(['REG-1']),
        eac_format: 'cds_ts_demo_eac_v1',
        eac_data_url: 'https://utility.example.com/api/eac-data/eac-1',
        period_start: '2025-01-01T00:00:00Z',
        period_end: '2026-01-01T00:00:00Z',
        ...STAMPS,
      })
      .execute()
    await t.db
      .insertInto('aggregations')
      .values({
        cds_aggregation_id: 'agg-1',
        aggregation_number: 'REGION-1',
        aggregation_types: toJsonText(['public', 'region']),
        scope: '',
        authorization_details: toJsonText([]),
        grouped_addresses: toJsonText([]),
        grouped_regions: toJsonText([REGION]),
        consent_requirements: toJsonText([]),
        ...STAMPS,
      })
      .execute()
  })
  afterAll(async () => {
    await api?.app.close()
  })

  describe('R3-01-10.9.1-05, -06 EAC data takes the same authentication as the EAC API', () => {
    it('answers the data of an EAC the token lists', async () => {
      const listing = await call(api.app, 'GET', '/api/eacs', tokens.usage)
      expect(listing.json<{ eacs: { cds_eac_id: string }[] }>().eacs.map((e) => e.cds_eac_id)).toEqual(['eac-1'])
      const data = await call(api.app, 'GET', '/api/eac-data/eac-1', tokens.usage)
      expect(data.statusCode, data.body).toBe(200)
      expect(data.headers['content-type']).toMatch(/^application\/json/)
      expect(data.json()).toMatchObject({ eac_format: 'cds_ts_demo_eac_v1', eac: { cds_eac_id: 'eac-1', eac_numbers: ['REG-1'] } })
    })

    it('401 without a token; 404 to a token that does not see the EAC, and for an unknown id', async () => {
      expect((await call(api.app, 'GET', '/api/eac-data/eac-1', undefined)).statusCode).toBe(401)
      for (const [token, id] of [[tokens.usageNoEacs, 'eac-1'], [tokens.accounts, 'eac-1'], [tokens.usage, 'no-such-eac']] as const) {
        const response = await call(api.app, 'GET', `/api/eac-data/${id}`, token)
        expect(response.statusCode, id).toBe(404)
      }
    })
  })

  describe('R3-01-10.7.4-03, -04 region maps and GeoJSON take the same authentication as the Aggregation', () => {
    it('answers the map and a WGS 84 GeoJSON object of a region of a listed Aggregation', async () => {
      const map = await call(api.app, 'GET', '/api/aggregation-regions/reg-1/map', tokens.aggregations)
      expect(map.statusCode, map.body).toBe(200)
      expect(map.headers['content-type']).toBe('image/png')
      const geojson = await call(api.app, 'GET', '/api/aggregation-regions/reg-1/geojson', tokens.aggregations)
      expect(geojson.statusCode).toBe(200)
      expect(geojson.headers['content-type']).toMatch(/^application\/geo\+json/)
      const body = JSON.parse(geojson.body) as { type: string; crs?: unknown }
      expect(body.type).toBe('FeatureCollection')
      expect(body.crs).toBeUndefined()
    })

    it('401 without a token; 404 to a token that does not see the Aggregation, and for an unknown region', async () => {
      expect((await call(api.app, 'GET', '/api/aggregation-regions/reg-1/geojson', undefined)).statusCode).toBe(401)
      expect((await call(api.app, 'GET', '/api/aggregation-regions/reg-1/map', tokens.accounts)).statusCode).toBe(404)
      expect((await call(api.app, 'GET', '/api/aggregation-regions/no-such-region/map', tokens.aggregations)).statusCode).toBe(404)
    })
  })
})
