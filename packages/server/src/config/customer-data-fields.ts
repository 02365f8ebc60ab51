/**
 * The Authorization Details Field objects (CDS-WG1-02 §3.8) this server publishes for the
 * Customer Data fields of CDS-WG3-01 §7: the exact id, a format §7 allows, `is_required`, the
 * reference defaults of the WG3 catalog (T8) and the limits the format needs. Used by
 * `customer-data-scopes.ts`; pure, no I/O.
 *
 * @module
 */
import {
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  MeterType,
  ServicePointType,
  ServiceType,
  type AuthorizationDetailsField,
  type AuthorizationDetailsFieldChoice,
  type CustomerDataAuthorizationDetailsFieldId,
  type CustomerDataChoiceExtension,
  type CustomerDataScope,
  type CustomerDataFieldFormat,
} from '@cds-ts/schema'

type FieldId = CustomerDataAuthorizationDetailsFieldId

/**
 * A Choice object, with the `usagesegment_format` member CDS-WG3-01 §5.2 adds for the Choices of
 * `include_usage_segment_value_types`. `documentation` is filled in by the builder.
 *
 * @see CDS-WG1-02 §3.10 Authorization Details Field Choice Object Format
 * @see CDS-WG3-01 §5.2 Choice Object Extension
 */
export type CustomerDataChoice = Omit<AuthorizationDetailsFieldChoice, 'documentation'> & CustomerDataChoiceExtension

/** The limits of one field: a length for lists and strings, a relative or absolute date otherwise. */
export interface FieldLimits {
  minimum: string | number
  maximum: string | number
}

/**
 * The Server's own data behind the fields whose choices §7 leaves to it.
 *
 * @see CDS-WG3-01 §7.1.2 Preselect Account Programs
 * @see CDS-WG3-01 §7.1.5 Preselect Service Programs
 * @see CDS-WG3-01 §7.2.8.1 Include Usage Segment Formats
 */
export interface CustomerDataChoices {
  /** Account Program `program_number` values (§7.1.2). */
  account_programs?: readonly CustomerDataChoice[]
  /** Service Program `program_number` values (§7.1.5). */
  service_programs?: readonly CustomerDataChoice[]
  /** Meter App `app_number` values (§7.1.11). */
  meter_apps?: readonly CustomerDataChoice[]
  /** Usage Segment value types, each with its Value Format (§7.2.8.1, §5.2). */
  include_usage_segment_value_types?: readonly CustomerDataChoice[]
}

/** What the scope builder tells the field builder about the scope a field is published in. */
export interface FieldContext {
  baseUrl: string
  scopeId: string
  access: 'customer_consent' | 'direct_access'
  /** The Selection choices of the scope's `authorization_form_selection_type` (consent scopes). */
  selections: readonly string[]
  /** Included data fields the scope always treats as `true` (profile `impliedTrueFields`). */
  implied: readonly FieldId[]
  /** Defaults the scope's profile fixes (§6.1.10). */
  requiredDefaults: Readonly<Partial<Record<FieldId, boolean | null>>>
  /** Whether the server marks this field `is_required` (direct scopes only, checked by the scope builder, A-20). */
  required: boolean
  limits: Readonly<Partial<Record<FieldId, FieldLimits>>>
  choices: CustomerDataChoices
  /** The server default Purposes (`customer_authorization.default_purposes`): the public `purpose` choices. */
  default_purposes: readonly DefaultPurpose[]
}

/**
 * A server default Purpose as the configuration lists it (CDS-WG3-01 §8.1, A-36).
 *
 * @see CDS-WG3-01 §8.3 Purpose Object Format
 */
export interface DefaultPurpose {
  id: string
  content: string
}

// WG3 catalog T8 "Ref default": the list limits (combined length) and the duration limits.
// the historical bound of a start field is its `maximum`, counted back from now.
const LIST_LIMITS: FieldLimits = { minimum: 1, maximum: 1000 }
const DEFAULT_LIMITS: Readonly<Partial<Record<FieldId, FieldLimits>>> = {
  merge_selection_with: { minimum: 1, maximum: 1000 },
  sync_until: { minimum: 'PT0S', maximum: 'infinite' },
  statement_date_start: { minimum: 'P0D', maximum: 'P3Y' },
  statement_date_end: { minimum: 'P0D', maximum: 'infinite' },
  start_date: { minimum: 'P0D', maximum: 'P3Y' },
  end_date: { minimum: 'P0D', maximum: 'infinite' },
  segment_start: { minimum: 'PT0S', maximum: 'P3Y' },
  segment_end: { minimum: 'PT0S', maximum: 'infinite' },
  expires: { minimum: 'PT0S', maximum: 'P1Y' },
}

// WG3 catalog T8 "Ref default" of the duration fields; A-04 gives P13M for usage history (§13.1.1).
const DURATION_DEFAULTS: Readonly<Partial<Record<FieldId, string>>> = {
  sync_until: 'infinite',
  statement_date_start: 'P1Y',
  statement_date_end: 'infinite',
  start_date: 'P1Y',
  end_date: 'infinite',
  segment_start: 'P13M',
  segment_end: 'infinite',
  expires: 'P1Y',
}

