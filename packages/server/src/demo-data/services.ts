/**
 * Builders for one service of a demo account: the Service Contract, its Service Point and the
 * meters it had (with swaps and the previous occupant's contract), as plans with writer inputs.
 *
 * @see CDS-WG3-01 §10.2 Service Contracts API
 * @see CDS-WG3-01 §10.3 Service Points API
 * @see CDS-WG3-01 §10.4 Meter Devices API
 * @module
 */
import type { AccountInput, DataTimes, NestedObject } from '../customer-data/write-objects.js'
import { addMonths, localMidnight, type LocalMonth } from './calendar.js'
import { fixedText } from './fixed.js'
import type { ContractPlan, DemoWindow, LoadProfile, MeterPlan, PointPlan } from './model.js'
import { demoId, type DemoRandom } from './prng.js'
import { CCA, UTILITY, WATER_DISTRICT, type RatePlan } from './profile.js'

/** What a service builder needs from its account. */
export interface ServiceContext {
  seed: string
  rng: DemoRandom
  window: DemoWindow
  /** A unique label for the service within the set (ids and numbers derive from it). */
  key: string
  /** A unique serial number for customer-facing numbers. */
  serial: number
  account: AccountInput
  address: string
  premise: NestedObject
  commercial: boolean
  rate: RatePlan
  load: LoadProfile
  service_programs: NestedObject[]
}

const POINT_TYPES = { electric: 'electric', gas: 'natural_gas', water: 'water' } as const

/** A random local midnight between `monthsBefore` and `monthsAfter` months from the window's first month. */
export function someMidnight(rng: DemoRandom, window: DemoWindow, monthsBefore: number, monthsAfter: number): Date {
  const m: LocalMonth = addMonths(window.first, rng.int(-monthsBefore, monthsAfter))
  return localMidnight(window.timeZone, m.year, m.month, rng.int(1, 28))
}

/** `YYYY-MM-DD` of a local midnight. */
export function dateText(window: DemoWindow, midnight: Date): string {
  // Local midnight is never more than 14 h from UTC midnight of the same date.
  return new Date(midnight.getTime() + 12 * 3_600_000).toISOString().slice(0, 10)
}

/** Timestamps of an object created at `created`: modified later now and then, synced at the window's end. */
export function timesFrom(rng: DemoRandom, window: DemoWindow, created: Date): DataTimes {
  const end = window.end.getTime()
  const start = Math.min(created.getTime(), end)
  const modified = rng.chance(0.3) ? start + Math.floor(rng.next() * (end - start)) : start
  // Whole seconds, like values that went through an RFC 3339 round trip.
  const second = (t: number) => new Date(Math.floor(t / 1000) * 1000)
  return { cds_created: second(start), cds_modified: second(modified), cds_synced: new Date(end) }
}

function meterTypes(ctx: ServiceContext, ami: boolean): string[] {
  const { rate, load } = ctx
  if (rate.commodity === 'gas') return ['natural_gas_usage', 'amr_meter', 'physical_meter', 'forward_only']
  if (rate.commodity === 'water') return ['water_usage', 'amr_meter', 'physical_meter', 'forward_only']
  const types = ['electric_usage', ami ? 'ami_meter' : 'amr_meter', 'physical_meter', load.solar > 0 ? 'bidirectional' : 'forward_only']
  if (rate.demand !== undefined) types.push('electric_demand')
  if (ami) types.push('zigbee_capable', 'customer_apps_capable')
  return types
}

function meterApps(ctx: ServiceContext, id: string, installed: Date): NestedObject[] {
  if (ctx.rate.commodity !== 'electric' || ctx.commercial) return []
  const app = { id: `${id}-ev`, app_number: 'APP-EV', name: 'EV charging app' }
  return ctx.rng.chance(0.3) ? [{ ...app, types: ['installed', 'customer_installable'], start: installed.toISOString() }] : [{ ...app, types: ['compatible', 'customer_installable'] }]
}

/** A meter of the service, installed at `from`. */
function meter(ctx: ServiceContext, index: number, from: Date, to: Date | null, point: string): MeterPlan {
  const id = demoId(ctx.seed, 'meter', ctx.key, index)
  const ami = ctx.rate.commodity === 'electric'
  return {
    input: {
      cds_meterdevice_id: id,
      meter_number: `M-${String(ctx.serial * 10 + index).padStart(7, '0')}`,
      meter_types: meterTypes(ctx, ami),
      meter_apps: meterApps(ctx, id, new Date(from.getTime() + 30 * 86_400_000)),
      servicepoints: [{ id: point, valid_from: from, valid_to: to }],
      ...timesFrom(ctx.rng, ctx.window, from),
    },
    from,
    to,
    register: BigInt(ctx.rng.int(1000, 90000)) * 1000n,
  }
}

