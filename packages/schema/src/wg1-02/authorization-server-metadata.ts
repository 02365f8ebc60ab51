/**
 * The OAuth Authorization Server Metadata object a CDS server publishes at the URL named by
 * `oauth_metadata` (CDS-WG1-02 §3.1, §3.2).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { RegistrationField } from './registration-field.js'
import { ScopeDescription } from './scope-description.js'

const strings = (description: string) => Type.Array(Type.String(), { description })

/**
 * RFC 8414 §2 Authorization Server Metadata with the changes and additions of CDS-WG1-02 §3.2.
 * Members of other specifications (OpenID Connect, CDS-WG3-01's `cds_customerdata_*` and API
 * URLs) are extension fields and pass through.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 | RFC 8414 §2}
 */
export const AuthorizationServerMetadata = Type.Object(
  {
    // RFC 8414 §2 members, with CDS-WG1-02 §3.2 raising several to REQUIRED.
    issuer: Cds.Url({ pattern: '^https://[^?#]+$', description: 'Issuer identifier: an https URL without query or fragment (RFC 8414 §2).' }),
    authorization_endpoint: Type.Optional(Cds.Url({ description: 'Authorization endpoint; required when user authorization is offered.' })),
    token_endpoint: Cds.Url({ description: 'Token endpoint (RFC 6749 §3.2).' }),
    jwks_uri: Type.Optional(Cds.Url({ description: 'The server’s JWK Set document.' })),
    registration_endpoint: Type.Optional(
      Cds.Url({
        description:
          'RFC 7591 registration endpoint; required in the public metadata, optional in Client-specific metadata reached from a Client Object (CDS-WG1-02 §3.2).',
      }),
    ),
    scopes_supported: strings('Every scope offered: all `cds_scope_descriptions` keys plus scopes registered by other processes.'),
    response_types_supported: strings('Response types: at least those of every Scope Description; empty without user authorization (A-40).'),
    response_modes_supported: Type.Optional(strings('Response modes (RFC 8414 §2); CDS uses `query`.')),
    grant_types_supported: strings('Grant types: at least those of every Scope Description.'),
    token_endpoint_auth_methods_supported: strings('Client authentication methods at the token endpoint: at least those of every Scope Description.'),
    token_endpoint_auth_signing_alg_values_supported: Type.Optional(strings('JWS algorithms for JWT client authentication at the token endpoint.')),
    service_documentation: Cds.Url({ description: 'Developer documentation; required by CDS-WG1-02 §3.2.' }),
    ui_locales_supported: Type.Optional(strings('Languages of the user interface (BCP 47 tags).')),
    op_policy_uri: Cds.Url({ description: 'Policy for registering Clients; required by CDS-WG1-02 §3.2.' }),
    op_tos_uri: Cds.Url({ description: 'Terms of use for registering Clients; required by CDS-WG1-02 §3.2.' }),
    revocation_endpoint: Cds.Url({ description: 'RFC 7009 revocation endpoint; required by CDS-WG1-02 §3.2.' }),
    revocation_endpoint_auth_methods_supported: Type.Optional(strings('Client authentication methods at the revocation endpoint.')),
    revocation_endpoint_auth_signing_alg_values_supported: Type.Optional(strings('JWS algorithms for JWT client authentication at the revocation endpoint.')),
    introspection_endpoint: Cds.Url({ description: 'RFC 7662 introspection endpoint; required by CDS-WG1-02 §3.2.' }),
    introspection_endpoint_auth_methods_supported: Type.Optional(strings('Client authentication methods at the introspection endpoint.')),
    introspection_endpoint_auth_signing_alg_values_supported: Type.Optional(strings('JWS algorithms for JWT client authentication at the introspection endpoint.')),
    code_challenge_methods_supported: strings('RFC 7636 PKCE methods: at least those of every Scope Description.'),
    signed_metadata: Type.Optional(Type.String({ description: 'A JWT carrying these metadata values as claims (RFC 8414 §2.1).' })),
    // CDS-WG1-02 §3.2: extensions the CDS process needs.
    authorization_details_types_supported: strings('RFC 9396 authorization details types: at least those of every Scope Description.'),
    pushed_authorization_request_endpoint: Type.Optional(Cds.Url({ description: 'RFC 9126 PAR endpoint; required when user authorization is offered.' })),
    require_pushed_authorization_requests: Type.Optional(Type.Boolean({ description: 'Whether every authorization request must go through PAR (RFC 9126 §5).' })),
    // CDS-WG1-02 §3.2: CDS members.
    cds_oauth_version: Type.String({ description: 'Version of CDS-WG1-02 implemented; `v1` for this draft.' }),
    cds_human_registration: Cds.Url({ description: 'Page where people register a Client by hand.' }),
    cds_timezone: Type.String({
      pattern: '^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$',
      description: 'IANA time zone in which relative dates and datetimes are resolved, e.g. `America/Chicago`.',
    }),
    cds_clients_api: Cds.Url({ description: 'Clients API (CDS-WG1-02 §5).' }),
    cds_messages_api: Cds.Url({ description: 'Messages API (CDS-WG1-02 §6).' }),
    cds_credentials_api: Cds.Url({ description: 'Credentials API (CDS-WG1-02 §7).' }),
    cds_grants_api: Cds.Url({ description: 'Grants API (CDS-WG1-02 §8).' }),
    cds_server_provided_files_api: Type.Optional(Cds.Url({ description: 'Server-Provided Files API (CDS-WG1-02 §9); required with a files scope.' })),
    cds_test_accounts: Type.Optional(Cds.Url({ description: 'Documentation of test accounts; required when user authorization is offered.' })),
    cds_scope_descriptions: Cds.Map(ScopeDescription, { description: 'Scope Descriptions keyed by scope id (the CDS-registrable scopes).' }),
    cds_registration_fields: Cds.Map(RegistrationField, {
      description: 'Registration Fields keyed by id; covers every id the Scope Descriptions reference, `{}` when none.',
    }),
  },
  {
    $id: 'AuthorizationServerMetadata',
    description:
      'OAuth Authorization Server Metadata (RFC 8414 §2) as CDS profiles and extends it: required endpoints and documents, CDS API URLs, Scope Descriptions and Registration Fields (CDS-WG1-02 §3.2).',
    allOf: [
      // CDS-WG1-02 §3.2 (R1-02-3.2-11, -23, -29): offering user authorization (a non-empty
      // `response_types_supported`) needs the authorization endpoint (RFC 8414 §2), PAR and
      // the test-accounts documentation.
      {
        if: { required: ['response_types_supported'], properties: { response_types_supported: { minItems: 1 } } },
        then: { required: ['authorization_endpoint', 'pushed_authorization_request_endpoint', 'cds_test_accounts'] },
      },
      // CDS-WG1-02 §3.2 (R1-02-3.2-22): a Scope Description of type `cds_server_provided_files`
      // needs the Server-Provided Files API URL.
      {
        if: {
          properties: {
            cds_scope_descriptions: {
              additionalProperties: { not: { required: ['type'], properties: { type: { const: 'cds_server_provided_files' } } } },
            },
          },
        },
        else: { required: ['cds_server_provided_files_api'] },
      },
    ],
  },
)
export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadata>
