/**
 * The revocations the Clients and Credentials APIs set off: expiring a Credential revokes every
 * token issued through it (CDS-WG1-02 §7.6), and disabling a Client object revokes every token
 * issued to it (CDS-WG1-02 §5.2, A-16). Each change and its revocation commit together, so no token
 * outlives the change, and `token-lookup.ts` refuses such tokens even if one were missed.
 *
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @module
 */
import type { Clock } from './clock.js'
import { nowSeconds } from './clock.js'
import type { AuthStore } from './store.js'

/** Options of {@link expireCredential} and {@link disableClient}. */
export interface TokenCascadeOptions {
  store: AuthStore
  clock: Clock
}

/** What a cascade changed. */
export interface TokenCascadeResult {
  /** Whether the Credential or Client object existed (and so was changed). */
  found: boolean
  /** How many live tokens were revoked. */
  revoked: number
}

/**
 * Sets a Credential's `client_secret_expires_at`. When the new value is at or before now (and not
 * `0`, "never"), the secret is treated as compromised: every access and refresh token issued
 * through it is revoked in the same transaction. Checking the value against the PATCH rules of
 * §7.6 is the Credentials API's job.
 *
 * @example
 * ```ts
 * await expireCredential({ store, clock }, credential_id, nowSeconds(clock))
 * ```
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export async function expireCredential(options: TokenCascadeOptions, credential_id: string, client_secret_expires_at: number): Promise<TokenCascadeResult> {
  const { store, clock } = options
  return store.transaction(async (tx) => {
    const now = clock.now()
    if (!(await tx.credentials.updateExpiry(credential_id, client_secret_expires_at, now))) return { found: false, revoked: 0 }
    // CDS-WG1-02 §7.6 (R1-02-7.6-06): an expiry at or before now revokes, synchronously, what the secret obtained.
    const expired = client_secret_expires_at !== 0 && client_secret_expires_at <= nowSeconds(clock)
    return { found: true, revoked: expired ? await tx.tokens.revokeByCredential(credential_id, now) : 0 }
  })
}

/**
 * Sets a Client object's `cds_status` to `disabled` (and `cds_modified` to now) and revokes every
 * token issued to it, in one transaction. Re-enabling does not bring the tokens back.
 *
 * @example
 * ```ts
 * await disableClient({ store, clock }, client_id)
 * ```
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 */
export async function disableClient(options: TokenCascadeOptions, client_id: string): Promise<TokenCascadeResult> {
  const { store, clock } = options
  return store.transaction(async (tx) => {
    const now = clock.now()
    if (!(await tx.clients.update(client_id, { cds_status: 'disabled', cds_modified: now.toISOString() }))) return { found: false, revoked: 0 }
    // CDS-WG1-02 §5.2: a disabled Client object keeps no live token.
    return { found: true, revoked: await tx.tokens.revokeByClient(client_id, now) }
  })
}
