/**
 * The decisions survey, made once per run: the customer's answers on the Authorization Form and
 * what follows them. With the first test customer: approve with nothing selected (the form must
 * point at the problem), then select and approve (twice clicked, one Grant), decline, an error
 * sent to the server's default redirect URI, `prompt=login`, the footer's re-login as the second
 * test customer, a Grant Authorization Request for the first customer's Grant (refused for the
 * second), and both Preselection Error choices.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { clickDecision, codeOf, decisionButton, exchangeCode, logIn, type PendingAuthorization } from './consent.js'
import { formClient, formRequest, grantsOf, type FormClient } from './form-client.js'
import { snapshot, type PageSnapshot } from './form-snapshot.js'
import { scopeWithField } from './survey-forms.js'
import { clickAndSettle, entryValues, observe, Visitor, type Observation } from './survey-kit.js'

/** An approval and what came of it. */
export interface Approval {
  pending: PendingAuthorization
  /** The redirect back to the Client. */
  back: URL
  /** The Grants the approval created (read before the code was exchanged). */
  created: Json[]
  /** The token response of the code exchange. */
  tokens: Json
  /** The page the browser ended on (the receipt, with the server's default redirect URI) and its URL. */
  landed: PageSnapshot
}

/** What the decisions survey saw. */
export interface DecisionSurvey {
  fc: FormClient
  /** The account numbers of the first customer's form. */
  accounts: string[]
  /** Approve with nothing selected: the page shown, whether the browser left for the Client, and the marked areas. */
  emptyApproval: Observation<{ page: PageSnapshot; redirected: boolean; invalid: number }>
  /** Then one account and the include-future option selected, approve clicked twice. */
  approval: Observation<Approval>
  /** Decline with nothing selected. */
  decline: Observation<{ pending: PendingAuthorization; back: URL; page: PageSnapshot; created: number }>
  /** An error (an unknown scope) sent to the server's default redirect URI. */
  errorRedirect: Observation<{ back: URL; page: PageSnapshot }>
  /** With a session, `prompt=login` still asked for the login. */
  promptLogin: Observation<boolean>
  /** The form's footer before the re-login, and the form after logging in as the second customer. */
  relogin: Observation<{ before: PageSnapshot; after: PageSnapshot }>
  /** A Grant Authorization Request for the first customer's Grant while the second is logged in. */
  foreignGrant: Observation<{ back: URL; state: string }>
  /** The Preselection Error for the second customer (the first customer's account), then the re-login as the first. */
  preselection: Observation<{ page: PageSnapshot; redirected: boolean; requested: string; after: PageSnapshot }>
  /** The Preselection Error for an account nobody has, declined. */
  preselectionDecline: Observation<{ page: PageSnapshot; back: URL; state: string }>
}

