#!/usr/bin/env node
/**
 * Starts the cds-ts reference server and prints its URLs.
 *
 * Environment: `HOST` (default 127.0.0.1), `PORT` (default 8080), `CDS_BASE_URL` (default
 * `http://HOST:PORT`), `CDS_DATABASE_URL` (default the PGlite data directory `.cds-data/pglite`;
 * `memory:` or a `postgres://` URL), `CDS_CONFIG` (a JSON configuration file), `CDS_SECRET_KEY` (the
 * key that seals Credential secrets; when unset with a PGlite directory, it is kept in
 * `<data dir>.secret-key`), `CDS_OPERATOR_TOKEN`, `CDS_DEMO_DATA` (`customers,years,seed`; default
 * 12 customers × 1 year), `LOG_LEVEL`. `cds serve` starts the same server.
 */
import { ConfigError, serveReferenceServer } from '@cds-ts/server'

try {
  const { banner, close } = await serveReferenceServer({ logLevel: process.env.LOG_LEVEL ?? 'warn' })
  process.stdout.write(`${banner}Press Ctrl+C to stop.\n`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0))
    })
  }
} catch (error) {
  process.stderr.write(`could not start the reference server:\n${error instanceof ConfigError ? error.message : (error as Error).message}\n`)
  process.exit(1)
}
