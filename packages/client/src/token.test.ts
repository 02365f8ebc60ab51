import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'
import { CdsProtocolError, CdsResponseError } from './errors.js'
import {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  clientSecretBasic,
  processTokenResponse,
  refreshTokenGrantRequest,
  scopeString,
} from './token.js'
import { fakeFetch } from '../test/fake-fetch.js'

const as = { token_endpoint: 'https://utility.example/oauth/token' }
const client = { client_id: 'client 1', client_secret: 'p@ss:wörd+' }
const tokenJson = { access_token: 'at', token_type: 'Bearer', expires_in: 3600, scope: 'cds_client_admin' }

describe('RFC 6749 §2.3.1 client_secret_basic', () => {
  it('form-urlencodes both values before base64', () => {
    expect(clientSecretBasic(client)).toBe(`Basic ${btoa('client+1:p%40ss%3Aw%C3%B6rd%2B')}`)
    expect(clientSecretBasic({ client_id: 'abc', client_secret: 'def' })).toBe(`Basic ${btoa('abc:def')}`)
  })

  it('refuses to send without a secret', async () => {
    await expect(clientCredentialsGrantRequest(as, { client_id: 'x', client_secret: '' })).rejects.toThrow(TypeError)
  })
})

describe('RFC 6749 §3.3 scopes', () => {
  it('joins lists, drops duplicates and empty tokens', () => {
    expect(scopeString(['a', 'b', 'a'])).toBe('a b')
    expect(scopeString(' a  b ')).toBe('a b')
    expect(scopeString([])).toBe('')
  })
})

describe('RFC 6749 §4 grant requests', () => {
  it('§4.4.2 client_credentials with scope and RAR entries, decimals exact', async () => {
    const fetch = fakeFetch({ json: tokenJson })
    await clientCredentialsGrantRequest(as, client, { scope: ['cds_grant_admin_1'], authorization_details: [{ type: 'cds_grant_admin_1', grant_id: 'g', client_id: 'c', limit: Decimal.from('1.50') }] }, { fetch })
    const call = fetch.calls[0]
    expect(call?.method).toBe('POST')
    expect(call?.url).toBe(as.token_endpoint)
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(call?.body)
    expect(form.get('grant_type')).toBe('client_credentials')
    expect(form.get('scope')).toBe('cds_grant_admin_1')
    expect(form.get('authorization_details')).toBe('[{"type":"cds_grant_admin_1","grant_id":"g","client_id":"c","limit":1.50}]')
  })

  it('§4.1.3 authorization_code carries the code, redirect URI and PKCE verifier', async () => {
    const fetch = fakeFetch({ json: tokenJson })
    await authorizationCodeGrantRequest(as, client, { code: 'c0de', redirect_uri: 'https://app.example/cb', code_verifier: 'v'.repeat(43) }, { fetch })
    expect(Object.fromEntries(new URLSearchParams(fetch.calls[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c0de',
      code_verifier: 'v'.repeat(43),
      redirect_uri: 'https://app.example/cb',
    })
  })

  it('§6 refresh_token, optionally narrowing the scope', async () => {
    const fetch = fakeFetch({ json: tokenJson })
    await refreshTokenGrantRequest(as, client, { refresh_token: 'rt', scope: 'a' }, { fetch })
    expect(Object.fromEntries(new URLSearchParams(fetch.calls[0]?.body))).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt', scope: 'a' })
  })
})

describe('RFC 6749 §5 token responses', () => {
  const respond = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

  it('§5.1 accepts Bearer in any case and keeps extra members', async () => {
    const tokens = await processTokenResponse(respond(200, { ...tokenJson, token_type: 'bearer', cds_grant_ids: ['g1'], x: 1 }))
    expect(tokens).toMatchObject({ access_token: 'at', token_type: 'bearer', cds_grant_ids: ['g1'], x: 1 })
  })

  it('refuses another token type, a missing access_token, and a non-JSON body', async () => {
    await expect(processTokenResponse(respond(200, { ...tokenJson, token_type: 'DPoP' }))).rejects.toMatchObject({ code: 'UNSUPPORTED_TOKEN_TYPE' })
    const missing = await processTokenResponse(respond(200, { token_type: 'Bearer' })).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(CdsProtocolError)
    expect(missing).toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ keyword: 'required' })] })
    const html = new Response('<html/>', { status: 200, headers: { 'content-type': 'text/html' } })
    await expect(processTokenResponse(html)).rejects.toMatchObject({ code: 'INVALID_CONTENT_TYPE' })
    const broken = new Response('{"access_token":', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } })
    await expect(processTokenResponse(broken)).rejects.toMatchObject({ code: 'INVALID_JSON' })
  })

  it('§5.2 an error body is a CdsResponseError', async () => {
    const failure = await processTokenResponse(respond(400, { error: 'invalid_grant', error_description: 'expired code' })).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ error: 'invalid_grant', error_description: 'expired code', status: 400 })
  })
})
