/**
 * Token introspection (RFC 7662), required by CDS-WG1-02 §3.2: a protected endpoint, the active
 * and inactive answers, and the privacy rule that a registration only learns about its own tokens
 * (A-39).
 *
 * @module
 */
import { IntrospectionResponse } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { basicAuthorization } from '../../core/http.js'
import { introspect, labRegistration } from './lab.js'

/** A fresh `cds_client_admin` token of the shared registration, with its credentials. */
async function freshAdminToken(ctx: CheckContext) {
  const { admin } = await ctx.registration()
  return { admin, token: await ctx.clientToken(admin, 'cds_client_admin') }
}

/** The checks of RFC 7662. */
export const introspectionChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC7662-01',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7662 §2.1)',
    title: 'the introspection endpoint is protected: no or wrong client authentication is 401 invalid_client',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin, token } = await freshAdminToken(ctx)
      const url = await ctx.endpoint('introspection_endpoint')
      ctx.expectError(await ctx.request({ url, form: { token } }), 401, 'invalid_client')
      ctx.expectError(await ctx.request({ url, headers: { authorization: basicAuthorization(admin.client_id, `${admin.client_secret}x`) }, form: { token } }), 401, 'invalid_client')
      // RFC 7662 §2.1: a bearer token may not stand in for client authentication unless the server says so.
      const bearer = await ctx.request({ url, bearer: token, form: { token } })
      ctx.assert(bearer.status === 401 || bearer.json<Json>().active !== true, 'the endpoint introspected a token for a caller that only sent a bearer token')
    },
  }),
  defineCheck({
    id: 'RFC7662-02',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7662 §2.2)',
    title: 'an active token introspects as active with its scope, client_id, token_type Bearer, exp and iat',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin, token } = await freshAdminToken(ctx)
      const answer = await introspect(ctx, admin, token)
      ctx.conforms(IntrospectionResponse, answer, 'the introspection response')
      ctx.assert(answer.active === true, 'a fresh token introspects as inactive')
      ctx.assert(answer.scope === 'cds_client_admin', `scope is ${JSON.stringify(answer.scope)}`)
      ctx.assert(answer.client_id === admin.client_id, `client_id is ${JSON.stringify(answer.client_id)}`)
      ctx.assert(typeof answer.token_type === 'string' && answer.token_type.toLowerCase() === 'bearer', `token_type is ${JSON.stringify(answer.token_type)}`)
      const now = Date.now() / 1000
      ctx.assert(Number.isInteger(answer.exp) && Number(answer.exp) > now, `exp ${JSON.stringify(answer.exp)} is not a time in the future`)
      ctx.assert(Number.isInteger(answer.iat) && Math.abs(Number(answer.iat) - now) < 3600, `iat ${JSON.stringify(answer.iat)} is not the time of issue`)
      if ('iss' in answer) ctx.assert(answer.iss === (await ctx.oauthMetadata()).issuer, `iss ${JSON.stringify(answer.iss)} is not the issuer`)
    },
  }),
  defineCheck({
    id: 'RFC7662-03',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7662 §2.2)',
    title: 'an unknown or revoked token introspects as exactly {"active": false}',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin, token } = await freshAdminToken(ctx)
      const garbage = await introspect(ctx, admin, 'cds-conformance-not-a-token')
      ctx.assert(JSON.stringify(garbage) === '{"active":false}', `an unknown token introspects as ${JSON.stringify(garbage)}`)
      const revoked = await ctx.request({ url: await ctx.endpoint('revocation_endpoint'), basic: admin, form: { token } })
      ctx.expectStatus(revoked, 200)
      const after = await introspect(ctx, admin, token)
      ctx.assert(JSON.stringify(after) === '{"active":false}', `a revoked token introspects as ${JSON.stringify(after)}`)
    },
  }),
  defineCheck({
    id: 'RFC7662-04',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7662 §2.1)',
    title: 'an introspection request without token is 400 invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { admin } = await ctx.registration()
      ctx.expectError(await ctx.request({ url: await ctx.endpoint('introspection_endpoint'), basic: admin, form: { token_type_hint: 'access_token' } }), 400, 'invalid_request')
    },
  }),
  defineCheck({
    id: 'RFC7662-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 7662 §4, A-39)',
    title: 'another registration\'s token introspects as inactive',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { token } = await freshAdminToken(ctx)
      const other = await labRegistration(ctx)
      const shared = await ctx.registration()
      if (other.admin.client_id === shared.admin.client_id) ctx.skip('the run may not make a second registration')
      const answer = await introspect(ctx, other.admin, token)
      ctx.assert(JSON.stringify(answer) === '{"active":false}', `another registration's token introspects as ${JSON.stringify(answer)}`)
      // The owner still sees it as active: the answer above is the privacy rule, not a dead token.
      ctx.assert((await introspect(ctx, shared.admin, token)).active === true, 'the token is not active for its own registration')
    },
  }),
]
