/**
 * Transactional writers for the Customer Data objects of CDS-WG3-01 §10 that describe a
 * customer's services: Accounts, Service Contracts, Service Points (with their temporal contract
 * links) and Meter Devices (with their temporal service point links). The demo generator and the
 * fixture seed use them; Bill Statements and Sections are in `write-bills.ts`, Aggregations and
 * EACs in `write-aggregations.ts`, and {@link writeCustomerData} writes a whole set in order.
 *
 * Inputs carry the spec's field names with plain JSON values (decimals as `Decimal`); the writers
 * derive the filter columns (`program_numbers`, `premise_numbers`, `app_numbers`). Objects whose id
 * is already stored are left as they are, so a seed can run at every start.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { toJsonText } from '../db/json-text.js'
import { writeAggregations, writeEacs, type AggregationInput, type EacInput } from './write-aggregations.js'
import { insertRows } from './write-batch.js'
import { writeBillSections, writeBillStatements, type BillSectionInput, type BillStatementInput } from './write-bills.js'

/** `cds_created`, `cds_modified` and `cds_synced` of a top-level object (catalog §1.12). */
export interface DataTimes {
  cds_created: Date
  cds_modified: Date
  cds_synced: Date
}

/** A nested object (Entity, Contact, Program, Premise, Meter App, …) as stored JSON. */
export type NestedObject = Record<string, unknown>

/**
 * An Account to write (§10.1.1), with `customer_id`: who may authorize it.
 *
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export interface AccountInput extends DataTimes {
  cds_account_id: string
  customer_id: string | null
  cds_account_parent: string | null
  customer_number: string | null
  account_number: string
  account_entity: NestedObject | null
  account_name: string | null
  account_address: string | null
  account_types: readonly string[]
  account_status: string
  account_contacts: readonly NestedObject[]
  account_programs: readonly NestedObject[]
}

/**
 * A Service Contract to write (§10.2.1).
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export interface ServiceContractInput extends DataTimes {
  cds_servicecontract_id: string
  cds_account_id: string
  contract_number: string | null
  contract_address: string | null
  contract_types: readonly string[]
  contract_entity: NestedObject | null
  contract_status: string
  /** `YYYY-MM-DD`. */
  contract_start: string | null
  contract_end: string | null
  service_types: readonly string[]
  rateplan_code: string | null
  rateplan_name: string | null
  service_programs: readonly NestedObject[]
}

/** One period of a temporal link: current while `valid_to` is null (catalog §7.5). */
export interface LinkPeriod {
  /** The id of the linked object. */
  id: string
  valid_from: Date
  valid_to: Date | null
}

/**
 * A Service Point to write (§10.3.1); `servicecontracts` become `current_`/`previous_servicecontracts`.
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export interface ServicePointInput extends DataTimes {
  cds_servicepoint_id: string
  servicepoint_number: string | null
  servicepoint_types: readonly string[]
  servicepoint_address: string | null
  /** Exact decimal text, or null. */
  latitude: string | null
  longitude: string | null
  premises: readonly NestedObject[]
  servicecontracts: readonly LinkPeriod[]
}

/**
 * A Meter Device to write (§10.4.1); `servicepoints` become `current_`/`previous_servicepoints`.
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export interface MeterDeviceInput extends DataTimes {
  cds_meterdevice_id: string
  meter_number: string | null
  meter_types: readonly string[]
  meter_apps: readonly NestedObject[]
  servicepoints: readonly LinkPeriod[]
}

/** A set of Customer Data objects, written in the order their references need. */
export interface CustomerDataInput {
  accounts?: readonly AccountInput[]
  service_contracts?: readonly ServiceContractInput[]
  service_points?: readonly ServicePointInput[]
  meter_devices?: readonly MeterDeviceInput[]
  bill_statements?: readonly BillStatementInput[]
  bill_sections?: readonly BillSectionInput[]
  aggregations?: readonly AggregationInput[]
  eacs?: readonly EacInput[]
}

/** The string values of `field` in nested objects (program numbers, premise numbers, app numbers). */
export function numbersOf(objects: readonly NestedObject[], field: string): string[] {
  return [...new Set(objects.map((o) => o[field]).filter((v): v is string => typeof v === 'string'))]
}

function times(o: DataTimes): DataTimes {
  return { cds_created: o.cds_created, cds_modified: o.cds_modified, cds_synced: o.cds_synced }
}

