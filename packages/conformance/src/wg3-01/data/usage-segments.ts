/**
 * CDS-WG3-01 §10.8 Usage Segments API: the segment object and its time model (catalog §3.1–§3.4),
 * the listing's filters and order. The Value Types of §10.8.5 are in `usage-values.ts`.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { instant, type ApiKey } from './apis.js'
import { providedCheck } from './common.js'
import { exact } from './exact.js'
import { filterCheck, intersectCheck, type FilterSpec } from './filters.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, idsOf, strings } from './listing.js'
import { everyItem } from './views.js'

/** The six `related_*` lists of a segment and the listing each names. */
export const RELATED: readonly (readonly [string, ApiKey])[] = [
  ['related_aggregations', 'aggregations'],
  ['related_accounts', 'accounts'],
  ['related_servicecontracts', 'servicecontracts'],
  ['related_servicepoints', 'servicepoints'],
  ['related_meterdevices', 'meterdevices'],
  ['related_billsections', 'billsections'],
]

/** `interval` in milliseconds, exactly when it is a whole number of milliseconds. */
export function intervalMs(segment: Json): bigint | undefined {
  const value = exact(segment.interval)
  if (value === undefined) return undefined
  const scaled = value.units * 1000n
  const divisor = 10n ** BigInt(value.scale)
  return scaled % divisor === 0n ? scaled / divisor : undefined
}

/** `segment_end − segment_start` in milliseconds. */
export function spanMs(segment: Json): bigint | undefined {
  const [start, end] = [instant(segment.segment_start), instant(segment.segment_end)]
  return start === undefined || end === undefined ? undefined : BigInt(end - start)
}

/** A segment with its first and last few Value Sets only (the cells are checked per type in `usage-values.ts`). */
export function sampleValues(segment: Json): Json {
  const values = Array.isArray(segment.values) ? (segment.values as unknown[]) : undefined
  return values === undefined || values.length <= 8 ? segment : { ...segment, values: [...values.slice(0, 4), ...values.slice(-4)] }
}

const ids: FilterSpec = { key: 'usagesegments', param: 'cds_usagesegment_ids', values: (item) => strings(item.cds_usagesegment_id), wide: true }

/** A filter on a `related_*` list, or on the numbers of the related objects. */
function relatedFilter(param: string, list: string, via?: { key: ApiKey; field: string }): FilterSpec {
  if (via === undefined) return { key: 'usagesegments', param, values: (item) => strings(item[list]) }
  return {
    key: 'usagesegments',
    param,
    related: [via.key],
    values: (item, r) => strings(item[list]).flatMap((id) => strings(r.find(via.key, id)?.[via.field])),
  }
}

const accountIds = relatedFilter('cds_account_ids', 'related_accounts')

