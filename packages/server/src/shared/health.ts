/**
 * `GET /health`: a liveness probe for load balancers and the CLI. Not part of any CDS spec.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'

/** The health check response body. */
export interface HealthResponse {
  status: 'ok'
  /** Seconds since the process started. */
  uptime: number
}

/** Registers `GET /health`. */
export const healthPlugin: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Liveness probe',
        response: {
          200: {
            type: 'object',
            required: ['status', 'uptime'],
            properties: { status: { const: 'ok' }, uptime: { type: 'number' } },
          },
        },
      },
    },
    async (_request, reply): Promise<HealthResponse> => {
      void reply.header('cache-control', 'no-store')
      return { status: 'ok', uptime: Math.round(process.uptime()) }
    },
  )
}
