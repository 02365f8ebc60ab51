/**
 * Authorization Details Field objects (CDS-WG1-02 §3.8–§3.10): the fields a scope accepts inside
 * its RFC 9396 `authorization_details` entries, with their value format, limits and choices.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { CustomerDataChoiceExtension } from '../wg3-01/metadata-extension.js'

/**
 * The value formats of an authorization details field (CDS-WG1-02 §3.9). Extensible
 * (CDS-WG1-02 §10). `string_list_or_null`, `choice_or_null` and `choice_list_or_null` are used
 * by CDS-WG3-01 §7 without a WG1-02 definition (WG3 catalog A-03) and are listed here so that
 * WG3 metadata passes the strict check.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export const AuthorizationDetailsFieldFormat = Cds.Enum(
  [
    'int',
    'decimal',
    'string',
    'string_or_null',
    'string_list',
    'boolean',
    'relative_or_absolute_date',
    'relative_or_absolute_datetime',
    'choice',
    'jwk_or_null',
    'string_list_or_null',
    'choice_or_null',
    'choice_list_or_null',
  ],
  {
    $id: 'AuthorizationDetailsFieldFormat',
    description:
      'Data format of a value submitted for an authorization details field (CDS-WG1-02 §3.9; the `_or_null` list and choice variants are used by CDS-WG3-01 §7). Extensible (CDS-WG1-02 §10).',
  },
)
export type AuthorizationDetailsFieldFormat = Static<typeof AuthorizationDetailsFieldFormat>

/**
 * One value a `choice` field may take (CDS-WG1-02 §3.10). CDS-WG3-01 §5.2 adds
 * `usagesegment_format` as an extension field.
 *
 * @see CDS-WG1-02 §3.10 Authorization Details Field Choice Object Format
 */
export const AuthorizationDetailsFieldChoice = Type.Object(
  {
    id: Type.String({ description: 'Identifier; the value submitted for the field when this choice is picked.' }),
    name: Type.String({ description: 'Human-readable name of the choice.' }),
    description: Type.String({ description: 'Human-readable meaning of picking this choice.' }),
    documentation: Cds.Url({ description: 'Developer documentation for the choice.' }),
    // CDS-WG3-01 §5.2: the Value Format a Usage Segment carries when this choice is selected.
    usagesegment_format: CustomerDataChoiceExtension.properties.usagesegment_format,
  },
  {
    $id: 'AuthorizationDetailsFieldChoice',
    description: 'Authorization Details Field Choice: one allowed value of a `choice` field (CDS-WG1-02 §3.10).',
  },
)
export type AuthorizationDetailsFieldChoice = Static<typeof AuthorizationDetailsFieldChoice>

// CDS-WG1-02 §2 "relative date": an RFC 3339 Appendix A duration without a time part
// `P1M` is one month, weeks allowed, no sign).
const RELATIVE_DATE = '^P(?:\\d+W|(?=\\d)(?:\\d+Y)?(?:\\d+M)?(?:\\d+D)?)$'
// CDS-WG1-02 §2 "relative datetime": any RFC 3339 Appendix A duration; `P0S`, which the spec
// itself gives as "now", is accepted as an alias of `PT0S`.
const RELATIVE_DATETIME = '^P(?:\\d+W|0S|(?=\\d|T\\d)(?:\\d+Y)?(?:\\d+M)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+S)?)?)$'

/** CDS-WG1-02 §2 "relative or absolute date": a full-date, a relative date or `"infinite"`. */
const relativeOrAbsoluteDate = {
  type: 'string',
  anyOf: [{ format: 'date' }, { pattern: RELATIVE_DATE }, { const: 'infinite' }],
}
/** CDS-WG1-02 §2 "relative or absolute datetime": a date-time, a relative datetime or `"infinite"`. */
const relativeOrAbsoluteDatetime = {
  type: 'string',
  anyOf: [{ format: 'date-time' }, { pattern: RELATIVE_DATETIME }, { const: 'infinite' }],
}

/** A `format` value condition for the `if` of a conditional rule. */
function formatIn(...formats: string[]) {
  return { required: ['format'], properties: { format: { enum: formats } } }
}

/** The same constraint on `maximum` and `minimum` (CDS-WG1-02 §3.8: `minimum` has the format of `maximum`). */
function limits(constraint: Record<string, unknown>) {
  return { properties: { maximum: constraint, minimum: constraint } }
}