// WG3 catalog T8 "Ref default": included data that is on unless the Client turns it off (A-43 keeps PII off).
const INCLUDED_BY_DEFAULT: ReadonlySet<FieldId> = new Set([
  'include_service_contracts',
  'include_contract_numbers',
  'include_rate_plans',
  'include_meter_devices',
  'include_meter_numbers',
  'include_bill_statement_charges',
])

/**
 * Optional fields the demo scopes offer besides their profiles' (`extra_fields` of
 * `customerDataScopeDescriptions`). A-05: no §6 scope reaches the EAC API, so the demo offers
 * `include_eacs` (§7.2.9) on the usage scopes.
 */
export const DEMO_EXTRA_FIELDS: Readonly<Partial<Record<CustomerDataScope, readonly FieldId[]>>> = {
  cds_usage: ['include_eacs'],
  cds_query_usage: ['include_eacs'],
}

/** Demo program and value-type choices, used when the server configuration names none. */
export const DEMO_CUSTOMER_DATA_CHOICES: Required<CustomerDataChoices> = {
  account_programs: [{ id: 'budget_billing', name: 'Budget billing', description: 'Equal monthly payments averaged over the year.' }],
  service_programs: [{ id: 'demand_response', name: 'Demand response', description: 'Bill credits for reducing load during peak events.' }],
  meter_apps: [{ id: 'APP-EV', name: 'EV charging app', description: 'Meters running the electric vehicle charging app.' }],
  include_usage_segment_value_types: [
    {
      id: 'electric_usage_kwh',
      name: 'Electric usage (kWh)',
      description: 'Electricity used in each interval, in kilowatt-hours.',
      usagesegment_format: { id: 'electric_usage_kwh', type: 'electric_usage', units: 'kWh' },
    },
    {
      id: 'natural_gas_usage_therm',
      name: 'Natural gas usage (therms)',
      description: 'Natural gas used in each interval, in therms.',
      usagesegment_format: { id: 'natural_gas_usage_therm', type: 'natural_gas_usage', units: 'therm' },
    },
    {
      id: 'water_usage_gal',
      name: 'Water usage (gallons)',
      description: 'Water used in each interval, in gallons.',
      usagesegment_format: { id: 'water_usage_gal', type: 'water_usage', units: 'gal' },
    },
  ],
}

// The short meaning of the fields of §7.4, whose titles alone say little.
const OTHER_DESCRIPTIONS: Readonly<Partial<Record<FieldId, string>>> = {
  purpose: 'Id of the Purpose shown to the customer with this scope: one of the Client object’s Purposes for it; null shows none.',
  authorization_form_selection_type: 'Which kind of item the customer selects on the authorization form.',
  merge_selection_with: 'Id of another requested scope whose selection section this scope shares; null keeps its own.',
  error_if_no_preselections: 'Whether the server stops with an error when the preselection fields match nothing.',
  allow_scope_modifications: 'Whether the customer may narrow the requested access on the authorization form.',
  jwk: 'A public encryption key the data responses are additionally encrypted to; null for none.',
}

function enumValues(schema: unknown): string[] {
  return [...(schema as { enum: readonly string[] }).enum]
}

function humanize(id: string): string {
  const text = id.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Every value of a data enumeration as a Choice (§7.1.4, §7.1.7 and §7.1.10 take their choices from §10). */
function enumChoices(values: readonly string[], what: string): CustomerDataChoice[] {
  return values.map((id) => ({ id, name: humanize(id), description: `Preselects items whose ${what} include ${id}.` }))
}

/** The Choices of a choice field in this scope, or `undefined` when the field has none. */
function choicesOf(id: FieldId, context: FieldContext): readonly CustomerDataChoice[] | undefined {
  switch (id) {
    case 'service_types':
      return enumChoices(enumValues(ServiceType), 'service types')
    case 'servicepoint_types':
      return enumChoices(enumValues(ServicePointType), 'service point types')
    // matched against the Meter's `meter_types` array.
    case 'meter_types':
      return enumChoices(enumValues(MeterType), 'meter types')
    case 'account_programs':
      return context.choices.account_programs ?? DEMO_CUSTOMER_DATA_CHOICES.account_programs
    case 'service_programs':
      return context.choices.service_programs ?? DEMO_CUSTOMER_DATA_CHOICES.service_programs
    case 'meter_apps':
      return context.choices.meter_apps ?? DEMO_CUSTOMER_DATA_CHOICES.meter_apps
    case 'include_usage_segment_value_types':
      return context.choices.include_usage_segment_value_types ?? DEMO_CUSTOMER_DATA_CHOICES.include_usage_segment_value_types
    // CDS-WG3-01 §7.4.4 (R3-01-7.4.4-05, A-38): the public metadata offers the server default Purposes.
    case 'purpose':
      return context.default_purposes.map((purpose) => ({ id: purpose.id, name: `Server default purpose ${purpose.id}`, description: purpose.content }))
    case 'authorization_form_selection_type':
      return context.selections.map((selection) => ({ id: selection, name: humanize(selection), description: `The customer selects by ${humanize(selection).toLowerCase()}.` }))
    default:
      return undefined
  }
}

/**
 * The format published for a field: the first §7 format that fits. Preselection lists use
 * `string_list_or_null` unless the field only allows a choice list.
 */
function formatOf(id: FieldId): CustomerDataFieldFormat {
  // CDS-WG3-01 §7.4.4: `purpose` is choice_or_null, so a Client can send null to show no Purpose.
  if (id === 'purpose') return 'choice_or_null'
  return CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id].formats[0] as CustomerDataFieldFormat
}

