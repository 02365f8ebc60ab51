/**
 * `@cds-ts/server`: Fastify 5 plugins for the endpoints of CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01.
 *
 * @packageDocumentation
 */
export { buildServer } from './app.js'
export type { ServerOptions } from './app.js'
export { ConfigError, loadConfig } from './config/load-config.js'
export type { ConfigEnv, LoadConfigOptions } from './config/load-config.js'
export { ServerConfig } from './config/config-schema.js'
export { ENDPOINT_PATHS, endpointUrl } from './config/endpoints.js'
export { createDatabase } from './db/dialects.js'
export type { DatabaseHandle } from './db/dialects.js'
export { migrateToLatest, MigrationError } from './db/migrate.js'
export { KyselyAuthStore } from './db/oauth-store.js'
export { KyselyGrantStore } from './db/grant-store.js'
export type { Database } from './db/database.js'
export { healthPlugin } from './shared/health.js'
export type { HealthResponse } from './shared/health.js'
export { errorHandlerPlugin } from './shared/error-handler.js'
export { requestBodyPlugin } from './shared/request-body.js'
export { decimalJsonPlugin } from './shared/decimal-json.js'
export { ref, schemaController, schemasPlugin } from './shared/schemas.js'
export { openApiPlugin, routesMissingFromOpenApi } from './shared/openapi.js'
export { bearerAuthPlugin } from './shared/bearer-auth.js'
