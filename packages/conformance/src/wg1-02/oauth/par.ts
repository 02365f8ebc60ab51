/**
 * Pushed authorization requests (RFC 9126), required by CDS-WG1-02 §3.2 when a scope offers the
 * code flow: the endpoint, its direct errors, and how the authorization endpoint uses a
 * `request_uri` (CDS-WG1-02 §8.3 for `cds_grant_id` inside a pushed request).
 *
 * @module
 */
import { PushedAuthorizationResponse } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { basicAuthorization } from '../../core/http.js'
import { authorizationParams, authorize, expectClientError, expectContinues, expectShown, labCodeClient, labRegistration, push, type CodeClient } from './lab.js'

/** Pushes a valid request and returns its `request_uri`. */
async function pushed(ctx: CheckContext, client: CodeClient, overrides: Record<string, string | undefined> = {}): Promise<{ request_uri: string; params: Record<string, string | string[] | undefined> }> {
  const params = await authorizationParams(client, overrides)
  const response = await push(ctx, client, params)
  ctx.expectStatus(response, 201)
  const request_uri = response.json<Json>().request_uri
  ctx.assert(typeof request_uri === 'string', 'the PAR response has no request_uri')
  return { request_uri, params }
}

/** The PAR endpoint; not applicable when the server publishes none. */
async function parEndpoint(ctx: CheckContext): Promise<string> {
  return ctx.endpoint('pushed_authorization_request_endpoint')
}

