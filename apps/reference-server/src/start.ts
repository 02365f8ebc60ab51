/**
 * Starts a server built by `build` and returns the URLs a person needs.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { LANDING_LINKS } from './app.js'

/** Options of {@link startReferenceServer}. */
export interface StartOptions {
  host: string
  port: number
  /** The public base URL (issuer); the URLs printed are built on it. */
  baseUrl?: string
  build: () => Promise<FastifyInstance>
}

/** A running reference server. */
export interface RunningServer {
  app: FastifyInstance
  /** Named URLs to print: the base URL, the discovery documents, OpenAPI and the health check. */
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
  return { app, urls, close: () => app.close() }
}
