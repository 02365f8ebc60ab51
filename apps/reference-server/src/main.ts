#!/usr/bin/env node
/**
 * Starts the cds-ts reference server on the embedded default and prints its URLs.
 *
 * Environment: `HOST` (default 127.0.0.1), `PORT` (default 8080; 0 picks a free port).
 */
import { buildReferenceApp } from './app.js'
import { startReferenceServer } from './start.js'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 8080)

try {
  const { urls, close } = await startReferenceServer({ host, port, build: () => buildReferenceApp({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } }) })
  process.stdout.write(`cds-ts reference server listening\n${Object.entries(urls).map(([name, url]) => `  ${name.padEnd(8)} ${url}`).join('\n')}\nPress Ctrl+C to stop.\n`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0))
    })
  }
} catch (error) {
  process.stderr.write(`could not start the reference server: ${(error as Error).message}\n`)
  process.exit(1)
}
