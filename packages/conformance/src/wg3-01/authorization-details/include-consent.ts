/**
 * CDS-WG3-01 §7.2 include fields seen through a customer's consent: the related objects each
 * access field opens, the member fields only consent scopes offer, the Service Points between
 * included contracts and meters, and the Usage Segment value types (§7.2.8.1).
 *
 * What "related" means is read from the server itself: a direct access token of the suite that
 * sees every object (CDS-WG3-01 §6.2) gives the unpruned references (the "truth"); the consent
 * view must then show the related objects of what it shows, within the customer's Accounts.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentCheck, consentView, WIDE, type ConsentView } from './consent-lab.js'
import { APIS, DIRECT_PRIMARY, directLab, directToken, idsOf, listItems, wideEntry, type ApiKey } from './direct-lab.js'
import type { MemberRow } from './include-table.js'
import { show } from './kit.js'


/** The consent entries get the same wide windows (set by the lab through `consentEntry` extras). */
async function viewItems(ctx: CheckContext, view: ConsentView, api: ApiKey): Promise<Json[]> {
  return listItems(ctx, api, view.token)
}

/** Every object as a direct token that sees everything lists it, by listing and id (the unpruned references). */
export function truth(ctx: CheckContext): Promise<Map<ApiKey, Map<string, Json>>> {
  return ctx.once('adf:truth', async () => {
    const lab = await directLab(ctx)
    if (!lab.multi) ctx.skip('no Client object of the suite holds every direct scope, so the suite cannot read the unpruned references')
    const { token } = await directToken(ctx, lab.scopes.map((s) => wideEntry(s, true, Object.fromEntries(Object.entries(WIDE).filter(([k]) => s.fields.has(k))))))
    const out = new Map<ApiKey, Map<string, Json>>()
    for (const api of new Set(lab.scopes.map((s) => DIRECT_PRIMARY[s.type]).filter((a): a is ApiKey => a !== undefined))) {
      const items = await listItems(ctx, api, token)
      out.set(api, new Map(items.map((i) => [String(i[APIS[api].id]), i])))
    }
    return out
  })
}

const refs = (item: Json | undefined, ...members: string[]) => members.flatMap((m) => (Array.isArray(item?.[m]) ? (item[m] as unknown[]).map(String) : []))

/** Fails when an expected related object is missing from the consent view; not applicable when nothing is expected. */
async function expectRelated(ctx: CheckContext, view: ConsentView, api: ApiKey, expected: Set<string>, why: string): Promise<void> {
  if (expected.size === 0) ctx.notApplicable(`the consent of the suite's test customer has no ${api} ${why}`)
  const seen = idsOf(api, await viewItems(ctx, view, api))
  const missing = [...expected].filter((id) => !seen.has(id))
  if (missing.length > 0) ctx.fail(`${missing.length} ${api} ${why} are not listed, e.g. ${missing.slice(0, 3).join(', ')}`)
}

/** The ids a view lists of an api. */
async function seenIds(ctx: CheckContext, view: ConsentView, api: ApiKey): Promise<Set<string>> {
  return idsOf(api, await viewItems(ctx, view, api))
}

/** A member include field only consent scopes offer: true in the `on` view adds the members, false in `bare` leaves them out. */
export async function consentMemberCheck(ctx: CheckContext, row: MemberRow): Promise<void> {
  const on = await consentView(ctx, 'on')
  if (!on.requested.some((e) => e[row.field] === true)) ctx.notApplicable(`no scope of the suite's consent offers ${row.field}`)
  let checked = 0
  for (const [api, members] of Object.entries(row.members) as [ApiKey, readonly string[]][]) {
    const items = await viewItems(ctx, on, api)
    if (items.length === 0) continue
    if (!items.some((i) => members.some((m) => Object.hasOwn(i, m)))) ctx.fail(`${row.field}: true, yet no ${api} object of the consent carries ${members.join(', ')}`)
    checked++
  }
  if (checked === 0) ctx.notApplicable(`the consent shows no ${Object.keys(row.members).join(' or ')} object`)
  const bare = await consentView(ctx, 'bare').catch(() => undefined)
  if (bare === undefined || !bare.requested.some((e) => e[row.field] === false)) return
  for (const [api, members] of Object.entries(row.members) as [ApiKey, readonly string[]][])
    for (const item of await viewItems(ctx, bare, api)) {
      const found = members.filter((m) => Object.hasOwn(item, m))
      if (found.length > 0) ctx.fail(`${row.field}: false, yet a ${api} object of the consent carries ${found.join(', ')}`)
    }
}

