/**
 * Rich authorization requests (RFC 9396), required by CDS-WG1-02 §3.2: `authorization_details` at
 * the PAR, authorization and token endpoints, its errors, and the details echoed in token and
 * introspection responses (the Grant Admin token of CDS-WG1-02 §3.3.2 is the probe that needs no
 * customer).
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { activeCodeGrant, grantAdminRequest } from './flows.js'
import { authorizationParams, authorize, expectClientError, expectContinues, introspect, labAdminToken, labCodeClient, labRegistration, push, scopeDescriptions, scopeTokens, tokenRequest } from './lab.js'

/** An active Grant of the lab registration that a Grant Admin token can name: one of its own when it has one, else one made for the check. */
export function administeredGrant(ctx: CheckContext): Promise<{ grant: Json; scope: string }> {
  return ctx.once('wg1-02-oauth:administered-grant', async () => {
    const descriptions = await scopeDescriptions(ctx)
    const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
    url.searchParams.set('statuses', 'active')
    for await (const grant of listAll(ctx, url.href, await labAdminToken(ctx), 'grants')) {
      const tokens = scopeTokens(grant.scope)
      const admins = new Set(tokens.map((id) => descriptions[id]?.grant_admin_scope))
      const [admin] = admins
      if (tokens.length > 0 && admins.size === 1 && typeof admin === 'string' && grant.enabled_scope === grant.scope) return { grant, scope: tokens[0] ?? '' }
    }
    const { grant, client } = await activeCodeGrant(ctx)
    return { grant, scope: client.scope }
  })
}

/** A Grant Admin token response for the administered Grant (200 expected). */
function grantAdminResponse(ctx: CheckContext): Promise<{ body: Json; entry: Json; id: string }> {
  return ctx.once('wg1-02-oauth:grant-admin-response', async () => {
    const { grant, scope } = await administeredGrant(ctx)
    const { response, entry, id } = await grantAdminRequest(ctx, grant, scope)
    if (response.status !== 200) ctx.fail(`the Grant Admin token request answered ${response.status}: ${response.text.slice(0, 300)}`)
    return { body: response.json<Json>(), entry, id }
  })
}

/** Whether an answered entry carries every member of the requested one with the same value. */
function echoes(answered: unknown, requested: Json): boolean {
  if (typeof answered !== 'object' || answered === null) return false
  return Object.entries(requested).every(([key, value]) => JSON.stringify((answered as Json)[key]) === JSON.stringify(value))
}

