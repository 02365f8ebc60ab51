/**
 * The pushed authorization request endpoint (RFC 9126 §2), which CDS-WG1-02 §3.2 requires of
 * every server that offers user authorization. In order: authenticate the client like the token
 * endpoint does, refuse a nested `request_uri`, check the request as the authorization endpoint
 * would (errors answered directly, never redirected), and store it under a single-use,
 * short-lived `request_uri` whose random part is kept only as a digest.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2 | RFC 9126 §2}
 * @module
 */
import type { PushedAuthorizationResponse } from '@cds-ts/schema'
import { authenticateEndpointClient, type EndpointRequestInput } from './authenticate-endpoint-client.js'
import {
  AUTHORIZATION_PARAMETERS,
  checkAuthorizationParameters,
  readParameters,
  resolveRedirectUri,
  type AuthorizationSettings,
} from './authorization-request.js'
import { addSeconds, type Clock } from './clock.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import { InvalidRequest } from './errors.js'
import type { AuthStore } from './store.js'

/**
 * The prefix of every `request_uri` this server issues (RFC 9126 §2.2).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:'

/**
 * Options of {@link pushAuthorizationRequest}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2 | RFC 9126 §2}
 */
export interface PushAuthorizationRequestOptions {
  store: AuthStore
  clock: Clock
  settings: AuthorizationSettings
  /** The realm of the Basic challenge; default `cds`. */
  realm?: string
}

/**
 * The PAR endpoint's success: status 201 and the body of RFC 9126 §2.2.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export interface PushedAuthorization {
  status: 201
  body: PushedAuthorizationResponse
}

/**
 * Handles a pushed authorization request. The caller sends the 201 with `Cache-Control:
 * no-store`; every error is thrown as an `OAuthError` to return as JSON (RFC 9126 §2.3).
 *
 * @example
 * ```ts
 * const { status, body } = await pushAuthorizationRequest({ authorization: req.headers.authorization, body: req.body }, { store, clock, settings })
 * ```
 * @throws {OAuthError} `invalid_client` (401), `invalid_request`, `unsupported_response_type`,
 *   `unauthorized_client`, `invalid_scope`, `invalid_authorization_details`
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.1 | RFC 9126 §2.1}
 */
export async function pushAuthorizationRequest(input: EndpointRequestInput, options: PushAuthorizationRequestOptions): Promise<PushedAuthorization> {
  const { store, clock, settings } = options
  // RFC 9126 §2.1: the client authenticates as at the token endpoint; public clients (`none`) by client_id alone.
  const { authenticated, client } = await authenticateEndpointClient(input, {
    store,
    clock,
    methods: ['client_secret_basic', 'none'],
    realm: options.realm,
  })
  const { parameters, repeated } = readParameters(input.body)
  // RFC 6749 §3.1: no parameter may be repeated.
  if (repeated.length > 0) throw new InvalidRequest(`${repeated[0] ?? ''} must not be repeated`)
  // RFC 9126 §2.1 (RFC9126-03): a pushed request cannot itself point at another one.
  if (parameters.request_uri !== undefined) throw new InvalidRequest('request_uri is not allowed in a pushed authorization request')
  // RFC 6749 §4.1.1: client_id is a required authorization parameter; RFC 9126 §2.1: it is the authenticated client.
  if (parameters.client_id === undefined) throw new InvalidRequest('client_id is required')
  if (parameters.client_id !== authenticated.client_id) throw new InvalidRequest('client_id does not match the authenticated client')

  // RFC 9126 §2.1 (RFC9126-02): the same checks as the authorization endpoint, answered directly.
  resolveRedirectUri(client, parameters.redirect_uri)
  checkAuthorizationParameters(parameters, client, settings, clock)

  const pushed: Record<string, string> = {}
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = parameters[name]
    if (value !== undefined) pushed[name] = value
  }
  const handle = randomOpaqueValue()
  const now = clock.now()
  await store.pushedRequests.insert({
    // RFC 9126 §2.2: the handle cannot be guessed; storage keeps only its digest.
    request_uri_hash: hashSecret(handle),
    client_id: client.client_id,
    parameters: pushed,
    created: now,
    // RFC 9126 §2.2: short-lived.
    expires_at: addSeconds(now, settings.request_uri_lifetime),
    used_at: null,
  })
  return { status: 201, body: { request_uri: `${REQUEST_URI_PREFIX}${handle}`, expires_in: settings.request_uri_lifetime } }
}
