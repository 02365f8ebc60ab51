/**
 * One error hierarchy for the whole server: `OAuthError` with a stable `error` code, the HTTP
 * status it maps to, and one subclass per code. Only `@cds-ts/server`'s error handler turns these
 * into response bodies; code here and in the server throws them.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @module
 */
import type { OAuthErrorCode } from '@cds-ts/schema'

export type { OAuthErrorCode }

/**
 * The HTTP status of every `error` code. Typed as a `Record` over the closed union, so a code
 * added to `@cds-ts/schema` without a status here is a compile error.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export const OAUTH_ERROR_STATUS: Readonly<Record<OAuthErrorCode, number>> = Object.freeze({
  // RFC 6749 §5.2: 400 unless stated; invalid_client is 401 (a 401 there needs WWW-Authenticate).
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  // RFC 6749 §4.1.2.1: these travel in a redirect; 400 is their status when shown directly.
  access_denied: 400,
  unsupported_response_type: 400,
  server_error: 500,
  temporarily_unavailable: 503,
  // RFC 6750 §3.1.
  invalid_token: 401,
  insufficient_scope: 403,
  // RFC 7009 §2.2.1.
  unsupported_token_type: 400,
  // RFC 7591 §3.2.2.
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  invalid_software_statement: 400,
  unapproved_software_statement: 400,
  // RFC 9396 §5.
  invalid_authorization_details: 400,
  // CDS-WG1-02 §8.3: authorization-response codes, redirected like RFC 6749 §4.1.2.1 ones.
  cds_grant_id_invalid_value: 400,
  cds_grant_id_invalid_user: 400,
  // CDS-WG3-01 §7.4.3.
  no_preselections: 400,
  // Project codes (STYLE §2.4, A-51).
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  content_too_large: 413,
  too_many_requests: 429,
})

/**
 * Every `error` code, in the order of {@link OAUTH_ERROR_STATUS}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const OAUTH_ERROR_CODES: readonly OAuthErrorCode[] = Object.freeze(Object.keys(OAUTH_ERROR_STATUS) as OAuthErrorCode[])

/** Extra fields an {@link OAuthError} may carry. */
export interface OAuthErrorOptions {
  /** The `WWW-Authenticate` header value the response must carry (RFC 6749 §5.2, RFC 6750 §3). */
  wwwAuthenticate?: string
  /** The underlying error, kept for logs; never sent. */
  cause?: unknown
}

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const DESCRIPTION_OUTSIDE_CHARSET = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g

/**
 * Brings a description into the RFC 6749 §5.2 character set: `"` becomes `'`, `\` becomes `/`,
 * and any other character outside printable ASCII becomes `?`. The result is also safe inside a
 * quoted `WWW-Authenticate` parameter.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export function toErrorDescription(text: string): string {
  return text.replace(DESCRIPTION_OUTSIDE_CHARSET, (c) => (c === '"' ? "'" : c === '\\' ? '/' : '?'))
}

/**
 * The base of every error the server reports with an OAuth `error` body. `status` comes from
 * {@link OAUTH_ERROR_STATUS}; `expose` is `false` for 5xx, whose details stay in the logs.
 *
 * @example
 * ```ts
 * try { … } catch (err) {
 *   if (err instanceof OAuthError) reply.status(err.status).send({ error: err.error, error_description: err.error_description })
 * }
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export class OAuthError extends Error {
  /** The OAuth `error` code. */
  readonly error: OAuthErrorCode
  /** Human-readable detail for the developer, within the RFC 6749 §5.2 character set. */
  readonly error_description: string
  /** The HTTP status. */
  readonly status: number
  /** Whether the description may be sent; `false` for 5xx. */
  readonly expose: boolean
  /** The `WWW-Authenticate` header value, when the response must carry one. */
  readonly wwwAuthenticate: string | undefined

  constructor(error: OAuthErrorCode, error_description: string, options: OAuthErrorOptions = {}) {
    const description = toErrorDescription(error_description)
    super(description, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.error = error
    this.error_description = description
    this.status = OAUTH_ERROR_STATUS[error]
    this.expose = this.status < 500
    this.wwwAuthenticate = options.wwwAuthenticate
  }
}

