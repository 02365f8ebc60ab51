/**
 * Migration 0004: the Customer Data objects of CDS-WG3-01 §10 — Accounts, Service Contracts,
 * Service Points, Meter Devices, Bill Statements, Bill Sections, Aggregations, Usage Segments and
 * Energy Attribute Certificates — with the relations the visibility rules walk.
 *
 * Layout (requirements-wg3-data.md §7, simplified where the API never filters inside an object):
 * - one table per top-level object, one column per scalar field, named as the spec names it;
 * - nested objects that are only ever returned whole (contacts, programs, entities, premises,
 *   meter apps, new charges, usage/cost details, line items, regions, consent requirements) are
 *   `jsonb` documents, read back as text so decimals keep their digits (§5 of the catalog);
 * - the values an API filters on inside those documents (program numbers, premise numbers, app
 *   numbers) are copied into `jsonb` string arrays next to them, with GIN indexes;
 * - many-to-many relations are link tables indexed in both directions; the service point links are
 *   temporal (`valid_to is null` is "current", anything else "previous");
 * - a Usage Segment's Value Sets are one `jsonb` document per segment (catalog §7.4 option B):
 *   a month of 15-minute readings is one row, not 2,976.
 *
 * Every list ordering of §10 has an index whose columns are the listing's sort keys, and every
 * filter has an index (b-tree, or GIN for the array fields).
 *
 * Frozen once released, like 0001–0003.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { sql, type Kysely } from 'kysely'

const TIMESTAMPS = `cds_created timestamptz not null, cds_modified timestamptz not null, cds_synced timestamptz not null`
const ARRAY = (name: string) => `${name} jsonb not null default '[]'::jsonb check (jsonb_typeof(${name}) = 'array')`

const STATEMENTS = [
  // §10.1 Accounts. `customer_id` is the customer who may authorize access to the account (§9.1.2);
  // null for accounts no customer can log in for.
  `create table accounts (
    cds_account_id text primary key,
    customer_id text references customers (customer_id),
    cds_account_parent text references accounts (cds_account_id),
    customer_number text,
    account_number text not null,
    account_entity jsonb,
    account_name text,
    account_address text,
    ${ARRAY('account_types')},
    account_status text not null,
    ${ARRAY('account_contacts')},
    ${ARRAY('account_programs')},
    ${ARRAY('program_numbers')},
    ${TIMESTAMPS}
  )`,
  `create index accounts_order_idx on accounts (cds_modified desc, cds_account_id)`,
  `create index accounts_customer_idx on accounts (customer_id)`,
  `create index accounts_number_idx on accounts (account_number)`,
  `create index accounts_customer_number_idx on accounts (customer_number)`,
  `create index accounts_parent_idx on accounts (cds_account_parent)`,
  `create index accounts_programs_idx on accounts using gin (program_numbers)`,

  // §10.2 Service Contracts; `account_number` is read from the account (it is a copy, §10.2.1).
  `create table service_contracts (
    cds_servicecontract_id text primary key,
    cds_account_id text not null references accounts (cds_account_id),
    contract_number text,
    contract_address text,
    ${ARRAY('contract_types')},
    contract_entity jsonb,
    contract_status text not null,
    contract_start date,
    contract_end date,
    ${ARRAY('service_types')},
    rateplan_code text,
    rateplan_name text,
    ${ARRAY('service_programs')},
    ${ARRAY('program_numbers')},
    ${TIMESTAMPS}
  )`,
  `create index service_contracts_order_idx on service_contracts (cds_modified desc, cds_servicecontract_id)`,
  `create index service_contracts_account_idx on service_contracts (cds_account_id)`,
  `create index service_contracts_number_idx on service_contracts (contract_number)`,
  `create index service_contracts_types_idx on service_contracts using gin (contract_types)`,
  `create index service_contracts_service_types_idx on service_contracts using gin (service_types)`,
  `create index service_contracts_programs_idx on service_contracts using gin (program_numbers)`,

  // §10.3 Service Points. Premises are shared between service points (catalog §7.1) but are only
  // ever returned inside them, so each service point keeps its own copy.
  `create table service_points (
    cds_servicepoint_id text primary key,
    servicepoint_number text,
    ${ARRAY('servicepoint_types')},
    servicepoint_address text,
    latitude numeric,
    longitude numeric,
    ${ARRAY('premises')},
    ${ARRAY('premise_numbers')},
    ${TIMESTAMPS}
  )`,
  `create index service_points_order_idx on service_points (cds_modified desc, cds_servicepoint_id)`,
  `create index service_points_number_idx on service_points (servicepoint_number)`,
  `create index service_points_types_idx on service_points using gin (servicepoint_types)`,
  `create index service_points_premises_idx on service_points using gin (premise_numbers)`,
  // §10.3.1 current_/previous_servicecontracts from one temporal link (catalog §7.5).
  `create table servicepoint_servicecontracts (
    cds_servicepoint_id text not null references service_points (cds_servicepoint_id),
    cds_servicecontract_id text not null references service_contracts (cds_servicecontract_id),
    valid_from timestamptz not null,
    valid_to timestamptz,
    primary key (cds_servicepoint_id, cds_servicecontract_id, valid_from)
  )`,
  `create index servicepoint_servicecontracts_contract_idx on servicepoint_servicecontracts (cds_servicecontract_id, cds_servicepoint_id)`,

  // §10.4 Meter Devices.
  `create table meter_devices (
    cds_meterdevice_id text primary key,
    meter_number text,
    ${ARRAY('meter_types')},
    ${ARRAY('meter_apps')},
    ${ARRAY('app_numbers')},
    ${TIMESTAMPS}
  )`,
  `create index meter_devices_order_idx on meter_devices (cds_modified desc, cds_meterdevice_id)`,
  `create index meter_devices_number_idx on meter_devices (meter_number)`,
  `create index meter_devices_types_idx on meter_devices using gin (meter_types)`,
  `create index meter_devices_apps_idx on meter_devices using gin (app_numbers)`,
  `create table meterdevice_servicepoints (
    cds_meterdevice_id text not null references meter_devices (cds_meterdevice_id),
    cds_servicepoint_id text not null references service_points (cds_servicepoint_id),
    valid_from timestamptz not null,
    valid_to timestamptz,
    primary key (cds_meterdevice_id, cds_servicepoint_id, valid_from)
  )`,
  `create index meterdevice_servicepoints_point_idx on meterdevice_servicepoints (cds_servicepoint_id, cds_meterdevice_id)`,

  // §10.5 Bill Statements. `account_number` is the number at issue (a snapshot, catalog §7.5), and
  // `account_programs` the programs as of the period. `file_id` names the statement's file in `bill_files`.
  `create table bill_statements (
    cds_billstatement_id text primary key,
    cds_account_id text not null references accounts (cds_account_id),
    account_number text not null,
    statement_date date not null,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    file_id text,
    file_uri text,
    file_mimetype text,
    previous_balance_amount numeric,
    previous_balance_paid numeric,
    previous_balance_unpaid numeric,
    new_charges_amount numeric,
    ${ARRAY('new_charges')},
    new_balance_amount numeric,
    amount_due numeric not null,
    amount_due_date date,
    shutoff_prevention_minimum_due numeric,
    shutoff_prevention_date date check (shutoff_prevention_date is null or shutoff_prevention_minimum_due is not null),
    ${ARRAY('account_programs')},
    ${TIMESTAMPS}
  )`,
  `create index bill_statements_order_idx on bill_statements (statement_date desc, cds_modified desc, cds_billstatement_id)`,
  `create index bill_statements_account_idx on bill_statements (cds_account_id, statement_date desc)`,
  // §10.5.1 file_uri: the PDF (or other file) of a statement, stored in the database.
  `create table bill_files (
    file_id text primary key,
    content_type text not null,
    file_name text not null,
    content bytea not null,
    size integer not null
  )`,

  // §10.6 Bill Sections. The sort keys of §10.6.9 (account number, then the smallest related
  // contract number, A-17) are kept as columns so the listing order has an index.
  `create table bill_sections (
    cds_billsection_id text primary key,
    cds_billstatement_id text references bill_statements (cds_billstatement_id),
    cds_account_id text not null references accounts (cds_account_id),
    account_number text not null,
    ${ARRAY('section_types')},
    start_date date not null,
    end_date date not null,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    distribution_entity jsonb,
    supply_entity jsonb,
    ${ARRAY('usage_details')},
    ${ARRAY('cost_details')},
    ${ARRAY('line_items')},
    sort_contract_number text collate "C" not null,
    ${TIMESTAMPS}
  )`,
  `create index bill_sections_order_idx on bill_sections (account_number collate "C", sort_contract_number, start_date, cds_modified desc, cds_billsection_id)`,
  `create index bill_sections_account_idx on bill_sections (cds_account_id)`,
  `create index bill_sections_statement_idx on bill_sections (cds_billstatement_id)`,
  `create index bill_sections_dates_idx on bill_sections (start_date, end_date)`,
  // related_servicecontracts / _servicepoints / _meterdevices / _billsections (stored both ways).
  `create table bill_section_links (
    cds_billsection_id text not null references bill_sections (cds_billsection_id),
    object_type text not null check (object_type in ('service_contract', 'service_point', 'meter_device', 'bill_section')),
    object_id text not null,
    primary key (cds_billsection_id, object_type, object_id)
  )`,
  `create index bill_section_links_object_idx on bill_section_links (object_type, object_id, cds_billsection_id)`,

  // §10.7 Aggregations: members (grouped_*) and children (grouped_aggregations) in one link table.
  `create table aggregations (
    cds_aggregation_id text primary key,
    aggregation_number text,
    ${ARRAY('aggregation_types')},
    scope text,
    authorization_details jsonb,
    ${ARRAY('grouped_addresses')},
    ${ARRAY('grouped_regions')},
    ${ARRAY('consent_requirements')},
    criteria jsonb not null default '{}'::jsonb check (jsonb_typeof(criteria) = 'object'),
    ${TIMESTAMPS}
  )`,
  `create index aggregations_order_idx on aggregations (cds_modified desc, cds_aggregation_id)`,
  `create index aggregations_number_idx on aggregations (aggregation_number)`,
  `create index aggregations_types_idx on aggregations using gin (aggregation_types)`,
  `create table aggregation_members (
    cds_aggregation_id text not null references aggregations (cds_aggregation_id),
    object_type text not null check (object_type in ('account', 'service_contract', 'service_point', 'meter_device', 'aggregation')),
    object_id text not null,
    primary key (cds_aggregation_id, object_type, object_id)
  )`,
  `create index aggregation_members_object_idx on aggregation_members (object_type, object_id, cds_aggregation_id)`,

  // §10.8 Usage Segments. `formats` is the Value Format array, `values` the Value Sets, both as
  // stored JSON (decimal digits intact). The sort keys of §10.8.8 are columns.
  // `source_key` makes imports idempotent: a re-import replaces the segment it wrote before.
  `create table usage_segments (
    cds_usagesegment_id text primary key,
    segment_start timestamptz not null,
    segment_end timestamptz not null check (segment_end > segment_start),
    interval numeric not null check (interval > 0),
    formats jsonb not null check (jsonb_typeof(formats) = 'array'),
    values jsonb not null check (jsonb_typeof(values) = 'array'),
    sort_aggregation_number text collate "C" not null,
    sort_account_number text collate "C" not null,
    sort_contract_number text collate "C" not null,
    source_key text unique,
    ${TIMESTAMPS}
  )`,
  `create index usage_segments_order_idx on usage_segments (sort_aggregation_number, sort_account_number, sort_contract_number, segment_start, cds_modified desc, cds_usagesegment_id)`,
  `create index usage_segments_time_idx on usage_segments (segment_start, segment_end)`,
  `create table usage_segment_links (
    cds_usagesegment_id text not null references usage_segments (cds_usagesegment_id) on delete cascade,
    object_type text not null check (object_type in ('aggregation', 'account', 'service_contract', 'service_point', 'meter_device', 'bill_section')),
    object_id text not null,
    primary key (cds_usagesegment_id, object_type, object_id)
  )`,
  `create index usage_segment_links_object_idx on usage_segment_links (object_type, object_id, cds_usagesegment_id)`,

  // §10.9 Energy Attribute Certificates.
  `create table eacs (
    cds_eac_id text primary key,
    beneficiary_type text not null,
    ${ARRAY('beneficiaries')},
    ${ARRAY('eac_numbers')},
    eac_format text not null,
    eac_data_url text,
    period_start timestamptz not null,
    period_end timestamptz not null,
    ${TIMESTAMPS}
  )`,
  `create index eacs_order_idx on eacs (period_start desc, cds_created desc, cds_eac_id)`,
  `create index eacs_numbers_idx on eacs using gin (eac_numbers)`,
  `create index eacs_beneficiaries_idx on eacs using gin (beneficiaries)`,
]

/**
 * Creates the Customer Data tables, their links and indexes.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db)
}

/**
 * Removes what {@link up} added, in reverse order.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'eacs',
    'usage_segment_links',
    'usage_segments',
    'aggregation_members',
    'aggregations',
    'bill_section_links',
    'bill_sections',
    'bill_files',
    'bill_statements',
    'meterdevice_servicepoints',
    'meter_devices',
    'servicepoint_servicecontracts',
    'service_points',
    'service_contracts',
    'accounts',
  ]) {
    await sql.raw(`drop table ${table}`).execute(db)
  }
}
