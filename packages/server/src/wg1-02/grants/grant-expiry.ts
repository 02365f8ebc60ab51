/**
 * Grant expiry (CDS-WG1-02 §8.1, §8.2; CDS-WG3-01 §7.3.8): the end a customer's approval asks for
 * through the `expires` Authorization Details Field, and the move to `expired` once a Grant's end
 * has passed, done when the Grants API is read so the Client never sees a lapsed Grant as active.
 *
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { changeGrantStatus } from './grant-changes.js'
import { NO_ACCESS_STATUSES } from './grant-access.js'

/**
 * The end an approval's entries ask for: the earliest absolute `expires` among them, or `null`
 * when none limits it (`"infinite"` or no such field, A-08).
 *
 * @example
 * ```ts
 * approvedExpiry([{ type: 'cds_aggregation_consent', expires: '2027-01-15T12:00:00Z' }]) // '2027-01-15T12:00:00Z'
 * ```
 * @see CDS-WG3-01 §7.3.8 Expires
 */
export function approvedExpiry(details: readonly AuthorizationDetail[]): string | null {
  let earliest: { at: number; text: string } | null = null
  for (const entry of details) {
    const value = (entry as Record<string, unknown>).expires
    if (typeof value !== 'string' || value === 'infinite') continue
    const at = Date.parse(value)
    if (Number.isNaN(at)) continue
    if (earliest === null || at < earliest.at) earliest = { at, text: new Date(at).toISOString() }
  }
  return earliest?.text ?? null
}

// Statuses that still give (or wait to give) access, so an end in the past makes them expired.
const LAPSABLE = (status: GrantStatus) => !NO_ACCESS_STATUSES.has(status)

/**
 * Moves every Grant of a registration whose `not_after` has passed to `expired` (CDS-WG1-02 §8.2),
 * through {@link changeGrantStatus}: its tokens are revoked and the Client gets the changelog
 * Message. Called before the Grants API answers.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 * @see CDS-WG3-01 §7.3.8 Expires
 */
export async function settleExpiredGrants(db: Kysely<Database>, clock: Clock, config: ServerConfig, registration_id: string): Promise<void> {
  const lapsed = await db
    .selectFrom('grants')
    .innerJoin('clients', 'clients.client_id', 'grants.client_id')
    .select(['grants.grant_id', 'grants.status'])
    .where('clients.registration_id', '=', registration_id)
    .where('grants.not_after', 'is not', null)
    .where('grants.not_after', '<=', clock.now())
    .execute()
  for (const grant of lapsed) {
    // CDS-WG3-01 §7.3.8 (R3-01-7.3.8-03): once its end has passed, the Grant gives no access and says so.
    if (LAPSABLE(grant.status)) await changeGrantStatus(db, clock, config, grant.grant_id, 'expired', { reason: 'Its end date has passed.' })
  }
}
