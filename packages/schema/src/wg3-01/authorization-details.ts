/**
 * One RFC 9396 `authorization_details` element of a Customer Data scope: its `type` plus the
 * Authorization Details Fields of CDS-WG3-01 §7, each optional as in a request (defaults fill
 * what is left out, §7). Token responses and Grants use the same shape, with durations made
 * absolute (§7.3).
 *
 * @module
 */
import Type, { type Static, type TSchema } from 'typebox'
import { Cds } from '../common/cds.js'
import { JwkPublicEncryptionKey } from '../wg1-02/jwk-public-encryption-key.js'
import { AuthorizationFormSelectionType } from './enums-auth.js'
import { MeterType, ServicePointType, ServiceType } from './enums-data.js'

// RFC 3339 Appendix A `duration`, which CDS-WG1-02 §2 uses for relative dates and datetimes.
// Components may be combined in order (Y, M, D, then T with H, M, S), as in ISO 8601 and the
// CDS-WG1-02 field schema; weeks stand alone; no sign, no fractions.
const DATE_PART = '(?:\\d+Y)?(?:\\d+M)?(?:\\d+D)?'
const TIME_PART = 'T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+S)?'

/**
 * A relative date (CDS-WG1-02 §2): a duration without a time part, e.g. `P3Y`, `P1Y6M`, `P2W`, `P0D`.
 *
 * @see CDS-WG3-01 §7.3 Duration Fields
 */
export const RELATIVE_DATE_PATTERN = `^P(?:\\d+W|(?=\\d)${DATE_PART})$`

/**
 * A relative datetime (CDS-WG1-02 §2): any duration, e.g. `P30DT2H`, `PT0S`. The `P0S` that
 * CDS-WG1-02 §2 gives as an example is not valid RFC 3339 and is accepted as `PT0S` (catalog A-06).
 *
 * @see CDS-WG3-01 §7.3 Duration Fields
 */
export const RELATIVE_DATETIME_PATTERN = `^P(?:\\d+W|0S|(?=\\d|T\\d)${DATE_PART}(?:${TIME_PART})?)$`

/** A date, a relative date or `"infinite"` (CDS-WG1-02 §2 "relative or absolute date"). */
function relativeOrAbsoluteDate(description: string) {
  return Type.Union([Type.Literal('infinite'), Cds.Date(), Type.String({ pattern: RELATIVE_DATE_PATTERN })], { description })
}

/** A datetime, a relative datetime or `"infinite"` (CDS-WG1-02 §2 "relative or absolute datetime"). */
function relativeOrAbsoluteDatetime(description: string) {
  return Type.Union([Type.Literal('infinite'), Cds.DateTime(), Type.String({ pattern: RELATIVE_DATETIME_PATTERN })], { description })
}

/** A preselection list (`string_list_or_null` / `choice_list_or_null`, catalog A-03): strings, or `null` for none. */
function preselection<T extends TSchema>(item: T, description: string) {
  return Type.Optional(Cds.Nullable(Type.Array(item), { description }))
}

function flag(description: string) {
  return Type.Optional(Type.Boolean({ description }))
}

/**
 * One `authorization_details` element for a Customer Data scope: `type` is the scope's RAR type
 * (published in the Scope Description), and every other member is one of the Authorization
 * Details Fields of CDS-WG3-01 §7. All fields are optional, as in requests; which ones a scope
 * accepts, and their defaults and limits, come from its `authorization_details_fields_supported`.
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @see RFC 9396 §2 Request Parameter "authorization_details"
 */
