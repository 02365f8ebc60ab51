/**
 * The demo data seed the server runs at start when `customer_data.demo_data` is set: the generated
 * set of `generate.ts`, written once per database (a second start finds it and writes nothing).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { generateDemoData, type DemoDataOptions } from './generate.js'

export type { DemoDataOptions, DemoDataSummary, DemoProgress } from './generate.js'
export { generateDemoData } from './generate.js'
export { DEMO_CUSTOMER_PASSWORD } from './password.js'
export { demoLogin } from './customers.js'

/**
 * Writes the generated demo data set when the database has none yet for this seed.
 *
 * @example
 * ```ts
 * if (config.customer_data.demo_data !== null) await seedDemoCustomerData(db, clock, config.customer_data.demo_data)
 * ```
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function seedDemoCustomerData(db: Kysely<Database>, clock: Clock, options: DemoDataOptions): Promise<void> {
  await generateDemoData(db, clock, options)
}
