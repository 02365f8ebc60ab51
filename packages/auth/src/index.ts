/**
 * `@cds-ts/auth`: the framework-free core of the CDS-WG1-02 OAuth 2.0 authorization server. Plain
 * inputs in, a typed result or an {@link OAuthError} out; storage behind {@link AuthStore}; time
 * through an injected {@link Clock}. Runs on Node.js only (it uses `node:crypto`).
 *
 * @see CDS-WG1-02 §3 Authorization Server Metadata
 * @packageDocumentation
 */

/** The CDS specification drafts this package version targets. */
export const TARGET_SPECS = ['CDS-WG1-01', 'CDS-WG1-02', 'CDS-WG3-01'] as const

// Errors (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 7591 §3.2.2, RFC 9396 §5, CDS-WG1-02 §8.3).
export {
  AccessDenied,
  CdsGrantIdInvalidUser,
  CdsGrantIdInvalidValue,
  Conflict,
  ContentTooLarge,
  InsufficientScope,
  InvalidAuthorizationDetails,
  InvalidClient,
  InvalidClientMetadata,
  InvalidGrant,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidScope,
  InvalidSoftwareStatement,
  InvalidToken,
  MethodNotAllowed,
  NoPreselections,
  NotFound,
  OAUTH_ERROR_CLASSES,
  OAUTH_ERROR_CODES,
  OAUTH_ERROR_STATUS,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  TooManyRequests,
  toErrorDescription,
  UnapprovedSoftwareStatement,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
  UnsupportedTokenType,
} from './errors.js'
export type { OAuthErrorClass, OAuthErrorCode, OAuthErrorOptions } from './errors.js'

// Random values, hashing, constant-time comparison, sealing secrets for display (CDS-WG1-02 §7.1).
export {
  codeChallengeS256,
  hashSecret,
  OPAQUE_VALUE_BYTES,
  openSecret,
  randomOpaqueValue,
  SEALED_SECRET_VERSION,
  sealSecret,
  timingSafeEqual,
  verifySecret,
} from './crypto.js'

// Clock.
export { addSeconds, fixedClock, fromEpochSeconds, isExpired, manualClock, nowSeconds, secondsUntil, systemClock, toDateTime, toEpochSeconds } from './clock.js'
export type { Clock, ManualClock } from './clock.js'

// PKCE (RFC 7636, CDS-WG1-02 §3.4).
export { CODE_CHALLENGE_METHODS_SUPPORTED, CODE_CHALLENGE_PATTERN, CODE_VERIFIER_PATTERN, checkCodeChallenge, verifyPkce } from './pkce.js'
export type { CheckCodeChallengeOptions, CodeChallenge, CodeChallengeParameters } from './pkce.js'

// Client authentication (RFC 6749 §2.3).
export { authenticateClient, basicChallenge, parseClientAuthentication } from './client-authentication.js'
export type {
  AuthenticateClientOptions,
  AuthenticatedClient,
  ClientAuthenticationMethod,
  ClientAuthenticationOptions,
  ClientAuthenticationRecord,
  ClientAuthenticationRequest,
  ClientCredentials,
} from './client-authentication.js'

// Storage interfaces.
export type {
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  AuthStore,
  ClientRecord,
  ClientStore,
  PurposeOrigin,
  Consumed,
  CredentialRecord,
  CredentialStore,
  PushedAuthorizationRequestRecord,
  PushedAuthorizationRequestStore,
  TokenRecord,
  TokenStore,
  TokenType,
} from './store.js'

// Dynamic client registration (RFC 7591, CDS-WG1-02 §4).
export { checkClientMetadata, IGNORED_REGISTRATION_MEMBERS, parseRegistrationRequest, registerClient, resolveRequestedScopes } from './registration.js'
export type { RegisterClientOptions, Registration } from './registration.js'
export { buildClientObjects, CLIENT_ADMIN_SCOPE, planClientObjects, toClientObject } from './registration-plan.js'
export type {
  BuildContext,
  ClientMetadata,
  ClientPlan,
  ClientUrls,
  IssuedCredential,
  RegistrationPolicy,
  RequestedScopes,
} from './registration-plan.js'
export { checkRegistrationFieldValue, validateRegistrationFields } from './registration-fields.js'
export type { RegistrationFieldValues } from './registration-fields.js'

