/**
 * Fixtures of the token, introspection and revocation tests (not exported): Scope Descriptions,
 * registered clients with secrets, stored authorization codes and Grants.
 */
import type { AuthorizationDetailsField, ScopeDescription } from '@cds-ts/schema'
import type { ManualClock } from '../src/clock.js'
import { addSeconds, manualClock } from '../src/clock.js'
import { codeChallengeS256, hashSecret, randomOpaqueValue } from '../src/crypto.js'
import type { GrantAccessRecord, GrantLookup } from '../src/grants/client-credentials.js'
import type { AuthorizationCodeRecord, AuthStore, ClientRecord } from '../src/store.js'
import type { TokenEndpointOptions } from '../src/token.js'
import { clientRecord, scopeDescription } from './_setup.js'
import { memoryStore } from './memory-store.js'

export const ISSUER = 'https://utility.example'
export const GA = 'cds_grant_admin_1'
export const CODE_SCOPE = 'usage_data'
export const PUBLIC_SCOPE = 'public_usage'
export const DIRECT_SCOPE = 'meter_readings'
export const FILES_SCOPE = 'cds_server_provided_files_01'
export const OTHER_GA = 'cds_grant_admin_2'
export const LIFETIMES = { access_token: 3600, refresh_token: 7_776_000 }

const scope = (id: string, type: string, fields: Partial<ScopeDescription>): ScopeDescription =>
  scopeDescription(id, { type, documentation: `${ISSUER}/docs#${id}`, authorization_details_types_supported: [], ...fields })

function field(id: string, for_type: string, fields: Partial<AuthorizationDetailsField>): AuthorizationDetailsField {
  return {
    id,
    name: id,
    description: `The ${id} field.`,
    documentation: `${ISSUER}/docs#${id}`,
    for_types: [for_type],
    format: 'string',
    is_required: true,
    maximum: 1000,
    minimum: 1,
    ...fields,
  }
}

const grantAdmin = (id: string) =>
  scope(id, 'cds_grant_admin', {
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [field('client_id', id, {}), field('grant_id', id, {})],
  })

const code = (id: string, methods: string[]) =>
  scope(id, id, {
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: methods,
    code_challenge_methods_supported: ['S256'],
    grant_admin_scope: GA,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [field('history', id, { is_required: false, default: 'P1Y', format: 'relative_or_absolute_date' })],
  })

/** The Scope Descriptions of every test server. */
export const SCOPES: Record<string, ScopeDescription> = {
  cds_client_admin: scope('cds_client_admin', 'cds_client_admin', {}),
  [GA]: grantAdmin(GA),
  [OTHER_GA]: grantAdmin(OTHER_GA),
  [CODE_SCOPE]: code(CODE_SCOPE, ['client_secret_basic']),
  [PUBLIC_SCOPE]: code(PUBLIC_SCOPE, ['none']),
  [DIRECT_SCOPE]: scope(DIRECT_SCOPE, DIRECT_SCOPE, {
    authorization_details_types_supported: [DIRECT_SCOPE],
    authorization_details_fields_supported: [
      field('meter_id', DIRECT_SCOPE, {}),
      field('max_readings', DIRECT_SCOPE, { format: 'int', is_required: false, default: 100 }),
    ],
  }),
  [FILES_SCOPE]: scope(FILES_SCOPE, 'cds_server_provided_files', {
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    grant_admin_scope: GA,
    authorization_details_types_supported: [FILES_SCOPE],
    authorization_details_fields_supported: [field('file_id', FILES_SCOPE, {})],
  }),
}

/** `Authorization: Basic …` for a client id and secret (both base64url, so no form-encoding is needed). */
export function basic(client_id: string, client_secret: string): string {
  return `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`
}

/** A Client object in storage, with its secret when it has one. */
export interface Registered {
  client: ClientRecord
  /** `undefined` for a public client. */
  secret: string | undefined
  credential_id: string | null
  /** Its `Authorization` header, or `undefined` for a public client. */
  authorization: string | undefined
}