/** Runs the survey. */
async function runDecisions(ctx: CheckContext): Promise<DecisionSurvey> {
  const fc = await formClient(ctx)
  const customer = ctx.customer()
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const scope = scopeWithField(fc, descriptions, 'account_numbers', 'account_selection', 'cds_accounts')
  if (scope === undefined) ctx.notApplicable('the form Client object has no consent scope with an Account Selection')
  const visitor = await Visitor.open(ctx, fc.redirect_uri)
  const detail = (fields: Json = {}) => [{ type: scope, authorization_form_selection_type: 'account_selection', ...fields }]
  const ids = async () => new Set((await grantsOf(ctx, fc)).map((g) => String(g.grant_id)))

  const purpose = fc.purpose === undefined ? {} : { purpose: fc.purpose }
  const first = await visitor.form(formRequest(fc, scope, detail({ sync_until: 'P1Y', ...purpose }), { state: 'afk-approve-state' }), customer)
  const accounts = entryValues(first.form)
  const page = visitor.page
  const section = page.locator('[data-cds-request-section]').first()
  const approve = decisionButton(page, 'approve').first()

  const emptyApproval = await observe(async () => {
    const before = visitor.catcher.hits.length
    await clickAndSettle(page, approve)
    const shown = await snapshot(page)
    const invalid = await page.locator('[aria-invalid=true], [role=alert]').count()
    return { page: shown, redirected: visitor.catcher.hits.length > before, invalid }
  })

  const approval = await observe(async () => {
    if (accounts[0] === undefined) ctx.notApplicable('the first test customer has no account to select')
    const known = await ids()
    await section.locator(`input[type=checkbox][value="${accounts[0]}"]`).check()
    const future = section.getByRole('checkbox', { name: /future/i })
    if ((await future.count()) > 0) await future.first().check()
    const before = visitor.catcher.hits.length
    await approve.dblclick()
    const back = await visitor.catcher.landed(before)
    const created = (await grantsOf(ctx, fc)).filter((g) => !known.has(String(g.grant_id)))
    const landed = await snapshot(page)
    const tokens = await exchangeCode(ctx, first.pending, codeOf(ctx, first.pending, back))
    return { pending: first.pending, back, created, tokens, landed }
  })

  const decline = await observe(async () => {
    const known = await ids()
    const { pending } = await visitor.form(formRequest(fc, scope, detail(), { state: 'afk-decline-state' }), customer)
    const before = visitor.catcher.hits.length
    await clickDecision(ctx, page, 'decline')
    const back = await visitor.catcher.landed(before)
    const created = [...(await ids())].filter((id) => !known.has(id)).length
    return { pending, back, page: await snapshot(page), created }
  })

  const errorRedirect = await observe(async () => {
    const before = visitor.catcher.hits.length
    await visitor.open(formRequest(fc, 'no_such_scope_of_the_conformance_suite', undefined, { noPar: true, state: 'afk-error-state' }))
    const back = await visitor.catcher.landed(before)
    return { back, page: await snapshot(page) }
  })

  const promptLogin = await observe(async () => {
    const { shown } = await visitor.open(formRequest(fc, scope, detail(), { extra: { prompt: 'login' } }))
    if (shown.login) await visitor.form(formRequest(fc, scope, detail()), customer)
    return shown.login
  })

  const relogin = await observe(async () => {
    const other = ctx.customer(1)
    const { form: before } = await visitor.form(formRequest(fc, scope, detail()), customer)
    const link = page.locator('[data-cds-section="footer"]').getByRole('link', { name: /log ?in|sign ?in|switch/i })
    if ((await link.count()) === 0) ctx.fail('the footer has no link to log in as someone else')
    await clickAndSettle(page, link.first())
    if (!(await visitor.isLogin())) ctx.fail(`the re-login link did not lead to a login page (${page.url()})`)
    await logIn(ctx, page, other)
    return { before, after: await snapshot(page) }
  })

  const foreignGrant = await observe(async () => {
    if (!relogin.ok) ctx.skip('the second customer is not logged in (the re-login step did not succeed)')
    const grant = approval.ok ? approval.value.created[0]?.grant_id : undefined
    if (typeof grant !== 'string') ctx.fail('no Grant of the first customer to refer to (the approval step did not succeed)')
    const before = visitor.catcher.hits.length
    const { pending } = await visitor.open(formRequest(fc, scope, detail(), { state: 'afk-foreign-state', extra: { cds_grant_id: grant } }))
    return { back: await visitor.catcher.landed(before), state: pending.state }
  })

  const preselection = await observe(async () => {
    if (!relogin.ok) ctx.skip('the second customer is not logged in (the re-login step did not succeed)')
    const theirs = new Set(entryValues(relogin.value.after))
    const requested = accounts.find((n) => !theirs.has(n))
    if (requested === undefined) ctx.skip('the first two test customers have the same accounts')
    const before = visitor.catcher.hits.length
    const { shown } = await visitor.open(formRequest(fc, scope, detail({ account_numbers: [requested], error_if_no_preselections: true })))
    const redirected = visitor.catcher.hits.length > before
    await visitor.clickAndLoad('button', /different|another|log ?in as|switch/i)
    if (!(await visitor.isLogin())) ctx.fail(`choosing another customer did not lead to a login page (${page.url()})`)
    await logIn(ctx, page, customer)
    return { page: shown, redirected, requested, after: await snapshot(page) }
  })

  const preselectionDecline = await observe(async () => {
    const request = formRequest(fc, scope, detail({ account_numbers: ['NO-SUCH-ACCOUNT-0000'], error_if_no_preselections: true }), { state: 'afk-presel-state' })
    const { pending, shown } = await visitor.open(request)
    if (shown.login) ctx.fail('the session was lost before the Preselection Error step')
    const before = visitor.catcher.hits.length
    await clickDecision(ctx, page, 'decline')
    return { page: shown, back: await visitor.catcher.landed(before), state: pending.state }
  })

  return { fc, accounts, emptyApproval, approval, decline, errorRedirect, promptLogin, relogin, foreignGrant, preselection, preselectionDecline }
}

/** The run's decisions survey (made once, by the first check that asks). */
export function decisionSurvey(ctx: CheckContext): Promise<DecisionSurvey> {
  return ctx.once('afk:decisions', () => runDecisions(ctx))
}
