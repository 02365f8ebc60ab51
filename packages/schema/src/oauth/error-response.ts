/**
 * The OAuth error body (RFC 6749 §5.2) and every `error` code a CDS server may send in it.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * The `error` codes CDS uses, grouped by the document that registers them. Extensible: a
 * client keeps a code it does not know (CDS-WG1-02 §10), as RFC 6749 §8.5 lets extensions
 * register more.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const OAuthErrorCode = Cds.Enum(
  [
    // RFC 6749 §5.2 (token endpoint) and §4.1.2.1 (authorization response).
    'invalid_request',
    'invalid_client',
    'invalid_grant',
    'unauthorized_client',
    'unsupported_grant_type',
    'invalid_scope',
    'access_denied',
    'unsupported_response_type',
    'server_error',
    'temporarily_unavailable',
    // RFC 6750 §3.1 (protected resources).
    'invalid_token',
    'insufficient_scope',
    // RFC 7009 §2.2.1 (revocation).
    'unsupported_token_type',
    // RFC 7591 §3.2.2 (registration).
    'invalid_redirect_uri',
    'invalid_client_metadata',
    'invalid_software_statement',
    'unapproved_software_statement',
    // RFC 9396 §5 (rich authorization requests).
    'invalid_authorization_details',
    // CDS-WG1-02 §8.3 (Grant authorization requests).
    'cds_grant_id_invalid_value',
    'cds_grant_id_invalid_user',
    // CDS-WG3-01 §7.4.3 (`error_if_no_preselections`).
    'no_preselections',
    // Project codes for CDS API failures no registered code covers (STYLE §2.4; A-51).
    'not_found',
    'method_not_allowed',
    'conflict',
    'content_too_large',
    'too_many_requests',
  ],
  {
    $id: 'OAuthErrorCode',
    description:
      'An OAuth `error` code used by CDS: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 7591 §3.2.2, RFC 9396 §5, CDS-WG1-02 §8.3 and CDS-WG3-01 §7.4.3, plus project codes for CDS API errors. Extensible.',
  },
)
export type OAuthErrorCode = Static<typeof OAuthErrorCode>

/**
 * The JSON error body of the token, PAR, revocation, introspection and registration endpoints
 * (RFC 6749 §5.2, RFC 7591 §3.2.2), also written by the CDS APIs.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const OAuthErrorResponse = Type.Object(
  {
    error: OAuthErrorCode,
    error_description: Type.Optional(Type.String({ description: 'Human-readable detail for the developer (printable ASCII, RFC 6749 §5.2).' })),
    error_uri: Type.Optional(Cds.Url({ description: 'Page describing the error.' })),
  },
  {
    $id: 'OAuthErrorResponse',
    description: 'OAuth error response body: an `error` code with optional description and URI (RFC 6749 §5.2; RFC 7591 §3.2.2).',
  },
)
export type OAuthErrorResponse = Static<typeof OAuthErrorResponse>