/** Kinds of Client object the tests register. */
export type ClientKind = 'admin' | 'grant_admin' | 'code' | 'public' | 'direct'

const KINDS: Record<ClientKind, Partial<ClientRecord>> = {
  admin: { scope: 'cds_client_admin', grant_types: ['client_credentials'] },
  grant_admin: { scope: GA, grant_types: ['client_credentials'], authorization_details_types: [GA] },
  code: {
    scope: CODE_SCOPE,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${ISSUER}/oauth/receipt`, 'https://client.example/cb'],
    cds_default_redirect_uri: `${ISSUER}/oauth/receipt`,
    authorization_details_types: [CODE_SCOPE],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
  },
  public: {
    scope: PUBLIC_SCOPE,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['https://client.example/cb'],
    cds_default_redirect_uri: 'https://client.example/cb',
    authorization_details_types: [PUBLIC_SCOPE],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
  },
  direct: {
    scope: DIRECT_SCOPE,
    grant_types: ['client_credentials'],
    authorization_details_types: [DIRECT_SCOPE],
    cds_status_options: ['production', 'disabled'],
  },
}

let counter = 0

/** Stores a Client object of a kind (and a Credential unless it is public). */
export async function register(store: AuthStore, clock: ManualClock, kind: ClientKind, overrides: Partial<ClientRecord> = {}): Promise<Registered> {
  counter += 1
  const client = clientRecord({ client_id: `${kind}-${counter}`, ...KINDS[kind], ...overrides })
  await store.clients.insert(client)
  if (client.token_endpoint_auth_method === 'none') return { client, secret: undefined, credential_id: null, authorization: undefined }
  const secret = randomOpaqueValue()
  const credential_id = `cred-${counter}`
  await store.credentials.insert({
    credential_id,
    client_id: client.client_id,
    type: 'client_secret',
    client_secret_hash: hashSecret(secret),
    client_secret_expires_at: 0,
    created: clock.now(),
    modified: clock.now(),
  })
  return { client, secret, credential_id, authorization: basic(client.client_id, secret) }
}

/** An authorization code for a client, stored with an S256 challenge; returns the code and verifier. */
export async function storeCode(
  store: AuthStore,
  clock: ManualClock,
  client: ClientRecord,
  overrides: Partial<AuthorizationCodeRecord> = {},
): Promise<{ code: string; code_verifier: string; record: AuthorizationCodeRecord }> {
  const code = randomOpaqueValue()
  const code_verifier = randomOpaqueValue()
  const record: AuthorizationCodeRecord = {
    code_hash: hashSecret(code),
    client_id: client.client_id,
    redirect_uri: 'https://client.example/cb',
    code_challenge: codeChallengeS256(code_verifier),
    code_challenge_method: 'S256',
    scope: client.scope,
    authorization_details: [{ type: client.scope, history: 'P1Y' }],
    grant_id: 'grant-code',
    created: clock.now(),
    expires_at: addSeconds(clock.now(), 60),
    used_at: null,
    ...overrides,
  }
  await store.codes.insert(record)
  return { code, code_verifier, record }
}

/** An in-memory Grant lookup over a list of Grants. */
export function grantLookup(grants: GrantAccessRecord[]): GrantLookup {
  return {
    find: async (grant_id) => grants.find((g) => g.grant_id === grant_id),
    listForClient: async (client_id) => grants.filter((g) => g.client_id === client_id).reverse(),
  }
}

/** A fresh store, a clock at 2025-01-01 and token endpoint options over them. */
export function setup(grants: GrantAccessRecord[] = []): { store: AuthStore; clock: ManualClock; options: TokenEndpointOptions } {
  const store = memoryStore()
  const clock = manualClock('2025-01-01T00:00:00Z')
  return { store, clock, options: { store, clock, scopes: SCOPES, lifetimes: LIFETIMES, timezone: 'America/Chicago', grants: grantLookup(grants) } }
}
