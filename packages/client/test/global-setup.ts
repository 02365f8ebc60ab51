/**
 * Starts the reference server once for every live test file: PGlite in memory, the operator API
 * on, the demo customers and a small demo data set (`CDS_DEMO_DATA=2,1,seed`), listening on a
 * free port of 127.0.0.1. The test files reach it through `inject('cdsServer')`.
 */
import { createServer, type AddressInfo } from 'node:net'
import { buildServer, loadConfig } from '@cds-ts/server'
import type { TestProject } from 'vitest/node'

/** The operator token of the test server. */
export const OPERATOR_TOKEN = 'client-sdk-operator-token-0123456789abcdef'

/** What the live tests know about the server. */
export interface LiveServerInfo {
  baseUrl: string
  operatorToken: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    cdsServer: LiveServerInfo
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => {
        resolve(port)
      })
    })
  })
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const config = await loadConfig({
    env: {
      PORT: String(port),
      CDS_BASE_URL: baseUrl,
      CDS_DATABASE_URL: 'memory:',
      CDS_OPERATOR_TOKEN: OPERATOR_TOKEN,
      CDS_SECRET_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
      CDS_DEMO_DATA: '2,1,seed',
    },
  })
  const app = await buildServer({ config, logger: false })
  await app.listen({ host: '127.0.0.1', port })
  project.provide('cdsServer', { baseUrl, operatorToken: OPERATOR_TOKEN })
  return async () => {
    await app.close()
  }
}
