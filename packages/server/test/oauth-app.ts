/**
 * An app with the token, introspection and revocation routes over the Kysely store of one test
 * database, and helpers that seed Client objects, Credentials, Grants and authorization codes.
 */
import {
  addSeconds,
  codeChallengeS256,
  hashSecret,
  manualClock,
  randomOpaqueValue,
  type AuthorizationCodeRecord,
  type AuthStore,
  type ClientRecord,
  type ManualClock,
} from '@cds-ts/auth'
import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../src/config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE, defaultConfig } from '../src/config/defaults.js'
import type { Database } from '../src/db/database.js'
import { toJsonText } from '../src/db/json-text.js'
import { KyselyAuthStore } from '../src/db/oauth-store.js'
import { decimalJsonPlugin } from '../src/shared/decimal-json.js'
import { errorHandlerPlugin } from '../src/shared/error-handler.js'
import { openApiPlugin } from '../src/shared/openapi.js'
import { requestBodyPlugin } from '../src/shared/request-body.js'
import { schemaController, schemasPlugin } from '../src/shared/schemas.js'
import { kyselyGrantLookup } from '../src/wg1-02/oauth/grant-lookup.js'
import { introspectionPlugin } from '../src/wg1-02/oauth/introspect.js'
import { revocationPlugin } from '../src/wg1-02/oauth/revoke.js'
import { tokenPlugin } from '../src/wg1-02/oauth/token.js'
import { client, credential, unique } from './records.js'

/** The issuer, and realm of every challenge, of these tests. */
export const OAUTH_BASE_URL = 'https://utility.example.com'
/** A scope like the demo code scope but for public clients (`none`). */
export const PUBLIC_SCOPE = 'demo_public_usage'
/** The redirect URI the seeded code clients register besides the default. */
export const CLIENT_REDIRECT = 'https://client.example/cb'

/** The demo configuration plus a public-client scope. */
export function oauthConfig(): ServerConfig {
  const config = defaultConfig(OAUTH_BASE_URL)
  const code = config.oauth.scope_descriptions[DEMO_CODE_SCOPE]!
  config.oauth.scope_descriptions[PUBLIC_SCOPE] = {
    ...code,
    id: PUBLIC_SCOPE,
    type: PUBLIC_SCOPE,
    token_endpoint_auth_methods_supported: ['none'],
    authorization_details_types_supported: [PUBLIC_SCOPE],
    authorization_details_fields_supported: code.authorization_details_fields_supported.map((f) => ({ ...f, for_types: [PUBLIC_SCOPE] })),
  }
  return config
}

/** The app, its store and clock. */
export interface OAuthApp {
  app: FastifyInstance
  store: AuthStore
  clock: ManualClock
  config: ServerConfig
}

/** Builds and readies the app on a migrated database. */
export async function buildOAuthApp(db: Kysely<Database>): Promise<OAuthApp> {
  const config = oauthConfig()
  const store = new KyselyAuthStore(db)
  const clock = manualClock('2025-01-01T00:00:00Z')
  const app = Fastify({ schemaController })
  await app.register(errorHandlerPlugin, { realm: OAUTH_BASE_URL })
  await app.register(requestBodyPlugin)
  await app.register(decimalJsonPlugin)
  await app.register(schemasPlugin)
  await app.register(openApiPlugin, { title: 'test', version: '1.0.0' })
  await app.register(tokenPlugin, { store, clock, config, grants: kyselyGrantLookup(db) })
  await app.register(introspectionPlugin, { store, clock, config })
  await app.register(revocationPlugin, { store, clock, config })
  await app.ready()
  return { app, store, clock, config }
}

/** A seeded Client object and how it authenticates. */
export interface Seeded {
  client: ClientRecord
  credential_id: string | null
  /** The `Authorization` header, or `undefined` for a public client. */
  authorization: string | undefined
}

/** Kinds of Client object a registration creates (CDS-WG1-02 §4.2). */
export type SeedKind = 'admin' | 'grant_admin' | 'code' | 'public' | 'direct'

