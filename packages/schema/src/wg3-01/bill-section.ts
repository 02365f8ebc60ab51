/**
 * The Bill Sections API objects (CDS-WG3-01 §10.6): the part of a bill that covers one
 * service, sub-account or other group of charges, the listing envelope and the listing filters.
 * The nested usage details, cost details and line items are in `bill-section-details.ts`.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { BillSectionCostDetail, BillSectionLineItem, BillSectionUsageDetail } from './bill-section-details.js'
import { Entity } from './shared-objects.js'

/**
 * What a Bill Section covers: a Service Contract, a sub-account, other charges, a commodity,
 * and whether distribution and/or supply charges are in it.
 *
 * @see CDS-WG3-01 §10.6.2 Bill Section Types
 */
export const BillSectionType = Cds.Enum(
  ['service_contract', 'sub_account', 'other_section', 'electric', 'water', 'natural_gas', 'fuel_oil', 'distribution', 'supply'],
  {
    $id: 'BillSectionType',
    description:
      'What a bill section covers: a service contract, a sub-account, other charges, a commodity, distribution and/or supply charges (CDS-WG3-01 §10.6.2).',
  },
)
export type BillSectionType = Static<typeof BillSectionType>

/**
 * One section of a bill. Not checkable by schema (CDS-WG3-01 §10.6.1): every `related_*` list
 * holds only ids the token may see; when one Entity both distributes and supplies the service
 * and the section covers both, `distribution_entity` and `supply_entity` are the same object;
 * for `sub_account` sections `cds_account_id` is the sub-account's (§10.6.2, A-30).
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export const BillSection = Type.Object(
  {
    cds_billsection_id: Type.String({ description: "The server's unique identifier of this Bill Section." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced`.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    cds_billstatement_id: Cds.Nullable(Type.String(), {
      description: 'The Bill Statement this section belongs to; null when the token may not see that statement.',
    }),
    cds_account_id: Type.String({ description: 'The Account billed; for `sub_account` sections, the sub-account.' }),
    // REQUIRED in §10.6.1, yet gated by `include_account_numbers` (§7.2.1.1); absent when the gate is off.
    account_number: Type.Optional(
      Type.String({ description: "The Account's `account_number` when the section was issued; present when account numbers are enabled (A-07)." }),
    ),
    section_types: Type.Array(BillSectionType, { description: 'What this section covers; clients ignore values they do not know.' }),
    start_date: Cds.Date({ description: 'First day of service covered.' }),
    end_date: Cds.Date({ description: 'Last day of service covered.' }),
    currency: Cds.CurrencyCode({ description: 'ISO 4217 currency of every cost in this section.' }),
    distribution_entity: Cds.Nullable(Entity, { description: 'Who distributes the service; null when the section has no distribution component.' }),
    supply_entity: Cds.Nullable(Entity, { description: 'Who supplies the service; null when the section has no supply component.' }),
    related_servicecontracts: Type.Array(Type.String(), { description: 'Visible `cds_servicecontract_id`s this section applies to.' }),
    related_servicepoints: Type.Array(Type.String(), { description: 'Visible `cds_servicepoint_id`s this section applies to.' }),
    related_meterdevices: Type.Array(Type.String(), { description: 'Visible `cds_meterdevice_id`s this section applies to.' }),
    related_billsections: Type.Array(Type.String(), {
      description: 'Visible `cds_billsection_id`s of other sections issued alongside this one for the same Service Contract.',
    }),
    usage_details: Type.Array(BillSectionUsageDetail, { description: 'Usage and other summary values of this section.' }),
    cost_details: Type.Array(BillSectionCostDetail, { description: 'Totals and subtotals of the charges of this section.' }),
    line_items: Type.Optional(Type.Array(BillSectionLineItem, { description: 'Individual charges of this section; present when line items are enabled.' })),
  },
  {
    $id: 'BillSection',
    description:
      'Bill Section: the charges of one service contract, sub-account or other group on a bill, with usage, cost details and line items (CDS-WG3-01 §10.6.1).',
  },
)
export type BillSection = Static<typeof BillSection>

/**
 * One page of Bill Sections, ordered by account number, contract number, `start_date`, then
 * newest `cds_modified` first.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export const BillSectionListing = Cds.Listing('bill_sections', BillSection, {
  $id: 'BillSectionListing',
  description:
    'Bill Section listing: a page of sections by `account_number`, contract number and `start_date` ascending, then `cds_modified` descending (CDS-WG3-01 §10.6.9).',
})
export type BillSectionListing = Static<typeof BillSectionListing>

/**
 * URL query parameters of the Bill Sections listing; the filters intersect. `before` and
 * `after` together select the sections that overlap a date range.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export const BillSectionListingQuery = Type.Object(
  {
    cds_billsection_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_billsection_id` values.' })),
    before: Type.Optional(Cds.Date({ description: 'Keep sections whose `start_date` is on or before this date.' })),
    after: Type.Optional(Cds.Date({ description: 'Keep sections whose `end_date` is on or after this date.' })),
    cds_billstatement_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_billstatement_id` values.' })),
    cds_account_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_account_id` values.' })),
    account_numbers: Type.Optional(Type.String({ description: 'Space-separated `account_number` values.' })),
    cds_servicecontract_ids: Type.Optional(Type.String({ description: 'Space-separated ids matched against `related_servicecontracts`.' })),
    contract_numbers: Type.Optional(Type.String({ description: 'Space-separated `contract_number`s of the related Service Contracts.' })),
  },
  { $id: 'BillSectionListingQuery', description: 'Filters of the Bill Section listing; several filters intersect (CDS-WG3-01 §10.6.9).' },
)
export type BillSectionListingQuery = Static<typeof BillSectionListingQuery>
