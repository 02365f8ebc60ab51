/**
 * The authorization endpoint in the CDS profile of RFC 6749 §3.1 and §4.1 (CDS-WG1-02 §3.2, §5.1):
 * GET requests, repeated and empty parameters, the CDS defaults for a missing `redirect_uri` and
 * `scope`, errors shown to the user versus redirected to the Client, `state`, and the server's
 * default redirect URI (CDS-WG1-02 §4.2).
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { declinedAuthorization, receiptAuthorization } from './flows.js'
import { authorizationParams, authorize, canConsent, expectClientError, expectContinues, expectResponseTypeRefused, expectShown, labCodeClient } from './lab.js'

/** A `state` with characters that must survive the round trip unchanged (RFC 6749 §4.1.2). */
const TRICKY_STATE = 'conf state/?&=+%~é'

/** Whether a page reads as an error or refusal rather than a receipt. */
const ERROR_WORDS = /(declin|denied|deny|refus|cancel|error|not (been )?(authori[sz]ed|approved|completed))/i

/** The checks of the authorization endpoint. */
export const authorizeChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-4.2-14',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'the server\'s default redirect URI shows a receipt after an approval and an error page after a refusal',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const approved = await receiptAuthorization(ctx)
      ctx.expectStatus(approved.receipt, 200)
      ctx.assert(approved.receipt.mediaType === 'text/html', `the default redirect URI answered ${approved.receipt.mediaType || 'untyped'} after an approval, not an HTML page`)
      const codes = (approved.grant.receipt_confirmations ?? []) as string[]
      ctx.assert(codes.some((code) => approved.receipt.text.includes(code)), 'the receipt page shows none of the Grant\'s receipt_confirmations')
      const declined = await declinedAuthorization(ctx)
      ctx.assert(declined.redirect.searchParams.has('error'), 'the refusal came back without error')
      ctx.assert(declined.page.status < 500, `the default redirect URI answered ${declined.page.status} after a refusal`)
      ctx.assert(declined.page.mediaType === 'text/html', `the default redirect URI answered ${declined.page.mediaType || 'untyped'} after a refusal, not an HTML page`)
      ctx.assert(ERROR_WORDS.test(declined.page.text), 'the page after a refusal does not read as an error')
      ctx.assert(!codes.some((code) => declined.page.text.includes(code)), 'the page after a refusal shows a receipt confirmation')
    },
  }),
  defineCheck({
    id: 'RFC6749-07',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §3.1)',
    title: 'the authorization endpoint takes GET; a repeated parameter is invalid_request; an empty parameter counts as absent',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const good = await authorizationParams(client)
      expectContinues(ctx, await authorize(ctx, good, client.redirect_uris), 'a valid GET authorization request')
      const state = String(good.state)
      expectClientError(ctx, await authorize(ctx, { ...good, scope: [client.scope, client.scope] }, client.redirect_uris), 'invalid_request', state)
      expectClientError(ctx, await authorize(ctx, { ...good, code_challenge_method: ['S256', 'S256'] }, client.redirect_uris), 'invalid_request', state)
      expectResponseTypeRefused(ctx, await authorize(ctx, { ...good, response_type: ['code', 'code'] }, client.redirect_uris), 'a repeated response_type', state)
      // RFC 6749 §3.1: a parameter sent without a value is treated as omitted (here the scope falls back to the default).
      expectContinues(ctx, await authorize(ctx, { ...good, scope: '' }, client.redirect_uris), 'a request with an empty scope parameter')
    },
  }),
  defineCheck({
    id: 'RFC6749-08',
    spec: 'CDS-WG1-02',
    section: '§5.1 (RFC 6749 §4.1.1)',
    title: 'an authorization request without redirect_uri and scope goes on with the Client object\'s defaults',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const outcome = await authorize(ctx, await authorizationParams(client, { redirect_uri: undefined, scope: undefined }), client.redirect_uris)
      expectContinues(ctx, outcome, 'a request without redirect_uri and scope')
      if (outcome.kind === 'client') ctx.assert(outcome.location?.href.startsWith(client.redirect_uri) === true, `the answer went to ${String(outcome.location?.href)}, not the default redirect URI`)
    },
  }),
  defineCheck({
    id: 'RFC6749-09',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §4.1.2.1)',
    title: 'an unknown client_id or an unregistered redirect_uri is shown to the user, never redirected',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const foreign = 'https://attacker.conformance.example/cb'
      const unregistered = await authorize(ctx, await authorizationParams(client, { redirect_uri: foreign }), [...client.redirect_uris, foreign])
      expectShown(ctx, unregistered, 'an unregistered redirect_uri', foreign)
      // A registered URI with something appended is not the registered URI (exact matching, RFC 9700 §2.1).
      const extended = `${client.redirect_uri}x`
      expectShown(ctx, await authorize(ctx, await authorizationParams(client, { redirect_uri: extended }), [...client.redirect_uris, extended]), 'a redirect_uri that only starts like a registered one', extended)
      const unknown = await authorize(ctx, await authorizationParams(client, { client_id: 'cds-conformance-unknown-client' }), client.redirect_uris)
      expectShown(ctx, unknown, 'an unknown client_id', client.redirect_uri)
    },
  }),
  defineCheck({
    id: 'RFC6749-10',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §4.1.2.1)',
    title: 'authorization errors are redirected with an RFC 6749 code (invalid_scope; access_denied when the customer declines); a bad response_type is redirected or shown (A-13)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const params = await authorizationParams(client)
      const state = String(params.state)
      expectResponseTypeRefused(ctx, await authorize(ctx, { ...params, response_type: 'token' }, client.redirect_uris), 'response_type=token', state)
      expectClientError(ctx, await authorize(ctx, { ...params, scope: 'cds-conformance-no-such-scope' }, client.redirect_uris), 'invalid_scope', state)
      if (!canConsent(ctx)) return
      const declined = await declinedAuthorization(ctx)
      ctx.assert(declined.redirect.searchParams.get('error') === 'access_denied', `a declined request came back with error=${String(declined.redirect.searchParams.get('error'))}, expected access_denied`)
    },
  }),
  defineCheck({
    id: 'RFC6749-14',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 6749 §4.1.2)',
    title: 'state comes back unchanged, in error redirects and after an approval',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const params = await authorizationParams(client, { state: TRICKY_STATE, scope: 'cds-conformance-no-such-scope' })
      expectClientError(ctx, await authorize(ctx, params, client.redirect_uris), 'invalid_scope', TRICKY_STATE)
      if (!canConsent(ctx)) return
      const approved = await receiptAuthorization(ctx)
      ctx.assert(approved.redirect.searchParams.get('state') === approved.pending.state, 'the approval came back with another state')
      const declined = await declinedAuthorization(ctx)
      ctx.assert(declined.redirect.searchParams.get('state') === declined.pending.state, 'the refusal came back with another state')
    },
  }),
]
