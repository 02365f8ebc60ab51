/**
 * CDS-WG3-01 §10.6 Bill Sections API: the Bill Section object, its Usage Details, Cost Details and
 * Line Items, the listing's filters and order.
 *
 * @module
 */
import { BillSectionCostDetailType, BillSectionLineItemType, BillSectionType, BillSectionUsageDetailType, DemandType, DirectionType, SeasonType, TierType, TimeOfUseType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { nestedCheck, providedCheck } from './common.js'
import { equal, exact } from './exact.js'
import { filterCheck, intersectCheck, type FilterSpec } from './filters.js'
import { gateOnView } from './gates.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, idsOf, shown, str, strings } from './listing.js'
import { isDecimal } from './service-points.js'
import { allIn, enumValues, everyItem, nested, views, type Verdict } from './views.js'

const ids: FilterSpec = { key: 'billsections', param: 'cds_billsection_ids', values: (item) => strings(item.cds_billsection_id), wide: true }
const accountIds: FilterSpec = { key: 'billsections', param: 'cds_account_ids', values: (item) => strings(item.cds_account_id) }
const usage = (item: Json) => nested(item, 'usage_details')
const costs = (item: Json) => nested(item, 'cost_details')
const lines = (item: Json) => nested(item, 'line_items')
const MEASURED = ['electric_usage', 'water_usage', 'natural_gas_usage', 'fuel_oil_usage', 'electric_demand']

/** A Usage Detail rule that applies when `types` holds `type`. */
function whenType(types: readonly string[], rule: (d: Json) => Verdict): (d: Json) => Verdict {
  return (d) => (strings(d.types).some((t) => types.includes(t)) ? rule(d) : undefined)
}

/** The member holds one of the enumeration's values. */
function member(name: string, values: ReadonlySet<string>): (d: Json) => Verdict {
  return (d) => (typeof d[name] === 'string' && values.has(d[name]) ? true : `${name} is ${shown(d[name])}`)
}

/** Ids of a listing a token sees (for reference checks). */
async function visibleIds(ctx: CheckContext, token: Parameters<typeof fullListing>[1], key: Parameters<typeof fullListing>[2]): Promise<Set<string>> {
  return new Set(idsOf(key, (await fullListing(ctx, token, key)).items))
}

/** The checks of §10.6. */
export const billSectionChecks: readonly Check[] = [
  providedCheck('R3-01-10.6-01', 'billsections'),
  schemaCheck('R3-01-10.6.1-01', 'billsections', 'every Bill Section has the required fields of §10.6.1 with their types'),
  check('R3-01-10.6.1-02', '§10.6.1', 'cds_billstatement_id is null unless it names a Bill Statement the token sees', async (ctx: CheckContext) =>
    everyItem(ctx, 'billsections', async (item, view) => {
      if (item.cds_billstatement_id === null) return true
      const visible = await visibleIds(ctx, view.token, 'billstatements')
      return visible.has(str(item.cds_billstatement_id)) ? true : `cds_billstatement_id ${str(item.cds_billstatement_id)} names a statement ${view.token.label} does not see (it must be null)`
    }, 'no Bill Section is visible'),
  ),
  check('R3-01-10.6.1-03', '§10.6.1', 'with account numbers enabled, every Bill Section carries the account_number it was issued under', async (ctx: CheckContext) => {
    const on = await gateOnView(ctx, 'billsections', 'include_account_numbers')
    if (on === undefined) ctx.notApplicable('no scope shows Bill Sections with account numbers')
    const items = (await fullListing(ctx, on.token, 'billsections')).items
    if (items.length === 0) ctx.notApplicable(`${on.token.label} sees no Bill Section`)
    for (const item of items) ctx.assert(typeof item.account_number === 'string' && item.account_number !== '', `Bill Section ${String(item.cds_billsection_id)} has account_number ${shown(item.account_number)}`)
  }),
  ruleCheck('R3-01-10.6.1-04', 'billsections', '§10.6.1', 'distribution_entity and supply_entity are present: an Entity for a section with that component, null without', (item) => {
    for (const [entity, type] of [['distribution_entity', 'distribution'], ['supply_entity', 'supply']] as const) {
      if (!(entity in item)) return `${entity} is missing`
      const value = item[entity]
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) return `${entity} is ${shown(value)}`
      if (value === null && strings(item.section_types).includes(type)) return `the section is typed ${type} but its ${entity} is null`
    }
    return true
  }, 'no Bill Section is visible'),
  ruleCheck('R3-01-10.6.1-05', 'billsections', '§10.6.1', 'one entity giving both components is the same Entity object in distribution_entity and supply_entity', (item) => {
    const [d, s] = [item.distribution_entity as Json | null, item.supply_entity as Json | null]
    if (d === null || s === null || d.id !== s.id) return undefined
    return JSON.stringify(d, Object.keys(d).sort()) === JSON.stringify(s, Object.keys(s).sort()) ? true : `Entity ${String(d.id)} differs between distribution_entity and supply_entity`
  }, 'no visible Bill Section has one entity for both components'),
  check('R3-01-10.6.1-06', '§10.6.1', 'the related_* lists of Bill Sections hold only ids the token sees', async (ctx: CheckContext) =>
    everyItem(ctx, 'billsections', async (item, view) => {
      const targets = [['related_servicecontracts', 'servicecontracts'], ['related_servicepoints', 'servicepoints'], ['related_meterdevices', 'meterdevices'], ['related_billsections', 'billsections']] as const
      let refs = 0
      for (const [name, key] of targets) {
        const visible = await visibleIds(ctx, view.token, key)
        const hidden = strings(item[name]).filter((id) => !visible.has(id))
        refs += strings(item[name]).length
        if (hidden.length > 0) return `${name} names ${hidden.join(', ')}, which ${view.token.label} does not see`
      }
      return refs === 0 ? undefined : true
    }, 'no visible Bill Section lists a related object'),
  ),
  ruleCheck('R3-01-10.6.1-07', 'billsections', '§10.6.1', 'related_billsections names other sections of the same Service Contract, and the relation goes both ways', (item, view) => {
    const refs = strings(item.related_billsections)
    if (refs.length === 0) return undefined
    if (refs.includes(String(item.cds_billsection_id))) return 'the section lists itself'
    for (const ref of refs) {
      const other = view.items.find((s) => s.cds_billsection_id === ref)
      if (other === undefined) continue
      if (!strings(other.related_billsections).includes(String(item.cds_billsection_id))) return `${ref} does not list it back`
      if (!strings(other.related_servicecontracts).some((c) => strings(item.related_servicecontracts).includes(c))) return `${ref} shares no Service Contract with it`
    }
    return true
  }, 'no visible Bill Section lists related sections'),
  ruleCheck('R3-01-10.6.2-01', 'billsections', '§10.6.2', 'section_types holds only defined Bill Section Types', allIn(enumValues(BillSectionType), 'section_types'), 'no Bill Section is visible'),
  check('R3-01-10.6.2-02', '§10.6.2', "a sub_account section carries the sub-account's cds_account_id and account_number, and its statement is the parent's (A-30)", async (ctx: CheckContext) =>
    everyItem(ctx, 'billsections', async (item, view) => {
      if (!strings(item.section_types).includes('sub_account')) return undefined
      const accounts = (await fullListing(ctx, view.token, 'accounts')).items
      const own = accounts.find((a) => a.cds_account_id === item.cds_account_id)
      if (own !== undefined && 'account_number' in item && own.account_number !== undefined && own.account_number !== item.account_number) return `account_number ${String(item.account_number)} is not the sub-account's ${str(own.account_number)}`
      const statement = (await fullListing(ctx, view.token, 'billstatements')).items.find((s) => s.cds_billstatement_id === item.cds_billstatement_id)
      if (statement !== undefined && statement.cds_account_id === item.cds_account_id) return `cds_account_id is the statement's own account ${String(item.cds_account_id)}, not a sub-account`
      return true
    }, 'no visible Bill Section is a sub_account section'),
  ),
  nestedCheck('R3-01-10.6.3-02', '§10.6.3', 'every Usage Detail has id, name, types and a value (decimal or string)', ['billsections'], usage, (d) =>
    typeof d.id === 'string' && typeof d.name === 'string' && Array.isArray(d.types) && (isDecimal(d.value) || typeof d.value === 'string') ? true : `usage detail ${shown(d).slice(0, 160)} is incomplete`, 'no Usage Detail is visible'),
  nestedCheck('R3-01-10.6.3-04', '§10.6.3', 'a Usage Detail with a decimal value has units', ['billsections'], usage, (d) => (!isDecimal(d.value) ? undefined : typeof d.units === 'string' ? true : 'a decimal value without units'), 'no Usage Detail has a decimal value'),
  nestedCheck('R3-01-10.6.4-01', '§10.6.4', 'Usage Detail types are defined values', ['billsections'], usage, allIn(enumValues(BillSectionUsageDetailType), 'types'), 'no Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-02', '§10.6.4', 'an electric, water, gas or fuel oil usage detail has a decimal value, start_date and end_date', ['billsections'], usage,
    whenType(MEASURED.slice(0, 4), (d) => (isDecimal(d.value) && typeof d.start_date === 'string' && typeof d.end_date === 'string' ? true : 'value, start_date or end_date is missing or not a decimal')), 'no usage-typed Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-03', '§10.6.4', 'an electric_demand detail has a decimal value, start_date, end_date and a Demand Type', ['billsections'], usage,
    whenType(['electric_demand'], (d) => (isDecimal(d.value) && typeof d.start_date === 'string' && typeof d.end_date === 'string' ? member('demand_type', enumValues(DemandType))(d) : 'value, start_date or end_date is missing')), 'no electric_demand Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-04', '§10.6.4', 'a time_of_use detail has tou', ['billsections'], usage, whenType(['time_of_use'], member('tou', enumValues(TimeOfUseType))), 'no time_of_use Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-05', '§10.6.4', 'a tiered detail has tier', ['billsections'], usage, whenType(['tiered'], member('tier', enumValues(TierType))), 'no tiered Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-06', '§10.6.4', 'a directional detail has direction', ['billsections'], usage, whenType(['directional'], member('direction', enumValues(DirectionType))), 'no directional Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-07', '§10.6.4', 'a seasonal detail has season', ['billsections'], usage, whenType(['seasonal'], member('season', enumValues(SeasonType))), 'no seasonal Usage Detail is visible'),
  nestedCheck('R3-01-10.6.4-08', '§10.6.4', 'an amr_reading, analog_meter or customer_provided detail has decimal start_read, end_read and multiplier', ['billsections'], usage,
    whenType(['amr_reading', 'analog_meter', 'customer_provided'], (d) => (['start_read', 'end_read', 'multiplier'].every((m) => isDecimal(d[m])) ? true : 'start_read, end_read or multiplier is missing or not a decimal')), 'no read-based Usage Detail is visible'),
  nestedCheck('R3-01-10.6.5-02', '§10.6.5', 'every Cost Detail has id, name, types and a cost (decimal or string)', ['billsections'], costs, (d) =>
    typeof d.id === 'string' && typeof d.name === 'string' && Array.isArray(d.types) && (isDecimal(d.cost) || typeof d.cost === 'string') ? true : `cost detail ${shown(d).slice(0, 160)} is incomplete`, 'no Cost Detail is visible'),
  nestedCheck('R3-01-10.6.6-01', '§10.6.6', 'Cost Detail types are defined values', ['billsections'], costs, allIn(enumValues(BillSectionCostDetailType), 'types'), 'no Cost Detail is visible'),
  check('R3-01-10.6.6-02', '§10.6.6', "an overall_total cost equals the section's charge on its Bill Statement", async (ctx: CheckContext) => {
    let compared = 0
    for (const view of await views(ctx, 'billsections')) {
      const charges = (await fullListing(ctx, view.token, 'billstatements')).items.flatMap((s) => nested(s, 'new_charges'))
      for (const item of view.items) {
        const totals = costs(item).filter((c) => strings(c.types).includes('overall_total'))
        ctx.assert(totals.length <= 1, `Bill Section ${String(item.cds_billsection_id)} has ${totals.length} overall_total cost details`)
        const charge = charges.find((c) => strings(c.related_billsections).length === 1 && strings(c.related_billsections)[0] === item.cds_billsection_id)
        const [total] = totals
        if (total === undefined || charge === undefined) continue
        const [a, b] = [exact(total.cost), exact(charge.amount)]
        if (a === undefined || b === undefined) continue
        compared++
        ctx.assert(equal(a, b), `Bill Section ${String(item.cds_billsection_id)}'s overall_total ${String(total.cost)} differs from its New Charge ${String(charge.id)} ${String(charge.amount)}`)
      }
    }
    if (compared === 0) ctx.notApplicable('no overall_total cost detail has a New Charge of its section alone to compare with')
  }),
  nestedCheck('R3-01-10.6.7-01', '§10.6.7', 'every Line Item has id, name, types, start_date, end_date, a decimal cost, value and rate (decimal or null) and the two related lists', ['billsections'], lines, (l) => {
    const ok = typeof l.id === 'string' && typeof l.name === 'string' && Array.isArray(l.types) && typeof l.start_date === 'string' && typeof l.end_date === 'string' && isDecimal(l.cost)
    const nullable = ['value', 'rate'].every((m) => m in l && (l[m] === null || isDecimal(l[m])))
    const lists = Array.isArray(l.related_usage_details) && Array.isArray(l.related_cost_details)
    return ok && nullable && lists ? true : `line item ${shown(l).slice(0, 160)} is incomplete`
  }, 'no Line Item is visible'),
  nestedCheck('R3-01-10.6.7-03', '§10.6.7', 'a Line Item value is always present: a decimal, or null without a measurement', ['billsections'], lines, (l) =>
    !('value' in l) ? 'value is missing' : l.value === null || isDecimal(l.value) ? true : `value is ${shown(str(l.value))}`, 'no Line Item is visible'),
  nestedCheck('R3-01-10.6.7-04', '§10.6.7', 'a Line Item with a decimal value has units', ['billsections'], lines, (l) => (!isDecimal(l.value) ? undefined : typeof l.units === 'string' ? true : 'a decimal value without units'), 'no Line Item has a value'),
  nestedCheck('R3-01-10.6.7-05', '§10.6.7', 'a Line Item rate is always present: a decimal, or null when no rate is shown', ['billsections'], lines, (l) =>
    !('rate' in l) ? 'rate is missing' : l.rate === null || isDecimal(l.rate) ? true : `rate is ${shown(str(l.rate))}`, 'no Line Item is visible'),
  ruleCheck('R3-01-10.6.7-06', 'billsections', '§10.6.7', 'Line Item related_usage_details and related_cost_details name details of the same section', (item) => {
    const items = lines(item)
    if (items.length === 0) return undefined
    const [u, c] = [new Set(usage(item).map((d) => d.id)), new Set(costs(item).map((d) => d.id))]
    for (const l of items) {
      const bad = [...strings(l.related_usage_details).filter((id) => !u.has(id)), ...strings(l.related_cost_details).filter((id) => !c.has(id))]
      if (bad.length > 0) return `line item ${String(l.id)} names ${bad.join(', ')}, not details of this section`
    }
    return true
  }, 'no visible Bill Section has Line Items'),
  nestedCheck('R3-01-10.6.8-01', '§10.6.8', 'Line Item types are defined values', ['billsections'], lines, allIn(enumValues(BillSectionLineItemType), 'types'), 'no Line Item is visible'),
  envelopeCheck('R3-01-10.6.9-01', 'billsections'),
  endsCheck('R3-01-10.6.9-03', 'billsections'),
  filterCheck('R3-01-10.6.9-04', ids),
  filterCheck('R3-01-10.6.9-05', { key: 'billsections', param: 'before', kind: 'before', format: 'date', values: (item) => strings(item.start_date) }, 'before keeps the Bill Sections starting on or before it (the bound included)'),
  filterCheck('R3-01-10.6.9-06', { key: 'billsections', param: 'after', kind: 'after', format: 'date', values: (item) => strings(item.end_date) }, 'after keeps the Bill Sections ending on or after it (the bound included)'),
  filterCheck('R3-01-10.6.9-07', { key: 'billsections', param: 'cds_billstatement_ids', values: (item) => strings(item.cds_billstatement_id) }),
  filterCheck('R3-01-10.6.9-08', accountIds),
  filterCheck('R3-01-10.6.9-09', { key: 'billsections', param: 'account_numbers', values: (item) => strings(item.account_number) }),
  filterCheck('R3-01-10.6.9-10', { key: 'billsections', param: 'cds_servicecontract_ids', values: (item) => strings(item.related_servicecontracts) }, 'the Bill Sections listing supports cds_servicecontract_ids, any related contract matching'),
  filterCheck('R3-01-10.6.9-11', {
    key: 'billsections', param: 'contract_numbers', related: ['servicecontracts'],
    values: (item, r) => strings(item.related_servicecontracts).flatMap((id) => strings(r.find('servicecontracts', id)?.contract_number)),
  }, 'the Bill Sections listing supports contract_numbers, matched on the related contracts (A-13)'),
  intersectCheck('R3-01-10.6.9-12', ids, accountIds),
  orderCheck('R3-01-10.6.9-13', 'billsections', ['union'], ['servicecontracts']),
]
