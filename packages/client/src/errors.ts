/**
 * The errors the SDK throws. Three classes share one base, {@link CdsError}, and every instance
 * carries a stable {@link CdsErrorCode}, so `switch (err.code)` is enough to branch:
 *
 * - {@link CdsResponseError}: the server refused, with an OAuth-style error (`error`,
 *   `error_description`) in the body or in a `WWW-Authenticate` challenge.
 * - {@link CdsProtocolError}: the server answered something a conforming server would not send
 *   (an unexpected status, a body that is not JSON, a required member missing), or the SDK
 *   refused to send a credential where it would not be safe.
 * - {@link CdsAuthorizationError}: the authorization response that came back to the redirect URI
 *   carries an `error` instead of a `code`.
 *
 * Mistakes in how the SDK is called (a missing client secret, a malformed argument) are plain
 * `TypeError`s, as in oauth4webapi.
 *
 * @module
 */
import type { Issue } from '@cds-ts/schema'

/**
 * Codes of {@link CdsResponseError}.
 *
 * @see CDS-WG1-02 §4 Client Registration Process
 */
export type CdsResponseErrorCode = 'RESPONSE_BODY_ERROR' | 'WWW_AUTHENTICATE_ERROR'

/**
 * Codes of {@link CdsProtocolError}.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export type CdsProtocolErrorCode =
  | 'UNEXPECTED_STATUS'
  | 'INVALID_CONTENT_TYPE'
  | 'INVALID_JSON'
  | 'INVALID_RESPONSE'
  | 'UNSUPPORTED_TOKEN_TYPE'
  | 'MISSING_ENDPOINT'
  | 'UNTRUSTED_ORIGIN'
  | 'INSECURE_URL'
  | 'PAGINATION_LOOP'
  | 'STATE_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'MISSING_CODE'

/**
 * Codes of {@link CdsAuthorizationError}.
 *
 * @see CDS-WG3-01 §9.3 Authorization Errors
 */
export type CdsAuthorizationErrorCode = 'AUTHORIZATION_RESPONSE_ERROR'

/**
 * Every code an SDK error can carry.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export type CdsErrorCode = CdsResponseErrorCode | CdsProtocolErrorCode | CdsAuthorizationErrorCode

/**
 * The class that throws a code, and what the code means.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export interface CdsErrorCodeInfo {
  readonly class: 'CdsResponseError' | 'CdsProtocolError' | 'CdsAuthorizationError'
  readonly description: string
}

/**
 * Every error code, its class and its meaning: the one table the README's error list mirrors (a
 * test compares both ways). A code added to a union above without a row here is a type error.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const CDS_ERROR_CODES: Readonly<Record<CdsErrorCode, CdsErrorCodeInfo>> = {
  RESPONSE_BODY_ERROR: { class: 'CdsResponseError', description: 'The server refused the request with an `error` member in a JSON body.' },
  WWW_AUTHENTICATE_ERROR: { class: 'CdsResponseError', description: 'The server refused the request with an `error` in its `WWW-Authenticate` challenge only.' },
  UNEXPECTED_STATUS: { class: 'CdsProtocolError', description: 'The status code is not the one this step expects, and the body carries no `error`.' },
  INVALID_CONTENT_TYPE: { class: 'CdsProtocolError', description: 'A JSON answer came without a JSON media type.' },
  INVALID_JSON: { class: 'CdsProtocolError', description: 'The body is not valid JSON.' },
  INVALID_RESPONSE: { class: 'CdsProtocolError', description: 'The JSON body lacks a required member or has one of the wrong type; `issues` lists them.' },
  UNSUPPORTED_TOKEN_TYPE: { class: 'CdsProtocolError', description: 'The token response has a `token_type` other than `Bearer`.' },
  MISSING_ENDPOINT: { class: 'CdsProtocolError', description: 'The metadata does not name the endpoint or API this operation needs.' },
  UNTRUSTED_ORIGIN: { class: 'CdsProtocolError', description: 'A URL to call is on an origin the metadata does not name, so no token is sent there.' },
  INSECURE_URL: { class: 'CdsProtocolError', description: 'A credential would travel over plain http to a host that is not a loopback address.' },
  PAGINATION_LOOP: { class: 'CdsProtocolError', description: 'A `next` link leads to a page already visited.' },
  STATE_MISMATCH: { class: 'CdsProtocolError', description: 'The `state` of the authorization response is not the one the request sent.' },
  ISSUER_MISMATCH: { class: 'CdsProtocolError', description: 'The `iss` of the authorization response is not the issuer of the metadata.' },
  MISSING_CODE: { class: 'CdsProtocolError', description: 'The authorization response has neither `code` nor `error`.' },
  AUTHORIZATION_RESPONSE_ERROR: {
    class: 'CdsAuthorizationError',
    description: 'The authorization response carries an `error` (for example `access_denied` when the customer declines).',
  },
}

/**
 * Base class of every error the SDK throws on purpose.
 *
 * @see CDS-WG1-02 §11 Security Considerations
 */
