/**
 * Registration Field objects (CDS-WG1-02 §3.5–§3.7): values a Client submits when it registers,
 * or steps it must complete afterwards before a scope reaches production.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * What a registration field asks of the Client (CDS-WG1-02 §3.6). Extensible (CDS-WG1-02 §10).
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const RegistrationFieldType = Cds.Enum(
  ['registration_field', 'internal_review', 'payment_required', 'email_verification', 'sso_verification', 'pdf_form', 'online_form'],
  {
    $id: 'RegistrationFieldType',
    description: 'Kind of registration requirement: a submitted value, or a review, payment, verification or form step (CDS-WG1-02 §3.6). Extensible (CDS-WG1-02 §10).',
  },
)
export type RegistrationFieldType = Static<typeof RegistrationFieldType>

/**
 * Data format of a value submitted for a `registration_field` (CDS-WG1-02 §3.7). Extensible
 * (CDS-WG1-02 §10); `purposes` and `purposes_or_null` are added by CDS-WG3-01 §5.1.
 *
 * @see CDS-WG1-02 §3.7 Registration Field Formats
 */
export const RegistrationFieldFormat = Cds.Enum(
  [
    'string',
    'string_or_null',
    'url',
    'url_or_null',
    'email',
    'email_or_null',
    'boolean',
    'boolean_or_null',
    'image',
    'image_or_null',
    'pdf',
    'pdf_or_null',
    'purposes',
    'purposes_or_null',
  ],
  {
    $id: 'RegistrationFieldFormat',
    description:
      'Format of a submitted registration value; each `_or_null` variant also admits null (CDS-WG1-02 §3.7; `purposes` formats from CDS-WG3-01 §5.1). Extensible (CDS-WG1-02 §10).',
  },
)
export type RegistrationFieldFormat = Static<typeof RegistrationFieldFormat>

/**
 * One registration requirement, keyed by its `id` in the metadata's `cds_registration_fields`
 * (CDS-WG1-02 §3.5).
 *
 * @see CDS-WG1-02 §3.5 Registration Field Object Format
 */
export const RegistrationField = Type.Object(
  {
    id: Type.String({ description: 'Identifier; equals the key in `cds_registration_fields`.' }),
    type: RegistrationFieldType,
    description: Type.String({ description: 'Human-readable description of what is submitted or expected.' }),
    documentation: Cds.Url({ description: 'Developer documentation for the requirement (process, fees, templates).' }),
    field_name: Type.Optional(
      Type.String({ pattern: '^cds_', description: 'Registration request member carrying the value; starts with `cds_` (type `registration_field`).' }),
    ),
    format: Type.Optional(RegistrationFieldFormat),
    default: Type.Optional(Type.Unknown({ description: 'Value used when the Client submits none; its presence marks the field optional.' })),
    max_length: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum length of a non-null string, URL or email value.' })),
    max_size: Type.Optional(Type.Integer({ minimum: 1, description: 'Maximum size in bytes, before Base64, of a non-null image or PDF value.' })),
    amount: Type.Optional(Cds.Decimal({ description: 'Setup payment due, in `currency` (type `payment_required`).' })),
    currency: Type.Optional(Cds.CurrencyCode({ description: 'ISO 4217 currency of `amount` (type `payment_required`).' })),
  },
  {
    $id: 'RegistrationField',
    description:
      'Registration Field: a value to submit at registration, or a step to complete before production access (CDS-WG1-02 §3.5).',
    allOf: [
      // CDS-WG1-02 §3.6 (R1-02-3.6-01): a submitted field names its request member and format.
      {
        if: { required: ['type'], properties: { type: { const: 'registration_field' } } },
        then: { required: ['field_name', 'format'] },
      },
      // CDS-WG1-02 §3.6 (R1-02-3.6-03): a payment requirement states amount and currency.
      {
        if: { required: ['type'], properties: { type: { const: 'payment_required' } } },
        then: { required: ['amount', 'currency'] },
      },
    ],
  },
)
export type RegistrationField = Static<typeof RegistrationField>
