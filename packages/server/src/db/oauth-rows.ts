/**
 * Row ↔ record conversion for the storage records of `@cds-ts/auth` (`store.ts` there): JSON
 * columns through `json-text.ts`, Client datetimes as RFC 3339 text, absent optional Client
 * fields as SQL `NULL`.
 *
 * @internal
 * @module
 */
import type { AuthorizationCodeRecord, ClientRecord, CredentialRecord, PushedAuthorizationRequestRecord, TokenRecord } from '@cds-ts/auth'
import { toDateTime } from '@cds-ts/auth'
import type { Insertable, Selectable, Updateable } from 'kysely'
import type { AuthorizationCodesTable, ClientsTable, CredentialsTable, ParRequestsTable, TokensTable } from './database.js'
import { fromJsonText, toJsonText } from './json-text.js'

type ClientChanges = Partial<Omit<ClientRecord, 'client_id' | 'registration_id'>>

/**
 * The columns for the fields present in `changes`. A field present with the value `undefined`
 * clears an optional column (a PUT that leaves it out, CDS-WG1-02 §5.5); an absent field is left alone.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export function clientColumns(changes: ClientChanges): Updateable<ClientsTable> {
  const has = (key: keyof ClientChanges): boolean => Object.hasOwn(changes, key)
  const row: Updateable<ClientsTable> = {}
  const c = changes
  if (has('client_id_issued_at')) row.client_id_issued_at = c.client_id_issued_at
  if (has('scope')) row.scope = c.scope
  if (has('redirect_uris') && c.redirect_uris) row.redirect_uris = toJsonText(c.redirect_uris)
  if (has('token_endpoint_auth_method')) row.token_endpoint_auth_method = c.token_endpoint_auth_method ?? null
  if (has('grant_types') && c.grant_types) row.grant_types = toJsonText(c.grant_types)
  if (has('response_types') && c.response_types) row.response_types = toJsonText(c.response_types)
  if (has('client_name')) row.client_name = c.client_name
  if (has('contacts') && c.contacts) row.contacts = toJsonText(c.contacts)
  if (has('authorization_details_types') && c.authorization_details_types) {
    row.authorization_details_types = toJsonText(c.authorization_details_types)
  }
  if (has('client_uri')) row.client_uri = c.client_uri ?? null
  if (has('logo_uri')) row.logo_uri = c.logo_uri ?? null
  if (has('tos_uri')) row.tos_uri = c.tos_uri ?? null
  if (has('policy_uri')) row.policy_uri = c.policy_uri ?? null
  if (has('jwks_uri')) row.jwks_uri = c.jwks_uri ?? null
  if (has('jwks')) row.jwks = c.jwks === undefined ? null : toJsonText(c.jwks)
  if (has('software_id')) row.software_id = c.software_id ?? null
  if (has('software_version')) row.software_version = c.software_version ?? null
  if (has('cds_created')) row.cds_created = c.cds_created
  if (has('cds_modified')) row.cds_modified = c.cds_modified
  if (has('cds_status')) row.cds_status = c.cds_status
  if (has('cds_status_options') && c.cds_status_options) row.cds_status_options = toJsonText(c.cds_status_options)
  if (has('cds_default_scope')) row.cds_default_scope = c.cds_default_scope ?? null
  if (has('cds_default_redirect_uri')) row.cds_default_redirect_uri = c.cds_default_redirect_uri ?? null
  if (has('cds_default_authorization_details')) {
    const details = c.cds_default_authorization_details
    row.cds_default_authorization_details = details === undefined ? null : toJsonText(details)
  }
  if (has('registration_fields') && c.registration_fields) row.registration_fields = toJsonText(c.registration_fields)
  // CDS-WG3-01 §8.1: the Purposes and who wrote each; absent clears them.
  if (has('cds_purposes')) row.cds_purposes = c.cds_purposes === undefined ? null : toJsonText(c.cds_purposes)
  if (has('purpose_origins')) row.purpose_origins = c.purpose_origins === undefined ? null : toJsonText({ ...c.purpose_origins })
  return row
}

/**
 * The full row of a new Client object.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientRow(client: ClientRecord): Insertable<ClientsTable> {
  return {
    ...(clientColumns(client) as Insertable<ClientsTable>),
    client_id: client.client_id,
    registration_id: client.registration_id,
  }
}

/**
 * A `clients` row as a {@link ClientRecord}; `NULL` optional columns are left out.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientRecord(row: Selectable<ClientsTable>): ClientRecord {
  const record: ClientRecord = {
    client_id: row.client_id,
    client_id_issued_at: row.client_id_issued_at,
    scope: row.scope,
    redirect_uris: fromJsonText(row.redirect_uris),
    token_endpoint_auth_method: row.token_endpoint_auth_method,
    grant_types: fromJsonText(row.grant_types),
    response_types: fromJsonText(row.response_types),
    client_name: row.client_name,
    contacts: fromJsonText(row.contacts),
    authorization_details_types: fromJsonText(row.authorization_details_types),
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_status: row.cds_status,
    cds_status_options: fromJsonText(row.cds_status_options),
    registration_id: row.registration_id,
    registration_fields: fromJsonText(row.registration_fields),
  }
  if (row.client_uri !== null) record.client_uri = row.client_uri
  if (row.logo_uri !== null) record.logo_uri = row.logo_uri
  if (row.tos_uri !== null) record.tos_uri = row.tos_uri
  if (row.policy_uri !== null) record.policy_uri = row.policy_uri
  if (row.jwks_uri !== null) record.jwks_uri = row.jwks_uri
  if (row.jwks !== null) record.jwks = fromJsonText(row.jwks)
  if (row.software_id !== null) record.software_id = row.software_id
  if (row.software_version !== null) record.software_version = row.software_version
  if (row.cds_default_scope !== null) record.cds_default_scope = row.cds_default_scope
  if (row.cds_default_redirect_uri !== null) record.cds_default_redirect_uri = row.cds_default_redirect_uri
  if (row.cds_default_authorization_details !== null) {
    record.cds_default_authorization_details = fromJsonText(row.cds_default_authorization_details)
  }
  if (row.cds_purposes !== null) record.cds_purposes = fromJsonText(row.cds_purposes)
  if (row.purpose_origins !== null) record.purpose_origins = fromJsonText(row.purpose_origins)
  return record
}

/**
 * The row of a new Credential (only the known columns, whatever else the object carries).
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function credentialRow(c: CredentialRecord): Insertable<CredentialsTable> {
  return {
    credential_id: c.credential_id,
    client_id: c.client_id,
    type: c.type,
    client_secret_hash: c.client_secret_hash,
    client_secret_expires_at: c.client_secret_expires_at,
    created: c.created,
    modified: c.modified,
  }
}

/**
 * A {@link CredentialRecord} maps column for column.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function credentialRecord(row: Selectable<CredentialsTable>): CredentialRecord {
  return {
    credential_id: row.credential_id,
    client_id: row.client_id,
    type: row.type,
    client_secret_hash: row.client_secret_hash,
    client_secret_expires_at: row.client_secret_expires_at,
    created: row.created,
    modified: row.modified,
  }
}

/**
 * The row of a new token.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export function tokenRow(token: TokenRecord): Insertable<TokensTable> {
  return {
    token_hash: token.token_hash,
    token_type: token.token_type,
    client_id: token.client_id,
    credential_id: token.credential_id,
    grant_id: token.grant_id,
    code_hash: token.code_hash,
    scope: token.scope,
    authorization_details: toJsonText(token.authorization_details),
    issued_at: token.issued_at,
    expires_at: token.expires_at,
    revoked_at: token.revoked_at,
  }
}

/**
 * A `tokens` row as a {@link TokenRecord}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export function tokenRecord(row: Selectable<TokensTable>): TokenRecord {
  return { ...row, authorization_details: fromJsonText(row.authorization_details) }
}

/**
 * The row of a new authorization code.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export function codeRow(code: AuthorizationCodeRecord): Insertable<AuthorizationCodesTable> {
  return {
    code_hash: code.code_hash,
    client_id: code.client_id,
    redirect_uri: code.redirect_uri,
    code_challenge: code.code_challenge,
    code_challenge_method: code.code_challenge_method,
    scope: code.scope,
    authorization_details: toJsonText(code.authorization_details),
    grant_id: code.grant_id,
    created: code.created,
    expires_at: code.expires_at,
    used_at: code.used_at,
  }
}

/**
 * An `authorization_codes` row as an {@link AuthorizationCodeRecord}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export function codeRecord(row: Selectable<AuthorizationCodesTable>): AuthorizationCodeRecord {
  return { ...row, authorization_details: fromJsonText(row.authorization_details) }
}

/**
 * The row of a new pushed authorization request.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export function parRow(request: PushedAuthorizationRequestRecord): Insertable<ParRequestsTable> {
  return {
    request_uri_hash: request.request_uri_hash,
    client_id: request.client_id,
    parameters: toJsonText({ ...request.parameters }),
    created: request.created,
    expires_at: request.expires_at,
    used_at: request.used_at,
  }
}

/**
 * A `par_requests` row as a {@link PushedAuthorizationRequestRecord}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export function parRecord(row: Selectable<ParRequestsTable>): PushedAuthorizationRequestRecord {
  return { ...row, parameters: fromJsonText(row.parameters) }
}
