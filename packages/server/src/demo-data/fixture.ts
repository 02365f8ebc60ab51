/**
 * The catalog fixture customers (CUST-A, B, C, E of `customers/demo-customers.ts`) as Customer
 * Data objects in the real tables: the same numbers, names and relations as the constant, with
 * every other field filled (entities, contacts, program objects, premises, meter apps,
 * coordinates). Ids are stable (derived from the fixture keys, not from any seed), so the seed
 * stays idempotent and the demo data generator can add usage and bills for these meters.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { AggregationInput } from '../customer-data/write-aggregations.js'
import type { CustomerDataInput, DataTimes, NestedObject } from '../customer-data/write-objects.js'
import type { DemoCustomer } from '../customers/demo-customers.js'
import { localMidnight } from './calendar.js'
import type { AccountPlan, ContractPlan, CustomerPlan, LoadProfile, PointPlan } from './model.js'
import { demoId } from './prng.js'
import { accountProgram, DOCS, RATE_PLANS, serviceProgram, UTILITY, type RatePlan } from './profile.js'

/** The label fixture ids derive from. */
export const FIXTURE_SEED = 'cds-ts-fixture'
/** When the fixture's contracts started (long before any demo window). */
const CONTRACT_START = '2018-04-01'
const ZONE = 'America/Los_Angeles'

/** The stable id of a fixture object (`key` as in the constant: ACC-1, SC-1, SP-1, MD-1, AGG-2). */
export function fixtureId(key: string): string {
  return demoId(FIXTURE_SEED, key)
}

function account(program: string, id: string): NestedObject {
  return program === 'CARE' || program === 'budget_billing' || program === 'SOLAR-CHOICE' ? accountProgram(program, id, '2023-01-01') : { id, program_number: program, types: ['active'], name: program, description: `The ${program} program.`, documentation: `${DOCS}/programs` }
}

function service(program: string, id: string): NestedObject {
  return program === 'DR-1' || program === 'EV-1' || program === 'NEM-2' ? serviceProgram(program, id, '2023-01-01') : { id, program_number: program, types: ['active'], name: program, description: `The ${program} program.`, documentation: `${DOCS}/programs` }
}

function load(rate: RatePlan, commercial: boolean, bidirectional: boolean): LoadProfile {
  const daily = rate.commodity === 'gas' ? (commercial ? 12_000 : 2_200) : rate.demand !== undefined ? 250_000 : commercial ? 60_000 : 15_000
  return { commercial, daily, solar: bidirectional ? 5_000 : 0, interval_cost: rate.tou !== undefined }
}