export const CustomerDataAuthorizationDetails = Type.Object(
  {
    type: Type.String({ description: 'RAR type of the scope, as published in its Scope Description (RFC 9396 §2; CDS-WG1-02 §3.4; catalog A-02).' }),

    // §7.1 Preselection Fields
    account_numbers: preselection(Type.String(), 'Preselect Accounts (or their Service Contracts) by `account_number`; may hold `_all` and `_include_future` (§7.1.1).'),
    account_programs: preselection(Type.String(), 'Preselect Accounts having an Account Program with one of these `program_number` values (§7.1.2).'),
    contract_numbers: preselection(Type.String(), 'Preselect Service Contracts by `contract_number`; may hold `_all` and `_include_future` (§7.1.3).'),
    service_types: preselection(ServiceType, 'Preselect Service Contracts having one of these Service Types (§7.1.4).'),
    service_programs: preselection(Type.String(), 'Preselect Service Contracts having a Service Program with one of these `program_number` values (§7.1.5).'),
    servicepoint_numbers: preselection(Type.String(), 'Preselect Service Points by `servicepoint_number`; may hold `_all` (§7.1.6).'),
    servicepoint_types: preselection(ServicePointType, 'Preselect Service Points having one of these Service Point Types (§7.1.7).'),
    premise_numbers: preselection(Type.String(), 'Preselect Service Points having a Premise with one of these `premise_number` values (§7.1.8).'),
    meter_numbers: preselection(Type.String(), 'Preselect Meter Devices by `meter_number`; may hold `_all` (§7.1.9).'),
    meter_types: preselection(MeterType, 'Preselect Meter Devices having one of these Meter Types (§7.1.10; catalog A-17).'),
    meter_apps: preselection(Type.String(), 'Preselect Meter Devices having a Meter App with one of these `app_number` values (§7.1.11).'),
    aggregation_numbers: preselection(Type.String(), 'Preselect Aggregations by `aggregation_number` (§7.1.12).'),
    addresses: preselection(Type.String(), 'Preselect resources by normalized address; consent scopes only (§7.1.13, §7.1.13.1).'),

    // §7.2 Included Data Fields
    include_accounts: flag('Also share the Accounts related to the shared objects, with their parents (§7.2.1).'),
    include_account_numbers: flag('Share customer and account numbers and the account entity (§7.2.1.1).'),
    include_account_details: flag('Share Account name, address, types, status and contacts (§7.2.1.2).'),
    include_account_programs: flag('Share Account `account_programs` (§7.2.1.3).'),
    include_service_contracts: flag('Also share the related Service Contracts (§7.2.2).'),
    include_contract_numbers: flag('Share contract numbers and the contract entity (§7.2.2.1).'),
    include_rate_plans: flag('Share the rate plan code and name (§7.2.2.2).'),
    include_service_contract_details: flag('Share contract address, start and end (§7.2.2.3).'),
    include_service_programs: flag('Share Service Contract `service_programs` (§7.2.2.4).'),
    include_service_points: flag('Also share the related Service Points (§7.2.3).'),
    include_premises: flag('Share Service Point `premises` (§7.2.3.1).'),
    include_service_point_addresses: flag('Share the Service Point address (§7.2.3.2).'),
    include_coordinates: flag('Share Service Point latitude and longitude (§7.2.3.3).'),
    include_meter_devices: flag('Also share the related Meter Devices (§7.2.4).'),
    include_meter_numbers: flag('Share meter numbers (§7.2.4.1).'),
    include_meter_apps: flag('Share Meter Device `meter_apps` (§7.2.4.2).'),
    include_bill_statements: flag('Also share the Bill Statements of the shared Accounts (§7.2.5).'),
    include_bill_statement_files: flag('Share the Bill Statement file link (§7.2.5.1).'),
    include_bill_statement_charges: flag('Share Bill Statement balances and new charges (§7.2.5.2).'),
    include_bill_statement_programs: flag('Share Bill Statement `account_programs` (§7.2.5.3).'),
    include_bill_sections: flag('Also share the related Bill Sections (§7.2.6).'),
    include_bill_section_line_items: flag('Share Bill Section `line_items` (§7.2.6.1).'),
    include_aggregations: flag('Also share the related Aggregations (§7.2.7).'),
    include_aggregation_addresses: flag('Share the addresses grouped by an Aggregation (§7.2.7.1).'),
    include_usage_segments: flag('Also share the related Usage Segments; `false` shares none (§7.2.8).'),
    include_usage_segment_value_types: Type.Optional(
      Cds.Nullable(Type.Array(Type.String()), {
        description: 'Choice ids of the Value Formats Usage Segments may carry; `null` leaves segments without values (§7.2.8.1, §5.2).',
      }),
    ),
    include_eacs: flag('Also share the related Energy Attribute Certificates; `false` shares none (§7.2.9).'),

    // §7.3 Duration Fields: relative in requests, absolute (or "infinite") in token responses and Grants
    sync_until: Type.Optional(relativeOrAbsoluteDatetime('Until when shared data keeps being updated; relative values count forward (§7.3.1).')),
    statement_date_start: Type.Optional(relativeOrAbsoluteDate('Earliest Bill Statement `statement_date` shared; relative values count back (§7.3.2).')),
    statement_date_end: Type.Optional(relativeOrAbsoluteDate('Latest Bill Statement `statement_date` shared; relative values count forward (§7.3.3).')),
    start_date: Type.Optional(relativeOrAbsoluteDate('Earliest Bill Section `start_date` shared; relative values count back (§7.3.4).')),
    end_date: Type.Optional(relativeOrAbsoluteDate('Latest Bill Section `end_date` shared; relative values count forward (§7.3.5).')),
    segment_start: Type.Optional(relativeOrAbsoluteDatetime('Earliest Usage Segment start shared, trimming longer segments; relative values count back (§7.3.6).')),
    segment_end: Type.Optional(relativeOrAbsoluteDatetime('Latest Usage Segment end shared, trimming longer segments; relative values count forward (§7.3.7).')),
    expires: Type.Optional(relativeOrAbsoluteDatetime('When the Grant expires; relative values count forward (§7.3.8).')),

    // §7.4 Other Fields
    authorization_form_selection_type: Type.Optional(AuthorizationFormSelectionType),
    merge_selection_with: Type.Optional(
      Cds.Nullable(Type.String(), { description: 'Scope id whose Selection this scope shares on the form; `null` for its own (§7.4.2).' }),
    ),
    error_if_no_preselections: flag('Show the Preselection Error (or, for direct scopes, refuse the token) when nothing is preselected (§7.4.3).'),
    purpose: Type.Optional(Cds.Nullable(Type.String(), { description: 'Id of the Client Purpose to show on the form; `null` for none (§7.4.4).' })),
    allow_scope_modifications: flag('Whether the Customer may edit the request on the form (§7.4.5).'),
    jwk: Type.Optional(
      Cds.Nullable(JwkPublicEncryptionKey, { description: 'Key to encrypt Customer Data API responses with; the same in every element of a request (§7.4.6).' }),
    ),
  },
  {
    $id: 'CustomerDataAuthorizationDetails',
    description:
      'An authorization_details element for a Customer Data scope: its RAR type plus the preselection, included data, duration and other fields (CDS-WG3-01 §7; RFC 9396 §2).',
  },
)
export type CustomerDataAuthorizationDetails = Static<typeof CustomerDataAuthorizationDetails>
