/**
 * The read-mostly survey of the Authorization Form, made once per run with the first test
 * customer: the login page and its Cancel, then one form per Selection type (nothing preselected,
 * everything preselected, one entry preselected) with the selection controls tried on the first,
 * the duration wordings of each kind of duration field, two Request Sections (one removed), two
 * merged scopes, and the form at phone and desktop widths.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import type { Page } from 'playwright-core'
import type { CheckContext, Json } from '../../core/context.js'
import type { TestCustomer } from '../../core/options.js'
import { formClient, formRequest, type FormClient } from './form-client.js'
import { snapshot, type PageSnapshot } from './form-snapshot.js'
import { clickAndSettle, entryValues, observe, Visitor, type Observation } from './survey-kit.js'

/** A Selection type of CDS-WG3-01 §9.2.3 and the preselection field that names its entries. */
export interface SelectionKind {
  key: 'account' | 'service_contract' | 'servicepoint' | 'meter_device' | 'aggregation'
  /** The `authorization_form_selection_type` choice (§9.2.3.x). */
  choice: string
  /** The preselection field of its entries (§7.1). */
  field: string
  /** Whether it has the include-future option (§9.2.3.1, §9.2.3.2). */
  future: boolean
  /** Whether `_all` in the field checks every entry. */
  all: boolean
  /** The Scope Description type tried first. */
  preferred: string
}

/** The five Selection types. */
export const SELECTION_KINDS: readonly SelectionKind[] = [
  { key: 'account', choice: 'account_selection', field: 'account_numbers', future: true, all: true, preferred: 'cds_accounts' },
  { key: 'service_contract', choice: 'service_contract_selection', field: 'contract_numbers', future: true, all: true, preferred: 'cds_service_contracts' },
  { key: 'servicepoint', choice: 'servicepoint_selection', field: 'servicepoint_numbers', future: false, all: true, preferred: 'cds_usage' },
  { key: 'meter_device', choice: 'meter_device_selection', field: 'meter_numbers', future: false, all: true, preferred: 'cds_usage' },
  { key: 'aggregation', choice: 'aggregation_selection', field: 'aggregation_numbers', future: false, all: false, preferred: 'cds_usage' },
]

/** What clicking the selection controls did. */
export interface SelectionClicks {
  /** An entry was checked by a click, and unchecked by a second one. */
  individual: { on: boolean; off: boolean }
  /** Select all checked every entry; a second click unchecked every entry. */
  all: { on: boolean; off: boolean } | null
  /** The include-future option turned on and off. */
  future: { on: boolean; off: boolean } | null
}

/** The survey of one Selection type. */
export interface KindSurvey {
  scope: string
  none: PageSnapshot
  clicks: Observation<SelectionClicks>
  all: Observation<PageSnapshot>
  one: Observation<{ form: PageSnapshot; value: string }>
}

/** What the survey saw. */
export interface FormSurvey {
  fc: FormClient
  customer: TestCustomer
  /** The first request asked for a login (no session yet). */
  firstLogin: Observation<boolean>
  /** Cancel on the login page: where the browser was sent and what it shows there. */
  cancel: Observation<{ back: URL; state: string; page: PageSnapshot }>
  /** A later request, with the session, went straight to the form. */
  sessionKept: Observation<boolean>
  kinds: ReadonlyMap<SelectionKind['key'], Observation<KindSurvey>>
  /** Named forms: `bills-future`, `bills-past`, `sections-future`, `sections-past`, `usage-future`, `usage-past`, `two`, `two-fixed` (modifications not allowed), `merged`. */
  forms: ReadonlyMap<string, Observation<PageSnapshot>>
  /** Removing the first of two Request Sections (`after` is undefined when the form offers no way to). */
  removal: Observation<{ before: number; after: PageSnapshot | undefined }>
  /** The two-section form at 375×812 and at 1440×900. */
  widths: Observation<Record<'phone' | 'desktop', PageSnapshot>>
}

