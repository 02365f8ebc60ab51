/**
 * The Usage Segments of one service for one month (CDS-WG3-01 §10.8), one per meter per local
 * calendar month, and the month's totals the bill is built from:
 * - electric: 15-minute `electric_usage` in kWh (92/96/100 Value Sets a day); net-metered meters
 *   carry `forward` (≥ 0), `reverse` (≤ 0) and `net` formats (catalog §3.6.2 sign rule); time-of-use
 *   plans add an interval `cost` column pricing the net column (worked example D); a few
 *   intervals are missing (`null` Value Objects, never zero);
 * - natural gas: daily `natural_gas_usage` in therms plus the register as `meter_readings`; a
 *   month with a DST change is cut where the day length changes (one `interval` per segment);
 * - water: one monthly `water_usage` Value Set in gallons (variable-length period, §3.2).
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 * @module
 */
import type { Decimal } from '@cds-ts/schema'
import type { UsageSegmentInput } from '../customer-data/write-usage-segments.js'
import { localDays, type LocalDay } from './days.js'
import { fixed, fixedText } from './fixed.js'
import { clearness, dailyUse, dayFactor, intervalWh, solarWh } from './load-shapes.js'
import type { ContractPlan, MeterPlan } from './model.js'
import { demoId, type DemoRandom } from './prng.js'
import { RATE_SCALE } from './profile.js'

/** The format ids match the server's `include_usage_segment_value_types` Choices. */
export const FORMAT_IDS = {
  electric: 'electric_usage_kwh',
  forward: 'electric_usage_kwh_forward',
  reverse: 'electric_usage_kwh_reverse',
  cost: 'interval_cost_usd',
  gas: 'natural_gas_usage_therm',
  gas_register: 'natural_gas_register_therm',
  water: 'water_usage_gal',
  water_register: 'water_register_gal',
} as const

/** A month's totals of one contract, in the commodity's smallest step (Wh, millitherms, gallons). */
export interface MonthUsage {
  /** The local dates the month's data covers, inclusive. */
  start_date: string
  end_date: string
  meters: string[]
  /** Net use: the sum of the present net values (missing intervals are not zero). */
  total: bigint
  forward: bigint
  reverse: bigint
  /** Net use in 16:00–21:00 local and outside it. */
  peak: bigint
  off_peak: bigint
  /** The largest net 15-minute value (Wh; × 4 is the demand in W). */
  max_interval: bigint
  missing: number
  /** Register at the start and end of the month (gas and water). */
  start_read: bigint | null
  end_read: bigint | null
}

/** Is local `minute` in the peak window (16:00–21:00)? */
export function isPeak(minute: number): boolean {
  return minute >= 16 * 60 && minute < 21 * 60
}

/** A rate with its trailing zeros dropped: 0.28000 → 0.28. */
export function rateText(rate: bigint): string {
  const text = fixedText(rate, RATE_SCALE)
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text
}

function costDecimal(wh: bigint, rate: bigint): Decimal {
  // kWh (3 digits) × $/kWh: exact, with the rate's own digits only (0.134 × 0.28 = 0.03752).
  const rateDigits = rateText(rate).split('.')[1]?.length ?? 0
  const rateUnits = rate / 10n ** BigInt(RATE_SCALE - rateDigits)
  return fixed(wh * rateUnits, 3 + rateDigits)
}

interface SegmentContext {
  seed: string
  rng: DemoRandom
  plan: ContractPlan
  meter: MeterPlan
  related: UsageSegmentInput['related']
  usage: MonthUsage
  monthKey: string
}

function electric(ctx: SegmentContext, days: LocalDay[]): UsageSegmentInput | null {
  const { rng, plan, meter, usage } = ctx
  const meterId = meter.input.cds_meterdevice_id
  const solar = plan.load.solar > 0
  const tou = plan.rate.tou
  const cost = plan.load.interval_cost && tou !== undefined
  const base = { type: 'electric_usage', units: 'kWh', quality: 'raw', related_meterdevices: [meterId] }
  const formats: Record<string, unknown>[] = solar
    ? [
        { id: FORMAT_IDS.forward, ...base, direction: 'forward' },
        { id: FORMAT_IDS.reverse, ...base, direction: 'reverse' },
        { id: FORMAT_IDS.electric, ...base, direction: 'net' },
      ]
    : [{ id: FORMAT_IDS.electric, ...base, direction: 'net' }]
  const netIndex = formats.length - 1
  if (cost) formats.push({ id: FORMAT_IDS.cost, type: 'cost', currency: 'USD', indexes: [netIndex] })
  const values: (Record<string, unknown> | null)[][] = []
  const count = days.reduce((n, d) => n + d.minutes.length, 0)
  // Now and then the meter misses a few intervals in a row (never written as zero, §10.8.3).
  const gapStart = rng.chance(0.15) ? rng.int(0, count - 9) : -1
  const gapLength = rng.int(1, 8)
  for (const day of days) {
    const factor = dayFactor(plan.load, day.info, rng)
    const clear = clearness(rng)
    for (const minute of day.minutes) {
      const load = intervalWh(plan.load, day.info, minute, factor, rng)
      const k = values.length
      if (k >= gapStart && k < gapStart + gapLength) {
        values.push(formats.map(() => null))
        usage.missing += 1
        continue
      }
      const pv = solar ? solarWh(plan.load.solar, day.info, minute, clear) : 0n
      const net = load - pv
      const set: Record<string, unknown>[] = []
      if (solar) {
        const forward = net > 0n ? net : 0n
        const reverse = net < 0n ? net : 0n
        usage.forward += forward
        usage.reverse += reverse
        set.push({ eu: fixed(forward, 3) }, { eu: fixed(reverse, 3) })
      }
      set.push({ eu: fixed(net, 3) })
      const peak = isPeak(minute)
      if (cost) set.push({ c: costDecimal(net, peak ? tou.peak : tou.off_peak) })
      values.push(set)
      usage.total += net
      if (peak) usage.peak += net
      else usage.off_peak += net
      if (net > usage.max_interval) usage.max_interval = net
    }
  }
  if (values.length === 0) return null
  return { cds_usagesegment_id: demoId(ctx.seed, 'segment', meterId, ctx.monthKey), segment_start: days[0]?.start ?? new Date(0), interval: '900', formats, values, related: ctx.related }
}

