/**
 * A small, known Customer Data set for the visibility tests (CDS-WG3-01 §10, catalog §1.4): two
 * customers, written straight into the migration-0004 tables with Kysely.
 *
 * Customer `cust-1`: parent account A0 (ACC-0) over A1 (ACC-1), and A2 (ACC-2); contract SC1
 * (CN-1) on A1, SC2 (CN-2) on A2; service points SP1, SP2 and meters MD1 (MN-1), MD2 (MN-2) under
 * them; statements BS1 (A1, 2024-03-01), BS2 (A1, 2023-01-01), BS3 (A2, 2024-03-01); sections
 * BX1 (A1, SC1, February 2024), BX2 (A2, SC2, February 2024); segments US1 (MD1, 2024-01-01),
 * US2 (MD2, 2024-01-01), US3 (MD1, 2023-01-01); aggregation AG1 (AGN-1) grouping A1.
 * Customer `cust-2`: A9 (ACC-9), SC9 (CN-9), SP9, MD9 (MN-9), BS9, BX9, US9.
 */
import type { Kysely } from 'kysely'
import { writeUsageSegments } from '../src/customer-data/write-usage-segments.js'
import type { Database } from '../src/db/database.js'
import { toJsonText } from '../src/db/json-text.js'

/** When the fixture rows were created (before any Grant of the tests). */
export const FIXTURE_CREATED = new Date('2024-06-01T00:00:00Z')

const stamps = (at: Date = FIXTURE_CREATED) => ({ cds_created: at, cds_modified: at, cds_synced: at })

/** Adds a customer (the owner of accounts, CDS-WG3-01 §9.1.2). */
export async function insertCustomer(db: Kysely<Database>, customer_id: string): Promise<void> {
  await db
    .insertInto('customers')
    .values({ customer_id, login: `${customer_id}@example.com`, password_hash: 'scrypt$x', display_name: customer_id, email: null, created: FIXTURE_CREATED })
    .execute()
}

/** Adds an account. */
export async function insertAccount(db: Kysely<Database>, id: string, customer_id: string | null, number: string, parent: string | null = null, at?: Date): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      cds_account_id: id,
      customer_id,
      cds_account_parent: parent,
      customer_number: `CUST-${number}`,
      account_number: number,
      account_entity: null,
      account_name: `Account ${number}`,
      account_address: null,
      account_status: 'active',
      ...stamps(at),
    })
    .execute()
}

/** Adds a service contract, a service point currently on it and a meter currently at that point. */
export async function insertService(db: Kysely<Database>, ids: { account: string; contract: string; point: string; meter: string }, numbers: { contract: string; point: string; meter: string }): Promise<void> {
  await db
    .insertInto('service_contracts')
    .values({ cds_servicecontract_id: ids.contract, cds_account_id: ids.account, contract_number: numbers.contract, contract_address: null, contract_entity: null, contract_status: 'active', rateplan_code: 'R-1', rateplan_name: 'Residential', service_types: toJsonText(['electricity']), ...stamps() })
    .execute()
  await db.insertInto('service_points').values({ cds_servicepoint_id: ids.point, servicepoint_number: numbers.point, servicepoint_address: null, latitude: null, longitude: null, ...stamps() }).execute()
  await db.insertInto('servicepoint_servicecontracts').values({ cds_servicepoint_id: ids.point, cds_servicecontract_id: ids.contract, valid_from: FIXTURE_CREATED, valid_to: null }).execute()
  await db.insertInto('meter_devices').values({ cds_meterdevice_id: ids.meter, meter_number: numbers.meter, meter_types: toJsonText(['electric_meter']), ...stamps() }).execute()
  await db.insertInto('meterdevice_servicepoints').values({ cds_meterdevice_id: ids.meter, cds_servicepoint_id: ids.point, valid_from: FIXTURE_CREATED, valid_to: null }).execute()
}

async function statement(db: Kysely<Database>, id: string, account: string, number: string, date: string): Promise<void> {
  await db
    .insertInto('bill_statements')
    .values({ cds_billstatement_id: id, cds_account_id: account, account_number: number, statement_date: date, currency: 'USD', file_id: null, file_uri: null, file_mimetype: null, previous_balance_amount: null, previous_balance_paid: null, previous_balance_unpaid: null, new_charges_amount: null, new_balance_amount: null, amount_due: '10.00', amount_due_date: null, shutoff_prevention_minimum_due: null, shutoff_prevention_date: null, ...stamps() })
    .execute()
}

