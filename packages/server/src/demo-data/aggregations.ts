/**
 * Aggregations and Energy Attribute Certificates of the demo set, and the aggregated usage the
 * aggregations stand for (CDS-WG3-01 §10.7.7: delivered as Usage Segments related to the
 * aggregation): the service territory (public region), one listed aggregation per electric rate
 * plan (contracts chunked into child aggregations of at most 100, A-35) and one confidential
 * building aggregation per office park.
 *
 * @see CDS-WG3-01 §10.7 Aggregations API
 * @see CDS-WG3-01 §10.9 Energy Attribute Certificates API
 * @module
 */
import type { AggregationInput, EacInput } from '../customer-data/write-aggregations.js'
import type { DataTimes, NestedObject } from '../customer-data/write-objects.js'
import type { UsageSegmentInput } from '../customer-data/write-usage-segments.js'
import { localMidnight } from './calendar.js'
import { fixed } from './fixed.js'
import type { ContractPlan, CustomerPlan, DemoWindow } from './model.js'
import { demoId } from './prng.js'
import { BUILDINGS, DOCS, POSTAL_CODES } from './profile.js'
import { FORMAT_IDS } from './usage.js'
import { ENDPOINT_PATHS } from '../config/endpoints.js'

/** The id of the demo EAC format (metadata `cds_eac_formats`). */
export const DEMO_EAC_FORMAT = 'cds_ts_demo_eac_v1'
const CHUNK = 100

/** Where a region's map or GeoJSON is served (the server's route when its base URL is known, §10.7.3). */
function regionUrl(baseUrl: string | undefined, id: string, resource: 'map' | 'geojson'): string {
  if (baseUrl === undefined) return resource === 'map' ? 'https://demo-utility.example/maps/anytown.png' : 'https://demo-utility.example/maps/anytown.geojson'
  return `${baseUrl}${ENDPOINT_PATHS.aggregation_regions}/${id}/${resource}`
}

/** A group of electric contracts whose monthly totals become an aggregation's segments. */
export interface AggregatedGroup {
  aggregation_id: string
  contracts: ReadonlySet<string>
}

function consent(seed: string, key: string, type: 'always' | 'never'): NestedObject[] {
  return [
    type === 'always'
      ? { id: demoId(seed, 'consent', key), name: 'Every customer in the group must authorize', types: ['always'], documentation: `${DOCS}/aggregations#consent` }
      : { id: demoId(seed, 'consent', key), name: 'Aggregated to 15 or more customers; no consent needed', types: ['never'], documentation: `${DOCS}/aggregations#privacy` },
  ]
}

/**
 * The set's aggregations, and which contracts' usage each one sums.
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export function buildAggregations(seed: string, customers: readonly CustomerPlan[], times: DataTimes, baseUrl?: string): { aggregations: AggregationInput[]; groups: AggregatedGroup[] } {
  const contracts = customers.flatMap((c) => c.accounts.flatMap((a) => a.contracts))
  const electric = contracts.filter((sc) => sc.commodity === 'electric')
  const aggregations: AggregationInput[] = []
  const groups: AggregatedGroup[] = []
  const base = (key: string, number: string, types: string[]): Omit<AggregationInput, 'members' | 'criteria' | 'grouped_addresses' | 'grouped_regions' | 'consent_requirements'> => ({
    cds_aggregation_id: demoId(seed, 'aggregation', key),
    aggregation_number: number,
    aggregation_types: types,
    scope: 'cds_query_usage',
    authorization_details: [],
    ...times,
  })
  const region = base('region', 'REGION-ANYTOWN', ['public', 'region', 'country', 'province'])
  const postal = demoId(seed, 'region', 'postal')
  aggregations.push({
    ...region,
    grouped_addresses: [],
    grouped_regions: [
      { id: postal, name: 'Anytown postal codes', types: ['postal_code', 'geographic'], postal_codes: POSTAL_CODES, map_resource: regionUrl(baseUrl, postal, 'map'), map_content_type: 'image/png', geojson_resource: regionUrl(baseUrl, postal, 'geojson') },
      { id: demoId(seed, 'region', 'county'), name: 'Demo County', types: ['county'], counties: ['Demo County'] },
    ],
    consent_requirements: consent(seed, 'region', 'never'),
    criteria: { countries: ['US'], provinces: ['CA'] },
    members: {},
  })
  groups.push({ aggregation_id: region.cds_aggregation_id, contracts: new Set(electric.map((sc) => sc.input.cds_servicecontract_id)) })
  const byRate = new Map<string, ContractPlan[]>()
  for (const sc of electric) byRate.set(sc.rate.code, [...(byRate.get(sc.rate.code) ?? []), sc])
  for (const [code, list] of [...byRate.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parent = base(`rate-${code}`, `RATE-${code}`, ['listed', 'rateplan_code'])
    const ids = list.map((sc) => sc.input.cds_servicecontract_id)
    const children: AggregationInput[] = []
    // More than 100 contracts: child aggregations of at most 100 each.
    if (ids.length > CHUNK) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const n = i / CHUNK + 1
        children.push({ ...base(`rate-${code}-${n}`, `RATE-${code}-${n}`, ['listed', 'contract_number']), grouped_addresses: [], grouped_regions: [], consent_requirements: consent(seed, `rate-${code}-${n}`, 'never'), criteria: {}, members: { service_contract: ids.slice(i, i + CHUNK) } })
      }
    }
    aggregations.push({
      ...parent,
      grouped_addresses: [],
      grouped_regions: [],
      consent_requirements: consent(seed, `rate-${code}`, 'never'),
      criteria: { rateplan_code: [code] },
      members: children.length > 0 ? { aggregation: children.map((c) => c.cds_aggregation_id) } : { service_contract: ids },
    }, ...children)
    groups.push({ aggregation_id: parent.cds_aggregation_id, contracts: new Set(ids) })
  }
  for (const building of BUILDINGS) {
    const inside = electric.filter((sc) => sc.input.contract_address?.startsWith(building.street) === true)
    if (inside.length === 0) continue
    const g = base(`building-${building.number}`, building.number, ['confidential', 'building'])
    aggregations.push({
      ...g,
      grouped_addresses: [`${building.street}, Anytown, CA`],
      grouped_regions: [],
      consent_requirements: consent(seed, building.number, 'always'),
      criteria: {},
      members: { service_point: inside.flatMap((sc) => (sc.point === null ? [] : [sc.point.input.cds_servicepoint_id])) },
    })
    groups.push({ aggregation_id: g.cds_aggregation_id, contracts: new Set(inside.map((sc) => sc.input.cds_servicecontract_id)) })
  }
  return { aggregations, groups }
}

/**
 * One monthly segment per aggregation: the net kWh of its contracts in that month (variable-length
 * period, one Value Set, catalog §3.19).
 *
 * @see CDS-WG3-01 §10.7.7 Accessing Aggregated Data
 */
