import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'
import { processRegistrationResponse, registrationRequest } from './registration.js'
import { fakeFetch, metadataFor } from '../test/fake-fetch.js'

const as = metadataFor('https://utility.example')

describe('CDS-WG1-02 §4.1 registration requests', () => {
  it('posts RFC 7591 metadata with the scope string and registration field values, decimals exact', async () => {
    const fetch = fakeFetch({ status: 201, json: {} })
    await registrationRequest(as, { scope: ['cds_client_admin', 'cds_usage', 'cds_usage'], client_name: 'Acme', cds_company_name: 'Acme Inc.', cds_fee: Decimal.from('9.90') }, { fetch, initialAccessToken: 'iat' })
    const call = fetch.calls[0]
    expect(call?.url).toBe('https://utility.example/register')
    expect(call?.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer iat' })
    expect(call?.body).toBe('{"scope":"cds_client_admin cds_usage","client_name":"Acme","cds_company_name":"Acme Inc.","cds_fee":9.90}')
  })

  it('asks for cds_client_admin and only for described scopes', async () => {
    const fetch = fakeFetch({ status: 201, json: {} })
    await expect(registrationRequest(as, { scope: 'cds_usage' }, { fetch })).rejects.toThrow(/cds_client_admin/)
    await expect(registrationRequest(as, { scope: 'cds_client_admin openid profile' }, { fetch })).rejects.toThrow(/openid profile/)
    expect(fetch.calls).toHaveLength(0)
  })

  it('needs a registration_endpoint', async () => {
    const { registration_endpoint: _endpoint, ...clientSpecific } = as
    await expect(registrationRequest(clientSpecific, { scope: 'cds_client_admin' })).rejects.toMatchObject({ code: 'MISSING_ENDPOINT' })
  })
})

describe('CDS-WG1-02 §4.2 registration responses', () => {
  it('RFC 7591 §3.2.1 expects 201', async () => {
    const response = new Response(JSON.stringify({ client_id: 'x' }), { status: 200, headers: { 'content-type': 'application/json' } })
    await expect(processRegistrationResponse(response)).rejects.toMatchObject({ code: 'UNEXPECTED_STATUS', status: 200 })
  })

  it('RFC 7591 §3.2.2 passes the error body on', async () => {
    const response = new Response(JSON.stringify({ error: 'invalid_redirect_uri' }), { status: 400, headers: { 'content-type': 'application/json' } })
    await expect(processRegistrationResponse(response)).rejects.toMatchObject({ code: 'RESPONSE_BODY_ERROR', error: 'invalid_redirect_uri' })
  })
})
