/**
 * The contract between the Customer Data listings of CDS-WG3-01 §10 and the one plugin that
 * serves them (`index.ts`): what a token may see ({@link DataAccess}, computed once per request by
 * `access.ts`), and what each listing provides ({@link DataListing}). A listing never reads the
 * `Authorization` header, writes `next`/`previous` links or decides Grant status itself.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { GrantStatus } from '@cds-ts/schema'
import type { Expression, Kysely, SqlBool } from 'kysely'
import type { TObject, TSchema } from 'typebox'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import type { KeyPage } from '../../db/keyset.js'
import type { KeyCursor } from '../../shared/pagination.js'

/** The nine top-level Customer Data objects (catalog §1.12). */
export type DataObjectType =
  | 'account'
  | 'service_contract'
  | 'service_point'
  | 'meter_device'
  | 'bill_statement'
  | 'bill_section'
  | 'aggregation'
  | 'usage_segment'
  | 'eac'

/** An `include_*` Authorization Details Field (CDS-WG3-01 §7.2). */
export type IncludeField = `include_${string}`

/**
 * The date limits of CDS-WG3-01 §7.3 that apply to the token, already absolute; `null`
 * means unbounded (`"infinite"` or not granted). Dates are `YYYY-MM-DD`, datetimes RFC 3339.
 *
 * @see CDS-WG3-01 §7.3 Authorization Details Fields for Durations
 */
export interface DateWindows {
  /** Bill Statements: `statement_date >= statement_date_start`. */
  statement_date_start: string | null
  /** Bill Statements: `statement_date <= statement_date_end`. */
  statement_date_end: string | null
  /** Bill Sections: `start_date >= start_date`. */
  start_date: string | null
  /** Bill Sections: `end_date <= end_date`. */
  end_date: string | null
  /** Usage Segments start no earlier; straddling segments are trimmed (§7.3.6). */
  segment_start: string | null
  /** Usage Segments end no later; straddling segments are trimmed (§7.3.7). */
  segment_end: string | null
  /** No data valid after this instant is served (§7.3.1). */
  sync_until: string | null
}

/**
 * What one access token may see, for one request (catalog §1.4–§1.6).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export interface DataAccess {
  readonly grant_id: string
  readonly client_id: string
  readonly status: GrantStatus
  /**
   * A SQL condition, true for the rows of `type` the token may see: the selections, the
   * `include_*` expansions, the date windows (containment for statements and sections, overlap for
   * usage segments, which are then trimmed) and the Grant status. It refers to the type's table by
   * its name (`accounts.cds_account_id`, `usage_segments.cds_usagesegment_id`, …), so use it in a
   * query over that table without an alias.
   */
  visible(type: DataObjectType): Expression<SqlBool>
  /** The ids among `ids` the token may see: for pruning `related_*`, `current_*`, `grouped_*` arrays. */
  visibleIds(type: DataObjectType, ids: Iterable<string>): Promise<ReadonlySet<string>>
  /** Whether the `include_*` field is effectively true for the token (scope defaults and the Grant's values, A-58). */
  includes(field: IncludeField): boolean
  readonly windows: DateWindows
  /**
   * `include_usage_segment_value_types` resolved (§7.2.8.1, catalog §3.9): the Value Format
   * objects (the chosen Choices' `usagesegment_format`) whose columns the token may see, `'all'`
   * when unrestricted, `[]` when the value is null (then `formats` and `values` are `[]`).
   */
  readonly valueFormats: 'all' | readonly Readonly<Record<string, unknown>>[]
  /**
   * the `program_number`s whose Program objects may appear in `account_programs` and
   * `service_programs`; `null` when the token's scopes do not restrict them (only the Program
   * scopes of §6.1.2 and §6.1.3 do, with their required preselection).
   */
  readonly programs?: { readonly account: ReadonlySet<string> | null; readonly service: ReadonlySet<string> | null }
}

/** What a listing gets for one request. */
export interface ListingRequest<Q> {
  db: Kysely<Database>
  config: ServerConfig
  access: DataAccess
  /** The validated query string (every filter of the listing; `cursor` is already decoded). */
  query: Q
  cursor: KeyCursor | undefined
  /** The request's instant (the server clock). */
  now: Date
}

/** The metadata fields of CDS-WG3-01 §5 that publish the listings' URLs. */
export type CustomerDataApi =
  | 'cds_accounts_api'
  | 'cds_servicecontracts_api'
  | 'cds_servicepoints_api'
  | 'cds_meterdevices_api'
  | 'cds_billstatement_api'
  | 'cds_billsection_api'
  | 'cds_aggregations_api'
  | 'cds_usagesegments_api'
  | 'cds_eacs_api'

/**
 * One listing of CDS-WG3-01 §10, served by `customerDataPlugin`.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export interface DataListing<Q = Record<string, unknown>> {
  /** The metadata field that publishes the listing's URL (CDS-WG3-01 §5). */
  api: CustomerDataApi
  /** The envelope key of the list (`accounts`, `service_contracts`, …). */
  envelope: string
  operationId: string
  /** The `#### 10.x.y Listing …` title, for the OpenAPI document. */
  summary: string
  /** The filters of the listing (its `…ListingQuery` schema; the plugin adds `cursor`). */
  querystring: TObject
  /** The response schema (its `…Listing` schema of `@cds-ts/schema`). */
  response: TSchema
  /**
   * The listing's objects are already exactly the wire objects (every field placed on purpose,
   * server extension fields included), so the response is written as is, without the schema
   * allow-list pass of the shared serializer. For Usage Segments, whose tens of thousands of
   * Value Objects would otherwise each be matched against the Value Object unions.
   */
  projected?: true
  /** How many sort keys the listing's cursor holds (the `keys` of its `keysetPageBy`). */
  sortKeys: number
  /** One page of objects, already projected (gated fields removed, id arrays pruned). */
  list(request: ListingRequest<Q>): Promise<KeyPage<Record<string, unknown>>>
}
