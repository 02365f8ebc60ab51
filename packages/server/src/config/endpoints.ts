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
  // CDS-WG3-01 §10: the Customer Data listings (metadata fields of §5), and the bill files of §10.5.1.
  cds_accounts_api: '/api/accounts',
  cds_servicecontracts_api: '/api/servicecontracts',
  cds_servicepoints_api: '/api/servicepoints',
  cds_meterdevices_api: '/api/meterdevices',
  cds_billstatement_api: '/api/billstatements',
  cds_billsection_api: '/api/billsections',
  cds_aggregations_api: '/api/aggregations',
  cds_usagesegments_api: '/api/usagesegments',
  cds_eacs_api: '/api/eacs',
  bill_files: '/api/bill-files',
  // CDS-WG3-01 §10.9.1 and §10.7.3: the EAC data and Aggregation Region resources the objects link to.
  eac_data: '/api/eac-data',
  aggregation_regions: '/api/aggregation-regions',
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

/** The CDS-WG1-02 APIs whose objects each have their own URL under the API's path. */
export type ResourceApi = 'clients_api' | 'messages_api' | 'credentials_api' | 'grants_api' | 'server_provided_files_api'

/**
 * The URL of one object of an API: `cds_client_uri` (§5.1), a Message `uri` (§6.1), a Credential
 * `uri` (§7.1), a Grant `uri` (§8.1) or a Server-Provided File `uri` (§9.1), each unique per id.
 *
 * @example
 * ```ts
 * resourceUrl('https://utility.example.com', 'grants_api', 'g-1') // 'https://utility.example.com/api/grants/g-1'
 * ```
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export function resourceUrl(baseUrl: string, api: ResourceApi, id: string): string {
  return `${endpointUrl(baseUrl, api)}/${encodeURIComponent(id)}`
}

/**
 * The id in a URL written by {@link resourceUrl} for the same API, or `undefined` when the URL is
 * not one (another host, another API, a query or a deeper path). Clients send these URLs back
 * (`previous_uri`, `related_uri`), so they are read strictly.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export function resourceIdFromUrl(baseUrl: string, api: ResourceApi, url: string): string | undefined {
  const prefix = `${endpointUrl(baseUrl, api)}/`
  if (!url.startsWith(prefix)) return undefined
  const rest = url.slice(prefix.length)
  if (rest === '' || /[/?#]/.test(rest)) return undefined
  try {
    return decodeURIComponent(rest)
  } catch {
    return undefined
  }
}
