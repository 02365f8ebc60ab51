/**
 * The `include_*` fields of CDS-WG3-01 §7.2: the related objects each adds (catalog §1.4 step 4,
 * A-04), the fields each turns on, and the Value Type choices of §7.2.8.1. Relations are read from
 * references a token cannot prune (`cds_account_id`, `cds_account_parent`), from the direct-access
 * view of every object, or from the test customer's union token.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { CONSENT_NEEDS, consentToken, unionToken } from './consent-tokens.js'
import { contractBillsToken, listed, meterUsageToken, union } from './consent-visibility.js'
import { gateCheck, gatedOffCheck } from './gates.js'
import { check } from './kit.js'
import { idsOf, sameIds, shown, strings } from './listing.js'
import { descriptions, fieldsOf, type DataToken } from './tokens.js'
import { directView } from './views.js'

/** A consent check (needs the customer and the browser). */
function consentCheck(id: string, section: string, title: string, run: (ctx: CheckContext) => Promise<void>): Check {
  return check(id, section, title, run, { needs: CONSENT_NEEDS })
}

/** Fails unless every id of `wanted` is in `have`. */
function contains(ctx: CheckContext, have: readonly string[], wanted: Iterable<string>, what: string): number {
  const set = new Set(have)
  const missing = [...new Set(wanted)].filter((id) => !set.has(id))
  ctx.assert(missing.length === 0, `${what}: ${missing.length} missing (${missing.slice(0, 5).join(', ')})`)
  return set.size
}

/** The direct-access view of a listing (every object of the base set). */
async function everything(ctx: CheckContext, key: Parameters<typeof directView>[1]): Promise<Json[]> {
  return listed(ctx, await directView(ctx, key), key)
}

/** Whether a stored Value Format matches a Choice's format (A-44: id, type and the enumerated fields of the Choice). */
function matchesChoice(format: Json, choice: Json): boolean {
  const wanted = choice.usagesegment_format as Json | undefined
  if (wanted === undefined || format.id !== choice.id || format.type !== wanted.type) return false
  const fields = ['units', 'direction', 'tou', 'tier', 'season', 'quality', 'demand_type', 'attribution', 'supply_type', 'currency', 'register']
  return fields.every((f) => !(f in wanted) || shown(wanted[f]) === shown(format[f]))
}