/** The customer's Accounts as the `on` view shows them (Account List selects them all). */
async function customerAccounts(ctx: CheckContext, on: ConsentView): Promise<Set<string>> {
  const accounts = await seenIds(ctx, on, 'accounts')
  if (accounts.size === 0) ctx.fail('the consent with include_accounts shows no Account')
  return accounts
}

/** §7.2.1: the Accounts of every visible Service Contract, Bill Statement and Bill Section are listed. */
async function runAccounts(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const expected = new Set<string>()
  for (const api of ['servicecontracts', 'billstatements', 'billsections'] as const)
    for (const item of await viewItems(ctx, on, api)) if (typeof item.cds_account_id === 'string') expected.add(item.cds_account_id)
  await expectRelated(ctx, on, 'accounts', expected, 'referenced by cds_account_id of a listed contract, statement or section')
  const bare = await consentView(ctx, 'bare')
  const leaked = await seenIds(ctx, bare, 'accounts')
  if (bare.requested.every((e) => e.include_accounts === false) && leaked.size > 0) ctx.fail(`with include_accounts false the consent still lists ${leaked.size} Accounts`)
}

/** §7.2.1: the parent Accounts of included Accounts are listed. */
async function runParents(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const expected = new Set<string>()
  for (const item of await viewItems(ctx, on, 'accounts')) if (typeof item.cds_account_parent === 'string') expected.add(item.cds_account_parent)
  await expectRelated(ctx, on, 'accounts', expected, 'named as cds_account_parent of a listed Account')
}

/** §7.2.2: contracts referenced by listed Service Points, Bill Sections and Usage Segments (the customer's). */
async function runRelatedContracts(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const accounts = await customerAccounts(ctx, on)
  const mine = (id: string) => accounts.has(String(t.get('servicecontracts')?.get(id)?.cds_account_id))
  const expected = new Set<string>()
  const from: [ApiKey, string[]][] = [
    ['servicepoints', ['current_servicecontracts', 'previous_servicecontracts']],
    ['billsections', ['related_servicecontracts']],
    ['usagesegments', ['related_servicecontracts']],
  ]
  for (const [api, members] of from) for (const id of await seenIds(ctx, on, api)) for (const sc of refs(t.get(api)?.get(id), ...members)) if (mine(sc)) expected.add(sc)
  await expectRelated(ctx, on, 'servicecontracts', expected, 'referenced by a listed Service Point, Bill Section or Usage Segment')
}

/** §7.2.2: every contract of an included Account is listed. */
async function runAccountContracts(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const accounts = await customerAccounts(ctx, on)
  const expected = new Set([...(t.get('servicecontracts') ?? new Map<string, Json>()).values()].filter((c) => accounts.has(String(c.cds_account_id))).map((c) => String(c.cds_servicecontract_id)))
  await expectRelated(ctx, on, 'servicecontracts', expected, 'of a listed Account')
}

/** §7.2.2, §7.2.4: with contracts and meters included, the Service Points between them are listed. */
async function runLinkingPoints(ctx: CheckContext): Promise<void> {
  const bare = await consentView(ctx, 'bare')
  if (!bare.requested.some((e) => e.include_service_points === false)) ctx.notApplicable('the consent could not leave include_service_points off')
  const t = await truth(ctx)
  const contracts = await seenIds(ctx, bare, 'servicecontracts')
  const meters = await seenIds(ctx, bare, 'meterdevices')
  if (contracts.size === 0 || meters.size === 0) ctx.notApplicable('the consent shows no Service Contract or no Meter Device')
  const expected = new Set<string>()
  for (const meter of meters)
    for (const sp of refs(t.get('meterdevices')?.get(meter), 'current_servicepoints'))
      if (refs(t.get('servicepoints')?.get(sp), 'current_servicecontracts').some((sc) => contracts.has(sc))) expected.add(sp)
  if (typeof (await ctx.oauthMetadata()).cds_servicepoints_api !== 'string') ctx.fail('the metadata publishes no cds_servicepoints_api, which the linking Service Points need')
  await expectRelated(ctx, bare, 'servicepoints', expected, 'linking a listed Meter Device to a listed Service Contract')
}

/** §7.2.3: Service Points referenced by listed Meters, Bill Sections and Usage Segments (of the customer's contracts). */
async function runRelatedPoints(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const contracts = await seenIds(ctx, on, 'servicecontracts')
  const mine = (sp: string) => refs(t.get('servicepoints')?.get(sp), 'current_servicecontracts', 'previous_servicecontracts').some((sc) => contracts.has(sc))
  const expected = new Set<string>()
  const from: [ApiKey, string[]][] = [['meterdevices', ['current_servicepoints']], ['billsections', ['related_servicepoints']], ['usagesegments', ['related_servicepoints']]]
  for (const [api, members] of from) for (const id of await seenIds(ctx, on, api)) for (const sp of refs(t.get(api)?.get(id), ...members)) if (mine(sp)) expected.add(sp)
  await expectRelated(ctx, on, 'servicepoints', expected, 'referenced by a listed Meter, Bill Section or Usage Segment')
}