/** RFC 6749 §5.2: a missing, repeated or malformed parameter. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class InvalidRequest extends OAuthError {
  declare readonly error: 'invalid_request'
  constructor(error_description = 'The request is missing a parameter or is malformed.', options?: OAuthErrorOptions) {
    super('invalid_request', error_description, options)
  }
}

/** RFC 6749 §5.2: client authentication failed (401). @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class InvalidClient extends OAuthError {
  declare readonly error: 'invalid_client'
  constructor(error_description = 'Client authentication failed.', options?: OAuthErrorOptions) {
    super('invalid_client', error_description, options)
  }
}

/** RFC 6749 §5.2: the code, refresh token or PKCE verifier is invalid. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class InvalidGrant extends OAuthError {
  declare readonly error: 'invalid_grant'
  constructor(error_description = 'The grant is invalid, expired or revoked.', options?: OAuthErrorOptions) {
    super('invalid_grant', error_description, options)
  }
}

/** RFC 6749 §5.2: the client may not use this grant or response type. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class UnauthorizedClient extends OAuthError {
  declare readonly error: 'unauthorized_client'
  constructor(error_description = 'The client is not authorized to use this grant type.', options?: OAuthErrorOptions) {
    super('unauthorized_client', error_description, options)
  }
}

/** RFC 6749 §5.2: the grant type is not supported. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class UnsupportedGrantType extends OAuthError {
  declare readonly error: 'unsupported_grant_type'
  constructor(error_description = 'The grant type is not supported.', options?: OAuthErrorOptions) {
    super('unsupported_grant_type', error_description, options)
  }
}

/** RFC 6749 §5.2: the scope is unknown, malformed or too wide. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2} */
export class InvalidScope extends OAuthError {
  declare readonly error: 'invalid_scope'
  constructor(error_description = 'The requested scope is invalid.', options?: OAuthErrorOptions) {
    super('invalid_scope', error_description, options)
  }
}

/** RFC 6749 §4.1.2.1: the user or the server refused the request. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1} */
export class AccessDenied extends OAuthError {
  declare readonly error: 'access_denied'
  constructor(error_description = 'The request was denied.', options?: OAuthErrorOptions) {
    super('access_denied', error_description, options)
  }
}

/** RFC 6749 §4.1.2.1: the response type is not supported. @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1} */
export class UnsupportedResponseType extends OAuthError {
  declare readonly error: 'unsupported_response_type'
  constructor(error_description = 'The response type is not supported.', options?: OAuthErrorOptions) {
    super('unsupported_response_type', error_description, options)
  }
}

/** RFC 6749 §4.1.2.1: an unexpected failure (500, not exposed). @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1} */
export class ServerError extends OAuthError {
  declare readonly error: 'server_error'
  constructor(error_description = 'The server encountered an unexpected error.', options?: OAuthErrorOptions) {
    super('server_error', error_description, options)
  }
}

/** RFC 6749 §4.1.2.1: overloaded or in maintenance (503, not exposed). @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1} */
export class TemporarilyUnavailable extends OAuthError {
  declare readonly error: 'temporarily_unavailable'
  constructor(error_description = 'The server is temporarily unavailable.', options?: OAuthErrorOptions) {
    super('temporarily_unavailable', error_description, options)
  }
}

/** RFC 6750 §3.1: the access token is missing, expired, revoked or malformed (401). @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1} */
export class InvalidToken extends OAuthError {
  declare readonly error: 'invalid_token'
  constructor(error_description = 'The access token is invalid.', options?: OAuthErrorOptions) {
    super('invalid_token', error_description, options)
  }
}

/** RFC 6750 §3.1: the token lacks the scope this resource needs (403). @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1} */
export class InsufficientScope extends OAuthError {
  declare readonly error: 'insufficient_scope'
  constructor(error_description = 'The access token does not grant the required scope.', options?: OAuthErrorOptions) {
    super('insufficient_scope', error_description, options)
  }
}

/** RFC 7009 §2.2.1: revocation of this token type is not supported. @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1 | RFC 7009 §2.2.1} */
export class UnsupportedTokenType extends OAuthError {
  declare readonly error: 'unsupported_token_type'
  constructor(error_description = 'The token type is not supported.', options?: OAuthErrorOptions) {
    super('unsupported_token_type', error_description, options)
  }
}

/** RFC 7591 §3.2.2: a redirect URI is invalid. @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 | RFC 7591 §3.2.2} */
export class InvalidRedirectUri extends OAuthError {
  declare readonly error: 'invalid_redirect_uri'
  constructor(error_description = 'A redirect URI is invalid.', options?: OAuthErrorOptions) {
    super('invalid_redirect_uri', error_description, options)
  }
}

/** RFC 7591 §3.2.2: a client metadata or registration field is invalid. @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 | RFC 7591 §3.2.2} */
export class InvalidClientMetadata extends OAuthError {
  declare readonly error: 'invalid_client_metadata'
  constructor(error_description = 'A client metadata value is invalid.', options?: OAuthErrorOptions) {
    super('invalid_client_metadata', error_description, options)
  }
}

/** RFC 7591 §3.2.2: the software statement is invalid. @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 | RFC 7591 §3.2.2} */
export class InvalidSoftwareStatement extends OAuthError {
  declare readonly error: 'invalid_software_statement'
  constructor(error_description = 'The software statement is invalid.', options?: OAuthErrorOptions) {
    super('invalid_software_statement', error_description, options)
  }
}

/** RFC 7591 §3.2.2: the software statement is not approved. @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 | RFC 7591 §3.2.2} */
export class UnapprovedSoftwareStatement extends OAuthError {
  declare readonly error: 'unapproved_software_statement'
  constructor(error_description = 'The software statement is not approved.', options?: OAuthErrorOptions) {
    super('unapproved_software_statement', error_description, options)
  }
}

