/**
 * Pushed authorization requests (RFC 9126), REQUIRED by CDS-WG1-02 §3.2 whenever a server offers
 * user authorization.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { authorizationParameters, challengeNeedsMethod } from './authorization-request.js'

/**
 * Body of a pushed authorization request (`application/x-www-form-urlencoded`, RFC 9126 §2.1):
 * the authorization request parameters, sent with client authentication, never `request_uri`.
 * `cds_grant_id` and `prompt` may be pushed too (CDS-WG1-02 §8.3).
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.1 | RFC 9126 §2.1}
 */
export const PushedAuthorizationRequest = Type.Object(
  {
    response_type: Type.String({ description: 'Response type; `code` is the only one CDS scopes offer.' }),
    ...authorizationParameters,
  },
  {
    $id: 'PushedAuthorizationRequest',
    description: 'Pushed authorization request body: the authorization request parameters without `request_uri` (RFC 9126 §2.1; CDS-WG1-02 §3.2, §8.3).',
    allOf: [
      challengeNeedsMethod,
      // RFC 9126 §2.1: a pushed request cannot itself carry `request_uri`.
      { not: { required: ['request_uri'] } },
    ],
  },
)
export type PushedAuthorizationRequest = Static<typeof PushedAuthorizationRequest>

/**
 * The 201 response of the PAR endpoint (RFC 9126 §2.2).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export const PushedAuthorizationResponse = Type.Object(
  {
    request_uri: Type.String({ minLength: 1, description: 'One-time reference to the pushed request, e.g. `urn:ietf:params:oauth:request_uri:…`.' }),
    expires_in: Type.Integer({ minimum: 1, description: 'Lifetime of `request_uri` in seconds.' }),
  },
  {
    $id: 'PushedAuthorizationResponse',
    description: 'Pushed authorization response: the `request_uri` to use at the authorization endpoint and its lifetime (RFC 9126 §2.2).',
  },
)
export type PushedAuthorizationResponse = Static<typeof PushedAuthorizationResponse>
