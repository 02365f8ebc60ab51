/**
 * Pushed authorization requests (RFC 9126), which CDS servers offer whenever they offer user
 * authorization (CDS-WG1-02 §3.2 `pushed_authorization_request_endpoint`): the Client posts the
 * authorization request parameters with its credentials and gets a short-lived `request_uri`
 * to put in the authorization URL instead of the parameters.
 *
 * @module
 */
import { PushedAuthorizationResponse } from '@cds-ts/schema'
import type { Decoded } from './decimal.js'
import { CdsProtocolError } from './errors.js'
import { processJson, type HttpOptions } from './http.js'
import { postForm, type ClientCredentials } from './token.js'

/**
 * Just what PAR needs of the metadata.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export interface ParMetadata {
  readonly pushed_authorization_request_endpoint?: string | undefined
}

/**
 * Posts authorization request parameters (`response_type`, `client_id`, `redirect_uri`,
 * `scope`, `state`, PKCE, `authorization_details`, …) to the PAR endpoint with
 * `client_secret_basic`.
 *
 * @throws {CdsProtocolError} `MISSING_ENDPOINT` when the metadata has no PAR endpoint
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.1 | RFC 9126 §2.1}
 */
export async function pushedAuthorizationRequest(
  as: ParMetadata,
  client: ClientCredentials,
  parameters: URLSearchParams,
  options: HttpOptions = {},
): Promise<Response> {
  const endpoint = as.pushed_authorization_request_endpoint
  if (endpoint === undefined) throw new CdsProtocolError('MISSING_ENDPOINT', 'the metadata has no pushed_authorization_request_endpoint')
  // RFC 9126 §2.1: a pushed request never carries request_uri itself.
  if (parameters.has('request_uri')) throw new TypeError('a pushed authorization request cannot carry request_uri (RFC 9126 §2.1)')
  return postForm(endpoint, client, parameters, options)
}

/**
 * Checks the answer to {@link pushedAuthorizationRequest}: `201 Created` with `request_uri` and
 * `expires_in`.
 *
 * @throws {CdsResponseError} with `invalid_request`, `invalid_authorization_details`, … (RFC 9126 §2.3)
 * @throws {CdsProtocolError} on any other non-conforming answer (a `200` included)
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export async function processPushedAuthorizationResponse(response: Response, options: HttpOptions = {}): Promise<Decoded<PushedAuthorizationResponse>> {
  return processJson<Decoded<PushedAuthorizationResponse>>(response, [201], PushedAuthorizationResponse, options)
}
