/**
 * Cuts a stream of interval readings into Usage Segments, the path both importers share
 * (Green Button and CSV): one segment per series (meter, Value Type, unit, direction, demand type,
 * interval) and local calendar month, flushed as soon as the series moves to another month, so the
 * memory held is one month per series whatever the size of the file.
 *
 * Within a month the readings may come in any order. A segment starts at the month's first
 * reading and ends after its last; an interval without a reading in between is a Value Set of
 * `null`s (CDS-WG3-01 §10.8.3: never dropped, never zero). A reading off the segment's grid, or a
 * gap too long to fill, starts another segment of the same month.
 *
 * Reading quality is a Value Format field (§10.8.2), not a per-value one, so a month whose
 * readings have different qualities gets one format (column) per quality, each Value Set holding
 * its value in the column of its quality and `null` in the others (catalog §3.3: formats may share
 * a type when their fields differ).
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import type { ImportValueType } from './espi-codes.js'
import { QUALITY_ORDER } from './espi-codes.js'
import type { LocalTime } from './local-time.js'

/**
 * An import that cannot go on: bad input (its message starts with the place, `file:line:column`
 * or `file:line`), an unknown account, or a meter without a contract to attach it to. Nothing is
 * written when it is thrown.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export class ImportError extends Error {
  override readonly name = 'ImportError'
}

/** What one series measures; every reading of a segment shares it. */
export interface SeriesDescriptor {
  /** The meter number the readings belong to (a Meter Device of the target account). */
  readonly meterNumber: string
  readonly type: ImportValueType
  readonly units: string
  readonly direction?: 'forward' | 'reverse' | 'net'
  readonly demandType?: 'peak' | 'average'
  /** Seconds between readings, a positive integer. */
  readonly interval: number
  /** The local time the months are cut in. */
  readonly localTime: LocalTime
}

/** One reading, already in CDS units and sign. */
export interface Reading {
  /** Unix seconds at the start of the interval. */
  readonly start: number
  /** Exact decimal text, or null when the source gives the interval without a value. */
  readonly value: string | null
  /** A ReadingQualityType, or undefined when unknown. */
  readonly quality?: string | undefined
  /** Where the reading is, for error messages (`file:line:column`). */
  readonly where: string
}

/** A segment ready to be written once its meter is known. */
export interface SegmentDraft {
  readonly series: SeriesDescriptor
  /** Local `YYYY-MM` and the segment's rank in that month (0 for the first). */
  readonly month: string
  readonly part: number
  /** Unix seconds of Value Set 0. */
  readonly start: number
  /** The quality of each column, in order (undefined: unknown quality). */
  readonly columns: readonly (string | undefined)[]
  /** One entry per Value Set: the column holding its value and the value, or null when missing. */
  readonly sets: readonly ({ column: number; value: string } | null)[]
  /** Readings in the segment (including those without a value). */
  readonly readings: number
}

/** Readings one series may hold for one month (a month of 1-minute data is 44,640). */
export const MAX_READINGS_PER_MONTH = 100_000

interface OpenMonth {
  readonly series: SeriesDescriptor
  month: string
  readings: Map<number, { value: string | null; quality: string | undefined }>
  readonly written: Set<string>
}

/** The stable identity of a series: what the source key and the open-month map are keyed by. */
export function seriesKey(series: SeriesDescriptor): string {
  return [series.meterNumber, series.type, series.units, series.demandType ?? '-', series.direction ?? '-', String(series.interval)].join('\u0000')
}

/**
 * Groups readings into segment drafts; `emit` receives each draft as it is completed.
 *
 * @see CDS-WG3-01 §10.8.3 Value Sets
 */
export class Segmenter {
  readonly #open = new Map<string, OpenMonth>()
  readonly #emit: (draft: SegmentDraft) => void

  constructor(emit: (draft: SegmentDraft) => void) {
    this.#emit = emit
  }

  /** Adds one reading; may emit the series' previous month. */
  add(series: SeriesDescriptor, reading: Reading): void {
    const key = seriesKey(series)
    const month = series.localTime.monthOf(reading.start)
    let open = this.#open.get(key)
    if (open === undefined) {
      open = { series, month, readings: new Map(), written: new Set() }
      this.#open.set(key, open)
    } else if (open.month !== month) {
      this.#flush(open)
      open.month = month
      open.readings = new Map()
    }
    if (open.written.has(month)) {
      throw new ImportError(
        `${reading.where}: a reading of ${month} for meter ${series.meterNumber} comes after that month was written; keep each month's readings of a series together`,
      )
    }
    if (open.readings.has(reading.start)) {
      throw new ImportError(`${reading.where}: meter ${series.meterNumber} already has a reading starting at ${new Date(reading.start * 1000).toISOString()}`)
    }
    if (open.readings.size >= MAX_READINGS_PER_MONTH) {
      throw new ImportError(`${reading.where}: more than ${MAX_READINGS_PER_MONTH} readings in ${month} for one series of meter ${series.meterNumber}`)
    }
    open.readings.set(reading.start, { value: reading.value, quality: reading.quality })
  }

  /** Emits every month still open (the end of the input). */
  finish(): void {
    for (const open of this.#open.values()) this.#flush(open)
    this.#open.clear()
  }

  #flush(open: OpenMonth): void {
    if (open.readings.size === 0) return
    open.written.add(open.month)
    const interval = open.series.interval
    const starts = [...open.readings.keys()].sort((a, b) => a - b)
    let part = 0
    let runStart = 0
    for (let i = 1; i <= starts.length; i++) {
      const first = starts[runStart] ?? 0
      const t = starts[i]
      // A new run when the reading is off the grid or would need too many empty Value Sets.
      const ends = t === undefined || (t - first) % interval !== 0 || (t - first) / interval >= MAX_READINGS_PER_MONTH
      if (!ends) continue
      this.#emit(this.#draft(open, part++, starts.slice(runStart, i)))
      runStart = i
    }
  }

  #draft(open: OpenMonth, part: number, starts: readonly number[]): SegmentDraft {
    const interval = open.series.interval
    const first = starts[0] ?? 0
    const last = starts[starts.length - 1] ?? first
    const present = new Set<string | undefined>()
    for (const t of starts) {
      const reading = open.readings.get(t)
      if (reading !== undefined && reading.value !== null) present.add(reading.quality)
    }
    const columns = QUALITY_ORDER.filter((q) => present.has(q))
    // A segment whose readings all lack a value still needs one column (catalog §3.4 ).
    if (columns.length === 0) columns.push(undefined)
    const sets: ({ column: number; value: string } | null)[] = Array.from({ length: (last - first) / interval + 1 }, () => null)
    for (const t of starts) {
      const reading = open.readings.get(t)
      if (reading === undefined || reading.value === null) continue
      sets[(t - first) / interval] = { column: columns.indexOf(reading.quality), value: reading.value }
    }
    return { series: open.series, month: open.month, part, start: first, columns, sets, readings: starts.length }
  }
}
