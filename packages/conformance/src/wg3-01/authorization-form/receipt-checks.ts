/**
 * CDS-WG3-01 §9.4 Authorization Receipt: made at approval, one confirmation number each, a
 * random unlisted URL that opens without a login, what it shows with and without a session, a
 * snapshot that keeps the approval's details while the current state is shown beside them, the
 * replaced receipt, and revocation without a login. The email notification rows need a mailbox
 * and are not checked.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { check, kindSurvey, yearFromNow } from './check-kit.js'
import { customerTruth } from './customer-truth.js'
import { PURPOSE_LAST_LINE, purposeContent } from './form-client.js'
import { jargonIn, type PageSnapshot } from './form-snapshot.js'
import { asIsApproval } from './survey-approvals.js'
import { decisionSurvey } from './survey-decisions.js'
import { seen } from './survey-kit.js'
import { receiptSurvey, type ReceiptSurvey } from './survey-receipts.js'

/** The receipt of the approved Grant, opened without a session. */
async function anonymous(ctx: CheckContext): Promise<{ survey: ReceiptSurvey; page: PageSnapshot; status: number; robotsHeader: string | null }> {
  const survey = await receiptSurvey(ctx)
  return { survey, ...seen(ctx, survey.anonymous, 'the receipt without a session') }
}

/** The receipt confirmation numbers of a Grant. */
const confirmations = (grant: Json | undefined): string[] => ((grant?.receipt_confirmations ?? []) as unknown[]).map(String)

/** The numbers of the first customer's resources (Customer Data a visitor without a session must not see). */
async function customerNumbers(ctx: CheckContext): Promise<string[]> {
  const truth = await customerTruth(ctx)
  return [
    ...truth.accounts.map((a) => a.account_number),
    ...truth.service_contracts.map((c) => c.contract_number),
    ...truth.service_points.map((s) => s.servicepoint_number),
    ...truth.meter_devices.map((m) => m.meter_number),
  ].filter((n): n is string => typeof n === 'string' && n.length > 2)
}

