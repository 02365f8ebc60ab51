/**
 * CDS-WG3-01 §9, §9.1 Authorization Process, §9.1.1 Authorization Requests and §9.1.2 Customer
 * Authentication: what the authorization endpoint does with good and bad requests, the login,
 * the session, the decisions and where the browser is sent afterwards.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { check, HTTP, authorizeDirect, expectServerPage, kindSurvey, redirectTo } from './check-kit.js'
import { formClient, grantsOf } from './form-client.js'
import { asIsApproval, defaultsApproval } from './survey-approvals.js'
import { decisionSurvey } from './survey-decisions.js'
import { formSurvey } from './survey-forms.js'
import { seen } from './survey-kit.js'
import { receiptSurvey } from './survey-receipts.js'

/** Fails unless a redirect carries `error` (one of `codes`) and the request's `state`. */
function expectErrorRedirect(ctx: CheckContext, back: URL, codes: readonly string[], state: string): void {
  const error = back.searchParams.get('error')
  ctx.assert(error !== null && codes.includes(error), `the redirect carries error=${String(error)}, expected ${codes.join(' or ')}`)
  ctx.assert(back.searchParams.get('state') === state, `the redirect carries state=${String(back.searchParams.get('state'))}, not ${state}`)
  ctx.assert(!back.searchParams.has('code'), 'the error redirect also carries a code')
}

/** A bad parameter after the client and redirect URI are good: a redirect with the error (or, for a server that requires PAR, the PAR error). */
async function badParameter(ctx: CheckContext, params: Record<string, string | undefined>, codes: readonly string[]): Promise<void> {
  const fc = await formClient(ctx)
  const asm = await ctx.oauthMetadata()
  const state = `afk-bad-${codes[0] ?? ''}`
  if (asm.require_pushed_authorization_requests === true) {
    const form: Record<string, string | undefined> = { response_type: 'code', redirect_uri: fc.redirect_uri, scope: [...fc.scopes.values()][0], state, code_challenge_method: 'S256', code_challenge: 'x'.repeat(43), ...params }
    const response = await ctx.request({ url: await ctx.endpoint('pushed_authorization_request_endpoint'), basic: fc.credentials, form })
    ctx.expectError(response, 400, codes)
    return
  }
  const response = await authorizeDirect(ctx, fc, { state, ...params })
  const back = redirectTo(response, fc.redirect_uri)
  if (back === undefined) ctx.fail(`${response.request} answered ${response.status} instead of redirecting the error to the Client`)
  expectErrorRedirect(ctx, back, codes, state)
}

/** The Invalid Request Error page for a request: no redirect to the Client, an HTML page. */
async function invalidRequestPage(ctx: CheckContext, params: Record<string, string | undefined>, what: string): Promise<string> {
  const fc = await formClient(ctx)
  return expectServerPage(ctx, await authorizeDirect(ctx, fc, params), fc.redirect_uri, what)
}

// A-13, A-14 (interpretations/server-authorization-form.md): these show the Invalid Request Error page; every
// other bad parameter is redirected to the Client with `error` and `state`.
const INVALID = {
  response_type: { response_type: 'token' },
  client_id: { client_id: 'no-such-client-of-the-conformance-suite' },
  redirect_uri: { redirect_uri: 'https://attacker.conformance.example/callback' },
} as const

