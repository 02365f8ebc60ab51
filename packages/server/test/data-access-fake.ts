/**
 * A hand-built {@link DataAccess} for unit tests of the CDS-WG3-01 §10 listings: the visible ids
 * of each type are listed outright, so a listing's own filters, ordering, gates and pruning can be
 * tested without a Grant or a token. The real access (`wg3-01/data/access.ts`) is tested on its own
 * and end to end.
 */
import { sql } from 'kysely'
import type { DataAccess, DataObjectType, DateWindows, IncludeField } from '../src/wg3-01/data/types.js'

/** The id column of each type's table. */
export const ID_COLUMNS: Readonly<Record<DataObjectType, string>> = {
  account: 'accounts.cds_account_id',
  service_contract: 'service_contracts.cds_servicecontract_id',
  service_point: 'service_points.cds_servicepoint_id',
  meter_device: 'meter_devices.cds_meterdevice_id',
  bill_statement: 'bill_statements.cds_billstatement_id',
  bill_section: 'bill_sections.cds_billsection_id',
  aggregation: 'aggregations.cds_aggregation_id',
  usage_segment: 'usage_segments.cds_usagesegment_id',
  eac: 'eacs.cds_eac_id',
}

/** No date limits. */
export const NO_WINDOWS: DateWindows = {
  statement_date_start: null,
  statement_date_end: null,
  start_date: null,
  end_date: null,
  segment_start: null,
  segment_end: null,
  sync_until: null,
}

/** What {@link fakeAccess} is built from. */
export interface FakeAccessOptions {
  /** The visible ids per type; a type left out shows nothing. */
  visible: Partial<Record<DataObjectType, Iterable<string>>>
  /** The `include_*` fields that are true. */
  includes?: Iterable<IncludeField>
  windows?: Partial<DateWindows>
  valueFormats?: DataAccess['valueFormats']
  programs?: DataAccess['programs']
}

/** A {@link DataAccess} that shows exactly the listed ids. */
export function fakeAccess(options: FakeAccessOptions): DataAccess {
  const visible = new Map<DataObjectType, ReadonlySet<string>>(
    Object.entries(options.visible).map(([type, ids]) => [type as DataObjectType, new Set(ids)]),
  )
  const includes = new Set<string>(options.includes ?? [])
  return {
    grant_id: 'fake-grant',
    client_id: 'fake-client',
    status: 'active',
    visible(type) {
      const ids = [...(visible.get(type) ?? [])]
      return ids.length === 0 ? sql<boolean>`false` : sql<boolean>`${sql.ref(ID_COLUMNS[type])} in (${sql.join(ids)})`
    },
    visibleIds(type, ids) {
      const set = visible.get(type) ?? new Set<string>()
      return Promise.resolve(new Set([...ids].filter((id) => set.has(id))))
    },
    includes: (field) => includes.has(field),
    windows: { ...NO_WINDOWS, ...options.windows },
    valueFormats: options.valueFormats ?? 'all',
    ...(options.programs === undefined ? {} : { programs: options.programs }),
  }
}
