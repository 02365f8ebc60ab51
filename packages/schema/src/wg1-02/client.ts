/**
 * The Clients API objects (CDS-WG1-02 §5): the Client object, its statuses, the listing with
 * its filter, and the PUT body that modifies a Client.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { CustomerDataClientExtension } from '../wg3-01/client-extension.js'
import { authorizationDetailsList } from './open-authorization-detail.js'

/**
 * The availability of a Client object (CDS-WG1-02 §5.2). Extensible (CDS-WG1-02 §10).
 *
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 */
export const ClientStatus = Cds.Enum(['production', 'sandbox', 'disabled'], {
  $id: 'ClientStatus',
  description: 'Where a Client object may be used: real users, test users only, or nowhere (CDS-WG1-02 §5.2). Extensible (CDS-WG1-02 §10).',
})
export type ClientStatus = Static<typeof ClientStatus>

/**
 * Matches a scope string that holds the `cds_client_admin` token (space-delimited, RFC 6749 §3.3).
 *
 * @internal
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export const CLIENT_ADMIN_SCOPE_PATTERN = '(^| )cds_client_admin( |$)'

/**
 * The fields of a Client object: RFC 7591 §2 and §3.2.1, RFC 7592 §3, RFC 9396 §10 and the
 * `cds_*` fields of CDS-WG1-02 §5.1. Shared with the registration response and the PUT body.
 *
 * @internal
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export const clientProperties = {
  // RFC 7591 fields that CDS-WG1-02 §5.1 makes always present (R1-02-5.1-01).
  client_id: Type.String({ description: 'Identifier of this Client object; immutable (RFC 7591 §3.2.1).' }),
  client_id_issued_at: Type.Integer({ minimum: 0, description: 'When `client_id` was issued, in seconds since the Unix epoch (RFC 7591 §3.2.1).' }),
  scope: Type.String({ description: 'Space-separated scopes of this Client object; `""` when none (CDS-WG1-02 §5.1).' }),
  redirect_uris: Type.Array(Cds.Url(), { description: 'Registered redirect URIs; `[]` when none (CDS-WG1-02 §5.1).' }),
  token_endpoint_auth_method: Cds.Nullable(Type.String(), {
    description: 'How this Client authenticates at the token endpoint (RFC 7591 §2); `null` when it has no credentials (CDS-WG1-02 §5.1).',
  }),
  grant_types: Type.Array(Type.String(), { description: 'OAuth grant types this Client may use; `[]` when none (CDS-WG1-02 §5.1).' }),
  response_types: Type.Array(Type.String(), {
    description: 'OAuth response types this Client may use; `[]` when authorization requests are not enabled (CDS-WG1-02 §5.1).',
  }),
  client_name: Type.String({ description: 'Human-readable name; the `client_id` unless the Client set one (CDS-WG1-02 §5.1).' }),
  contacts: Type.Array(Type.String(), { description: 'Ways to reach the people responsible for this Client; `[]` when none (CDS-WG1-02 §5.1).' }),
  // RFC 9396 §10, always present (R1-02-5.1-02).
  authorization_details_types: Type.Array(Type.String(), {
    description: 'Authorization details types this Client may request (RFC 9396 §10; CDS-WG1-02 §5.1).',
  }),
  // Other RFC 7591 §2 and RFC 7592 §3 fields keep their RFC meaning and requirement level (R1-02-5.1-05).
  client_uri: Type.Optional(Cds.Url({ description: 'Home page of the Client (RFC 7591 §2).' })),
  logo_uri: Type.Optional(Cds.Url({ description: 'Logo of the Client (RFC 7591 §2).' })),
  tos_uri: Type.Optional(Cds.Url({ description: 'Terms of service of the Client (RFC 7591 §2).' })),
  policy_uri: Type.Optional(Cds.Url({ description: 'Privacy policy of the Client (RFC 7591 §2).' })),
  jwks_uri: Type.Optional(Cds.Url({ description: 'Where the Client publishes its JWK Set (RFC 7591 §2).' })),
  jwks: Type.Optional(
    Type.Object({ keys: Type.Array(Type.Object({ kty: Type.String() })) }, { description: 'The Client JWK Set by value (RFC 7591 §2).' }),
  ),
  software_id: Type.Optional(Type.String({ description: 'Identifier of the client software (RFC 7591 §2).' })),
  software_version: Type.Optional(Type.String({ description: 'Version of the client software (RFC 7591 §2).' })),
  registration_client_uri: Type.Optional(
    Cds.Url({ description: 'RFC 7592 management URL; equal to `cds_client_uri` when present (RFC 7592 §3; CDS-WG1-02 §5.4).' }),
  ),
  registration_access_token: Type.Optional(Type.String({ description: 'RFC 7592 management access token (RFC 7592 §3).' })),
  // CDS-WG1-02 §5.1 additions.
  cds_created: Cds.DateTime({ description: 'When the Client object was created.' }),
  cds_modified: Cds.DateTime({ description: 'When the Client object was last modified.' }),
  cds_client_uri: Cds.Url({ description: 'Unique URL of this Client object, for GET and PUT (CDS-WG1-02 §5.4, §5.5).' }),
  cds_status: ClientStatus,
  cds_status_options: Type.Array(ClientStatus, { description: 'The `cds_status` values the Client may switch this object to (CDS-WG1-02 §5.1).' }),
  cds_server_metadata: Cds.Url({ description: 'CDS Server Metadata as it applies to this Client object (CDS-WG1-02 §5.1).' }),
  cds_default_scope: Type.Optional(
    Type.String({ description: 'Scope used when an authorization request has none; required when `response_types` is not empty.' }),
  ),
  cds_default_redirect_uri: Type.Optional(
    Cds.Url({ description: 'Redirect URI used when an authorization request has none; required when `response_types` is not empty.' }),
  ),
  cds_default_authorization_details: Type.Optional(
    authorizationDetailsList('Authorization details used when an authorization request has none; required when `response_types` is not empty.'),
  ),
  // CDS-WG3-01 §8.1 adds the Purposes map to the Client object (extension point of CDS-WG1-02 §10).
  cds_purposes: CustomerDataClientExtension.properties.cds_purposes,
}

/**
 * The cross-field rules of CDS-WG1-02 §5.1 that hold for every Client object, the
 * registration response included.
 *
 * @internal
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export const clientRules = [
  // CDS-WG1-02 §5.1 (R1-02-5.1-17..19): the three defaults are required once authorization requests are enabled.
  {
    if: { required: ['response_types'], properties: { response_types: { type: 'array', minItems: 1 } } },
    then: { required: ['cds_default_scope', 'cds_default_redirect_uri', 'cds_default_authorization_details'] },
  },
  // CDS-WG1-02 §5.1 (R1-02-5.1-11, -12): the admin object cannot be disabled; every other object can.
  {
    if: { required: ['scope'], properties: { scope: { type: 'string', pattern: CLIENT_ADMIN_SCOPE_PATTERN } } },
    then: { properties: { cds_status_options: { not: { contains: { const: 'disabled' } } } } },
    else: { properties: { cds_status_options: { contains: { const: 'disabled' } } } },
  },
  // CDS-WG1-02 §4.2 (R1-02-4.2-19): one object never serves both production and sandbox.
  { properties: { cds_status_options: { not: { allOf: [{ contains: { const: 'production' } }, { contains: { const: 'sandbox' } }] } } } },
  // RFC 7591 §2: a JWK Set is given by reference or by value, not both.
  { not: { required: ['jwks_uri', 'jwks'] } },
]

/**
 * A Client object as the Clients API returns it (CDS-WG1-02 §5.1): RFC 7591 client metadata
 * with the `cds_*` fields, never carrying `client_secret` or `client_secret_expires_at`.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export const Client = Type.Object(clientProperties, {
  $id: 'Client',
  description:
    'Client object: one registered OAuth client configuration with its scopes, status and CDS defaults (CDS-WG1-02 §5.1; RFC 7591 §2, RFC 7592 §3, RFC 9396 §10).',
  allOf: [
    ...clientRules,
    // CDS-WG1-02 §5.1 (R1-02-5.1-03, -04): secrets live in the Credentials API, so neither field appears here.
    { not: { anyOf: [{ required: ['client_secret'] }, { required: ['client_secret_expires_at'] }] } },
  ],
})
export type Client = Static<typeof Client>

/**
 * One page of Client objects, most recently modified first (CDS-WG1-02 §5.3).
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const ClientListing = Cds.Listing('clients', Client, {
  $id: 'ClientListing',
  description: 'Client Listing: a page of Client objects, newest `cds_modified` first, with next/previous links (CDS-WG1-02 §5.3).',
})
export type ClientListing = Static<typeof ClientListing>

/**
 * Query parameters of the Clients API listing (CDS-WG1-02 §5.3).
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const ClientListingQuery = Type.Object(
  {
    client_ids: Type.Optional(Type.String({ description: 'Space-separated `client_id` values.' })),
  },
  { $id: 'ClientListingQuery', description: 'Filters of the Client listing; several filters intersect (CDS-WG1-02 §5.3).' },
)
export type ClientListingQuery = Static<typeof ClientListingQuery>

/**
 * The body of a PUT to `cds_client_uri` (CDS-WG1-02 §5.5, RFC 7592 §2.2): the Client object
 * as the Client wants it. Every field is optional, as an omitted field is reset to the
 * Server default; server-set fields may be sent only with their current value.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export const ClientModifyRequest = Type.Partial(
  // RFC 7592 §2.2: the management URL and token are never sent back in an update.
  Type.Omit(Type.Object(clientProperties), ['registration_client_uri', 'registration_access_token']),
  {
    $id: 'ClientModifyRequest',
    description:
      'Client update request: the desired Client object sent by PUT; omitted fields reset to their defaults and server-set fields must keep their values (CDS-WG1-02 §5.5; RFC 7592 §2.2).',
    allOf: [
      // CDS-WG1-02 §5.5 (R1-02-5.5-04): secrets are managed through the Credentials API only.
      { not: { required: ['client_secret_expires_at'] } },
    ],
  },
)
export type ClientModifyRequest = Static<typeof ClientModifyRequest>
