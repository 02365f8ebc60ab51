/**
 * `importCsv`: interval readings from a CSV file into one customer's account, through the same
 * segmenting and writing path as Green Button (`segmenter.ts`, `import-run.ts`), streamed with
 * `csv-parse` and written in one transaction.
 *
 * The first line names the columns, in any order (RFC 4180 quoting; a UTF-8 BOM is skipped):
 *
 * | column | required | content |
 * |---|---|---|
 * | `meter_number` | yes | the meter's number in the account (found or added as for Green Button) |
 * | `interval_start` | yes | RFC 3339 date-time with an offset, whole seconds (`2025-01-15T00:00:00-08:00`) |
 * | `interval_seconds` | yes | the interval's length, a positive integer |
 * | `value` | yes | a plain decimal, stored with its digits as written; empty: stated but missing (`null`) |
 * | `units` | yes | a UnitType (§10.8.7.1) the value type allows |
 * | `type` | no | `electric_usage`, `electric_demand`, `natural_gas_usage` or `water_usage`; default from `units` |
 * | `direction` | no | `forward`, `reverse` or `net` (electric only), in the CDS sign convention (reverse ≤ 0) |
 * | `quality` | no | a ReadingQualityType (§10.8.7.6) |
 * | `demand_type` | no | for `electric_demand`: `peak` or `average` (default `average`) |
 *
 * Months are cut in `options.localTime` (default UTC).
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { parse } from 'csv-parse'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { ImportValueType } from './espi-codes.js'
import { QUALITY_ORDER } from './espi-codes.js'
import { isPlainDecimal } from './exact-decimal.js'
import { runImport, type ImportOptions, type ImportSummary } from './import-run.js'
import { LocalTime, LOCAL_TIME_PRESETS } from './local-time.js'
import { ImportError, seriesKey, type SeriesDescriptor } from './segmenter.js'

/** The columns `importCsv` reads; the first five are required. */
export const CSV_COLUMNS = ['meter_number', 'interval_start', 'interval_seconds', 'value', 'units', 'type', 'direction', 'quality', 'demand_type'] as const

const REQUIRED = CSV_COLUMNS.slice(0, 5)

