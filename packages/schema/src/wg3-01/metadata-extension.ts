/**
 * What CDS-WG3-01 §5 adds to the CDS-WG1-02 metadata: the Customer Data API URLs in the
 * Authorization Server Metadata (§5), two Registration Field formats for Purposes (§5.1) and the
 * `usagesegment_format` member of Choice objects (§5.2).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { EacDataFormatDescription } from './eac.js'
import type { CustomerDataAuthorizationDetailsFieldId } from './enums-auth.js'
import { Purpose } from './purpose.js'
import { scopesImplying } from './scope-profiles.js'
import { ValueFormat, ValueTypeDescriptionMap } from './usage-segment-value-types.js'

/**
 * The Registration Field formats CDS-WG3-01 adds to CDS-WG1-02 §3.7, both for submitting Purposes
 * at registration (field name `cds_purposes`, catalog A-40).
 *
 * @see CDS-WG3-01 §5.1 Registration Field Formats Extension
 */
export const CustomerDataRegistrationFieldFormat = Cds.Enum(['purposes', 'purposes_or_null'], {
  $id: 'CustomerDataRegistrationFieldFormat',
  description: 'Registration Field formats for submitting Purposes: a non-empty Purpose list, or that list or `null` (CDS-WG3-01 §5.1).',
})
export type CustomerDataRegistrationFieldFormat = Static<typeof CustomerDataRegistrationFieldFormat>

/**
 * The value of a registration field with format `purposes`: one or more Purposes whose `id` is
 * `""` and `scopes_supported` is `[]`, since the Server assigns both. For `purposes_or_null`,
 * `null` is also allowed and means none were submitted.
 *
 * @see CDS-WG3-01 §5.1 Registration Field Formats Extension
 */
export const RegistrationPurposes = Type.Array(Purpose, {
  $id: 'RegistrationPurposes',
  description: 'Purposes submitted at registration: at least one, each with an empty `id` and empty `scopes_supported` (CDS-WG3-01 §5.1).',
  minItems: 1,
  // CDS-WG3-01 §5.1 (R3-01-5.1-01): the Server fills in ids and scopes, so submissions leave them empty.
  allOf: [{ items: { properties: { id: { const: '' }, scopes_supported: { maxItems: 0 } } } }],
})
export type RegistrationPurposes = Static<typeof RegistrationPurposes>

/**
 * Choice object extension: the member CDS-WG3-01 adds to the CDS-WG1-02 §3.10 Choice object.
 * Every Choice of an `include_usage_segment_value_types` field carries it and no other Choice
 * does; {@link CustomerDataServerMetadataExtension} checks that over the whole metadata.
 *
 * @see CDS-WG3-01 §5.2 Choice Object Extension
 */
export const CustomerDataChoiceExtension = Type.Object(
  {
    usagesegment_format: Type.Optional(ValueFormat),
  },
  {
    $id: 'CustomerDataChoiceExtension',
    description:
      'Choice object members added by Customer Data: the Value Format a Usage Segment may carry when the Choice is selected (CDS-WG3-01 §5.2, §7.2.8.1).',
  },
)
export type CustomerDataChoiceExtension = Static<typeof CustomerDataChoiceExtension>

// Each listing API URL of §5 with the included data field that makes it REQUIRED.
const API_URL_FIELDS = [
  ['cds_accounts_api', 'include_accounts'],
  ['cds_servicecontracts_api', 'include_service_contracts'],
  ['cds_servicepoints_api', 'include_service_points'],
  ['cds_meterdevices_api', 'include_meter_devices'],
  ['cds_billstatement_api', 'include_bill_statements'],
  ['cds_billsection_api', 'include_bill_sections'],
  ['cds_aggregations_api', 'include_aggregations'],
  ['cds_usagesegments_api', 'include_usage_segments'],
  ['cds_eacs_api', 'include_eacs'],
] as const satisfies readonly (readonly [string, CustomerDataAuthorizationDetailsFieldId])[]

/** Matches a Scope Description that offers `field` or whose type always includes its data (§6). */
function scopeDescriptionIncludes(field: CustomerDataAuthorizationDetailsFieldId): Record<string, unknown> {
  const offers = {
    required: ['authorization_details_fields_supported'],
    properties: {
      authorization_details_fields_supported: { type: 'array', contains: { type: 'object', required: ['id'], properties: { id: { const: field } } } },
    },
  }
  const implying = scopesImplying(field)
  return implying.length === 0 ? offers : { anyOf: [offers, { required: ['type'], properties: { type: { enum: implying } } }] }
}