/** RFC 9396 §5: an `authorization_details` entry is invalid. @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-5 | RFC 9396 §5} */
export class InvalidAuthorizationDetails extends OAuthError {
  declare readonly error: 'invalid_authorization_details'
  constructor(error_description = 'The authorization details are invalid.', options?: OAuthErrorOptions) {
    super('invalid_authorization_details', error_description, options)
  }
}

/** CDS-WG1-02 §8.3: `cds_grant_id` does not fit the request. @see CDS-WG1-02 §8.3 Grant Authorization Requests */
export class CdsGrantIdInvalidValue extends OAuthError {
  declare readonly error: 'cds_grant_id_invalid_value'
  constructor(error_description = 'The cds_grant_id parameter is invalid.', options?: OAuthErrorOptions) {
    super('cds_grant_id_invalid_value', error_description, options)
  }
}

/** CDS-WG1-02 §8.3: `cds_grant_id` is not for the authenticated user. @see CDS-WG1-02 §8.3 Grant Authorization Requests */
export class CdsGrantIdInvalidUser extends OAuthError {
  declare readonly error: 'cds_grant_id_invalid_user'
  constructor(error_description = 'The cds_grant_id is not for this user.', options?: OAuthErrorOptions) {
    super('cds_grant_id_invalid_user', error_description, options)
  }
}

/** CDS-WG3-01 §7.4.3: no preselection was possible and the client asked for an error. @see CDS-WG3-01 §7.4.3 */
export class NoPreselections extends OAuthError {
  declare readonly error: 'no_preselections'
  constructor(error_description = 'No preselections are available.', options?: OAuthErrorOptions) {
    super('no_preselections', error_description, options)
  }
}

/** Project code (STYLE §2.4): the resource does not exist (404). @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects */
export class NotFound extends OAuthError {
  declare readonly error: 'not_found'
  constructor(error_description = 'The resource was not found.', options?: OAuthErrorOptions) {
    super('not_found', error_description, options)
  }
}

/** Project code (STYLE §2.4): the method is not allowed on this resource (405). @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6 | RFC 9110 §15.5.6} */
export class MethodNotAllowed extends OAuthError {
  declare readonly error: 'method_not_allowed'
  constructor(error_description = 'The method is not allowed on this resource.', options?: OAuthErrorOptions) {
    super('method_not_allowed', error_description, options)
  }
}

/** Project code (STYLE §2.4): the request conflicts with the resource's state (409). @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10 | RFC 9110 §15.5.10} */
export class Conflict extends OAuthError {
  declare readonly error: 'conflict'
  constructor(error_description = 'The request conflicts with the current state of the resource.', options?: OAuthErrorOptions) {
    super('conflict', error_description, options)
  }
}

/** Project code (STYLE §2.4, A-51): the body is too large (413). @see CDS-WG1-02 §6.9 Creating Messages */
export class ContentTooLarge extends OAuthError {
  declare readonly error: 'content_too_large'
  constructor(error_description = 'The request content is too large.', options?: OAuthErrorOptions) {
    super('content_too_large', error_description, options)
  }
}

/** Project code (STYLE §2.4): the client sent too many requests (429). @see CDS-WG1-02 §11.3 Rate Limiting */
export class TooManyRequests extends OAuthError {
  declare readonly error: 'too_many_requests'
  constructor(error_description = 'Too many requests.', options?: OAuthErrorOptions) {
    super('too_many_requests', error_description, options)
  }
}

/** The constructor of one subclass: an optional description and options. */
export type OAuthErrorClass<C extends OAuthErrorCode = OAuthErrorCode> = new (
  error_description?: string,
  options?: OAuthErrorOptions,
) => OAuthError & { readonly error: C }

/**
 * The subclass of every code, so `new OAUTH_ERROR_CLASSES[code](…)` builds the right one and a
 * code without a subclass is a compile error.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const OAUTH_ERROR_CLASSES: Readonly<{ [C in OAuthErrorCode]: OAuthErrorClass<C> }> = Object.freeze({
  invalid_request: InvalidRequest,
  invalid_client: InvalidClient,
  invalid_grant: InvalidGrant,
  unauthorized_client: UnauthorizedClient,
  unsupported_grant_type: UnsupportedGrantType,
  invalid_scope: InvalidScope,
  access_denied: AccessDenied,
  unsupported_response_type: UnsupportedResponseType,
  server_error: ServerError,
  temporarily_unavailable: TemporarilyUnavailable,
  invalid_token: InvalidToken,
  insufficient_scope: InsufficientScope,
  unsupported_token_type: UnsupportedTokenType,
  invalid_redirect_uri: InvalidRedirectUri,
  invalid_client_metadata: InvalidClientMetadata,
  invalid_software_statement: InvalidSoftwareStatement,
  unapproved_software_statement: UnapprovedSoftwareStatement,
  invalid_authorization_details: InvalidAuthorizationDetails,
  cds_grant_id_invalid_value: CdsGrantIdInvalidValue,
  cds_grant_id_invalid_user: CdsGrantIdInvalidUser,
  no_preselections: NoPreselections,
  not_found: NotFound,
  method_not_allowed: MethodNotAllowed,
  conflict: Conflict,
  content_too_large: ContentTooLarge,
  too_many_requests: TooManyRequests,
})
