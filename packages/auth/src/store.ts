/**
 * The storage the authorization server core needs, as TypeScript interfaces only. `@cds-ts/server`
 * implements them on Kysely (PostgreSQL or PGlite); tests may implement them in memory.
 *
 * Rules every implementation keeps:
 * - Secrets, tokens, codes and `request_uri` handles are stored only as `hashSecret` digests
 *   (the `*_hash` fields); the plain value never reaches storage.
 * - Names are the spec's (`client_id`, `client_secret_expires_at`, `authorization_details`, …);
 *   the few project fields (`registration_id`, `*_hash`, `revoked_at`, `used_at`) are documented here.
 * - Anything that must not be half-written (a registration, a token issuance with the code it
 *   consumes, a revocation cascade) runs inside {@link AuthStore.transaction}.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @module
 */
import type { AuthorizationDetail, Client, CredentialType } from '@cds-ts/schema'

/**
 * A stored Client object. It holds every field of the wire object except those the server
 * derives from its base URL (`cds_client_uri`, `cds_server_metadata`) and the RFC 7592
 * management fields, which cds-ts does not offer. Secrets live in {@link CredentialRecord}.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export type ClientRecord = Omit<Client, 'cds_client_uri' | 'cds_server_metadata' | 'registration_client_uri' | 'registration_access_token'> & {
  /**
   * Project field: the registration (CDS-WG1-02 §4.2) that created this Client object. Every
   * Client object made by one registration shares it, so a `cds_client_admin` token reaches them
   * all (CDS-WG1-02 §5.3) and introspection and revocation stay inside one registration.
   */
  registration_id: string
  /**
   * The registration field values the Client submitted (CDS-WG1-02 §4.1), keyed by each
   * Registration Field's `field_name`; `{}` when none.
   */
  registration_fields: Readonly<Record<string, unknown>>
  /**
   * Project field: who wrote each Purpose of `cds_purposes`, by Purpose id (CDS-WG3-01 §8.1,
   * The Purpose object has no such member, so it is kept beside it and never sent.
   * Absent when the Client object has no Purposes.
   */
  purpose_origins?: Readonly<Record<string, PurposeOrigin>>
}

/**
 * Who wrote a Purpose: `server` for the server's default Purposes, which every consent
 * Client object gets and cannot remove; `client` for those the Client sent, which the
 * Authorization Form attributes to the Client ("Written by {client_name}").
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 */
export type PurposeOrigin = 'server' | 'client'

/**
 * A stored Credential: the Credential object of CDS-WG1-02 §7.1 with the secret replaced by its
 * SHA-256 digest.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export interface CredentialRecord {
  credential_id: string
  client_id: string
  type: CredentialType
  /** `hashSecret` of the `client_secret`; the secret itself is shown once, when it is created. */
  client_secret_hash: string
  /** Unix seconds; `0` means the secret never expires (RFC 7591 §3.2.1). */
  client_secret_expires_at: number
  created: Date
  modified: Date
}

/**
 * The two kinds of token the token endpoint issues, named as RFC 7009 §2.1 `token_type_hint` names them.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export type TokenType = 'access_token' | 'refresh_token'

/**
 * A stored access or refresh token.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export interface TokenRecord {
  /** `hashSecret` of the token value. */
  token_hash: string
  token_type: TokenType
  client_id: string
  /**
   * The Credential that authenticated the token request, or `null` for a public client. Expiring
   * that Credential revokes the token (CDS-WG1-02 §7.6).
   */
  credential_id: string | null
  /** The Grant (CDS-WG1-02 §8.1) the token gives access to, or `null` (client admin tokens). */
  grant_id: string | null
  /**
   * `hashSecret` of the authorization code this token descends from, copied through refresh
   * rotation, or `null`. A replayed code revokes every token that carries it (RFC 6749 §4.1.2).
   */
  code_hash: string | null
  scope: string
  /** RFC 9396 entries granted with the token; `[]` when none. Stored as JSON. */
  authorization_details: AuthorizationDetail[]
  issued_at: Date
  expires_at: Date
  /** When the token was revoked, rotated away or cascaded off; `null` while it is live. */
  revoked_at: Date | null
}

/**
 * A stored authorization code (RFC 6749 §4.1.2) with the PKCE challenge it is bound to (RFC 7636 §4.4).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export interface AuthorizationCodeRecord {
  /** `hashSecret` of the code. */
  code_hash: string
  client_id: string
  /**
   * The `redirect_uri` parameter of the authorization request, or `null` when the request left it
   * out and the Client's default was used: RFC 6749 §4.1.3 compares the token request with this.
   */
  redirect_uri: string | null
  code_challenge: string | null
  code_challenge_method: 'S256' | null
  scope: string
  authorization_details: AuthorizationDetail[]
  grant_id: string | null
  created: Date
  expires_at: Date
  /** When the code was first exchanged; `null` until then. */
  used_at: Date | null
}

/**
 * A stored pushed authorization request (RFC 9126 §2).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export interface PushedAuthorizationRequestRecord {
  /** `hashSecret` of the random part of the `request_uri` handed to the Client. */
  request_uri_hash: string
  client_id: string
  /** The pushed parameters as validated, by name (single values; RFC 6749 §3.1 forbids repeats). */
  parameters: Readonly<Record<string, string>>
  created: Date
  expires_at: Date
  /** When the authorization endpoint used it; `null` until then. */
  used_at: Date | null
}

