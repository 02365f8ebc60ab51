/**
 * The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636 §4.3), rich authorization
 * requests (RFC 9396 §3) and the CDS parameters of CDS-WG1-02 §8.3, as query parameters of
 * `authorization_endpoint`. Every value is a string, as it arrives in the URL.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { authorizationDetailsParameter, scope } from './parameters.js'

/**
 * PKCE methods a CDS server accepts: only `S256`, since CDS-WG1-02 §3.4 forbids `plain` for
 * its scopes (a missing method means `plain`, RFC 7636 §4.3).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export const CodeChallengeMethod = Cds.Enum(['S256'], {
  $id: 'CodeChallengeMethod',
  description: 'PKCE code challenge method; CDS accepts only `S256` (RFC 7636 §4.3; CDS-WG1-02 §3.4).',
})
export type CodeChallengeMethod = Static<typeof CodeChallengeMethod>

/**
 * The authorization parameters shared by the front-channel request and the pushed request.
 * @internal
 */
export const authorizationParameters = {
  client_id: Type.String({ minLength: 1, description: 'The Client Object asking for authorization.' }),
  redirect_uri: Type.Optional(Cds.Url({ description: 'One of the Client Object’s `redirect_uris`; its default when omitted.' })),
  scope: Type.Optional(scope('Requested scope ids; the Client Object’s default scope when omitted.')),
  authorization_details: Type.Optional(authorizationDetailsParameter('Requested authorization details; the Client Object’s default when omitted.')),
  state: Type.Optional(Type.String({ description: 'Opaque value echoed on the redirect (RECOMMENDED).' })),
  code_challenge: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'PKCE challenge: BASE64URL of the SHA-256 of the verifier (RFC 7636 §4.2).' }),
  ),
  code_challenge_method: Type.Optional(CodeChallengeMethod),
  cds_grant_id: Type.Optional(Type.String({ description: 'Grant awaiting this authorization (CDS-WG1-02 §8.3); empty means absent.' })),
  prompt: Type.Optional(Type.String({ description: '`login` forces the user to authenticate again (CDS-WG1-02 §8.3).' })),
}

/**
 * CDS-WG1-02 §3.4 (R1-02-3.4-11): a challenge without a method would be `plain`, which CDS forbids.
 * @internal
 */
export const challengeNeedsMethod = { if: { required: ['code_challenge'] }, then: { required: ['code_challenge_method'] } }

/**
 * Query parameters of the authorization endpoint: either the full request, or `client_id` plus
 * the `request_uri` returned by the PAR endpoint (RFC 9126 §4).
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 */
export const AuthorizationRequest = Type.Object(
  {
    response_type: Type.Optional(Type.String({ description: 'Response type; `code` is the only one CDS scopes offer.' })),
    ...authorizationParameters,
    request_uri: Type.Optional(Type.String({ description: 'Reference to a pushed authorization request (RFC 9126 §4).' })),
  },
  {
    $id: 'AuthorizationRequest',
    description:
      'Authorization request query parameters with PKCE, RFC 9396 authorization details and the CDS `cds_grant_id` and `prompt` (RFC 6749 §4.1.1; RFC 7636 §4.3; RFC 9126 §4; CDS-WG1-02 §8.3).',
    allOf: [
      // RFC 6749 §4.1.1, RFC 9126 §4: without a pushed request, `response_type` is required.
      { if: { not: { required: ['request_uri'] } }, then: { required: ['response_type'] } },
      challengeNeedsMethod,
    ],
  },
)
export type AuthorizationRequest = Static<typeof AuthorizationRequest>
