import { checkStrict, OAuthErrorResponse, ServerMetadata } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDiscoveryApp, TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import { ServerConfig } from '../../config/config-schema.js'
import { validateConfig } from '../../config/validate-config.js'
import { buildServerMetadata } from './get-server-metadata.js'

const WELL_KNOWN = '/.well-known/cds-server-metadata.json'

describe('CDS-WG1-01 §3.1 Metadata Well-Known URI', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildDiscoveryApp()
  })
  afterAll(async () => {
    await app.close()
  })

  it('R1-01-3.1-01, R1-01-3-02, R1-02-3.1-03, -04: 200 with a CDS Server Metadata object listing coverage and oauth', async () => {
    const response = await app.inject({ method: 'GET', url: WELL_KNOWN })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/)
    const body = response.json<ServerMetadata>()
    expect(checkStrict(ServerMetadata, body, { closed: true })).toEqual([])
    expect(body).toEqual({
      cds_metadata_version: 'v1',
      cds_metadata_url: `${TEST_BASE_URL}/.well-known/cds-server-metadata.json`,
      created: '2025-01-01T00:00:00Z',
      updated: '2025-01-01T00:00:00Z',
      name: 'Demo Gas & Electric',
      description: 'A fictional electric and gas utility run by the cds-ts reference server.',
      website: `${TEST_BASE_URL}/`,
      documentation: `${TEST_BASE_URL}/docs`,
      support: `${TEST_BASE_URL}/support`,
      capabilities: ['coverage', 'oauth'],
      coverage: `${TEST_BASE_URL}/api/coverage`,
      oauth_metadata: `${TEST_BASE_URL}/.well-known/oauth-authorization-server`,
    })
  })

  it('R1-01-3-03: a strong ETag and a public Cache-Control; If-None-Match gives 304 with no body', async () => {
    const first = await app.inject({ method: 'GET', url: WELL_KNOWN })
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(first.headers['cache-control']).toBe('public, max-age=300')
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await app.inject({ method: 'GET', url: WELL_KNOWN, headers: { 'if-none-match': header } })
      expect(cached.statusCode).toBe(304)
      expect(cached.body).toBe('')
      expect(cached.headers.etag).toBe(etag)
      expect(cached.headers['cache-control']).toBe('public, max-age=300')
      expect(cached.headers['content-type']).toBeUndefined()
    }
    const changed = await app.inject({ method: 'GET', url: WELL_KNOWN, headers: { 'if-none-match': '"stale"' } })
    expect(changed.statusCode).toBe(200)
    expect(changed.body).toBe(first.body)
  })

  it('R1-01-8.1-02, R1-01-8.1-04: no authentication is asked for, and a bogus one is ignored', async () => {
    const response = await app.inject({ method: 'GET', url: WELL_KNOWN, headers: { authorization: 'Bearer bogus' } })
    expect(response.statusCode).toBe(200)
    expect(response.json<ServerMetadata>().cds_metadata_version).toBe('v1')
  })

  it('R1-01-3-04: another method is refused with 405 and Allow, never served the metadata', async () => {
    const response = await app.inject({ method: 'POST', url: WELL_KNOWN, payload: {} })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('GET, HEAD')
    expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
    expect(response.json<OAuthErrorResponse>().error).toBe('method_not_allowed')
  })
})

describe('CDS-WG1-01 §3.2 Metadata Object Format', () => {
  it('R1-01-3.2-07, -08: without coverage entries there is neither the coverage capability nor its URL', () => {
    const config = { ...testConfig(), coverage_entries: [] }
    config.oauth.scope_descriptions = { cds_client_admin: config.oauth.scope_descriptions.cds_client_admin! }
    config.oauth.registration_fields = {}
    expect(validateConfig(config)).toEqual([])
    const body = buildServerMetadata(config)
    expect(body.capabilities).toEqual(['oauth'])
    expect(body).not.toHaveProperty('coverage')
    expect(checkStrict(ServerMetadata, body, { closed: true })).toEqual([])
  })

  it('R1-01-3.2-07: the capabilities of every coverage entry are listed once, after coverage', () => {
    const config = testConfig()
    config.coverage_entries[0]!.capabilities = []
    expect(buildServerMetadata(config).capabilities).toEqual(['coverage', 'oauth'])
  })

  it('R1-01-3.2-09: related_metadata is published when configured', async () => {
    const config = testConfig()
    config.metadata.related_metadata = ['https://east.utility.example.com/.well-known/cds-server-metadata.json']
    expect(checkStrict(ServerConfig, config, { closed: true })).toEqual([])
    const app = await buildDiscoveryApp(config)
    const body = (await app.inject({ method: 'GET', url: WELL_KNOWN })).json<ServerMetadata>()
    await app.close()
    expect(body.related_metadata).toEqual(['https://east.utility.example.com/.well-known/cds-server-metadata.json'])
    expect(checkStrict(ServerMetadata, body, { closed: true })).toEqual([])
  })
})

describe('CDS-WG1-01 §5 Server Migration', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildDiscoveryApp()
  })
  afterAll(async () => {
    await app.close()
  })

  it('R1-01-5-03 (A-54): the old CDSC path answers 301 with the new metadata URL in Location', async () => {
    const response = await app.inject({ method: 'GET', url: '/.well-known/carbon-data-spec.json' })
    expect(response.statusCode).toBe(301)
    expect(response.headers.location).toBe(`${TEST_BASE_URL}/.well-known/cds-server-metadata.json`)
    expect(response.headers['cache-control']).toBe('public, max-age=86400')
    expect(response.body).toBe('')
    // Following the redirect gives the metadata, whose canonical URL is the Location.
    const followed = await app.inject({ method: 'GET', url: new URL(response.headers.location as string).pathname })
    expect(followed.statusCode).toBe(200)
    expect(followed.json<ServerMetadata>().cds_metadata_url).toBe(response.headers.location)
  })
})
