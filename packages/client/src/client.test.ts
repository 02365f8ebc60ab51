import { describe, expect, it } from 'vitest'
import { CdsClient } from './client.js'
import { fakeAuthorizationServer, fakeFetch } from '../test/fake-fetch.js'

const base = 'https://utility.example'
const tokenAnswer = { json: { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 } }
const empty = (key: string) => ({ json: { [key]: [], next: null, previous: null } })

describe('CdsClient', () => {
  it('CDS-WG1-02 §5 the management APIs use a cds_client_admin token, once', async () => {
    const fetch = fakeFetch(tokenAnswer, empty('clients'), empty('grants'))
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) }, { fetch, client: { client_id: 'c1', client_secret: 's1' } })
    await cds.clients.list()
    await cds.grants.list({ statuses: ['active'] })
    expect(fetch.calls.map((c) => `${c.method} ${c.url}`)).toEqual([`POST ${base}/token`, `GET ${base}/api/clients`, `GET ${base}/api/grants?statuses=active`])
    expect(new URLSearchParams(fetch.calls[0]?.body).get('scope')).toBe('cds_client_admin')
    expect(fetch.calls[1]?.headers.authorization).toBe('Bearer at-1')
    expect(cds.clients).toBe(cds.clients)
  })

  it('CDS-WG3-01 §10 a listing the server does not offer is MISSING_ENDPOINT', async () => {
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) }, { client: { client_id: 'c1', client_secret: 's1' } })
    await expect(cds.customerData('token').accounts.list()).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
    await expect(cds.serverProvidedFiles('token').list()).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
  })

  it('a bare access token is sent as given, never renewed', async () => {
    const fetch = fakeFetch({ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base, { cds_accounts_api: `${base}/api/accounts` }) }, { fetch })
    await expect(cds.customerData('raw-token').accounts.list()).rejects.toMatchObject({ code: 'WWW_AUTHENTICATE_ERROR', error: 'invalid_token' })
    expect(fetch.calls).toHaveLength(1)
    expect(fetch.calls[0]?.headers.authorization).toBe('Bearer raw-token')
  })

  it('RFC 6750 §5.3 tokens go only to origins of the metadata (or ones the caller adds)', async () => {
    const fetch = fakeFetch({ json: { grant_id: 'g' } })
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) }, { fetch, trustedOrigins: ['https://files.example'] })
    await expect(cds.serverProvidedFiles('t').download('https://elsewhere.example/f')).rejects.toMatchObject({ code: 'UNTRUSTED_ORIGIN' })
    expect((await cds.serverProvidedFiles('t').download('https://files.example/f')).status).toBe(200)
    expect(fetch.calls.map((c) => c.url)).toEqual(['https://files.example/f'])
  })

  it('CDS-WG1-02 §3.3.2 builds Grant Admin token requests from the Scope Descriptions', () => {
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) })
    expect(cds.grantAdmin({ grant_id: 'g', client_id: 'c' })).toEqual({ scope: 'cds_grant_admin_1', authorization_details: [{ type: 'cds_grant_admin_1', grant_id: 'g', client_id: 'c' }] })
    const none = new CdsClient({ authorizationServer: fakeAuthorizationServer(base, { cds_scope_descriptions: {} }) })
    expect(() => none.grantAdmin({ grant_id: 'g', client_id: 'c' })).toThrow(expect.objectContaining({ code: 'MISSING_ENDPOINT' }) as Error)
  })

  it('CDS-WG3-01 §5 forClient reads the Client object’s own metadata', async () => {
    const own = `${base}/clients/c1/cds-server-metadata.json`
    const serverMetadata = {
      cds_metadata_version: 'v1',
      cds_metadata_url: own,
      created: '2025-01-01T00:00:00Z',
      updated: '2025-01-01T00:00:00Z',
      name: 'Demo',
      description: 'Demo',
      website: base,
      documentation: base,
      support: base,
      capabilities: ['oauth'],
      oauth_metadata: `${base}/clients/c1/oauth-metadata`,
    }
    const fetch = fakeFetch({ json: serverMetadata }, { json: fakeAuthorizationServer(base, { cds_accounts_api: `${base}/api/c1/accounts` }) })
    const cds = await CdsClient.forClient({ cds_server_metadata: own }, { client_id: 'c1', client_secret: 's1' }, { fetch })
    expect(fetch.calls.map((c) => c.url)).toEqual([own, `${base}/clients/c1/oauth-metadata`])
    expect(cds.clientId).toBe('c1')
    expect(cds.authorizationServer.cds_accounts_api).toBe(`${base}/api/c1/accounts`)
  })

  it('needs credentials for tokens and authorizations, and checks whose authorization comes back', async () => {
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base) })
    await expect(cds.token()).rejects.toThrow(TypeError)
    await expect(cds.authorizationUrl()).rejects.toThrow(TypeError)
    const other = cds.withClient({ client_id: 'c2', client_secret: 's2' })
    expect(other.clientId).toBe('c2')
    const pending = { url: '', client_id: 'c1', state: 's', code_verifier: 'v', redirect_uri: undefined, scope: undefined, authorization_details: undefined, request_uri: undefined, request_uri_expires_at: undefined }
    await expect(other.handleCallback('https://app.example/cb?code=x&state=s', pending)).rejects.toThrow(/started by c1/)
  })
})
