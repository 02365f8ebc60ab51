/**
 * CDS-WG1-02 §3.4 as the server behaves: a scope without response types cannot be used in an
 * authorization request, and a scope that offers the `none` client authentication method lets a
 * public client reach the token endpoint without a secret.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { authorizationParams, authorize, expectShown, push, scopeTokens, tokenRequest } from '../oauth/lab.js'
import { confidentialCodeClient, descriptions, strings } from './kit.js'

/** Scope types that need a Grant or are made by the Server (not asked for in authorization requests). */
const SPECIAL = new Set(['cds_client_admin', 'cds_grant_admin', 'cds_server_provided_files'])

/** The error of a JSON error response. */
function errorOf(body: string): unknown {
  try {
    return (JSON.parse(body) as Json).error
  } catch {
    return undefined
  }
}

/** The checks of CDS-WG1-02 §3.4 about scope behaviour. */
export const scopeBehaviourChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.4-08',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'a scope whose response_types_supported is [] cannot be asked for in an authorization request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      const noCode = Object.values(all).find((d) => strings(d.response_types_supported).length === 0 && !SPECIAL.has(String(d.type)))?.id
      if (typeof noCode !== 'string') ctx.notApplicable('every scope but the fixed ones offers response types')
      const registration = await ctx.registration()
      const code = await confidentialCodeClient(ctx)
      // The code-flow Client object asking for the scope beside its own.
      const params = await authorizationParams(code, { scope: `${code.scope} ${noCode}` })
      const usesPar = typeof (await ctx.oauthMetadata()).pushed_authorization_request_endpoint === 'string'
      if (usesPar) {
        const mixed = await push(ctx, code, params)
        ctx.assert(mixed.status === 400 && ['invalid_scope', 'unauthorized_client'].includes(String(errorOf(mixed.text))), `a pushed request for ${code.scope} and ${noCode} answered ${mixed.status} ${mixed.text.slice(0, 200)}, expected 400 invalid_scope`)
      } else {
        const outcome = await authorize(ctx, params, code.redirect_uris)
        ctx.assert(outcome.kind !== 'continues', `an authorization request for ${code.scope} and ${noCode} went on to the customer`)
      }
      // The scope's own Client object (which has no redirect URI) cannot start the flow either.
      const holder = registration.clients.find((client) => scopeTokens(client.scope).includes(noCode) && registration.secrets.has(String(client.client_id)))
      if (holder === undefined) return
      const own = { ...params, client_id: String(holder.client_id), scope: noCode, redirect_uri: code.redirect_uri }
      if (usesPar) {
        const response = await push(ctx, code, own, registration.secrets.get(String(holder.client_id)))
        ctx.assert(response.status === 400, `a pushed request of ${String(holder.client_id)} for ${noCode} answered ${response.status}, expected 400: ${response.text.slice(0, 200)}`)
      } else expectShown(ctx, await authorize(ctx, own, code.redirect_uris), `an authorization request of ${String(holder.client_id)} for ${noCode}`, code.redirect_uri)
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-10',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'with "none" offered, a public Client object reaches the token endpoint without a secret (a made-up code is invalid_grant, not invalid_client)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      const publicScopes = Object.values(all).filter((d) => strings(d.token_endpoint_auth_methods_supported).includes('none')).map((d) => String(d.id))
      if (publicScopes.length === 0) ctx.notApplicable('no Scope Description offers the none authentication method')
      const registration = await ctx.registration()
      const client = registration.clients.find((c) => c.token_endpoint_auth_method === 'none' && scopeTokens(c.scope).some((id) => publicScopes.includes(id)))
      if (client === undefined) ctx.fail(`the registration of ${publicScopes.join(', ')} has no Client object with token_endpoint_auth_method none`)
      const redirect = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : strings(client.redirect_uris)[0]
      const response = await tokenRequest(ctx, undefined, { grant_type: 'authorization_code', client_id: String(client.client_id), code: 'cds-conformance-made-up-code', redirect_uri: redirect, code_verifier: 'cds-conformance-verifier-0123456789-0123456789-0123456789' })
      ctx.assert(response.status === 400 && errorOf(response.text) === 'invalid_grant', `a public client's code exchange without a secret answered ${response.status} ${response.text.slice(0, 200)}, expected 400 invalid_grant (the client accepted, the code refused)`)
    },
  }),
]
