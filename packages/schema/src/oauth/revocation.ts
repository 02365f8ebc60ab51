/**
 * Token revocation (RFC 7009), which CDS-WG1-02 §3.2 requires of every server.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * Which kind of token the client believes it sends (RFC 7009 §2.1, reused by RFC 7662 §2.1).
 * Extensible: a server that does not know the hint still searches every kind.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export const TokenTypeHint = Cds.Enum(['access_token', 'refresh_token'], {
  $id: 'TokenTypeHint',
  description: 'Hint about the kind of token submitted for revocation or introspection (RFC 7009 §2.1; RFC 7662 §2.1). Extensible.',
})
export type TokenTypeHint = Static<typeof TokenTypeHint>

/**
 * Body of a revocation request (`application/x-www-form-urlencoded`, RFC 7009 §2.1), sent with
 * client authentication; the server answers 200 even for a token it does not know (§2.2).
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export const RevocationRequest = Type.Object(
  {
    token: Type.String({ minLength: 1, description: 'The access or refresh token to revoke.' }),
    token_type_hint: Type.Optional(TokenTypeHint),
    client_id: Type.Optional(Type.String({ description: 'Client identifier of a public client revoking its own token.' })),
  },
  {
    $id: 'RevocationRequest',
    description: 'Token revocation request body: the token and an optional type hint (RFC 7009 §2.1; required by CDS-WG1-02 §3.2).',
  },
)
export type RevocationRequest = Static<typeof RevocationRequest>