export abstract class CdsError extends Error {
  /** A stable code from {@link CDS_ERROR_CODES}. */
  abstract readonly code: CdsErrorCode
}

/**
 * What {@link CdsResponseError} is made from.
 *
 * @see CDS-WG1-02 §4 Client Registration Process
 */
export interface CdsResponseErrorInit {
  code: CdsResponseErrorCode
  error: string
  error_description?: string | undefined
  error_uri?: string | undefined
  response: Response
  body?: unknown
}

/**
 * The server refused a request with an OAuth-style error: `error` and `error_description` from
 * the JSON body (RFC 6749 §5.2, RFC 7591 §3.2.2, and the CDS APIs, which answer the same way), or
 * from the `WWW-Authenticate: Bearer` challenge of a resource server (RFC 6750 §3).
 *
 * @example
 * ```ts
 * try {
 *   await cds.grants.modify(grant, { status: 'closed' })
 * } catch (err) {
 *   if (err instanceof CdsResponseError && err.error === 'invalid_request') console.log(err.error_description)
 * }
 * ```
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 | RFC 6750 §3}
 */
export class CdsResponseError extends CdsError {
  readonly code: CdsResponseErrorCode
  /** The OAuth `error` code, e.g. `invalid_client` or `invalid_token`. */
  readonly error: string
  /** The server's human-readable detail, when it sent one. */
  readonly error_description: string | undefined
  /** A page about the error, when the server named one. */
  readonly error_uri: string | undefined
  /** The HTTP status code. */
  readonly status: number
  /** The response; its body has been read (see {@link CdsResponseError.body}). */
  readonly response: Response
  /** The parsed JSON body, when there was one. */
  readonly body: unknown
  /** The `WWW-Authenticate` header, when present. */
  readonly wwwAuthenticate: string | undefined

  constructor(init: CdsResponseErrorInit) {
    super(`${init.response.status} ${init.error}${init.error_description === undefined ? '' : `: ${init.error_description}`}`)
    this.name = 'CdsResponseError'
    this.code = init.code
    this.error = init.error
    this.error_description = init.error_description
    this.error_uri = init.error_uri
    this.status = init.response.status
    this.response = init.response
    this.body = init.body
    this.wwwAuthenticate = init.response.headers.get('www-authenticate') ?? undefined
  }
}

/**
 * What {@link CdsProtocolError} is made from.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export interface CdsProtocolErrorInit {
  response?: Response | undefined
  issues?: readonly Issue[] | undefined
  cause?: unknown
}

/**
 * A reply that does not conform (wrong status, wrong content type, a required member missing),
 * or a request the SDK refused to make because it would leak a credential.
 *
 * @see CDS-WG1-02 §10 Extensions
 * @see CDS-WG1-01 §6 Extensions
 */
export class CdsProtocolError extends CdsError {
  readonly code: CdsProtocolErrorCode
  /** The response at fault, when there is one (its body has been read). */
  readonly response: Response | undefined
  /** The HTTP status of {@link CdsProtocolError.response}. */
  readonly status: number | undefined
  /** For `INVALID_RESPONSE`: every problem found, with JSON Pointer paths. */
  readonly issues: readonly Issue[]

  constructor(code: CdsProtocolErrorCode, message: string, init: CdsProtocolErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'CdsProtocolError'
    this.code = code
    this.response = init.response
    this.status = init.response?.status
    this.issues = init.issues ?? []
  }
}

/**
 * The customer's browser came back to the redirect URI with an `error` instead of a `code`, for
 * example `access_denied` after "Decline", or `cds_grant_id_invalid_value` (CDS-WG1-02 §8.3).
 *
 * @see CDS-WG3-01 §9.3 Authorization Errors
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export class CdsAuthorizationError extends CdsError {
  readonly code: CdsAuthorizationErrorCode = 'AUTHORIZATION_RESPONSE_ERROR'
  /** The `error` parameter. */
  readonly error: string
  /** The `error_description` parameter, when present. */
  readonly error_description: string | undefined
  /** The `error_uri` parameter, when present. */
  readonly error_uri: string | undefined
  /** The `state` that came back. */
  readonly state: string | undefined
  /** Every parameter of the response. */
  readonly parameters: URLSearchParams

  constructor(parameters: URLSearchParams) {
    const error = parameters.get('error') ?? ''
    const description = parameters.get('error_description') ?? undefined
    super(`authorization failed: ${error}${description === undefined ? '' : `: ${description}`}`)
    this.name = 'CdsAuthorizationError'
    this.error = error
    this.error_description = description
    this.error_uri = parameters.get('error_uri') ?? undefined
    this.state = parameters.get('state') ?? undefined
    this.parameters = parameters
  }
}
