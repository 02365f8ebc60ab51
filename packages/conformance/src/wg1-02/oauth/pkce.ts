/**
 * PKCE (RFC 7636) as CDS-WG1-02 §3.4 profiles it: `S256` only (`code_challenge_methods_supported`),
 * a challenge on every authorization request, and the verifier checked at the code exchange.
 * The request checks run both in the query and through PAR (RFC 9126), and need no customer.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { randomValue } from '../../wg3-01/authorization-form/consent.js'
import { approvedCode, exchange, exchangeOk } from './flows.js'
import { authorizationParams, authorize, canConsent, expectClientError, expectContinues, labCodeClient, push, scopeDescriptions, scopeTokens, type CodeClient } from './lab.js'

/** Whether the server publishes a PAR endpoint. */
async function hasPar(ctx: CheckContext): Promise<boolean> {
  return typeof (await ctx.oauthMetadata()).pushed_authorization_request_endpoint === 'string'
}

/**
 * Sends the same request in the query and (when offered) through PAR, and expects `invalid_request`
 * from both: a redirect to the Client from the authorization endpoint, a 400 JSON from PAR.
 */
async function expectRefusedBoth(ctx: CheckContext, client: CodeClient, overrides: Record<string, string | undefined>, what: string): Promise<void> {
  const params = await authorizationParams(client, overrides)
  const outcome = await authorize(ctx, params, client.redirect_uris)
  ctx.assert(outcome.kind === 'client' && outcome.params.has('error'), `${what} in the query: the server did not refuse it (${outcome.response.status}, ${outcome.kind})`)
  expectClientError(ctx, outcome, 'invalid_request', String(params.state))
  if (!(await hasPar(ctx))) return
  const pushed = await push(ctx, client, params)
  ctx.assert(pushed.status !== 201, `${what} through PAR: the server accepted it (201)`)
  ctx.expectError(pushed, 400, 'invalid_request')
}

/** A plain-method challenge: the verifier itself, 43 characters (RFC 7636 §4.2), so that only the method is wrong. */
function plainChallenge(): string {
  return randomValue(32)
}

/** The checks of RFC 7636. */
export const pkceChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC7636-01',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.2–§4.3)',
    title: 'an S256 challenge is accepted, in the query and through PAR, and its verifier redeems the code',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const methods = (asm.code_challenge_methods_supported ?? []) as unknown[]
      ctx.assert(methods.includes('S256'), `code_challenge_methods_supported is ${JSON.stringify(methods)}, without S256`)
      const client = await labCodeClient(ctx)
      expectContinues(ctx, await authorize(ctx, await authorizationParams(client), client.redirect_uris), 'an S256 request in the query')
      if (await hasPar(ctx)) ctx.expectStatus(await push(ctx, client, await authorizationParams(client)), 201)
      if (!canConsent(ctx)) return
      for (const noPar of (await hasPar(ctx)) ? [false, true] : [true]) {
        const { code, pending } = await approvedCode(ctx, { noPar })
        await exchangeOk(ctx, pending, code)
      }
    },
  }),
  defineCheck({
    id: 'RFC7636-02',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.4.1)',
    title: 'code_challenge_method=plain is refused with invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      await expectRefusedBoth(ctx, client, { code_challenge: plainChallenge(), code_challenge_method: 'plain' }, 'a plain PKCE request')
    },
  }),
  defineCheck({
    id: 'RFC7636-03',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.3)',
    title: 'a code_challenge without code_challenge_method (which would mean plain) is refused with invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      await expectRefusedBoth(ctx, client, { code_challenge: plainChallenge(), code_challenge_method: undefined }, 'a challenge without a method')
    },
  }),
  defineCheck({
    id: 'RFC7636-04',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.4.1, A-08)',
    title: 'an authorization request without code_challenge is refused with invalid_request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      await expectRefusedBoth(ctx, client, { code_challenge: undefined, code_challenge_method: undefined }, 'a request without PKCE')
    },
  }),
  defineCheck({
    id: 'RFC7636-05',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.1, §4.6)',
    title: 'a wrong, malformed or missing code_verifier is invalid_grant',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const { code, pending } = await approvedCode(ctx)
      ctx.expectError(await exchange(ctx, pending, code, { code_verifier: randomValue(32) }), 400, 'invalid_grant')
      ctx.expectError(await exchange(ctx, pending, code, { code_verifier: 'short' }), 400, 'invalid_grant')
      ctx.expectError(await exchange(ctx, pending, code, { code_verifier: undefined }), 400, ['invalid_grant', 'invalid_request'])
    },
  }),
  defineCheck({
    id: 'RFC7636-06',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.6, A-08)',
    title: 'a code_verifier for a code issued without a challenge is invalid_grant',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const outcome = await authorize(ctx, await authorizationParams(client, { code_challenge: undefined, code_challenge_method: undefined }), client.redirect_uris)
      if (outcome.kind === 'client' && outcome.params.get('error') === 'invalid_request')
        ctx.notApplicable('the server requires a challenge on every request (A-08 strict mode), so no code is issued without one')
      const { code, pending } = await approvedCode(ctx, { extra: { code_challenge: '', code_challenge_method: '' }, noPar: true })
      ctx.expectError(await exchange(ctx, pending, code, { code_verifier: randomValue(32) }), 400, 'invalid_grant')
    },
  }),
  defineCheck({
    id: 'RFC7636-07',
    spec: 'CDS-WG1-02',
    section: '§3.4 (RFC 7636 §4.4.1)',
    title: 'a public Client object (token_endpoint_auth_method none) cannot run the code flow without PKCE',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const descriptions = await scopeDescriptions(ctx)
      const scope = Object.entries(descriptions).find(
        ([, d]) => ((d.token_endpoint_auth_methods_supported ?? []) as unknown[]).includes('none') && ((d.response_types_supported ?? []) as unknown[]).includes('code'),
      )?.[0]
      if (scope === undefined) ctx.notApplicable('no scope offers the code flow to public clients (token_endpoint_auth_method none)')
      const registration = await ctx.freshRegistration(`cds_client_admin ${scope}`)
      const client = registration.clients.find((c) => c.token_endpoint_auth_method === 'none' && scopeTokens(c.scope).includes(scope))
      if (client === undefined) ctx.notApplicable(`the server registered ${scope} as a confidential Client object`)
      const uris = (client.redirect_uris ?? []) as string[]
      const redirect_uri = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : (uris[0] ?? '')
      const code: CodeClient = { client, credentials: { client_id: String(client.client_id), client_secret: '' }, scope, description: descriptions[scope] as Json, redirect_uri, redirect_uris: uris }
      const params = await authorizationParams(code, { code_challenge: undefined, code_challenge_method: undefined })
      expectClientError(ctx, await authorize(ctx, params, uris), 'invalid_request', String(params.state))
      if (!(await hasPar(ctx))) return
      const pushed = await ctx.request({ url: await ctx.endpoint('pushed_authorization_request_endpoint'), form: params })
      ctx.expectError(pushed, 400, 'invalid_request')
    },
  }),
]
