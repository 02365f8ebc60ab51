/**
 * The demo customers of the reference server: the catalog's fixture (requirements-wg3-auth.md
 * Part F.0) as one typed constant, {@link DEMO_CUSTOMERS}. The seed, the tests and the test
 * accounts page (`cds_test_accounts`, CDS-WG1-02 §3.2) all read it, so the documented passwords
 * and resources cannot drift from what the server holds.
 *
 * The constant keeps the Customer Data relations (a contract's account, a service point's current
 * contracts, a meter's service points, an aggregation's service points); `demo-directory.ts` turns
 * them into the directory rows of `customer_resources`.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { writeCustomerData } from '../customer-data/write-objects.js'
import { fixtureObjects } from '../demo-data/fixture.js'
import { demoDirectory } from './demo-directory.js'
import { resourceRow } from './directory.js'
import { hashPassword } from './passwords.js'

export { demoDirectory, type DemoDirectoryEntry } from './demo-directory.js'

/** §10.1.1 Account fields the fixture sets. */
export interface DemoAccount {
  /** The fixture's name for it (ACC-1); not shown to anyone. */
  key: string
  account_number: string
  account_name: string
  account_address: string | null
  account_types: string[]
  /** `program_number`s of its `account_programs`. */
  account_programs: string[]
  /** The `key` of the parent account (`cds_account_parent`), or `null`. */
  parent: string | null
}

/** §10.2.1 Service Contract fields the fixture sets. */
export interface DemoServiceContract {
  key: string
  /** The `key` of its account (`cds_account_id`). */
  account: string
  contract_number: string
  contract_address: string | null
  service_types: string[]
  rateplan_code: string
  rateplan_name: string
  /** `program_number`s of its `service_programs`. */
  service_programs: string[]
}

/** §10.3.1 Service Point fields the fixture sets. */
export interface DemoServicePoint {
  key: string
  servicepoint_number: string
  servicepoint_types: string[]
  servicepoint_address: string | null
  /** `premise_number`s of its `premises`. */
  premise_numbers: string[]
  /** The `key`s of its `current_servicecontracts`. */
  current_servicecontracts: string[]
}

/** §10.4.1 Meter Device fields the fixture sets. */
export interface DemoMeterDevice {
  key: string
  meter_number: string
  meter_types: string[]
  /** The `key`s of its `current_servicepoints`. */
  current_servicepoints: string[]
  /** `app_number`s of its `meter_apps`. */
  meter_apps: string[]
}

/** §10.7.1 Aggregation fields the fixture sets, as seen by one of its customers. */
export interface DemoAggregation {
  key: string
  aggregation_number: string
  /** The name the customer sees. */
  name: string
  aggregation_types: string[]
  grouped_addresses: string[]
  /** The `key`s of this customer's service points it groups; their contracts, accounts and meters count as grouped too. */
  grouped_servicepoints: string[]
}

/**
 * One demo customer: login, documented password and Customer Data.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export interface DemoCustomer {
  customer_id: string
  /** The lower-cased e-mail address to log in with (also the contact on file). */
  login: string
  /** Published on the test accounts page: these accounts exist only on test servers. */
  password: string
  display_name: string
  email: string | null
  /** Listed in `cds_test_accounts`; sandbox Client objects may authorize only these. */
  is_test_account: boolean
  accounts: DemoAccount[]
  service_contracts: DemoServiceContract[]
  service_points: DemoServicePoint[]
  meter_devices: DemoMeterDevice[]
  aggregations: DemoAggregation[]
}

const ANYTOWN = 'Anytown, CA 90000'
const MAIN_ST = `123 Main St\n${ANYTOWN}`
const INDUSTRIAL_WAY = `500 Industrial Way\n${ANYTOWN}`
const EDGE_POINT = ['single_service', 'physical', 'edge']

/** AGG-2 of the fixture: a building that needs consent, shared by CUST-A (SP-3) and CUST-C (SP-5). */
function buildingB2222(servicepoint: string): DemoAggregation {
  return {
    key: 'AGG-2',
    aggregation_number: 'B2222',
    name: 'Building at 500 Industrial Way',
    aggregation_types: ['confidential', 'building'],
    grouped_addresses: ['500 Industrial Way, Anytown, CA 90000'],
    grouped_servicepoints: [servicepoint],
  }
}

/** CUST-E's twelve accounts with one electric service contract each (lists of more than ten, §9.2.3). */
function twelveStores(): Pick<DemoCustomer, 'accounts' | 'service_contracts'> {
  const numbers = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'))
  return {
    accounts: numbers.map((n) => ({
      key: `ACC-E${n}`,
      account_number: `E-${n}`,
      account_name: `Store ${Number(n)}`,
      account_address: `${100 + Number(n)} Commerce Blvd\n${ANYTOWN}`,
      account_types: ['customer', 'commercial'],
      account_programs: [],
      parent: null,
    })),
    service_contracts: numbers.map((n) => ({
      key: `SC-E${n}`,
      account: `ACC-E${n}`,
      contract_number: `9000${n}`,
      contract_address: `${100 + Number(n)} Commerce Blvd\n${ANYTOWN}`,
      service_types: ['electric', 'commercial', 'metered'],
      rateplan_code: 'A-1',
      rateplan_name: 'Small General Service',
      service_programs: [],
    })),
  }
}

