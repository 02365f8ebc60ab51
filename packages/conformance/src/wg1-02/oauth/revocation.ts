/**
 * Token revocation (RFC 7009), required by CDS-WG1-02 §3.2: client authentication as at the token
 * endpoint, 200 for any token, hints that do not stop a revocation, the family of a refresh token,
 * and tokens of other registrations left alone.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { basicAuthorization } from '../../core/http.js'
import { approvedCode, exchangeOk } from './flows.js'
import { introspect, labCodeClient, labRegistration } from './lab.js'

/** Revokes a token with `credentials` and returns the answer. */
async function revoke(ctx: CheckContext, credentials: { client_id: string; client_secret: string } | undefined, form: Record<string, string>) {
  return ctx.request({ url: await ctx.endpoint('revocation_endpoint'), ...(credentials === undefined ? {} : { basic: credentials }), form })
}

/** Whether the Clients API still takes the token. */
async function clientsApiStatus(ctx: CheckContext, token: string): Promise<number> {
  return (await ctx.request({ url: String((await ctx.oauthMetadata()).cds_clients_api), bearer: token })).status
}

/** The checks of RFC 7009. */
export const revocationChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC7009-01',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.1)',
    title: 'a token revoked with a form POST and Basic authentication stops working at once',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      const token = await ctx.clientToken(admin, 'cds_client_admin')
      ctx.assert((await clientsApiStatus(ctx, token)) === 200, 'the fresh token does not work on the Clients API')
      ctx.expectStatus(await revoke(ctx, admin, { token, token_type_hint: 'access_token' }), 200)
      const after = await clientsApiStatus(ctx, token)
      ctx.assert(after === 401, `the Clients API answered ${after} to the revoked token, expected 401`)
    },
  }),
  defineCheck({
    id: 'RFC7009-02',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.2)',
    title: 'revoking an unknown token answers 200',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      ctx.expectStatus(await revoke(ctx, admin, { token: 'cds-conformance-not-a-token' }), 200)
      ctx.expectStatus(await revoke(ctx, admin, { token: 'cds-conformance-not-a-token', token_type_hint: 'refresh_token' }), 200)
    },
  }),
  defineCheck({
    id: 'RFC7009-03',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.1)',
    title: 'a wrong token_type_hint does not stop the revocation',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      const token = await ctx.clientToken(admin, 'cds_client_admin')
      ctx.expectStatus(await revoke(ctx, admin, { token, token_type_hint: 'refresh_token' }), 200)
      ctx.assert((await introspect(ctx, admin, token)).active === false, 'an access token revoked with token_type_hint=refresh_token is still active')
    },
  }),
  defineCheck({
    id: 'RFC7009-04',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.1)',
    severity: 'SHOULD',
    title: 'revoking a refresh token also ends the access tokens of the same authorization',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      if (!((client.client.grant_types ?? []) as string[]).includes('refresh_token')) ctx.notApplicable('the code-flow Client object is not registered for refresh_token')
      const { code, pending } = await approvedCode(ctx)
      const tokens = await exchangeOk(ctx, pending, code)
      ctx.assert(typeof tokens.refresh_token === 'string', 'the code exchange issued no refresh_token')
      const { admin } = await labRegistration(ctx)
      ctx.assert((await introspect(ctx, admin, String(tokens.access_token))).active === true, 'the fresh access token is not active')
      ctx.expectStatus(await revoke(ctx, client.credentials, { token: tokens.refresh_token, token_type_hint: 'refresh_token' }), 200)
      ctx.assert((await introspect(ctx, admin, tokens.refresh_token)).active !== true, 'the revoked refresh token is still active')
      ctx.assert((await introspect(ctx, admin, String(tokens.access_token))).active === false, 'the access token of the revoked refresh token is still active')
    },
  }),
  defineCheck({
    id: 'RFC7009-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.1, A-39)',
    title: 'a client cannot revoke another registration\'s token',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const shared = await ctx.registration()
      const other = await labRegistration(ctx)
      if (other.admin.client_id === shared.admin.client_id) ctx.skip('the run may not make a second registration')
      const token = await ctx.clientToken(shared.admin, 'cds_client_admin')
      const response = await revoke(ctx, other.admin, { token })
      ctx.expectStatus(response, [200, 400])
      if (response.status === 400) ctx.expectError(response, 400, ['invalid_request', 'unauthorized_client'])
      ctx.assert((await introspect(ctx, shared.admin, token)).active === true, 'another registration revoked the token')
    },
  }),
  defineCheck({
    id: 'RFC7009-06',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7009 §2.2.1)',
    title: 'revocation errors follow RFC 6749 §5.2: wrong or missing client authentication 401 invalid_client, a missing token 400 invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      const token = await ctx.clientToken(admin, 'cds_client_admin')
      const url = await ctx.endpoint('revocation_endpoint')
      ctx.expectError(await ctx.request({ url, headers: { authorization: basicAuthorization(admin.client_id, `${admin.client_secret}x`) }, form: { token } }), 401, 'invalid_client')
      ctx.expectError(await revoke(ctx, undefined, { token }), 401, 'invalid_client')
      ctx.assert((await introspect(ctx, admin, token)).active === true, 'a refused revocation revoked the token')
      ctx.expectError(await revoke(ctx, admin, { token_type_hint: 'access_token' }), 400, 'invalid_request')
      const body = (await revoke(ctx, admin, {})).json<Json>()
      ctx.assert(typeof body.error === 'string', 'the error answer has no error member')
    },
  }),
]
