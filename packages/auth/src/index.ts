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

// Random values, hashing, constant-time comparison.
export { codeChallengeS256, hashSecret, OPAQUE_VALUE_BYTES, randomOpaqueValue, timingSafeEqual, verifySecret } from './crypto.js'

// Clock.
export { addSeconds, fixedClock, fromEpochSeconds, isExpired, manualClock, nowSeconds, secondsUntil, systemClock, toEpochSeconds } from './clock.js'
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
  Consumed,
  CredentialRecord,
  CredentialStore,
  PushedAuthorizationRequestRecord,
  PushedAuthorizationRequestStore,
  TokenRecord,
  TokenStore,
  TokenType,
} from './store.js'