/** The consent scope of the form Client object that offers `field` (and the Selection choice, when given). */
export function scopeWithField(fc: FormClient, descriptions: Record<string, Json>, field: string, choice?: string, preferred?: string): string | undefined {
  const offers = (id: string) => {
    const fields = (descriptions[id]?.authorization_details_fields_supported ?? []) as Json[]
    const selection = fields.find((f) => f.id === 'authorization_form_selection_type')
    const choices = ((selection?.choices ?? []) as Json[]).map((c) => c.id)
    return fields.some((f) => f.id === field) && (choice === undefined || choices.includes(choice))
  }
  const ids = [...fc.scopes.values()]
  const first = preferred === undefined ? undefined : fc.scopes.get(preferred)
  return [...(first === undefined ? [] : [first]), ...ids].find(offers)
}

/** Clicks a control found by role and name (and waits if that reloads the page); returns whether one was there. */
async function click(page: Page, role: 'button' | 'checkbox', name: RegExp, within: string): Promise<boolean> {
  const control = page.locator(within).getByRole(role, { name }).first()
  if ((await control.count()) === 0) return false
  await clickAndSettle(page, control)
  return true
}

/** Tries the selection controls of the first Request Section (JavaScript or a round trip, whichever the page does). */
async function tryClicks(visitor: Visitor): Promise<SelectionClicks> {
  const page = visitor.page
  const within = '[data-cds-request-section] >> nth=0'
  const entries = () => snapshot(page).then((s) => s.requests[0]?.selection?.entries ?? [])
  const boxes = page.locator(within).locator('[data-cds-component="selection"] input[type=checkbox]')
  const first = (await entries())[0]
  if (first === undefined) visitor.ctx.notApplicable('the customer has no entry of this Selection type')
  const box = boxes.and(page.locator(`[value="${first.value.replace(/"/g, '\\"')}"]`)).first()
  await box.click()
  const on = (await entries())[0]?.checked === true
  await box.click()
  const off = (await entries())[0]?.checked === false
  let all: SelectionClicks['all'] = null
  const selectAll = /^\s*(select all|deselect all)/i
  if ((await page.locator(within).getByRole('button', { name: selectAll }).count()) > 0) {
    // A select-all that submits the form reloads it; either way the page settles before it is read.
    await click(page, 'button', selectAll, within)
    const afterOn = await entries()
    await click(page, 'button', selectAll, within)
    const afterOff = await entries()
    all = { on: afterOn.length > 0 && afterOn.every((e) => e.checked), off: afterOff.every((e) => !e.checked) }
  } else if (await click(page, 'checkbox', selectAll, within)) {
    const afterOn = await entries()
    await click(page, 'checkbox', selectAll, within)
    all = { on: afterOn.every((e) => e.checked), off: (await entries()).every((e) => !e.checked) }
  }
  let future: SelectionClicks['future'] = null
  const futureBox = page.locator(within).getByRole('checkbox', { name: /future/i }).first()
  if ((await futureBox.count()) > 0) {
    await futureBox.click()
    const futureOn = await futureBox.isChecked()
    await futureBox.click()
    future = { on: futureOn, off: !(await futureBox.isChecked()) }
  }
  return { individual: { on, off }, all, future }
}

