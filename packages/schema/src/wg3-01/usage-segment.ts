/**
 * The Usage Segments API (CDS-WG3-01 §10.8): the Usage Segment object, its listing and the
 * listing's filters. A segment is a table: `formats` are its column headers (Value Formats,
 * `usage-segment-value-types.ts`) and `values` its rows (Value Sets of Value Objects,
 * `usage-segment-value-objects.ts`), one row per `interval` from `segment_start`.
 *
 * What JSON Schema cannot say is checked in code (`usage-segment-cells.ts`): each row has one
 * cell per format, and each cell has the fields of its column's Value Type, decimals exact. The
 * strict check runs it; the lenient parse decodes cells so their decimals become Decimals.
 * `segment_end - segment_start = len(values) * interval` is left to the server and the
 * conformance suite.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { refineWithIssues } from '../common/validate.js'
import { checkUsageSegmentCells, decodeUsageSegmentCells } from './usage-segment-cells.js'
import { ValueSet } from './usage-segment-value-objects.js'
import { ValueFormat } from './usage-segment-value-types.js'

// CDS-WG3-01 §10.8.1: each related_* list holds unique ids, only ones the token may see.
const relatedIds = (idField: string) =>
  Type.Array(Type.String(), {
    uniqueItems: true,
    description: `Unique \`${idField}\`s of the objects this segment applies to, limited to those the token may see; empty when none.`,
  })

/**
 * A run of back-to-back intervals (or evenly spaced readings) of one or more measurements.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
const UsageSegmentObject = Type.Object(
  {
    cds_usagesegment_id: Type.String({ description: "The server's unique id of this segment; a segment trimmed to a Grant window gets its own id (§7.3.6, A-34)." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, `cds_synced` aside.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth (now, for a live query).' }),
    related_aggregations: relatedIds('cds_aggregation_id'),
    related_accounts: relatedIds('cds_account_id'),
    related_servicecontracts: relatedIds('cds_servicecontract_id'),
    related_servicepoints: relatedIds('cds_servicepoint_id'),
    related_meterdevices: relatedIds('cds_meterdevice_id'),
    related_billsections: relatedIds('cds_billsection_id'),
    segment_start: Cds.DateTime({ description: 'Start of the first Value Set’s interval.' }),
    // CDS-WG3-01 §10.8.1: for duration values this is the end of the last interval.
    segment_end: Cds.DateTime({ description: 'End of the segment: for duration values, the end of the last interval (exclusive).' }),
    interval: Cds.Decimal({
      description:
        'Seconds per Value Set: the length of each back-to-back interval, or the spacing of point readings; a variable period such as a billing month is one segment with one Value Set (§10.8.1).',
    }),
    formats: Type.Array(ValueFormat, { description: 'The Value Format of each Value Set position, in order; empty when the Grant allows no value types (§7.2.8.1).' }),
    values: Type.Array(ValueSet, { description: 'One Value Set per interval, in time order.' }),
  },
  {
    $id: 'UsageSegment',
    description:
      'Usage Segment: interval or reading data from `segment_start`, one Value Set per `interval` seconds, its columns described by `formats`, with the related accounts, contracts, service points, meters, bill sections and aggregations (CDS-WG3-01 §10.8.1).',
  },
)

/**
 * A run of back-to-back intervals (or evenly spaced readings) of one or more measurements, with
 * its cells checked against their columns.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
export const UsageSegment = Type.Codec(refineWithIssues(UsageSegmentObject, checkUsageSegmentCells))
  .Decode((segment) => decodeUsageSegmentCells(segment))
  .Encode((segment) => segment)
export type UsageSegment = Static<typeof UsageSegment>

/**
 * One page of Usage Segments.
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export const UsageSegmentListing = Cds.Listing('usage_segments', UsageSegment, {
  $id: 'UsageSegmentListing',
  description:
    'Usage Segment listing: up to 100 segments per page ordered by aggregation, account and contract number, then earliest `segment_start`, then latest `cds_modified` (A-17), with next/previous links (CDS-WG3-01 §10.8.8).',
})
export type UsageSegmentListing = Static<typeof UsageSegmentListing>

const idList = (what: string, extra = '') =>
  Type.Optional(Type.String({ description: `Space-separated ${what}; keeps segments related to any of them${extra}.` }))

/**
 * Query parameters of the Usage Segments listing; several parameters intersect.
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export const UsageSegmentListingQuery = Type.Object(
  {
    cds_usagesegment_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_usagesegment_id`s to return.' })),
    before: Type.Optional(Cds.DateTime({ description: 'Keeps segments whose `segment_start` is at or before this instant.' })),
    after: Type.Optional(Cds.DateTime({ description: 'Keeps segments whose `segment_end` is at or after this instant (inclusive, A-52).' })),
    cds_account_ids: idList('`cds_account_id`s'),
    account_numbers: idList('account numbers', ' (only numbers the token may see, A-13)'),
    cds_servicecontract_ids: idList('`cds_servicecontract_id`s'),
    contract_numbers: idList('contract numbers', ' (only numbers the token may see, A-13)'),
    cds_servicepoint_ids: idList('`cds_servicepoint_id`s'),
    servicepoint_numbers: idList('service point numbers', ' (only numbers the token may see, A-13)'),
    cds_meterdevice_ids: idList('`cds_meterdevice_id`s'),
    meter_numbers: idList('meter numbers', ' (only numbers the token may see, A-13)'),
    cds_billsection_ids: idList('`cds_billsection_id`s'),
    // Not in §10.8.8: backwards-compatible extension parameters (§11.5) recommended by A-38.
    cds_aggregation_ids: idList('`cds_aggregation_id`s', ' (extension, A-38)'),
    aggregation_numbers: idList('aggregation numbers', ' (extension, A-38)'),
  },
  {
    $id: 'UsageSegmentListingQuery',
    description:
      'Filters of the Usage Segment listing, as URL query strings; the results of several filters intersect. `cds_aggregation_ids` and `aggregation_numbers` are an extension (A-38) (CDS-WG3-01 §10.8.8).',
  },
)
export type UsageSegmentListingQuery = Static<typeof UsageSegmentListingQuery>
