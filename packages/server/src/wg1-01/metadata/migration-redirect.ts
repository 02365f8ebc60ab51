/**
 * `GET /.well-known/carbon-data-spec.json`: the well-known path of the Carbon Data
 * Specification (CDSC), the former name of CDS. It answers with the CDS-WG1-01 §5 migration
 * redirect to the CDS Server Metadata, so Clients that still use the old path find the new one.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { ConfigPluginOptions } from '../../config/config-schema.js'
import { ENDPOINT_PATHS, endpointUrl } from '../../config/endpoints.js'

/**
 * How long a client or cache may reuse the redirect: one day. The move is permanent (301), so
 * a long lifetime is safe; one day still lets an operator correct a wrong target quickly.
 */
export const MIGRATION_REDIRECT_MAX_AGE = 86_400

/**
 * Registers the old CDSC well-known path with a `301 Moved Permanently` whose `Location` is the
 * absolute URL of `/.well-known/cds-server-metadata.json` on this server (A-54: 301, which
 * CDS-WG1-01 §5 allows beside 302).
 *
 * @see CDS-WG1-01 §5 Server Migration
 */
export const migrationRedirectPlugin: FastifyPluginAsync<ConfigPluginOptions> = async (app, { config }) => {
  const location = endpointUrl(config.base_url, 'cds_server_metadata')
  app.get(
    ENDPOINT_PATHS.carbon_data_spec,
    {
      schema: {
        operationId: 'getCarbonDataSpecRedirect',
        tags: ['CDS-WG1-01 Server Metadata'],
        summary: 'Server Migration',
        description: 'The former CDSC well-known path; redirects to the CDS Server Metadata (CDS-WG1-01 §5).',
        response: {
          301: {
            type: 'null',
            description: 'Moved Permanently: `Location` holds the URL of the CDS Server Metadata (CDS-WG1-01 §5).',
            headers: { location: { type: 'string', format: 'uri' } },
          },
        },
      },
    },
    async (_request, reply) =>
      // CDS-WG1-01 §5 (R1-01-5-03): 301 or 302, with the new metadata URL in Location.
      reply.code(301).header('location', location).header('cache-control', `public, max-age=${MIGRATION_REDIRECT_MAX_AGE}`).send(),
  )
}