/** The checks of §7.2. */
export const expansionChecks: readonly Check[] = [
  consentCheck('R3-01-7.2.1-D01', '§7.2.1', 'with include_accounts, the Account of every listed contract, statement and section, and every parent Account, is listed', async (ctx: CheckContext) => {
    const token = await unionToken(ctx)
    const accounts = idsOf('accounts', await listed(ctx, token, 'accounts'))
    const refs = [...(await union(ctx, 'servicecontracts')), ...(await union(ctx, 'billstatements')), ...(await union(ctx, 'billsections'))].map((x) => String(x.cds_account_id))
    const parents = (await union(ctx, 'accounts')).flatMap((a) => strings(a.cds_account_parent))
    ctx.assert(contains(ctx, accounts, [...refs, ...parents], 'Accounts referenced by the union token\'s objects or parents of its Accounts') > 0, 'the union token lists no Account')
    const direct = await directView(ctx, 'servicecontracts')
    contains(ctx, idsOf('accounts', await listed(ctx, direct, 'accounts')), (await listed(ctx, direct, 'servicecontracts')).map((c) => String(c.cds_account_id)), `Accounts of the contracts ${direct.label} lists`)
  }),
  gatedOffCheck('R3-01-7.2.1-D02', 'accounts', '§7.2.1'),
  gateCheck('R3-01-7.2.1.1-D01', 'include_account_numbers', '§7.2.1.1'),
  gateCheck('R3-01-7.2.1.2-D01', 'include_account_details', '§7.2.1.2'),
  gateCheck('R3-01-7.2.1.3-D01', 'include_account_programs', '§7.2.1.3'),
  consentCheck('R3-01-7.2.2-D01', '§7.2.2', 'with include_service_contracts, the contracts of included Accounts and of included bill sections are listed', async (ctx: CheckContext) => {
    const accounts = new Set(idsOf('accounts', await union(ctx, 'accounts')))
    const expected = (await everything(ctx, 'servicecontracts')).filter((c) => accounts.has(String(c.cds_account_id))).map((c) => String(c.cds_servicecontract_id))
    contains(ctx, idsOf('servicecontracts', await union(ctx, 'servicecontracts')), expected, 'contracts of the Accounts the union token includes')
    const { token } = await contractBillsToken(ctx)
    const sections = new Set(idsOf('billsections', await listed(ctx, token, 'billsections')))
    const named = (await union(ctx, 'billsections')).filter((s) => sections.has(String(s.cds_billsection_id))).flatMap((s) => strings(s.related_servicecontracts))
    contains(ctx, idsOf('servicecontracts', await listed(ctx, token, 'servicecontracts')), named, `contracts named by the sections ${token.label} lists`)
  }),
  consentCheck('R3-01-7.2.2-D02', '§7.2.2', 'with Service Contracts and Meter Devices included, the Service Points between them are listed too', async (ctx: CheckContext) => {
    const { token } = await meterUsageToken(ctx)
    const meters = await listed(ctx, token, 'meterdevices')
    const contracts = new Set(idsOf('servicecontracts', await listed(ctx, token, 'servicecontracts')))
    if (meters.length === 0 || contracts.size === 0) ctx.notApplicable(`${token.label} sees no meter or no contract`)
    const points = await listed(ctx, token, 'servicepoints')
    ctx.assert(points.length > 0, `${token.label} includes contracts and meters but lists no Service Point`)
    const known = (await union(ctx, 'meterdevices')).filter((m) => meters.some((x) => x.cds_meterdevice_id === m.cds_meterdevice_id)).flatMap((m) => strings(m.current_servicepoints))
    const linking = (await union(ctx, 'servicepoints')).filter((p) => known.includes(String(p.cds_servicepoint_id)) && strings(p.current_servicecontracts).some((c) => contracts.has(c)))
    contains(ctx, idsOf('servicepoints', points), idsOf('servicepoints', linking), 'Service Points linking the listed meters and contracts')
  }),
  gatedOffCheck('R3-01-7.2.2-D03', 'servicecontracts', '§7.2.2'),
  gateCheck('R3-01-7.2.2.1-D01', 'include_contract_numbers', '§7.2.2.1'),
  gateCheck('R3-01-7.2.2.2-D01', 'include_rate_plans', '§7.2.2.2'),
  gateCheck('R3-01-7.2.2.3-D01', 'include_service_contract_details', '§7.2.2.3'),
  gateCheck('R3-01-7.2.2.4-D01', 'include_service_programs', '§7.2.2.4'),
  consentCheck('R3-01-7.2.3-D01', '§7.2.3', 'with include_service_points, the Service Points of the listed bill sections are listed', async (ctx: CheckContext) => {
    const { token } = await contractBillsToken(ctx)
    const sections = new Set(idsOf('billsections', await listed(ctx, token, 'billsections')))
    if (sections.size === 0) ctx.notApplicable(`${token.label} lists no bill section`)
    const named = (await union(ctx, 'billsections')).filter((s) => sections.has(String(s.cds_billsection_id))).flatMap((s) => strings(s.related_servicepoints))
    if (named.length === 0) ctx.notApplicable('the sections name no Service Point')
    contains(ctx, idsOf('servicepoints', await listed(ctx, token, 'servicepoints')), named, `Service Points named by the sections ${token.label} lists`)
  }),
  gatedOffCheck('R3-01-7.2.3-D02', 'servicepoints', '§7.2.3'),
  gateCheck('R3-01-7.2.3.1-D01', 'include_premises', '§7.2.3.1'),
  gateCheck('R3-01-7.2.3.2-D01', 'include_service_point_addresses', '§7.2.3.2'),
  gateCheck('R3-01-7.2.3.3-D01', 'include_coordinates', '§7.2.3.3'),
  consentCheck('R3-01-7.2.4-D01', '§7.2.4', 'with include_meter_devices, the meters of the listed bill sections are listed', async (ctx: CheckContext) => {
    const { token } = await contractBillsToken(ctx)
    const sections = new Set(idsOf('billsections', await listed(ctx, token, 'billsections')))
    if (sections.size === 0) ctx.notApplicable(`${token.label} lists no bill section`)
    const named = (await union(ctx, 'billsections')).filter((s) => sections.has(String(s.cds_billsection_id))).flatMap((s) => strings(s.related_meterdevices))
    if (named.length === 0) ctx.notApplicable('the sections name no meter')
    contains(ctx, idsOf('meterdevices', await listed(ctx, token, 'meterdevices')), named, `meters named by the sections ${token.label} lists`)
  }),
  gatedOffCheck('R3-01-7.2.4-D02', 'meterdevices', '§7.2.4'),
  gateCheck('R3-01-7.2.4.1-D01', 'include_meter_numbers', '§7.2.4.1'),
  gateCheck('R3-01-7.2.4.2-D01', 'include_meter_apps', '§7.2.4.2'),
  consentCheck('R3-01-7.2.5-D01', '§7.2.5', 'with include_bill_statements, the statements of the Accounts the scope reaches are listed', async (ctx: CheckContext) => {
    const accounts = new Set(idsOf('accounts', await union(ctx, 'accounts')))
    const expected = (await everything(ctx, 'billstatements')).filter((s) => accounts.has(String(s.cds_account_id)))
    if (expected.length === 0) ctx.notApplicable('no statement of the test customer\'s accounts is visible to the direct-access token')
    sameIds(ctx, idsOf('billstatements', await union(ctx, 'billstatements')), idsOf('billstatements', expected), 'statements of the union token against the direct view of its accounts\' statements')
  }),
  gatedOffCheck('R3-01-7.2.5-D02', 'billstatements', '§7.2.5'),
  gateCheck('R3-01-7.2.5.1-D01', 'include_bill_statement_files', '§7.2.5.1'),
  gateCheck('R3-01-7.2.5.2-D01', 'include_bill_statement_charges', '§7.2.5.2'),
  gateCheck('R3-01-7.2.5.3-D01', 'include_bill_statement_programs', '§7.2.5.3'),
  consentCheck('R3-01-7.2.6-D01', '§7.2.6', 'with include_bill_sections, the contract sections of the included Accounts are listed', async (ctx: CheckContext) => {
    const accounts = new Set(idsOf('accounts', await union(ctx, 'accounts')))
    const expected = (await everything(ctx, 'billsections')).filter((s) => accounts.has(String(s.cds_account_id)) && strings(s.section_types).includes('service_contract'))
    if (expected.length === 0) ctx.notApplicable('no contract section of the test customer\'s accounts is visible to the direct-access token')
    contains(ctx, idsOf('billsections', await union(ctx, 'billsections')), idsOf('billsections', expected), 'contract sections of the union token\'s Accounts')
  }),
  gatedOffCheck('R3-01-7.2.6-D02', 'billsections', '§7.2.6'),
  gateCheck('R3-01-7.2.6.1-D01', 'include_bill_section_line_items', '§7.2.6.1'),
  consentCheck('R3-01-7.2.7-D01', '§7.2.7', 'with include_aggregations, every Aggregation listed relates to the included data, and those named by listed segments are listed', async (ctx: CheckContext) => {
    const token = await unionToken(ctx)
    const aggregations = await listed(ctx, token, 'aggregations')
    const named = (await union(ctx, 'usagesegments')).flatMap((s) => strings(s.related_aggregations))
    contains(ctx, idsOf('aggregations', aggregations), named, 'Aggregations named by the union token\'s segments')
    if (aggregations.length === 0) ctx.notApplicable('the union token includes Aggregations but its data belongs to none')
    const own = new Set([...idsOf('accounts', await union(ctx, 'accounts')), ...idsOf('servicecontracts', await union(ctx, 'servicecontracts')), ...idsOf('meterdevices', await union(ctx, 'meterdevices')), ...idsOf('aggregations', aggregations)])
    for (const a of aggregations) {
      const related = ['grouped_accounts', 'grouped_servicecontracts', 'grouped_meterdevices', 'grouped_aggregations'].some((g) => strings(a[g]).some((id) => own.has(id))) || named.includes(String(a.cds_aggregation_id))
      ctx.assert(related, `Aggregation ${String(a.cds_aggregation_id)} groups none of the union token's Accounts, contracts or meters and no segment names it`)
    }
  }),
  gatedOffCheck('R3-01-7.2.7-D02', 'aggregations', '§7.2.7'),
  gateCheck('R3-01-7.2.7.1-D01', 'include_aggregation_addresses', '§7.2.7.1'),
  consentCheck('R3-01-7.2.8-D01', '§7.2.8', 'a Meter Usage consent by meter shows the usage segments related to that meter', async (ctx: CheckContext) => {
    const { token, meter } = await meterUsageToken(ctx)
    const id = String(meter.cds_meterdevice_id)
    const expected = (await union(ctx, 'usagesegments')).filter((s) => strings(s.related_meterdevices).includes(id))
    sameIds(ctx, idsOf('usagesegments', await listed(ctx, token, 'usagesegments')), idsOf('usagesegments', expected), `segments of a Meter Usage consent selecting meter ${String(meter.meter_number)}`)
  }),
  consentCheck('R3-01-7.2.8.1-D01', '§7.2.8.1', 'include_usage_segment_value_types null gives segments with formats [] and values []', async (ctx: CheckContext) => {
    const { token } = await meterUsageToken(ctx)
    const segments = await listed(ctx, token, 'usagesegments')
    if (segments.length === 0) ctx.notApplicable(`${token.label} lists no segment`)
    for (const s of segments) ctx.assert(Array.isArray(s.formats) && s.formats.length === 0 && Array.isArray(s.values) && s.values.length === 0, `segment ${String(s.cds_usagesegment_id)} has ${Array.isArray(s.formats) ? s.formats.length : '?'} formats and ${Array.isArray(s.values) ? s.values.length : '?'} Value Sets`)
  }),
  consentCheck('R3-01-7.2.8.1-D02', '§7.2.8.1', 'with some value types chosen, every format of every segment matches a chosen Choice (A-44)', async (ctx: CheckContext) => {
    const description = Object.values(await descriptions(ctx)).find((d) => d.type === 'cds_usage')
    const choices = ((description === undefined ? undefined : fieldsOf(description).get('include_usage_segment_value_types')?.choices) ?? []) as Json[]
    const used = new Set((await union(ctx, 'usagesegments')).flatMap((s) => (Array.isArray(s.formats) ? (s.formats as Json[]) : []).map((f) => String(f.id))))
    const chosen = choices.find((c) => used.has(String(c.id)))
    if (chosen === undefined || choices.length < 2) ctx.notApplicable('the Meter Usage scope offers fewer than two value types, or none is used')
    const token: DataToken = await consentToken(ctx, 'usage-one-type', [{ type: 'cds_usage', entry: { include_usage_segment_value_types: [String(chosen.id)] } }])
    const segments = await listed(ctx, token, 'usagesegments')
    ctx.assert(segments.length > 0, `choosing the value type ${String(chosen.id)}, which the customer's segments use, lists no segment`)
    for (const s of segments)
      for (const f of (s.formats ?? []) as Json[]) ctx.assert(matchesChoice(f, chosen), `segment ${String(s.cds_usagesegment_id)} carries format ${String(f.id)} (${String(f.type)}), not the chosen ${String(chosen.id)}`)
  }),
]
