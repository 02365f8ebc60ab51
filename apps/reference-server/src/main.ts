#!/usr/bin/env node
/**
 * Starts the cds-ts reference server and prints its URLs.
 *
 * Environment: `HOST` (default 127.0.0.1), `PORT` (default 8080), `CDS_BASE_URL` (default
 * `http://HOST:PORT`), `CDS_DATABASE_URL` (default the PGlite data directory `.cds-data/pglite`;
 * `memory:` or a `postgres://` URL), `CDS_CONFIG` (a JSON configuration file), `CDS_SECRET_KEY` (the
 * key that seals Credential secrets; when unset with a PGlite directory, it is kept in
 * `<data dir>.secret-key`, see `secret-key-file.ts`), `CDS_OPERATOR_TOKEN`, `CDS_DEMO_DATA` (`customers,years,seed`; default
 * 12 customers × 1 year, see `demo-data.ts`), `LOG_LEVEL`.
 */
import { ConfigError, loadConfig } from '@cds-ts/server'
import { buildReferenceApp } from './app.js'
import { DEMO_LOGIN_HINT, withDefaultDemoData } from './demo-data.js'
import { withPersistentSecretKey } from './secret-key-file.js'
import { startReferenceServer } from './start.js'

try {
  // CDS-WG1-02 §7.1: secrets sealed for the Credentials API must still open after a restart.
  // CDS-WG3-01 §10: a small generated demo data set unless CDS_DEMO_DATA or a configuration file decides.
  const config = withDefaultDemoData(await withPersistentSecretKey(await loadConfig()), process.env, process.env.CDS_CONFIG !== undefined)
  const { urls, close } = await startReferenceServer({
    host: config.host,
    port: config.port,
    baseUrl: config.base_url,
    build: () => buildReferenceApp({ config, logger: { level: process.env.LOG_LEVEL ?? 'warn' } }),
    operator: config.operator.token !== undefined,
  })
  const storage = config.database_url.startsWith('postgres') ? 'PostgreSQL' : config.database_url === 'memory:' ? 'PGlite in memory' : `PGlite in ${config.database_url}`
  const width = Math.max(...Object.keys(urls).map((name) => name.length))
  process.stdout.write(
    `cds-ts reference server listening (storage: ${storage})\n${Object.entries(urls)
      .map(([name, url]) => `  ${name.padEnd(width)} ${url}`)
      .join('\n')}\n${
      urls.operator === undefined
        ? 'Operator API off (set CDS_OPERATOR_TOKEN to turn it on).\n'
        : `Operator API on: cds admin messages --url ${config.base_url} --token "$CDS_OPERATOR_TOKEN"\n`
    }${config.customer_data.demo_data !== null && config.customer_data.demo_data.customers > 0 ? `Demo data: ${DEMO_LOGIN_HINT}\n` : ''}Press Ctrl+C to stop.\n`,
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
