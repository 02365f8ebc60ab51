#!/usr/bin/env node
/**
 * Starts the cds-ts reference server and prints its URLs.
 *
 * Environment: `HOST` (default 127.0.0.1), `PORT` (default 8080), `CDS_BASE_URL` (default
 * `http://HOST:PORT`), `CDS_DATABASE_URL` (default the PGlite data directory `.cds-data/pglite`;
 * `memory:` or a `postgres://` URL), `CDS_CONFIG` (a JSON configuration file), `LOG_LEVEL`.
 */
import { ConfigError, loadConfig } from '@cds-ts/server'
import { buildReferenceApp } from './app.js'
import { startReferenceServer } from './start.js'

try {
  const config = await loadConfig()
  const { urls, close } = await startReferenceServer({
    host: config.host,
    port: config.port,
    baseUrl: config.base_url,
    build: () => buildReferenceApp({ config, logger: { level: process.env.LOG_LEVEL ?? 'warn' } }),
  })
  const storage = config.database_url.startsWith('postgres') ? 'PostgreSQL' : config.database_url === 'memory:' ? 'PGlite in memory' : `PGlite in ${config.database_url}`
  process.stdout.write(
    `cds-ts reference server listening (storage: ${storage})\n${Object.entries(urls)
      .map(([name, url]) => `  ${name.padEnd(9)} ${url}`)
      .join('\n')}\nPress Ctrl+C to stop.\n`,
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0))
    })
  }
} catch (error) {
  process.stderr.write(`could not start the reference server:\n${error instanceof ConfigError ? error.message : (error as Error).message}\n`)
  process.exit(1)
}
