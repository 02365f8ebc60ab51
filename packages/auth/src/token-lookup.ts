/**
 * Resolving a presented token to what it grants, for introspection (RFC 7662) and for the
 * server's bearer check (RFC 6750). A token counts only while it is live: known, not revoked, not
 * expired, its Client object not disabled, and the Credential it was issued through not expired.
 *
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 * @module
 */
import type { AuthorizationDetail } from '@cds-ts/schema'
import type { Clock } from './clock.js'
import { isExpired, nowSeconds } from './clock.js'
import { hashSecret } from './crypto.js'
import type { AuthStore, ClientRecord, TokenRecord } from './store.js'

/** Options of {@link findActiveToken} and {@link lookupAccessToken}. */
export interface TokenLookupOptions {
  store: AuthStore
  clock: Clock
}

/**
 * A live token and the Client object it was issued to.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export interface ActiveToken {
  record: TokenRecord
  client: ClientRecord
}

/**
 * What a live access token grants, as a protected resource needs it. The shape also fits the
 * `TokenRecord` fields the server's bearer check reads (`token_type`, `revoked_at`).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export interface AccessTokenInfo {
  token_type: 'access_token'
  /** The Client object the token was issued to. */
  client_id: string
  /** The Credential that authenticated the token request; `null` for a public client. */
  credential_id: string | null
  /** Space-separated scope values. */
  scope: string
  /** The RFC 9396 entries granted with the token; `[]` when none. */
  authorization_details: AuthorizationDetail[]
  /** The Grant (CDS-WG1-02 §8.1) the token reaches, or `null`. */
  grant_id: string | null
  issued_at: Date
  expires_at: Date
  /** Always `null`: a revoked token is never returned. */
  revoked_at: null
}

/**
 * Finds a live token of either kind by its value, with its Client object; `undefined` when it is
 * unknown, revoked, expired, of a disabled Client object, or issued through an expired Credential.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export async function findActiveToken(token: string, options: TokenLookupOptions): Promise<ActiveToken | undefined> {
  const { store, clock } = options
  const record = await store.tokens.find(hashSecret(token))
  if (record === undefined) return undefined
  // RFC 7009 §2.2, RFC 7662 §2.2: a revoked or expired token is no longer active.
  if (record.revoked_at !== null || isExpired(record.expires_at, clock)) return undefined
  const client = await store.clients.find(record.client_id)
  // CDS-WG1-02 §5.2: a disabled Client object's tokens stop working at once.
  if (client === undefined || client.cds_status === 'disabled') return undefined
  if (record.credential_id !== null) {
    const credential = await store.credentials.find(record.credential_id)
    // CDS-WG1-02 §7.6 (R1-02-7.6-06): tokens issued through an expired Credential are revoked; 0 never expires.
    if (credential === undefined) return undefined
    if (credential.client_secret_expires_at !== 0 && credential.client_secret_expires_at <= nowSeconds(clock)) return undefined
  }
  return { record, client }
}

/**
 * Resolves a bearer access token to what it grants, or `undefined` when it is not a live access
 * token (refresh tokens are never accepted as bearer tokens). Pass it to the server's bearer
 * check as its `findToken`.
 *
 * @example
 * ```ts
 * await app.register(bearerAuthPlugin, { findToken: (token) => lookupAccessToken(token, { store, clock }), clock })
 * ```
 * @see CDS-WG1-02 §11.2 Restricted Access
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export async function lookupAccessToken(token: string, options: TokenLookupOptions): Promise<AccessTokenInfo | undefined> {
  const active = await findActiveToken(token, options)
  // RFC 6750 §1.2: only access tokens reach protected resources.
  if (active?.record.token_type !== 'access_token') return undefined
  const { record } = active
  return {
    token_type: 'access_token',
    client_id: record.client_id,
    credential_id: record.credential_id,
    scope: record.scope,
    authorization_details: record.authorization_details,
    grant_id: record.grant_id,
    issued_at: record.issued_at,
    expires_at: record.expires_at,
    revoked_at: null,
  }
}
