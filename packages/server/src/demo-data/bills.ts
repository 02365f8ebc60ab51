/**
 * Monthly bills of the demo data, built from the month's usage so they agree with it: one Bill
 * Section per service contract (two for an unbundled CCA contract: delivery and generation,
 * related to each other), whose usage details sum the month's interval values and whose line items
 * are rate × quantity plus fixed charges and tax; one Bill Statement per account whose New Charges
 * reference the sections and whose `amount_due` = previous unpaid + new charges (§10.5.1 invariant).
 *
 * @see CDS-WG3-01 §10.5 Bill Statements API
 * @see CDS-WG3-01 §10.6 Bill Sections API
 * @module
 */
import { Decimal } from '@cds-ts/schema'
import type { BillSectionInput } from '../customer-data/write-bills.js'
import type { NestedObject } from '../customer-data/write-objects.js'
import { fixed, multiply, rescale } from './fixed.js'
import type { ContractPlan } from './model.js'
import { demoId } from './prng.js'
import { CCA, CURRENCY, RATE_SCALE, TAX_PERCENT } from './profile.js'
import { rateText, type MonthUsage } from './usage.js'

const UNITS = { electric: { units: 'kWh', scale: 3, type: 'electric_usage', section: 'electric', total: 'electric_total', label: 'Electric' }, gas: { units: 'therm', scale: 3, type: 'natural_gas_usage', section: 'natural_gas', total: 'natural_gas_total', label: 'Natural Gas' }, water: { units: 'gal', scale: 0, type: 'water_usage', section: 'water', total: 'water_total', label: 'Water' } } as const

/** The ids of a contract's sections for a month: `[bundled]` or `[delivery, generation]`. */
export function sectionIds(seed: string, plan: ContractPlan, monthKey: string): string[] {
  const id = plan.input.cds_servicecontract_id
  return plan.rate.cca_generation === undefined ? [demoId(seed, 'section', id, monthKey)] : [demoId(seed, 'section', id, monthKey, 'delivery'), demoId(seed, 'section', id, monthKey, 'generation')]
}

/** A section with its total in cents, for the statement's New Charges. */
export interface PricedSection {
  input: BillSectionInput
  total: bigint
  name: string
  type: string
}

interface Block {
  name: string
  detail: NestedObject
  quantity: bigint
  rate: bigint
  units: string
  scale: number
}

function usageDetails(plan: ContractPlan, usage: MonthUsage, idOf: (n: string) => string): { details: NestedObject[]; blocks: Block[] } {
  const u = UNITS[plan.commodity]
  const period = { start_date: usage.start_date, end_date: usage.end_date }
  const detail = (key: string, name: string, types: string[], value: bigint, extra: NestedObject = {}): NestedObject => ({ id: idOf(key), name, types: [u.type, ...types], value: fixed(value, u.scale), units: u.units, ...period, ...extra })
  const reads = usage.start_read !== null && usage.end_read !== null ? { start_read: fixed(usage.start_read, u.scale), end_read: fixed(usage.end_read, u.scale), multiplier: Decimal.from('1') } : {}
  const total = detail('total', `Total ${u.units}`, plan.commodity === 'electric' ? ['ami_reading'] : ['amr_reading'], usage.total, reads)
  const details = [total]
  const blocks: Block[] = []
  const rate = plan.rate
  const block = (name: string, d: NestedObject, quantity: bigint, r: bigint) => blocks.push({ name, detail: d, quantity, rate: r, units: u.units, scale: u.scale })
  if (usage.forward !== 0n || usage.reverse !== 0n) {
    details.push(detail('forward', 'Energy delivered to you', ['directional'], usage.forward, { direction: 'forward' }))
    details.push(detail('reverse', 'Energy you sent to the grid', ['directional'], usage.reverse, { direction: 'reverse' }))
  }
  if (rate.tou !== undefined) {
    const peak = detail('peak', 'Peak kWh (4–9 pm)', ['time_of_use'], usage.peak, { tou: 'peak' })
    const off = detail('off_peak', 'Off-peak kWh', ['time_of_use'], usage.off_peak, { tou: 'off_peak' })
    details.push(peak, off)
    block('Electric Usage - Peak', peak, usage.peak, rate.tou.peak)
    block('Electric Usage - Off-Peak', off, usage.off_peak, rate.tou.off_peak)
  } else if (rate.tiered !== undefined) {
    const t1 = usage.total < rate.tiered.baseline ? usage.total : rate.tiered.baseline
    const tier1 = detail('tier_1', 'Tier 1 kWh (baseline)', ['tiered'], t1, { tier: 'tier_1' })
    const tier2 = detail('tier_2', 'Tier 2 kWh', ['tiered'], usage.total - t1, { tier: 'tier_2' })
    details.push(tier1, tier2)
    block('Electric Usage - Tier 1', tier1, t1, rate.rate)
    block('Electric Usage - Tier 2', tier2, usage.total - t1, rate.tiered.tier_2)
  } else {
    block(rate.cca_generation === undefined ? `${u.label} Usage` : 'Delivery Charge', total, usage.total, rate.rate)
  }
  if (rate.demand !== undefined) {
    const demand = { id: idOf('demand'), name: 'Maximum demand (kW)', types: ['electric_demand'], value: fixed(usage.max_interval * 4n, 3), units: 'kW', ...period, demand_type: 'peak' }
    details.push(demand)
    blocks.push({ name: 'Demand Charge', detail: demand, quantity: usage.max_interval * 4n, rate: rate.demand, units: 'kW', scale: 3 })
  }
  return { details, blocks }
}

