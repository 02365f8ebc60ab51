/**
 * The authorization response: the query parameters of the redirect back to the client
 * (RFC 6749 §4.1.2, §4.1.2.1). Every value is a string.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { OAuthErrorCode } from './error-response.js'

const state = Type.Optional(Type.String({ description: 'The `state` of the request, unchanged; present whenever the request had one.' }))
const iss = Type.Optional(Cds.Url({ description: 'Issuer identifier of the server (RFC 9207 §2).' }))

/**
 * Redirect parameters of an approved authorization (RFC 6749 §4.1.2).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export const AuthorizationResponse = Type.Object(
  {
    code: Type.String({ minLength: 1, description: 'The single-use authorization code.' }),
    state,
    iss,
  },
  {
    $id: 'AuthorizationResponse',
    description: 'Redirect query parameters of a successful authorization: the code and the echoed state (RFC 6749 §4.1.2).',
  },
)
export type AuthorizationResponse = Static<typeof AuthorizationResponse>

/**
 * Redirect parameters of a refused or failed authorization (RFC 6749 §4.1.2.1), including the
 * CDS codes `cds_grant_id_invalid_value` and `cds_grant_id_invalid_user` (CDS-WG1-02 §8.3).
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export const AuthorizationErrorResponse = Type.Object(
  {
    error: OAuthErrorCode,
    error_description: Type.Optional(Type.String({ description: 'Human-readable detail for the developer.' })),
    error_uri: Type.Optional(Cds.Url({ description: 'Page describing the error.' })),
    state,
    iss,
  },
  {
    $id: 'AuthorizationErrorResponse',
    description: 'Redirect query parameters of a failed authorization: the error code and the echoed state (RFC 6749 §4.1.2.1; CDS-WG1-02 §8.3).',
  },
)
export type AuthorizationErrorResponse = Static<typeof AuthorizationErrorResponse>
