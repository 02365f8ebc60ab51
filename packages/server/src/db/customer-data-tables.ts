/**
 * The tables of CDS-WG3-01 §10 (migration 0004): the Customer Data objects and their links.
 * Columns carry the spec's field names; nested objects are `jsonb` documents read back as text
 * ({@link JsonText}) and decimals are `numeric` read back as text ({@link Numeric}), so no value
 * ever passes through a float. `database.ts` collects these into the `Database` interface.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { ColumnType } from 'kysely'
import type { JsonText, Numeric, Timestamp } from './database.js'

/** A `jsonb` string array column (types, numbers, ids); default `[]` on insert. */
export type JsonArray<T = string> = ColumnType<JsonText<T[]>, JsonText<T[]> | undefined, JsonText<T[]>>
/** A `date` column: `YYYY-MM-DD` text both ways (the driver parser keeps it as text). */
export type DateText = ColumnType<string, string, string>
/** A nullable `numeric` column. */
export type NullableNumeric = ColumnType<string | null, string | null | undefined, string | null>

/** The `cds_created`, `cds_modified` and `cds_synced` columns of every top-level object (catalog §1.12). */
export interface DataTimestamps {
  cds_created: Timestamp
  /** Bumped when the data changes, never for a sync-only touch: it drives the list order. */
  cds_modified: Timestamp
  cds_synced: Timestamp
}

/** `accounts` (§10.1.1). `customer_id` links the account to the customer who may authorize it. */
export interface AccountsTable extends DataTimestamps {
  cds_account_id: string
  customer_id: string | null
  cds_account_parent: string | null
  customer_number: string | null
  account_number: string
  /** An Entity object (§10.1.4) or null. */
  account_entity: JsonText<Record<string, unknown>> | null
  account_name: string | null
  account_address: string | null
  account_types: JsonArray
  account_status: string
  /** Account Contact objects (§10.1.6). */
  account_contacts: JsonArray<Record<string, unknown>>
  /** Account Program objects (§10.1.8). */
  account_programs: JsonArray<Record<string, unknown>>
  /** The `program_number`s of `account_programs`, for filters and preselection. */
  program_numbers: JsonArray
}

/** `service_contracts` (§10.2.1); `account_number` is read from the account. */
export interface ServiceContractsTable extends DataTimestamps {
  cds_servicecontract_id: string
  cds_account_id: string
  contract_number: string | null
  contract_address: string | null
  contract_types: JsonArray
  contract_entity: JsonText<Record<string, unknown>> | null
  contract_status: string
  contract_start: ColumnType<string | null, string | null | undefined, string | null>
  contract_end: ColumnType<string | null, string | null | undefined, string | null>
  service_types: JsonArray
  rateplan_code: string | null
  rateplan_name: string | null
  /** Service Program objects (§10.2.5). */
  service_programs: JsonArray<Record<string, unknown>>
  program_numbers: JsonArray
}

/** `service_points` (§10.3.1). */
export interface ServicePointsTable extends DataTimestamps {
  cds_servicepoint_id: string
  servicepoint_number: string | null
  servicepoint_types: JsonArray
  servicepoint_address: string | null
  latitude: NullableNumeric
  longitude: NullableNumeric
  /** Premise objects (§10.3.3). */
  premises: JsonArray<Record<string, unknown>>
  premise_numbers: JsonArray
}

