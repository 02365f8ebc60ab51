/**
 * The successful token endpoint response (RFC 6749 §5.1, RFC 9396 §7).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { AuthorizationDetail } from './authorization-details.js'

/**
 * A token response as a CDS server sends it: sent with `Cache-Control: no-store`, carrying the
 * granted `authorization_details` whenever they were requested or defaulted (RFC 9396 §7;
 * CDS-WG1-02 §3.3.2), and the `cds_grant_ids` that CDS-WG3-01 shows (WG3 catalog A-32).
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export const TokenResponse = Type.Object(
  {
    access_token: Type.String({ minLength: 1, description: 'The access token.' }),
    token_type: Type.String({ description: 'Token type; `Bearer`, compared case-insensitively (RFC 6750 §4).' }),
    expires_in: Type.Optional(Type.Integer({ minimum: 0, description: 'Lifetime of the access token in seconds (RECOMMENDED).' })),
    refresh_token: Type.Optional(Type.String({ description: 'Refresh token; not issued for client credentials grants.' })),
    scope: Type.Optional(Type.String({ description: 'Granted scope; required when it differs from the request, always sent by CDS servers.' })),
    authorization_details: Type.Optional(
      Type.Array(AuthorizationDetail, { description: 'Granted authorization details, enriched with defaults and resolved dates (RFC 9396 §7, §7.1).' }),
    ),
    cds_grant_ids: Type.Optional(
      Type.Array(Type.String(), { description: 'Ids of the Grants this token reaches (used by CDS-WG3-01 examples; WG3 catalog A-32).' }),
    ),
  },
  {
    $id: 'TokenResponse',
    description:
      'Successful access token response with the granted scope, RFC 9396 authorization details and CDS Grant ids (RFC 6749 §5.1; RFC 9396 §7; CDS-WG1-02 §3.3.2).',
  },
)
export type TokenResponse = Static<typeof TokenResponse>