/** Surveys one Selection type: nothing, everything and one entry preselected. */
async function surveyKind(visitor: Visitor, fc: FormClient, descriptions: Record<string, Json>, kind: SelectionKind, customer: TestCustomer, extra: Record<string, Json>): Promise<KindSurvey> {
  const ctx: CheckContext = visitor.ctx
  const scope = scopeWithField(fc, descriptions, kind.field, kind.choice, kind.preferred)
  if (scope === undefined) ctx.notApplicable(`no consent scope offers the ${kind.choice} Selection with ${kind.field}`)
  const detail = (fields: Json) => [{ type: scope, authorization_form_selection_type: kind.choice, ...fields }]
  const { form: none } = await visitor.form(formRequest(fc, scope, detail(extra.none ?? {})), customer)
  const clicks = await observe(() => tryClicks(visitor))
  const values = entryValues(none)
  const everything = kind.all ? ['_all', ...(kind.future ? ['_include_future'] : [])] : values
  const all = await observe(async () => {
    if (everything.length === 0) ctx.notApplicable(`the customer has no entry of the ${kind.choice} Selection`)
    return (await visitor.form(formRequest(fc, scope, detail({ [kind.field]: everything, ...extra.all })), customer)).form
  })
  const one = await observe(async () => {
    const value = values[1] ?? values[0]
    if (value === undefined) ctx.notApplicable(`the customer has no entry of the ${kind.choice} Selection`)
    return { form: (await visitor.form(formRequest(fc, scope, detail({ [kind.field]: [value], ...extra.one })), customer)).form, value }
  })
  return { scope, none, clicks, all, one }
}

/** The duration forms: one kind of duration field each, at both ends of its range. */
function durationRequests(fc: FormClient, descriptions: Record<string, Json>): [string, string | undefined, Json][] {
  const bills = scopeWithField(fc, descriptions, 'statement_date_start', undefined, 'cds_bill_statements')
  const sections = scopeWithField(fc, descriptions, 'start_date', undefined, 'cds_service_bills')
  const usage = scopeWithField(fc, descriptions, 'segment_start', undefined, 'cds_usage')
  return [
    // Date fields take a relative date without time parts (CDS-WG1-02 §3.9): P0D is today.
    ['bills-future', bills, { statement_date_start: 'P0D', statement_date_end: 'infinite' }],
    ['bills-past', bills, { statement_date_start: 'P1Y', statement_date_end: 'P0D' }],
    ['sections-future', sections, { start_date: 'P0D', end_date: 'infinite' }],
    ['sections-past', sections, { start_date: 'P1Y', end_date: 'P0D' }],
    ['usage-future', usage, { segment_start: 'PT0S', segment_end: 'infinite' }],
    ['usage-past', usage, { segment_start: 'P1Y', segment_end: 'PT0S' }],
  ]
}