/** Matches a metadata object with at least one such Scope Description in `cds_scope_descriptions`. */
function someScopeIncludes(field: CustomerDataAuthorizationDetailsFieldId): Record<string, unknown> {
  return {
    required: ['cds_scope_descriptions'],
    properties: { cds_scope_descriptions: { type: 'object', not: { additionalProperties: { not: scopeDescriptionIncludes(field) } } } },
  }
}

// CDS-WG3-01 §5.2 (R3-01-5.2-02, -03): `usagesegment_format` on every Choice of the usage value
// types field, and on no other Choice.
const CHOICE_EXTENSION_RULE = {
  properties: {
    cds_scope_descriptions: {
      additionalProperties: {
        properties: {
          authorization_details_fields_supported: {
            items: {
              if: { required: ['id'], properties: { id: { const: 'include_usage_segment_value_types' } } },
              then: { properties: { choices: { items: { required: ['usagesegment_format'] } } } },
              else: { properties: { choices: { items: { not: { required: ['usagesegment_format'] } } } } },
            },
          },
        },
      },
    },
  },
}

const url = (api: string) => Type.Optional(Cds.Url({ description: `Base URL of the ${api} listing API; required when a supported scope offers or implies its data.` }))

/**
 * Server Metadata extension: the members CDS-WG3-01 adds to the CDS-WG1-02 §3.2 Authorization
 * Server Metadata. Validate a full metadata object against both schemas: the conditions below
 * read its `cds_scope_descriptions` to decide which API URLs are REQUIRED (a scope offering the
 * matching `include_*` field, or one whose type always includes that data). These members may
 * appear only in the Client-specific metadata of the Client objects they apply to.
 *
 * @see CDS-WG3-01 §5 Server Metadata
 */
export const CustomerDataServerMetadataExtension = Type.Object(
  {
    cds_customerdata_version: Type.String({ description: 'Version of CDS-WG3-01 the Server implements; `v1` for this draft (CDS-WG3-01 §5).' }),
    cds_accounts_api: url('Accounts (§10.1.10)'),
    cds_servicecontracts_api: url('Service Contracts (§10.2.7)'),
    cds_servicepoints_api: url('Service Points (§10.3.5)'),
    cds_meterdevices_api: url('Meter Devices (§10.4.5)'),
    cds_billstatement_api: url('Bill Statements (§10.5.4)'),
    cds_billsection_api: url('Bill Sections (§10.6.9)'),
    cds_aggregations_api: url('Aggregations (§10.7.8)'),
    cds_usagesegments_api: url('Usage Segments (§10.8.8)'),
    cds_usagesegments_additional_value_types: Type.Optional(ValueTypeDescriptionMap),
    cds_eacs_api: url('Energy Attribute Certificates (§10.9.4)'),
    cds_eac_formats: Type.Optional(
      Cds.Map(EacDataFormatDescription, { description: 'EAC data formats the Server uses, keyed by format `id`; required with `cds_eacs_api`.' }),
    ),
  },
  {
    $id: 'CustomerDataServerMetadataExtension',
    description:
      'Authorization Server Metadata members added by Customer Data: the specification version and the Customer Data API URLs with their reference maps (CDS-WG3-01 §5).',
    allOf: [
      // CDS-WG3-01 §5 (R3-01-5-02..09, -11): each API URL is REQUIRED once a scope offers or implies its data.
      ...API_URL_FIELDS.map(([member, field]) => ({ if: someScopeIncludes(field), then: { required: [member] } })),
      // CDS-WG3-01 §5 (R3-01-5-10, -12): the reference maps come with their APIs.
      { if: { required: ['cds_usagesegments_api'] }, then: { required: ['cds_usagesegments_additional_value_types'] } },
      { if: { required: ['cds_eacs_api'] }, then: { required: ['cds_eac_formats'] } },
      CHOICE_EXTENSION_RULE,
    ],
  },
)
export type CustomerDataServerMetadataExtension = Static<typeof CustomerDataServerMetadataExtension>
