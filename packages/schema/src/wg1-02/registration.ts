/**
 * The dynamic client registration messages of CDS-WG1-02 §4: the RFC 7591 request body a
 * Client posts to `registration_endpoint`, and the Client object the Server answers with.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { CLIENT_ADMIN_SCOPE_PATTERN, clientProperties, clientRules } from './client.js'

/**
 * The JSON body of a CDS registration request (CDS-WG1-02 §4.1, RFC 7591 §3.1). Values of
 * registration fields (CDS-WG1-02 §3.5) travel as extra top-level members named by each
 * field's `field_name`, so the object stays open.
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see RFC 7591 §3.1 Client Registration Request
 */
export const ClientRegistrationRequest = Type.Object(
  {
    // CDS-WG1-02 §4.1 (R1-02-4.1-02): a CDS registration always asks for `cds_client_admin`.
    scope: Type.String({
      pattern: CLIENT_ADMIN_SCOPE_PATTERN,
      description: 'Space-separated scopes to register; must hold `cds_client_admin` and only keys of `cds_scope_descriptions`.',
    }),
    client_name: Type.Optional(Type.String({ description: 'Human-readable name of the Client (RFC 7591 §2).' })),
    client_uri: Type.Optional(Cds.Url({ description: 'Home page of the Client (RFC 7591 §2).' })),
    logo_uri: Type.Optional(Cds.Url({ description: 'Logo of the Client (RFC 7591 §2).' })),
    tos_uri: Type.Optional(Cds.Url({ description: 'Terms of service of the Client (RFC 7591 §2).' })),
    policy_uri: Type.Optional(Cds.Url({ description: 'Privacy policy of the Client (RFC 7591 §2).' })),
    contacts: Type.Optional(Type.Array(Type.String(), { description: 'Ways to reach the people responsible for the Client (RFC 7591 §2).' })),
    redirect_uris: Type.Optional(Type.Array(Cds.Url(), { description: 'Ignored by CDS Servers (CDS-WG1-02 §4.1, R1-02-4.1-07).' })),
    grant_types: Type.Optional(Type.Array(Type.String(), { description: 'Ignored: the Server derives grant types from the Scope Descriptions.' })),
    response_types: Type.Optional(Type.Array(Type.String(), { description: 'Ignored: the Server derives response types from the Scope Descriptions.' })),
    token_endpoint_auth_method: Type.Optional(Type.String({ description: 'Ignored: the Server derives it from the Scope Descriptions.' })),
    jwks_uri: Type.Optional(Cds.Url({ description: 'Where the Client publishes its JWK Set (RFC 7591 §2).' })),
    jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Object({ kty: Type.String() })) }, { description: 'The Client JWK Set by value (RFC 7591 §2).' })),
    software_id: Type.Optional(Type.String({ description: 'Identifier of the client software (RFC 7591 §2).' })),
    software_version: Type.Optional(Type.String({ description: 'Version of the client software (RFC 7591 §2).' })),
    software_statement: Type.Optional(Type.String({ description: 'Signed JWT asserting client metadata (RFC 7591 §2.3).' })),
  },
  {
    $id: 'ClientRegistrationRequest',
    description:
      'Client Registration Request: RFC 7591 client metadata with a scope string holding `cds_client_admin`, plus registration field values keyed by `field_name` (CDS-WG1-02 §4.1).',
    // RFC 7591 §2: a JWK Set is given by reference or by value, not both.
    allOf: [{ not: { required: ['jwks_uri', 'jwks'] } }],
  },
)
export type ClientRegistrationRequest = Static<typeof ClientRegistrationRequest>

/**
 * The Server's answer to a valid registration (CDS-WG1-02 §4.2, RFC 7591 §3.2.1): the
 * `cds_client_admin` Client object, the one place a Client object carries `client_secret`.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see RFC 7591 §3.2.1 Client Information Response
 */
export const ClientRegistrationResponse = Type.Object(
  {
    ...clientProperties,
    // CDS-WG1-02 §4.2 (R1-02-4.2-02..06): the returned object is the client-admin one, fixed in shape.
    scope: Type.Literal('cds_client_admin', { description: 'Always exactly `cds_client_admin` (CDS-WG1-02 §4.2).' }),
    redirect_uris: Type.Array(Cds.Url(), { maxItems: 0, description: 'Always `[]` (CDS-WG1-02 §4.2).' }),
    response_types: Type.Array(Type.String(), { maxItems: 0, description: 'Always `[]` (CDS-WG1-02 §4.2).' }),
    grant_types: Type.Array(Type.Literal('client_credentials'), {
      minItems: 1,
      maxItems: 1,
      description: 'Always `["client_credentials"]` (CDS-WG1-02 §4.2).',
    }),
    token_endpoint_auth_method: Type.Literal('client_secret_basic', { description: 'Always `client_secret_basic` (CDS-WG1-02 §4.2).' }),
    // CDS-WG1-02 §4.2 (R1-02-4.2-07): the secret of the Credential created for this object.
    client_secret: Type.String({ description: 'The secret of the Credential created for this Client object (CDS-WG1-02 §4.2).' }),
    // RFC 7591 §3.2.1 requires it with a secret; CDS-WG1-02 §5.1 moves it to the Credentials API.
    // Optional here so that both readings validate; cds-ts emits it, since strict RFC 7591 clients need it.
    client_secret_expires_at: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Expiry of `client_secret` in Unix seconds, 0 for never (RFC 7591 §3.2.1; A-05).' }),
    ),
  },
  {
    $id: 'ClientRegistrationResponse',
    description:
      'Client Registration Response: the `cds_client_admin` Client object with its `client_secret`; other scopes get their own Client objects on the Clients API (CDS-WG1-02 §4.2; RFC 7591 §3.2.1).',
    allOf: clientRules,
  },
)
export type ClientRegistrationResponse = Static<typeof ClientRegistrationResponse>
