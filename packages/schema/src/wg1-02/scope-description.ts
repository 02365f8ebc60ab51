/**
 * Scope Description objects (CDS-WG1-02 §3.4) and the fixed configurations of the scopes that
 * CDS-WG1-02 §3.3 defines.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AuthorizationDetailsField } from './authorization-details-field.js'

/**
 * The scope types CDS-WG1-02 §3.3 defines. The `type` field of a Scope Description is a plain
 * string (§3.4): extensions and servers add their own types (§3.3), so this list is for
 * matching, not a closed set on the field.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export const ScopeDescriptionType = Cds.Enum(['cds_client_admin', 'cds_grant_admin', 'cds_server_provided_files'], {
  $id: 'ScopeDescriptionType',
  description:
    'Scope types defined by CDS-WG1-02 §3.3.1–§3.3.3: client admin, grant admin and server-provided files. Other specifications and servers add more (CDS-WG1-02 §3.3).',
})
export type ScopeDescriptionType = Static<typeof ScopeDescriptionType>

const none = { maxItems: 0 }

/** An array holding exactly the given strings, in that order. */
function exactly(...values: string[]) {
  return { minItems: values.length, maxItems: values.length, prefixItems: values.map((value) => ({ const: value })) }
}

/** An array of authorization details fields that includes one with this `id`. */
function hasField(id: string) {
  return { contains: { required: ['id'], properties: { id: { const: id } } } }
}

function typeIs(type: string) {
  return { required: ['type'], properties: { type: { const: type } } }
}

/**
 * Information about one scope listed in `scopes_supported`, keyed by its `id` in the metadata's
 * `cds_scope_descriptions` (CDS-WG1-02 §3.4).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export const ScopeDescription = Type.Object(
  {
    id: Type.String({ description: 'Scope value; equals the key in `cds_scope_descriptions` and is the RAR `type` of this scope.' }),
    type: Type.String({ description: 'Functionality type that Clients match on (see ScopeDescriptionType); may equal `id`.' }),
    name: Type.String({ description: 'Human-readable name.' }),
    description: Type.String({ description: 'Human-readable description of the access granted.' }),
    documentation: Cds.Url({ description: 'Developer documentation for the scope.' }),
    registration_requirements: Type.Array(Type.String(), {
      description: 'Registration Field ids that must be submitted or completed before production; keys of `cds_registration_fields`.',
    }),
    registration_optional: Type.Array(Type.String(), { description: 'Registration Field ids a Client may submit at registration.' }),
    response_types_supported: Type.Array(Type.String(), { description: 'OAuth response types for this scope; empty when no authorization request applies.' }),
    grant_types_supported: Type.Array(Type.String(), { description: 'OAuth grant types for this scope.' }),
    token_endpoint_auth_methods_supported: Type.Array(Type.String(), { description: 'Client authentication methods for this scope; `none` marks a public scope.' }),
    code_challenge_methods_supported: Type.Array(Type.String(), { description: 'PKCE methods: `S256` for authorization-code scopes, otherwise empty; never `plain`.' }),
    coverages_supported: Type.Array(Type.String(), { description: 'CDS-WG1-01 coverage entry ids where the scope is offered; empty when unrelated.' }),
    grant_admin_scope: Cds.Nullable(Type.String(), {
      description: 'Id of the `cds_grant_admin` scope that reaches Grants of this scope, or null when none does.',
    }),
    authorization_details_types_supported: Type.Array(Type.String(), { description: 'RFC 9396 `type` values accepted for this scope.' }),
    authorization_details_fields_supported: Type.Array(AuthorizationDetailsField, { description: 'Fields accepted in this scope’s authorization details.' }),
  },
  {
    $id: 'ScopeDescription',
    description: 'Scope Description: what a scope offers and how Clients register for and obtain it (CDS-WG1-02 §3.4).',
    allOf: [
      // CDS-WG1-02 §3.4 (R1-02-3.4-09): at least one grant type, except the files scope whose
      // §3.3.3 configuration is `[]`.
      { if: typeIs('cds_server_provided_files'), else: { properties: { grant_types_supported: { minItems: 1 } } } },
      // CDS-WG1-02 §3.4 (R1-02-3.4-11): never `plain`; authorization-code scopes offer S256, others list nothing.
      { properties: { code_challenge_methods_supported: { not: { contains: { const: 'plain' } } } } },
      {
        if: { required: ['grant_types_supported'], properties: { grant_types_supported: { contains: { const: 'authorization_code' } } } },
        then: { properties: { code_challenge_methods_supported: { contains: { const: 'S256' } } } },
        else: { properties: { code_challenge_methods_supported: none } },
      },
      // CDS-WG1-02 §3.3.1 (R1-02-3.3.1-01): the fixed Client Admin configuration.
      {
        if: typeIs('cds_client_admin'),
        then: {
          properties: {
            id: { const: 'cds_client_admin' },
            name: { const: 'Client Admin' },
            description: { const: 'This scope grants administrative access to the Client management APIs.' },
            registration_requirements: none,
            registration_optional: none,
            response_types_supported: none,
            grant_types_supported: exactly('client_credentials'),
            token_endpoint_auth_methods_supported: exactly('client_secret_basic'),
            code_challenge_methods_supported: none,
            coverages_supported: none,
            grant_admin_scope: { const: null },
            authorization_details_types_supported: none,
            authorization_details_fields_supported: none,
          },
        },
      },
      // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-01): the fixed Grant Admin configuration; its one RAR type
      // is its own id and its fields are `client_id` and `grant_id`.
      {
        if: typeIs('cds_grant_admin'),
        then: {
          properties: {
            name: { const: 'Grant Admin' },
            description: { const: 'This scope grants administrative access to previously created Grants.' },
            registration_requirements: none,
            registration_optional: none,
            response_types_supported: none,
            grant_types_supported: exactly('client_credentials'),
            token_endpoint_auth_methods_supported: exactly('client_secret_basic'),
            code_challenge_methods_supported: none,
            coverages_supported: none,
            grant_admin_scope: { const: null },
            authorization_details_types_supported: { minItems: 1, maxItems: 1 },
            authorization_details_fields_supported: { minItems: 2, maxItems: 2, allOf: [hasField('client_id'), hasField('grant_id')] },
          },
        },
      },
      // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-02, -04): the fixed Server-Provided Files configuration;
      // reached only through a Grant Admin scope, with the single `file_id` field.
      {
        if: typeIs('cds_server_provided_files'),
        then: {
          properties: {
            name: { pattern: '^Server-Provided Files(?:: .+)?$' },
            registration_requirements: none,
            registration_optional: none,
            response_types_supported: none,
            grant_types_supported: none,
            token_endpoint_auth_methods_supported: none,
            code_challenge_methods_supported: none,
            coverages_supported: none,
            grant_admin_scope: { type: 'string' },
            authorization_details_types_supported: { minItems: 1, maxItems: 1 },
            authorization_details_fields_supported: { minItems: 1, maxItems: 1, allOf: [hasField('file_id')] },
          },
        },
      },
    ],
  },
)
export type ScopeDescription = Static<typeof ScopeDescription>