/** Runs the survey (see the module comment). */
async function runSurvey(ctx: CheckContext): Promise<FormSurvey> {
  const fc = await formClient(ctx)
  const customer = ctx.customer()
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const visitor = await Visitor.open(ctx, fc.redirect_uri)
  const anyScope = [...fc.scopes.values()][0] ?? ''

  // §9.1.2: no session yet, so a login page; its Cancel goes back to the Client with access_denied.
  let firstLogin: Observation<boolean> = { ok: false, kind: 'fail', reason: 'not reached' }
  const cancel = await observe(async () => {
    const { pending, shown } = await visitor.open(formRequest(fc, anyScope, undefined, { state: 'afk-cancel-state' }))
    firstLogin = { ok: true, value: shown.login }
    if (!shown.login) ctx.fail(`the first request did not ask for a login (it shows ${shown.url})`)
    const before = visitor.catcher.hits.length
    const control = visitor.page.getByRole('button', { name: /^\s*cancel/i }).or(visitor.page.getByRole('link', { name: /^\s*cancel/i })).first()
    if ((await control.count()) === 0) ctx.fail('the login page has no Cancel control')
    await control.click()
    const back = await visitor.catcher.landed(before)
    return { back, state: pending.state, page: await snapshot(visitor.page) }
  })

  const kinds = new Map<SelectionKind['key'], Observation<KindSurvey>>()
  for (const kind of SELECTION_KINDS) {
    // The Account Selection forms also carry the sync_until wordings and the two Purposes.
    const extra: Record<string, Json> =
      kind.key === 'account' ? { none: { sync_until: 'infinite' }, all: { sync_until: 'P3Y', ...(fc.purpose === undefined ? {} : { purpose: fc.purpose }) }, one: { sync_until: 'PT0S', purpose: null } } : {}
    const result = await observe(() => surveyKind(visitor, fc, descriptions, kind, customer, extra))
    kinds.set(kind.key, result)
  }
  // The first form asked for the login; every later one must have gone straight to the form.
  const sessionKept = await observe(async () => {
    const { shown } = await visitor.open(formRequest(fc, anyScope))
    return !shown.login
  })

  const forms = new Map<string, Observation<PageSnapshot>>()
  for (const [name, scope, fields] of durationRequests(fc, descriptions)) {
    forms.set(
      name,
      await observe(async () => {
        if (scope === undefined) ctx.notApplicable(`no consent scope offers the fields of the ${name} form`)
        return (await visitor.form(formRequest(fc, scope, [{ type: scope, ...fields }]), customer)).form
      }),
    )
  }

  // Two Request Sections, then the first one removed (§9.2.1.3), and the widths (§9.2).
  const account = scopeWithField(fc, descriptions, 'account_numbers', 'account_selection', 'cds_accounts')
  const contract = scopeWithField(fc, descriptions, 'contract_numbers', 'service_contract_selection', 'cds_service_contracts')
  const pair = account !== undefined && contract !== undefined && account !== contract ? [account, contract] : undefined
  forms.set(
    'two',
    await observe(async () => {
      if (pair === undefined) ctx.notApplicable('the form Client object has no two consent scopes with selections')
      return (await visitor.form(formRequest(fc, pair.join(' '), pair.map((type) => ({ type }))), customer)).form
    }),
  )
  forms.set(
    'two-fixed',
    await observe(async () => {
      if (pair === undefined) ctx.notApplicable('the form Client object has no two consent scopes with selections')
      return (await visitor.form(formRequest(fc, pair.join(' '), pair.map((type) => ({ type, allow_scope_modifications: false }))), customer)).form
    }),
  )
  const widths = await observe(async () => {
    if (pair === undefined) ctx.notApplicable('the form Client object has no two consent scopes with selections')
    await visitor.form(formRequest(fc, pair.join(' '), pair.map((type) => ({ type }))), customer)
    await visitor.page.setViewportSize({ width: 375, height: 812 })
    const phone = await snapshot(visitor.page)
    await visitor.page.setViewportSize({ width: 1440, height: 900 })
    const desktop = await snapshot(visitor.page)
    await visitor.page.setViewportSize({ width: 1280, height: 720 })
    return { phone, desktop }
  })
  const removal = await observe(async () => {
    if (pair === undefined) ctx.notApplicable('the form Client object has no two consent scopes with selections')
    const { form: two } = await visitor.form(formRequest(fc, pair.join(' '), pair.map((type) => ({ type }))), customer)
    const remove = visitor.page.locator('[data-cds-request-section]').first().getByRole('button', { name: /remove/i })
    if ((await remove.count()) === 0) return { before: two.requests.length, after: undefined }
    await clickAndSettle(visitor.page, remove.first())
    await visitor.page.waitForFunction((n) => document.querySelectorAll('[data-cds-request-section]').length < n, two.requests.length, { timeout: 10_000 })
    return { before: two.requests.length, after: await snapshot(visitor.page) }
  })
  forms.set(
    'merged',
    await observe(async () => {
      const meters = scopeWithField(fc, descriptions, 'merge_selection_with', 'service_contract_selection', 'cds_meters')
      const other = meters === contract ? undefined : meters
      if (contract === undefined || other === undefined) ctx.notApplicable('the form Client object has no two scopes that can merge their Service Contract Selections')
      const common = { authorization_form_selection_type: 'service_contract_selection', sync_until: 'P3Y' }
      const details = [
        { type: contract, ...common, merge_selection_with: other },
        { type: other, ...common, merge_selection_with: contract },
      ]
      return (await visitor.form(formRequest(fc, `${contract} ${other}`, details), customer)).form
    }),
  )
  return { fc, customer, firstLogin, cancel, sessionKept, kinds, forms, removal, widths }
}

/** The run's form survey (made once, by the first check that asks). */
export function formSurvey(ctx: CheckContext): Promise<FormSurvey> {
  return ctx.once('afk:survey', () => runSurvey(ctx))
}