// Token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 9396 §7; CDS-WG1-02 §3.3.1, §3.3.2).
export {
  authenticateTokenClient,
  buildTokenResponse,
  checkClientGrantType,
  checkGrantType,
  handleTokenRequest,
  runGrant,
  TOKEN_GRANT_TYPES,
  TOKEN_STEPS,
} from './token.js'
export type { TokenEndpointOptions, TokenExchange, TokenGrantType, TokenRequestInput, TokenStep } from './token.js'
export { clientCredentialsGrant, GRANT_STATUSES_WITHOUT_ACCESS } from './grants/client-credentials.js'
export type { ClientCredentialsContext, GrantAccessRecord, GrantLookup, PreselectionCheck } from './grants/client-credentials.js'
export { authorizationCodeGrant } from './grants/authorization-code.js'
export { refreshTokenGrant } from './grants/refresh-token.js'
export type { GrantContext, IssuedTokens, TokenGrant, TokenLifetimes } from './grants/token-issuance.js'
export type { EndpointRequestInput } from './authenticate-endpoint-client.js'

// Introspection (RFC 7662), revocation (RFC 7009) and bearer token lookup (RFC 6750).
export { handleIntrospectionRequest } from './introspection.js'
export type { IntrospectionOptions, IntrospectionRequestInput } from './introspection.js'
export { handleRevocationRequest } from './revocation.js'
export type { RevocationOptions, RevocationOutcome, RevocationRequestInput } from './revocation.js'
export { findActiveToken, lookupAccessToken } from './token-lookup.js'
export type { AccessTokenInfo, ActiveToken, TokenLookupOptions } from './token-lookup.js'

// Token revocation set off by expiring a Credential (CDS-WG1-02 §7.6) or disabling a Client object (§5.2).
export { disableClient, expireCredential } from './token-cascade.js'
export type { TokenCascadeOptions, TokenCascadeResult } from './token-cascade.js'

// Rich Authorization Requests (RFC 9396; CDS-WG1-02 §3.8–§3.10) and relative dates (CDS-WG1-02 §2).
export { defaultRelativeDirection, fillScopeDefaults, validateAuthorizationDetails } from './rar.js'
export { requestSections } from './request-sections.js'
export type { RequestSection } from './request-sections.js'
export { checkNarrowing } from './narrowing.js'
export type { NarrowingOptions } from './narrowing.js'
export { checkCustomerDataRequest } from './customer-data-request.js'
export { clientPurposesFor, clientScopeDescription, clientScopeDescriptions, purposeOrigin } from './client-purposes.js'
export type { AuthorizationDetailsOptions, RelativeDirectionOf, ScopeDescriptions } from './rar.js'
export { compareNumberText } from './authorization-details-formats.js'
export {
  assertTimeZone,
  parseRelativeOrAbsoluteDate,
  parseRelativeOrAbsoluteDatetime,
  resolveDate,
  resolveDatetime,
} from './relative-date.js'
export type { Duration, RelativeDirection, RelativeOrAbsolute, Resolved, ResolveContext } from './relative-date.js'

// Authorization endpoint and pushed authorization requests (RFC 6749 §4.1, RFC 9126; CDS-WG1-02 §8.3).
export {
  AUTHORIZATION_PARAMETERS,
  checkAuthorizationParameters,
  readParameters,
  resolveRedirectUri,
} from './authorization-request.js'
export type {
  AuthorizationParameters,
  AuthorizationSettings,
  CheckedAuthorizationRequest,
  ResolvedRedirectUri,
} from './authorization-request.js'
export { pushAuthorizationRequest, REQUEST_URI_PREFIX } from './par.js'
export type { PushAuthorizationRequestOptions, PushedAuthorization } from './par.js'
export { authorize, beginAuthorization, completeAuthorization, resumeAuthorization } from './authorization.js'
export type {
  AuthorizationEndpointOptions,
  AuthorizationGrants,
  AuthorizationStart,
  AuthorizeOptions,
  CompletedAuthorization,
  GrantApproval,
} from './authorization.js'
export { appendQuery, authorizationErrorRedirect } from './authorization-redirect.js'
export type { AuthorizationRedirect, PendingAuthorization } from './authorization-redirect.js'
export { AutoApprove, grantedDetails, narrowRequest } from './customer-authorization.js'
export type {
  AuthorizationDecision,
  AuthorizationSelection,
  CustomerAuthorization,
  CustomerAuthorizationRequest,
  CustomerAuthorizationResult,
  CustomerModifications,
  SelectionResourceType,
} from './customer-authorization.js'
