/**
 * The token endpoint in the CDS profile of RFC 6749 (CDS-WG1-02 §3.2, §3.3.1): POST with a form
 * body, HTTP Basic client authentication, the `client_credentials` grant, the token response and
 * its error codes; RFC 6750 §4 for `token_type`.
 *
 * @module
 */
import { TokenResponse } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { basicAuthorization } from '../../core/http.js'
import { challengeScheme, labCodeClient, tokenRequest } from './lab.js'

/** A fresh client_credentials token response of the shared registration's admin object. */
async function adminTokenResponse(ctx: CheckContext, form: Record<string, string> = { scope: 'cds_client_admin' }) {
  const registration = await ctx.registration()
  return tokenRequest(ctx, registration.admin, { grant_type: 'client_credentials', ...form })
}

/** Percent-encodes the first character of a value (RFC 6749 §2.3.1 allows any form-encoding). */
function encodeFirst(value: string): string {
  const first = value.codePointAt(0) ?? 0
  return `%${first.toString(16).toUpperCase().padStart(2, '0')}${value.slice(1)}`
}

/** The checks of the token endpoint. */
export const tokenChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC6749-01',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §3.2)',
    title: 'the token endpoint takes POST with a form body only: GET is refused (405) and a JSON body is invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const registration = await ctx.registration()
      const url = new URL(await ctx.endpoint('token_endpoint'))
      url.searchParams.set('grant_type', 'client_credentials')
      url.searchParams.set('scope', 'cds_client_admin')
      const get = await ctx.request({ url, basic: registration.admin })
      ctx.assert(get.status === 405, `GET on the token endpoint answered ${get.status}, expected 405: ${get.text.slice(0, 200)}`)
      const json = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: registration.admin, json: { grant_type: 'client_credentials', scope: 'cds_client_admin' } })
      ctx.expectError(json, 400, 'invalid_request')
    },
  }),
  defineCheck({
    id: 'RFC6749-02',
    spec: 'CDS-WG1-02',
    section: '§3.3.1 (RFC 6749 §2.3.1)',
    title: 'HTTP Basic client authentication works, with id and secret form-urlencoded before Base64',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      ctx.expectStatus(await adminTokenResponse(ctx), 200)
      // The same secret with its first character percent-encoded: the server form-decodes each part.
      const encoded = await ctx.request({
        url: await ctx.endpoint('token_endpoint'),
        headers: { authorization: `Basic ${btoa(`${encodeURIComponent(admin.client_id)}:${encodeFirst(admin.client_secret)}`)}` },
        form: { grant_type: 'client_credentials', scope: 'cds_client_admin' },
      })
      ctx.assert(encoded.status === 200, `Basic credentials with a percent-encoded character in the secret answered ${encoded.status}: ${encoded.text.slice(0, 200)}`)
    },
  }),
  defineCheck({
    id: 'RFC6749-03',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §5.2)',
    title: 'a wrong or missing client authentication is 401 invalid_client with a WWW-Authenticate: Basic challenge',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      const wrong = await ctx.request({
        url: await ctx.endpoint('token_endpoint'),
        headers: { authorization: basicAuthorization(admin.client_id, `${admin.client_secret}x`) },
        form: { grant_type: 'client_credentials', scope: 'cds_client_admin' },
      })
      ctx.expectError(wrong, 401, 'invalid_client')
      ctx.assert(challengeScheme(wrong) === 'basic', `the 401 carries WWW-Authenticate ${JSON.stringify(wrong.headers.get('www-authenticate'))}, not a Basic challenge`)
      const missing = await tokenRequest(ctx, undefined, { grant_type: 'client_credentials', scope: 'cds_client_admin' })
      ctx.expectError(missing, 401, 'invalid_client')
    },
  }),
  defineCheck({
    id: 'RFC6749-04',
    spec: 'CDS-WG1-02',
    section: '§3.3.1 (RFC 6749 §4.4)',
    title: 'client_credentials works with and without scope and issues no refresh token',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const form of [{ scope: 'cds_client_admin' }, {}] as Record<string, string>[]) {
        const response = await adminTokenResponse(ctx, form)
        ctx.expectStatus(response, 200)
        const body = response.json<Json>()
        ctx.assert(typeof body.access_token === 'string', 'no access_token')
        ctx.assert(!('refresh_token' in body), 'a client_credentials token response carries a refresh_token')
      }
    },
  }),
  defineCheck({
    id: 'RFC6749-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §5.1)',
    title: 'the token response is JSON with access_token, token_type, expires_in and scope, and is sent with Cache-Control: no-store and Pragma: no-cache',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await adminTokenResponse(ctx, {})
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the token response is ${response.mediaType || 'untyped'}`)
      ctx.assert(/(^|,)\s*no-store\s*(,|$)/i.test(response.headers.get('cache-control') ?? ''), `Cache-Control is ${JSON.stringify(response.headers.get('cache-control'))}, not no-store`)
      ctx.assert(/no-cache/i.test(response.headers.get('pragma') ?? ''), `Pragma is ${JSON.stringify(response.headers.get('pragma'))}, not no-cache`)
      const body = response.json<Json>()
      ctx.conforms(TokenResponse, body, 'the token response')
      if ('expires_in' in body) ctx.assert(Number.isInteger(body.expires_in) && Number(body.expires_in) > 0, `expires_in is ${JSON.stringify(body.expires_in)}`)
      // The request named no scope, so the granted one differs from it and must be stated.
      ctx.assert(body.scope === 'cds_client_admin', `scope is ${JSON.stringify(body.scope)}, expected the granted "cds_client_admin"`)
    },
  }),
  defineCheck({
    id: 'RFC6749-06',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §5.2)',
    title: 'token errors use the RFC 6749 codes: unsupported_grant_type, invalid_scope, unauthorized_client, invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      ctx.expectError(await tokenRequest(ctx, admin, { grant_type: 'password', username: 'a', password: 'b' }), 400, 'unsupported_grant_type')
      ctx.expectError(await tokenRequest(ctx, admin, { grant_type: 'client_credentials', scope: 'cds-conformance-no-such-scope' }), 400, 'invalid_scope')
      ctx.expectError(await tokenRequest(ctx, admin, { scope: 'cds_client_admin' }), 400, 'invalid_request')
      // The admin object is registered for client_credentials only.
      const code = await tokenRequest(ctx, admin, { grant_type: 'authorization_code', code: 'conformance-not-a-code', redirect_uri: 'https://client.conformance.example/cb', code_verifier: 'a'.repeat(43) })
      ctx.expectError(code, 400, 'unauthorized_client')
      // A code-flow object may not use client_credentials.
      const client = await labCodeClient(ctx)
      if (!(client.client.grant_types as string[]).includes('client_credentials')) {
        ctx.expectError(await tokenRequest(ctx, client.credentials, { grant_type: 'client_credentials', scope: client.scope }), 400, ['unauthorized_client', 'invalid_scope'])
      }
    },
  }),
  defineCheck({
    id: 'RFC6750-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6750 §4)',
    title: 'token responses carry token_type Bearer (compared without case)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await adminTokenResponse(ctx)
      ctx.expectStatus(response, 200)
      const type = response.json<Json>().token_type
      ctx.assert(typeof type === 'string' && type.toLowerCase() === 'bearer', `token_type is ${JSON.stringify(type)}`)
    },
  }),
]
