/**
 * Who may call the operator API: the holder of the one operator token of the configuration
 * (`operator.token`, from `CDS_OPERATOR_TOKEN`), sent as `Authorization: Bearer <token>`
 * (RFC 6750 §2.1) and compared in constant time. Client access tokens are never accepted here,
 * whatever their scope: the operator API acts across registrations, which no Client may
 * (CDS-WG1-02 §11.2).
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 * @module
 */
import { InvalidToken, timingSafeEqual } from '@cds-ts/auth'
import type { onRequestAsyncHookHandler } from 'fastify'
import { bearerChallenge, readBearerToken } from '../shared/bearer-auth.js'

/**
 * The OpenAPI tag of every operator route.
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export const OPERATOR_TAG = 'operator'

/**
 * The OpenAPI security requirement of every operator route: a bearer token (the operator's).
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export const OPERATOR_SECURITY = [{ bearer: [] as string[] }]

/**
 * The `onRequest` check of the operator plugin. A request without bearer credentials gets 401 with
 * a bare Bearer challenge; a token other than the operator's (a Client's access token included)
 * gets 401 `invalid_token`; a malformed Authorization header gets 400 `invalid_request`.
 *
 * @param token the configured operator token
 * @param realm the realm of the challenge (the server's base URL)
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export function operatorCheck(token: string, realm: string): onRequestAsyncHookHandler {
  return async (request) => {
    const presented = readBearerToken(request, realm)
    if (presented === undefined) {
      // RFC 6750 §3.1: without credentials, the challenge names no error.
      throw new InvalidToken('the operator API needs the operator token as a bearer token', { wwwAuthenticate: bearerChallenge({ realm }) })
    }
    // Constant time: how much of a guessed token matches must not show in the response time.
    if (!timingSafeEqual(presented, token)) {
      const description = 'the bearer token is not the operator token'
      throw new InvalidToken(description, { wwwAuthenticate: bearerChallenge({ realm, error: 'invalid_token', error_description: description }) })
    }
  }
}
