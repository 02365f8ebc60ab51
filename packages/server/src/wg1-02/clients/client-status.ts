/**
 * Moving a Client object between statuses with the side effects A-16 gives them: disabling revokes
 * every token of the object and records when it happened (its Credentials report that time,
 * CDS-WG1-02 §7.1); re-enabling clears the record, so the stored expiries show again. Revoked
 * tokens stay revoked.
 *
 * @module
 */
import { disableClient, toDateTime, type Clock } from '@cds-ts/auth'
import type { ClientStatus } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'

/**
 * Sets `cds_status` (and `cds_modified`) of a Client object, disabling or re-enabling it as the
 * move requires. Call it on a transaction (`trx`): the status, the revocations and the caller's
 * changelog Message then commit together. Checking that the status is one of the object's
 * `cds_status_options` is the caller's job.
 *
 * @returns how many tokens were revoked
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export async function changeClientStatus(trx: Kysely<Database>, clock: Clock, client_id: string, status: ClientStatus): Promise<number> {
  const current = await trx.selectFrom('clients').select(['cds_status']).where('client_id', '=', client_id).executeTakeFirstOrThrow()
  const now = clock.now()
  if (status === 'disabled') {
    if (current.cds_status === 'disabled') return 0
    // CDS-WG1-02 §5.2 (R1-02-5.2-04, A-16): a disabled object keeps no live token; the store joins this transaction.
    const { revoked } = await disableClient({ store: new KyselyAuthStore(trx), clock }, client_id)
    // CDS-WG1-02 §7.1 (R1-02-7.1-04): its Credentials report this time as their expiry.
    await trx.updateTable('clients').set({ disabled_at: now, cds_modified: toDateTime(now) }).where('client_id', '=', client_id).execute()
    return revoked
  }
  // re-enabling brings back the stored expiries; tokens revoked on disabling stay revoked.
  await trx.updateTable('clients').set({ cds_status: status, disabled_at: null, cds_modified: toDateTime(now) }).where('client_id', '=', client_id).execute()
  return 0
}