/**
 * The fixture customers as plans: the objects to write and what usage and bills follow.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export function fixturePlans(customers: readonly DemoCustomer[], times: DataTimes): CustomerPlan[] {
  const start = localMidnight(ZONE, 2018, 4, 1)
  return customers.map((c, ci) => {
    const phone = `+1555010${String(ci).padStart(4, '0')}`
    const points = new Map<string, PointPlan>()
    for (const p of c.service_points) {
      const n = BigInt(Number(p.servicepoint_number.replace(/\D/g, '')) || 0)
      points.set(p.key, {
        input: {
          cds_servicepoint_id: fixtureId(p.key),
          servicepoint_number: p.servicepoint_number,
          servicepoint_types: p.servicepoint_types,
          servicepoint_address: p.servicepoint_address,
          latitude: `34.05${String(n).padStart(4, '0')}`,
          longitude: `-118.24${String(n).padStart(4, '0')}`,
          premises: p.premise_numbers.map((premise_number) => ({ id: fixtureId(premise_number), premise_number, types: ['building'] })),
          servicecontracts: p.current_servicecontracts.map((key) => ({ id: fixtureId(key), valid_from: start, valid_to: null })),
          ...times,
        },
        meters: c.meter_devices
          .filter((m) => m.current_servicepoints.includes(p.key))
          .map((m) => ({
            input: {
              cds_meterdevice_id: fixtureId(m.key),
              meter_number: m.meter_number,
              meter_types: m.meter_types,
              meter_apps: m.meter_apps.map((app_number) => ({ id: fixtureId(`${m.key}-${app_number}`), app_number, types: ['installed', 'customer_installable'], name: app_number === 'APP-EV' ? 'EV charging app' : app_number, start: '2024-05-01T17:00:00Z' })),
              servicepoints: m.current_servicepoints.map((key) => ({ id: fixtureId(key), valid_from: start, valid_to: null })),
              ...times,
            },
            from: start,
            to: null,
            register: 10_000_000n,
          })),
      })
    }
    const accounts: AccountPlan[] = c.accounts.map((a) => {
      const contracts: ContractPlan[] = c.service_contracts
        .filter((sc) => sc.account === a.key)
        .map((sc) => {
          const rate = RATE_PLANS[sc.rateplan_code] ?? RATE_PLANS['A-1']
          if (rate === undefined) throw new Error(`no demo rate plan ${sc.rateplan_code}`)
          const point = c.service_points.find((p) => p.current_servicecontracts.includes(sc.key))
          const pointPlan = point === undefined ? null : (points.get(point.key) ?? null)
          const bidirectional = pointPlan?.meters.some((m) => m.input.meter_types.includes('bidirectional')) ?? false
          return {
            input: {
              cds_servicecontract_id: fixtureId(sc.key),
              cds_account_id: fixtureId(a.key),
              contract_number: sc.contract_number,
              contract_address: sc.contract_address,
              contract_types: ['utility_service'],
              contract_entity: UTILITY,
              contract_status: 'active',
              contract_start: CONTRACT_START,
              contract_end: null,
              service_types: sc.service_types,
              rateplan_code: sc.rateplan_code,
              rateplan_name: sc.rateplan_name,
              service_programs: sc.service_programs.map((number) => service(number, fixtureId(`${sc.key}-${number}`))),
              ...times,
            },
            commodity: rate.commodity,
            rate,
            point: pointPlan,
            load: load(rate, a.account_types.includes('commercial'), bidirectional),
          }
        })
      return {
        input: {
          cds_account_id: fixtureId(a.key),
          customer_id: c.customer_id,
          cds_account_parent: a.parent === null ? null : fixtureId(a.parent),
          customer_number: `C-${c.customer_id}`,
          account_number: a.account_number,
          account_entity: UTILITY,
          account_name: a.account_name,
          account_address: a.account_address,
          account_types: a.account_types,
          account_status: 'active',
          account_contacts: [
            ...(c.email === null ? [] : [{ id: fixtureId(`${a.key}-email`), types: ['email', 'primary'], value: c.email }]),
            { id: fixtureId(`${a.key}-phone`), types: ['phone_number', 'mobile'], value: phone },
          ],
          account_programs: a.account_programs.map((number) => account(number, fixtureId(`${a.key}-${number}`))),
          ...times,
        },
        contracts,
        pays: 1000,
      }
    })
    return { customer_id: c.customer_id, login: c.login, display_name: c.display_name, email: c.email ?? c.login, accounts }
  })
}

/**
 * The fixture's aggregations, each once even when several customers see it (B2222 is CUST-A's
 * and CUST-C's): members are the service points the customers' entries name.
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export function fixtureAggregations(customers: readonly DemoCustomer[], times: DataTimes): AggregationInput[] {
  const byKey = new Map<string, AggregationInput>()
  for (const c of customers) {
    for (const g of c.aggregations) {
      const existing = byKey.get(g.key)
      const points = g.grouped_servicepoints.map(fixtureId)
      if (existing !== undefined) {
        existing.members = { service_point: [...(existing.members.service_point ?? []), ...points] }
        continue
      }
      byKey.set(g.key, {
        cds_aggregation_id: fixtureId(g.key),
        aggregation_number: g.aggregation_number,
        aggregation_types: g.aggregation_types,
        scope: 'cds_query_usage',
        authorization_details: [],
        grouped_addresses: g.grouped_addresses,
        grouped_regions: [],
        consent_requirements: [{ id: fixtureId(`${g.key}-consent`), name: 'Every tenant of the building must authorize', types: ['always'], documentation: `${DOCS}/aggregations#consent` }],
        criteria: {},
        members: { service_point: points },
        ...times,
      })
    }
  }
  return [...byKey.values()]
}

/** Everything the fixture puts in the Customer Data tables. */
export function fixtureObjects(customers: readonly DemoCustomer[], times: DataTimes): CustomerDataInput {
  const plans = fixturePlans(customers, times)
  const accounts = plans.flatMap((p) => p.accounts)
  const contracts = accounts.flatMap((a) => a.contracts)
  const points = [...new Map(contracts.flatMap((sc) => (sc.point === null ? [] : [[sc.point.input.cds_servicepoint_id, sc.point] as const]))).values()]
  return {
    accounts: accounts.map((a) => a.input),
    service_contracts: contracts.map((sc) => sc.input),
    service_points: points.map((p) => p.input),
    meter_devices: points.flatMap((p) => p.meters.map((m) => m.input)),
    aggregations: fixtureAggregations(customers, times),
  }
}