/** §7.2.4: Meters referenced by listed Bill Sections and Usage Segments (at the customer's Service Points). */
async function runRelatedMeters(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const points = await seenIds(ctx, on, 'servicepoints')
  const mine = (m: string) => refs(t.get('meterdevices')?.get(m), 'current_servicepoints', 'previous_servicepoints').some((sp) => points.has(sp))
  const expected = new Set<string>()
  for (const api of ['billsections', 'usagesegments'] as const) for (const id of await seenIds(ctx, on, api)) for (const m of refs(t.get(api)?.get(id), 'related_meterdevices')) if (mine(m)) expected.add(m)
  await expectRelated(ctx, on, 'meterdevices', expected, 'referenced by a listed Bill Section or Usage Segment')
}

/** §7.2.5: the Bill Statements of the Accounts the consent reaches. */
async function runStatements(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  if (!on.requested.some((e) => e.include_bill_statements === true)) ctx.notApplicable('no scope of the consent offers include_bill_statements')
  const t = await truth(ctx)
  const accounts = await customerAccounts(ctx, on)
  const expected = new Set([...(t.get('billstatements') ?? new Map<string, Json>()).values()].filter((s) => accounts.has(String(s.cds_account_id))).map((s) => String(s.cds_billstatement_id)))
  await expectRelated(ctx, on, 'billstatements', expected, 'of a listed Account')
}

/** §7.2.6: Bill Sections of an included Account naming an included contract, and those named by listed Usage Segments. */
async function runSections(ctx: CheckContext, byAccount: boolean): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const accounts = await customerAccounts(ctx, on)
  const contracts = await seenIds(ctx, on, 'servicecontracts')
  const expected = new Set<string>()
  if (byAccount) {
    for (const s of (t.get('billsections') ?? new Map<string, Json>()).values())
      if (accounts.has(String(s.cds_account_id)) && refs(s, 'related_servicecontracts').some((sc) => contracts.has(sc))) expected.add(String(s.cds_billsection_id))
  } else {
    for (const id of await seenIds(ctx, on, 'usagesegments'))
      for (const s of refs(t.get('usagesegments')?.get(id), 'related_billsections')) if (accounts.has(String(t.get('billsections')?.get(s)?.cds_account_id))) expected.add(s)
  }
  await expectRelated(ctx, on, 'billsections', expected, byAccount ? 'of a listed Account naming a listed contract' : 'named by a listed Usage Segment')
}

/** §7.2.7: Aggregations grouping a listed Account, contract or Meter. */
async function runAggregations(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const seen = { accounts: await seenIds(ctx, on, 'accounts'), servicecontracts: await seenIds(ctx, on, 'servicecontracts'), meterdevices: await seenIds(ctx, on, 'meterdevices') }
  const expected = new Set<string>()
  for (const a of (t.get('aggregations') ?? new Map<string, Json>()).values())
    if (
      refs(a, 'grouped_accounts').some((x) => seen.accounts.has(x)) ||
      refs(a, 'grouped_servicecontracts').some((x) => seen.servicecontracts.has(x)) ||
      refs(a, 'grouped_meterdevices').some((x) => seen.meterdevices.has(x))
    )
      expected.add(String(a.cds_aggregation_id))
  await expectRelated(ctx, on, 'aggregations', expected, 'grouping a listed Account, Service Contract or Meter Device')
}

/** §7.2.8: Usage Segments related to a listed Account. */
async function runSegments(ctx: CheckContext): Promise<void> {
  const on = await consentView(ctx, 'on')
  const t = await truth(ctx)
  const accounts = await customerAccounts(ctx, on)
  // Both readings use the same absolute window (SHORT_USAGE), so the segments and their ids agree;
  // a segment none of whose formats the consent's value types keep may be left out (§7.2.8.1).
  const chosen = chosenFormats(on)
  const expected = new Set<string>()
  for (const s of (t.get('usagesegments') ?? new Map<string, Json>()).values())
    if (refs(s, 'related_accounts').some((a) => accounts.has(a)) && (chosen === undefined || ((s.formats ?? []) as Json[]).some((f) => fits(f, chosen))))
      expected.add(String(s.cds_usagesegment_id))
  await expectRelated(ctx, on, 'usagesegments', expected, 'related to a listed Account')
}

