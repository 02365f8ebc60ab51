/**
 * The client-credentials Grant of a Client object follows the object's `scope`: when a
 * Client PUT (or an approved review) changes the scope of a Client object that uses
 * `client_credentials`, its live Grant for the old scope takes the new one, so direct tokens for
 * an added scope are covered and tokens for a removed scope lose it (CDS-WG1-02 §8.2).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { grantRecord } from '../../db/grant-store.js'
import { NO_ACCESS_STATUSES, scopeTokens } from './grant-access.js'
import { writeGrantChange } from './grant-changes.js'

/**
 * Moves the client-credentials Grant of `client_id` from `oldScope` to `newScope`, inside `trx`.
 * Does nothing for a Client object without `client_credentials`, or without a live Grant whose
 * scope is exactly the old scope (server-created Grants with other scopes are left alone).
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export async function followClientScope(
  trx: Kysely<Database>,
  clock: Clock,
  config: ServerConfig,
  client: { client_id: string; grant_types: readonly string[] },
  oldScope: string,
  newScope: string,
): Promise<void> {
  if (!client.grant_types.includes('client_credentials') || oldScope === newScope) return
  const rows = await trx.selectFrom('grants').selectAll().where('client_id', '=', client.client_id).orderBy('created', 'desc').execute()
  const same = (a: string, b: string) => [...scopeTokens(a)].sort().join(' ') === [...scopeTokens(b)].sort().join(' ')
  const row = rows.find((r) => !NO_ACCESS_STATUSES.has(r.status) && same(r.scope, oldScope))
  if (row === undefined) return
  const before = grantRecord(row)
  const fullAccess = same(before.enabled_scope, before.scope)
  await writeGrantChange(
    trx,
    clock,
    config.base_url,
    before,
    // the Grant mirrors the object's scope; access it already had in full stays full.
    { scope: newScope, ...(fullAccess ? { enabled_scope: newScope } : { enabled_scope: scopeTokens(before.enabled_scope).filter((s) => scopeTokens(newScope).includes(s)).join(' ') }) },
    { name: 'Grant scope changed', description: `The Grant follows the new scope of its Client object ${client.client_id}: "${newScope}".` },
  )
}