/** Extra objects a service brings: a previous occupant's account and contract. */
export interface ServiceExtras {
  accounts: AccountInput[]
  contracts: ContractPlan['input'][]
}

/**
 * One service of an account: its contract, service point and meters. About one electric meter in
 * ten was swapped inside the window (`previous_servicepoints`), and about one point in ten served a
 * previous occupant before (`previous_servicecontracts`).
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export function buildService(ctx: ServiceContext, extras: ServiceExtras): ContractPlan {
  const { rng, window, seed, rate } = ctx
  const start = someMidnight(rng, window, 96, -1)
  const contractId = demoId(seed, 'contract', ctx.key)
  const pointId = demoId(seed, 'point', ctx.key)
  const audience = ctx.commercial ? 'commercial' : 'residential'
  const roles = rate.commodity === 'electric' && rate.cca_generation !== undefined ? ['distribution'] : ['distribution', 'supply']
  const contract = {
    cds_servicecontract_id: contractId,
    cds_account_id: ctx.account.cds_account_id,
    contract_number: String(700000 + ctx.serial),
    contract_address: ctx.address,
    contract_types: ctx.commercial ? ['utility_service', 'billed_monthly'] : ['utility_service'],
    contract_entity: rate.commodity === 'water' ? WATER_DISTRICT : UTILITY,
    contract_status: 'active',
    contract_start: dateText(window, start),
    contract_end: null,
    service_types: [POINT_TYPES[rate.commodity], audience, 'metered', ...roles],
    rateplan_code: rate.code,
    rateplan_name: rate.name,
    service_programs: ctx.service_programs,
    ...timesFrom(rng, window, start),
  }
  const links = [{ id: contractId, valid_from: start, valid_to: null as Date | null }]
  if (!ctx.commercial && rng.chance(0.1)) {
    // A previous occupant: a closed account and contract that this point served before.
    const before = new Date(start.getTime() - rng.int(400, 3000) * 86_400_000)
    const previousAccount = demoId(seed, 'previous-account', ctx.key)
    const previousContract = demoId(seed, 'previous-contract', ctx.key)
    extras.accounts.push({
      cds_account_id: previousAccount,
      customer_id: null,
      cds_account_parent: null,
      customer_number: null,
      account_number: `${String(900000 + ctx.serial)}-0`,
      account_entity: UTILITY,
      account_name: 'Former occupant',
      account_address: ctx.address,
      account_types: ['customer', 'residential'],
      account_status: 'closed',
      account_contacts: [],
      account_programs: [],
      ...timesFrom(rng, window, before),
    })
    extras.contracts.push({
      ...contract,
      cds_servicecontract_id: previousContract,
      cds_account_id: previousAccount,
      contract_number: String(800000 + ctx.serial),
      contract_status: 'closed',
      contract_start: dateText(window, before),
      contract_end: dateText(window, new Date(start.getTime() - 86_400_000)),
      service_programs: [],
      ...timesFrom(rng, window, before),
    })
    links.unshift({ id: previousContract, valid_from: before, valid_to: start })
  }
  const lat = 34_050_000n + BigInt(rng.int(-30_000, 30_000))
  const lon = -118_250_000n + BigInt(rng.int(-30_000, 30_000))
  const point: PointPlan = {
    input: {
      cds_servicepoint_id: pointId,
      servicepoint_number: `SP-${String(700000 + ctx.serial)}`,
      servicepoint_types: [POINT_TYPES[rate.commodity], 'single_service', 'physical', 'edge'],
      servicepoint_address: ctx.address,
      latitude: fixedText(lat, 6),
      longitude: fixedText(lon, 6),
      premises: [ctx.premise],
      servicecontracts: links,
      ...timesFrom(rng, window, links[0]?.valid_from ?? start),
    },
    meters: [],
  }
  if (rate.commodity === 'electric' && rng.chance(0.12)) {
    // A meter swap inside the window: the old meter's link becomes previous (§10.4.1).
    const swap = someMidnight(rng, window, 0, window.months - 1)
    if (swap.getTime() > window.end.getTime() || swap.getTime() <= start.getTime()) point.meters.push(meter(ctx, 0, start, null, pointId))
    else point.meters.push(meter(ctx, 0, start, swap, pointId), meter(ctx, 1, swap, null, pointId))
  } else {
    point.meters.push(meter(ctx, 0, start, null, pointId))
  }
  return { input: contract, commodity: rate.commodity, rate, point, load: ctx.load }
}

/** The supplier Entity of a contract's bills: the CCA for unbundled plans, else the contract's entity. */
export function supplierOf(plan: ContractPlan): NestedObject | null {
  return plan.rate.cca_generation !== undefined ? CCA : plan.input.contract_entity
}
