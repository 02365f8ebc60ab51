/**
 * CDS-WG3-01 §9.2 Authorization Form and §9.2.1 its layout: one page at phone and desktop
 * widths, the six sections in order, the header, the requester, the Requests Container and its
 * Request Sections, the Closing, Approval and Footer Sections. The unauthenticated form
 * (§9.2-14..18, §9.2.1.6-10..17) applies only to servers that show the form without a login.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { allForms, BROWSER, check, kindSurvey, namedForm } from './check-kit.js'
import type { PageSnapshot } from './form-snapshot.js'
import { DECISION_NAMES } from './consent.js'
import { asIsApproval } from './survey-approvals.js'
import { decisionSurvey } from './survey-decisions.js'
import { formSurvey } from './survey-forms.js'
import { entryValues, seen } from './survey-kit.js'

const ORDER = ['header', 'requester', 'requests', 'closing', 'approval', 'footer']

/** Not applicable on a server that authenticates the customer before the form. */
async function unauthenticatedOnly(ctx: CheckContext): Promise<never> {
  if (seen(ctx, (await formSurvey(ctx)).firstLogin, 'the first request')) ctx.notApplicable('the server authenticates the customer before every Authorization Form (no unauthenticated form)')
  ctx.skip('the form was shown without a login; this suite does not check the unauthenticated form yet')
}

/** Fails unless the sections of the form come in the §9.2.1 order, Closing optional. */
function expectOrder(ctx: CheckContext, form: PageSnapshot): void {
  const seenOrder = form.sections.filter((s) => ORDER.includes(s))
  const expected = ORDER.filter((s) => s !== 'closing' || seenOrder.includes('closing'))
  ctx.assert(seenOrder.join(' ') === expected.join(' '), `the sections at ${form.url} come as ${seenOrder.join(', ')}; expected ${expected.join(', ')}`)
}

/** Links that leave the page (not an anchor within it, not the footer's way to log in again). */
function leaving(form: PageSnapshot) {
  const here = form.url.split('#')[0]
  return form.links.filter((l) => l.href.split('#')[0] !== here && !(l.section === 'footer' && /log ?in|sign ?in|switch/i.test(l.text)) && !/^(javascript|mailto|tel):/i.test(l.href))
}

/** The approve and decline buttons of a form. */
function decisions(form: PageSnapshot) {
  const approve = form.buttons.find((b) => DECISION_NAMES.approve.test(b.text))
  const decline = form.buttons.find((b) => DECISION_NAMES.decline.test(b.text))
  return { approve, decline }
}

