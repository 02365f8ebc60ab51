/**
 * Fixtures of the PAR and authorization endpoint tests: scope descriptions, settings, code
 * clients with their secrets, and a PKCE pair. Not exported.
 */
import type { ScopeDescription } from '@cds-ts/schema'
import type { AuthorizationSettings } from '../src/authorization-request.js'
import { codeChallengeS256, hashSecret } from '../src/crypto.js'
import type { AuthStore, ClientRecord } from '../src/store.js'
import { clientRecord, scopeDescription } from './_setup.js'

const DOC = 'https://utility.example/docs'
/** The user-authorization scope of these tests. */
export const CODE_SCOPE = 'demo_usage_data'
/** A client-credentials-only scope. */
export const DIRECT_SCOPE = 'demo_meter_readings'

const scope = (id: string, extra: Partial<ScopeDescription>): ScopeDescription => scopeDescription(id, { description: id, documentation: DOC, ...extra })

const field = { documentation: DOC, for_types: [CODE_SCOPE], is_required: false }

/** `cds_scope_descriptions` of these tests. */
export const SCOPE_DESCRIPTIONS: Record<string, ScopeDescription> = {
  [CODE_SCOPE]: scope(CODE_SCOPE, {
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    code_challenge_methods_supported: ['S256'],
    authorization_details_fields_supported: [
      { ...field, id: 'history_start', name: 'History start', description: 'How far back.', format: 'relative_or_absolute_date', default: 'P1Y', maximum: 'P3Y', minimum: 'P0D' },
      { ...field, id: 'access_end', name: 'Access end', description: 'Until when.', format: 'relative_or_absolute_datetime', default: 'P1D', maximum: 'infinite', minimum: 'P1D' },
      {
        ...field,
        id: 'resolution',
        name: 'Resolution',
        description: 'How fine.',
        format: 'choice',
        default: 'monthly',
        choices: ['monthly', 'hourly'].map((id) => ({ id, name: id, description: id, documentation: DOC })),
      },
    ],
  }),
  [DIRECT_SCOPE]: scope(DIRECT_SCOPE, {}),
}

/** Settings as the server builds them from its configuration (A-56 lifetimes). */
export function settings(overrides: Partial<AuthorizationSettings> = {}): AuthorizationSettings {
  return {
    scope_descriptions: SCOPE_DESCRIPTIONS,
    timezone: 'America/Chicago',
    request_uri_lifetime: 90,
    authorization_code_lifetime: 60,
    // history_start reaches into the past.
    relativeDirection: (f) => (f.id === 'history_start' ? 'subtract' : 'add'),
    ...overrides,
  }
}

/** The registered redirect URI with a query of the client's own, and its default. */
export const REDIRECT_URI = 'https://client.example/cb?tenant=a%20b&x'
/** A second registered redirect URI. */
export const OTHER_REDIRECT_URI = 'https://client.example/other'

/** A sandbox Client object for the code flow (CDS-WG1-02 §4.2 shape). */
export function codeClient(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return clientRecord({
    client_id: 'code-client',
    scope: `${CODE_SCOPE} ${DIRECT_SCOPE}`,
    redirect_uris: [REDIRECT_URI, OTHER_REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    authorization_details_types: [CODE_SCOPE],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
    cds_default_scope: CODE_SCOPE,
    cds_default_redirect_uri: REDIRECT_URI,
    cds_default_authorization_details: [],
    ...overrides,
  })
}

/** The secret of every confidential client stored by {@link seed}. */
export const SECRET = 'fixture-secret-0123456789abcdefghijklmnopqrstu'

/** Stores a client and, unless it is public, a live Credential with {@link SECRET}. */
export async function seed(store: AuthStore, client: ClientRecord): Promise<ClientRecord> {
  await store.clients.insert(client)
  if (client.token_endpoint_auth_method !== 'none') {
    await store.credentials.insert({
      credential_id: `cred-${client.client_id}`,
      client_id: client.client_id,
      type: 'client_secret',
      client_secret_hash: hashSecret(SECRET),
      client_secret_expires_at: 0,
      created: new Date('2025-01-01T00:00:00Z'),
      modified: new Date('2025-01-01T00:00:00Z'),
    })
  }
  return client
}

/** HTTP Basic credentials (RFC 6749 §2.3.1). */
export function basic(client_id: string, secret = SECRET): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2). */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
/** `S256` of {@link VERIFIER}. */
export const CHALLENGE = codeChallengeS256(VERIFIER)

/** The parameters of a valid authorization request of `code-client`. */
export function requestParameters(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'code-client',
    redirect_uri: REDIRECT_URI,
    scope: CODE_SCOPE,
    state: 'xyz 1/2',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  }
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