/** Runs `work` in the caller's transaction, or in a new one. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute((trx: Transaction<Database>) => work(trx))
}

/**
 * Writes Accounts, parents before children (`cds_account_parent` references another account).
 *
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export async function writeAccounts(db: Kysely<Database>, accounts: readonly AccountInput[]): Promise<number> {
  const ids = new Set(accounts.map((a) => a.cds_account_id))
  // Depth first: an account whose parent is in this batch goes after it.
  const depth = (a: AccountInput, seen = 0): number => {
    const parent = a.cds_account_parent === null || !ids.has(a.cds_account_parent) || seen > accounts.length ? undefined : accounts.find((p) => p.cds_account_id === a.cds_account_parent)
    return parent === undefined ? 0 : 1 + depth(parent, seen + 1)
  }
  const ordered = accounts.map((a) => ({ a, d: depth(a) })).sort((x, y) => x.d - y.d)
  let inserted = 0
  for (let level = 0; ordered.some((o) => o.d >= level); level++) {
    inserted += await insertRows(
      db,
      'accounts',
      ordered
        .filter((o) => o.d === level)
        .map(({ a }) => ({
          cds_account_id: a.cds_account_id,
          customer_id: a.customer_id,
          cds_account_parent: a.cds_account_parent,
          customer_number: a.customer_number,
          account_number: a.account_number,
          account_entity: a.account_entity === null ? null : toJsonText(a.account_entity),
          account_name: a.account_name,
          account_address: a.account_address,
          account_types: toJsonText([...a.account_types]),
          account_status: a.account_status,
          account_contacts: toJsonText([...a.account_contacts]),
          account_programs: toJsonText([...a.account_programs]),
          program_numbers: toJsonText(numbersOf(a.account_programs, 'program_number')),
          ...times(a),
        })),
    )
  }
  return inserted
}

/**
 * Writes Service Contracts.
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export function writeServiceContracts(db: Kysely<Database>, contracts: readonly ServiceContractInput[]): Promise<number> {
  return insertRows(
    db,
    'service_contracts',
    contracts.map((c) => ({
      cds_servicecontract_id: c.cds_servicecontract_id,
      cds_account_id: c.cds_account_id,
      contract_number: c.contract_number,
      contract_address: c.contract_address,
      contract_types: toJsonText([...c.contract_types]),
      contract_entity: c.contract_entity === null ? null : toJsonText(c.contract_entity),
      contract_status: c.contract_status,
      contract_start: c.contract_start,
      contract_end: c.contract_end,
      service_types: toJsonText([...c.service_types]),
      rateplan_code: c.rateplan_code,
      rateplan_name: c.rateplan_name,
      service_programs: toJsonText([...c.service_programs]),
      program_numbers: toJsonText(numbersOf(c.service_programs, 'program_number')),
      ...times(c),
    })),
  )
}

/**
 * Writes Service Points and their contract links (§10.3.1 `current_`/`previous_servicecontracts`).
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export async function writeServicePoints(db: Kysely<Database>, points: readonly ServicePointInput[]): Promise<number> {
  const inserted = await insertRows(
    db,
    'service_points',
    points.map((p) => ({
      cds_servicepoint_id: p.cds_servicepoint_id,
      servicepoint_number: p.servicepoint_number,
      servicepoint_types: toJsonText([...p.servicepoint_types]),
      servicepoint_address: p.servicepoint_address,
      latitude: p.latitude,
      longitude: p.longitude,
      premises: toJsonText([...p.premises]),
      premise_numbers: toJsonText(numbersOf(p.premises, 'premise_number')),
      ...times(p),
    })),
  )
  await insertRows(
    db,
    'servicepoint_servicecontracts',
    points.flatMap((p) => p.servicecontracts.map((l) => ({ cds_servicepoint_id: p.cds_servicepoint_id, cds_servicecontract_id: l.id, valid_from: l.valid_from, valid_to: l.valid_to }))),
  )
  return inserted
}

/**
 * Writes Meter Devices and their service point links (§10.4.1 `current_`/`previous_servicepoints`).
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export async function writeMeterDevices(db: Kysely<Database>, meters: readonly MeterDeviceInput[]): Promise<number> {
  const inserted = await insertRows(
    db,
    'meter_devices',
    meters.map((m) => ({
      cds_meterdevice_id: m.cds_meterdevice_id,
      meter_number: m.meter_number,
      meter_types: toJsonText([...m.meter_types]),
      meter_apps: toJsonText([...m.meter_apps]),
      app_numbers: toJsonText(numbersOf(m.meter_apps, 'app_number')),
      ...times(m),
    })),
  )
  await insertRows(
    db,
    'meterdevice_servicepoints',
    meters.flatMap((m) => m.servicepoints.map((l) => ({ cds_meterdevice_id: m.cds_meterdevice_id, cds_servicepoint_id: l.id, valid_from: l.valid_from, valid_to: l.valid_to }))),
  )
  return inserted
}

/**
 * Writes a set of Customer Data objects in one transaction (or the caller's), in the order their
 * references need: accounts, contracts, points, meters, statements, sections, aggregations, EACs.
 * Returns how many top-level objects were new.
 *
 * @example
 * ```ts
 * await writeCustomerData(db, { accounts: [account], service_contracts: [contract] })
 * ```
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function writeCustomerData(db: Kysely<Database>, input: CustomerDataInput): Promise<number> {
  return inTransaction(db, async (trx) => {
    let n = 0
    n += await writeAccounts(trx, input.accounts ?? [])
    n += await writeServiceContracts(trx, input.service_contracts ?? [])
    n += await writeServicePoints(trx, input.service_points ?? [])
    n += await writeMeterDevices(trx, input.meter_devices ?? [])
    n += await writeBillStatements(trx, input.bill_statements ?? [])
    n += await writeBillSections(trx, input.bill_sections ?? [])
    n += await writeAggregations(trx, input.aggregations ?? [])
    n += await writeEacs(trx, input.eacs ?? [])
    return n
  })
}