/** The Value Formats the view's value types choose (undefined: no such field in the request). */
function chosenFormats(view: ConsentView): Json[] | undefined {
  const entry = view.requested.find((e) => Object.hasOwn(e, 'include_usage_segment_value_types'))
  if (entry === undefined) return undefined
  const scope = view.scopes.find((s) => s.rarType === entry.type)
  const ids = (entry.include_usage_segment_value_types ?? []) as unknown[]
  return ((scope?.fields.get('include_usage_segment_value_types')?.choices ?? []) as Json[]).filter((c) => ids.includes(c.id)).map((c) => (c.usagesegment_format ?? {}) as Json)
}

/** Whether a segment's format is one of the chosen Value Formats (every member of the chosen one, §5.2). */
function fits(format: Json, chosen: readonly Json[]): boolean {
  return chosen.some((c) => Object.entries(c).every(([k, v]) => JSON.stringify(format[k]) === JSON.stringify(v)))
}

/** §7.2.8.1: null → no values and no formats; a list → formats within the chosen Choices' Value Formats. */
async function runValueTypes(ctx: CheckContext, name: 'on' | 'bare'): Promise<void> {
  const view = await consentView(ctx, name)
  const entry = view.requested.find((e) => Object.hasOwn(e, 'include_usage_segment_value_types'))
  if (entry === undefined) ctx.notApplicable('no scope of the consent offers include_usage_segment_value_types')
  const segments = await viewItems(ctx, view, 'usagesegments')
  if (segments.length === 0) ctx.notApplicable('the consent shows no Usage Segment')
  const chosen = chosenFormats(view) ?? []
  for (const segment of segments) {
    const formats = (Array.isArray(segment.formats) ? segment.formats : []) as Json[]
    if (entry.include_usage_segment_value_types === null) {
      if (formats.length > 0 || (Array.isArray(segment.values) && segment.values.length > 0)) ctx.fail(`value types null, yet segment ${String(segment.cds_usagesegment_id)} has ${formats.length} formats and values`)
      continue
    }
    for (const format of formats) {
      if (!fits(format, chosen)) ctx.fail(`segment ${String(segment.cds_usagesegment_id)} has format ${show(format)}, not among the chosen ${show(chosen.map((c) => c.id))}`)
    }
  }
}

/** Every check of this file. */
export const includeConsentChecks: readonly Check[] = [
  consentCheck('R3-01-7.2.1-02', '7.2.1', 'include_accounts: the Accounts of listed contracts, statements and sections are listed (and none when false)', runAccounts),
  consentCheck('R3-01-7.2.1-03', '7.2.1', 'include_accounts: the parent Accounts of listed Accounts are listed', runParents),
  consentCheck('R3-01-7.2.2-02', '7.2.2', 'include_service_contracts: contracts referenced by listed Service Points, Bill Sections and Usage Segments are listed', runRelatedContracts),
  consentCheck('R3-01-7.2.2-03', '7.2.2', 'include_service_contracts: every contract of a listed Account is listed', runAccountContracts),
  consentCheck('R3-01-7.2.2-04', '7.2.2', 'contracts and meters included: the Service Points linking them are listed even with include_service_points false', runLinkingPoints, {
    also: ['R3-01-7.2.4-03'],
  }),
  consentCheck('R3-01-7.2.3-02', '7.2.3', 'include_service_points: Service Points referenced by listed Meters, Bill Sections and Usage Segments are listed', runRelatedPoints),
  consentCheck('R3-01-7.2.4-02', '7.2.4', 'include_meter_devices: Meters referenced by listed Bill Sections and Usage Segments are listed', runRelatedMeters),
  consentCheck('R3-01-7.2.5-02', '7.2.5', 'include_bill_statements: the statements of the Accounts the consent reaches are listed', runStatements),
  consentCheck('R3-01-7.2.6-02', '7.2.6', "include_bill_sections: sections of a listed Account naming a listed contract are listed", (ctx: CheckContext) => runSections(ctx, true)),
  consentCheck('R3-01-7.2.6-03', '7.2.6', 'include_bill_sections: sections named by listed Usage Segments are listed', (ctx: CheckContext) => runSections(ctx, false)),
  consentCheck('R3-01-7.2.7-02', '7.2.7', 'include_aggregations: Aggregations grouping listed Accounts, contracts or Meters are listed', runAggregations),
  consentCheck('R3-01-7.2.8-02', '7.2.8', 'Usage Segments related to listed Accounts are listed', runSegments),
  consentCheck('R3-01-7.2.8.1-04', '7.2.8.1', 'include_usage_segment_value_types null: segments have no values and no formats', (ctx: CheckContext) => runValueTypes(ctx, 'bare')),
  consentCheck('R3-01-7.2.8.1-05', '7.2.8.1', "include_usage_segment_value_types list: segments' formats are within the chosen Choices' Value Formats", (ctx: CheckContext) => runValueTypes(ctx, 'on')),
]