/** The checks of §10.8 (object, time model, listing). */
export const usageSegmentChecks: readonly Check[] = [
  providedCheck('R3-01-10.8-01', 'usagesegments'),
  schemaCheck('R3-01-10.8.1-01', 'usagesegments', 'every Usage Segment has its ids, timestamps, the six related lists, segment_start, segment_end, a decimal interval, formats and values', sampleValues),
  ruleCheck('R3-01-10.8.1-02', 'usagesegments', '§10.8.1', 'segment_end is the end of the last interval: segment_start + len(values) × interval (A-41)', (item) => {
    const values = item.values
    if (!Array.isArray(values) || values.length === 0) return undefined
    const [step, span] = [intervalMs(item), spanMs(item)]
    if (step === undefined || span === undefined) return `interval ${String(item.interval)} or the instants cannot be read exactly`
    return step * BigInt(values.length) === span ? true : `${String(item.segment_start)} + ${values.length} × ${String(item.interval)} s is not segment_end ${String(item.segment_end)}`
  }, 'no visible Usage Segment has Value Sets'),
  ruleCheck('R3-01-10.8.1-04', 'usagesegments', '§10.8.1', 'a segment of a variable-length period (28 days or more) holds exactly one Value Set whose interval is the period', (item) => {
    const step = intervalMs(item)
    if (step === undefined || step < 28n * 86_400_000n || !Array.isArray(item.values) || item.values.length === 0) return undefined
    if (item.values.length !== 1) return `an interval of ${String(item.interval)} s with ${item.values.length} Value Sets`
    return step === spanMs(item) ? true : `interval ${String(item.interval)} s is not the period ${String(item.segment_start)}–${String(item.segment_end)}`
  }, 'no visible Usage Segment covers a billing-length period'),
  ruleCheck('R3-01-10.8.1-05', 'usagesegments', '§10.8.1', 'every related_* list of a segment holds each id once', (item) => {
    for (const [list] of RELATED) {
      const values = strings(item[list])
      if (new Set(values).size !== values.length) return `${list} repeats an id`
    }
    return true
  }, 'no Usage Segment is visible'),
  check('R3-01-10.8.1-06', '§10.8.1', 'every related_* list of a segment holds only ids the token sees', async (ctx: CheckContext) =>
    everyItem(ctx, 'usagesegments', async (item, view) => {
      let refs = 0
      for (const [list, key] of RELATED) {
        const values = strings(item[list])
        if (values.length === 0) continue
        refs += values.length
        const visible = new Set(idsOf(key, (await fullListing(ctx, view.token, key)).items))
        const hidden = values.filter((id) => !visible.has(id))
        if (hidden.length > 0) return `${list} names ${hidden.join(', ')}, which ${view.token.label} does not see`
      }
      return refs === 0 ? undefined : true
    }, 'no visible Usage Segment lists a related object'),
  ),
  ruleCheck('R3-01-10.8.2-02', 'usagesegments', '§10.8.2', 'every Value Format has an id and a type, ids unique within the segment (A-44)', (item) => {
    const formats = Array.isArray(item.formats) ? (item.formats as Json[]) : []
    if (formats.length === 0) return undefined
    if (formats.some((f) => typeof f.id !== 'string' || typeof f.type !== 'string')) return 'a format lacks id or type'
    return new Set(formats.map((f) => f.id)).size === formats.length ? true : 'two formats share an id'
  }, 'no visible Usage Segment has formats'),
  ruleCheck('R3-01-10.8.3-02', 'usagesegments', '§10.8.3', 'every Value Set keeps one position per format: a Value Object, or null where it is missing (never dropped)', (item) => {
    const formats = Array.isArray(item.formats) ? item.formats.length : 0
    const values = Array.isArray(item.values) ? (item.values as unknown[]) : []
    if (values.length === 0) return undefined
    for (const [k, set] of values.entries()) {
      if (!Array.isArray(set)) return `Value Set ${k} is not a list`
      if (set.length !== formats) return `Value Set ${k} has ${set.length} entries for ${formats} formats`
      if (set.some((v) => v !== null && (typeof v !== 'object' || Array.isArray(v)))) return `Value Set ${k} holds something that is neither a Value Object nor null`
    }
    return true
  }, 'no visible Usage Segment has Value Sets'),
  envelopeCheck('R3-01-10.8.8-01', 'usagesegments'),
  endsCheck('R3-01-10.8.8-03', 'usagesegments'),
  filterCheck('R3-01-10.8.8-04', ids),
  filterCheck('R3-01-10.8.8-05', { key: 'usagesegments', param: 'before', kind: 'before', format: 'datetime', values: (item) => strings(item.segment_start) }, 'before keeps the segments starting at or before it (the bound included)'),
  filterCheck('R3-01-10.8.8-06', { key: 'usagesegments', param: 'after', kind: 'after', format: 'datetime', values: (item) => strings(item.segment_end) }, 'after keeps the segments ending at or after it (the bound included, A-52)'),
  filterCheck('R3-01-10.8.8-07', accountIds, 'the Usage Segments listing supports cds_account_ids, any related account matching'),
  filterCheck('R3-01-10.8.8-08', relatedFilter('account_numbers', 'related_accounts', { key: 'accounts', field: 'account_number' }), 'the Usage Segments listing supports account_numbers, matched on the related accounts (A-13)'),
  filterCheck('R3-01-10.8.8-09', relatedFilter('cds_servicecontract_ids', 'related_servicecontracts'), 'the Usage Segments listing supports cds_servicecontract_ids, any related contract matching'),
  filterCheck('R3-01-10.8.8-10', relatedFilter('contract_numbers', 'related_servicecontracts', { key: 'servicecontracts', field: 'contract_number' }), 'the Usage Segments listing supports contract_numbers, matched on the related contracts (A-13)'),
  filterCheck('R3-01-10.8.8-11', relatedFilter('cds_servicepoint_ids', 'related_servicepoints'), 'the Usage Segments listing supports cds_servicepoint_ids, any related service point matching'),
  filterCheck('R3-01-10.8.8-12', relatedFilter('servicepoint_numbers', 'related_servicepoints', { key: 'servicepoints', field: 'servicepoint_number' }), 'the Usage Segments listing supports servicepoint_numbers, matched on the related service points'),
  filterCheck('R3-01-10.8.8-13', relatedFilter('cds_meterdevice_ids', 'related_meterdevices'), 'the Usage Segments listing supports cds_meterdevice_ids, any related meter matching'),
  filterCheck('R3-01-10.8.8-14', relatedFilter('meter_numbers', 'related_meterdevices', { key: 'meterdevices', field: 'meter_number' }), 'the Usage Segments listing supports meter_numbers, matched on the related meters (A-13)'),
  filterCheck('R3-01-10.8.8-15', relatedFilter('cds_billsection_ids', 'related_billsections'), 'the Usage Segments listing supports cds_billsection_ids, any related bill section matching'),
  intersectCheck('R3-01-10.8.8-16', ids, accountIds),
  orderCheck('R3-01-10.8.8-17', 'usagesegments', ['union'], ['aggregations', 'accounts', 'servicecontracts']),
]