async function section(db: Kysely<Database>, id: string, account: string, number: string, links: { contract: string; point: string; meter: string }, start: string, end: string): Promise<void> {
  await db
    .insertInto('bill_sections')
    .values({ cds_billsection_id: id, cds_billstatement_id: null, cds_account_id: account, account_number: number, start_date: start, end_date: end, currency: 'USD', distribution_entity: null, supply_entity: null, sort_contract_number: 'CN', ...stamps() })
    .execute()
  await db
    .insertInto('bill_section_links')
    .values([
      { cds_billsection_id: id, object_type: 'service_contract', object_id: links.contract },
      { cds_billsection_id: id, object_type: 'service_point', object_id: links.point },
      { cds_billsection_id: id, object_type: 'meter_device', object_id: links.meter },
    ])
    .execute()
}

const FORMAT = { id: 'electric_usage_kwh', type: 'electric_usage', units: 'kWh' }

async function segment(db: Kysely<Database>, id: string, start: string, related: { account: string; contract: string; point: string; meter: string }): Promise<void> {
  const values = Array.from({ length: 24 }, () => [{ value: 1 }])
  await writeUsageSegments(
    db,
    [
      {
        cds_usagesegment_id: id,
        segment_start: new Date(start),
        interval: '3600',
        formats: [FORMAT],
        values,
        related: { account: [related.account], service_contract: [related.contract], service_point: [related.point], meter_device: [related.meter] },
      },
    ],
    FIXTURE_CREATED,
  )
}

/** Writes the whole fixture (see the module comment). */
export async function insertCustomerDataFixture(db: Kysely<Database>): Promise<void> {
  await insertCustomer(db, 'cust-1')
  await insertCustomer(db, 'cust-2')
  await insertAccount(db, 'A0', 'cust-1', 'ACC-0')
  await insertAccount(db, 'A1', 'cust-1', 'ACC-1', 'A0')
  await insertAccount(db, 'A2', 'cust-1', 'ACC-2')
  await insertAccount(db, 'A9', 'cust-2', 'ACC-9')
  const s1 = { account: 'A1', contract: 'SC1', point: 'SP1', meter: 'MD1' }
  const s2 = { account: 'A2', contract: 'SC2', point: 'SP2', meter: 'MD2' }
  const s9 = { account: 'A9', contract: 'SC9', point: 'SP9', meter: 'MD9' }
  await insertService(db, s1, { contract: 'CN-1', point: 'SPN-1', meter: 'MN-1' })
  await insertService(db, s2, { contract: 'CN-2', point: 'SPN-2', meter: 'MN-2' })
  await insertService(db, s9, { contract: 'CN-9', point: 'SPN-9', meter: 'MN-9' })
  await statement(db, 'BS1', 'A1', 'ACC-1', '2024-03-01')
  await statement(db, 'BS2', 'A1', 'ACC-1', '2023-01-01')
  await statement(db, 'BS3', 'A2', 'ACC-2', '2024-03-01')
  await statement(db, 'BS9', 'A9', 'ACC-9', '2024-03-01')
  await section(db, 'BX1', 'A1', 'ACC-1', s1, '2024-02-01', '2024-02-29')
  await section(db, 'BX2', 'A2', 'ACC-2', s2, '2024-02-01', '2024-02-29')
  await section(db, 'BX9', 'A9', 'ACC-9', s9, '2024-02-01', '2024-02-29')
  await segment(db, 'US1', '2024-01-01T00:00:00Z', s1)
  await segment(db, 'US2', '2024-01-01T00:00:00Z', s2)
  await segment(db, 'US3', '2023-01-01T00:00:00Z', s1)
  await segment(db, 'US9', '2024-01-01T00:00:00Z', s9)
  await db.insertInto('aggregations').values({ cds_aggregation_id: 'AG1', aggregation_number: 'AGN-1', scope: null, authorization_details: null, ...stamps() }).execute()
  await db.insertInto('aggregation_members').values({ cds_aggregation_id: 'AG1', object_type: 'account', object_id: 'A1' }).execute()
}
