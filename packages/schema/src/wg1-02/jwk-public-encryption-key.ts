/**
 * The JWK Public Encryption Key of CDS-WG1-02 §2 (the `jwk_or_null` formats).
 *
 * @module
 */
import Type, { type Static } from 'typebox'

// RFC 7517 §4 with RFC 7518 §6: members only a private or symmetric key carries.
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/**
 * A JWK Public Encryption Key: a public JWK whose `use` is `enc` (CDS-WG3-01 §2). Private
 * members are refused; EC keys need `crv`, `x`, `y` and RSA keys `n`, `e` (RFC 7518 §6.2.1,
 * §6.3.1). CDS-WG1-02 §2 defines the term; CDS-WG3-01 §7.4.6 uses it for encrypted responses.
 *
 * @see CDS-WG1-02 §2 Terminology (JWK Public Encryption Key)
 * @see CDS-WG3-01 §7.4.6 Additional JWK Encryption
 */
export const JwkPublicEncryptionKey = Type.Object(
  {
    kty: Type.String({ description: 'Key type, e.g. `EC` (RFC 7517 §4.1); Servers must accept EC P-256 (CDS-WG3-01 §7.4.6).' }),
    use: Type.Literal('enc', { description: 'Must be `enc` (CDS-WG3-01 §2).' }),
    crv: Type.Optional(Type.String({ description: 'Curve of an EC key, e.g. `P-256`.' })),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
    alg: Type.Optional(Type.String()),
    kid: Type.Optional(Type.String()),
  },
  {
    $id: 'JwkPublicEncryptionKey',
    description: 'A public JWK (RFC 7517 §4) with `use` set to `enc`, used to encrypt Customer Data API responses (CDS-WG1-02 §2, CDS-WG3-01 §7.4.6).',
    // CDS-WG3-01 §2: a public key only, so no private members (catalog A-53).
    not: { anyOf: PRIVATE_JWK_MEMBERS.map((member) => ({ required: [member] })) },
    allOf: [
      { if: { required: ['kty'], properties: { kty: { const: 'EC' } } }, then: { required: ['crv', 'x', 'y'] } },
      { if: { required: ['kty'], properties: { kty: { const: 'RSA' } } }, then: { required: ['n', 'e'] } },
    ],
  },
)
export type JwkPublicEncryptionKey = Static<typeof JwkPublicEncryptionKey>