function daily(ctx: SegmentContext, days: LocalDay[]): UsageSegmentInput[] {
  const { rng, plan, meter, usage } = ctx
  const meterId = meter.input.cds_meterdevice_id
  const formats = [
    { id: FORMAT_IDS.gas, type: 'natural_gas_usage', units: 'therm', quality: 'revenue', related_meterdevices: [meterId] },
    { id: FORMAT_IDS.gas_register, type: 'meter_readings', related_meterdevice: meterId, register: 'main', units: 'therm' },
  ]
  // One segment per run of days of the same length: `interval` is absolute seconds (§3.2).
  const segments: UsageSegmentInput[] = []
  let run: { start: Date; seconds: number; values: Record<string, unknown>[][] } | null = null
  for (const day of days) {
    const seconds = (day.end.getTime() - day.start.getTime()) / 1000
    if (run === null || run.seconds !== seconds) {
      if (run !== null) segments.push(segment(ctx, run, formats, segments.length))
      run = { start: day.start, seconds, values: [] }
    }
    const used = dailyUse(plan.load, day.info, true, rng)
    run.values.push([{ gu: fixed(used, 3) }, { r: fixedText(meter.register, 3) }])
    meter.register += used
    usage.total += used
  }
  if (run !== null) segments.push(segment(ctx, run, formats, segments.length))
  return segments
}

function segment(ctx: SegmentContext, run: { start: Date; seconds: number; values: Record<string, unknown>[][] }, formats: Record<string, unknown>[], n: number): UsageSegmentInput {
  return { cds_usagesegment_id: demoId(ctx.seed, 'segment', ctx.meter.input.cds_meterdevice_id, ctx.monthKey, n), segment_start: run.start, interval: String(run.seconds), formats, values: run.values, related: ctx.related }
}

function monthly(ctx: SegmentContext, days: LocalDay[]): UsageSegmentInput | null {
  const { rng, plan, meter, usage } = ctx
  const first = days[0]
  const last = days.at(-1)
  if (first === undefined || last === undefined) return null
  const meterId = meter.input.cds_meterdevice_id
  let used = 0n
  for (const day of days) used += dailyUse(plan.load, day.info, false, rng)
  const formats = [
    { id: FORMAT_IDS.water, type: 'water_usage', units: 'gal', quality: 'revenue', related_meterdevices: [meterId] },
    { id: FORMAT_IDS.water_register, type: 'meter_readings', related_meterdevice: meterId, register: 'main', units: 'gal' },
  ]
  const values = [[{ wu: fixed(used, 0) }, { r: fixedText(meter.register, 0) }]]
  meter.register += used
  usage.total += used
  return segment(ctx, { start: first.start, seconds: (last.end.getTime() - first.start.getTime()) / 1000, values }, formats, 0)
}

/**
 * The segments of one contract's meters for one month, and the month's totals (null when no meter
 * was installed in the month).
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
export function monthSegments(
  seed: string,
  rng: DemoRandom,
  plan: ContractPlan,
  accountId: string,
  month: { year: number; month: number },
  timeZone: string,
  sectionIds: readonly string[],
): { segments: UsageSegmentInput[]; usage: MonthUsage } | null {
  const point = plan.point
  if (point === null) return null
  const all = localDays(timeZone, month)
  const usage: MonthUsage = { start_date: '', end_date: '', meters: [], total: 0n, forward: 0n, reverse: 0n, peak: 0n, off_peak: 0n, max_interval: 0n, missing: 0, start_read: null, end_read: null }
  const segments: UsageSegmentInput[] = []
  const monthKey = `${month.year}-${month.month}`
  for (const meter of point.meters) {
    const days = all.filter((d) => d.start.getTime() >= meter.from.getTime() && (meter.to === null || d.end.getTime() <= meter.to.getTime()))
    if (days.length === 0) continue
    const related = {
      account: [accountId],
      service_contract: [plan.input.cds_servicecontract_id],
      service_point: [point.input.cds_servicepoint_id],
      meter_device: [meter.input.cds_meterdevice_id],
      bill_section: sectionIds,
    }
    const ctx: SegmentContext = { seed, rng, plan, meter, related, usage, monthKey }
    usage.meters.push(meter.input.cds_meterdevice_id)
    usage.start_read ??= plan.commodity === 'electric' ? null : meter.register
    if (usage.start_date === '') usage.start_date = days[0]?.date ?? ''
    usage.end_date = days.at(-1)?.date ?? usage.end_date
    if (plan.commodity === 'electric') {
      const s = electric(ctx, days)
      if (s !== null) segments.push(s)
    } else if (plan.commodity === 'gas') {
      segments.push(...daily(ctx, days))
    } else {
      const s = monthly(ctx, days)
      if (s !== null) segments.push(s)
    }
    if (plan.commodity !== 'electric') usage.end_read = meter.register
  }
  return segments.length === 0 ? null : { segments, usage }
}