/** The checks of CDS-WG3-01 §9–§9.1.2. */
export const processChecks: readonly Check[] = [
  check('R3-01-9-01', '§9', 'a consent-scope authorization runs through the §9 process: login, Authorization Form, Grant, receipt and code', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    ctx.assert(approval.created[0]?.status === 'active', 'the approval did not leave an active Grant')
    ctx.assert(approval.landed.url !== approval.back.href, 'the server default redirect URI did not continue to the receipt')
    ctx.assert(typeof approval.tokens.access_token === 'string', 'the code gave no access token')
  }),
  check('R3-01-9-02', '§9', 'the inherited authorization features work: PAR, PKCE S256, RAR, prompt=login and cds_grant_id', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    ctx.assert(typeof asm.pushed_authorization_request_endpoint === 'string', 'no pushed_authorization_request_endpoint is published')
    ctx.assert((asm.code_challenge_methods_supported as unknown[] | undefined)?.includes('S256') === true, 'code_challenge_methods_supported lacks S256')
    ctx.assert(Array.isArray(asm.authorization_details_types_supported), 'no authorization_details_types_supported is published')
    ctx.assert(seen(ctx, (await decisionSurvey(ctx)).promptLogin, 'prompt=login'), 'prompt=login did not ask for the login again')
    const update = seen(ctx, (await receiptSurvey(ctx)).update, 'the Grant Authorization Request')
    ctx.assert(update.grant.status === 'active', 'the Grant Authorization Request did not leave the Grant active')
    await badParameter(ctx, { code_challenge: undefined, code_challenge_method: undefined }, ['invalid_request'])
  }),
  check('R3-01-9.1-01', '§9.1', 'consent scopes use the authorization code grant: the approved code gives tokens', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    ctx.assert(approval.back.searchParams.has('code'), 'the approval redirect has no code')
    ctx.assert(typeof approval.tokens.access_token === 'string' && typeof approval.tokens.refresh_token === 'string', 'the code exchange gave no access and refresh token')
  }),
  check('R3-01-9.1.1-01', '§9.1.1', 'an unsupported response_type shows the Invalid Request Error page, not a redirect', (ctx: CheckContext) => invalidRequestPage(ctx, INVALID.response_type, 'response_type=token').then(() => undefined), HTTP),
  check('R3-01-9.1.1-02', '§9.1.1', 'an unknown client_id shows the Invalid Request Error page, not a redirect', (ctx: CheckContext) => invalidRequestPage(ctx, INVALID.client_id, 'an unknown client_id').then(() => undefined), HTTP),
  check('R3-01-9.1.1-03', '§9.1.1', 'a scope the Client object does not hold is redirected as invalid_scope with the state', async (ctx: CheckContext) => {
    const fc = await formClient(ctx)
    const held = new Set(String(fc.client.scope).split(' '))
    const other = ((await ctx.oauthMetadata()).scopes_supported as string[] | undefined)?.find((id) => !held.has(id)) ?? 'no_such_scope_of_the_conformance_suite'
    await badParameter(ctx, { scope: other }, ['invalid_scope'])
  }, HTTP),
  check('R3-01-9.1.1-04', '§9.1.1', 'a request without scope asks for the Client object’s cds_default_scope', async (ctx: CheckContext) => {
    const run = await defaultsApproval(ctx)
    ctx.assert((typeof run.tokens.scope === 'string' ? run.tokens.scope : '').split(' ').includes(run.defaultScope), `the tokens have scope ${String(run.tokens.scope)}, not the default ${run.defaultScope}`)
  }),
  check('R3-01-9.1.1-05', '§9.1.1', 'malformed authorization_details are redirected as invalid_authorization_details', (ctx: CheckContext) => badParameter(ctx, { authorization_details: '[{"type": ' }, ['invalid_authorization_details']), HTTP),
  check('R3-01-9.1.1-06', '§9.1.1', 'a request without authorization_details uses cds_default_authorization_details (relative values made absolute)', async (ctx: CheckContext) => {
    const run = await defaultsApproval(ctx)
    const entry = (run.tokens.authorization_details as Json[] | undefined)?.find((d) => d.type === run.defaultScope)
    if (entry === undefined) ctx.fail('the token response has no authorization details of the default scope')
    const until = Date.parse(String(entry.sync_until))
    const expected = Date.now() + 365 * 86_400_000
    ctx.assert(Number.isFinite(until) && Math.abs(until - expected) < 3 * 86_400_000, `sync_until is ${String(entry.sync_until)}, not the default P1Y from now`)
  }),
  check('R3-01-9.1.1-07', '§9.1.1', 'an unregistered redirect_uri shows the Invalid Request Error page and nothing goes to that URI', (ctx: CheckContext) => invalidRequestPage(ctx, INVALID.redirect_uri, 'an unregistered redirect_uri').then(() => undefined), HTTP),
  check('R3-01-9.1.1-08', '§9.1.1', 'a request without redirect_uri is answered at the Client object’s cds_default_redirect_uri', async (ctx: CheckContext) => {
    const run = await defaultsApproval(ctx)
    const target = new URL(run.defaultRedirect)
    ctx.assert(run.back.origin === target.origin && run.back.pathname === target.pathname, `the answer went to ${run.back.href}`)
    ctx.assert(run.back.searchParams.has('code'), 'the answer at the default redirect URI has no code')
  }),
  check('R3-01-9.1.1-09', '§9.1.1', 'an unknown or already used request_uri shows the Invalid Request Error page', async (ctx: CheckContext) => {
    const fc = await formClient(ctx)
    await ctx.endpoint('pushed_authorization_request_endpoint')
    const bare = { response_type: undefined, redirect_uri: undefined, scope: undefined, state: undefined, code_challenge: undefined, code_challenge_method: undefined }
    await expectServerPage(ctx, await authorizeDirect(ctx, fc, { ...bare, request_uri: 'urn:ietf:params:oauth:request_uri:no-such-request' }), fc.redirect_uri, 'an unknown request_uri')
    const used = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval').pending.request_uri
    if (used !== undefined) await expectServerPage(ctx, await authorizeDirect(ctx, fc, { ...bare, request_uri: used }), fc.redirect_uri, 'a request_uri used already')
  }, HTTP),
  check(
    'R3-01-9.1.1-10',
    '§9.1.1',
    'a bad response_type, client_id or redirect_uri each show the Invalid Request Error page instead of a redirect',
    async (ctx: CheckContext) => {
      for (const [name, params] of Object.entries(INVALID)) await invalidRequestPage(ctx, params, `a bad ${name}`)
    },
    HTTP,
    undefined,
    ['R3-01-9.3.2-01'],
  ),
  check('R3-01-9.1.1-11', '§9.1.1', 'other bad parameters (no PKCE, bad RAR) are redirected to the Client with the error and the state', async (ctx: CheckContext) => {
    await badParameter(ctx, { code_challenge: undefined, code_challenge_method: undefined }, ['invalid_request'])
    await badParameter(ctx, { authorization_details: '{"not":"an array"}' }, ['invalid_authorization_details', 'invalid_request'])
  }, HTTP),
  check('R3-01-9.1.1-13', '§9.1.1', 'a form that lists the customer’s resources is shown only after the customer logs in', async (ctx: CheckContext) => {
    const survey = await formSurvey(ctx)
    ctx.assert(seen(ctx, survey.firstLogin, 'the first request'), 'the first request, without a session, was not sent to a login page')
    ctx.assert((await kindSurvey(ctx, 'account')).none.requests[0]?.selection?.entries.length !== 0, 'the form after the login lists no resource of the customer')
  }),
  check('R3-01-9.1.1-16', '§9.1.1', 'when the form needs authentication the customer goes through the login and then reaches the form', async (ctx: CheckContext) => {
    const survey = await formSurvey(ctx)
    ctx.assert(seen(ctx, survey.firstLogin, 'the first request'), 'no login page was shown')
    ctx.assert((await kindSurvey(ctx, 'account')).none.requests.length > 0, 'the login did not lead to the Authorization Form')
  }),
  check('R3-01-9.1.1-17', '§9.1.1', 'a form that needs no authentication is shown without a login', async (ctx: CheckContext) => {
    if (seen(ctx, (await formSurvey(ctx)).firstLogin, 'the first request')) ctx.notApplicable('the server authenticates the customer before every Authorization Form')
    ctx.assert((await kindSurvey(ctx, 'account')).none.requests.length > 0, 'without a login the Authorization Form was not shown')
  }),
  check('R3-01-9.1.1-18', '§9.1.1', 'a Grant Authorization Request for another customer’s Grant is refused with cds_grant_id_invalid_user', async (ctx: CheckContext) => {
    const { back, state } = seen(ctx, (await decisionSurvey(ctx)).foreignGrant, 'the Grant Authorization Request of the second customer')
    expectErrorRedirect(ctx, back, ['cds_grant_id_invalid_user'], state)
  }),
  check('R3-01-9.1.1-19', '§9.1.1', 'a request that fails the checks made with the customer’s identity is redirected with an OAuth error', async (ctx: CheckContext) => {
    const { back, state } = seen(ctx, (await decisionSurvey(ctx)).foreignGrant, 'the Grant Authorization Request of the second customer')
    ctx.assert(back.searchParams.get('error') !== null, 'the redirect carries no error')
    ctx.assert(back.searchParams.get('state') === state, 'the error redirect lost the state')
  }),
  check('R3-01-9.1.1-20', '§9.1.1', 'with error_if_no_preselections and nothing preselected, the Preselection Error is shown', async (ctx: CheckContext) => {
    const { page, back } = seen(ctx, (await decisionSurvey(ctx)).preselectionDecline, 'the Preselection Error')
    ctx.assert(page.requests.length === 0, 'the Authorization Form was shown although nothing was preselected')
    ctx.assert(page.text.includes('NO-SUCH-ACCOUNT-0000'), 'the page does not name the requested account')
    ctx.assert(back.searchParams.has('error'), 'declining the Preselection Error sent no error')
  }),
  check('R3-01-9.1.1-21', '§9.1.1', 'a valid request shows the Authorization Form', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    ctx.assert(form.requests.length > 0 && form.sections.includes('approval'), 'the valid request did not show a form with Request Sections and an Approval Section')
  }),
  check('R3-01-9.1.1-22', '§9.1.1', 'a decline is redirected with error=access_denied and the state, and creates no Grant', async (ctx: CheckContext) => {
    const decline = seen(ctx, (await decisionSurvey(ctx)).decline, 'the decline')
    expectErrorRedirect(ctx, decline.back, ['access_denied'], decline.pending.state)
    ctx.assert(decline.created === 0, `the decline created ${decline.created} Grant(s)`)
  }),
  check('R3-01-9.1.1-23', '§9.1.1', 'an approval creates the Grant before the code is exchanged; a Grant Authorization Request updates its Grant', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    ctx.assert(approval.created.length === 1 && approval.created[0]?.status === 'active', `the Grants API showed ${approval.created.length} new Grant(s) before the code exchange`)
    const receipts = await receiptSurvey(ctx)
    const update = seen(ctx, receipts.update, 'the Grant Authorization Request')
    ctx.assert(update.grant.grant_id === receipts.grant.grant_id && update.grant.modified !== receipts.grant.modified, 'the Grant Authorization Request did not update the referenced Grant')
  }),
  check('R3-01-9.1.1-24', '§9.1.1', 'an approval creates a receipt: the new Grant has one receipt confirmation', async (ctx: CheckContext) => {
    const grant = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval').created[0]
    const confirmations = grant?.receipt_confirmations
    ctx.assert(Array.isArray(confirmations) && confirmations.length === 1, `the Grant has receipt_confirmations ${JSON.stringify(confirmations)}`)
  }),
  check('R3-01-9.1.1-27', '§9.1.1', 'an approval is redirected with a code and the exact state', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    ctx.assert((approval.back.searchParams.get('code') ?? '') !== '', 'the redirect has no code')
    ctx.assert(approval.back.searchParams.get('state') === approval.pending.state, `the redirect has state=${String(approval.back.searchParams.get('state'))}`)
  }),
  check('R3-01-9.1.1-28', '§9.1.1', 'a success sent to the server’s default redirect URI continues to the receipt', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    const confirmation = (approval.created[0]?.receipt_confirmations as string[] | undefined)?.[0] ?? ''
    ctx.assert(confirmation !== '' && approval.landed.text.includes(confirmation), `the browser ended on ${approval.landed.url}, which does not show the receipt confirmation number`)
  }),
  check('R3-01-9.1.1-29', '§9.1.1', 'an error sent to the server’s default redirect URI shows the Default Redirect Error page', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).errorRedirect, 'the error redirect')
    ctx.assert(!page.login && page.requests.length === 0 && /could not|can(no|')t|unable|error|not (be )?completed/i.test(page.text), `the page at ${page.url} does not say the request failed`)
  }),
  check('R3-01-9.1.1-30', '§9.1.1', 'the Client gets a token for an approved Grant with its Grant Admin scope', async (ctx: CheckContext) => {
    const { fc, grant } = await asIsApproval(ctx)
    const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
    const ga = descriptions[String(grant.scope).split(' ')[0] ?? '']?.grant_admin_scope
    if (typeof ga !== 'string') ctx.notApplicable('the Grant’s scope names no Grant Admin scope')
    const holder = fc.registration.clients.find((c) => String(c.scope) === ga)
    const credentials = holder === undefined ? undefined : fc.registration.secrets.get(String(holder.client_id))
    if (credentials === undefined) ctx.fail(`the registration has no Client object of ${ga} with a secret`)
    const response = await ctx.request({
      url: await ctx.endpoint('token_endpoint'),
      basic: credentials,
      form: { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: ga, client_id: grant.client_id, grant_id: grant.grant_id }]) },
    })
    ctx.expectStatus(response, 200)
    ctx.assert(typeof response.json<Json>().access_token === 'string', 'the Grant Admin token response has no access_token')
  }, HTTP),
  // the Grants list's `states` filter is the catalog's reading of a gap in CDS-WG1-02.
  check('R3-01-9.1.1-31', '§9.1.1', 'the Client finds the approved Grant by its state and by its receipt confirmation number', async (ctx: CheckContext) => {
    const { fc, grant, state } = await asIsApproval(ctx)
    const byState = await grantsOf(ctx, fc, `states=${state}`)
    ctx.assert(byState.some((g) => g.grant_id === grant.grant_id), `GET grants?states=${state} does not list the Grant`)
    const confirmation = (grant.receipt_confirmations as string[] | undefined)?.[0] ?? ''
    const byReceipt = await grantsOf(ctx, fc, `receipt_confirmations=${confirmation}`)
    ctx.assert(byReceipt.map((g) => g.grant_id).join() === String(grant.grant_id), `GET grants?receipt_confirmations=${confirmation} does not list exactly the Grant`)
  }),
  check('R3-01-9.1.2-02', '§9.1.2', 'with a valid session a later request goes straight to the form', async (ctx: CheckContext) => {
    ctx.assert(seen(ctx, (await formSurvey(ctx)).sessionKept, 'a later request'), 'a later request in the same browser asked for the login again')
  }),
  check('R3-01-9.1.2-03', '§9.1.2', 'without a session the customer is sent to the login', async (ctx: CheckContext) => {
    ctx.assert(seen(ctx, (await formSurvey(ctx)).firstLogin, 'the first request'), 'the first request, without a session, did not show a login page')
  }),
  check('R3-01-9.1.2-05', '§9.1.2', 'cancelling the login is redirected with error=access_denied and the state', async (ctx: CheckContext) => {
    const { back, state } = seen(ctx, (await formSurvey(ctx)).cancel, 'the cancelled login')
    expectErrorRedirect(ctx, back, ['access_denied'], state)
  }),
  check('R3-01-9.1.2-07', '§9.1.2', 'after the login the form says who is logged in', async (ctx: CheckContext) => {
    const { before } = seen(ctx, (await decisionSurvey(ctx)).relogin, 'the form before the re-login')
    ctx.assert(/logged in|signed in/i.test(before.sectionText.footer ?? before.text), 'the form does not say who is logged in')
  }),
  check('R3-01-9.1.2-11', '§9.1.2', 'prompt=login asks for the login even with a valid session', async (ctx: CheckContext) => {
    ctx.assert(seen(ctx, (await decisionSurvey(ctx)).promptLogin, 'prompt=login'), 'prompt=login went straight to the form')
  }),
  check('R3-01-9.1.3-01', '§9.1.3', 'the process follows its diagram: cancelled login, preselection loop, decline and approval each end where they should', async (ctx: CheckContext) => {
    const forms = await formSurvey(ctx)
    const decisions = await decisionSurvey(ctx)
    expectErrorRedirect(ctx, seen(ctx, forms.cancel, 'the cancelled login').back, ['access_denied'], 'afk-cancel-state')
    const preselection = seen(ctx, decisions.preselection, 'the Preselection Error with re-login')
    ctx.assert(!preselection.redirected && preselection.after.requests.length > 0, 'the re-login from the Preselection Error did not lead back to the form')
    seen(ctx, decisions.preselectionDecline, 'the declined Preselection Error')
    ctx.assert(seen(ctx, decisions.decline, 'the decline').back.searchParams.get('error') === 'access_denied', 'the decline did not end with access_denied')
    ctx.assert(seen(ctx, decisions.approval, 'the approval').back.searchParams.has('code'), 'the approval did not end with a code')
  }),
]