/** The checks of RFC 9396. */
export const rarChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC9396-01',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9396 §2, §3, §6)',
    title: 'authorization_details is accepted at the token endpoint, at PAR and at the authorization endpoint',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { body } = await grantAdminResponse(ctx)
      ctx.assert(typeof body.access_token === 'string', 'the Grant Admin token response has no access_token')
      const client = await labCodeClient(ctx)
      const details = JSON.stringify([{ type: client.scope }])
      if (typeof (await ctx.oauthMetadata()).pushed_authorization_request_endpoint === 'string')
        ctx.expectStatus(await push(ctx, client, await authorizationParams(client, { authorization_details: details })), 201)
      expectContinues(ctx, await authorize(ctx, await authorizationParams(client, { authorization_details: details }), client.redirect_uris), 'an authorization request with authorization_details')
    },
  }),
  defineCheck({
    id: 'RFC9396-02',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 9396 §5, §6.2)',
    title: 'an unknown authorization_details type is invalid_authorization_details: 400 at the token and PAR endpoints, a redirect from the authorization endpoint',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const unknown = JSON.stringify([{ type: 'cds-conformance-no-such-type' }])
      const { admin } = await labRegistration(ctx)
      ctx.expectError(await tokenRequest(ctx, admin, { grant_type: 'client_credentials', authorization_details: unknown }), 400, 'invalid_authorization_details')
      ctx.expectError(await tokenRequest(ctx, admin, { grant_type: 'client_credentials', authorization_details: '{not json' }), 400, ['invalid_request', 'invalid_authorization_details'])
      const client = await labCodeClient(ctx)
      if (typeof (await ctx.oauthMetadata()).pushed_authorization_request_endpoint === 'string')
        ctx.expectError(await push(ctx, client, await authorizationParams(client, { authorization_details: unknown })), 400, 'invalid_authorization_details')
      const params = await authorizationParams(client, { authorization_details: unknown })
      expectClientError(ctx, await authorize(ctx, params, client.redirect_uris), 'invalid_authorization_details', String(params.state))
    },
  }),
  defineCheck({
    id: 'RFC9396-03',
    spec: 'CDS-WG1-02',
    section: '§3.3.2 (RFC 9396 §7)',
    title: 'the token response contains the granted authorization_details',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { body, entry } = await grantAdminResponse(ctx)
      const details = body.authorization_details
      ctx.assert(Array.isArray(details), 'the token response has no authorization_details array')
      ctx.assert(details.some((answered) => echoes(answered, entry)), `the token response's authorization_details ${JSON.stringify(details)} do not contain the requested entry`)
    },
  }),
  defineCheck({
    id: 'RFC9396-04',
    spec: 'CDS-WG1-02',
    section: '§3.3.2 (RFC 9396 §9.2)',
    title: 'the introspection response of a token with authorization_details contains them',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { body, entry } = await grantAdminResponse(ctx)
      const answer = await introspect(ctx, (await labRegistration(ctx)).admin, String(body.access_token))
      ctx.assert(answer.active === true, 'the Grant Admin token does not introspect as active')
      const details = answer.authorization_details
      ctx.assert(Array.isArray(details) && details.some((answered) => echoes(answered, entry)), `the introspection response's authorization_details ${JSON.stringify(details)} do not contain the granted entry`)
    },
  }),
  defineCheck({
    id: 'RFC9396-05',
    spec: 'CDS-WG1-02',
    section: '§3.2, §5.1 (RFC 9396 §10)',
    title: 'types are published (authorization_details_types_supported, each Client object\'s authorization_details_types) and a type the Client object lacks is refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const supported = asm.authorization_details_types_supported
      ctx.assert(Array.isArray(supported), 'the metadata has no authorization_details_types_supported')
      const descriptions = await scopeDescriptions(ctx)
      const registration = await labRegistration(ctx)
      for (const client of registration.clients) {
        const types = client.authorization_details_types
        ctx.assert(Array.isArray(types), `the Client object ${String(client.client_id)} has no authorization_details_types`)
        const expected = scopeTokens(client.scope).filter((id) => ((descriptions[id]?.authorization_details_types_supported ?? []) as unknown[]).length > 0)
        ctx.assert(JSON.stringify([...(types as string[])].sort()) === JSON.stringify(expected.sort()), `the Client object ${String(client.client_id)} (${String(client.scope)}) has authorization_details_types ${JSON.stringify(types)}, expected ${JSON.stringify(expected)}`)
        for (const type of types as string[]) ctx.assert(supported.includes(type), `${type} is not in authorization_details_types_supported`)
      }
      // A type of another Client object (here the Grant Admin one) is refused for the code-flow object.
      const client = await labCodeClient(ctx)
      const foreign = (supported as string[]).find((type) => !((client.client.authorization_details_types ?? []) as string[]).includes(type))
      if (foreign === undefined) return
      const params = await authorizationParams(client, { authorization_details: JSON.stringify([{ type: foreign }]) })
      expectClientError(ctx, await authorize(ctx, params, client.redirect_uris), ['invalid_authorization_details', 'invalid_scope'], String(params.state))
    },
  }),
  defineCheck({
    id: 'RFC9396-06',
    spec: 'CDS-WG1-02',
    section: '§3.3.2 (RFC 9396 §3.1)',
    title: 'an authorization_details entry whose type is a scope id requests that scope: the token response\'s scope includes it',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { body, id } = await grantAdminResponse(ctx)
      ctx.assert(scopeTokens(body.scope).includes(id), `the Grant Admin token (requested with authorization_details only) has scope ${JSON.stringify(body.scope)}, without ${id}`)
      const client = await labCodeClient(ctx)
      const params = await authorizationParams(client, { scope: undefined, authorization_details: JSON.stringify([{ type: client.scope }]) })
      expectContinues(ctx, await authorize(ctx, params, client.redirect_uris), 'an authorization request with only an authorization_details entry for the scope')
    },
  }),
  defineCheck({
    id: 'RFC9396-07',
    spec: 'CDS-WG1-02',
    section: '§3.8 (RFC 9396 §2.2)',
    title: 'the RFC 9396 common fields a CDS type does not declare are refused (invalid_authorization_details) or, if ignored, never granted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, scope } = await administeredGrant(ctx)
      const { response } = await grantAdminRequest(ctx, grant, scope, { actions: ['write'] })
      if (response.status === 400) {
        ctx.expectError(response, 400, 'invalid_authorization_details')
        return
      }
      ctx.expectStatus(response, 200)
      const details = (response.json<Json>().authorization_details ?? []) as Json[]
      ctx.assert(details.every((entry) => !('actions' in entry)), 'the server granted an undeclared "actions" member')
    },
  }),
]
