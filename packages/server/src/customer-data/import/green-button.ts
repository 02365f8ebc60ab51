/**
 * `importGreenButton`: Green Button (NAESB ESPI) interval data into one customer's account, as
 * Usage Segments (CDS-WG3-01 §10.8). The file is streamed: it is read in chunks, parsed with
 * `saxes`, and each completed month of each series is written as soon as it is complete, all in
 * one transaction, so memory stays flat however large the file and a bad file writes nothing.
 *
 * What an IntervalReading becomes (the full tables are in guides/import-export.md):
 * - its value × 10^`powerOfTenMultiplier`, computed on the digits (no float), in the catalog unit
 *   of `espi-codes.ts` (Wh → kWh keeps every digit: 134000 × 10⁻³ Wh is 0.134000 kWh);
 * - the Value Type and unit from `uom` (with `commodity` or the UsagePoint's service kind for
 *   volumes), the direction from `flowDirection`: a `reverse` value is made ≤ 0 (catalog §3.6.2:
 *   + is from the grid, − is to the grid);
 * - its ReadingQuality (else the ReadingType's `defaultQuality`) as the format's `quality`;
 * - an IntervalReading without `value`, or no IntervalReading at all for an interval, as `null`.
 *
 * Each UsagePoint is a meter of the account: its meter number is the entry's `<title>`, or the
 * last segment of its `self` link when the title is empty (`target.ts` finds or adds the meter).
 * Readings of a unit no standard Value Type carries (reactive energy, for one) are skipped and
 * counted.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import type { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { demandTypeFromEspi, directionFromEspi, measureOf, QUALITY_FROM_ESPI } from './espi-codes.js'
import { EspiFeedReader, MAX_TOKEN, type EspiIntervalReading, type EspiReadingContext } from './espi-feed.js'
import { isIntegerText, negate, shift } from './exact-decimal.js'
import { runImport, type ImportContext, type ImportOptions, type ImportSummary } from './import-run.js'
import { LocalTime, LOCAL_TIME_PRESETS } from './local-time.js'
import { ImportError, type SeriesDescriptor } from './segmenter.js'

/** Characters handed to the parser at a time (so the token watchdog bites early). */
const SLICE = MAX_TOKEN / 16

/**
 * Imports one Green Button XML document into an account, in one transaction.
 *
 * @throws {ImportError} for a malformed or unsupported file (the message names the place:
 * `file:line:column <element>/child`), an unknown account or a meter without a contract; the
 * database is then unchanged
 * @example
 * ```ts
 * const summary = await importGreenButton(db, createReadStream('usage.xml'), { account: '0012345678', sourceName: 'usage.xml' })
 * ```
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export async function importGreenButton(db: Kysely<Database>, input: Readable, options: ImportOptions): Promise<ImportSummary> {
  return runImport(db, options, async (context) => {
    const mapper = new ReadingMapper(context)
    const reader = new EspiFeedReader(context.sourceName, (ctx, reading) => {
      mapper.add(ctx, reading)
    }, options.localTime)
    const decoder = new TextDecoder('utf-8', { fatal: true })
    let bytes = 0
    const feed = (text: string) => {
      for (let i = 0; i < text.length; i += SLICE) reader.write(text.slice(i, i + SLICE))
    }
    try {
      for await (const chunk of input as AsyncIterable<Buffer | string>) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        bytes += buffer.length
        feed(decoder.decode(buffer, { stream: true }))
        context.progress(bytes)
        await context.drain()
      }
      feed(decoder.decode())
      reader.close()
    } catch (error) {
      if (error instanceof ImportError) throw error
      // saxes prefixes its messages with file:line:column; the decoder's errors have no place.
      if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
        throw new ImportError(`${context.sourceName}: the file is not valid UTF-8 (after byte ${bytes})`)
      }
      throw new ImportError((error as Error).message)
    }
    return bytes
  })
}

/** Turns ESPI readings into series and CDS readings; one descriptor per MeterReading and interval. */
class ReadingMapper {
  readonly #context: ImportContext
  readonly #series = new Map<string, { series: SeriesDescriptor; shift: number } | null>()
  readonly #utc = new LocalTime(LOCAL_TIME_PRESETS.utc ?? { tzOffset: 0, dstOffset: 0, dstStartRule: '0', dstEndRule: '0' })

