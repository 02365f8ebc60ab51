/**
 * The whole server (`buildServer`) on one test database, for the client management API tests
 * (CDS-WG1-02 §5–§9), with helpers that register a client, get tokens and call the APIs the way
 * a Client does: over `inject`, with Basic and Bearer headers.
 */
import { AutoApprove, manualClock, type CustomerAuthorization, type ManualClock } from '@cds-ts/auth'
import type { ClientRegistrationResponse } from '@cds-ts/schema'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildServer } from '../src/app.js'
import type { ServerConfig } from '../src/config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_FILES_SCOPE, defaultConfig } from '../src/config/defaults.js'
import type { DatabaseHandle } from '../src/db/dialects.js'

/** The issuer of these tests. */
export const API_BASE_URL = 'https://utility.example.com'
/** The operator API token of these tests. */
export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789abcdef'
/** A fixed secret-sealing key (32 bytes, base64url). */
export const TEST_SECRET_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
/** Every demo scope: client admin, code, direct access and files (their Grant Admin scope comes along). */
export const ALL_SCOPES = `cds_client_admin ${DEMO_CODE_SCOPE} ${DEMO_DIRECT_SCOPE} ${DEMO_FILES_SCOPE}`

/** The app with its configuration and clock. */
export interface ApiApp {
  app: FastifyInstance
  config: ServerConfig
  clock: ManualClock
}

/** The demo configuration with the operator API on and a fixed sealing key. */
export function apiConfig(): ServerConfig {
  const config = defaultConfig(API_BASE_URL)
  config.operator.token = OPERATOR_TOKEN
  config.client_management.secret_key = TEST_SECRET_KEY
  return config
}

/**
 * Builds and readies the server on an open (migrated) test database; `adjust` may edit the
 * configuration first. The authorization endpoint approves at once as `demo-customer` unless
 * `customerAuthorization` is `null` (the interactive flow of CDS-WG3-01 §9.1) or another stand-in.
 */
export async function buildApiApp(
  database: DatabaseHandle,
  adjust?: (config: ServerConfig) => void,
  customerAuthorization: CustomerAuthorization | null = new AutoApprove('demo-customer'),
): Promise<ApiApp> {
  const config = apiConfig()
  adjust?.(config)
  const clock = manualClock('2025-01-01T00:00:00Z')
  const app = await buildServer({ config, database, clock, ...(customerAuthorization === null ? {} : { customerAuthorization }) })
  await app.ready()
  return { app, config, clock }
}

/** `Authorization: Basic …` for a client_id and secret (both URL-safe, A-38). */
export function basic(client_id: string, client_secret: string): string {
  return `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`
}

/** `Authorization: Bearer …`. */
export function bearer(token: string): string {
  return `Bearer ${token}`
}

/** A registration as a Client sees it: the admin Client object with its secret, and a CA token. */
export interface TestRegistration {
  admin: ClientRegistrationResponse
  /** A `cds_client_admin` access token of the admin Client object. */
  adminToken: string
}

/**
 * Registers through `POST /oauth/register` (scopes default to {@link ALL_SCOPES}) and gets a
 * `cds_client_admin` token for the new admin Client object.
 */
export async function register(app: FastifyInstance, scope: string = ALL_SCOPES, extra: Record<string, unknown> = {}): Promise<TestRegistration> {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth/register',
    payload: { scope, client_name: 'Test Client', contacts: ['ops@client.example'], cds_company_name: 'Acme Energy', ...extra },
  })
  if (response.statusCode !== 201) throw new Error(`registration failed: ${response.statusCode} ${response.body}`)
  const admin = response.json<ClientRegistrationResponse>()
  const adminToken = await clientCredentialsToken(app, admin.client_id, admin.client_secret, 'cds_client_admin')
  return { admin, adminToken }
}

/** A `client_credentials` access token; throws with the response when the server refuses. */
export async function clientCredentialsToken(
  app: FastifyInstance,
  client_id: string,
  client_secret: string,
  scope?: string,
  authorization_details?: unknown[],
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (scope !== undefined) form.set('scope', scope)
  if (authorization_details !== undefined) form.set('authorization_details', JSON.stringify(authorization_details))
  const response = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(client_id, client_secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  })
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.statusCode} ${response.body}`)
  return response.json<{ access_token: string }>().access_token
}

/** Calls an API path (or absolute URL on {@link API_BASE_URL}) with a bearer token. */
export async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  token: string | undefined,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  const path = url.startsWith(API_BASE_URL) ? url.slice(API_BASE_URL.length) : url
  return app.inject({
    method,
    url: path,
    headers: token === undefined ? {} : { authorization: bearer(token) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  })
}

/** Calls the operator API with the operator token. */
export async function operator(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return call(app, method, path, OPERATOR_TOKEN, payload)
}