/** The units each Value Type allows (catalog §3.6.1); the first type listing a unit is its default. */
const UNITS: Readonly<Record<ImportValueType, readonly string[]>> = {
  electric_usage: ['Wh', 'kWh', 'MWh'],
  electric_demand: ['W', 'kW', 'MW'],
  natural_gas_usage: ['Btu', 'therm', 'Sm3', 'scf'],
  water_usage: ['m3', 'L', 'gal', 'ft3', 'CCF', 'MCF', 'MMCF'],
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/
const DIRECTIONS = new Set(['forward', 'reverse', 'net'])
const QUALITIES = new Set(QUALITY_ORDER.filter((q): q is string => q !== undefined))
// The longest line csv-parse may hold (a record is a few dozen bytes).
const MAX_RECORD = 65_536

/**
 * Imports one CSV file of interval readings into an account, in one transaction.
 *
 * @throws {ImportError} for a bad line (the message starts with `file:line`), an unknown account
 * or a meter without a contract; the database is then unchanged
 * @example
 * ```ts
 * await importCsv(db, createReadStream('usage.csv'), { account: '0012345678', sourceName: 'usage.csv' })
 * ```
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export async function importCsv(db: Kysely<Database>, input: Readable, options: ImportOptions): Promise<ImportSummary> {
  return runImport(db, options, async (context) => {
    const name = context.sourceName
    const localTime = new LocalTime(options.localTime ?? LOCAL_TIME_PRESETS.utc ?? { tzOffset: 0, dstOffset: 0, dstStartRule: '0', dstEndRule: '0' })
    let bytes = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        callback(null, chunk)
      },
    })
    const parser = parse({ bom: true, columns: true, info: true, trim: true, skip_empty_lines: true, max_record_size: MAX_RECORD })
    input.on('error', (error) => parser.destroy(error))
    input.pipe(counter).pipe(parser)
    const series = new Map<string, SeriesDescriptor>()
    let header = false
    try {
      for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        const { record, info } = item
        const where = `${name}:${info.lines}`
        if (!header) {
          header = true
          const missing = REQUIRED.filter((c) => !(c in record))
          if (missing.length > 0) throw new ImportError(`${name}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
        }
        const reading = readRecord(record, where, localTime)
        const key = seriesKey(reading.series)
        const known = series.get(key) ?? reading.series
        series.set(key, known)
        context.reading()
        context.segmenter.add(known, { start: reading.start, value: reading.value, quality: reading.quality, where })
        context.progress(bytes)
        if ((info.lines & 0xff) === 0) await context.drain()
      }
    } catch (error) {
      if (error instanceof ImportError) throw error
      // csv-parse errors carry the line in their message ("… at line 12").
      throw new ImportError(`${name}: ${(error as Error).message}`)
    }
    return bytes
  })
}

interface CsvReading {
  series: SeriesDescriptor
  start: number
  value: string | null
  quality: string | undefined
}

function readRecord(record: Record<string, string>, where: string, localTime: LocalTime): CsvReading {
  const field = (column: string) => record[column] ?? ''
  const fail = (column: string, why: string): never => {
    throw new ImportError(`${where} ${column}: ${JSON.stringify(field(column))} ${why}`)
  }
  const meterNumber = field('meter_number')
  if (meterNumber === '') fail('meter_number', 'is empty')
  const startText = field('interval_start')
  const start = Date.parse(startText) / 1000
  if (!DATE_TIME.test(startText) || !Number.isSafeInteger(start)) fail('interval_start', 'is not an RFC 3339 date-time with an offset, in whole seconds')
  const intervalText = field('interval_seconds')
  const interval = /^\d{1,9}$/.test(intervalText) ? Number(intervalText) : 0
  if (interval <= 0) fail('interval_seconds', 'is not a positive integer')
  const valueText = field('value')
  if (valueText !== '' && !isPlainDecimal(valueText.replace(/^\+/, ''))) fail('value', 'is not a decimal number')
  const units = field('units')
  const typeText = field('type')
  const type = (typeText === '' ? (Object.keys(UNITS) as ImportValueType[]).find((t) => UNITS[t].includes(units)) : typeText) as ImportValueType | undefined
  if (type === undefined || !(type in UNITS)) {
    return typeText === '' ? fail('units', 'is not a unit of an electric, gas or water usage value') : fail('type', 'is not a Value Type the import writes')
  }
  if (!UNITS[type].includes(units)) fail('units', `is not a unit of ${type}`)
  const direction = field('direction')
  if (direction !== '' && (!DIRECTIONS.has(direction) || !type.startsWith('electric'))) fail('direction', `is not a direction of ${type}`)
  const quality = field('quality')
  if (quality !== '' && !QUALITIES.has(quality)) fail('quality', 'is not a ReadingQualityType')
  const demandType = field('demand_type')
  if (demandType !== '' && (type !== 'electric_demand' || (demandType !== 'peak' && demandType !== 'average'))) fail('demand_type', `is not a demand type of ${type}`)
  const series: SeriesDescriptor = {
    meterNumber,
    type,
    units,
    ...(direction === '' ? {} : { direction: direction as 'forward' | 'reverse' | 'net' }),
    ...(type === 'electric_demand' ? { demandType: demandType === 'peak' ? 'peak' : 'average' } : {}),
    interval,
    localTime,
  }
  // Plain decimals as written ("0.150" keeps its zero); a leading "+" and "-0" are normalised.
  const value = valueText === '' ? null : valueText.replace(/^\+/, '').replace(/^-(?=[0.]*$)/, '')
  return { series, start, value, quality: quality === '' ? undefined : quality }
}
