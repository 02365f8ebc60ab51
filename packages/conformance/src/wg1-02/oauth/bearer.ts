/**
 * Bearer tokens on the CDS APIs (RFC 6750 §3, CDS-WG1-02 §5, §11.2): the challenges of a missing,
 * invalid or insufficient token and of a malformed request, probed on the Clients and Grants APIs.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { challengeScheme, scopeDescriptions, scopeTokens } from './lab.js'

/** The authenticated CDS APIs the checks probe. */
async function apis(ctx: CheckContext): Promise<string[]> {
  const asm = await ctx.oauthMetadata()
  return ['cds_clients_api', 'cds_grants_api'].map((name) => asm[name]).filter((url): url is string => typeof url === 'string')
}

/** The attributes of a Bearer challenge (RFC 6750 §3), lower-cased names. */
export function challengeAttributes(response: HttpResponse): Record<string, string> {
  const header = response.headers.get('www-authenticate') ?? ''
  const out: Record<string, string> = {}
  for (const match of header.matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) out[(match[1] ?? '').toLowerCase()] = match[2] ?? match[3] ?? ''
  return out
}

/** Fails unless the response is a 401/403/400 with a Bearer challenge carrying `error` (or none). */
function expectChallenge(ctx: CheckContext, response: HttpResponse, status: number, error: string | undefined, what: string): void {
  ctx.assert(response.status === status, `${what}: ${response.request} answered ${response.status}, expected ${status}`)
  ctx.assert(challengeScheme(response) === 'bearer', `${what}: WWW-Authenticate is ${JSON.stringify(response.headers.get('www-authenticate'))}, not a Bearer challenge`)
  const attributes = challengeAttributes(response)
  if (error === undefined) ctx.assert(!('error' in attributes), `${what}: the challenge carries error="${String(attributes.error)}" although no credentials were sent`)
  else ctx.assert(attributes.error === error, `${what}: the challenge carries error=${JSON.stringify(attributes.error)}, expected ${error}`)
  if (response.mediaType.endsWith('json') && error !== undefined) {
    const body = response.json<Json>()
    ctx.assert(body.error === undefined || body.error === error, `${what}: the body's error ${JSON.stringify(body.error)} differs from the challenge's`)
  }
}

/** A token of the shared registration without `cds_client_admin`: a client-credentials object of another scope (not applicable without one). */
export async function otherScopeToken(ctx: CheckContext): Promise<string> {
  const registration = await ctx.registration()
  const descriptions = await scopeDescriptions(ctx)
  for (const client of registration.clients) {
    const credentials = registration.secrets.get(String(client.client_id))
    const scope = scopeTokens(client.scope)[0]
    if (credentials === undefined || scope === undefined || scope === 'cds_client_admin' || !Array.isArray(client.grant_types) || !client.grant_types.includes('client_credentials')) continue
    // Grant Admin tokens need authorization_details; a direct-access object takes its scope alone.
    if (descriptions[scope]?.type === 'cds_grant_admin') continue
    const response = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: credentials, form: { grant_type: 'client_credentials', scope } })
    if (response.status === 200) return String(response.json<Json>().access_token)
  }
  return ctx.notApplicable('the registration has no client-credentials Client object besides the admin one that gets a token')
}

/** The checks of RFC 6750 on the CDS APIs. */
export const bearerChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC6750-01',
    spec: 'CDS-WG1-02',
    section: '§11.2 (RFC 6750 §3.1)',
    title: 'a request without credentials is 401 with a Bearer challenge that carries no error',
    async run(ctx: CheckContext) {
      for (const url of await apis(ctx)) expectChallenge(ctx, await ctx.request({ url }), 401, undefined, 'no credentials')
    },
  }),
  defineCheck({
    id: 'RFC6750-02',
    spec: 'CDS-WG1-02',
    section: '§11.2 (RFC 6750 §3.1)',
    title: 'an invalid or revoked token is 401 with error="invalid_token"',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const url of await apis(ctx)) expectChallenge(ctx, await ctx.request({ url, bearer: 'cds-conformance-not-a-token' }), 401, 'invalid_token', 'an unknown token')
      const { admin } = await ctx.registration()
      const token = await ctx.clientToken(admin, 'cds_client_admin')
      ctx.expectStatus(await ctx.request({ url: await ctx.endpoint('revocation_endpoint'), basic: admin, form: { token } }), 200)
      const [first] = await apis(ctx)
      if (first !== undefined) expectChallenge(ctx, await ctx.request({ url: first, bearer: token }), 401, 'invalid_token', 'a revoked token')
    },
  }),
  defineCheck({
    id: 'RFC6750-03',
    spec: 'CDS-WG1-02',
    section: '§11.2 (RFC 6750 §3.1)',
    title: 'a valid token without the needed scope is 403 with error="insufficient_scope"',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await otherScopeToken(ctx)
      for (const url of await apis(ctx)) expectChallenge(ctx, await ctx.request({ url, bearer: token }), 403, 'insufficient_scope', 'a token without cds_client_admin')
    },
  }),
  defineCheck({
    id: 'RFC6750-04',
    spec: 'CDS-WG1-02',
    section: '§11.2 (RFC 6750 §3.1)',
    title: 'a malformed Authorization header is 400 invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await ctx.adminToken()
      const [url] = await apis(ctx)
      if (url === undefined) ctx.notApplicable('the server publishes no authenticated CDS API')
      for (const [what, value] of [
        ['a token with a space in it', 'Bearer abc def'],
        ['a token with characters outside b64token', 'Bearer abc!"def'],
        ['two Bearer credentials', `Bearer ${token}, Bearer ${token}`],
      ] as const) {
        const response = await ctx.request({ url, headers: { authorization: value } })
        ctx.assert(response.status === 400, `${what}: the API answered ${response.status}, expected 400`)
        ctx.expectError(response, 400, 'invalid_request')
      }
    },
  }),
]
