/**
 * STUB — replaced by the demo data generator (issue 6).
 *
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** What to generate: `customers` synthetic customers with `years` of history, from `seed`. */
export interface DemoDataOptions {
  customers: number
  years: number
  seed: string
}

/** Writes the generated demo data set when the database has none yet. */
export function seedDemoCustomerData(_db: Kysely<Database>, _clock: Clock, _options: DemoDataOptions): Promise<void> {
  return Promise.resolve()
}
