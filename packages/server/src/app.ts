/**
 * Builds the Fastify application that serves the CDS endpoints: the shared mechanisms first
 * (errors, bodies, decimals, schemas, OpenAPI, bearer auth), then the endpoints of
 * CDS-WG1-01 and CDS-WG1-02 over one database.
 *
 * @module
 */
import cookie from '@fastify/cookie'
import { createHash } from 'node:crypto'
import { lookupAccessToken, randomOpaqueValue, systemClock, type Clock, type CustomerAuthorization } from '@cds-ts/auth'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { ServerConfig } from './config/config-schema.js'
import { loadConfig } from './config/load-config.js'
import { createDatabase, type DatabaseHandle } from './db/dialects.js'
import { migrateToLatest } from './db/migrate.js'
import { KyselyAuthStore } from './db/oauth-store.js'
import { bearerAuthPlugin } from './shared/bearer-auth.js'
import { decimalJsonPlugin } from './shared/decimal-json.js'
import { errorHandlerPlugin } from './shared/error-handler.js'
import { healthPlugin } from './shared/health.js'
import { openApiPlugin } from './shared/openapi.js'
import { requestBodyPlugin } from './shared/request-body.js'
import { schemaController, schemasPlugin } from './shared/schemas.js'
import { coveragePlugin } from './wg1-01/coverage/list-coverage.js'
import { serverMetadataPlugin } from './wg1-01/metadata/get-server-metadata.js'
import { migrationRedirectPlugin } from './wg1-01/metadata/migration-redirect.js'
import { authorizationServerMetadataPlugin } from './wg1-02/oauth/get-authorization-server-metadata.js'
import { kyselyGrantLookup } from './wg1-02/oauth/grant-lookup.js'
import { directPreselectionCheck } from './wg3-01/data/direct-preselections.js'
import { introspectionPlugin } from './wg1-02/oauth/introspect.js'
import { parPlugin } from './wg1-02/oauth/par.js'
import { registerPlugin } from './wg1-02/oauth/register.js'
import { revocationPlugin } from './wg1-02/oauth/revoke.js'
import { tokenPlugin } from './wg1-02/oauth/token.js'
import { onRegistered } from './wg1-02/oauth/on-registered.js'
import { clientsPlugin } from './wg1-02/clients/index.js'
import { credentialsPlugin } from './wg1-02/credentials/index.js'
import { grantsPlugin } from './wg1-02/grants/index.js'
import { messagesPlugin } from './wg1-02/messages/index.js'
import { serverProvidedFilesPlugin } from './wg1-02/server-provided-files/index.js'
import { operatorPlugin } from './operator/index.js'
import { pagesPlugin } from './pages/index.js'
import { seedDemoCustomers } from './customers/demo-customers.js'
import { seedDemoCustomerData } from './demo-data/seed.js'
import { customerDataPlugin } from './wg3-01/data/index.js'

// CDS-WG1-02 §6.9 lets attachments reach several megabytes.
const BODY_LIMIT = 16 * 1024 * 1024

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The configuration; default {@link loadConfig} from the environment (`CDS_CONFIG`, `PORT`, …). */
  config?: ServerConfig
  /** An open database; default one opened (and migrated, and closed with the app) from `config.database_url`. */
  database?: DatabaseHandle
  /** The clock of every expiry; default the system clock. */
  clock?: Clock
  /**
   * A stand-in for the customer at the authorization endpoint (e.g. `AutoApprove` in tests of the
   * OAuth machinery). Default: the customer logs in and approves on the Authorization Form
   * (CDS-WG3-01 §9).
   */
  customerAuthorization?: CustomerAuthorization
  /** Fastify logger setting; default `false` (the reference server turns it on). */
  logger?: FastifyServerOptions['logger']
}

/**
 * Creates the server without listening; call `listen()` or use `inject()` in tests.
 *
 * @example
 * ```ts
 * const app = await buildServer({ config: await loadConfig() })
 * await app.listen({ host: '127.0.0.1', port: 8080 })
 * ```
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see CDS-WG1-02 §3 Authorization Server Metadata
 */
