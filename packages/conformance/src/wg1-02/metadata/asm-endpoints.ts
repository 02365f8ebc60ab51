/**
 * CDS-WG1-02 §3.2: the endpoints the Authorization Server Metadata must publish, each shown to
 * be live (registration, revocation, introspection, PAR, and the four CDS APIs).
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isAbsoluteUrl } from '../../wg1-01/kit.js'
import { authorizationParams, push } from '../oauth/lab.js'
import { confidentialCodeClient, strings } from './kit.js'

/** The CDS APIs §3.2 requires, each read with a Client Admin token. */
const APIS: readonly { id: string; member: string; key: string }[] = [
  { id: 'R1-02-3.2-18', member: 'cds_clients_api', key: 'clients' },
  { id: 'R1-02-3.2-19', member: 'cds_messages_api', key: 'outstanding' },
  { id: 'R1-02-3.2-20', member: 'cds_credentials_api', key: 'credentials' },
  { id: 'R1-02-3.2-21', member: 'cds_grants_api', key: 'grants' },
]

/** A URL member that must be an https endpoint; fails otherwise. */
async function endpointOf(ctx: CheckContext, member: string): Promise<string> {
  const value = (await ctx.oauthMetadata())[member]
  ctx.assert(typeof value === 'string' && isAbsoluteUrl(value), `${member} is ${JSON.stringify(value)}, not a URL`)
  ctx.assert(ctx.isSecureUrl(value), `${member} ${value} is not https`)
  return value
}

/** A fresh Client Admin token of the run's registration (never the shared one, which other checks use). */
async function freshAdminToken(ctx: CheckContext): Promise<string> {
  return ctx.clientToken((await ctx.registration()).admin, 'cds_client_admin')
}

/** The checks of CDS-WG1-02 §3.2 about endpoints. */
export const asmEndpointChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.2-01',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'the public metadata has registration_endpoint, a live RFC 7591 endpoint (an empty request is refused as invalid metadata)',
    async run(ctx: CheckContext) {
      const url = await endpointOf(ctx, 'registration_endpoint')
      const response = await ctx.request({ url, json: {} })
      ctx.expectError(response, 400, 'invalid_client_metadata')
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-07',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'revocation_endpoint is present and works: a revoked Client Admin token no longer opens the Clients API',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const url = await endpointOf(ctx, 'revocation_endpoint')
      const { admin } = await ctx.registration()
      const token = await freshAdminToken(ctx)
      const clients = String((await ctx.oauthMetadata()).cds_clients_api)
      ctx.expectStatus(await ctx.request({ url: clients, bearer: token }), 200)
      ctx.expectStatus(await ctx.request({ url, basic: admin, form: { token, token_type_hint: 'access_token' } }), 200)
      ctx.expectStatus(await ctx.request({ url: clients, bearer: token }), 401)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-08',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'introspection_endpoint is present and works: a live token is active, a made-up one is not',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const url = await endpointOf(ctx, 'introspection_endpoint')
      const { admin } = await ctx.registration()
      const live = await ctx.request({ url, basic: admin, form: { token: await freshAdminToken(ctx) } })
      ctx.expectStatus(live, 200)
      ctx.assert(live.json<Json>().active === true, `a token issued just now introspects as ${live.text.slice(0, 200)}`)
      const made = await ctx.request({ url, basic: admin, form: { token: 'cds-conformance-not-a-token' } })
      ctx.expectStatus(made, 200)
      ctx.assert(made.json<Json>().active === false, `a made-up token introspects as ${made.text.slice(0, 200)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-11',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'with user authorization, pushed_authorization_request_endpoint is present and accepts a pushed request (201)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      if (strings(asm.response_types_supported).length === 0) ctx.notApplicable('response_types_supported is empty: no user authorization')
      await endpointOf(ctx, 'pushed_authorization_request_endpoint')
      const client = await confidentialCodeClient(ctx)
      const response = await push(ctx, client, await authorizationParams(client))
      ctx.expectStatus(response, 201)
      ctx.assert(typeof response.json<Json>().request_uri === 'string', 'the pushed request answered no request_uri')
    },
  }),
  ...APIS.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-02',
      section: '§3.2',
      title: `${row.member} is present, and a Client Admin token reads it (200)`,
      needs: ['registration'],
      async run(ctx: CheckContext) {
        const url = await endpointOf(ctx, row.member)
        const response = await ctx.request({ url, bearer: await ctx.adminToken() })
        ctx.expectStatus(response, 200)
        const body = response.json<Json>()
        ctx.assert(Array.isArray(body[row.key]), `${url} answered no ${row.key} listing`)
      },
    }),
  ),
]
