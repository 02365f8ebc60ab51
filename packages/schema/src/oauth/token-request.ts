/**
 * Token endpoint request bodies (`application/x-www-form-urlencoded`), one per grant type CDS
 * uses. Every value is a string, as it arrives in the form. The client authenticates with HTTP
 * Basic (`client_secret_basic`, CDS-WG1-02 §3.3.1); a public client sends `client_id` instead.
 * Unknown parameters are ignored (RFC 6749 §3.2), so the objects stay open.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { authorizationDetailsParameter, scope } from './parameters.js'

const clientId = Type.Optional(Type.String({ description: 'Client identifier; sent only by public clients that do not authenticate (RFC 6749 §3.2.1).' }))

/**
 * Client credentials grant (RFC 6749 §4.4.2), used for the Client Admin scope and, with one
 * Grant Admin `authorization_details` entry, for Grant Admin access (CDS-WG1-02 §3.3.2).
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 | RFC 6749 §4.4.2}
 */
export const ClientCredentialsTokenRequest = Type.Object(
  {
    grant_type: Type.Literal('client_credentials'),
    scope: Type.Optional(scope('Requested scope ids.')),
    authorization_details: Type.Optional(authorizationDetailsParameter('Requested authorization details (RFC 9396 §6).')),
    client_id: clientId,
  },
  {
    $id: 'ClientCredentialsTokenRequest',
    description:
      'Token request of the client credentials grant, with optional scope and RFC 9396 authorization details (RFC 6749 §4.4.2; CDS-WG1-02 §3.3.2).',
  },
)
export type ClientCredentialsTokenRequest = Static<typeof ClientCredentialsTokenRequest>

/**
 * Authorization code grant (RFC 6749 §4.1.3) with the PKCE verifier (RFC 7636 §4.5), which
 * CDS requires for every authorization-code scope (CDS-WG1-02 §3.4; A-08).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}
 */
export const AuthorizationCodeTokenRequest = Type.Object(
  {
    grant_type: Type.Literal('authorization_code'),
    code: Type.String({ minLength: 1, description: 'The authorization code received on the redirect.' }),
    redirect_uri: Type.Optional(Type.String({ description: 'Same value as in the authorization request, when one was sent there.' })),
    code_verifier: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._~-]{43,128}$',
        description: 'PKCE verifier (RFC 7636 §4.1); needed whenever the authorization request carried a `code_challenge`.',
      }),
    ),
    client_id: clientId,
  },
  {
    $id: 'AuthorizationCodeTokenRequest',
    description: 'Token request exchanging an authorization code, with its PKCE verifier (RFC 6749 §4.1.3; RFC 7636 §4.5).',
  },
)
export type AuthorizationCodeTokenRequest = Static<typeof AuthorizationCodeTokenRequest>

/**
 * Refresh token grant (RFC 6749 §6), optionally narrowing `scope` or `authorization_details`
 * (RFC 9396 §6).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 */
export const RefreshTokenRequest = Type.Object(
  {
    grant_type: Type.Literal('refresh_token'),
    refresh_token: Type.String({ minLength: 1, description: 'The refresh token issued with the earlier token response.' }),
    scope: Type.Optional(scope('A subset of the originally granted scope.')),
    authorization_details: Type.Optional(authorizationDetailsParameter('A subset of the originally granted authorization details.')),
    client_id: clientId,
  },
  {
    $id: 'RefreshTokenRequest',
    description: 'Token request using a refresh token, optionally narrowing scope or authorization details (RFC 6749 §6; RFC 9396 §6).',
  },
)
export type RefreshTokenRequest = Static<typeof RefreshTokenRequest>

/**
 * Any token endpoint body CDS accepts, told apart by `grant_type`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3, §4.4.2, §6}
 */
export const TokenRequest = Type.Union([ClientCredentialsTokenRequest, AuthorizationCodeTokenRequest, RefreshTokenRequest], {
  $id: 'TokenRequest',
  description: 'A token endpoint request body for one of the grant types CDS uses (RFC 6749 §4.1.3, §4.4.2, §6).',
})
export type TokenRequest = Static<typeof TokenRequest>