/**
 * The outcome of a single-use consumption ({@link AuthorizationCodeStore.consume},
 * {@link PushedAuthorizationRequestStore.consume}): the row as stored before this call, and
 * whether it had already been used.
 */
export interface Consumed<T> {
  record: T
  /** `true` when the row was already used before this call: the caller is looking at a replay. */
  replay: boolean
}

/**
 * Client objects by `client_id`.
 *
 * @see CDS-WG1-02 §5 Clients API
 */
export interface ClientStore {
  /** Stores a new Client object. Throws if the `client_id` exists. */
  insert(client: ClientRecord): Promise<void>
  /** The Client object, or `undefined` when the `client_id` is unknown. */
  find(client_id: string): Promise<ClientRecord | undefined>
  /** Every Client object created by one registration, in creation order. */
  listByRegistration(registration_id: string): Promise<ClientRecord[]>
  /** Replaces the given fields of a Client object; returns `false` when the `client_id` is unknown. */
  update(client_id: string, changes: Partial<Omit<ClientRecord, 'client_id' | 'registration_id'>>): Promise<boolean>
}

/**
 * Credentials, each belonging to one Client object.
 *
 * @see CDS-WG1-02 §7 Credentials API
 */
export interface CredentialStore {
  /** Stores a new Credential. Throws if the `credential_id` exists or the `client_id` is unknown. */
  insert(credential: CredentialRecord): Promise<void>
  /** The Credential, or `undefined` when the `credential_id` is unknown. */
  find(credential_id: string): Promise<CredentialRecord | undefined>
  /** The Credentials of one Client object, expired ones included, newest `modified` first. */
  listByClient(client_id: string): Promise<CredentialRecord[]>
  /** Sets `client_secret_expires_at` and `modified`; returns `false` when the `credential_id` is unknown. */
  updateExpiry(credential_id: string, client_secret_expires_at: number, modified: Date): Promise<boolean>
}

/**
 * Access and refresh tokens. Revocation never deletes: it sets `revoked_at` on rows that are
 * still live and returns how many it changed.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export interface TokenStore {
  /** Stores a newly issued token. */
  insert(token: TokenRecord): Promise<void>
  /** The token with this hash, live or not, or `undefined`. */
  find(token_hash: string): Promise<TokenRecord | undefined>
  /** Revokes one token (RFC 7009 §2.1). */
  revoke(token_hash: string, revoked_at: Date): Promise<number>
  /** Revokes every token of a Client object, as disabling it requires (CDS-WG1-02 §5.2). */
  revokeByClient(client_id: string, revoked_at: Date): Promise<number>
  /** Revokes every token issued through a Credential, as expiring it requires (CDS-WG1-02 §7.6). */
  revokeByCredential(credential_id: string, revoked_at: Date): Promise<number>
  /** Revokes every token descended from an authorization code, on code replay (RFC 6749 §4.1.2). */
  revokeByCode(code_hash: string, revoked_at: Date): Promise<number>
  /** Revokes every token that reaches a Grant, when the Grant loses its access (CDS-WG1-02 §8.2). */
  revokeByGrant(grant_id: string, revoked_at: Date): Promise<number>
}

/**
 * Authorization codes, single use.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export interface AuthorizationCodeStore {
  /** Stores a newly issued code. */
  insert(code: AuthorizationCodeRecord): Promise<void>
  /**
   * Marks the code used at `used_at` if it was not, atomically (a conditional update), and returns
   * it as it was; `replay` is `true` when it had been used before. `undefined` for an unknown code.
   */
  consume(code_hash: string, used_at: Date): Promise<Consumed<AuthorizationCodeRecord> | undefined>
}

/**
 * Pushed authorization requests, single use.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-4 | RFC 9126 §4}
 */
export interface PushedAuthorizationRequestStore {
  /** Stores a newly pushed request. */
  insert(request: PushedAuthorizationRequestRecord): Promise<void>
  /** The pushed request, used or not, or `undefined`; does not consume it. */
  find(request_uri_hash: string): Promise<PushedAuthorizationRequestRecord | undefined>
  /** Same contract as {@link AuthorizationCodeStore.consume}. */
  consume(request_uri_hash: string, used_at: Date): Promise<Consumed<PushedAuthorizationRequestRecord> | undefined>
}

/**
 * Everything the authorization server core stores. `transaction` runs `fn` with a store bound to
 * one database transaction: it commits when `fn` resolves and rolls back when it throws, and the
 * error is rethrown unchanged (an `OAuthError` stays an `OAuthError`).
 *
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   await tx.credentials.updateExpiry(credential_id, now, clock.now())
 *   await tx.tokens.revokeByCredential(credential_id, clock.now())
 * })
 * ```
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export interface AuthStore {
  readonly clients: ClientStore
  readonly credentials: CredentialStore
  readonly tokens: TokenStore
  readonly codes: AuthorizationCodeStore
  readonly pushedRequests: PushedAuthorizationRequestStore
  transaction<T>(fn: (store: AuthStore) => Promise<T>): Promise<T>
}