/** A temporal link: current while `valid_to` is null, previous after (catalog §7.5). */
export interface TemporalLink {
  valid_from: Timestamp
  valid_to: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** `servicepoint_servicecontracts`: §10.3.1 `current_servicecontracts` / `previous_servicecontracts`. */
export interface ServicePointServiceContractsTable extends TemporalLink {
  cds_servicepoint_id: string
  cds_servicecontract_id: string
}

/** `meter_devices` (§10.4.1). */
export interface MeterDevicesTable extends DataTimestamps {
  cds_meterdevice_id: string
  meter_number: string | null
  meter_types: JsonArray
  /** Meter App objects (§10.4.3). */
  meter_apps: JsonArray<Record<string, unknown>>
  app_numbers: JsonArray
}

/** `meterdevice_servicepoints`: §10.4.1 `current_servicepoints` / `previous_servicepoints`. */
export interface MeterDeviceServicePointsTable extends TemporalLink {
  cds_meterdevice_id: string
  cds_servicepoint_id: string
}

/** `bill_statements` (§10.5.1). `account_number` is the number at issue. */
export interface BillStatementsTable extends DataTimestamps {
  cds_billstatement_id: string
  cds_account_id: string
  account_number: string
  statement_date: DateText
  currency: string
  /** The statement's file in `bill_files`, served by this server; null when `file_uri` is external or absent. */
  file_id: string | null
  /** An external `file_uri`; null when there is no file or it is in `bill_files`. */
  file_uri: string | null
  file_mimetype: string | null
  previous_balance_amount: NullableNumeric
  previous_balance_paid: NullableNumeric
  previous_balance_unpaid: NullableNumeric
  new_charges_amount: NullableNumeric
  /** New Charge objects (§10.5.2). */
  new_charges: JsonArray<Record<string, unknown>>
  new_balance_amount: NullableNumeric
  amount_due: Numeric
  amount_due_date: ColumnType<string | null, string | null | undefined, string | null>
  shutoff_prevention_minimum_due: NullableNumeric
  shutoff_prevention_date: ColumnType<string | null, string | null | undefined, string | null>
  /** Account Program objects as of the statement's period. */
  account_programs: JsonArray<Record<string, unknown>>
}

/** `bill_files`: the files behind `file_uri` (§10.5.1). */
export interface BillFilesTable {
  file_id: string
  content_type: string
  file_name: string
  content: ColumnType<Uint8Array, Uint8Array, Uint8Array>
  size: number
}

/** `bill_sections` (§10.6.1). */
export interface BillSectionsTable extends DataTimestamps {
  cds_billsection_id: string
  cds_billstatement_id: string | null
  cds_account_id: string
  /** The account number at issue; also the first sort key of §10.6.9. */
  account_number: string
  section_types: JsonArray
  start_date: DateText
  end_date: DateText
  currency: string
  distribution_entity: JsonText<Record<string, unknown>> | null
  supply_entity: JsonText<Record<string, unknown>> | null
  usage_details: JsonArray<Record<string, unknown>>
  cost_details: JsonArray<Record<string, unknown>>
  line_items: JsonArray<Record<string, unknown>>
  /** The smallest related `contract_number`; U+10FFFF (sorts last) when there is none. */
  sort_contract_number: string
}

/** What a Bill Section links to (`related_*`). */
export type BillSectionLinkType = 'service_contract' | 'service_point' | 'meter_device' | 'bill_section'

/** `bill_section_links`; `bill_section` links are stored in both directions. */
export interface BillSectionLinksTable {
  cds_billsection_id: string
  object_type: BillSectionLinkType
  object_id: string
}

/** `aggregations` (§10.7.1). */
export interface AggregationsTable extends DataTimestamps {
  cds_aggregation_id: string
  aggregation_number: string | null
  aggregation_types: JsonArray
  scope: string | null
  authorization_details: JsonText<Record<string, unknown>[]> | null
  grouped_addresses: JsonArray
  /** Aggregation Region objects (§10.7.3). */
  grouped_regions: JsonArray<Record<string, unknown>>
  /** Consent Requirement objects (§10.7.5). */
  consent_requirements: JsonArray<Record<string, unknown>>
  /** The type-specific criteria fields (`countries`, `provinces`, …, `meter_app_numbers`), only those that apply. */
  criteria: ColumnType<JsonText<Record<string, unknown>>, JsonText<Record<string, unknown>> | undefined, JsonText<Record<string, unknown>>>
}

/** What an Aggregation groups (`grouped_*`, and `grouped_aggregations` for children). */
export type AggregationMemberType = 'account' | 'service_contract' | 'service_point' | 'meter_device' | 'aggregation'

/** `aggregation_members`. */
export interface AggregationMembersTable {
  cds_aggregation_id: string
  object_type: AggregationMemberType
  object_id: string
}

/** `usage_segments` (§10.8.1). */
export interface UsageSegmentsTable extends DataTimestamps {
  cds_usagesegment_id: string
  segment_start: Timestamp
  segment_end: Timestamp
  /** Seconds, exact (§10.8.1 `interval` is a decimal). */
  interval: Numeric
  /** Value Format objects (§10.8.2). */
  formats: JsonText<Record<string, unknown>[]>
  /** Value Sets (§10.8.3): one array of Value Objects (or null) per interval. */
  values: JsonText<(Record<string, unknown> | null)[][]>
  /** Sort keys of §10.8.8: the smallest related number, U+10FFFF (last) when none. */
  sort_aggregation_number: string
  sort_account_number: string
  sort_contract_number: string
  /** Set by importers so a re-import replaces its own segments (idempotence); null otherwise. */
  source_key: string | null
}

/** What a Usage Segment relates to (`related_*`). */
export type UsageSegmentLinkType = 'aggregation' | 'account' | 'service_contract' | 'service_point' | 'meter_device' | 'bill_section'

/** `usage_segment_links`. */
export interface UsageSegmentLinksTable {
  cds_usagesegment_id: string
  object_type: UsageSegmentLinkType
  object_id: string
}

/** `eacs` (§10.9.1). */
export interface EacsTable extends DataTimestamps {
  cds_eac_id: string
  beneficiary_type: string
  beneficiaries: JsonArray
  eac_numbers: JsonArray
  eac_format: string
  eac_data_url: string | null
  period_start: Timestamp
  period_end: Timestamp
}

/** The sort-key value of a missing number: sorts after every real one in code-point order. */
export const SORT_LAST = '\u{10FFFF}'

/** The Customer Data tables, merged into `Database`. */
export interface CustomerDataTables {
  accounts: AccountsTable
  service_contracts: ServiceContractsTable
  service_points: ServicePointsTable
  servicepoint_servicecontracts: ServicePointServiceContractsTable
  meter_devices: MeterDevicesTable
  meterdevice_servicepoints: MeterDeviceServicePointsTable
  bill_statements: BillStatementsTable
  bill_files: BillFilesTable
  bill_sections: BillSectionsTable
  bill_section_links: BillSectionLinksTable
  aggregations: AggregationsTable
  aggregation_members: AggregationMembersTable
  usage_segments: UsageSegmentsTable
  usage_segment_links: UsageSegmentLinksTable
  eacs: EacsTable
}