/**
 * The demo customers (catalog Part F.0): CUST-A with three accounts (one a parent without
 * services), three service contracts, service points and meters and the building B2222; CUST-B
 * with natural gas; CUST-C in building B2222; CUST-E with twelve accounts. Every one is a test
 * account with a published password.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    customer_id: 'CUST-A',
    login: 'custa@example.com',
    password: 'demo-custa-password',
    display_name: 'Alex Anders',
    email: 'custa@example.com',
    is_test_account: true,
    accounts: [
      { key: 'ACC-P', account_number: '1000-0', account_name: 'Acme Holdings', account_address: null, account_types: ['customer', 'parent'], account_programs: [], parent: null },
      { key: 'ACC-1', account_number: '1111-1', account_name: 'Main Street Home', account_address: MAIN_ST, account_types: ['customer', 'child', 'residential'], account_programs: ['CARE'], parent: 'ACC-P' },
      { key: 'ACC-2', account_number: '2222-2', account_name: 'Warehouse', account_address: INDUSTRIAL_WAY, account_types: ['customer', 'child', 'commercial'], account_programs: [], parent: 'ACC-P' },
    ],
    service_contracts: [
      { key: 'SC-1', account: 'ACC-1', contract_number: '222222', contract_address: MAIN_ST, service_types: ['electric', 'residential', 'metered'], rateplan_code: 'E-TOU-C', rateplan_name: 'Time of Use C', service_programs: ['DR-1'] },
      { key: 'SC-2', account: 'ACC-1', contract_number: '333333', contract_address: MAIN_ST, service_types: ['natural_gas', 'residential', 'metered'], rateplan_code: 'G-1', rateplan_name: 'Residential Gas', service_programs: [] },
      { key: 'SC-3', account: 'ACC-2', contract_number: '444444', contract_address: INDUSTRIAL_WAY, service_types: ['electric', 'commercial', 'metered'], rateplan_code: 'B-19', rateplan_name: 'Medium General Demand', service_programs: [] },
    ],
    service_points: [
      { key: 'SP-1', servicepoint_number: 'SP-100', servicepoint_types: ['electric', ...EDGE_POINT], servicepoint_address: MAIN_ST, premise_numbers: ['PREM-1'], current_servicecontracts: ['SC-1'] },
      { key: 'SP-2', servicepoint_number: 'SP-200', servicepoint_types: ['natural_gas', ...EDGE_POINT], servicepoint_address: MAIN_ST, premise_numbers: ['PREM-1'], current_servicecontracts: ['SC-2'] },
      { key: 'SP-3', servicepoint_number: 'SP-300', servicepoint_types: ['electric', ...EDGE_POINT], servicepoint_address: INDUSTRIAL_WAY, premise_numbers: ['PREM-2'], current_servicecontracts: ['SC-3'] },
    ],
    meter_devices: [
      { key: 'MD-1', meter_number: 'M-1001', meter_types: ['electric_usage', 'ami_meter', 'bidirectional', 'customer_apps_capable'], current_servicepoints: ['SP-1'], meter_apps: ['APP-EV'] },
      { key: 'MD-2', meter_number: 'M-2001', meter_types: ['natural_gas_usage', 'amr_meter'], current_servicepoints: ['SP-2'], meter_apps: [] },
      { key: 'MD-3', meter_number: 'M-3001', meter_types: ['electric_usage', 'ami_meter'], current_servicepoints: ['SP-3'], meter_apps: [] },
    ],
    aggregations: [buildingB2222('SP-3')],
  },
  {
    customer_id: 'CUST-B',
    login: 'custb@example.com',
    password: 'demo-custb-password',
    display_name: 'Blair Brooks',
    email: 'custb@example.com',
    is_test_account: true,
    accounts: [{ key: 'ACC-3', account_number: '3333-3', account_name: 'Oak Avenue', account_address: `42 Oak Ave\n${ANYTOWN}`, account_types: ['customer', 'residential'], account_programs: [], parent: null }],
    service_contracts: [
      { key: 'SC-4', account: 'ACC-3', contract_number: '555555', contract_address: `42 Oak Ave\n${ANYTOWN}`, service_types: ['natural_gas'], rateplan_code: 'G-1', rateplan_name: 'Residential Gas', service_programs: [] },
    ],
    service_points: [{ key: 'SP-4', servicepoint_number: 'SP-400', servicepoint_types: ['natural_gas', ...EDGE_POINT], servicepoint_address: `42 Oak Ave\n${ANYTOWN}`, premise_numbers: ['PREM-3'], current_servicecontracts: ['SC-4'] }],
    meter_devices: [{ key: 'MD-4', meter_number: 'M-4001', meter_types: ['natural_gas_usage'], current_servicepoints: ['SP-4'], meter_apps: [] }],
    aggregations: [],
  },
  {
    customer_id: 'CUST-C',
    login: 'custc@example.com',
    password: 'demo-custc-password',
    display_name: 'Casey Chen',
    email: 'custc@example.com',
    is_test_account: true,
    accounts: [{ key: 'ACC-5', account_number: '5555-5', account_name: 'Suite 5', account_address: `500 Industrial Way, Suite 5\n${ANYTOWN}`, account_types: ['customer', 'commercial'], account_programs: [], parent: null }],
    service_contracts: [
      { key: 'SC-6', account: 'ACC-5', contract_number: '666666', contract_address: `500 Industrial Way, Suite 5\n${ANYTOWN}`, service_types: ['electric'], rateplan_code: 'A-1', rateplan_name: 'Small General Service', service_programs: [] },
    ],
    service_points: [{ key: 'SP-5', servicepoint_number: 'SP-500', servicepoint_types: ['electric', ...EDGE_POINT], servicepoint_address: `500 Industrial Way, Suite 5\n${ANYTOWN}`, premise_numbers: ['PREM-5'], current_servicecontracts: ['SC-6'] }],
    meter_devices: [{ key: 'MD-6', meter_number: 'M-6001', meter_types: ['electric_usage', 'ami_meter'], current_servicepoints: ['SP-5'], meter_apps: [] }],
    aggregations: [buildingB2222('SP-5')],
  },
  {
    customer_id: 'CUST-E',
    login: 'custe@example.com',
    password: 'demo-custe-password',
    display_name: 'Emery Evans',
    email: 'custe@example.com',
    is_test_account: true,
    ...twelveStores(),
    service_points: [],
    meter_devices: [],
    aggregations: [],
  },
]

// The demo passwords are published, so one salted hash per password can serve every database
// this process seeds (tests open many); it saves the scrypt work, not any secrecy.
const demoHashes = new Map<string, Promise<string>>()

function demoPasswordHash(password: string): Promise<string> {
  let hash = demoHashes.get(password)
  if (hash === undefined) {
    hash = hashPassword(password)
    demoHashes.set(password, hash)
    // A failure is not cached: the next seed tries again.
    void hash.catch(() => demoHashes.delete(password))
  }
  return hash
}

/**
 * Adds the demo customers, their directory rows and their Customer Data objects (accounts,
 * contracts, service points, meters and aggregations with the constant's numbers, in the CDS-WG3-01
 * §10 tables; see `demo-data/fixture.ts`) that are not there yet (insert … on conflict do nothing),
 * so it can run at every start. Passwords are hashed only for customers that are missing. Existing
 * rows are left as they are, even when the constant changed since.
 *
 * @example
 * ```ts
 * if (config.customer_authorization.demo_customers) await seedDemoCustomers(db, clock)
 * ```
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function seedDemoCustomers(db: Kysely<Database>, clock: Clock, customers: readonly DemoCustomer[] = DEMO_CUSTOMERS): Promise<void> {
  if (customers.length === 0) return
  const now = clock.now()
  const ids = customers.map((c) => c.customer_id)
  const present = new Set((await db.selectFrom('customers').select('customer_id').where('customer_id', 'in', ids).execute()).map((row) => row.customer_id))
  // The missing customers' hashes are computed side by side (scrypt runs on libuv's thread pool).
  const hashes = new Map(
    await Promise.all(
      customers.filter((c) => !present.has(c.customer_id)).map(async (c) => [c.customer_id, await demoPasswordHash(c.password)] as const),
    ),
  )
  for (const customer of customers) {
    const password_hash = hashes.get(customer.customer_id)
    if (password_hash !== undefined) {
      await db
        .insertInto('customers')
        .values({
          customer_id: customer.customer_id,
          login: customer.login.toLowerCase(),
          password_hash,
          display_name: customer.display_name,
          email: customer.email,
          is_test_account: customer.is_test_account,
          created: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    const rows = demoDirectory(customer)
    if (rows.length === 0) continue
    await db
      .insertInto('customer_resources')
      .values(
        rows.map((row) => resourceRow(customer.customer_id, row, now)),
      )
      .onConflict((oc) => oc.columns(['customer_id', 'resource_type', 'number']).doNothing())
      .execute()
  }
  // CDS-WG3-01 §10: the same resources as real objects, so the data APIs serve what the form offers.
  await writeCustomerData(db, fixtureObjects(customers, { cds_created: now, cds_modified: now, cds_synced: now }))
}
