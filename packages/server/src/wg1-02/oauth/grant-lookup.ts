/**
 * The Grants a Grant Admin token request may name, read from the `grants` table. A stand-in until
 * the storage interface of `@cds-ts/auth` has a Grant store of its own.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @module
 */
import type { GrantLookup } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'

/**
 * A {@link GrantLookup} over the `grants` table of a migrated database.
 *
 * @example
 * ```ts
 * await app.register(tokenPlugin, { store, clock, config, grants: kyselyGrantLookup(db) })
 * ```
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export function kyselyGrantLookup(db: Kysely<Database>): GrantLookup {
  const columns = ['grant_id', 'client_id', 'status', 'enabled_scope', 'enabled_authorization_details'] as const
  return {
    async find(grant_id) {
      const row = await db.selectFrom('grants').select(columns).where('grant_id', '=', grant_id).executeTakeFirst()
      if (row === undefined) return undefined
      return { ...row, enabled_authorization_details: fromJsonText(row.enabled_authorization_details) }
    },
    // CDS-WG1-02 §8.2, A-22: a direct client_credentials token is bound to the client's Grant.
    async listForClient(client_id) {
      const rows = await db
        .selectFrom('grants')
        .select(columns)
        .where('client_id', '=', client_id)
        .orderBy('created', 'desc')
        .orderBy('grant_id', 'desc')
        .execute()
      return rows.map((row) => ({ ...row, enabled_authorization_details: fromJsonText(row.enabled_authorization_details) }))
    },
  }
}
