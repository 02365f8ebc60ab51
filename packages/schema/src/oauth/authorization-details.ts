/**
 * RFC 9396 authorization details entries as CDS uses them: the generic entry, and the fixed
 * entries of the Grant Admin (CDS-WG1-02 §3.3.2) and Server-Provided Files (CDS-WG1-02 §3.3.3)
 * scopes.
 *
 * @module
 */
import Type, { type Static } from 'typebox'

const strings = (description: string) => Type.Optional(Type.Array(Type.String(), { description }))

/**
 * One element of an `authorization_details` array (RFC 9396 §2). In CDS its `type` is a Scope
 * Description `id` (CDS-WG1-02 §3.4) and its other members are that scope's Authorization
 * Details Fields (CDS-WG1-02 §3.8), so the object is open. The common RFC 9396 §2.2 members
 * are typed for completeness; no WG1-02 scope declares them.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-2 | RFC 9396 §2}
 */
export const AuthorizationDetail = Type.Object(
  {
    type: Type.String({ description: 'Authorization details type; in CDS, the `id` of a Scope Description (CDS-WG1-02 §3.4).' }),
    locations: strings('Resource locations (RFC 9396 §2.2).'),
    actions: strings('Kinds of action requested (RFC 9396 §2.2).'),
    datatypes: strings('Kinds of data requested (RFC 9396 §2.2).'),
    identifier: Type.Optional(Type.String({ description: 'A specific resource (RFC 9396 §2.2).' })),
    privileges: strings('Privilege levels requested (RFC 9396 §2.2).'),
  },
  {
    $id: 'AuthorizationDetail',
    // RFC 9396 §2: the members besides `type` are defined by the type; serializers must keep them.
    additionalProperties: true,
    description:
      'One RFC 9396 authorization details entry: a `type` (a CDS scope id) plus that scope’s authorization details fields (RFC 9396 §2; CDS-WG1-02 §3.4, §3.8).',
  },
)
// RFC 9396 §2: open like the schema, so a scope's own fields are readable without casts.
export type AuthorizationDetail = Static<typeof AuthorizationDetail> & { [member: string]: unknown }

// CDS-WG1-02 §3.3.2, §3.3.3: the fixed fields are `string` with minimum 1 and maximum 1000.
const id = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description })

/**
 * The single entry a Grant Admin token request carries (CDS-WG1-02 §3.3.2): the Grant Admin
 * scope id as `type`, and the Grant and its Client Object.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export const GrantAdminAuthorizationDetail = Type.Object(
  {
    type: Type.String({ description: 'The `id` of a Scope Description of type `cds_grant_admin`.' }),
    client_id: id('Client Object identifier the Grant was issued to.'),
    grant_id: id('Grant the requested access token will reach.'),
  },
  {
    $id: 'GrantAdminAuthorizationDetail',
    description: 'Authorization details entry of a Grant Admin scope: which Grant, of which Client Object, a token should reach (CDS-WG1-02 §3.3.2).',
  },
)
export type GrantAdminAuthorizationDetail = Static<typeof GrantAdminAuthorizationDetail>

/**
 * An entry of a Server-Provided Files Grant (CDS-WG1-02 §3.3.3): one shared file.
 *
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 */
export const ServerProvidedFilesAuthorizationDetail = Type.Object(
  {
    type: Type.String({ description: 'The `id` of a Scope Description of type `cds_server_provided_files`.' }),
    file_id: id('Server-Provided File the Grant shares.'),
  },
  {
    $id: 'ServerProvidedFilesAuthorizationDetail',
    description: 'Authorization details entry of a Server-Provided Files Grant: one file shared with the Client (CDS-WG1-02 §3.3.3).',
  },
)
export type ServerProvidedFilesAuthorizationDetail = Static<typeof ServerProvidedFilesAuthorizationDetail>
