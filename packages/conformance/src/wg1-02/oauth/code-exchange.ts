/**
 * The code exchange and refresh of RFC 6749 §4.1.3, §6 (CDS-WG1-02 §3.2): codes are single use and
 * bound to their Client object and redirect URI, and a refresh cannot widen the scope. Each check
 * runs its own customer authorization, so that no check depends on another's tokens.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { approvedCode, exchange, exchangeOk } from './flows.js'
import { introspect, labCodeClient, labRegistration, scopeDescriptions, scopeTokens, tokenRequest } from './lab.js'

/** A scope the lab's code client is not registered for but the server offers. */
async function foreignScope(ctx: CheckContext, own: string): Promise<string> {
  const other = Object.keys(await scopeDescriptions(ctx)).find((id) => id !== own && id !== 'cds_client_admin')
  return other ?? 'cds-conformance-no-such-scope'
}

/** The checks of the code exchange and refresh. */
export const codeExchangeChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC6749-11',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §4.1.2, §10.5)',
    title: 'an authorization code works once: a second exchange is invalid_grant',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const { code, pending } = await approvedCode(ctx)
      await exchangeOk(ctx, pending, code)
      // RFC 6749 §4.1.2: the second use fails (revoking the first tokens is only a SHOULD, not checked here).
      ctx.expectError(await exchange(ctx, pending, code), 400, 'invalid_grant')
    },
  }),
  defineCheck({
    id: 'RFC6749-12',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §4.1.3)',
    title: 'a code is bound to its Client object and redirect_uri: another redirect_uri or another client gets invalid_grant',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const { code, pending } = await approvedCode(ctx)
      ctx.expectError(await exchange(ctx, pending, code, { redirect_uri: `${pending.redirect_uri}?other=1` }), 400, 'invalid_grant')
      const client = await labCodeClient(ctx)
      const registration = await labRegistration(ctx)
      // Another code-flow object of the same registration, else the admin object.
      const other = registration.clients.find(
        (c) => c.client_id !== client.client.client_id && Array.isArray(c.grant_types) && c.grant_types.includes('authorization_code') && registration.secrets.has(String(c.client_id)),
      )
      const stranger = other === undefined ? registration.admin : registration.secrets.get(String(other.client_id))
      if (stranger === undefined) ctx.fail('no other Client object with a secret')
      const stolen = await exchange(ctx, pending, code, {}, stranger)
      ctx.expectError(stolen, 400, other === undefined ? ['invalid_grant', 'unauthorized_client'] : 'invalid_grant')
    },
  }),
  defineCheck({
    id: 'RFC6749-13',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §6)',
    title: 'a refresh token gives a new access token; asking for more scope than granted is invalid_scope',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      if (!((client.client.grant_types ?? []) as string[]).includes('refresh_token')) ctx.notApplicable('the code-flow Client object is not registered for refresh_token')
      const { code, pending } = await approvedCode(ctx)
      const tokens = await exchangeOk(ctx, pending, code)
      ctx.assert(typeof tokens.refresh_token === 'string', 'the code exchange issued no refresh_token although the Client object has the refresh_token grant type')
      const refresh = tokens.refresh_token
      const wider = await tokenRequest(ctx, client.credentials, { grant_type: 'refresh_token', refresh_token: refresh, scope: `${client.scope} ${await foreignScope(ctx, client.scope)}` })
      ctx.expectError(wider, 400, 'invalid_scope')
      const renewed = await tokenRequest(ctx, client.credentials, { grant_type: 'refresh_token', refresh_token: refresh })
      ctx.expectStatus(renewed, 200)
      const body = renewed.json<Json>()
      ctx.assert(typeof body.access_token === 'string' && body.access_token !== tokens.access_token, 'the refresh gave no new access token')
      const active = await introspect(ctx, (await labRegistration(ctx)).admin, body.access_token)
      ctx.assert(active.active === true, 'the refreshed access token is not active')
      const granted = scopeTokens(tokens.scope ?? client.scope)
      ctx.assert(scopeTokens(active.scope).every((s) => granted.includes(s)), `the refreshed token's scope ${JSON.stringify(active.scope)} exceeds the original ${JSON.stringify(tokens.scope)}`)
    },
  }),
]
