/**
 * The Credentials API objects (CDS-WG1-02 §7): the Credential, its type, the listing with its
 * filters, and the bodies that create a Credential and change its expiry.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * The kind of a Credential (CDS-WG1-02 §7.2). Extensible (CDS-WG1-02 §10).
 *
 * @see CDS-WG1-02 §7.2 Credentials Types
 */
export const CredentialType = Cds.Enum(['client_secret'], {
  $id: 'CredentialType',
  description: 'The kind of a Credential; today only a shared client secret (CDS-WG1-02 §7.2). Extensible (CDS-WG1-02 §10).',
})
export type CredentialType = Static<typeof CredentialType>

/** Seconds since the Unix epoch; `0` means the secret never expires (RFC 7591 §3.2.1; A-29 allows 0). */
const expiresAt = (description: string) => Type.Integer({ minimum: 0, description })

/**
 * One Credential of a Client object (CDS-WG1-02 §7.1).
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export const Credential = Type.Object(
  {
    credential_id: Type.String({ description: 'Unique identifier of the Credential.' }),
    uri: Cds.Url({ description: 'Where to GET or PATCH this Credential.' }),
    client_id: Type.String({ description: 'The Client object this Credential belongs to.' }),
    created: Cds.DateTime({ description: 'When the Credential was created.' }),
    modified: Cds.DateTime({ description: 'When the Credential was last modified.' }),
    type: CredentialType,
    client_secret: Type.Optional(Type.String({ description: 'The Server-generated secret for the token endpoint; never changes once created.' })),
    client_secret_expires_at: Type.Optional(
      expiresAt('When the secret expires, in Unix seconds, `0` for never; the disable time while the Client object is disabled.'),
    ),
  },
  {
    $id: 'Credential',
    description: 'Credential object: one secret a Client object can authenticate with, and when it expires (CDS-WG1-02 §7.1).',
    allOf: [
      // CDS-WG1-02 §7.1 (R1-02-7.1-02, -03): a client_secret Credential shows the secret and its expiry.
      {
        if: { required: ['type'], properties: { type: { const: 'client_secret' } } },
        then: { required: ['client_secret', 'client_secret_expires_at'] },
      },
    ],
  },
)
export type Credential = Static<typeof Credential>

/**
 * One page of Credentials, most recently modified first (CDS-WG1-02 §7.3).
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export const CredentialListing = Cds.Listing('credentials', Credential, {
  $id: 'CredentialListing',
  description: 'Credential Listing: a page of Credentials, newest `modified` first, with next/previous links (CDS-WG1-02 §7.3).',
})
export type CredentialListing = Static<typeof CredentialListing>

/**
 * Query parameters of the Credentials API listing (CDS-WG1-02 §7.3).
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export const CredentialListingQuery = Type.Object(
  {
    credential_ids: Type.Optional(Type.String({ description: 'Space-separated `credential_id` values.' })),
    client_ids: Type.Optional(Type.String({ description: 'Space-separated `client_id` values.' })),
    after: Type.Optional(Cds.DateTime({ description: 'Only Credentials created at or after this datetime.' })),
    before: Type.Optional(Cds.DateTime({ description: 'Only Credentials created at or before this datetime.' })),
  },
  { $id: 'CredentialListingQuery', description: 'Filters of the Credential listing; several filters intersect (CDS-WG1-02 §7.3).' },
)
export type CredentialListingQuery = Static<typeof CredentialListingQuery>

/**
 * The body a Client POSTs to `cds_credentials_api` to get a new secret (CDS-WG1-02 §7.5).
 *
 * @see CDS-WG1-02 §7.5 Creating Credentials
 */
export const CredentialCreateRequest = Type.Object(
  {
    client_id: Type.String({ description: 'The Client object that gets the new Credential.' }),
  },
  { $id: 'CredentialCreateRequest', description: 'The JSON body that creates a Credential for one Client object (CDS-WG1-02 §7.5).' },
)
export type CredentialCreateRequest = Static<typeof CredentialCreateRequest>

/**
 * The body a Client PATCHes to a Credential `uri` (CDS-WG1-02 §7.6). Only the expiry can
 * change, and only towards earlier; a time already past revokes the secret.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export const CredentialModifyRequest = Type.Object(
  {
    client_secret_expires_at: Type.Optional(
      expiresAt('New expiry in Unix seconds; not later than the current one, and `0` only while the current one is `0`.'),
    ),
  },
  {
    $id: 'CredentialModifyRequest',
    description: 'The JSON body that shortens a Credential expiry; other members are ignored (CDS-WG1-02 §7.6).',
  },
)
export type CredentialModifyRequest = Static<typeof CredentialModifyRequest>
