/**
 * The nine Customer Data listings of CDS-WG3-01 §10 as one table: the metadata member that
 * publishes each (§5, catalog §1.1), its envelope key, its id field, the `include_*` field that
 * makes its objects visible (§7.2), the direct-access scope type whose primary data it is (§6.2),
 * its object schema, and its ordering rule (§10.x, catalog §1.9).
 *
 * @module
 */
import {
  Account,
  Aggregation,
  BillSection,
  BillStatement,
  Eac,
  MeterDevice,
  ServiceContract,
  ServicePoint,
  UsageSegment,
} from '@cds-ts/schema'
import type { TSchema } from 'typebox'
import type { Json } from '../../core/context.js'

/** The short names of the nine listings. */
export type ApiKey = 'accounts' | 'servicecontracts' | 'servicepoints' | 'meterdevices' | 'billstatements' | 'billsections' | 'aggregations' | 'usagesegments' | 'eacs'

/** One sort key of a listing order: how to read it from an object and its direction. */
export interface SortKey {
  /** The key's name, for messages. */
  name: string
  /** The comparable value: a string (code-point order) or a number (an instant); `undefined` sorts last. */
  read: (item: Json, related: Related) => string | number | undefined
  desc: boolean
}

/** The numbers of related objects an order derives its keys from (catalog §1.9, A-17). */
export interface Related {
  /** The visible object of a listing by id. */
  find: (api: ApiKey, id: string) => Json | undefined
}

/** One Customer Data listing. */
export interface DataApi {
  key: ApiKey
  /** The human name, for titles. */
  name: string
  /** The §10 section of the object. */
  section: string
  /** The §10 section of the listing's filters and order. */
  listing: string
  /** The metadata member with its URL (CDS-WG3-01 §5; the two bill members are singular, A-01). */
  metadata: string
  /** The array member of the listing envelope. */
  envelope: string
  /** The id field of its objects. */
  id: string
  /** The `include_*` field that makes its objects visible (§7.2). */
  include: string
  /** The direct-access scope type of §6.2 whose primary data it is (none for EACs, A-05). */
  direct?: string
  /** The object schema of `@cds-ts/schema`. */
  schema: TSchema
  /** The ordering of §10.x (without the recommended id tie-break). */
  order: readonly SortKey[]
}

/** An instant of an RFC 3339 datetime member, for comparisons (catalog §0.1: compare instants, not strings). */
export function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** The smallest visible number of the related objects in `ids` (catalog §1.9, A-17: code-point order, missing last). */
function smallestNumber(related: Related, api: ApiKey, ids: unknown, field: string): string | undefined {
  const numbers = (Array.isArray(ids) ? ids : [])
    .map((id) => related.find(api, String(id))?.[field])
    .filter((n): n is string => typeof n === 'string')
    .sort(codePointCompare)
  return numbers[0]
}

/** Compares two strings by code points (catalog §1.9 "alphanumeric", A-17). */
export function codePointCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0)
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0)
  return x.length - y.length
}

const modifiedDesc: SortKey = { name: 'cds_modified descending', read: (item) => instant(item.cds_modified), desc: true }