// Formats whose field must publish limits (CDS-WG1-02 §3.8; list variants per WG3 catalog A-03).
const BOUNDED = [
  'int',
  'decimal',
  'string',
  'string_or_null',
  'string_list',
  'string_list_or_null',
  'relative_or_absolute_date',
  'relative_or_absolute_datetime',
]

/**
 * A field that may appear in a scope's `authorization_details` entries (CDS-WG1-02 §3.8).
 * `maximum` and `minimum` change type with `format` (integer, decimal, length, or relative or
 * absolute date/datetime), enforced by the conditional rules below.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 */
export const AuthorizationDetailsField = Type.Object(
  {
    id: Type.String({ description: 'Identifier; the key of this field inside an `authorization_details` entry.' }),
    name: Type.String({ description: 'Human-readable name.' }),
    description: Type.String({ description: 'Human-readable meaning of submitting a value.' }),
    documentation: Cds.Url({ description: 'Developer documentation for the field.' }),
    for_types: Type.Array(Type.String(), {
      minItems: 1,
      description: 'Authorization details types that may carry this field; non-empty and within the scope’s `authorization_details_types_supported`.',
    }),
    format: AuthorizationDetailsFieldFormat,
    is_required: Type.Boolean({ description: 'Whether `authorization_details` must be sent with this field.' }),
    default: Type.Optional(Type.Unknown({ description: 'Value used when the field is omitted or only `scope` is sent; only when not required.' })),
    maximum: Type.Optional(
      Type.Union([Type.Integer(), Type.String(), Cds.Decimal()], {
        description: 'Largest acceptable value (or length, or furthest date); its type follows `format`.',
      }),
    ),
    minimum: Type.Optional(
      Type.Union([Type.Integer(), Type.String(), Cds.Decimal()], {
        description: 'Smallest acceptable value, in the same form as `maximum`; required with it.',
      }),
    ),
    choices: Type.Optional(Type.Array(AuthorizationDetailsFieldChoice, { description: 'The allowed values of a `choice` field.' })),
  },
  {
    $id: 'AuthorizationDetailsField',
    description:
      'Authorization Details Field: a field a scope accepts in its RFC 9396 authorization details, with format, limits and choices (CDS-WG1-02 §3.8).',
    allOf: [
      // CDS-WG1-02 §3.8 (R1-02-3.8-06): a required field has no default.
      { if: { required: ['is_required'], properties: { is_required: { const: true } } }, then: { not: { required: ['default'] } } },
      // CDS-WG1-02 §3.8 (R1-02-3.8-07): numeric, string and date formats publish a maximum.
      { if: formatIn(...BOUNDED), then: { required: ['maximum'] } },
      // CDS-WG1-02 §3.8 (R1-02-3.8-08): a minimum comes with every maximum.
      { if: { required: ['maximum'] }, then: { required: ['minimum'] } },
      // CDS-WG1-02 §3.8 (R1-02-3.8-10): a choice field lists at least one choice (WG3 choice variants too).
      {
        if: formatIn('choice', 'choice_or_null', 'choice_list_or_null'),
        then: { required: ['choices'], properties: { choices: { minItems: 1 } } },
      },
      // CDS-WG1-02 §3.8: `int` limits are integers or "infinite".
      { if: formatIn('int'), then: limits({ anyOf: [{ type: 'integer' }, { const: 'infinite' }] }) },
      // CDS-WG1-02 §3.8: `decimal` limits are decimals or "infinite" (never another string).
      { if: formatIn('decimal'), then: limits({ anyOf: [{ const: 'infinite' }, { not: { type: 'string' } }] }) },
      // CDS-WG1-02 §3.8: string formats take a length limit (combined length for lists).
      { if: formatIn('string', 'string_or_null', 'string_list', 'string_list_or_null'), then: limits({ type: 'integer', minimum: 0 }) },
      // CDS-WG1-02 §3.8: date formats take a relative or absolute date (or datetime) limit.
      { if: formatIn('relative_or_absolute_date'), then: limits(relativeOrAbsoluteDate) },
      { if: formatIn('relative_or_absolute_datetime'), then: limits(relativeOrAbsoluteDatetime) },
    ],
  },
)
export type AuthorizationDetailsField = Static<typeof AuthorizationDetailsField>