function priced(plan: ContractPlan, usage: MonthUsage, base: Omit<BillSectionInput, 'usage_details' | 'cost_details' | 'line_items' | 'cds_billsection_id' | 'section_types' | 'distribution_entity' | 'supply_entity'>, id: string, role: 'bundled' | 'delivery' | 'generation'): PricedSection {
  const u = UNITS[plan.commodity]
  const idOf = (n: string) => `${id}-${n}`
  const { details, blocks } = usageDetails(plan, usage, idOf)
  const generation = role === 'generation'
  const usageBlocks = generation ? [{ name: 'Generation Charge (ACP)', detail: details[0] ?? {}, quantity: usage.total, rate: plan.rate.cca_generation ?? 0n, units: u.units, scale: u.scale }] : blocks
  const cd = { fixed: idOf('cd-fixed'), usage: idOf('cd-usage'), taxes: idOf('cd-taxes'), total: idOf('cd-total') }
  const period = { start_date: usage.start_date, end_date: usage.end_date }
  const lines: NestedObject[] = []
  let fixedCents = 0n
  let usageCents = 0n
  if (!generation) {
    fixedCents = plan.rate.fixed
    lines.push({ id: idOf('li-fixed'), name: 'Customer Charge', types: ['fixed_charge', 'distribution'], ...period, cost: fixed(fixedCents, 2), value: null, rate: null, related_usage_details: [], related_cost_details: [cd.fixed, cd.total] })
  }
  for (const [i, b] of usageBlocks.entries()) {
    const cost = multiply(b.quantity, b.scale, b.rate, RATE_SCALE, 2)
    usageCents += cost
    lines.push({ id: idOf(`li-usage-${i}`), name: b.name, types: ['usage_charge', generation ? 'supply' : 'distribution'], ...period, cost: fixed(cost, 2), value: fixed(b.quantity, b.scale), units: b.units, rate: Decimal.from(rateText(b.rate)), related_usage_details: [b.detail.id], related_cost_details: [cd.usage, cd.total] })
  }
  const subtotal = fixedCents + usageCents
  // A government tax on the charges; never negative on a credit month.
  const tax = subtotal > 0n ? rescale(subtotal * TAX_PERCENT, 2, 0) : 0n
  lines.push({ id: idOf('li-tax'), name: `Utility Users Tax (${TAX_PERCENT}%)`, types: ['tax'], ...period, cost: fixed(tax, 2), value: null, rate: null, related_usage_details: [], related_cost_details: [cd.taxes, cd.total] })
  const total = subtotal + tax
  const costs: NestedObject[] = [
    ...(generation ? [] : [{ id: cd.fixed, name: 'Fixed charges', types: ['fixed_charges'], cost: fixed(fixedCents, 2) }]),
    { id: cd.usage, name: 'Usage charges', types: ['usage_charges', generation ? 'supply' : 'distribution'], cost: fixed(usageCents, 2) },
    { id: cd.taxes, name: 'Taxes', types: ['taxes'], cost: fixed(tax, 2) },
    { id: cd.total, name: 'Total', types: ['overall_total'], cost: fixed(total, 2) },
  ]
  const entity = plan.input.contract_entity
  const roles = role === 'bundled' ? ['distribution', 'supply'] : role === 'delivery' ? ['distribution'] : ['supply']
  return {
    input: {
      ...base,
      cds_billsection_id: id,
      section_types: ['service_contract', u.section, ...roles],
      // One entity doing both is the same Entity object in both fields (§10.6.1).
      distribution_entity: role === 'generation' ? null : entity,
      supply_entity: role === 'bundled' ? entity : role === 'generation' ? CCA : null,
      usage_details: details,
      cost_details: costs,
      line_items: lines,
    },
    total,
    name: role === 'generation' ? 'Anytown Clean Power Generation Charges' : `${u.label} Service Charges`,
    type: u.total,
  }
}

/**
 * The sections of one contract for one month, priced from its usage.
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export function contractSections(
  seed: string,
  plan: ContractPlan,
  usage: MonthUsage,
  monthKey: string,
  statement: { id: string; account_id: string; account_number: string; times: Pick<BillSectionInput, 'cds_created' | 'cds_modified' | 'cds_synced'> },
): PricedSection[] {
  const ids = sectionIds(seed, plan, monthKey)
  const base = (others: string[]) => ({
    cds_billstatement_id: statement.id,
    cds_account_id: statement.account_id,
    account_number: statement.account_number,
    start_date: usage.start_date,
    end_date: usage.end_date,
    currency: CURRENCY,
    related: {
      service_contract: [plan.input.cds_servicecontract_id],
      service_point: plan.point === null ? [] : [plan.point.input.cds_servicepoint_id],
      meter_device: usage.meters,
      bill_section: others,
    },
    ...statement.times,
  })
  const [first, second] = ids
  if (first === undefined) return []
  if (second === undefined) return [priced(plan, usage, base([]), first, 'bundled')]
  return [priced(plan, usage, base([second]), first, 'delivery'), priced(plan, usage, base([first]), second, 'generation')]
}
