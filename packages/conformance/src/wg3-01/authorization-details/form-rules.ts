/**
 * What the §7.4 fields do on the Authorization Form (the "Customer UI" rows of CDS-WG3-01 §7.4 and
 * §8.3): the requested Selection Type is the one rendered (§7.4.1), merged scopes share one Request
 * Section and unmerged ones do not (§7.4.2), the Preselection Error (§7.4.3, shared with the §9
 * decision survey), the Purpose Component (§7.4.4), editable and fixed forms (§7.4.5), and a
 * Purpose's `name` kept from the customer (§8.3). The forms are opened once per run.
 *
 * @module
 */
import type { Page } from 'playwright-core'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { formRequest } from '../authorization-form/form-client.js'
import type { PageSnapshot } from '../authorization-form/form-snapshot.js'
import { decisionSurvey } from '../authorization-form/survey-decisions.js'
import { observe, seen, Visitor, type Observation } from '../authorization-form/survey-kit.js'
import { consentCheck } from './consent-lab.js'
import { KINDS, world, type World } from './form-batches.js'
import { cdScopes, choiceIds, show, type CdScope } from './kit.js'

/** A form and the modification controls each of its Request Sections shows. */
interface Seen {
  form: PageSnapshot
  /** Per section: checkboxes, selects and date inputs outside the Selection Component, plus remove controls. */
  controls: number[]
}

/** Counts the controls a customer could change a section with (outside its Selection Component). */
async function controlsOf(page: Page): Promise<number[]> {
  return page.locator('[data-cds-request-section]').evaluateAll((sections) =>
    sections.map((s) => {
      const inputs = Array.from(s.querySelectorAll('input[type=checkbox], select, input[type=date], input[type=datetime-local]')).filter((el) => el.closest('[data-cds-component="selection"]') === null)
      const remove = Array.from(s.querySelectorAll('button, a')).filter((el) => /remove/i.test(el.textContent ?? ''))
      return inputs.length + remove.length
    }),
  )
}

interface FormSurvey {
  w: World
  selection: Observation<{ seen: Seen; kind: string; scope: string }>
  merged: Observation<Seen>
  unmerged: Observation<Seen>
  fixed: Observation<Seen>
  editable: Observation<Seen>
  clientPurpose: Observation<{ seen: Seen; name: string }>
  noPurposeField: Observation<Seen>
  noPreselection: Observation<Seen>
}

const scopeOf = (w: World, type: string): CdScope | undefined => w.scopes.find((s) => s.type === type)

/** The survey (once per run). */
function survey(ctx: CheckContext): Promise<FormSurvey> {
  return ctx.once('adf:form-rules', async () => {
    const w = await world(ctx)
    const visitor = await Visitor.open(ctx, w.fc.redirect_uri)
    const open = async (scopes: readonly CdScope[], details: Json[]): Promise<Seen> => {
      const { form } = await visitor.form(formRequest(w.fc, scopes.map((s) => s.id).join(' '), details), ctx.customer())
      return { form, controls: await controlsOf(visitor.page) }
    }
    const need = (s: CdScope | undefined, what: string): CdScope => s ?? ctx.notApplicable(`the suite holds no ${what} scope`)
    const accounts = () => need(scopeOf(w, 'cds_accounts') ?? w.scopes.find((s) => s.fields.has('purpose')), 'Account List')
    const selection = await observe(async () => {
      // A scope that offers a Selection besides its default: ask for the other one.
      const scope = need(w.scopes.find((s) => choiceIds(s.fields.get('authorization_form_selection_type')).length > 1), 'multi-Selection')
      const field = scope.fields.get('authorization_form_selection_type')
      const kind = choiceIds(field).find((c) => c !== field?.default && KINDS.some((k) => k.choice === c)) ?? ''
      return { seen: await open([scope], [{ type: scope.rarType, authorization_form_selection_type: kind }]), kind, scope: scope.id }
    })
    const pair = w.scopes.filter((s) => s.fields.has('merge_selection_with') && s.fields.get('authorization_form_selection_type')?.default === 'account_selection' && (s.type === 'cds_accounts' || s.type === 'cds_bill_statements'))
    const merged = await observe(async () => {
      if (pair.length < 2) ctx.notApplicable('the suite holds no Account List and Bill Statements scopes to merge')
      return open(pair, pair.map((s, i) => ({ type: s.rarType, merge_selection_with: pair[(i + 1) % pair.length]?.id })))
    })
    const unmerged = await observe(async () => {
      if (pair.length < 2) ctx.notApplicable('the suite holds no two scopes with an Account Selection')
      return open(pair, pair.map((s) => ({ type: s.rarType })))
    })
    // The same request, fixed and editable: shared data a customer could turn off, a duration they could shorten.
    const shared = () => Object.fromEntries([...accounts().fields.keys()].filter((id) => id.startsWith('include_') && accounts().fields.get(id)?.format === 'boolean').map((id) => [id, true]))
    const fixed = await observe(async () => open([accounts()], [{ type: accounts().rarType, ...shared(), purpose: null, allow_scope_modifications: false }]))
    const editable = await observe(async () => open([accounts()], [{ type: accounts().rarType, ...shared(), allow_scope_modifications: true }]))
    const clientPurpose = await observe(async () => {
      const purpose = w.fc.purpose ?? ctx.notApplicable('the server did not take the suite\'s Client-written Purpose')
      const named = ((w.fc.client.cds_purposes ?? {}) as Record<string, Json>)[purpose]?.name
      const name = typeof named === 'string' ? named : ''
      return { seen: await open([accounts()], [{ type: accounts().rarType, purpose }]), name }
    })
    const noPurposeField = await observe(async () => {
      // Aggregation Inclusion has no purpose field; it needs the customer's aggregation and premises (§6.1.10).
      const held = String(w.fc.client.scope).split(' ')
      const scope = need((await cdScopes(ctx)).find((x) => x.consent && held.includes(x.id) && !x.fields.has('purpose')), 'consent scope without purpose')
      const aggregation = [...(w.mine.get('aggregations') ?? new Set<string>())][0]
      if (aggregation === undefined) ctx.notApplicable('the test customer belongs to no aggregation')
      const premises = [...(w.mine.get('servicepoints') ?? new Set<string>())].flatMap((sp) => ((w.graph.get('servicepoints')?.get(sp)?.premises ?? []) as Json[]).map((p) => String(p.premise_number)))
      const entry: Json = { type: scope.rarType }
      if (scope.fields.has('aggregation_numbers')) entry.aggregation_numbers = [w.numberOf('aggregations', aggregation)]
      if (scope.fields.has('premise_numbers') && premises.length > 0) entry.premise_numbers = premises
      return open([scope], [entry])
    })
    const noPreselection = await observe(async () => open([accounts()], [{ type: accounts().rarType, error_if_no_preselections: true }]))
    return { w, selection, merged, unmerged, fixed, editable, clientPurpose, noPurposeField, noPreselection }
  })
}