const KINDS: Record<SeedKind, Partial<ClientRecord>> = {
  admin: {},
  grant_admin: { scope: DEMO_GRANT_ADMIN_SCOPE, authorization_details_types: [DEMO_GRANT_ADMIN_SCOPE], cds_status_options: ['production', 'disabled'] },
  code: {
    scope: DEMO_CODE_SCOPE,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${OAUTH_BASE_URL}/oauth/receipt`, CLIENT_REDIRECT],
    cds_default_redirect_uri: `${OAUTH_BASE_URL}/oauth/receipt`,
    authorization_details_types: [DEMO_CODE_SCOPE],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
  },
  public: {
    scope: PUBLIC_SCOPE,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [CLIENT_REDIRECT],
    cds_default_redirect_uri: CLIENT_REDIRECT,
    authorization_details_types: [PUBLIC_SCOPE],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
  },
  direct: { scope: DEMO_DIRECT_SCOPE, authorization_details_types: [DEMO_DIRECT_SCOPE], cds_status_options: ['production', 'disabled'] },
}

/** `Authorization: Basic …` for a client id and secret. */
export function basic(client_id: string, client_secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64')}`
}

/** Stores a Client object of a kind, with a never-expiring Credential unless it is public. */
export async function seedClient(store: AuthStore, kind: SeedKind, overrides: Partial<ClientRecord> = {}): Promise<Seeded> {
  const record = client({ client_id: unique(kind), ...KINDS[kind], ...overrides })
  await store.clients.insert(record)
  if (record.token_endpoint_auth_method === 'none') return { client: record, credential_id: null, authorization: undefined }
  const secret = randomOpaqueValue()
  const stored = credential(record.client_id, { client_secret_hash: hashSecret(secret) })
  await store.credentials.insert(stored)
  return { client: record, credential_id: stored.credential_id, authorization: basic(record.client_id, secret) }
}

/** Stores a Grant row with the fields the token machinery reads. */
export async function seedGrant(
  db: Kysely<Database>,
  fields: { grant_id?: string; client_id: string; status?: GrantStatus; scope?: string; enabled_scope?: string; enabled_authorization_details?: AuthorizationDetail[] },
): Promise<string> {
  const grant_id = fields.grant_id ?? unique('grant')
  const scope = fields.scope ?? DEMO_CODE_SCOPE
  await db
    .insertInto('grants')
    .values({
      grant_id,
      parent: null,
      created: '2025-01-01T00:00:00Z',
      modified: '2025-01-01T00:00:00Z',
      not_before: null,
      not_after: null,
      eta: null,
      expires: null,
      status: fields.status ?? 'active',
      client_id: fields.client_id,
      scope,
      authorization_details: toJsonText([]),
      receipt_confirmations: toJsonText([]),
      enabled_scope: fields.enabled_scope ?? scope,
      enabled_authorization_details: toJsonText(fields.enabled_authorization_details ?? []),
    })
    .execute()
  return grant_id
}

/** Stores an authorization code for a client with an S256 challenge; returns the code and verifier. */
export async function seedCode(
  store: AuthStore,
  clock: ManualClock,
  owner: ClientRecord,
  overrides: Partial<AuthorizationCodeRecord> = {},
): Promise<{ code: string; code_verifier: string; record: AuthorizationCodeRecord }> {
  const code = randomOpaqueValue()
  const code_verifier = randomOpaqueValue()
  const record: AuthorizationCodeRecord = {
    code_hash: hashSecret(code),
    client_id: owner.client_id,
    redirect_uri: CLIENT_REDIRECT,
    code_challenge: codeChallengeS256(code_verifier),
    code_challenge_method: 'S256',
    scope: owner.scope,
    authorization_details: [{ type: owner.scope, start_date: '2024-01-01' }],
    grant_id: null,
    created: clock.now(),
    expires_at: addSeconds(clock.now(), 60),
    used_at: null,
    ...overrides,
  }
  await store.codes.insert(record)
  return { code, code_verifier, record }
}

/** A form body. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

/** Headers of a form POST, with client authentication when given. */
export function formHeaders(authorization?: string): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', ...(authorization === undefined ? {} : { authorization }) }
}
