/**
 * CDS-WG3-01 §10.3 Service Points API: the Service Point object, Premises, the listing's filters
 * and order.
 *
 * @module
 */
import { Decimal, PremiseType, ServicePointType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { nestedCheck, providedCheck } from './common.js'
import { filterCheck, intersectCheck, qCheck, type FilterSpec } from './filters.js'
import { presenceCheck } from './gates.js'
import { endsCheck, envelopeCheck, orderCheck, prunedCheck, ruleCheck, schemaCheck } from './kit.js'
import { shown, str, strings } from './listing.js'
import { allIn, directView, enumValues, nested } from './views.js'

/** What `q` searches on a Service Point (§10.3.5). */
export function servicePointSearch(item: Json): string[] {
  return [
    ...strings(item.cds_servicepoint_id),
    ...strings(item.servicepoint_address),
    ...strings(item.servicepoint_number),
    ...nested(item, 'premises').flatMap((p) => strings(p.premise_number)),
  ]
}

/** Whether a parsed JSON value is an exact decimal (a JSON number kept as text, or a safe integer). */
export function isDecimal(value: unknown): boolean {
  return Decimal.isDecimal(value) || (typeof value === 'number' && Number.isSafeInteger(value))
}

const ids: FilterSpec = { key: 'servicepoints', param: 'cds_servicepoint_ids', values: (item) => strings(item.cds_servicepoint_id), wide: true }
const numbers: FilterSpec = { key: 'servicepoints', param: 'servicepoint_numbers', values: (item) => strings(item.servicepoint_number) }
const coordinate = (member: string) => (item: Json) => (item[member] === null || isDecimal(item[member]) ? undefined : `${member} is ${shown(str(item[member]))}, not a JSON number`)

/** The checks of §10.3. */
export const servicePointChecks: readonly Check[] = [
  providedCheck('R3-01-10.3-01', 'servicepoints'),
  schemaCheck('R3-01-10.3.1-01', 'servicepoints', 'every Service Point has its required fields (ids, timestamps, servicepoint_number, servicepoint_types and the two contract lists) of the right types'),
  ruleCheck('R3-01-10.3.1-02', 'servicepoints', '§10.3.1', 'servicepoint_number is always present: a string, or null when there is no customer-facing number', (item) =>
    !('servicepoint_number' in item) ? 'servicepoint_number is missing' : item.servicepoint_number === null || (typeof item.servicepoint_number === 'string' && item.servicepoint_number !== '') ? true : `servicepoint_number is ${shown(item.servicepoint_number)}`, 'no Service Point is visible'),
  presenceCheck('R3-01-10.3.1-03', '§10.3.1', 'with addresses enabled, servicepoint_address is present: a string, or null when there is none', 'servicepoints', 'include_service_point_addresses', 'servicepoint_address', 'nullable', (item) =>
    item.servicepoint_address === null || typeof item.servicepoint_address === 'string' ? undefined : `servicepoint_address is ${shown(item.servicepoint_address)}`),
  presenceCheck('R3-01-10.3.1-04', '§10.3.1', 'with coordinates enabled, latitude and longitude are present: exact decimals, or null', 'servicepoints', 'include_coordinates', 'latitude', 'nullable', (item) =>
    !('longitude' in item) ? 'longitude is missing although latitude is there' : (coordinate('latitude')(item) ?? coordinate('longitude')(item))),
  prunedCheck('R3-01-10.3.1-05', 'servicepoints', '§10.3.1', ['current_servicecontracts'], 'servicecontracts'),
  prunedCheck('R3-01-10.3.1-06', 'servicepoints', '§10.3.1', ['previous_servicecontracts'], 'servicecontracts'),
  presenceCheck('R3-01-10.3.1-07', '§10.3.1', 'with premises enabled, premises is a list ([] when there are none)', 'servicepoints', 'include_premises', 'premises', 'list'),
  ruleCheck('R3-01-10.3.2-01', 'servicepoints', '§10.3.2', 'servicepoint_types holds only defined Service Point Types', allIn(enumValues(ServicePointType), 'servicepoint_types'), 'no Service Point is visible'),
  nestedCheck('R3-01-10.3.3-02', '§10.3.3', 'every Premise has id, premise_number and types', ['servicepoints'], (item) => nested(item, 'premises'), (p) =>
    typeof p.id === 'string' && typeof p.premise_number === 'string' && Array.isArray(p.types) ? true : `premise ${shown(p).slice(0, 120)} lacks id, premise_number or types`, 'no Premise is visible'),
  nestedCheck('R3-01-10.3.4-01', '§10.3.4', 'Premise types are defined Premise Types', ['servicepoints'], (item) => nested(item, 'premises'), allIn(enumValues(PremiseType), 'types'), 'no Premise is visible'),
  envelopeCheck('R3-01-10.3.5-01', 'servicepoints'),
  endsCheck('R3-01-10.3.5-03', 'servicepoints'),
  filterCheck('R3-01-10.3.5-04', ids),
  filterCheck('R3-01-10.3.5-05', numbers, 'the Service Points listing supports servicepoint_numbers (a null number never matches)'),
  filterCheck('R3-01-10.3.5-06', { key: 'servicepoints', param: 'current_servicecontracts', values: (item) => strings(item.current_servicecontracts) }, 'the Service Points listing supports current_servicecontracts, any listed contract matching (A-25)'),
  filterCheck('R3-01-10.3.5-07', { key: 'servicepoints', param: 'previous_servicecontracts', values: (item) => strings(item.previous_servicecontracts) }, 'the Service Points listing supports previous_servicecontracts, any listed contract matching (A-25)'),
  qCheck('R3-01-10.3.5-08', 'servicepoints', servicePointSearch, (ctx: CheckContext) => directView(ctx, 'servicepoints', 'bare')),
  intersectCheck('R3-01-10.3.5-09', ids, numbers),
  orderCheck('R3-01-10.3.5-10', 'servicepoints'),
]
