/**
 * The reference server's application: the `@cds-ts/server` endpoints plus a landing document
 * that lists where things are, so the base URL a person opens is not a 404.
 *
 * @module
 */
import { buildServer, type ServerOptions } from '../app.js'
import { ENDPOINT_PATHS } from '../config/endpoints.js'
import type { FastifyInstance } from 'fastify'

/** The documents the landing page and the start-up banner point to. */
export const LANDING_LINKS = {
  metadata: ENDPOINT_PATHS.cds_server_metadata,
  oauth: ENDPOINT_PATHS.oauth_authorization_server,
  register: ENDPOINT_PATHS.registration,
  coverage: ENDPOINT_PATHS.coverage,
  openapi: '/openapi.json',
  health: '/health',
  // CDS-WG3-01 §9: where a person logs in as a demo customer, the accounts to use, and the mail the server sent.
  test_accounts: ENDPOINT_PATHS.test_accounts,
  customer_login: '/login',
  outbox: '/dev/outbox',
} as const

/** Builds the reference server application. */
export async function buildReferenceApp(options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = await buildServer(options)
  app.get('/', async (request) => {
    const base = `${request.protocol}://${request.host}`
    return {
      name: 'cds-ts reference server',
      description: 'Demo utility implementing the LF Energy Connected Data Specifications (CDS-WG1-01, CDS-WG1-02, CDS-WG3-01)',
      links: Object.fromEntries(Object.entries(LANDING_LINKS).map(([name, path]) => [name, `${base}${path}`])),
    }
  })
  return app
}

