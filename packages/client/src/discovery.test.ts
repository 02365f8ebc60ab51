import { describe, expect, it } from 'vitest'
import { discover, processAuthorizationServerMetadataResponse, serverMetadataUrl } from './discovery.js'
import { fakeFetch, metadataFor } from '../test/fake-fetch.js'

const base = 'https://utility.example'
const serverMetadata = (extra: Record<string, unknown> = {}) => ({
  cds_metadata_version: 'v1',
  cds_metadata_url: `${base}/.well-known/cds-server-metadata.json`,
  created: '2025-01-01T00:00:00Z',
  updated: '2025-01-01T00:00:00Z',
  name: 'Demo',
  description: 'A demo utility',
  website: base,
  documentation: `${base}/docs`,
  support: `${base}/support`,
  capabilities: ['oauth', 'future_capability'],
  oauth_metadata: `${base}/.well-known/oauth-authorization-server`,
  ...extra,
})

describe('CDS-WG1-01 §3.1 where the metadata is', () => {
  it('uses the well-known path for an origin and any other URL as given', () => {
    expect(serverMetadataUrl(base).href).toBe(`${base}/.well-known/cds-server-metadata.json`)
    expect(serverMetadataUrl(`${base}/`).href).toBe(`${base}/.well-known/cds-server-metadata.json`)
    expect(serverMetadataUrl(`${base}/clients/c1/metadata.json`).href).toBe(`${base}/clients/c1/metadata.json`)
    expect(serverMetadataUrl(`${base}/?tenant=1`).href).toBe(`${base}/?tenant=1`)
  })
})

describe('CDS-WG1-02 §3.1 discovery', () => {
  it('fetches both documents and keeps unknown capabilities and members', async () => {
    const fetch = fakeFetch({ json: serverMetadata() }, { json: metadataFor(base, { x_vendor: true }) })
    const found = await discover(base, { fetch })
    expect(fetch.calls.map((c) => c.url)).toEqual([`${base}/.well-known/cds-server-metadata.json`, `${base}/.well-known/oauth-authorization-server`])
    expect(found.server.capabilities).toEqual(['oauth', 'future_capability'])
    expect((found.authorizationServer as Record<string, unknown>).x_vendor).toBe(true)
  })

  it('a server without oauth_metadata is MISSING_ENDPOINT', async () => {
    const { oauth_metadata: _o, ...plain } = serverMetadata({ capabilities: [] })
    const fetch = fakeFetch({ json: plain })
    await expect(discover(base, { fetch })).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
  })

  it('CDS-WG3-01 §5 reads the Customer Data members with the rest', async () => {
    const response = new Response(
      JSON.stringify(metadataFor(base, { cds_customerdata_version: 'v1', cds_usagesegments_api: `${base}/api/usagesegments`, cds_usagesegments_additional_value_types: {} })),
      { headers: { 'content-type': 'application/json' } },
    )
    const as = await processAuthorizationServerMetadataResponse(response)
    expect(as.cds_customerdata_version).toBe('v1')
    expect(as.cds_usagesegments_api).toBe(`${base}/api/usagesegments`)
  })

  it('a metadata object without its endpoints is INVALID_RESPONSE', async () => {
    const { token_endpoint: _t, ...broken } = metadataFor(base)
    const response = new Response(JSON.stringify(broken), { headers: { 'content-type': 'application/json' } })
    await expect(processAuthorizationServerMetadataResponse(response)).rejects.toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ keyword: 'required' })] })
  })
})