/** The nine listings in section order. */
export const DATA_APIS: readonly DataApi[] = [
  {
    key: 'accounts', name: 'Accounts', section: '§10.1', listing: '§10.1.10', metadata: 'cds_accounts_api', envelope: 'accounts', id: 'cds_account_id',
    include: 'include_accounts', direct: 'cds_query_accounts', schema: Account, order: [modifiedDesc],
  },
  {
    key: 'servicecontracts', name: 'Service Contracts', section: '§10.2', listing: '§10.2.7', metadata: 'cds_servicecontracts_api', envelope: 'service_contracts',
    id: 'cds_servicecontract_id', include: 'include_service_contracts', direct: 'cds_query_service_contracts', schema: ServiceContract, order: [modifiedDesc],
  },
  {
    key: 'servicepoints', name: 'Service Points', section: '§10.3', listing: '§10.3.5', metadata: 'cds_servicepoints_api', envelope: 'service_points',
    id: 'cds_servicepoint_id', include: 'include_service_points', direct: 'cds_query_service_points', schema: ServicePoint, order: [modifiedDesc],
  },
  {
    key: 'meterdevices', name: 'Meter Devices', section: '§10.4', listing: '§10.4.5', metadata: 'cds_meterdevices_api', envelope: 'meter_devices',
    id: 'cds_meterdevice_id', include: 'include_meter_devices', direct: 'cds_query_meter_devices', schema: MeterDevice, order: [modifiedDesc],
  },
  {
    key: 'billstatements', name: 'Bill Statements', section: '§10.5', listing: '§10.5.4', metadata: 'cds_billstatement_api', envelope: 'bill_statements',
    id: 'cds_billstatement_id', include: 'include_bill_statements', direct: 'cds_query_bill_statements', schema: BillStatement,
    order: [{ name: 'statement_date descending', read: (item) => text(item.statement_date), desc: true }, modifiedDesc],
  },
  {
    key: 'billsections', name: 'Bill Sections', section: '§10.6', listing: '§10.6.9', metadata: 'cds_billsection_api', envelope: 'bill_sections',
    id: 'cds_billsection_id', include: 'include_bill_sections', direct: 'cds_query_bill_sections', schema: BillSection,
    order: [
      { name: 'account_number ascending', read: (item) => text(item.account_number), desc: false },
      { name: 'contract_number ascending', read: (item, r) => smallestNumber(r, 'servicecontracts', item.related_servicecontracts, 'contract_number'), desc: false },
      { name: 'start_date ascending', read: (item) => text(item.start_date), desc: false },
      modifiedDesc,
    ],
  },
  {
    key: 'aggregations', name: 'Aggregations', section: '§10.7', listing: '§10.7.8', metadata: 'cds_aggregations_api', envelope: 'aggregations',
    id: 'cds_aggregation_id', include: 'include_aggregations', direct: 'cds_query_aggregations', schema: Aggregation, order: [modifiedDesc],
  },
  {
    key: 'usagesegments', name: 'Usage Segments', section: '§10.8', listing: '§10.8.8', metadata: 'cds_usagesegments_api', envelope: 'usage_segments',
    id: 'cds_usagesegment_id', include: 'include_usage_segments', direct: 'cds_query_usage', schema: UsageSegment,
    order: [
      { name: 'aggregation_number ascending', read: (item, r) => smallestNumber(r, 'aggregations', item.related_aggregations, 'aggregation_number'), desc: false },
      { name: 'account_number ascending', read: (item, r) => smallestNumber(r, 'accounts', item.related_accounts, 'account_number'), desc: false },
      { name: 'contract_number ascending', read: (item, r) => smallestNumber(r, 'servicecontracts', item.related_servicecontracts, 'contract_number'), desc: false },
      { name: 'segment_start ascending', read: (item) => instant(item.segment_start), desc: false },
      modifiedDesc,
    ],
  },
  {
    key: 'eacs', name: 'EACs', section: '§10.9', listing: '§10.9.4', metadata: 'cds_eacs_api', envelope: 'eacs', id: 'cds_eac_id', include: 'include_eacs',
    schema: Eac,
    order: [
      { name: 'period_start descending', read: (item) => instant(item.period_start), desc: true },
      { name: 'cds_created descending', read: (item) => instant(item.cds_created), desc: true },
      { name: 'cds_eac_id ascending', read: (item) => text(item.cds_eac_id), desc: false },
    ],
  },
]

/** The listing of a key. */
export function apiOf(key: ApiKey): DataApi {
  const api = DATA_APIS.find((a) => a.key === key)
  if (api === undefined) throw new TypeError(`unknown listing ${key}`)
  return api
}

/** Compares two sort-key values (undefined last in both directions, catalog §1.9, A-17). */
export function compareKey(a: string | number | undefined, b: string | number | undefined, desc: boolean): number {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : codePointCompare(String(a), String(b))
  return desc ? -order : order
}
