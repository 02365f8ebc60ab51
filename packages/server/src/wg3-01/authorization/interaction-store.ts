/**
 * Pending authorization requests (CDS-WG3-01 §9.1.1) in `authorization_interactions`: what the
 * authorization endpoint checked before the customer logs in, kept until the customer answers
 * on the Authorization Form. The browser carries a random handle in the page's path; the table
 * keeps only its SHA-256 digest, like sessions and codes. An interaction expires after
 * `interaction_lifetime_seconds` and is answered once: the first decision marks it completed in
 * the same transaction that records it (§9.2.1.6: no duplicate authorizations).
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @module
 */
import { addSeconds, hashSecret, randomOpaqueValue, type Clock, type PendingAuthorization } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { fromJsonText, toJsonText } from '../../db/json-text.js'

/** Where the interaction pages live: `/authorize/interaction/<handle>`. */
export const INTERACTION_PATH = '/authorize/interaction'

// What randomOpaqueValue makes: 43 base64url characters. Anything else is not looked up.
const HANDLE = /^[A-Za-z0-9_-]{43}$/

/** The path of an interaction's page. */
export function interactionPath(handle: string): string {
  return `${INTERACTION_PATH}/${handle}`
}

/**
 * A pending authorization request waiting for its customer.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface Interaction {
  interaction_hash: string
  pending: PendingAuthorization
  /** The customer the form was last shown to. */
  customer_id: string | null
  created: Date
  expires_at: Date
}

/**
 * Stores a pending request and returns the handle of its page.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function createInteraction(db: Kysely<Database>, clock: Clock, config: ServerConfig, pending: PendingAuthorization): Promise<string> {
  const handle = randomOpaqueValue()
  const now = clock.now()
  await db
    .insertInto('authorization_interactions')
    .values({
      interaction_hash: hashSecret(handle),
      client_id: pending.client_id,
      parameters: toJsonText(pending.parameters as Record<string, string>),
      redirect_uri: pending.redirect_uri,
      redirect_uri_parameter: pending.redirect_uri_parameter,
      state: pending.state ?? null,
      customer_id: null,
      created: now,
      expires_at: addSeconds(now, config.customer_authorization.interaction_lifetime_seconds),
      completed_at: null,
    })
    .execute()
  return handle
}

/**
 * The open interaction of a handle: `undefined` when the handle is malformed or unknown, or the
 * interaction expired or was answered already.
 *
 * @see CDS-WG3-01 §9.3.2 Invalid Request Error
 */
export async function findInteraction(db: Kysely<Database>, clock: Clock, handle: string): Promise<Interaction | undefined> {
  if (!HANDLE.test(handle)) return undefined
  const row = await db.selectFrom('authorization_interactions').selectAll().where('interaction_hash', '=', hashSecret(handle)).executeTakeFirst()
  if (row === undefined || row.completed_at !== null || row.expires_at.getTime() <= clock.now().getTime()) return undefined
  return {
    interaction_hash: row.interaction_hash,
    pending: {
      client_id: row.client_id,
      parameters: fromJsonText(row.parameters),
      redirect_uri: row.redirect_uri,
      redirect_uri_parameter: row.redirect_uri_parameter,
      state: row.state ?? undefined,
    },
    customer_id: row.customer_id,
    created: row.created,
    expires_at: row.expires_at,
  }
}

/** Records which customer the form was shown to. */
export async function bindCustomer(db: Kysely<Database>, interaction: Interaction, customer_id: string): Promise<void> {
  if (interaction.customer_id === customer_id) return
  await db.updateTable('authorization_interactions').set({ customer_id }).where('interaction_hash', '=', interaction.interaction_hash).execute()
}

/**
 * Marks an interaction answered, once: `false` when it was answered or expired meanwhile. Run it
 * in the transaction that records the answer, so two submissions cannot both succeed.
 *
 * @see CDS-WG3-01 §9.2.1.6 Authorization Form Approval Section
 */
export async function completeInteraction(db: Kysely<Database>, clock: Clock, interaction: Pick<Interaction, 'interaction_hash'>): Promise<boolean> {
  const now = clock.now()
  const result = await db
    .updateTable('authorization_interactions')
    .set({ completed_at: now })
    .where('interaction_hash', '=', interaction.interaction_hash)
    .where('completed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
