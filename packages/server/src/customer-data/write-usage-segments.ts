/**
 * Writes Usage Segments (CDS-WG3-01 §10.8.1) with their `related_*` links: the one writer the demo
 * generator and the importers share. A segment's Value Sets go in as one stored JSON document
 * (exact decimal text); its `segment_end` follows from `segment_start`, `interval` and the number
 * of Value Sets; its sort keys (§10.8.8, A-17) are computed from the related objects' numbers.
 *
 * A segment with a `source_key` replaces the one written before with the same key (same
 * `cds_usagesegment_id`), and its `cds_modified` moves only when its content changed, so a
 * re-import of the same file changes nothing (catalog §1.12: a sync-only touch never reorders).
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { randomBytes } from 'node:crypto'
import { Decimal, stringifyJson } from '@cds-ts/schema'
import { sql, type Kysely, type Transaction } from 'kysely'
import { SORT_LAST, type Database, type UsageSegmentLinkType } from '../db/database.js'

/** One Usage Segment to write. */
export interface UsageSegmentInput {
  /** Default: a new random id (16 hex digits). Ignored when `source_key` matches an existing segment. */
  cds_usagesegment_id?: string
  segment_start: Date
  /** Seconds between Value Sets, as exact decimal text (`"900"`). */
  interval: string
  /** Value Format objects (§10.8.2). */
  formats: readonly Record<string, unknown>[]
  /** Value Sets (§10.8.3), one per interval; decimals as `Decimal`, missing Value Objects as `null`. */
  values: readonly (readonly (Record<string, unknown> | null)[])[]
  /** The `related_*` ids by object type. */
  related: Partial<Record<UsageSegmentLinkType, readonly string[]>>
  /** The importer's stable key for this segment (idempotent re-import); omit for generated data. */
  source_key?: string
}

/** A new opaque object id: 16 random hex digits, never sequential (catalog §7.2). */
export function newObjectId(): string {
  return randomBytes(8).toString('hex')
}

/** `start + n × interval`, with the interval in (possibly fractional) seconds. */
export function segmentEnd(start: Date, interval: string, sets: number): Date {
  return new Date(start.getTime() + Math.round(Number(interval) * 1000) * sets)
}

/**
 * Writes the segments in one transaction (or in the caller's), returning their ids in order.
 *
 * @throws {TypeError} for a segment without Value Sets or with a non-decimal `interval`
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
export async function writeUsageSegments(db: Kysely<Database>, segments: readonly UsageSegmentInput[], now: Date): Promise<string[]> {
  if (segments.length === 0) return []
  const run = async (trx: Transaction<Database> | Kysely<Database>) => {
    const sortKeys = await sortKeysOf(trx, segments)
    const ids: string[] = []
    for (const [i, segment] of segments.entries()) {
      if (segment.values.length === 0) throw new TypeError('a Usage Segment needs at least one Value Set')
      if (!Decimal.isDecimalText(segment.interval)) throw new TypeError(`interval ${JSON.stringify(segment.interval)} is not a decimal number of seconds`)
      const keys = sortKeys[i] ?? { aggregation: SORT_LAST, account: SORT_LAST, contract: SORT_LAST }
      const row = {
        cds_usagesegment_id: segment.cds_usagesegment_id ?? newObjectId(),
        segment_start: segment.segment_start,
        segment_end: segmentEnd(segment.segment_start, segment.interval, segment.values.length),
        interval: segment.interval,
        formats: stringifyJson(segment.formats),
        values: stringifyJson(segment.values),
        sort_aggregation_number: keys.aggregation,
        sort_account_number: keys.account,
        sort_contract_number: keys.contract,
        source_key: segment.source_key ?? null,
        cds_created: now,
        cds_modified: now,
        cds_synced: now,
      }
      const written = await trx
        .insertInto('usage_segments')
        .values(row)
        .onConflict((oc) =>
          oc.column('source_key').doUpdateSet((eb) => ({
            segment_start: eb.ref('excluded.segment_start'),
            segment_end: eb.ref('excluded.segment_end'),
            interval: eb.ref('excluded.interval'),
            formats: eb.ref('excluded.formats'),
            values: eb.ref('excluded.values'),
            sort_aggregation_number: eb.ref('excluded.sort_aggregation_number'),
            sort_account_number: eb.ref('excluded.sort_account_number'),
            sort_contract_number: eb.ref('excluded.sort_contract_number'),
            cds_synced: eb.ref('excluded.cds_synced'),
            // Only a change of content is a modification (catalog §1.12).
            cds_modified: sql`case when usage_segments.values = excluded.values and usage_segments.formats = excluded.formats
              and usage_segments.segment_start = excluded.segment_start and usage_segments.interval = excluded.interval
              then usage_segments.cds_modified else excluded.cds_modified end`,
          })),
        )
        .returning('cds_usagesegment_id')
        .executeTakeFirstOrThrow()
      const id = written.cds_usagesegment_id
      ids.push(id)
      await trx.deleteFrom('usage_segment_links').where('cds_usagesegment_id', '=', id).execute()
      const links = Object.entries(segment.related).flatMap(([type, objectIds]) =>
        [...new Set(objectIds)].map((object_id) => ({ cds_usagesegment_id: id, object_type: type as UsageSegmentLinkType, object_id })),
      )
      if (links.length > 0) await trx.insertInto('usage_segment_links').values(links).execute()
    }
    return ids
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

interface SortKeys {
  aggregation: string
  account: string
  contract: string
}

/** §10.8.8: the smallest related aggregation, account and contract number of each segment. */
async function sortKeysOf(db: Kysely<Database>, segments: readonly UsageSegmentInput[]): Promise<SortKeys[]> {
  const ids = (type: UsageSegmentLinkType) => [...new Set(segments.flatMap((s) => s.related[type] ?? []))]
  const numbers = async (
    table: 'aggregations' | 'accounts' | 'service_contracts',
    idColumn: string,
    numberColumn: string,
    wanted: string[],
  ): Promise<Map<string, string>> => {
    if (wanted.length === 0) return new Map()
    const rows = await sql<{ id: string; number: string | null }>`select ${sql.ref(idColumn)} as id, ${sql.ref(numberColumn)} as number
      from ${sql.table(table)} where ${sql.ref(idColumn)} in (${sql.join(wanted)})`.execute(db)
    return new Map(rows.rows.filter((r) => r.number !== null).map((r) => [r.id, r.number ?? '']))
  }
  const aggregations = await numbers('aggregations', 'cds_aggregation_id', 'aggregation_number', ids('aggregation'))
  const accounts = await numbers('accounts', 'cds_account_id', 'account_number', ids('account'))
  const contracts = await numbers('service_contracts', 'cds_servicecontract_id', 'contract_number', ids('service_contract'))
  const smallest = (map: Map<string, string>, related: readonly string[] | undefined) =>
    (related ?? [])
      .map((id) => map.get(id))
      .filter((n): n is string => n !== undefined)
      // Code-point order, like `collate "C"` in the listing's index.
      .reduce<string>((min, n) => (n < min ? n : min), SORT_LAST)
  return segments.map((s) => ({
    aggregation: smallest(aggregations, s.related.aggregation),
    account: smallest(accounts, s.related.account),
    contract: smallest(contracts, s.related.service_contract),
  }))
}
