/**
 * What the server adds to a registration inside its transaction, after `@cds-ts/auth` has written
 * the Client objects and Credentials: the sealed secrets (§7.1), the Purposes of the objects that
 * take authorization requests (CDS-WG3-01 §8.1), the client-credentials Grants and the
 * requirement Messages (§3.6). One failure rolls the whole registration back.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @module
 */
import type { AuthStore, Clock, Registration } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { kyselyOf } from '../../db/oauth-store.js'
import { assignRegistrationPurposes } from '../clients/client-purposes.js'
import { sealRegistrationSecrets } from '../credentials/seal-registration-secrets.js'
import { createRegistrationGrants } from '../grants/registration-grants.js'
import { createRequirementMessages } from '../messages/requirement-messages.js'

/** What a registration hook receives besides the transaction and the registration. */
export interface RegistrationHookContext {
  config: ServerConfig
  clock: Clock
}

/**
 * One step run inside the registration transaction.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export type RegistrationHook = (tx: Kysely<Database>, registration: Registration, context: RegistrationHookContext) => Promise<void>

/** The steps, in order. */
export const REGISTRATION_HOOKS: readonly RegistrationHook[] = [sealRegistrationSecrets, assignRegistrationPurposes, createRegistrationGrants, createRequirementMessages]

/**
 * The `onRegistered` option of `registerPlugin`: runs {@link REGISTRATION_HOOKS} on the registration's transaction.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export function onRegistered(context: RegistrationHookContext): (tx: AuthStore, registration: Registration) => Promise<void> {
  return async (tx, registration) => {
    const db = kyselyOf(tx)
    for (const hook of REGISTRATION_HOOKS) await hook(db, registration, context)
  }
}