/** The text of a Purpose Component of the first section, or null. */
const purposeText = (s: Seen) => s.form.requests[0]?.purpose?.text ?? null

/** Every check of this file. */
export const formRuleChecks: readonly Check[] = [
  consentCheck('R3-01-7.4.1-07', '7.4.1', 'the requested Selection Type is the Selection the form renders', async (ctx: CheckContext) => {
    const s = await survey(ctx)
    const { seen: form, kind, scope } = seen(ctx, s.selection, 'the form with a requested Selection Type')
    const k = KINDS.find((x) => x.choice === kind)
    if (k === undefined) ctx.notApplicable(`the suite cannot tell ${kind} entries apart`)
    const numbers = new Set([...(s.w.mine.get(k.api) ?? new Set<string>())].map((id) => s.w.numberOf(k.api, id)))
    const entries = form.form.requests[0]?.selection?.entries ?? []
    if (entries.length === 0) ctx.fail(`${scope} with ${kind} shows no Selection entries`)
    const stray = entries.filter((e) => !numbers.has(e.value))
    if (stray.length > 0) ctx.fail(`${scope} with ${kind} lists ${show(stray.map((e) => e.value))}, which are not the customer's ${k.api}`)
  }),
  consentCheck('R3-01-7.4.2-15', '7.4.2', 'merged scopes are one Request Section with one Selection Component', async (ctx: CheckContext) => {
    const form = seen(ctx, (await survey(ctx)).merged, 'the merged form').form
    if (form.requests.length !== 1) ctx.fail(`two merged scopes render ${form.requests.length} Request Sections, not one`)
    if (form.requests[0]?.selection === null) ctx.fail('the merged Request Section has no Selection Component')
  }),
  consentCheck('R3-01-7.4.2-17', '7.4.2', 'scopes without merge_selection_with each render their own Request Section and Selection', async (ctx: CheckContext) => {
    const form = seen(ctx, (await survey(ctx)).unmerged, 'the unmerged form').form
    if (form.requests.length !== 2) ctx.fail(`two unmerged scopes render ${form.requests.length} Request Sections, not two`)
    if (form.requests.some((r) => r.selection === null)) ctx.fail('an unmerged Request Section has no Selection Component')
  }),
  consentCheck('R3-01-7.4.3-03', '7.4.3', 'preselections matching nothing with error_if_no_preselections show the Preselection Error after login, not the form', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).preselectionDecline, 'the Preselection Error')
    if (page.requests.length > 0) ctx.fail('the Authorization Form was shown although the preselection matched nothing')
  }),
  consentCheck('R3-01-7.4.3-04', '7.4.3', 'the Preselection Error offers another login or cancelling', async (ctx: CheckContext) => {
    const { page } = seen(ctx, (await decisionSurvey(ctx)).preselectionDecline, 'the Preselection Error')
    const names = page.buttons.map((b) => b.text).concat(page.links.map((l) => l.text))
    if (!names.some((n) => /different|another|log ?in|switch/i.test(n))) ctx.fail(`the Preselection Error offers no other login (controls: ${show(names)})`)
    if (!names.some((n) => /cancel|decline|return|back/i.test(n))) ctx.fail(`the Preselection Error offers no way to cancel (controls: ${show(names)})`)
  }),
  consentCheck('R3-01-7.4.3-05', '7.4.3', 'cancelling the Preselection Error returns error=no_preselections with state', async (ctx: CheckContext) => {
    const { back, state } = seen(ctx, (await decisionSurvey(ctx)).preselectionDecline, 'the declined Preselection Error')
    // §7.4.3 says no_preselections, §9.3.1 invalid_authorization_details; the server documents which it sends.
    const error = back.searchParams.get('error') ?? ''
    if (!['no_preselections', 'invalid_authorization_details'].includes(error)) ctx.fail(`the redirect carries error=${show(error)}`)
    if (back.searchParams.get('state') !== state) ctx.fail('the redirect does not carry the request\'s state')
  }),
  consentCheck('R3-01-7.4.3-06', '7.4.3', 'error_if_no_preselections without preselection fields is ignored: the form shows', async (ctx: CheckContext) => {
    const form = seen(ctx, (await survey(ctx)).noPreselection, 'the form with error_if_no_preselections and no preselection').form
    if (form.requests.length === 0) ctx.fail('the form was not shown')
  }),
  consentCheck('R3-01-7.4.4-08', '7.4.4', 'a scope without a purpose field renders no Purpose Component', async (ctx: CheckContext) => {
    const form = seen(ctx, (await survey(ctx)).noPurposeField, 'the form of a scope without purpose')
    if (purposeText(form) !== null) ctx.fail(`a Purpose Component is shown: ${show(purposeText(form))}`)
  }),
  consentCheck('R3-01-7.4.4-09', '7.4.4', 'purpose null renders no Purpose Component', async (ctx: CheckContext) => {
    const form = seen(ctx, (await survey(ctx)).fixed, 'the form with purpose null')
    if (purposeText(form) !== null) ctx.fail(`a Purpose Component is shown: ${show(purposeText(form))}`)
  }),
  consentCheck('R3-01-7.4.4-10', '7.4.4', "a purpose renders the Purpose Component with the Client object's Purpose content", async (ctx: CheckContext) => {
    const s = await survey(ctx)
    const { seen: form } = seen(ctx, s.clientPurpose, 'the form with the Client-written Purpose')
    const purpose = ((s.w.fc.client.cds_purposes ?? {}) as Record<string, Json>)[s.w.fc.purpose ?? '']
    const first = (typeof purpose?.content === 'string' ? purpose.content : '').split('\n')[0] ?? ''
    const text = purposeText(form)
    if (text === null) ctx.fail('no Purpose Component is shown')
    if (!text.includes(first)) ctx.fail(`the Purpose Component does not show the Purpose's content (${show(first)})`)
  }),
  consentCheck('R3-01-7.4.5-05', '7.4.5', 'allow_scope_modifications false: the form offers no control to change the request', async (ctx: CheckContext) => {
    const s = seen(ctx, (await survey(ctx)).fixed, 'the fixed form')
    if (s.form.requests.some((r) => r.removable) || s.controls.some((n) => n > 0)) ctx.fail(`the non-editable form shows ${show(s.controls)} modification controls`)
  }),
  consentCheck('R3-01-7.4.5-07', '7.4.5', 'allow_scope_modifications is honoured: controls when true, none when false', async (ctx: CheckContext) => {
    const s = await survey(ctx)
    const editable = seen(ctx, s.editable, 'the editable form')
    const fixed = seen(ctx, s.fixed, 'the fixed form')
    if (!editable.controls.some((n) => n > 0) && !editable.form.requests.some((r) => r.removable)) ctx.notApplicable('the server offers no customer modification controls')
    if (fixed.controls.some((n) => n > 0)) ctx.fail('the form with allow_scope_modifications false still shows modification controls')
  }),
  consentCheck('R3-01-8.3-02', '8.3', "the Purpose's name is never shown to the customer", async (ctx: CheckContext) => {
    const { seen: form, name } = seen(ctx, (await survey(ctx)).clientPurpose, 'the form with the Client-written Purpose')
    if (name !== '' && form.form.text.includes(name)) ctx.fail(`the form shows the Purpose name ${show(name)}`)
  }),
]