/** The checks of RFC 9126. */
export const parChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC9126-01',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §2.1–§2.2)',
    title: 'a pushed request with Basic client authentication answers 201 with a request_uri URN and a positive expires_in',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const response = await push(ctx, client, await authorizationParams(client))
      ctx.expectStatus(response, 201)
      ctx.assert(response.mediaType === 'application/json', `the PAR response is ${response.mediaType || 'untyped'}`)
      const body = response.json<Json>()
      ctx.conforms(PushedAuthorizationResponse, body, 'the PAR response')
      ctx.assert(String(body.request_uri).startsWith('urn:ietf:params:oauth:request_uri:'), `request_uri ${String(body.request_uri)} is not an RFC 9126 URN`)
      ctx.assert(Number.isInteger(body.expires_in) && Number(body.expires_in) > 0, `expires_in is ${JSON.stringify(body.expires_in)}`)
    },
  }),
  defineCheck({
    id: 'RFC9126-02',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §2.3)',
    title: 'a pushed request is validated like an authorization request, and its errors are answered directly as JSON',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const cases: [string, Record<string, string | undefined>, string][] = [
        ['an unregistered redirect_uri', { redirect_uri: 'https://attacker.conformance.example/cb' }, 'invalid_request'],
        ['an unknown scope', { scope: 'cds-conformance-no-such-scope' }, 'invalid_scope'],
        ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
        ['an unknown authorization_details type', { authorization_details: JSON.stringify([{ type: 'cds-conformance-no-such-type' }]) }, 'invalid_authorization_details'],
      ]
      for (const [what, overrides, error] of cases) {
        const response = await push(ctx, client, await authorizationParams(client, overrides))
        ctx.assert(response.headers.get('location') === null, `${what}: the PAR endpoint redirected`)
        ctx.expectError(response, 400, what === 'response_type=token' ? [error, 'invalid_request', 'unauthorized_client'] : error)
      }
      const wrong = await ctx.request({
        url: await parEndpoint(ctx),
        headers: { authorization: basicAuthorization(client.credentials.client_id, `${client.credentials.client_secret}x`) },
        form: await authorizationParams(client),
      })
      ctx.expectError(wrong, 401, 'invalid_client')
    },
  }),
  defineCheck({
    id: 'RFC9126-03',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §2.1)',
    title: 'a request_uri inside a pushed request is invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const { request_uri } = await pushed(ctx, client)
      ctx.expectError(await push(ctx, client, await authorizationParams(client, { request_uri })), 400, 'invalid_request')
    },
  }),
  defineCheck({
    id: 'RFC9126-04',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §2.1)',
    title: 'the PAR endpoint takes POST only (GET is 405)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const url = new URL(await parEndpoint(ctx))
      for (const [name, value] of Object.entries(await authorizationParams(client))) if (typeof value === 'string') url.searchParams.set(name, value)
      const response = await ctx.request({ url, basic: client.credentials })
      ctx.assert(response.status === 405, `GET on the PAR endpoint answered ${response.status}, expected 405`)
    },
  }),
  defineCheck({
    id: 'RFC9126-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §4)',
    title: 'the authorization endpoint takes client_id with request_uri: another client_id is shown an error, and the pushed parameters win over the query',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const registration = await labRegistration(ctx)
      const first = await pushed(ctx, client)
      // Query parameters besides client_id and request_uri are ignored: a bad response_type here changes nothing.
      expectContinues(ctx, await authorize(ctx, { client_id: String(client.client.client_id), request_uri: first.request_uri, response_type: 'token', state: 'query-state' }, client.redirect_uris), 'a pushed request with other parameters in the query')
      const second = await pushed(ctx, client)
      const mismatch = await authorize(ctx, { client_id: registration.admin.client_id, request_uri: second.request_uri }, client.redirect_uris)
      expectShown(ctx, mismatch, 'a request_uri presented with another client_id', client.redirect_uri)
    },
  }),
  defineCheck({
    id: 'RFC9126-06',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §4, §7.3)',
    title: 'a used or unknown request_uri is refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const { request_uri, params } = await pushed(ctx, client)
      const use = { client_id: String(client.client.client_id), request_uri }
      expectContinues(ctx, await authorize(ctx, use, client.redirect_uris), 'the first use of a request_uri')
      const again = await authorize(ctx, use, client.redirect_uris)
      if (again.kind === 'client') expectClientError(ctx, again, ['invalid_request', 'invalid_request_uri'], String(params.state))
      else expectShown(ctx, again, 'a request_uri used a second time')
      const unknown = await authorize(ctx, { client_id: String(client.client.client_id), request_uri: 'urn:ietf:params:oauth:request_uri:cds-conformance-unknown' }, client.redirect_uris)
      if (unknown.kind === 'client') expectClientError(ctx, unknown, ['invalid_request', 'invalid_request_uri'])
      else expectShown(ctx, unknown, 'an unknown request_uri')
    },
  }),
  defineCheck({
    id: 'RFC9126-07',
    also: ['R1-02-8.3-04'],
    spec: 'CDS-WG1-02',
    section: '§8.3 (RFC 9126 §4)',
    title: 'cds_grant_id inside a pushed request is read: a bogus one comes back as cds_grant_id_invalid_value',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await parEndpoint(ctx)
      const client = await labCodeClient(ctx)
      const { request_uri, params } = await pushed(ctx, client, { cds_grant_id: 'cds-conformance-no-such-grant', prompt: 'login' })
      const outcome = await authorize(ctx, { client_id: String(client.client.client_id), request_uri }, client.redirect_uris)
      expectClientError(ctx, outcome, 'cds_grant_id_invalid_value', String(params.state))
    },
  }),
  defineCheck({
    id: 'RFC9126-08',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9126 §5)',
    title: 'require_pushed_authorization_requests is kept: with true a query request is invalid_request, with false it is served',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const client = await labCodeClient(ctx)
      const params = await authorizationParams(client)
      const outcome = await authorize(ctx, params, client.redirect_uris)
      const required = asm.require_pushed_authorization_requests === true || client.client.require_pushed_authorization_requests === true
      if (required) expectClientError(ctx, outcome, 'invalid_request', String(params.state))
      else expectContinues(ctx, outcome, 'a request in the query while PAR is not required')
    },
  }),
]
