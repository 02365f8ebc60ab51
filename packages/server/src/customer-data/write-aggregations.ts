/**
 * Writers for Aggregations (with their members and child aggregations) and Energy Attribute
 * Certificates, CDS-WG3-01 §10.7 and §10.9.
 *
 * @see CDS-WG3-01 §10.7 Aggregations API
 * @see CDS-WG3-01 §10.9 Energy Attribute Certificates API
 * @module
 */
import type { Kysely } from 'kysely'
import type { AggregationMemberType, Database } from '../db/database.js'
import { toJsonText } from '../db/json-text.js'
import { insertRows } from './write-batch.js'
import type { DataTimes, NestedObject } from './write-objects.js'

/**
 * An Aggregation to write (§10.7.1). `members` are the `grouped_*` ids by type (`aggregation`
 * for `grouped_aggregations`); `criteria` the type-specific fields (`rateplan_code`, `countries`, …).
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export interface AggregationInput extends DataTimes {
  cds_aggregation_id: string
  aggregation_number: string | null
  aggregation_types: readonly string[]
  scope: string
  authorization_details: readonly NestedObject[]
  grouped_addresses: readonly string[]
  grouped_regions: readonly NestedObject[]
  consent_requirements: readonly NestedObject[]
  criteria: NestedObject
  members: Partial<Record<AggregationMemberType, readonly string[]>>
}

/**
 * An Energy Attribute Certificate to write (§10.9.1).
 *
 * @see CDS-WG3-01 §10.9.1 EAC Object Format
 */
export interface EacInput extends DataTimes {
  cds_eac_id: string
  beneficiary_type: string
  beneficiaries: readonly string[]
  eac_numbers: readonly string[]
  eac_format: string
  eac_data_url: string | null
  period_start: Date
  period_end: Date
}

/**
 * Writes Aggregations and their members, parents and children in any order (members are not
 * foreign keys).
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export async function writeAggregations(db: Kysely<Database>, aggregations: readonly AggregationInput[]): Promise<number> {
  const inserted = await insertRows(
    db,
    'aggregations',
    aggregations.map((g) => ({
      cds_aggregation_id: g.cds_aggregation_id,
      aggregation_number: g.aggregation_number,
      aggregation_types: toJsonText([...g.aggregation_types]),
      scope: g.scope,
      authorization_details: toJsonText([...g.authorization_details]),
      grouped_addresses: toJsonText([...g.grouped_addresses]),
      grouped_regions: toJsonText([...g.grouped_regions]),
      consent_requirements: toJsonText([...g.consent_requirements]),
      criteria: toJsonText(g.criteria),
      cds_created: g.cds_created,
      cds_modified: g.cds_modified,
      cds_synced: g.cds_synced,
    })),
  )
  await insertRows(
    db,
    'aggregation_members',
    aggregations.flatMap((g) =>
      (Object.entries(g.members) as [AggregationMemberType, readonly string[]][]).flatMap(([object_type, ids]) =>
        [...new Set(ids)].map((object_id) => ({ cds_aggregation_id: g.cds_aggregation_id, object_type, object_id })),
      ),
    ),
  )
  return inserted
}

/**
 * Writes Energy Attribute Certificates.
 *
 * @see CDS-WG3-01 §10.9.1 EAC Object Format
 */
export function writeEacs(db: Kysely<Database>, eacs: readonly EacInput[]): Promise<number> {
  return insertRows(
    db,
    'eacs',
    eacs.map((e) => ({
      cds_eac_id: e.cds_eac_id,
      beneficiary_type: e.beneficiary_type,
      beneficiaries: toJsonText([...e.beneficiaries]),
      eac_numbers: toJsonText([...e.eac_numbers]),
      eac_format: e.eac_format,
      eac_data_url: e.eac_data_url,
      period_start: e.period_start,
      period_end: e.period_end,
      cds_created: e.cds_created,
      cds_modified: e.cds_modified,
      cds_synced: e.cds_synced,
    })),
  )
}
