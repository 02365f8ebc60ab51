/**
 * Builds the Fastify application that serves the CDS endpoints. Later work registers the
 * CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01 plugins here; for now it serves the health check.
 *
 * @module
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { healthPlugin } from './shared/health.js'

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Fastify logger setting; default `false` (the reference server turns it on). */
  logger?: FastifyServerOptions['logger']
}

/**
 * Creates the server without listening; call `listen()` or use `inject()` in tests.
 *
 * @example
 * ```ts
 * const app = await buildServer()
 * await app.listen({ host: '127.0.0.1', port: 8080 })
 * ```
 */
export async function buildServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: {
      // STYLE.md §2.3: reject unknown properties where a schema says so, instead of stripping them.
      customOptions: { removeAdditional: false },
    },
  })
  await app.register(healthPlugin)
  return app
}