/** The checks of CDS-WG3-01 §9.4. */
export const receiptChecks: readonly Check[] = [
  check('R3-01-9.4-01', '§9.4', 'the receipt exists when the browser is sent back: the Grant already lists its confirmation', async (ctx: CheckContext) => {
    const grant = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval').created[0]
    ctx.assert(confirmations(grant).length > 0, 'the Grant read before the code exchange has no receipt confirmation')
  }),
  check('R3-01-9.4-02', '§9.4', 'the receipt is an HTML page of the server that shows the approval', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    ctx.assert(new URL(page.url).origin === new URL(ctx.baseUrl).origin || page.url.startsWith(ctx.baseUrl), 'the receipt is not on the server')
    ctx.assert(page.text.includes(survey.fc.client_name) && page.h1.length > 0, 'the receipt page does not show the approval')
  }),
  check('R3-01-9.4-03', '§9.4', 'every approved Grant has at least one receipt', async (ctx: CheckContext) => {
    ctx.assert(confirmations((await receiptSurvey(ctx)).grant).length >= 1, 'the approved Grant has no receipt')
    ctx.assert(confirmations((await asIsApproval(ctx)).grant).length >= 1, 'the second approved Grant has no receipt')
  }),
  check('R3-01-9.4-04', '§9.4', 'each receipt has its own confirmation number', async (ctx: CheckContext) => {
    const update = seen(ctx, (await receiptSurvey(ctx)).update, 'the Grant Authorization Request')
    const all = [...confirmations(update.grant), ...confirmations((await asIsApproval(ctx)).grant)]
    ctx.assert(all.length >= 3 && new Set(all).size === all.length, `the confirmation numbers repeat: ${all.join(', ')}`)
  }),
  check('R3-01-9.4-05', '§9.4', 'the receipt’s confirmation number is in its Grant’s receipt_confirmations', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    const number = confirmations(survey.grant)[0] ?? ''
    ctx.assert(number !== '' && page.text.includes(number), `the receipt does not show ${number}, the Grant’s confirmation`)
  }),
  check('R3-01-9.4-06', '§9.4', 'the receipt URL is random and names no confirmation number, Grant or Client', async (ctx: CheckContext) => {
    const { survey } = await anonymous(ctx)
    const url = survey.url
    for (const id of [...confirmations(survey.grant), String(survey.grant.grant_id), String(survey.grant.client_id)]) ctx.assert(!url.includes(id), `the receipt URL contains ${id}`)
    const longest = Math.max(...(new URL(url).pathname + new URL(url).search).split(/[^A-Za-z0-9_-]/).map((s) => s.length))
    ctx.assert(longest >= 22, `the receipt URL’s random part is only ${longest} characters (128 bits need 22 base64url characters)`)
  }),
  check('R3-01-9.4-07', '§9.4', 'the receipt opens without any login', async (ctx: CheckContext) => {
    const { status, page } = await anonymous(ctx)
    ctx.assert(status === 200 && !page.login, `the receipt answered ${status}${page.login ? ' with a login page' : ''}`)
  }),
  check('R3-01-9.4-08', '§9.4', 'the receipt tells search engines not to index it', async (ctx: CheckContext) => {
    const { page, robotsHeader } = await anonymous(ctx)
    ctx.assert(/noindex/i.test(page.robots ?? '') || /noindex/i.test(robotsHeader ?? ''), 'neither a robots meta tag nor X-Robots-Tag says noindex')
  }),
  check('R3-01-9.4-14', '§9.4', 'an approved Grant Authorization Request adds a new receipt to the Grant', async (ctx: CheckContext) => {
    const { update, grant } = await receiptSurvey(ctx)
    const after = confirmations(seen(ctx, update, 'the Grant Authorization Request').grant)
    ctx.assert(after.length === confirmations(grant).length + 1, `the Grant has ${after.length} receipts after the update`)
  }),
  check('R3-01-9.4-15', '§9.4', 'the receipt carries the same brand as the form', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    const brand = ((await kindSurvey(ctx, 'account')).none.sectionText.header ?? '').split('\n')[0]?.trim() ?? ''
    ctx.assert(brand !== '' && (page.sectionText.header ?? '').includes(brand), `the receipt’s header does not carry the brand “${brand}”`)
  }),
  check('R3-01-9.4-16', '§9.4', 'the receipt shows its confirmation number', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    ctx.assert(/confirmation/i.test(page.text) && page.text.includes(confirmations(survey.grant)[0] ?? '\u0000'), 'the receipt does not show its confirmation number')
  }),
  check('R3-01-9.4-17', '§9.4', 'the receipt shows when it was made (date and time)', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    ctx.assert(page.text.includes(yearFromNow(0)) && /\b\d{1,2}:\d{2}\b/.test(page.text), 'the receipt shows no creation date and time')
  }),
  check('R3-01-9.4-18', '§9.4', 'the receipt shows the Grant’s current status: active, then revoked', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    ctx.assert(/\bactive\b/i.test(page.text), 'the receipt of an active Grant does not say it is active')
    ctx.assert(/\brevoked\b/i.test(seen(ctx, survey.revoke, 'the revocation').page.text), 'after the revocation the receipt does not say revoked')
  }),
  check('R3-01-9.4-19', '§9.4', 'the receipt names the Client, linked to its client_uri', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    const link = page.links.find((l) => l.href.replace(/\/$/, '') === survey.fc.client_uri.replace(/\/$/, ''))
    ctx.assert(link !== undefined && link.text.includes(survey.fc.client_name), 'the receipt does not link the Client name to its client_uri')
  }),
  check('R3-01-9.4-20', '§9.4', 'the Client link opens a new tab with rel noopener nofollow', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    const link = page.links.find((l) => l.href.replace(/\/$/, '') === survey.fc.client_uri.replace(/\/$/, ''))
    if (link === undefined) ctx.fail('the receipt does not link the Client')
    ctx.assert(link.target === '_blank' && /\bnoopener\b/.test(link.rel ?? '') && /\bnofollow\b/.test(link.rel ?? ''), `the link has target=${String(link.target)} rel=${String(link.rel)}`)
  }),
  check('R3-01-9.4-21', '§9.4', 'the receipt keeps the scope and details as approved, even after the Grant changed', async (ctx: CheckContext) => {
    const update = seen(ctx, (await receiptSurvey(ctx)).update, 'the Grant Authorization Request')
    // Approved with sync_until P1Y; the update made it infinite. The first receipt still says one year.
    ctx.assert(new RegExp(`\\b(1|one) year\\b|${yearFromNow(1)}`, 'i').test(update.first.text), 'the first receipt no longer shows the one-year duration it was approved with')
  }),
  // the selected resources are Customer Data, shown only after a login as their owner.
  check('R3-01-9.4-23', '§9.4', 'without a session the receipt shows no Customer Data', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    const shown = (await customerNumbers(ctx)).filter((n) => page.text.includes(n))
    ctx.assert(shown.length === 0, `the receipt shows ${shown.join(', ')} to a visitor without a session`)
  }),
  check('R3-01-9.4-24', '§9.4', 'without a session the receipt offers a login that comes back to it with the details', async (ctx: CheckContext) => {
    const survey = await receiptSurvey(ctx)
    const back = seen(ctx, survey.loginBack, 'the receipt’s login')
    ctx.assert(back.url.split('?')[0] === survey.url.split('?')[0], `the login led to ${back.url}, not back to the receipt`)
  }),
  check('R3-01-9.4-25', '§9.4', 'the receipt shows the resources selected at approval', async (ctx: CheckContext) => {
    const back = seen(ctx, (await receiptSurvey(ctx)).loginBack, 'the receipt after login')
    const selected = (await decisionSurvey(ctx)).accounts[0] ?? ''
    ctx.assert(selected !== '' && back.text.includes(selected), `the receipt does not show the selected account ${selected}`)
  }),
  check('R3-01-9.4-27', '§9.4', 'the receipt says future additions are included when that was chosen', async (ctx: CheckContext) => {
    ctx.assert(/future/i.test((await anonymous(ctx)).page.text), 'the receipt does not mention the included future accounts')
  }),
  check('R3-01-9.4-28', '§9.4', 'without a session the resource list hides the numbers and offers a login', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    const selected = (await decisionSurvey(ctx)).accounts[0] ?? '\u0000'
    ctx.assert(!page.text.includes(selected), `the receipt shows the selected account ${selected} without a session`)
    ctx.assert(page.links.some((l) => /log ?in|sign ?in/i.test(l.text)), 'the receipt offers no login for the details')
  }),
  check('R3-01-9.4-29', '§9.4', 'the receipt shows the Purpose as it was at approval', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    if (survey.fc.purpose === undefined) ctx.notApplicable('the server did not take the suite’s Client-written Purpose')
    ctx.assert(page.text.includes(purposeContent().split('\n')[0] ?? '') && page.text.includes(PURPOSE_LAST_LINE), 'the receipt does not show the whole Purpose')
  }),
  check('R3-01-9.4-30', '§9.4', 'the receipt keeps the approved Purpose after the Client changes it', async (ctx: CheckContext) => {
    const changes = seen(ctx, (await receiptSurvey(ctx)).changes, 'the changes after approval')
    if (!changes.purposeChanged) ctx.notApplicable('the server did not apply the Purpose change, so there is nothing to compare')
    ctx.assert(!changes.page.text.includes('A line added after the approval.'), 'the receipt shows the Purpose as it is now, not as approved')
    ctx.assert(changes.page.text.includes(PURPOSE_LAST_LINE), 'the receipt lost the approved Purpose')
  }),
  check('R3-01-9.4-31', '§9.4', 'the receipt links the terms approved', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    ctx.assert(page.links.some((l) => /terms/i.test(l.text) && l.section !== 'footer'), 'the receipt has no link to the terms (outside the footer)')
  }),
  check('R3-01-9.4-32', '§9.4', 'the receipt links customer support', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    ctx.assert(page.links.some((l) => /support|help|contact/i.test(l.text)), 'the receipt has no link to customer support')
  }),
  check('R3-01-9.4-33', '§9.4', 'the receipt offers revocation while the Grant gives access, and not after', async (ctx: CheckContext) => {
    const { page, survey } = await anonymous(ctx)
    ctx.assert([...page.links.map((l) => l.text), ...page.buttons.map((b) => b.text)].some((t) => /revoke|cancel|stop/i.test(t)), 'the receipt of an active Grant offers no revocation')
    const after = seen(ctx, survey.revoke, 'the revocation').page
    ctx.assert(![...after.links.map((l) => l.text), ...after.buttons.map((b) => b.text)].some((t) => /revoke/i.test(t)), 'the receipt of a revoked Grant still offers revocation')
  }),
  check('R3-01-9.4-34', '§9.4', 'revoking from the receipt works without a login: the Grant is revoked and its token stops working', async (ctx: CheckContext) => {
    const revoke = seen(ctx, (await receiptSurvey(ctx)).revoke, 'the revocation')
    ctx.assert(revoke.grant.status === 'revoked', `the Grant is ${String(revoke.grant.status)}`)
    ctx.assert(revoke.grant.enabled_scope === '' || revoke.grant.enabled_scope === undefined, `the revoked Grant still enables ${String(revoke.grant.enabled_scope)}`)
    ctx.assert(!revoke.tokenActive, 'the Grant’s access token still works')
  }),
  check('R3-01-9.4-36', '§9.4', 'the receipt uses no spec jargon', async (ctx: CheckContext) => {
    const { page } = await anonymous(ctx)
    const found = jargonIn(page.text)
    ctx.assert(found === undefined, `the receipt says “${found ?? ''}”`)
  }),
  check('R3-01-9.4-37', '§9.4', 'after the Client is renamed, the receipt shows the name approved and the current one', async (ctx: CheckContext) => {
    const changes = seen(ctx, (await receiptSurvey(ctx)).changes, 'the changes after approval')
    const original = (await receiptSurvey(ctx)).fc.client_name
    ctx.assert(changes.page.text.includes(changes.renamed) && changes.page.text.replace(changes.renamed, '').includes(original), 'the receipt does not show both the original and the new Client name')
  }),
  check('R3-01-9.4-38', '§9.4', 'a replaced receipt says so and links the newer receipt', async (ctx: CheckContext) => {
    const update = seen(ctx, (await receiptSurvey(ctx)).update, 'the Grant Authorization Request')
    ctx.assert(/replaced|superseded|newer|more recent|updated/i.test(update.first.text), 'the first receipt does not say it was replaced')
    ctx.assert(update.first.links.some((l) => l.href.split('#')[0] === update.url.split('#')[0]), 'the first receipt does not link the newer receipt')
  }),
]
