/**
 * The Energy Attribute Certificates API objects (CDS-WG3-01 §10.9): the EAC, the description
 * of an EAC data format (served in the metadata's `cds_eac_formats`), the listing envelope and
 * the listing filters.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * To whom an EAC is allocated, which decides what the `beneficiaries` ids are.
 *
 * @see CDS-WG3-01 §10.9.2 Beneficiary Types
 */
export const BeneficiaryType = Cds.Enum(['customer', 'account', 'servicecontract', 'rateplan', 'program', 'general'], {
  $id: 'BeneficiaryType',
  description:
    'Kind of EAC beneficiary: customer numbers, Account ids, Service Contract ids, rate plan codes, program numbers, or `general` with none (CDS-WG3-01 §10.9.2).',
})
export type BeneficiaryType = Static<typeof BeneficiaryType>

/**
 * An Energy Attribute Certificate and the link to its data. Not checkable by schema
 * (CDS-WG3-01 §10.9.1, §10.9.2): `eac_format` is a key of the metadata's `cds_eac_formats`,
 * `eac_data_url` is served under the same authentication as this API, and `beneficiaries`
 * lists only values the token may see.
 *
 * @see CDS-WG3-01 §10.9.1 Energy Attribute Certificate Object Format
 */
export const Eac = Type.Object(
  {
    cds_eac_id: Type.String({ description: "The server's unique identifier of this EAC." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced`.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    beneficiary_type: BeneficiaryType,
    beneficiaries: Type.Array(Type.String(), { description: 'Visible identifiers the EAC is allocated to, of the kind `beneficiary_type` names.' }),
    eac_numbers: Type.Array(Type.String(), { description: 'Registry or customer-facing EAC identifiers; `[]` when none or none visible.' }),
    eac_format: Type.String({ description: 'Format of the data at `eac_data_url`: a key of the metadata `cds_eac_formats`.' }),
    eac_data_url: Cds.Url({ description: 'Where the EAC data is, in `eac_format` (a file, an archive or an API base URL).' }),
    period_start: Cds.DateTime({ description: 'Start of the period the EAC covers.' }),
    period_end: Cds.DateTime({ description: 'End of the period the EAC covers; may be in the future.' }),
  },
  {
    $id: 'Eac',
    description: 'Energy Attribute Certificate (EAC): who benefits, its registry numbers, its period and a link to its data (CDS-WG3-01 §10.9.1).',
    // CDS-WG3-01 §10.9.2 (general): an EAC applied to everyone's base profile lists no beneficiaries.
    allOf: [{ if: { required: ['beneficiary_type'], properties: { beneficiary_type: { const: 'general' } } }, then: { properties: { beneficiaries: { maxItems: 0 } } } }],
  },
)
export type Eac = Static<typeof Eac>

/**
 * Describes one EAC data format a server uses; the metadata's `cds_eac_formats` maps each
 * format `id` to its description.
 *
 * @see CDS-WG3-01 §10.9.3 EAC Data Format Description Object
 */
export const EacDataFormatDescription = Type.Object(
  {
    id: Type.String({ description: 'The format identifier used in EAC `eac_format`; also its key in `cds_eac_formats`.' }),
    name: Type.String({ description: 'Human-readable name, e.g. "Energy Tag API".' }),
    description: Type.String({ description: 'Human-readable description of the format.' }),
    documentation: Cds.Url({ description: 'Developer documentation of the format.' }),
  },
  {
    $id: 'EacDataFormatDescription',
    description: 'EAC Data Format Description: names and documents a format of EAC data linked from `eac_data_url` (CDS-WG3-01 §10.9.3).',
  },
)
export type EacDataFormatDescription = Static<typeof EacDataFormatDescription>

/**
 * One page of EACs, ordered by `period_start` and `cds_created` descending, then `cds_eac_id`.
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export const EacListing = Cds.Listing('eacs', Eac, {
  $id: 'EacListing',
  description: 'EAC listing: a page of EACs by `period_start` then `cds_created` descending, then `cds_eac_id` ascending (CDS-WG3-01 §10.9.4).',
})
export type EacListing = Static<typeof EacListing>

/**
 * URL query parameters of the EAC listing; the filters intersect, and `before` with `after`
 * select the EACs whose period overlaps a range.
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export const EacListingQuery = Type.Object(
  {
    cds_eac_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_eac_id` values.' })),
    eac_numbers: Type.Optional(Type.String({ description: 'Space-separated values matched against `eac_numbers`.' })),
    beneficiaries: Type.Optional(
      Type.String({ description: 'Space-separated values matched against `beneficiaries` of any type; clients re-check `beneficiary_type`.' }),
    ),
    before: Type.Optional(Cds.DateTime({ description: 'Keep EACs whose `period_start` is at or before this instant.' })),
    after: Type.Optional(Cds.DateTime({ description: 'Keep EACs whose `period_end` is at or after this instant.' })),
  },
  { $id: 'EacListingQuery', description: 'Filters of the EAC listing; several filters intersect (CDS-WG3-01 §10.9.4).' },
)
export type EacListingQuery = Static<typeof EacListingQuery>
