import { describe, expect, it } from 'vitest'
import { CdsProtocolError, CdsResponseError } from './errors.js'
import { bearerChallenge, checkUrl, expectStatus, send, unexpectedResponse } from './http.js'
import { fakeFetch } from '../test/fake-fetch.js'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('RFC 6750 §3 Bearer challenges', () => {
  it('reads error, error_description and error_uri, quoted or not', () => {
    expect(bearerChallenge('Bearer realm="cds", error="invalid_token", error_description="the token expired"')).toEqual({
      error: 'invalid_token',
      error_description: 'the token expired',
    })
    expect(bearerChallenge('Bearer error=insufficient_scope, error_uri="https://x.example/e"')).toEqual({ error: 'insufficient_scope', error_uri: 'https://x.example/e' })
    expect(bearerChallenge('Bearer error="a \\"quoted\\" code"')).toEqual({ error: 'a "quoted" code' })
  })

  it('finds the Bearer challenge among others and ignores challenges without an error', () => {
    expect(bearerChallenge('Basic realm="x", Bearer error="invalid_token"')).toEqual({ error: 'invalid_token' })
    expect(bearerChallenge('Bearer realm="x", Basic error="nope"')).toBeUndefined()
    expect(bearerChallenge('Bearer')).toBeUndefined()
    expect(bearerChallenge('Basic realm="x"')).toBeUndefined()
    expect(bearerChallenge(null)).toBeUndefined()
  })
})

describe('RFC 6749 §5.2 unexpected answers become typed errors', () => {
  it('an error body is a CdsResponseError with every member', async () => {
    const error = await unexpectedResponse(json(400, { error: 'invalid_request', error_description: 'bad scope', error_uri: 'https://x.example/e', extra: 1 }), [200])
    expect(error).toBeInstanceOf(CdsResponseError)
    expect(error).toMatchObject({ code: 'RESPONSE_BODY_ERROR', error: 'invalid_request', error_description: 'bad scope', error_uri: 'https://x.example/e', status: 400 })
    expect((error as CdsResponseError).body).toMatchObject({ extra: 1 })
    expect(error.message).toBe('400 invalid_request: bad scope')
  })

  it('a 401 with only a challenge is WWW_AUTHENTICATE_ERROR', async () => {
    const error = await unexpectedResponse(new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }), [200])
    expect(error).toMatchObject({ code: 'WWW_AUTHENTICATE_ERROR', error: 'invalid_token', status: 401, wwwAuthenticate: 'Bearer error="invalid_token"' })
  })

  it('anything else is UNEXPECTED_STATUS, a 2xx included', async () => {
    const html = await unexpectedResponse(new Response('<h1>oops</h1>', { status: 502, headers: { 'content-type': 'text/html' } }), [200])
    expect(html).toBeInstanceOf(CdsProtocolError)
    expect(html).toMatchObject({ code: 'UNEXPECTED_STATUS', status: 502 })
    const created = await unexpectedResponse(json(200, { request_uri: 'x' }), [201])
    expect(created).toMatchObject({ code: 'UNEXPECTED_STATUS', status: 200 })
    expect(created.message).toMatch(/expected 201/)
    await expect(expectStatus(new Response(null, { status: 204 }), [200, 202])).rejects.toMatchObject({ code: 'UNEXPECTED_STATUS' })
    await expect(expectStatus(json(202, {}), [200, 202])).resolves.toBeUndefined()
  })
})

describe('CDS-WG1-02 §11.2 transport', () => {
  it('refuses plain http off loopback unless allowed', () => {
    expect(checkUrl('https://utility.example/x').href).toBe('https://utility.example/x')
    expect(checkUrl('http://127.0.0.1:8080/x').host).toBe('127.0.0.1:8080')
    expect(checkUrl('http://localhost/x').hostname).toBe('localhost')
    expect(checkUrl('http://[::1]:3000/').hostname).toBe('[::1]')
    expect(() => checkUrl('http://utility.example/x')).toThrow(expect.objectContaining({ code: 'INSECURE_URL' }) as Error)
    expect(checkUrl('http://utility.example/x', { allowInsecureHttp: true }).protocol).toBe('http:')
    expect(() => checkUrl('ftp://utility.example/x')).toThrow(TypeError)
    expect(() => checkUrl('/relative')).toThrow(TypeError)
  })

  it('sends JSON accept, the caller\u2019s headers, no redirects by default', async () => {
    const fetch = fakeFetch({ json: {} })
    await send(new URL('https://utility.example/x'), { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { fetch, headers: { 'user-agent': 'test' } })
    expect(fetch.calls[0]).toEqual({
      method: 'POST',
      url: 'https://utility.example/x',
      headers: { accept: 'application/json', 'user-agent': 'test', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    })
  })
})
