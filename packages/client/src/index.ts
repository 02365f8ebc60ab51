/**
 * `@cds-ts/client`: a typed, fetch-based SDK for CDS servers that runs in browsers and Node 20+.
 * Discovery (CDS-WG1-01 §3, CDS-WG1-02 §3), registration (CDS-WG1-02 §4), tokens with caching
 * and refresh, the customer's authorization with PAR, PKCE and RAR (CDS-WG3-01 §9.1), every
 * CDS-WG1-02 API (§5–§9) and every CDS-WG3-01 §10 API, typed errors, retries, lenient parsing
 * and exact decimals.
 *
 * @packageDocumentation
 */

// The high-level client.
export { CdsClient } from './client.js'
export type { CdsClientOptions, TokenSource } from './client.js'

// Errors (STYLE.md §2.4).
export { CDS_ERROR_CODES, CdsAuthorizationError, CdsError, CdsProtocolError, CdsResponseError } from './errors.js'
export type {
  CdsAuthorizationErrorCode,
  CdsErrorCode,
  CdsErrorCodeInfo,
  CdsProtocolErrorCode,
  CdsProtocolErrorInit,
  CdsResponseErrorCode,
  CdsResponseErrorInit,
} from './errors.js'

// Transport: options, retries, decimals, lenient bodies.
export type { FetchLike, HttpOptions } from './http.js'
export { DEFAULT_RETRY, parseRetryAfter } from './retry.js'
export type { RetryOptions } from './retry.js'
export { Decimal, parseJson, stringifyJson } from './decimal.js'
export type { Decoded } from './decimal.js'
export type { BodyContext, WarningHandler } from './lenient.js'

// CDS-WG1-01 §3 and CDS-WG1-02 §3: discovery.
export {
  SERVER_METADATA_PATH,
  authorizationServerMetadataRequest,
  discover,
  processAuthorizationServerMetadataResponse,
  processServerMetadataResponse,
  serverMetadataRequest,
  serverMetadataUrl,
} from './discovery.js'
export type { CdsAuthorizationServer, Discovery } from './discovery.js'

// CDS-WG1-02 §4: registration.
export { CLIENT_ADMIN_SCOPE, processRegistrationResponse, registrationRequest } from './registration.js'
export type { RegistrationMetadata, RegistrationOptions, RegistrationRequest } from './registration.js'

// RFC 6749 token endpoint, cache and refresh.
export {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  clientSecretBasic,
  processTokenResponse,
  refreshTokenGrantRequest,
  scopeString,
} from './token.js'
export type {
  AuthorizationCodeParameters,
  ClientCredentials,
  ClientCredentialsParameters,
  RefreshTokenParameters,
  ScopeInput,
  TokenEndpointMetadata,
  TokenEndpointResponse,
} from './token.js'
export { TokenCache, tokenKey } from './token-cache.js'
export type { TokenCacheOptions, TokenGrants, TokenRequestSpec, TokenSet } from './token-cache.js'

// RFC 7636, RFC 9126, RFC 9396 and the authorization code flow (CDS-WG3-01 §9.1).
export { calculateCodeChallenge, generateCodeVerifier, generateState } from './pkce.js'
export { processPushedAuthorizationResponse, pushedAuthorizationRequest } from './par.js'
export type { ParMetadata } from './par.js'
export { authorizationDetailsKey, grantAdminDetails, serializeAuthorizationDetails } from './rar.js'
export type { AuthorizationDetailsEntry } from './rar.js'
export { buildAuthorizationUrl, validateAuthorizationResponse } from './authorization.js'
export type { AuthorizationMetadata, AuthorizationResponse, AuthorizationUrlOptions, AuthorizationUrlRequest, PendingAuthorization } from './authorization.js'

// Listings and calls.
export { ListingEndpoint, followPages, listingUrl } from './pagination.js'
export type { DateFilter, DateTimeFilter, Extensible, ListFilter, ListingDefinition, ListingPage } from './pagination.js'
export type { CallOptions, TokenProvider } from './session.js'

// CDS-WG1-02 §5–§9.
export { ClientsApi } from './wg1-02/clients.js'
export type { ClientFilters, ClientModification, ClientRef } from './wg1-02/clients.js'
export { MessagesApi } from './wg1-02/messages.js'
export type { MessageFilters, MessageList, MessageRef } from './wg1-02/messages.js'
export { CredentialsApi } from './wg1-02/credentials.js'
export type { CredentialFilters, CredentialRef } from './wg1-02/credentials.js'
export { GrantsApi } from './wg1-02/grants.js'
export type { GrantFilters, GrantModification, GrantRef } from './wg1-02/grants.js'
export { ServerProvidedFilesApi } from './wg1-02/server-provided-files.js'
export type { ServerProvidedFileFilters } from './wg1-02/server-provided-files.js'

// CDS-WG3-01 §10.
export { CustomerDataApi } from './wg3-01/customer-data.js'
export type { CustomerDataApiMember } from './wg3-01/customer-data.js'
export { AccountsApi } from './wg3-01/accounts.js'
export type { AccountFilters } from './wg3-01/accounts.js'
export { ServiceContractsApi } from './wg3-01/service-contracts.js'
export type { ServiceContractFilters } from './wg3-01/service-contracts.js'
export { ServicePointsApi } from './wg3-01/service-points.js'
export type { ServicePointFilters } from './wg3-01/service-points.js'
export { MeterDevicesApi } from './wg3-01/meter-devices.js'
export type { MeterDeviceFilters } from './wg3-01/meter-devices.js'
export { BillStatementsApi } from './wg3-01/bill-statements.js'
export type { BillStatementFilters } from './wg3-01/bill-statements.js'
export { BillSectionsApi } from './wg3-01/bill-sections.js'
export type { BillSectionFilters } from './wg3-01/bill-sections.js'
export { AggregationsApi } from './wg3-01/aggregations.js'
export type { AggregationFilters } from './wg3-01/aggregations.js'
export { UsageSegmentsApi } from './wg3-01/usage-segments.js'
export type { UsageSegmentFilters } from './wg3-01/usage-segments.js'
export { EacsApi } from './wg3-01/eacs.js'
export type { EacFilters } from './wg3-01/eacs.js'
