/**
 * `GET /.well-known/cds-server-metadata.json`: the CDS Server Metadata object, the entry point
 * from which a Client discovers the coverage endpoint and the OAuth Authorization Server
 * Metadata (CDS-WG1-01 §3, §3.1; CDS-WG1-02 §3.1).
 *
 * @module
 */
import { ServerMetadata, type ServerCapability } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import type { ConfigPluginOptions, ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS, endpointUrl } from '../../config/endpoints.js'
import { CACHEABLE_JSON_ROUTE, NOT_MODIFIED_RESPONSE, prepareJson, sendCacheableJson } from '../../shared/etag.js'
import { ref } from '../../shared/schemas.js'

/**
 * Builds the CDS Server Metadata object from the configuration.
 *
 * - `capabilities` lists `coverage` when there are coverage entries, followed by the union of
 *   their capabilities (R1-01-3.2-07), and always `oauth` (CDS-WG1-02 §3.1, R1-02-3.1-03).
 * - `coverage` and `oauth_metadata` are the URLs of this server's endpoints.
 *
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.1 Metadata URL
 */
export function buildServerMetadata(config: ServerConfig): ServerMetadata {
  const capabilities: ServerCapability[] = []
  const add = (capability: ServerCapability) => {
    if (!capabilities.includes(capability)) capabilities.push(capability)
  }
  const hasCoverage = config.coverage_entries.length > 0
  if (hasCoverage) {
    add('coverage')
    // CDS-WG1-01 §3.2 (R1-01-3.2-07): with `coverage`, the list includes every capability of the entries.
    for (const entry of config.coverage_entries) entry.capabilities.forEach(add)
  }
  // CDS-WG1-02 §3.1 (R1-02-3.1-03): a Client Registration server lists `oauth`.
  add('oauth')
  const { metadata } = config
  return {
    // CDS-WG1-01 §3.2 (R1-01-3.2-02): this draft's version string.
    cds_metadata_version: 'v1',
    // CDS-WG1-01 §3.2 (R1-01-3.2-03): the canonical URL, i.e. the well-known URL on this host.
    cds_metadata_url: endpointUrl(config.base_url, 'cds_server_metadata'),
    created: metadata.created,
    updated: metadata.updated,
    name: metadata.name,
    description: metadata.description,
    website: metadata.website,
    documentation: metadata.documentation,
    support: metadata.support,
    capabilities,
    // CDS-WG1-01 §3.2 (R1-01-3.2-08): `coverage` is present exactly when the capability is.
    ...(hasCoverage ? { coverage: endpointUrl(config.base_url, 'coverage') } : {}),
    // CDS-WG1-02 §3.1 (R1-02-3.1-04): the URL of the Authorization Server Metadata.
    oauth_metadata: endpointUrl(config.base_url, 'oauth_authorization_server'),
    ...(metadata.related_metadata === undefined ? {} : { related_metadata: metadata.related_metadata }),
  }
}


/**
 * Registers `GET /.well-known/cds-server-metadata.json`. The document is built once, at
 * registration, and sent with a strong ETag, `Cache-Control: public, max-age=300`, and 304 for
 * a matching `If-None-Match`. No authentication is asked for (CDS-WG1-01 §8.1, R1-01-8.1-02).
 *
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 */
export const serverMetadataPlugin: FastifyPluginAsync<ConfigPluginOptions> = async (app, { config }) => {
  const document = prepareJson(buildServerMetadata(config))
  app.get(
    // CDS-WG1-01 §3.1 (R1-01-3.1-01): public metadata lives at this well-known path.
    ENDPOINT_PATHS.cds_server_metadata,
    {
      ...CACHEABLE_JSON_ROUTE,
      schema: {
        operationId: 'getServerMetadata',
        tags: ['CDS-WG1-01 Server Metadata'],
        summary: 'Metadata Well-Known URI',
        description: 'The CDS Server Metadata object (CDS-WG1-01 §3.2) with the `oauth_metadata` of CDS-WG1-02 §3.1.',
        response: { 200: ref(ServerMetadata), 304: NOT_MODIFIED_RESPONSE },
      },
    },
    // CDS-WG1-01 §3 (R1-01-3-02, -03): 200 with the object, or 304 for a matching conditional request.
    async (request, reply) => sendCacheableJson(request, reply, document),
  )
}
