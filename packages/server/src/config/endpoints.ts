/**
 * The one list of the server's public paths. The discovery documents publish these as absolute
 * URLs under `base_url`, and the route plugins register the same paths, so the two cannot drift.
 *
 * @module
 */

/**
 * Path of every endpoint the discovery documents name.
 *
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const ENDPOINT_PATHS = Object.freeze({
  /** CDS-WG1-01 §3.1: the well-known CDS Server Metadata. */
  cds_server_metadata: '/.well-known/cds-server-metadata.json',
  /** CDS-WG1-01 §5: the old CDSC well-known path, answered with a migration redirect. */
  carbon_data_spec: '/.well-known/carbon-data-spec.json',
  /** CDS-WG1-01 §4: the coverage endpoint. */
  coverage: '/api/coverage',
  /** RFC 8414 §3 (CDS-WG1-02 §3.1 MAY): the Authorization Server Metadata. */
  oauth_authorization_server: '/.well-known/oauth-authorization-server',
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  registration: '/oauth/register',
  revocation: '/oauth/revoke',
  introspection: '/oauth/introspect',
  pushed_authorization_request: '/oauth/par',
  clients_api: '/api/clients',
  messages_api: '/api/messages',
  credentials_api: '/api/credentials',
  grants_api: '/api/grants',
  server_provided_files_api: '/api/files',
  test_accounts: '/test-accounts',
  human_registration: '/register',
} as const)

/** The name of one path in {@link ENDPOINT_PATHS}. */
export type EndpointName = keyof typeof ENDPOINT_PATHS

/**
 * The absolute URL of an endpoint: `base_url` (an origin, no trailing slash) plus its path.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export function endpointUrl(baseUrl: string, name: EndpointName): string {
  return `${baseUrl}${ENDPOINT_PATHS[name]}`
}
