/**
 * `exportGreenButton`: one account's (or one meter's) interval data as a Green Button (NAESB
 * ESPI) Atom feed, streamed to a Writable. It is the importer's mirror: `importGreenButton` reads
 * the file back into the same Value Sets, decimals, qualities, nulls and directions, and the same
 * data always gives the same bytes.
 *
 * - Each Meter Device related to the exported segments is a UsagePoint titled with its
 *   `meter_number`; segments without a meter are not exported (counted in the summary).
 * - The `electric_usage`, `electric_demand` (`peak`, `average`), `natural_gas_usage` and
 *   `water_usage` formats of a segment that share type, unit, direction and demand type are one
 *   series: one MeterReading and ReadingType per series, interval and decimal scale, and one
 *   IntervalBlock per segment. Its formats' qualities become each reading's ReadingQuality.
 *   Other Value Types (cost, supply mix, meter readings, fuel oil) have no Green Button form.
 * - A value is written as an integer and a power of ten chosen from the largest scale of the
 *   series in the segment, so its digits are kept exactly. A `reverse` value is written positive
 *   (ESPI counts received energy up). An interval with no value is left out, except the first and
 *   last of a segment, written without `value` so the segment keeps its span.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import type { Writable } from 'node:stream'
import { Decimal } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import { DEMAND_TYPE_TO_ESPI, DIRECTION_TO_ESPI, espiUnitOf, QUALITY_TO_ESPI, type EspiUnit } from '../import/espi-codes.js'
import { isPlainDecimal, negate, scaleOf, toScaledInteger } from '../import/exact-decimal.js'
import { LOCAL_TIME_PRESETS, type LocalTimeParameters } from '../import/local-time.js'
import { ImportError } from '../import/segmenter.js'
import { resolveAccount } from '../import/target.js'
import { entry, FEED_END, feedStart, intervalBlockContent, localTimeContent, readingTypeContent, usagePointContent, type BlockReading } from './espi-writer.js'

/**
 * Options of {@link exportGreenButton}.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export interface ExportOptions {
  /** The account: its `cds_account_id` or its `account_number`. */
  account: string
  /** Only this meter (its `meter_number`). */
  meter?: string
  /** The LocalTimeParameters written into the feed (the import cuts months with them); default UTC. */
  localTime?: LocalTimeParameters
  /** Called after each segment with the segments and readings written so far. */
  onProgress?: (segments: number, readings: number) => void
}

/**
 * What an export wrote.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export interface ExportSummary {
  segments: number
  readings: number
  meters: number
  /** Segments left out: no related meter, or no format Green Button can carry. */
  skippedSegments: number
}

interface Format {
  type?: string
  units?: string
  direction?: string
  demand_type?: string
  quality?: string
}

interface Group {
  readonly key: string
  readonly type: string
  readonly units: string
  readonly unit: EspiUnit
  readonly direction: string | undefined
  readonly demandType: string | undefined
  readonly columns: { index: number; key: string; quality: number | undefined }[]
}

const VALUE_KEYS: Readonly<Record<string, string>> = { electric_usage: 'eu', electric_demand: 'ed', natural_gas_usage: 'gu', water_usage: 'wu' }

