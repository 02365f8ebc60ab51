/**
 * The receipts survey, made once per run on the Grant the decisions survey approved: the receipt
 * opened without a session, its login link, a Grant Authorization Request that updates the Grant
 * (a second receipt, the first one superseded), the Client renamed and its Purpose changed after
 * approval, and the revocation from the receipt without a session.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { clickDecision, codeOf, exchangeCode, logIn } from './consent.js'
import { formRequest, grantsOf, type FormClient } from './form-client.js'
import { snapshot, type PageSnapshot } from './form-snapshot.js'
import { decisionSurvey, type Approval } from './survey-decisions.js'
import { clickAndSettle, observe, seen, Visitor, type Observation } from './survey-kit.js'

/** What the receipts survey saw. */
export interface ReceiptSurvey {
  fc: FormClient
  approval: Approval
  /** The Grant right after the approval, and its receipt's URL. */
  grant: Json
  url: string
  /** The receipt without a session: the HTTP status and `X-Robots-Tag`, and the page. */
  anonymous: Observation<{ status: number; robotsHeader: string | null; page: PageSnapshot }>
  /** The receipt's login link followed: the receipt again, logged in. */
  loginBack: Observation<PageSnapshot>
  /** The Grant updated by a Grant Authorization Request: the Grant after it, the new receipt, and the first receipt now. */
  update: Observation<{ grant: Json; url: string; first: PageSnapshot; tokens: Json }>
  /** The Client renamed and its Purpose text changed after approval: the current receipt then. */
  changes: Observation<{ page: PageSnapshot; renamed: string; purposeChanged: boolean; originalPurpose: string }>
  /** Revoked from the receipt without a session: the Grant, whether its token still works, and the receipt after. */
  revoke: Observation<{ grant: Json; tokenActive: boolean; page: PageSnapshot }>
}

