/**
 * The reference server on a real socket for the suite's own tests: PGlite in memory, the
 * operator test API on, a small demo data set, and the demo customers of the test accounts page.
 * `configure` may change the configuration first (the deliberately broken servers do).
 */
import { buildServer, loadConfig, type ServerConfig } from '@cds-ts/server'
import type { FastifyInstance } from 'fastify'
import { createServer, type AddressInfo } from 'node:net'
import type { ConformanceOptions } from '../src/index.js'

/** The operator token of the test server. */
export const OPERATOR_TOKEN = 'conformance-operator-token-0123456789abcdef'

/** The demo customers (CDS-WG3-01 §9, catalog F.0) with their documented passwords. */
export const TEST_CUSTOMERS = [
  { username: 'custa@example.com', password: 'demo-custa-password' },
  { username: 'custb@example.com', password: 'demo-custb-password' },
  { username: 'custc@example.com', password: 'demo-custc-password' },
  { username: 'custe@example.com', password: 'demo-custe-password' },
] as const

/** A running test server. */
export interface LiveServer {
  app: FastifyInstance
  baseUrl: string
  config: ServerConfig
  /** The options that give the suite everything this server offers. */
  options: ConformanceOptions
  close: () => Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Starts the reference server on 127.0.0.1. */
export async function startLiveServer(configure?: (config: ServerConfig) => void): Promise<LiveServer> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const config = await loadConfig({
    env: {
      PORT: String(port),
      CDS_BASE_URL: baseUrl,
      CDS_DATABASE_URL: 'memory:',
      CDS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CDS_SECRET_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
      CDS_DEMO_DATA: process.env.CDS_CONFORMANCE_DEMO_DATA ?? '2,1,conformance',
    },
  })
  configure?.(config)
  const app = await buildServer({ config, logger: false })
  await app.listen({ host: '127.0.0.1', port })
  return {
    app,
    baseUrl,
    config,
    options: {
      baseUrl,
      allowLoopbackHttp: true,
      operator: { token: OPERATOR_TOKEN },
      customers: TEST_CUSTOMERS,
      browser: { executablePath: '/usr/bin/chromium' },
    },
    close: () => app.close(),
  }
}
