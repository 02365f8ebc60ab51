/**
 * Starts a server built by `build` and returns the URLs a person needs.
 *
 * @module
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** Options of {@link startReferenceServer}. */
export interface StartOptions {
  host: string
  port: number
  build: () => Promise<FastifyInstance>
}

/** A running reference server. */
export interface RunningServer {
  app: FastifyInstance
  /** Named URLs to print: the base URL and the health check, later the metadata documents. */
  urls: Record<string, string>
  close: () => Promise<void>
}

/** Builds, listens and reports the URLs. */
export async function startReferenceServer(options: StartOptions): Promise<RunningServer> {
  const app = await options.build()
  await app.listen({ host: options.host, port: options.port })
  const { port } = app.server.address() as AddressInfo
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host
  const base = `http://${hostForUrl}:${port}`
  return {
    app,
    urls: { base: `${base}/`, health: `${base}/health` },
    close: () => app.close(),
  }
}