/** The exportable series of a segment's formats, in the order of their first column. */
function groupsOf(formats: readonly Format[]): Group[] {
  const groups = new Map<string, Group>()
  formats.forEach((f, index) => {
    const key = f.type === undefined ? undefined : VALUE_KEYS[f.type]
    const unit = f.type === undefined || f.units === undefined ? undefined : espiUnitOf(f.type, f.units)
    if (key === undefined || unit === undefined || f.type === undefined || f.units === undefined) return
    if (f.type === 'electric_demand' && DEMAND_TYPE_TO_ESPI[f.demand_type ?? ''] === undefined) return
    const id = [f.type, f.units, f.direction ?? '', f.demand_type ?? ''].join('\u0000')
    let group = groups.get(id)
    if (group === undefined) {
      group = { key: id, type: f.type, units: f.units, unit, direction: f.direction, demandType: f.demand_type, columns: [] }
      groups.set(id, group)
    }
    group.columns.push({ index, key, quality: f.quality === undefined ? undefined : QUALITY_TO_ESPI[f.quality] })
  })
  return [...groups.values()]
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'number' ? String(value) : Decimal.isDecimal(value) ? value.toString() : undefined

/**
 * Writes the account's interval data as one Green Button XML document.
 *
 * @throws {ImportError} for an unknown account or meter, or a stored value that is not a plain decimal
 * @example
 * ```ts
 * await exportGreenButton(db, createWriteStream('usage.xml'), { account: '0012345678', localTime: LOCAL_TIME_PRESETS['us-pacific'] })
 * ```
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export async function exportGreenButton(db: Kysely<Database>, output: Writable, options: ExportOptions): Promise<ExportSummary> {
  const account = await resolveAccount(db, options.account)
  const localTime = options.localTime ?? LOCAL_TIME_PRESETS.utc ?? { tzOffset: 0, dstOffset: 0, dstStartRule: '0', dstEndRule: '0' }
  let rows = await db
    .selectFrom('usage_segments as us')
    .innerJoin('usage_segment_links as a', (join) =>
      join.onRef('a.cds_usagesegment_id', '=', 'us.cds_usagesegment_id').on('a.object_type', '=', 'account').on('a.object_id', '=', account.cds_account_id),
    )
    .leftJoin('usage_segment_links as m', (join) => join.onRef('m.cds_usagesegment_id', '=', 'us.cds_usagesegment_id').on('m.object_type', '=', 'meter_device'))
    .leftJoin('meter_devices as md', 'md.cds_meterdevice_id', 'm.object_id')
    .select(['us.cds_usagesegment_id', 'us.segment_start', 'us.cds_modified', 'm.object_id as meter_id', 'md.meter_number'])
    .orderBy('us.segment_start')
    .orderBy('us.cds_usagesegment_id')
    .orderBy('m.object_id')
    .execute()
  // A segment measured by several meters goes under the first of them.
  const seen = new Set<string>()
  rows = rows.filter((r) => !seen.has(r.cds_usagesegment_id) && seen.add(r.cds_usagesegment_id))
  if (options.meter !== undefined) {
    const meter = options.meter
    if (!rows.some((r) => r.meter_number === meter)) {
      const known = await db
        .selectFrom('meter_devices')
        .select('cds_meterdevice_id')
        .where('meter_number', '=', meter)
        .executeTakeFirst()
      if (known === undefined) throw new ImportError(`unknown meter "${meter}"`)
    }
    rows = rows.filter((r) => r.meter_number === meter)
  }
  const skippedNoMeter = rows.filter((r) => r.meter_id === null).length
  const metered = rows.filter((r): r is typeof r & { meter_id: string } => r.meter_id !== null)
  const meterOrder = [...new Set(metered.map((r) => r.meter_id))].sort()
  // Timestamps from the data, not the clock: the same data gives the same bytes.
  const updated = new Date(Math.max(0, ...rows.map((r) => r.cds_modified.getTime()))).toISOString().replace(/\.000Z$/, 'Z')

  const write = async (text: string) => {
    if (!output.write(text)) await new Promise<void>((resolve, reject) => {
      output.once('drain', resolve)
      output.once('error', reject)
    })
  }
  const ns = account.cds_account_id
  const base = `RetailCustomer/${encodeURIComponent(account.account_number)}`
  await write(feedStart(ns, `${base}/UsagePoint`, updated))
  await write(entry(ns, { self: 'LocalTimeParameters/1', up: 'LocalTimeParameters' }, 'Local Time Parameters', localTimeContent(localTime), updated))

  const summary: ExportSummary = { segments: 0, readings: 0, meters: 0, skippedSegments: skippedNoMeter }
  let readingTypes = 0
  for (const [m, meterId] of meterOrder.entries()) {
    const usagePoint = `${base}/UsagePoint/${m + 1}`
    const series = new Map<string, { href: string; blocks: number }>()
    let started = false
    for (const row of metered.filter((r) => r.meter_id === meterId)) {
      const segment = await db
        .selectFrom('usage_segments')
        .select(['interval', 'formats', 'values'])
        .where('cds_usagesegment_id', '=', row.cds_usagesegment_id)
        .executeTakeFirstOrThrow()
      const interval = Number(segment.interval)
      if (!Number.isSafeInteger(interval) || interval <= 0) {
        summary.skippedSegments++
        continue
      }
      const formats = fromJsonText(segment.formats) as Format[]
      const values = fromJsonText(segment.values)
      const groups = groupsOf(formats)
      if (groups.length === 0) {
        summary.skippedSegments++
        continue
      }
      if (!started) {
        started = true
        summary.meters++
        const first = groups[0]
        await write(
          entry(ns, { self: usagePoint, up: `${base}/UsagePoint`, related: [`${usagePoint}/MeterReading`, 'LocalTimeParameters/1'] }, row.meter_number ?? meterId, usagePointContent(first?.unit.serviceKind ?? 0), updated),
        )
      }
      const start = Math.round(row.segment_start.getTime() / 1000)
      for (const group of groups) {
        const texts = values.map((set) => {
          for (const column of group.columns) {
            const text = textOf(set[column.index]?.[column.key])
            if (text === undefined) continue
            if (!isPlainDecimal(text)) throw new ImportError(`segment ${row.cds_usagesegment_id}: ${text} is not a plain decimal`)
            return { text: group.direction === 'reverse' ? negate(text) : text, quality: column.quality }
          }
          return undefined
        })
        const scale = Math.max(0, ...texts.map((t) => (t === undefined ? 0 : scaleOf(t.text))))
        const key = `${group.key}\u0000${interval}\u0000${scale}`
        let known = series.get(key)
        if (known === undefined) {
          known = { href: `${usagePoint}/MeterReading/${series.size + 1}`, blocks: 0 }
          series.set(key, known)
          const readingType = `ReadingType/${++readingTypes}`
          await write(entry(ns, { self: known.href, up: `${usagePoint}/MeterReading`, related: [`${known.href}/IntervalBlock`, readingType] }, 'Meter Reading', ['<espi:MeterReading/>'], updated))
          await write(entry(ns, { self: readingType, up: 'ReadingType' }, 'Type of Meter Reading Data', readingTypeContent(readingTypeFields(group, interval, scale)), updated))
        }
        const readings: BlockReading[] = []
        texts.forEach((t, k) => {
          // Interior gaps are left out; the edges are kept, valueless, so the span survives.
          if (t === undefined && k !== 0 && k !== texts.length - 1) return
          readings.push({ start: start + k * interval, duration: interval, value: t === undefined ? undefined : toScaledInteger(t.text, scale), quality: t?.quality })
        })
        summary.readings += readings.filter((r) => r.value !== undefined).length
        const block = `${known.href}/IntervalBlock/${++known.blocks}`
        await write(entry(ns, { self: block, up: `${known.href}/IntervalBlock` }, '', intervalBlockContent(start, texts.length * interval, readings), updated))
      }
      summary.segments++
      options.onProgress?.(summary.segments, summary.readings)
    }
  }
  await write(FEED_END)
  return summary
}

/** The ReadingType fields of a series, in ESPI schema order. */
function readingTypeFields(group: Group, interval: number, scale: number): [string, number | undefined][] {
  return [
    ['accumulationBehaviour', 4], // deltaData: each value is the quantity of its interval
    ['commodity', group.unit.commodity],
    ['dataQualifier', group.demandType === undefined ? undefined : DEMAND_TYPE_TO_ESPI[group.demandType]],
    ['flowDirection', group.direction === undefined ? undefined : DIRECTION_TO_ESPI[group.direction]],
    ['intervalLength', interval],
    ['kind', group.type === 'electric_demand' ? 8 : group.type === 'electric_usage' ? 12 : undefined],
    ['powerOfTenMultiplier', group.unit.exponent - scale],
    ['uom', group.unit.uom],
  ]
}
