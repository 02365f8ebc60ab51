/**
 * The options every route plugin of the client management APIs (CDS-WG1-02 §5–§9) receives from
 * `app.ts`: the configuration, the database, the OAuth store over it, and the clock.
 *
 * @see CDS-WG1-02 §5 Clients API
 * @module
 */
import type { AuthStore, Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ConfigPluginOptions } from '../config/config-schema.js'
import type { Database } from '../db/database.js'

/**
 * Options of the Clients, Messages, Credentials, Grants and Server-Provided Files plugins.
 *
 * @see CDS-WG1-02 §5 Clients API
 */
export interface ApiPluginOptions extends ConfigPluginOptions {
  /** The migrated server database. */
  db: Kysely<Database>
  /** The OAuth store over the same database (`KyselyAuthStore`). */
  store: AuthStore
  /** The clock of every `created`/`modified` and expiry. */
  clock: Clock
}