/** The checks of CDS-WG3-01 §9.2 and §9.2.1. */
export const layoutChecks: readonly Check[] = [
  check('R3-01-9.2-01', '§9.2', 'the Authorization Form has the framework of §9.2: header, requester, requests, approval and footer', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx)) for (const name of ['header', 'requester', 'requests', 'approval', 'footer']) ctx.assert(form.sections.includes(name), `the form at ${form.url} has no ${name} section`)
  }),
  check('R3-01-9.2-03', '§9.2', 'the form is one page: every Request Section and both decisions in one document, no wizard steps', async (ctx: CheckContext) => {
    const form = await namedForm(ctx, 'two')
    const { approve, decline } = decisions(form)
    ctx.assert(form.requests.length === 2 && approve !== undefined && decline !== undefined, 'the two Request Sections and both decisions are not on one page')
    ctx.assert(!form.buttons.some((b) => /^\s*(next|continue|step)\b/i.test(b.text)), 'the form has a next-step button')
  }),
  check('R3-01-9.2-04', '§9.2', 'at 375×812 the form does not overflow sideways and both decisions are visible controls', async (ctx: CheckContext) => {
    const { phone } = seen(ctx, (await formSurvey(ctx)).widths, 'the form at two widths')
    ctx.assert(phone.scrollWidth <= phone.innerWidth, `the page is ${phone.scrollWidth}px wide in a ${phone.innerWidth}px window`)
    const { approve, decline } = decisions(phone)
    ctx.assert(approve?.visible === true && decline?.visible === true, 'the approve and decline buttons are not both shown at 375 px')
  }),
  check('R3-01-9.2-05', '§9.2', 'at 1440×900 the form does not overflow sideways and both decisions are visible controls', async (ctx: CheckContext) => {
    const { desktop } = seen(ctx, (await formSurvey(ctx)).widths, 'the form at two widths')
    ctx.assert(desktop.scrollWidth <= desktop.innerWidth, `the page is ${desktop.scrollWidth}px wide in a ${desktop.innerWidth}px window`)
    const { approve, decline } = decisions(desktop)
    ctx.assert(approve?.visible === true && decline?.visible === true, 'the approve and decline buttons are not both shown at 1440 px')
  }),
  check('R3-01-9.2-11', '§9.2', 'approving and declining need no other page: one click on the form goes back to the Client', async (ctx: CheckContext) => {
    const survey = await decisionSurvey(ctx)
    const approval = seen(ctx, survey.approval, 'the approval')
    const decline = seen(ctx, survey.decline, 'the decline')
    ctx.assert(approval.back.searchParams.has('code') && decline.back.searchParams.get('error') === 'access_denied', 'a decision on the form did not go straight back to the Client')
  }),
  check('R3-01-9.2-13', '§9.2', 'every link that leaves the form opens in a new tab or window', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx))
      for (const link of leaving(form)) ctx.assert(link.target === '_blank', `the link “${link.text.split('\n')[0] ?? ''}” (${link.href}) on the form leaves it without target="_blank"`)
  }),
  ...['R3-01-9.2-14', 'R3-01-9.2-15', 'R3-01-9.2-16', 'R3-01-9.2-17', 'R3-01-9.2-18'].map((id) =>
    check(id, '§9.2', 'the unauthenticated form shows only what the request carries and collects a contact for the receipt', unauthenticatedOnly),
  ),
  check(
    'R3-01-9.2.1-01',
    '§9.2.1',
    'the sections come in order: header, requester, requests, closing (if any), approval, footer',
    async (ctx: CheckContext) => {
      for (const form of await allForms(ctx)) expectOrder(ctx, form)
    },
    BROWSER,
    undefined,
    ['R3-01-9.2-02'],
  ),
  check('R3-01-9.2.1.1-01', '§9.2.1.1', 'the header names the server’s brand, the same on the form and on the receipt', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    const header = (form.sectionText.header ?? '').split('\n')[0]?.trim() ?? ''
    ctx.assert(header.length > 1, 'the header section has no brand text')
    const receipt = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval').landed
    ctx.assert((receipt.sectionText.header ?? '').includes(header), `the receipt’s header does not carry the brand “${header}”`)
  }),
  check('R3-01-9.2.1.1-02', '§9.2.1.1', 'a heading says the page is an authorization request', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    ctx.assert(form.h1.some((h) => /authori[sz]/i.test(h)), `no h1 says this is an authorization (h1: ${form.h1.join(' | ')})`)
  }),
  check('R3-01-9.2.1.1-06', '§9.2.1.1', 'a linked logo or brand opens its site in a new tab', async (ctx: CheckContext) => {
    const links = leaving((await kindSurvey(ctx, 'account')).none).filter((l) => l.section === 'header')
    if (links.length === 0) ctx.notApplicable('the header links nowhere')
    for (const link of links) ctx.assert(link.target === '_blank', `the header link to ${link.href} does not open a new tab`)
  }),
  check('R3-01-9.2.1.1-08', '§9.2.1.1', 'the form shows nothing outside its sections (no unrelated content)', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx)) ctx.assert(form.strayText.length === 0, `the form at ${form.url} shows text outside its sections: ${form.strayText.slice(0, 2).join(' | ')}`)
  }),
  check('R3-01-9.2.1.1-09', '§9.2.1.1', 'no site navigation: no nav or menu, at most the brand link in the header', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    ctx.assert(form.navCount === 0, `the form has ${form.navCount} navigation element(s)`)
    ctx.assert(leaving(form).filter((l) => l.section === 'header').length <= 1, 'the header has more than one link away')
  }),
  check('R3-01-9.2.1.2-01', '§9.2.1.2', 'the requester section names the Client and says it requests access', async (ctx: CheckContext) => {
    const name = (await formSurvey(ctx)).fc.client_name
    const text = (await kindSurvey(ctx, 'account')).none.sectionText.requester ?? ''
    ctx.assert(text.includes(name) && /request/i.test(text), `the requester section says “${text.slice(0, 200)}”`)
  }),
  check('R3-01-9.2.1.2-03', '§9.2.1.2', 'a linked Client name links to the Client’s client_uri', async (ctx: CheckContext) => {
    const { fc } = await formSurvey(ctx)
    const links = (await kindSurvey(ctx, 'account')).none.links.filter((l) => l.section === 'requester')
    if (links.length === 0) ctx.notApplicable('the Client name is not linked (the server has not confirmed the client_uri)')
    ctx.assert(links.some((l) => l.href.replace(/\/$/, '') === fc.client_uri.replace(/\/$/, '') && l.text.includes(fc.client_name)), `the requester links ${links.map((l) => l.href).join(', ')}, not the client_uri with the name`)
  }),
  check('R3-01-9.2.1.2-04', '§9.2.1.2', 'the Client link opens a new tab with rel noopener', async (ctx: CheckContext) => {
    const links = (await kindSurvey(ctx, 'account')).none.links.filter((l) => l.section === 'requester')
    if (links.length === 0) ctx.notApplicable('the Client name is not linked')
    for (const link of links) ctx.assert(link.target === '_blank' && /\bnoopener\b/.test(link.rel ?? ''), `the Client link has target=${String(link.target)} rel=${String(link.rel)}`)
  }),
  check('R3-01-9.2.1.3-01', '§9.2.1.3', 'the Requests Container holds one or more Request Sections', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx)) ctx.assert(form.requests.length >= 1 && form.requests.every((r) => r.inContainer), `the form at ${form.url} has Request Sections outside the container, or none`)
  }),
  check('R3-01-9.2.1.3-02', '§9.2.1.3', 'two Request Sections are clearly separated', async (ctx: CheckContext) => {
    const form = await namedForm(ctx, 'two')
    ctx.assert(form.requests.length === 2 && form.requests.every((r) => r.separated), 'the two Request Sections are not each set apart by a heading, border or section element')
  }),
  check('R3-01-9.2.1.3-03', '§9.2.1.3', 'a Request Section can be removed when modifications are allowed, but never the last one', async (ctx: CheckContext) => {
    const removal = seen(ctx, (await formSurvey(ctx)).removal, 'removing a Request Section')
    if (removal.after === undefined) ctx.fail('two Request Sections that allow modifications offer no way to remove one')
    ctx.assert(removal.after.requests.length === removal.before - 1, `removing left ${removal.after.requests.length} of ${removal.before} sections`)
    ctx.assert(removal.after.requests.every((r) => !r.removable), 'the last Request Section can still be removed')
  }),
  check('R3-01-9.2.1.4-01', '§9.2.1.4', 'the components come in order: data, duration, selection, purpose (if any)', async (ctx: CheckContext) => {
    const order = ['data', 'duration', 'selection', 'purpose']
    for (const form of await allForms(ctx))
      for (const section of form.requests) {
        const got = section.components.filter((c) => order.includes(c))
        const expected = order.filter((c) => c !== 'purpose' || got.includes('purpose'))
        ctx.assert(got.join(' ') === expected.join(' '), `a Request Section at ${form.url} has the components ${got.join(', ')}`)
      }
  }),
  check('R3-01-9.2.1.4-02', '§9.2.1.4', 'one Request Section per scope, and one for scopes merged with merge_selection_with', async (ctx: CheckContext) => {
    ctx.assert((await namedForm(ctx, 'two')).requests.length === 2, 'two scopes did not give two Request Sections')
    ctx.assert((await namedForm(ctx, 'merged')).requests.length === 1, 'two merged scopes did not give one Request Section')
  }),
  check('R3-01-9.2.1.4-03', '§9.2.1.4', 'sections are editable or not as allow_scope_modifications says', async (ctx: CheckContext) => {
    ctx.assert((await namedForm(ctx, 'two-fixed')).requests.every((r) => !r.removable), 'sections with allow_scope_modifications false can be removed')
    const removal = seen(ctx, (await formSurvey(ctx)).removal, 'removing a Request Section')
    ctx.assert(removal.after !== undefined, 'sections with allow_scope_modifications true cannot be removed')
  }),
  check('R3-01-9.2.1.4-04', '§9.2.1.4', 'an editable section is prefilled with the request: approving unchanged grants the request as it was', async (ctx: CheckContext) => {
    const { requested, tokens, grant } = await asIsApproval(ctx)
    const entry = (tokens.authorization_details as Json[] | undefined)?.find((d) => d.type === requested.type)
    if (entry === undefined) ctx.fail('the tokens carry no authorization details of the requested scope')
    ctx.assert(entry.include_account_numbers === true, 'include_account_numbers was asked for but not granted')
    const until = Date.parse(String(entry.sync_until))
    ctx.assert(Math.abs(until - (Date.now() + 2 * 365 * 86_400_000)) < 4 * 86_400_000, `sync_until is ${String(entry.sync_until)}, not two years from now`)
    ctx.assert(grant.status === 'active' && String(grant.scope) === String(requested.type), `the Grant is ${String(grant.status)} for ${String(grant.scope)}`)
  }),
  check('R3-01-9.2.1.5-01', '§9.2.1.5', 'the Closing Section holds only what approval requires: every field in it is required', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx)) ctx.assert(form.closingInputs.every((i) => i.required), `the Closing Section at ${form.url} has an optional field`)
  }),
  check('R3-01-9.2.1.5-02', '§9.2.1.5', 'no optional fields (surveys, marketing) in the Closing Section', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx))
      ctx.assert(!form.closingInputs.some((i) => !i.required && i.type !== 'email' && i.type !== 'tel'), `the Closing Section at ${form.url} has an optional field that is not a contact field`)
  }),
  check('R3-01-9.2.1.5-06', '§9.2.1.5', 'long required Closing content scrolls in a block of its own', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    if ((form.sectionText.closing ?? '').split('\n').length <= 10) ctx.notApplicable('the Closing Section holds no long content')
    ctx.skip('the Closing Section holds long content; this suite does not find its scrolling block yet')
  }),
  ...['R3-01-9.2.1.5-08', 'R3-01-9.2.1.5-11'].map((id) =>
    check(id, '§9.2.1.5', 'a contact field in the Closing Section says what the contact is for and takes only email or phone', async (ctx: CheckContext) => {
      const contacts = (await allForms(ctx)).flatMap((f) => f.closingInputs.filter((i) => i.type === 'email' || i.type === 'tel' || i.type === 'text'))
      if (contacts.length === 0) ctx.notApplicable('the form asks for no contact information (the customer is logged in)')
      ctx.skip('the form asks for contact information; this suite does not check that field yet')
    }),
  ),
  check('R3-01-9.2.1.6-01', '§9.2.1.6', 'the Approval Section shows approve and decline buttons, visible and of a fair size', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    const { approve, decline } = decisions(form)
    for (const [name, button] of [['approve', approve], ['decline', decline]] as const) {
      ctx.assert(button !== undefined && button.section === 'approval' && button.visible, `no visible ${name} button in the Approval Section`)
      ctx.assert(button.height >= 24 && button.width >= 44, `the ${name} button is only ${Math.round(button.width)}×${Math.round(button.height)} px`)
    }
  }),
  check('R3-01-9.2.1.6-02', '§9.2.1.6', 'the buttons say what they do (Authorize or Approve, Decline)', async (ctx: CheckContext) => {
    const { approve, decline } = decisions((await kindSurvey(ctx, 'account')).none)
    ctx.assert(approve !== undefined && decline !== undefined, 'the buttons are not labelled as approving and declining')
  }),
  check('R3-01-9.2.1.6-03', '§9.2.1.6', 'declining needs no selection', async (ctx: CheckContext) => {
    const decline = seen(ctx, (await decisionSurvey(ctx)).decline, 'the decline with nothing selected')
    ctx.assert(decline.back.searchParams.get('error') === 'access_denied', `the decline went back with ${decline.back.search}`)
  }),
  // approval needs a selection (or the include-future option) in every remaining section.
  check('R3-01-9.2.1.6-04', '§9.2.1.6', 'approving with nothing selected marks the problem and allows a corrected approval', async (ctx: CheckContext) => {
    const survey = await decisionSurvey(ctx)
    const empty = seen(ctx, survey.emptyApproval, 'the approval with nothing selected')
    ctx.assert(!empty.redirected, 'the approval with nothing selected went back to the Client')
    ctx.assert(empty.invalid > 0 && empty.page.requests.length > 0, 'the form shows no marked error (aria-invalid or an alert)')
    ctx.assert(seen(ctx, survey.approval, 'the corrected approval').back.searchParams.has('code'), 'the corrected approval did not succeed')
  }),
  check('R3-01-9.2.1.6-05', '§9.2.1.6', 'a double click on approve gives one Grant and one receipt', async (ctx: CheckContext) => {
    const approval = seen(ctx, (await decisionSurvey(ctx)).approval, 'the approval')
    ctx.assert(approval.created.length === 1, `the double click created ${approval.created.length} Grants`)
    ctx.assert((approval.created[0]?.receipt_confirmations as unknown[] | undefined)?.length === 1, 'the Grant has more than one receipt')
  }),
  check('R3-01-9.2.1.6-07', '§9.2.1.6', 'one click on decline (or approve) is all it takes', async (ctx: CheckContext) => {
    const decline = seen(ctx, (await decisionSurvey(ctx)).decline, 'the decline')
    ctx.assert(decline.back.searchParams.has('error'), 'one click on decline did not go back to the Client')
  }),
  check('R3-01-9.2.1.6-08', '§9.2.1.6', 'steps required by regulation (such as typing one’s name) are present when configured', async (ctx: CheckContext) => {
    const form = (await kindSurvey(ctx, 'account')).none
    if (form.closingInputs.length === 0) ctx.notApplicable('the server asks for no regulatory step')
    ctx.assert(form.closingInputs.every((i) => i.required), 'a regulatory step is not required')
  }),
  ...['R3-01-9.2.1.6-10', 'R3-01-9.2.1.6-11', 'R3-01-9.2.1.6-12', 'R3-01-9.2.1.6-13', 'R3-01-9.2.1.6-14', 'R3-01-9.2.1.6-15', 'R3-01-9.2.1.6-16', 'R3-01-9.2.1.6-17'].map((id) =>
    check(id, '§9.2.1.6', 'an unauthenticated approval verifies the contact information first (one-time code)', unauthenticatedOnly),
  ),
  check('R3-01-9.2.1.7-01', '§9.2.1.7', 'the footer’s re-login switches the customer and shows the form with the new customer’s resources', async (ctx: CheckContext) => {
    const { before, after } = seen(ctx, (await decisionSurvey(ctx)).relogin, 'the re-login')
    ctx.assert(after.requests.length > 0, 'after the re-login the browser is not on the form')
    ctx.assert(entryValues(after).join() !== entryValues(before).join(), 'the form after the re-login lists the same resources as before')
    ctx.assert((after.sectionText.footer ?? '') !== (before.sectionText.footer ?? ''), 'the footer still names the first customer')
  }),
]
