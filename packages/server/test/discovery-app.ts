/**
 * A small app for the discovery tests: the shared schema, decimal-JSON and error plugins, then the
 * CDS-WG1-01 and CDS-WG1-02 discovery routes, all on one configuration.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { ServerConfig } from '../src/config/config-schema.js'
import { defaultConfig } from '../src/config/defaults.js'
import { decimalJsonPlugin } from '../src/shared/decimal-json.js'
import { errorHandlerPlugin } from '../src/shared/error-handler.js'
import { schemaController, schemasPlugin } from '../src/shared/schemas.js'
import { coveragePlugin } from '../src/wg1-01/coverage/list-coverage.js'
import { serverMetadataPlugin } from '../src/wg1-01/metadata/get-server-metadata.js'
import { migrationRedirectPlugin } from '../src/wg1-01/metadata/migration-redirect.js'
import { authorizationServerMetadataPlugin } from '../src/wg1-02/oauth/get-authorization-server-metadata.js'

/** The issuer the discovery tests publish. */
export const TEST_BASE_URL = 'https://utility.example.com'

/** The demo configuration on {@link TEST_BASE_URL}, as `loadConfig` would return it. */
export function testConfig(): ServerConfig {
  return defaultConfig(TEST_BASE_URL)
}

/** Builds and readies the app; `pageSize` is the coverage page size. */
export async function buildDiscoveryApp(config: ServerConfig = testConfig(), pageSize?: number): Promise<FastifyInstance> {
  const app = Fastify({ schemaController })
  await app.register(errorHandlerPlugin)
  await app.register(schemasPlugin)
  await app.register(decimalJsonPlugin)
  await app.register(serverMetadataPlugin, { config })
  await app.register(migrationRedirectPlugin, { config })
  await app.register(coveragePlugin, pageSize === undefined ? { config } : { config, pageSize })
  await app.register(authorizationServerMetadataPlugin, { config })
  await app.ready()
  return app
}