function describe(id: FieldId, context: FieldContext): string {
  const definition = CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id]
  switch (definition.category) {
    case 'preselection':
      return context.access === 'customer_consent'
        ? `${definition.title}: items matching these values are preselected on the authorization form; null preselects none.`
        : `${definition.title}: only items matching these values are shared; null applies no filter.`
    case 'included_data':
      return `Whether the Grant shares this data (${definition.title.replace(/^Include /, '')}).`
    case 'duration': {
      const counted = definition.duration?.direction === 'subtract' ? 'back' : 'forward'
      return `${definition.title}: an absolute value, a duration counted ${counted} from the approval or token request, or "infinite".`
    }
    default:
      return OTHER_DESCRIPTIONS[id] ?? definition.title
  }
}

/** The `default` of a field in this scope, or `undefined` for none (required fields have none). */
function defaultOf(id: FieldId, format: CustomerDataFieldFormat, choices: readonly CustomerDataChoice[] | undefined, context: FieldContext): unknown {
  if (context.required) return undefined
  const definition = CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id]
  // CDS-WG3-01 §6.1.10: the defaults the scope type fixes.
  if (Object.hasOwn(context.requiredDefaults, id)) return context.requiredDefaults[id]
  // CDS-WG3-01 §7.4.6: no extra encryption unless the Client asks (null in consent scopes).
  if (definition.consentScopeDefault === null) return null
  // CDS-WG3-01 §7.4.1: the Server publishes its default Selection (catalog: the first mandatory one).
  if (id === 'authorization_form_selection_type') return context.selections[0]
  // the first server default Purpose, or null when the server has none.
  if (id === 'purpose') return context.default_purposes[0]?.id ?? null
  // CDS-WG3-01 §7.2.8.1 and A-21: every permitted value type unless the Client narrows it.
  if (id === 'include_usage_segment_value_types') return (choices ?? []).map((choice) => choice.id)
  switch (definition.category) {
    case 'preselection':
      // CDS-WG3-01 §6.1.2, §6.1.3: the programs must be named; by default the eligible ones (T8).
      if (id === 'account_programs' || id === 'service_programs') return (choices ?? []).map((choice) => choice.id)
      return null
    case 'included_data':
      return context.implied.includes(id) || INCLUDED_BY_DEFAULT.has(id)
    case 'duration':
      return DURATION_DEFAULTS[id]
    default:
      // the form is editable by default; §7.4.3 errors only when asked.
      if (id === 'allow_scope_modifications') return true
      if (id === 'error_if_no_preselections') return false
      return format === 'string_or_null' || format === 'choice_or_null' ? null : undefined
  }
}

function limitsOf(id: FieldId, format: CustomerDataFieldFormat, context: FieldContext): FieldLimits | undefined {
  const configured = context.limits[id]
  if (configured !== undefined) return configured
  // CDS-WG1-02 §3.8: list, string and date formats publish their limits.
  if (format === 'string_list_or_null') return LIST_LIMITS
  return DEFAULT_LIMITS[id]
}

/**
 * The Authorization Details Field object for `id` in the scope described by `context`.
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 */
export function customerDataField(id: FieldId, context: FieldContext): AuthorizationDetailsField {
  const definition = CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id]
  const format = formatOf(id)
  const anchor = `${context.baseUrl}/docs/oauth/scopes#${context.scopeId}-${id}`
  const choices = choicesOf(id, context)
  const field: AuthorizationDetailsField = {
    id,
    name: definition.title,
    description: describe(id, context),
    documentation: anchor,
    for_types: [context.scopeId],
    format,
    // CDS-WG3-01 §7: `false` in consent scopes; the scope builder lets a direct scope require a field.
    is_required: context.required,
  }
  const fallback = defaultOf(id, format, choices, context)
  if (!field.is_required && fallback !== undefined) field.default = fallback
  const limits = limitsOf(id, format, context)
  if (limits !== undefined) Object.assign(field, { maximum: limits.maximum, minimum: limits.minimum })
  if (choices !== undefined) field.choices = choices.map((choice) => ({ ...choice, documentation: `${anchor}-${choice.id}` }))
  return field
}