export async function buildServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const loaded = options.config ?? (await loadConfig())
  // CDS-WG1-02 §7.1 and CDS-WG3-01 §9.4: Credential secrets and receipt links are kept sealed; without a configured key,
  // one that lives as long as this process.
  const ephemeralKey = loaded.client_management.secret_key === undefined
  const config = ephemeralKey ? { ...loaded, client_management: { ...loaded.client_management, secret_key: randomOpaqueValue() } } : loaded
  const clock = options.clock ?? systemClock
  const database = options.database ?? (await createDatabase(config.database_url))
  if (options.database === undefined) await migrateToLatest(database.db)
  // CDS-WG1-02 §3.2 (`cds_test_accounts`): the documented test customers, added when missing.
  if (config.customer_authorization.demo_customers) await seedDemoCustomers(database.db, clock)
  // CDS-WG3-01 §10: the synthetic Customer Data set, when configured (`CDS_DEMO_DATA`).
  if (config.customer_data.demo_data !== null) await seedDemoCustomerData(database.db, clock, { ...config.customer_data.demo_data, timezone: config.oauth.timezone, base_url: config.base_url })
  const store = new KyselyAuthStore(database.db)

  const app = Fastify({ logger: options.logger ?? false, schemaController, bodyLimit: BODY_LIMIT })
  if (options.database === undefined) app.addHook('onClose', () => database.close())
  if (ephemeralKey) app.log.warn('client_management.secret_key is not set: Credential secrets and receipt links are sealed with a key for this process only and cannot be shown after a restart (set CDS_SECRET_KEY)')

  // Shared mechanisms, in the order they depend on each other (STYLE.md §2.8).
  await app.register(errorHandlerPlugin, { realm: config.base_url })
  await app.register(requestBodyPlugin)
  await app.register(decimalJsonPlugin)
  await app.register(schemasPlugin)
  await app.register(openApiPlugin, { title: config.metadata.name, version: '1.0.0', servers: [config.base_url] })
  await app.register(bearerAuthPlugin, { realm: config.base_url, clock, findToken: (token: string) => lookupAccessToken(token, { store, clock }) })

  await app.register(healthPlugin)
  // CDS-WG1-01: discovery and coverage.
  await app.register(serverMetadataPlugin, { config })
  await app.register(migrationRedirectPlugin, { config })
  await app.register(coveragePlugin, { config })
  // CDS-WG1-02 §3–§4 and the OAuth endpoints.
  await app.register(authorizationServerMetadataPlugin, { config })
  await app.register(registerPlugin, { config, store, clock, onRegistered: onRegistered({ config, clock }) })
  await app.register(tokenPlugin, { config, store, clock, grants: kyselyGrantLookup(database.db), checkPreselections: directPreselectionCheck(database.db, config) })
  await app.register(introspectionPlugin, { config, store, clock })
  await app.register(revocationPlugin, { config, store, clock })
  await app.register(parPlugin, { config, store, clock })
  const api = { config, db: database.db, store, clock }
  // CDS-WG3-01 §9: the authorization endpoint and every customer page, with their own security headers and CSRF protection.
  await app.register(cookie, { secret: cookieSecret(config) })
  await app.register(pagesPlugin, { ...api, customerAuthorization: options.customerAuthorization })
  // CDS-WG1-02 §5–§9: the client management APIs, each limited to the caller's registration.
  await app.register(clientsPlugin, api)
  await app.register(messagesPlugin, api)
  await app.register(credentialsPlugin, api)
  await app.register(grantsPlugin, api)
  await app.register(serverProvidedFilesPlugin, api)
  // CDS-WG3-01 §10: the Customer Data listings.
  await app.register(customerDataPlugin, api)
  // The operator side (issue 4): only when an operator token is configured.
  if (config.operator.token !== undefined) await app.register(operatorPlugin, api)
  return app
}

/**
 * The key that signs cookies (the CSRF secret cookie): derived from the sealing key, so it
 * survives restarts when that key is configured; random for this process otherwise.
 */
function cookieSecret(config: ServerConfig): string {
  const key = config.client_management.secret_key ?? randomOpaqueValue()
  return createHash('sha256').update(`cds-ts cookie signing\0${key}`).digest('base64url')
}
