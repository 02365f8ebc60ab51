/**
 * What every import shares once its parser has produced segment drafts: the one transaction,
 * the target account and meters, turning drafts into Usage Segments with their `related_*` ids
 * and stable `source_key`s, progress reports and the summary.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { Decimal } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { writeUsageSegments, type UsageSegmentInput } from '../write-usage-segments.js'
import { VALUE_KEY } from './espi-codes.js'
import type { LocalTimeParameters } from './local-time.js'
import { Segmenter, type SegmentDraft } from './segmenter.js'
import { MeterResolver, resolveAccount, type TargetMeter } from './target.js'

/**
 * Options of `importGreenButton` and `importCsv`.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export interface ImportOptions {
  /** The account to import into: its `cds_account_id` or its `account_number`. */
  account: string
  /** The input's name in error messages (a file name); default `input`. */
  sourceName?: string
  /** The time written as `cds_created`/`cds_modified`/`cds_synced`; default now. */
  now?: Date
  /**
   * The utility's local time, which months are cut in: for CSV always, for Green Button when the
   * feed has no `LocalTimeParameters`. Default UTC.
   */
  localTime?: LocalTimeParameters
  /** Called now and then with the bytes read so far and the readings parsed so far. */
  onProgress?: (bytesRead: number, readings: number) => void
}

/**
 * What an import wrote.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export interface ImportSummary {
  /** The account written into. */
  cds_account_id: string
  /** Interval readings imported (each fills one Value Set). */
  readings: number
  /** Interval readings skipped: a unit or value type the import does not carry (Green Button reactive energy, …). */
  skipped: number
  /** Usage Segments written (new or replaced). */
  segments: number
  /** Distinct Meter Devices written to, and how many of them the import created. */
  meters: number
  metersCreated: number
  bytesRead: number
}

/** What a parser gets from {@link runImport}. */
export interface ImportContext {
  readonly segmenter: Segmenter
  readonly sourceName: string
  readonly options: ImportOptions
  /** Writes the drafts completed so far; call it between input chunks. */
  drain(): Promise<void>
  /** Counts one reading and reports progress (throttled). */
  reading(): void
  /** Counts one skipped reading. */
  skip(): void
  /** Reports bytes read (throttled). */
  progress(bytesRead: number): void
}

/**
 * The stable key of a draft (account, meter, series, local month, rank in the month): a re-import
 * of the same readings lands on the same segment (catalog §1.12, the writer keeps `cds_modified`).
 */
export function sourceKeyOf(accountId: string, meter: TargetMeter, draft: SegmentDraft): string {
  const s = draft.series
  return ['import', accountId, meter.cds_meterdevice_id, s.type, s.units, s.demandType ?? '', s.direction ?? '', s.interval, draft.month, draft.part].join(':')
}

/** The id of a Value Format definition, stable across segments and imports. */
export function formatIdOf(draft: SegmentDraft, quality: string | undefined): string {
  const s = draft.series
  return [s.type, s.units, ...(s.demandType === undefined ? [] : [s.demandType]), s.direction ?? 'unknown', quality ?? 'unknown'].join('_')
}

/** A draft as the writer's input: formats, Value Sets and `related_*` (§10.8.1–§10.8.4). */
export function segmentInputOf(accountId: string, meter: TargetMeter, draft: SegmentDraft): UsageSegmentInput {
  const s = draft.series
  const key = VALUE_KEY[s.type]
  const formats = draft.columns.map((quality) => ({
    id: formatIdOf(draft, quality),
    type: s.type,
    units: s.units,
    ...(s.demandType === undefined ? {} : { demand_type: s.demandType }),
    // catalog §3.6.2: an absent direction or quality means "unknown", so they are left out then.
    ...(s.direction === undefined ? {} : { direction: s.direction }),
    ...(quality === undefined ? {} : { quality }),
    related_meterdevices: [meter.cds_meterdevice_id],
  }))
  const values = draft.sets.map((set) => draft.columns.map((_, j) => (set !== null && set.column === j ? { [key]: Decimal.from(set.value) } : null)))
  return {
    segment_start: new Date(draft.start * 1000),
    interval: String(s.interval),
    formats,
    values,
    related: {
      account: [accountId],
      service_contract: meter.servicecontract_ids,
      service_point: meter.servicepoint_ids,
      meter_device: [meter.cds_meterdevice_id],
    },
    source_key: sourceKeyOf(accountId, meter, draft),
  }
}

const PROGRESS_EVERY_MS = 200

/**
 * Runs one import in one transaction: `parse` feeds the segmenter and calls `drain` as it goes;
 * any error rolls everything back.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export async function runImport(
  db: Kysely<Database>,
  options: ImportOptions,
  parse: (context: ImportContext) => Promise<number>,
): Promise<ImportSummary> {
  const now = options.now ?? new Date()
  const sourceName = options.sourceName ?? 'input'
  const run = async (trx: Kysely<Database>): Promise<ImportSummary> => {
    const account = await resolveAccount(trx, options.account)
    const meters = new MeterResolver(trx, account, now)
    const pending: SegmentDraft[] = []
    const segmenter = new Segmenter((draft) => pending.push(draft))
    let readings = 0
    let skipped = 0
    let segments = 0
    let bytes = 0
    let last = 0
    const report = (force = false) => {
      if (options.onProgress === undefined) return
      const t = Date.now()
      if (!force && t - last < PROGRESS_EVERY_MS) return
      last = t
      options.onProgress(bytes, readings)
    }
    const context: ImportContext = {
      segmenter,
      sourceName,
      options,
      async drain() {
        while (pending.length > 0) {
          const batch = pending.splice(0, pending.length)
          const inputs: UsageSegmentInput[] = []
          for (const draft of batch) {
            const meter = await meters.resolve(draft.series.meterNumber, draft.series.type)
            inputs.push(segmentInputOf(account.cds_account_id, meter, draft))
          }
          await writeUsageSegments(trx, inputs, now)
          segments += inputs.length
        }
      },
      reading() {
        readings++
        if ((readings & 0x3ff) === 0) report()
      },
      skip() {
        skipped++
      },
      progress(bytesRead) {
        bytes = bytesRead
        report()
      },
    }
    bytes = await parse(context)
    segmenter.finish()
    await context.drain()
    report(true)
    const resolved = meters.meters
    return {
      cds_account_id: account.cds_account_id,
      readings,
      skipped,
      segments,
      meters: resolved.length,
      metersCreated: resolved.filter((m) => m.created).length,
      bytesRead: bytes,
    }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}
