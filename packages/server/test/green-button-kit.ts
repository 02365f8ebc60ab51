/**
 * Accounts and contracts the import and export tests write into, and readers of what an import
 * wrote (segments with raw decimal text, row counts) for exact comparisons.
 */
import { stringifyJson } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import { fileURLToPath } from 'node:url'
import type { Database } from '../src/db/database.js'
import { fromJsonText, toJsonText } from '../src/db/json-text.js'

/** The Green Button fixture: 3 days of 15-minute electricity (one month boundary), solar export, daily gas. */
export const ELECTRIC_GAS_XML = fileURLToPath(new URL('fixtures/green-button/electric-gas.xml', import.meta.url))

const T0 = new Date('2025-01-01T00:00:00Z')

/** Adds an account with an electric and a natural gas contract; returns the account id. */
export async function seedAccount(db: Kysely<Database>, id: string, accountNumber: string): Promise<string> {
  const stamps = { cds_created: T0, cds_modified: T0, cds_synced: T0 }
  await db.insertInto('accounts').values({ cds_account_id: id, customer_id: null, account_number: accountNumber, account_status: 'active', ...stamps }).execute()
  for (const [suffix, service] of [['e', 'electric'], ['g', 'natural_gas']] as const) {
    await db
      .insertInto('service_contracts')
      .values({
        cds_servicecontract_id: `${id}-${suffix}`,
        cds_account_id: id,
        contract_number: `${accountNumber}-${suffix.toUpperCase()}`,
        contract_status: 'active',
        service_types: toJsonText([service]),
        ...stamps,
      })
      .execute()
  }
  return id
}

/** A stored segment, comparable across databases: no ids, decimals as their raw JSON text. */
export interface SegmentView {
  meter_number: string | null
  segment_start: string
  segment_end: string
  interval: string
  formats: string
  values: string
  cds_modified: string
}

/** The segments related to an account, ordered by meter number and start, with the meter ids taken out of the formats. */
export async function segmentsOf(db: Kysely<Database>, accountId: string): Promise<SegmentView[]> {
  const rows = await db
    .selectFrom('usage_segments as us')
    .innerJoin('usage_segment_links as a', 'a.cds_usagesegment_id', 'us.cds_usagesegment_id')
    .innerJoin('usage_segment_links as m', 'm.cds_usagesegment_id', 'us.cds_usagesegment_id')
    .innerJoin('meter_devices as md', 'md.cds_meterdevice_id', 'm.object_id')
    .select(['md.meter_number', 'us.segment_start', 'us.segment_end', 'us.interval', 'us.formats', 'us.values', 'us.cds_modified'])
    .where('a.object_type', '=', 'account')
    .where('a.object_id', '=', accountId)
    .where('m.object_type', '=', 'meter_device')
    .execute()
  return rows
    .map((r) => {
      const formats = fromJsonText<Record<string, unknown>[]>(r.formats).map(({ related_meterdevices: _, ...rest }) => rest)
      return {
        meter_number: r.meter_number,
        segment_start: r.segment_start.toISOString(),
        segment_end: r.segment_end.toISOString(),
        interval: r.interval,
        formats: stringifyJson(formats),
        values: stringifyJson(fromJsonText(r.values)),
        cds_modified: r.cds_modified.toISOString(),
      }
    })
    .sort((a, b) => `${a.meter_number ?? ''} ${a.segment_start} ${a.formats}`.localeCompare(`${b.meter_number ?? ''} ${b.segment_start} ${b.formats}`))
}

/** Row counts of every table an import writes. */
export async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of ['usage_segments', 'usage_segment_links', 'meter_devices', 'service_points', 'meterdevice_servicepoints', 'servicepoint_servicecontracts'] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[table] = row.n
  }
  return out
}
