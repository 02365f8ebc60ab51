/**
 * Shared fixtures of this package's tests (not exported): error catchers, a Client record and a
 * Scope Description builder.
 */
import type { ScopeDescription } from '@cds-ts/schema'
import { OAuthError } from '../src/errors.js'
import type { ClientRecord } from '../src/store.js'

/** The `OAuthError` a call throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): OAuthError {
  try {
    fn()
  } catch (err) {
    if (err instanceof OAuthError) return err
    throw err
  }
  throw new Error('expected an OAuthError')
}

/** The `OAuthError` a promise rejects with; fails the test otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof OAuthError) return err
    throw err
  }
  throw new Error('expected an OAuthError')
}

/** A `cds_client_admin` Client record (CDS-WG1-02 §4.2 shape), with overrides. */
export function clientRecord(overrides: Partial<ClientRecord> = {}): ClientRecord {
  const client_id = overrides.client_id ?? 'c-admin'
  return {
    client_id,
    client_id_issued_at: 1_735_689_600,
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

/**
 * A Scope Description (CDS-WG1-02 §3.4) of a client_credentials scope whose one RAR type is its id;
 * `overrides` set everything a test cares about.
 */
export function scopeDescription(id: string, overrides: Partial<ScopeDescription> = {}): ScopeDescription {
  return {
    id,
    type: id,
    name: id,
    description: `The ${id} scope.`,
    documentation: `https://utility.example/docs#${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [],
    ...overrides,
  }
}
