/**
 * Two smaller surveys made once per run: the Aggregation Inclusion form (CDS-WG3-01 §9.2.3.5,
 * with the premises of the first customer), and the long selection lists of §9.2.3.1 and
 * §9.2.3.2 (more than ten entries: search, scrolling, the live count, hiding unselected entries)
 * with the first test customer who has more than ten accounts.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { TestCustomer } from '../../core/options.js'
import { customerTruth } from './customer-truth.js'
import { formClient, formRequest } from './form-client.js'
import { snapshot, type PageSnapshot } from './form-snapshot.js'
import { formSurvey, SELECTION_KINDS, scopeWithField, type SelectionKind } from './survey-forms.js'
import { clickAndSettle, entryValues, observe, seen, Visitor, type Observation } from './survey-kit.js'

/** The Aggregation Inclusion forms. */
export interface AggregationConsentSurvey {
  /** The field's maximum (`expires`), when the server sets one. */
  maximum: string | undefined
  /** The form with a bounded `expires` (`P6M`), with `infinite`, and with `PT0S`. */
  bounded: Observation<PageSnapshot>
  infinite: Observation<PageSnapshot>
  now: Observation<PageSnapshot>
  /** The aggregation asked for. */
  aggregation: string
}

/** Runs the Aggregation Inclusion survey. */
async function runAggregationConsent(ctx: CheckContext): Promise<AggregationConsentSurvey> {
  const fc = await formClient(ctx)
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const scope = scopeWithField(fc, descriptions, 'expires', 'aggregation_selection', 'cds_aggregation_consent')
  if (scope === undefined) ctx.notApplicable('the server offers no Aggregation Inclusion scope')
  const kinds = (await formSurvey(ctx)).kinds
  const aggregation = entryValues(seen(ctx, kinds.get('aggregation'), 'the Aggregation Selection form').none)[0]
  if (aggregation === undefined) ctx.notApplicable('the first test customer belongs to no aggregation')
  const premises = (await customerTruth(ctx)).service_points.flatMap((sp) => ((sp.premises ?? []) as Json[]).map((p) => String(p.premise_number)))
  const fields = (descriptions[scope]?.authorization_details_fields_supported ?? []) as Json[]
  const max = fields.find((f) => f.id === 'expires')?.maximum
  const maximum = max === undefined || max === null ? undefined : JSON.stringify(max).replace(/"/g, '')
  const visitor = await Visitor.open(ctx, fc.redirect_uri)
  const form = (expires: string) =>
    observe(async () => {
      const detail = { type: scope, aggregation_numbers: [aggregation], ...(premises.length === 0 ? {} : { premise_numbers: premises }), expires }
      return (await visitor.form(formRequest(fc, scope, [detail]), ctx.customer())).form
    })
  const bounded = await form('P6M')
  const infinite: Observation<PageSnapshot> =
    maximum === undefined ? await form('infinite') : { ok: false, kind: 'na', reason: `the server limits expires to ${maximum}, so it cannot be infinite` }
  const now = await form('PT0S')
  return { maximum, bounded, infinite, now, aggregation }
}

/** The run's Aggregation Inclusion survey. */
export function aggregationConsentSurvey(ctx: CheckContext): Promise<AggregationConsentSurvey> {
  return ctx.once('afk:aggc', () => runAggregationConsent(ctx))
}

/** What a long list did. */
export interface LongList {
  form: PageSnapshot
  total: number
  /** The count's text before and after one more entry was checked. */
  counter: { before: string | null; after: string | null }
  /** The search query (an entry's number) and the entries still visible. */
  search: { query: string; visible: string[] }
  /** Hiding unselected entries: entries visible then, entries selected, and entries visible once shown again. */
  hide: { visible: number; selected: number; shownAgain: number }
}

/** The long lists survey. */
export interface LongListSurvey {
  customer: TestCustomer | undefined
  lists: ReadonlyMap<SelectionKind['key'], Observation<LongList>>
}

/** The first number in a text. */
export function firstNumber(text: string | null): number | undefined {
  const match = /\d+/.exec(text ?? '')
  return match === null ? undefined : Number(match[0])
}

/** Tries the long-list tools on the form the visitor is on. */
async function tryLongList(visitor: Visitor, form: PageSnapshot): Promise<LongList> {
  const page = visitor.page
  const section = page.locator('[data-cds-request-section]').first().locator('[data-cds-component="selection"]')
  const entries = form.requests[0]?.selection?.entries ?? []
  const boxes = section.locator('input[type=checkbox]')
  const read = async () => (await snapshot(page)).requests[0]?.selection
  const byValue = (value: string) => boxes.and(page.locator(`[value="${value.replace(/"/g, '\\"')}"]`)).first()
  const before = (await read())?.counter ?? null
  const firstEntry = entries[0]?.value ?? ''
  await byValue(firstEntry).check()
  const after = (await read())?.counter ?? null
  const query = entries[Math.min(4, entries.length - 1)]?.value ?? ''
  const search = section.locator('input[type=search]').or(section.getByRole('searchbox')).or(section.getByPlaceholder(/search/i)).first()
  let visible: string[] = []
  if ((await search.count()) > 0) {
    await search.fill(query)
    await page.waitForTimeout(150)
    visible = ((await read())?.entries ?? []).filter((e) => e.visible).map((e) => e.value)
    await search.fill('')
    await page.waitForTimeout(150)
  }
  await byValue(entries[1]?.value ?? '').check()
  const toggle = section.getByRole('button', { name: /show only selected|hide unselected|hide the unselected|show selected only/i }).first()
  let hide = { visible: -1, selected: -1, shownAgain: -1 }
  if ((await toggle.count()) > 0) {
    await clickAndSettle(page, toggle)
    const hidden = (await read())?.entries ?? []
    await clickAndSettle(page, section.getByRole('button', { name: /show all|show unselected|show every/i }).or(toggle).first())
    hide = { visible: hidden.filter((e) => e.visible).length, selected: hidden.filter((e) => e.checked).length, shownAgain: ((await read())?.entries ?? []).filter((e) => e.visible).length }
  }
  return { form, total: entries.length, counter: { before, after }, search: { query, visible }, hide }
}

/** Runs the long lists survey: the first customer (from the last) with more than ten accounts. */
async function runLongLists(ctx: CheckContext): Promise<LongListSurvey> {
  const fc = await formClient(ctx)
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const customers = ctx.options.customers ?? []
  const kinds = SELECTION_KINDS.filter((k) => k.key === 'account' || k.key === 'service_contract')
  const lists = new Map<SelectionKind['key'], Observation<LongList>>()
  for (let index = customers.length - 1; index >= 0; index--) {
    const customer = ctx.customer(index)
    const visitor = await Visitor.open(ctx, fc.redirect_uri)
    let found = false
    for (const kind of kinds) {
      if (lists.get(kind.key)?.ok === true) continue
      const scope = scopeWithField(fc, descriptions, kind.field, kind.choice, kind.preferred)
      if (scope === undefined) {
        lists.set(kind.key, { ok: false, kind: 'na', reason: `no consent scope offers the ${kind.choice} Selection` })
        continue
      }
      const { form } = await visitor.form(formRequest(fc, scope, [{ type: scope, authorization_form_selection_type: kind.choice }]), customer)
      if ((form.requests[0]?.selection?.entries.length ?? 0) <= 10) continue
      found = true
      lists.set(kind.key, await observe(() => tryLongList(visitor, form)))
    }
    if (found && kinds.every((k) => lists.get(k.key) !== undefined)) return { customer, lists }
  }
  for (const kind of kinds) if (!lists.has(kind.key)) lists.set(kind.key, { ok: false, kind: 'skip', reason: `no test customer has more than ten entries in the ${kind.choice} Selection` })
  return { customer: undefined, lists }
}

/** The run's long lists survey. */
export function longListSurvey(ctx: CheckContext): Promise<LongListSurvey> {
  return ctx.once('afk:long', () => runLongLists(ctx))
}