/** Sends a JSON request with the admin token. */
async function call(ctx: CheckContext, fc: FormClient, method: string, url: string, json?: unknown): Promise<Json> {
  const response = await ctx.request({ method, url, bearer: fc.adminToken, ...(json === undefined ? {} : { json }) })
  if (response.status < 200 || response.status > 299) ctx.fail(`${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  return response.json<Json>()
}

/** Whether an access token still works: introspection when offered, else a Customer Data API read. */
async function tokenActive(ctx: CheckContext, fc: FormClient, token: string): Promise<boolean> {
  const asm = await ctx.oauthMetadata()
  if (typeof asm.introspection_endpoint === 'string') {
    const response = await ctx.request({ url: asm.introspection_endpoint, basic: fc.credentials, form: { token } })
    ctx.expectStatus(response, 200)
    return response.json<Json>().active === true
  }
  const api = typeof asm.cds_accounts_api === 'string' ? asm.cds_accounts_api : ctx.notApplicable('no introspection endpoint and no Accounts API to try the token on')
  return (await ctx.request({ url: api, bearer: token })).status === 200
}

/** Runs the survey. */
async function runReceipts(ctx: CheckContext): Promise<ReceiptSurvey> {
  const decisions = await decisionSurvey(ctx)
  const fc = decisions.fc
  const approval = seen(ctx, decisions.approval, 'the approval of the decisions survey')
  const grant = approval.created[0]
  if (grant === undefined) ctx.fail('the approval created no Grant')
  const url = approval.landed.url
  const customer = ctx.customer()

  const anonymous = await observe(async () => {
    const page = await ctx.page()
    const response = await page.goto(url)
    return { status: response?.status() ?? 0, robotsHeader: (await response?.allHeaders())?.['x-robots-tag'] ?? null, page: await snapshot(page) }
  })
  const loginBack = await observe(async () => {
    const page = await ctx.page()
    await page.goto(url)
    const link = page.getByRole('link', { name: /log ?in|sign ?in/i }).first()
    if ((await link.count()) === 0) ctx.fail('the receipt offers no login link to a visitor without a session')
    await clickAndSettle(page, link)
    await logIn(ctx, page, customer)
    return snapshot(page)
  })

  const update = await observe(async () => {
    const visitor = await Visitor.open(ctx, fc.redirect_uri)
    const scope = String(grant.scope)
    const details = (grant.authorization_details as Json[] | undefined)?.map((d) => ({ type: d.type, ...(fc.purpose === undefined ? {} : { purpose: fc.purpose }) }))
    const { pending } = await visitor.form(formRequest(fc, scope, details, { extra: { cds_grant_id: String(grant.grant_id) } }), customer)
    const boxes = visitor.page.locator('[data-cds-request-section] [data-cds-component="selection"] input[type=checkbox]')
    if ((await visitor.page.locator('[data-cds-request-section] [data-cds-component="selection"] input[type=checkbox]:checked').count()) === 0 && (await boxes.count()) > 0)
      await boxes.first().check()
    const before = visitor.catcher.hits.length
    await clickDecision(ctx, visitor.page, 'approve')
    const back = await visitor.catcher.landed(before)
    const newUrl = visitor.page.url()
    const tokens = await exchangeCode(ctx, pending, codeOf(ctx, pending, back))
    const after = (await grantsOf(ctx, fc, `grant_ids=${String(grant.grant_id)}`)).find((g) => g.grant_id === grant.grant_id)
    if (after === undefined) ctx.fail(`the Grants API no longer lists ${String(grant.grant_id)}`)
    const page = await ctx.page()
    await page.goto(url)
    return { grant: after, url: newUrl, first: await snapshot(page), tokens }
  })

  const changes = await observe(async () => {
    const current = seen(ctx, update, 'the receipt of the updated Grant')
    const uri = String(fc.client.cds_client_uri)
    const before = await call(ctx, fc, 'GET', uri)
    const purposes = (before.cds_purposes ?? {}) as Record<string, Json>
    const original = fc.purpose === undefined ? undefined : purposes[fc.purpose]
    const renamed = `${String(before.client_name)} Renamed`
    const changedPurposes = original === undefined ? purposes : { ...purposes, [String(original.id)]: { ...original, content: `${String(original.content)}\nA line added after the approval.` } }
    await ctx.request({ method: 'PUT', url: uri, bearer: fc.adminToken, json: { ...before, client_name: renamed, cds_purposes: changedPurposes } })
    try {
      const now = await call(ctx, fc, 'GET', uri)
      if (now.client_name !== renamed) ctx.notApplicable('the server holds a change of client_name for review, so the receipt cannot be shown a changed name')
      const nowPurpose = original === undefined ? undefined : ((now.cds_purposes ?? {}) as Record<string, Json>)[String(original.id)]
      const page = await ctx.page()
      await page.goto(current.url)
      return {
        page: await snapshot(page),
        renamed,
        purposeChanged: nowPurpose !== undefined && nowPurpose.content !== original?.content,
        originalPurpose: typeof original?.content === 'string' ? original.content : '',
      }
    } finally {
      const now = await call(ctx, fc, 'GET', uri)
      await ctx.request({ method: 'PUT', url: uri, bearer: fc.adminToken, json: { ...now, client_name: before.client_name, cds_purposes: purposes } })
    }
  })

  const revoke = await observe(async () => {
    const current = seen(ctx, update, 'the receipt of the updated Grant')
    const page = await ctx.page()
    await page.goto(current.url)
    const link = page.getByRole('link', { name: /revoke/i }).or(page.getByRole('button', { name: /revoke/i })).first()
    if ((await link.count()) === 0) ctx.fail('the receipt of an active Grant offers no way to revoke it')
    await clickAndSettle(page, link)
    const confirm = page.getByRole('button', { name: /revoke/i }).first()
    if ((await confirm.count()) > 0) await clickAndSettle(page, confirm)
    await page.goto(current.url)
    const after = (await grantsOf(ctx, fc, `grant_ids=${String(grant.grant_id)}`)).find((g) => g.grant_id === grant.grant_id)
    if (after === undefined) ctx.fail(`the Grants API no longer lists ${String(grant.grant_id)}`)
    return { grant: after, tokenActive: await tokenActive(ctx, fc, String(current.tokens.access_token)), page: await snapshot(page) }
  })
  return { fc, approval, grant, url, anonymous, loginBack, update, changes, revoke }
}

/** The run's receipts survey (made once, by the first check that asks). */
export function receiptSurvey(ctx: CheckContext): Promise<ReceiptSurvey> {
  return ctx.once('afk:receipts', () => runReceipts(ctx))
}
