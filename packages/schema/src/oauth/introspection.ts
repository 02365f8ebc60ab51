/**
 * Token introspection (RFC 7662), which CDS-WG1-02 §3.2 requires of every server.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AuthorizationDetail } from './authorization-details.js'
import { TokenTypeHint } from './revocation.js'

/**
 * Body of an introspection request (`application/x-www-form-urlencoded`, RFC 7662 §2.1), sent
 * with client authentication.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.1 | RFC 7662 §2.1}
 */
export const IntrospectionRequest = Type.Object(
  {
    token: Type.String({ minLength: 1, description: 'The token to inspect.' }),
    token_type_hint: Type.Optional(TokenTypeHint),
  },
  {
    $id: 'IntrospectionRequest',
    description: 'Token introspection request body: the token and an optional type hint (RFC 7662 §2.1; required by CDS-WG1-02 §3.2).',
  },
)
export type IntrospectionRequest = Static<typeof IntrospectionRequest>

const seconds = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description: `${description} (seconds since the epoch).` }))

/**
 * What the server knows about a token (RFC 7662 §2.2). An inactive, unknown or foreign token
 * gives only `{"active": false}`; an active one carries the members below, including the
 * granted `authorization_details` (RFC 9396 §9.2). WG1-02 adds no member of its own.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export const IntrospectionResponse = Type.Object(
  {
    active: Type.Boolean({ description: 'Whether the token is currently active.' }),
    scope: Type.Optional(Type.String({ description: 'Space-separated scopes of the token.' })),
    client_id: Type.Optional(Type.String({ description: 'Client Object the token was issued to.' })),
    username: Type.Optional(Type.String({ description: 'Human-readable identifier of the resource owner.' })),
    token_type: Type.Optional(Type.String({ description: 'Type of the token, e.g. `Bearer`.' })),
    exp: seconds('When the token expires'),
    iat: seconds('When the token was issued'),
    nbf: seconds('Before when the token is not to be used'),
    sub: Type.Optional(Type.String({ description: 'Subject of the token.' })),
    aud: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Intended audience(s).' })),
    iss: Type.Optional(Cds.Url({ description: 'Issuer of the token.' })),
    jti: Type.Optional(Type.String({ description: 'Identifier of the token.' })),
    authorization_details: Type.Optional(
      Type.Array(AuthorizationDetail, { description: 'Authorization details the token grants (RFC 9396 §9.2).' }),
    ),
  },
  {
    $id: 'IntrospectionResponse',
    description: 'Token introspection response: `active` plus, for an active token, its scope, client, lifetime and authorization details (RFC 7662 §2.2; RFC 9396 §9.2).',
  },
)
export type IntrospectionResponse = Static<typeof IntrospectionResponse>
