import { describe, expect, it } from 'vitest'
import { buildAuthorizationUrl, validateAuthorizationResponse } from './authorization.js'
import { CdsAuthorizationError, CdsProtocolError } from './errors.js'
import { calculateCodeChallenge } from './pkce.js'
import { fakeFetch, metadataFor } from '../test/fake-fetch.js'

const base = 'https://utility.example'
const as = metadataFor(base)
const client = { client_id: 'c1', client_secret: 's1' }
const details = [{ type: 'cds_usage', account_numbers: ['_all'] }]

describe('CDS-WG3-01 §9.1.1 authorization URLs', () => {
  it('RFC 9126 pushes every parameter; the URL keeps client_id and request_uri only', async () => {
    const fetch = fakeFetch({ status: 201, json: { request_uri: 'urn:ietf:params:oauth:request_uri:abc', expires_in: 90 } })
    const pending = await buildAuthorizationUrl(as, client, { redirect_uri: 'https://app.example/cb', scope: ['cds_usage'], authorization_details: details, cds_grant_id: 'g1', prompt: 'login' }, { fetch, now: () => 1_000 })
    expect(pending.url).toBe(`${base}/authorize?client_id=c1&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc`)
    expect(pending).toMatchObject({ client_id: 'c1', redirect_uri: 'https://app.example/cb', scope: 'cds_usage', request_uri: 'urn:ietf:params:oauth:request_uri:abc', request_uri_expires_at: 91_000 })
    const call = fetch.calls[0]
    expect(call?.url).toBe(`${base}/par`)
    expect(call?.headers.authorization).toBe(`Basic ${btoa('c1:s1')}`)
    const form = Object.fromEntries(new URLSearchParams(call?.body))
    expect(form).toEqual({
      response_type: 'code',
      client_id: 'c1',
      redirect_uri: 'https://app.example/cb',
      scope: 'cds_usage',
      state: pending.state,
      code_challenge: await calculateCodeChallenge(pending.code_verifier),
      code_challenge_method: 'S256',
      authorization_details: JSON.stringify(details),
      cds_grant_id: 'g1',
      prompt: 'login',
    })
  })

  it('without PAR the parameters ride in the query; defaults are left to the server', async () => {
    const { pushed_authorization_request_endpoint: _par, ...noPar } = as
    const pending = await buildAuthorizationUrl(noPar, client, { state: 'fixed' })
    const url = new URL(pending.url)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'c1',
      state: 'fixed',
      code_challenge: await calculateCodeChallenge(pending.code_verifier),
      code_challenge_method: 'S256',
    })
    expect(pending.redirect_uri).toBeUndefined()
    expect(pending.request_uri).toBeUndefined()
    await expect(buildAuthorizationUrl(noPar, client, { par: 'always' })).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
    await expect(buildAuthorizationUrl({ ...as, require_pushed_authorization_requests: true }, client, { par: 'never' })).rejects.toThrow(TypeError)
    const { authorization_endpoint: _a, ...none } = as
    await expect(buildAuthorizationUrl(none, client)).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
  })

  it('a refused push is a typed error', async () => {
    const fetch = fakeFetch({ status: 400, json: { error: 'invalid_authorization_details', error_description: 'unknown field' } })
    await expect(buildAuthorizationUrl(as, client, { authorization_details: details }, { fetch })).rejects.toMatchObject({ error: 'invalid_authorization_details', status: 400 })
  })
})

describe('RFC 6749 §4.1.2 authorization responses', () => {
  const pending = { state: 's-123' }

  it('returns the code when state (and iss, when present) match', () => {
    expect(validateAuthorizationResponse(as, 'https://app.example/cb?code=abc&state=s-123', pending)).toEqual({ code: 'abc', state: 's-123', iss: undefined })
    expect(validateAuthorizationResponse(as, new URLSearchParams({ code: 'abc', state: 's-123', iss: base }), pending).iss).toBe(base)
  })

  it('checks the state before anything else', () => {
    const wrong = () => validateAuthorizationResponse(as, 'https://app.example/cb?error=access_denied&state=other', pending)
    expect(wrong).toThrow(CdsProtocolError)
    expect(wrong).toThrow(expect.objectContaining({ code: 'STATE_MISMATCH' }) as Error)
    expect(() => validateAuthorizationResponse(as, 'https://app.example/cb?code=abc', pending)).toThrow(/no state/)
  })

  it('RFC 9207 refuses another issuer', () => {
    expect(() => validateAuthorizationResponse(as, `https://app.example/cb?code=a&state=s-123&iss=${encodeURIComponent('https://evil.example')}`, pending)).toThrow(
      expect.objectContaining({ code: 'ISSUER_MISMATCH' }) as Error,
    )
  })

  it('§4.1.2.1 turns an error into CdsAuthorizationError with every parameter', () => {
    let failure: unknown
    try {
      validateAuthorizationResponse(as, 'https://app.example/cb?error=cds_grant_id_invalid_value&error_description=no+such+grant&state=s-123', pending)
    } catch (e) {
      failure = e
    }
    expect(failure).toBeInstanceOf(CdsAuthorizationError)
    expect(failure).toMatchObject({ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'cds_grant_id_invalid_value', error_description: 'no such grant', state: 's-123' })
    expect((failure as CdsAuthorizationError).parameters.get('error')).toBe('cds_grant_id_invalid_value')
  })

  it('a response with neither code nor error is MISSING_CODE', () => {
    expect(() => validateAuthorizationResponse(as, 'https://app.example/cb?state=s-123&code=', pending)).toThrow(expect.objectContaining({ code: 'MISSING_CODE' }) as Error)
  })
})
