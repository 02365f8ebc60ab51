/**
 * `GET /.well-known/oauth-authorization-server`: the OAuth Authorization Server Metadata
 * (RFC 8414 §3) with the CDS members and rules of CDS-WG1-02 §3.2. The CDS Server Metadata's
 * `oauth_metadata` points here, and the path is also RFC 8414's default well-known URI for an
 * issuer without a path, which CDS-WG1-02 §3.1 allows.
 *
 * @module
 */
import { AuthorizationServerMetadata } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import type { ConfigPluginOptions, ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS, endpointUrl } from '../../config/endpoints.js'
import { CACHEABLE_JSON_ROUTE, NOT_MODIFIED_RESPONSE, prepareJson, sendCacheableJson } from '../../shared/etag.js'
import { ref } from '../../shared/schemas.js'
import { customerDataMetadata } from '../../wg3-01/data/metadata.js'
import { computeMetadataUnions } from './compute-metadata-unions.js'

/**
 * Builds the Authorization Server Metadata from the configuration. Endpoint URLs are `base_url`
 * plus the paths of `ENDPOINT_PATHS`; the unions come from {@link computeMetadataUnions}; the
 * conditional members are present exactly when their condition holds:
 *
 * - `authorization_endpoint`, `pushed_authorization_request_endpoint`, `cds_test_accounts`,
 *   `response_modes_supported` and `require_pushed_authorization_requests` when some scope
 *   offers a response type (user authorization);
 * - `cds_server_provided_files_api` when some scope is of type `cds_server_provided_files`;
 * - the Customer Data members of CDS-WG3-01 §5 (`wg3-01/data/metadata.ts`).
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 | RFC 8414 §2}
 */
export function buildAuthorizationServerMetadata(config: ServerConfig): AuthorizationServerMetadata {
  const url = (name: Parameters<typeof endpointUrl>[1]) => endpointUrl(config.base_url, name)
  const scopes = config.oauth.scope_descriptions
  const unions = computeMetadataUnions(scopes)
  const userAuthorization = unions.response_types_supported.length > 0
  const hasFilesScope = Object.values(scopes).some((scope) => scope.type === 'cds_server_provided_files')
  // revocation takes the token endpoint's methods (a public client revokes its own tokens);
  // introspection is for confidential clients only.
  const revocationMethods = unions.token_endpoint_auth_methods_supported.filter((m) => m === 'client_secret_basic' || m === 'none')
  return {
    // RFC 8414 §2 (R1-02-3.2-29): the issuer is the base URL, an https URL without query or fragment.
    issuer: config.base_url,
    // RFC 8414 §2 and CDS-WG1-02 §3.2 (R1-02-3.2-29): an authorization endpoint when user authorization is offered.
    ...(userAuthorization ? { authorization_endpoint: url('authorization') } : {}),
    token_endpoint: url('token'),
    // CDS-WG1-02 §3.2 (R1-02-3.2-01): the registration endpoint is required in the public metadata.
    registration_endpoint: url('registration'),
    scopes_supported: unions.scopes_supported,
    // A-40: an empty list is published as [] (CDS wins over RFC 8414's omission rule).
    response_types_supported: unions.response_types_supported,
    // RFC 8414 §2: CDS returns authorization responses in the query only.
    ...(userAuthorization ? { response_modes_supported: ['query'] } : {}),
    grant_types_supported: unions.grant_types_supported,
    token_endpoint_auth_methods_supported: unions.token_endpoint_auth_methods_supported,
    // CDS-WG1-02 §3.2 (R1-02-3.2-04, -05, -06): documentation, policy and terms are required.
    service_documentation: config.oauth.service_documentation,
    op_policy_uri: config.oauth.op_policy_uri,
    op_tos_uri: config.oauth.op_tos_uri,
    // CDS-WG1-02 §3.2 (R1-02-3.2-07, -08): revocation (RFC 7009) and introspection (RFC 7662) are required.
    revocation_endpoint: url('revocation'),
    revocation_endpoint_auth_methods_supported: revocationMethods,
    introspection_endpoint: url('introspection'),
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: unions.code_challenge_methods_supported,
    authorization_details_types_supported: unions.authorization_details_types_supported,
    // CDS-WG1-02 §3.2 (R1-02-3.2-11): PAR (RFC 9126) whenever user authorization is offered.
    ...(userAuthorization
      ? {
          pushed_authorization_request_endpoint: url('pushed_authorization_request'),
          require_pushed_authorization_requests: config.oauth.require_pushed_authorization_requests ?? false,
        }
      : {}),
    // CDS-WG1-02 §3.2 (R1-02-3.2-15): this draft's version string.
    cds_oauth_version: 'v1',
    cds_human_registration: url('human_registration'),
    // CDS-WG1-02 §3.2 (R1-02-3.2-17): the IANA zone relative dates are resolved in.
    cds_timezone: config.oauth.timezone,
    // CDS-WG1-02 §3.2 (R1-02-3.2-18 to -21): the four CDS APIs.
    cds_clients_api: url('clients_api'),
    cds_messages_api: url('messages_api'),
    cds_credentials_api: url('credentials_api'),
    cds_grants_api: url('grants_api'),
    // CDS-WG1-02 §3.2 (R1-02-3.2-22): the files API when a files scope exists.
    ...(hasFilesScope ? { cds_server_provided_files_api: url('server_provided_files_api') } : {}),
    // CDS-WG1-02 §3.2 (R1-02-3.2-23): test accounts whenever user authorization is offered.
    ...(userAuthorization ? { cds_test_accounts: url('test_accounts') } : {}),
    // CDS-WG1-02 §3.2 (R1-02-3.2-24, -25): the maps, keyed by id (checked at start-up).
    cds_scope_descriptions: scopes,
    cds_registration_fields: config.oauth.registration_fields,
    // CDS-WG3-01 §5: the Customer Data version, listing URLs and reference maps.
    ...customerDataMetadata(config, scopes),
  }
}


/**
 * Registers `GET /.well-known/oauth-authorization-server`. The document is built once, at
 * registration, and sent with a strong ETag, `Cache-Control: public, max-age=300`, and 304 for
 * a matching `If-None-Match`.
 *
 * @see CDS-WG1-02 §3.1 Metadata URL
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-3 | RFC 8414 §3}
 */
export const authorizationServerMetadataPlugin: FastifyPluginAsync<ConfigPluginOptions> = async (app, { config }) => {
  const document = prepareJson(buildAuthorizationServerMetadata(config))
  app.get(
    // RFC 8414 §3 / CDS-WG1-02 §3.1 (R1-02-3.1-05): the default well-known URI of an issuer without a path.
    ENDPOINT_PATHS.oauth_authorization_server,
    {
      ...CACHEABLE_JSON_ROUTE,
      schema: {
        operationId: 'getAuthorizationServerMetadata',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Authorization Server Metadata',
        description: 'RFC 8414 Authorization Server Metadata with the CDS members of CDS-WG1-02 §3.2.',
        response: { 200: ref(AuthorizationServerMetadata), 304: NOT_MODIFIED_RESPONSE },
      },
    },
    // RFC 8414 §3.2: 200 with the JSON object; 304 for a matching conditional request.
    async (request, reply) => sendCacheableJson(request, reply, document),
  )
}
