/**
 * Starts a server built by `build` and returns the URLs a person needs.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { LANDING_LINKS } from './reference-app.js'

/** The operator API path reported at start: the outstanding Messages of every registration. */
export const OPERATOR_INBOX = '/operator/messages'

/** Options of {@link startReferenceServer}. */
export interface StartOptions {
  host: string
  port: number
  /** The public base URL (issuer); the URLs printed are built on it. */
  baseUrl?: string
  build: () => Promise<FastifyInstance>
  /** Whether the operator API is on (an operator token is configured); its URL is then reported too. */
  operator?: boolean
}

/** A running reference server. */
export interface RunningServer {
  app: FastifyInstance
  /** Named URLs to print: the base URL, the discovery documents, OpenAPI, the health check and, when on, the operator API. */
  urls: Record<string, string>
  close: () => Promise<void>
}

/** Builds, listens and reports the URLs. */
export async function startReferenceServer(options: StartOptions): Promise<RunningServer> {
  const app = await options.build()
  await app.listen({ host: options.host, port: options.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host
  const base = options.baseUrl ?? `http://${hostForUrl}:${port}`
  const urls: Record<string, string> = { base: `${base}/` }
  for (const [name, path] of Object.entries(LANDING_LINKS)) urls[name] = `${base}${path}`
  // The operator's inbox: outstanding Messages of every registration (needs the operator token).
  if (options.operator === true) urls.operator = `${base}${OPERATOR_INBOX}`
  return { app, urls, close: () => app.close() }
}
