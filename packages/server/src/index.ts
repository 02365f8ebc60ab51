/**
 * `@cds-ts/server`: Fastify 5 plugins for the endpoints of CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01.
 *
 * @packageDocumentation
 */
export { buildServer } from './app.js'
export type { ServerOptions } from './app.js'
export { healthPlugin } from './shared/health.js'
export type { HealthResponse } from './shared/health.js'
