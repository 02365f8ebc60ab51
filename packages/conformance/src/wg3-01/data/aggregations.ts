/**
 * CDS-WG3-01 §10.7 Aggregations API: the Aggregation object and its type-specific fields, Regions,
 * Consent Requirements, the linked map resources, the listing's filters and order.
 *
 * @module
 */
import { AccountType, AggregationRegionType, AggregationType, ConsentRequirementType, MeterType, ServicePointType, ServiceType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { ApiKey } from './apis.js'
import { isUrl, nestedCheck, providedCheck } from './common.js'
import { filterCheck, intersectCheck, qCheck, type FilterSpec } from './filters.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, idsOf, shown, strings } from './listing.js'
import { allIn, directView, enumValues, everyItem, nested, type Verdict } from './views.js'

const ids: FilterSpec = { key: 'aggregations', param: 'cds_aggregation_ids', values: (item) => strings(item.cds_aggregation_id), wide: true }
const numbers: FilterSpec = { key: 'aggregations', param: 'aggregation_numbers', values: (item) => strings(item.aggregation_number) }
const regions = (item: Json) => nested(item, 'grouped_regions')
const GROUPS: readonly (readonly [string, ApiKey])[] = [
  ['grouped_accounts', 'accounts'],
  ['grouped_servicecontracts', 'servicecontracts'],
  ['grouped_servicepoints', 'servicepoints'],
  ['grouped_meterdevices', 'meterdevices'],
  ['grouped_aggregations', 'aggregations'],
]

/** What `q` searches on an Aggregation (§10.7.8, A-39: grouped_addresses and Region id and name). */
export function aggregationSearch(item: Json): string[] {
  return [...strings(item.cds_aggregation_id), ...strings(item.aggregation_number), ...strings(item.grouped_addresses), ...regions(item).flatMap((r) => [...strings(r.id), ...strings(r.name)])]
}

/** A type-specific rule: with `type` in aggregation_types, each member is an array whose strings pass `valid`. */
function typed(pairs: readonly (readonly [string, string, ((v: string) => boolean)?])[]): (item: Json) => Verdict {
  return (item) => {
    const types = strings(item.aggregation_types)
    let applied = false
    for (const [type, name, valid] of pairs) {
      if (!types.includes(type)) continue
      applied = true
      const value = item[name]
      if (!Array.isArray(value)) return `an aggregation of type ${type} has ${name} ${shown(value)}, not a list`
      const bad = value.filter((v) => typeof v !== 'string' || (valid !== undefined && !valid(v)))
      if (bad.length > 0) return `${name} holds ${bad.map((v) => shown(v)).join(', ')}`
    }
    return applied ? true : undefined
  }
}

const inEnum = (schema: unknown) => {
  const values = enumValues(schema)
  return (v: string) => values.has(v)
}

/**
 * An aggregation of a number type populates its group, or splits it into child aggregations
 * (§10.7.2): checked with a token that sees the grouped type, since groups are pruned.
 */
function populated(id: string, type: string, group: string, target: ApiKey): Check {
  return check(id, '§10.7.2', `an aggregation of type ${type} lists its members in ${group} or in child aggregations`, async (ctx: CheckContext) =>
    everyItem(ctx, 'aggregations', async (item, view) => {
      if (!strings(item.aggregation_types).includes(type)) return undefined
      if ((await fullListing(ctx, view.token, target)).items.length === 0) return undefined
      return strings(item[group]).length > 0 || strings(item.grouped_aggregations).length > 0 ? true : `${group} and grouped_aggregations are both empty`
    }, `no visible aggregation of type ${type} can be seen with its members`),
  )
}

/** The checks of §10.7 (the aggregated-data flow of §10.7.7 is in `aggregation-flow.ts`). */
export const aggregationChecks: readonly Check[] = [
  providedCheck('R3-01-10.7-01', 'aggregations'),
  schemaCheck('R3-01-10.7.1-01', 'aggregations', 'every Aggregation has the required fields of §10.7.1 (ids, timestamps, types, number, scope, authorization details, the groups, regions, consent requirements)'),
  ruleCheck('R3-01-10.7.1-02', 'aggregations', '§10.7.1', 'aggregation_number is always present: a string, or null when there is none', (item) =>
    !('aggregation_number' in item) ? 'aggregation_number is missing' : item.aggregation_number === null || (typeof item.aggregation_number === 'string' && item.aggregation_number !== '') ? true : `aggregation_number is ${shown(item.aggregation_number)}`, 'no Aggregation is visible'),
  check('R3-01-10.7.1-03', '§10.7.1', 'scope is a string: "" when no data is available, else published scope ids (A-33)', async (ctx: CheckContext) => {
    const supported = new Set(((await ctx.oauthMetadata()).scopes_supported ?? []) as string[])
    await everyItem(ctx, 'aggregations', (item) => {
      if (typeof item.scope !== 'string') return `scope is ${shown(item.scope)}`
      const unknown = item.scope.split(' ').filter((s) => s !== '' && !supported.has(s))
      return unknown.length === 0 ? true : `scope names ${unknown.join(', ')}, which the server does not publish`
    }, 'no Aggregation is visible')
  }),
  ruleCheck('R3-01-10.7.1-04', 'aggregations', '§10.7.1', 'authorization_details is a list of RFC 9396 entries ([] when none)', (item) =>
    Array.isArray(item.authorization_details) && item.authorization_details.every((e) => typeof e === 'object' && e !== null && typeof (e as Json).type === 'string') ? true : `authorization_details is ${shown(item.authorization_details)}`, 'no Aggregation is visible'),
  check('R3-01-10.7.1-05', '§10.7.1', 'every grouped_* id list is a list holding only ids the token sees', async (ctx: CheckContext) =>
    everyItem(ctx, 'aggregations', async (item, view) => {
      for (const [group, target] of GROUPS) {
        if (!Array.isArray(item[group])) return `${group} is ${shown(item[group])}, not a list`
        const visible = new Set(idsOf(target, (await fullListing(ctx, view.token, target)).items))
        const hidden = strings(item[group]).filter((id) => !visible.has(id))
        if (hidden.length > 0) return `${group} names ${hidden.join(', ')}, which ${view.token.label} does not see`
      }
      return true
    }, 'no Aggregation is visible'),
  ),
  ruleCheck('R3-01-10.7.1-07', 'aggregations', '§10.7.1', 'consent_requirements is always a list ([] when none)', (item) => (Array.isArray(item.consent_requirements) ? true : `consent_requirements is ${shown(item.consent_requirements)}`), 'no Aggregation is visible'),
  ruleCheck('R3-01-10.7.1-08', 'aggregations', '§10.7.1', 'no grouped_* list holds more than 1000 items (100 for the number types, A-35)', (item) => {
    const limits: Record<string, number> = { account_number: 100, contract_number: 100, servicepoint_number: 100, meter_number: 100 }
    const types = strings(item.aggregation_types)
    for (const name of Object.keys(item).filter((k) => k.startsWith('grouped_'))) {
      const value = item[name]
      if (Array.isArray(value) && value.length > 1000) return `${name} holds ${value.length} items`
    }
    for (const [type, group] of [['account_number', 'grouped_accounts'], ['contract_number', 'grouped_servicecontracts'], ['servicepoint_number', 'grouped_servicepoints'], ['meter_number', 'grouped_meterdevices']] as const)
      if (types.includes(type) && strings(item[group]).length > (limits[type] ?? 1000)) return `${group} of a ${type} aggregation holds more than 100 items`
    return true
  }, 'no Aggregation is visible'),
  ruleCheck('R3-01-10.7.2-01', 'aggregations', '§10.7.2', 'aggregation_types holds only defined Aggregation Types', allIn(enumValues(AggregationType), 'aggregation_types'), 'no Aggregation is visible'),
  ruleCheck('R3-01-10.7.2-04', 'aggregations', '§10.7.2', 'a country aggregation lists its countries as ISO 3166 codes', typed([['country', 'countries', (v) => /^[A-Z]{2}$/.test(v)]]), 'no visible aggregation is of type country'),
  ruleCheck('R3-01-10.7.2-05', 'aggregations', '§10.7.2', 'a province aggregation lists provinces, a municipality aggregation municipalities', typed([['province', 'provinces'], ['municipality', 'municipalities']]), 'no visible aggregation is of type province or municipality'),
  populated('R3-01-10.7.2-06', 'account_number', 'grouped_accounts', 'accounts'),
  ruleCheck('R3-01-10.7.2-07', 'aggregations', '§10.7.2', 'an account_type aggregation lists account_types, an account_program_number one account_program_numbers', typed([['account_type', 'account_types', inEnum(AccountType)], ['account_program_number', 'account_program_numbers']]), 'no visible aggregation is of type account_type or account_program_number'),
  populated('R3-01-10.7.2-08', 'contract_number', 'grouped_servicecontracts', 'servicecontracts'),
  ruleCheck('R3-01-10.7.2-09', 'aggregations', '§10.7.2', 'service_type, rateplan_code and service_program_number aggregations list service_types, rateplan_code and service_program_numbers', typed([['service_type', 'service_types', inEnum(ServiceType)], ['rateplan_code', 'rateplan_code'], ['service_program_number', 'service_program_numbers']]), 'no visible aggregation is of these types'),
  populated('R3-01-10.7.2-10', 'servicepoint_number', 'grouped_servicepoints', 'servicepoints'),
  ruleCheck('R3-01-10.7.2-11', 'aggregations', '§10.7.2', 'servicepoint_type and premise_number aggregations list servicepoint_types and premise_numbers', typed([['servicepoint_type', 'servicepoint_types', inEnum(ServicePointType)], ['premise_number', 'premise_numbers']]), 'no visible aggregation is of these types'),
  populated('R3-01-10.7.2-12', 'meter_number', 'grouped_meterdevices', 'meterdevices'),
  ruleCheck('R3-01-10.7.2-13', 'aggregations', '§10.7.2', 'meter_type and meter_app_number aggregations list meter_types and meter_app_numbers', typed([['meter_type', 'meter_types', inEnum(MeterType)], ['meter_app_number', 'meter_app_numbers']]), 'no visible aggregation is of these types'),
  nestedCheck('R3-01-10.7.3-01', '§10.7.3', 'every Aggregation Region has id, name and types', ['aggregations'], regions, (r) => (typeof r.id === 'string' && typeof r.name === 'string' && Array.isArray(r.types) ? true : `region ${shown(r).slice(0, 120)} is incomplete`), 'no Aggregation Region is visible'),
  nestedCheck('R3-01-10.7.4-01', '§10.7.4', 'Aggregation Region types are defined values', ['aggregations'], regions, allIn(enumValues(AggregationRegionType), 'types'), 'no Aggregation Region is visible'),
  nestedCheck('R3-01-10.7.4-02', '§10.7.4', 'a geographic region has map_resource, map_content_type and geojson_resource, not both resources null, and a content type with a map', ['aggregations'], regions, (r) => {
    if (!strings(r.types).includes('geographic')) return undefined
    const missing = ['map_resource', 'map_content_type', 'geojson_resource'].filter((m) => !(m in r))
    if (missing.length > 0) return `region ${String(r.id)} lacks ${missing.join(', ')}`
    if (r.map_resource === null && r.geojson_resource === null) return `region ${String(r.id)} has neither a map nor a GeoJSON resource`
    if (r.map_resource !== null && typeof r.map_content_type !== 'string') return `region ${String(r.id)} has a map without a content type`
    return [r.map_resource, r.geojson_resource].every((u) => u === null || isUrl(u)) ? true : `region ${String(r.id)} has a resource that is not a URL`
  }, 'no visible region is geographic'),
  nestedCheck('R3-01-10.7.4-05', '§10.7.4', 'postal_code, county, neighborhood and city_block regions list postal_codes, counties, neighborhoods and city_blocks', ['aggregations'], regions, (r) => {
    const pairs = [['postal_code', 'postal_codes'], ['county', 'counties'], ['neighborhood', 'neighborhoods'], ['city_block', 'city_blocks']]
    const due = pairs.filter(([t]) => strings(r.types).includes(String(t)))
    if (due.length === 0) return undefined
    const bad = due.filter(([, m]) => !Array.isArray(r[String(m)]) || !(r[String(m)] as unknown[]).every((v) => typeof v === 'string'))
    return bad.length === 0 ? true : `region ${String(r.id)} lacks ${bad.map(([, m]) => m).join(', ')}`
  }, 'no visible region is of these types'),
  nestedCheck('R3-01-10.7.5-01', '§10.7.5', 'every Consent Requirement has id, name, types and a documentation URL', ['aggregations'], (item) => nested(item, 'consent_requirements'), (c) =>
    typeof c.id === 'string' && typeof c.name === 'string' && Array.isArray(c.types) && isUrl(c.documentation) ? true : `consent requirement ${shown(c).slice(0, 120)} is incomplete`, 'no Consent Requirement is visible'),
  nestedCheck('R3-01-10.7.6-01', '§10.7.6', 'Consent Requirement types are always, sometimes or never', ['aggregations'], (item) => nested(item, 'consent_requirements'), allIn(enumValues(ConsentRequirementType), 'types'), 'no Consent Requirement is visible'),
  envelopeCheck('R3-01-10.7.8-01', 'aggregations'),
  endsCheck('R3-01-10.7.8-03', 'aggregations'),
  filterCheck('R3-01-10.7.8-04', ids),
  filterCheck('R3-01-10.7.8-05', numbers, 'the Aggregations listing supports aggregation_numbers (a null number never matches)'),
  filterCheck('R3-01-10.7.8-06', { key: 'aggregations', param: 'aggregation_types', values: (item) => strings(item.aggregation_types) }, 'the Aggregations listing supports aggregation_types, any type matching any value'),
  qCheck('R3-01-10.7.8-07', 'aggregations', aggregationSearch, (ctx: CheckContext) => directView(ctx, 'aggregations', 'bare')),
  intersectCheck('R3-01-10.7.8-08', ids, numbers),
  orderCheck('R3-01-10.7.8-09', 'aggregations'),
]