  constructor(context: ImportContext) {
    this.#context = context
  }

  add(ctx: EspiReadingContext, reading: EspiIntervalReading): void {
    const start = this.#seconds(reading.start, reading.where, 'timePeriod/start', false)
    const fields = ctx.readingType.fields
    const interval = reading.duration === undefined ? fields.get('intervalLength') : this.#seconds(reading.duration, reading.where, 'timePeriod/duration', true)
    if (start === undefined) throw new ImportError(`${reading.where} <IntervalReading>/timePeriod: no start`)
    if (interval === undefined || interval <= 0) {
      throw new ImportError(`${reading.where} <IntervalReading>/timePeriod: no duration, and the ReadingType has no intervalLength`)
    }
    const mapped = this.#seriesOf(ctx, interval)
    if (mapped === null) {
      this.#context.skip()
      return
    }
    this.#context.reading()
    const { series } = mapped
    let value: string | null = null
    if (reading.value !== undefined && reading.value !== '') {
      if (!isIntegerText(reading.value)) throw new ImportError(`${reading.valueWhere ?? reading.where} <IntervalReading>/value: ${JSON.stringify(reading.value)} is not an integer`)
      const shifted = shift(reading.value, (fields.get('powerOfTenMultiplier') ?? 0) + mapped.shift)
      // catalog §3.6.2: a reverse (received) quantity is negative in CDS; ESPI counts it positive.
      value = series.direction === 'reverse' ? negate(shifted) : shifted
    }
    const code = reading.quality === undefined ? fields.get('defaultQuality') : this.#code(reading.quality, reading.where)
    this.#context.segmenter.add(series, { start, value, quality: code === undefined ? undefined : QUALITY_FROM_ESPI[code], where: reading.where })
  }

  #code(text: string, where: string): number {
    if (!/^\d{1,4}$/.test(text)) throw new ImportError(`${where} <ReadingQuality>/quality: ${JSON.stringify(text)} is not a quality code`)
    return Number(text)
  }

  #seconds(text: string | undefined, where: string, path: string, positive: boolean): number | undefined {
    if (text === undefined) return undefined
    if (!/^-?\d{1,12}$/.test(text) || (positive && Number(text) <= 0)) {
      throw new ImportError(`${where} <IntervalReading>/${path}: ${JSON.stringify(text)} is not ${positive ? 'a positive' : 'an'} integer number of seconds`)
    }
    return Number(text)
  }

  /** The series of a MeterReading at one interval length, or null when its unit is not imported. */
  #seriesOf(ctx: EspiReadingContext, interval: number): { series: SeriesDescriptor; shift: number } | null {
    const key = `${ctx.meterReadingHref}\u0000${interval}`
    const known = this.#series.get(key)
    if (known !== undefined) return known
    const fields = ctx.readingType.fields
    const uom = fields.get('uom')
    const measure = uom === undefined ? undefined : measureOf(uom, fields.get('commodity'), ctx.usagePoint.serviceKind)
    if (measure === undefined) {
      this.#series.set(key, null)
      return null
    }
    const direction = directionFromEspi(fields.get('flowDirection'))
    if (direction === null) {
      throw new ImportError(`${ctx.readingType.where} <ReadingType>/flowDirection: ${String(fields.get('flowDirection'))} is not a direction CDS can state (1, 4, 19, 0 or 20)`)
    }
    const meterNumber = ctx.usagePoint.title !== '' ? ctx.usagePoint.title : (ctx.usagePoint.href.split('/').pop() ?? ctx.usagePoint.href)
    const series: SeriesDescriptor = {
      meterNumber,
      type: measure.type,
      units: measure.units,
      ...(direction === undefined || measure.type === 'natural_gas_usage' || measure.type === 'water_usage' ? {} : { direction }),
      ...(measure.type === 'electric_demand' ? { demandType: demandTypeFromEspi(fields.get('dataQualifier')) } : {}),
      interval,
      localTime: ctx.localTime ?? this.#utc,
    }
    const mapped = { series, shift: measure.shift }
    this.#series.set(key, mapped)
    return mapped
  }
}
