/**
 * CDS-WG3-01 §9.3 Authorization Errors: the Preselection Error page and its two ways out, the
 * Invalid Request Error page, and the Default Redirect Error page of the server's own redirect
 * URI. Wording is checked in English by its meaning (A-67: no wording is mandated).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { authorizeDirect, check, expectServerPage, HTTP } from './check-kit.js'
import { DECISION_NAMES } from './consent.js'
import { formClient } from './form-client.js'
import { decisionSurvey } from './survey-decisions.js'
import { seen } from './survey-kit.js'

/** The Invalid Request Error page of an unknown client_id, as text. */
async function invalidRequestText(ctx: CheckContext): Promise<string> {
  return ctx.once('afk:invalid-page', async () => {
    const fc = await formClient(ctx)
    return expectServerPage(ctx, await authorizeDirect(ctx, fc, { client_id: 'no-such-client-of-the-conformance-suite' }), fc.redirect_uri, 'an unknown client_id')
  })
}

/** The checks of CDS-WG3-01 §9.3. */
export const errorChecks: readonly Check[] = [
  check('R3-01-9.3-01', '§9.3', 'errors go back to the Client, except the three the server shows itself', async (ctx: CheckContext) => {
    const survey = await decisionSurvey(ctx)
    ctx.assert(seen(ctx, survey.errorRedirect, 'the error redirect').back.searchParams.has('error'), 'an invalid scope was not sent back to the Client')
    ctx.assert(!seen(ctx, survey.preselection, 'the Preselection Error').redirected, 'the Preselection Error was sent back to the Client instead of shown')
    await invalidRequestText(ctx)
  }),
  check('R3-01-9.3.1-01', '§9.3.1', 'when nothing matches the preselection, a page is shown instead of a redirect', async (ctx: CheckContext) => {
    const { page, redirected } = seen(ctx, (await decisionSurvey(ctx)).preselection, 'the Preselection Error')
    ctx.assert(!redirected && page.requests.length === 0 && !page.login, `the browser was not shown the Preselection Error (it is on ${page.url})`)
  }),
  check('R3-01-9.3.1-02', '§9.3.1', 'the Preselection Error says the Client asked for things the customer does not seem to have', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).preselection, 'the Preselection Error')
    ctx.assert(/(not|n't) (appear|seem|be found|found|in your|under your|part of your)|not in your/i.test(page.text), 'the page does not say the requested items are not the customer’s')
  }),
  check('R3-01-9.3.1-03', '§9.3.1', 'the Preselection Error names the Client', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).preselection, 'the Preselection Error')
    ctx.assert(page.text.includes((await formClient(ctx)).client_name), 'the page does not name the Client')
  }),
  check('R3-01-9.3.1-04', '§9.3.1', 'the Preselection Error lists the requested resources', async (ctx: CheckContext) => {
    const survey = await decisionSurvey(ctx)
    const first = seen(ctx, survey.preselection, 'the Preselection Error')
    ctx.assert(first.page.text.includes(first.requested), `the page does not list ${first.requested}`)
    ctx.assert(seen(ctx, survey.preselectionDecline, 'the second Preselection Error').page.text.includes('NO-SUCH-ACCOUNT-0000'), 'the page does not list NO-SUCH-ACCOUNT-0000')
  }),
  check('R3-01-9.3.1-05', '§9.3.1', 'the Preselection Error offers decline and log in as a different customer', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).preselection, 'the Preselection Error')
    const controls = [...page.buttons.map((b) => b.text), ...page.links.map((l) => l.text)]
    ctx.assert(controls.some((t) => DECISION_NAMES.decline.test(t)), 'the page offers no decline')
    ctx.assert(controls.some((t) => /different|another|log ?in as|switch/i.test(t)), 'the page offers no login as another customer')
  }),
  check('R3-01-9.3.1-06', '§9.3.1', 'declining the Preselection Error goes back with an error and the state', async (ctx: CheckContext) => {
    const { back, state } = seen(ctx, (await decisionSurvey(ctx)).preselectionDecline, 'the declined Preselection Error')
    // the spec names invalid_authorization_details here and no_preselections in §7.4.3.
    ctx.assert(['no_preselections', 'invalid_authorization_details'].includes(back.searchParams.get('error') ?? ''), `the redirect carries error=${String(back.searchParams.get('error'))}`)
    ctx.assert(back.searchParams.get('state') === state, 'the redirect lost the state')
  }),
  check('R3-01-9.3.1-07', '§9.3.1', 'logging in as another customer from the Preselection Error leads to the form with the preselection evaluated again', async (ctx: CheckContext) => {
    const { after, requested } = seen(ctx, (await decisionSurvey(ctx)).preselection, 'the re-login from the Preselection Error')
    const entry = after.requests[0]?.selection?.entries.find((e) => e.value === requested)
    ctx.assert(entry?.checked === true, `after logging in as the customer who has ${requested}, it is not preselected on the form`)
  }),
  check('R3-01-9.3.2-02', '§9.3.2', 'the Invalid Request Error says the request lacks the right parameters and cannot be completed', async (ctx: CheckContext) => {
    const text = await invalidRequestText(ctx)
    ctx.assert(/missing|invalid|incorrect|wrong/i.test(text) && /(can ?not|can't|could not|unable to) be completed|not be completed|cannot complete|can't complete/i.test(text), `the page says: ${text.slice(0, 300)}`)
  }, HTTP),
  check('R3-01-9.3.2-03', '§9.3.2', 'the Invalid Request Error tells the customer to tell the site or app that gave the link', async (ctx: CheckContext) => {
    const text = await invalidRequestText(ctx)
    ctx.assert(/contact|tell|let .* know/i.test(text) && /(website|app|site|service)/i.test(text) && /link/i.test(text), `the page says: ${text.slice(0, 300)}`)
  }, HTTP),
  check('R3-01-9.3.3-01', '§9.3.3', 'Client objects with response types get a default redirect URI', async (ctx: CheckContext) => {
    const fc = await formClient(ctx)
    const coded = fc.registration.clients.filter((c) => Array.isArray(c.response_types) && c.response_types.length > 0)
    ctx.assert(coded.length > 0, 'the registration has no Client object with response types')
    for (const c of coded) {
      const uri = c.cds_default_redirect_uri
      ctx.assert(typeof uri === 'string' && (c.redirect_uris as unknown[] | undefined)?.includes(uri) === true, `Client object ${String(c.client_id)} has no registered cds_default_redirect_uri`)
    }
  }, HTTP),
  check('R3-01-9.3.3-02', '§9.3.3', 'an error sent to the server’s default redirect URI shows an error page', async (ctx: CheckContext) => {
    const { page, back } = seen(ctx, (await decisionSurvey(ctx)).errorRedirect, 'the error redirect')
    ctx.assert(back.searchParams.has('error') && !page.login && page.requests.length === 0 && page.h1.length > 0, `the browser ended on ${page.url} without an error page`)
  }),
  check('R3-01-9.3.3-03', '§9.3.3', 'after a decline, the default redirect page confirms the customer declined', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).decline, 'the decline')
    ctx.assert(/declined|you (said|chose) no|denied/i.test(page.text), 'the page does not confirm the decline')
  }),
  check('R3-01-9.3.3-04', '§9.3.3', 'another error says the request could not be completed and why', async (ctx: CheckContext) => {
    const survey = await decisionSurvey(ctx)
    const { page } = seen(ctx, survey.errorRedirect, 'the error redirect')
    ctx.assert(/(could not|can ?not|can't|unable to) be completed|not (be )?completed|failed/i.test(page.text), 'the page does not say the request could not be completed')
    ctx.assert(/why|because|reason|not available|not allowed|may not|invalid/i.test(page.text), 'the page gives no reason')
    ctx.assert(!/\binvalid_scope\b/.test(page.text.replace(/technical details[\s\S]*/i, '')), 'the page gives the error code instead of a reason')
  }),
  check('R3-01-9.3.3-05', '§9.3.3', 'another error tells the customer to contact the site or app that sent them', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).errorRedirect, 'the error redirect')
    ctx.assert(/contact|tell|let .* know/i.test(page.text) && /(website|app|site)/i.test(page.text), 'the page does not send the customer to the site or app')
  }),
]
