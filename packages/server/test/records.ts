/**
 * Fixture records of the `@cds-ts/auth` storage interface for the storage tests: valid by
 * default, with fresh ids and random secret digests, any field overridable.
 */
import { hashSecret, randomOpaqueValue, type ClientRecord, type CredentialRecord, type TokenRecord } from '@cds-ts/auth'

/** The fixtures' time zero. */
export const T0 = new Date('2025-01-01T00:00:00Z')
/** `T0` plus `seconds`. */
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000)

let ids = 0
/** A fresh id with a readable prefix. */
export const unique = (prefix: string) => `${prefix}-${++ids}`

/** A `cds_client_admin` Client object of registration `reg-1`. */
export function client(overrides: Partial<ClientRecord> = {}): ClientRecord {
  const client_id = overrides.client_id ?? unique('client')
  return {
    client_id,
    client_id_issued_at: 1735689600,
    scope: 'cds_client_admin',
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    client_name: client_id,
    contacts: [],
    authorization_details_types: [],
    cds_created: '2025-01-01T00:00:00Z',
    cds_modified: '2025-01-01T00:00:00Z',
    cds_status: 'production',
    cds_status_options: ['production'],
    registration_id: 'reg-1',
    registration_fields: {},
    ...overrides,
  }
}

/** A `client_secret` Credential that never expires. */
export function credential(client_id: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    credential_id: unique('cred'),
    client_id,
    type: 'client_secret',
    client_secret_hash: hashSecret(randomOpaqueValue()),
    client_secret_expires_at: 0,
    created: T0,
    modified: T0,
    ...overrides,
  }
}

/** A live access token valid for an hour. */
export function token(client_id: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    token_hash: hashSecret(randomOpaqueValue()),
    token_type: 'access_token',
    client_id,
    credential_id: null,
    grant_id: null,
    code_hash: null,
    scope: 'cds_client_admin',
    authorization_details: [],
    issued_at: T0,
    expires_at: at(3600),
    revoked_at: null,
    ...overrides,
  }
}