export function aggregatedSegments(seed: string, groups: readonly AggregatedGroup[], monthKey: string, start: Date, end: Date, totals: ReadonlyMap<string, bigint>): UsageSegmentInput[] {
  return groups.map((g) => {
    let wh = 0n
    for (const id of g.contracts) wh += totals.get(id) ?? 0n
    return {
      cds_usagesegment_id: demoId(seed, 'aggregated-segment', g.aggregation_id, monthKey),
      segment_start: start,
      interval: String((end.getTime() - start.getTime()) / 1000),
      formats: [{ id: FORMAT_IDS.electric, type: 'electric_usage', units: 'kWh', direction: 'net', quality: 'calculated' }],
      values: [[{ eu: fixed(wh, 3) }]],
      related: { aggregation: [g.aggregation_id] },
    }
  })
}

/**
 * The set's EACs, per calendar year the window touches: the utility's general renewable portfolio,
 * each solar account's own production, the Solar Choice program and the CCA rate plan.
 *
 * @see CDS-WG3-01 §10.9.1 EAC Object Format
 */
export function buildEacs(seed: string, window: DemoWindow, customers: readonly CustomerPlan[], times: DataTimes, baseUrl?: string): EacInput[] {
  const eacs: EacInput[] = []
  const first = window.first.year
  const last = new Date(window.end.getTime() - 1).getUTCFullYear()
  const accounts = customers.flatMap((c) => c.accounts)
  const solar = accounts.filter((a) => a.contracts.some((sc) => sc.load.solar > 0))
  const rates = new Set(accounts.flatMap((a) => a.contracts.map((sc) => sc.rate.code)))
  const programs = new Set(accounts.flatMap((a) => a.input.account_programs.map((p) => String(p.program_number))))
  for (let year = first; year <= last; year++) {
    const period = { period_start: localMidnight(window.timeZone, year, 1, 1), period_end: localMidnight(window.timeZone, year + 1, 1, 1) }
    const eac = (key: string, beneficiary_type: string, beneficiaries: string[], number: string): EacInput => {
      const id = demoId(seed, 'eac', key, year)
      return { cds_eac_id: id, beneficiary_type, beneficiaries, eac_numbers: [number], eac_format: DEMO_EAC_FORMAT, eac_data_url: baseUrl === undefined ? `https://demo-utility.example/eac-data/${id}` : `${baseUrl}${ENDPOINT_PATHS.eac_data}/${id}`, ...period, ...times }
    }
    eacs.push(eac('general', 'general', [], `DGE-RPS-${year}`))
    for (const a of solar) eacs.push(eac(`account-${a.input.cds_account_id}`, 'account', [a.input.cds_account_id], `WREGIS-${a.input.account_number}-${year}`))
    if (programs.has('SOLAR-CHOICE')) eacs.push(eac('program', 'program', ['SOLAR-CHOICE'], `DGE-SC-${year}`))
    if (rates.has('E-1-CCA')) eacs.push(eac('rateplan', 'rateplan', ['E-1-CCA'], `ACP-GREEN-${year}`))
  }
  return eacs
}
