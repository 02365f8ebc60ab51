/**
 * Load shapes of the demo data: how much a household or a business uses in each 15-minute
 * interval (daily and seasonal curves, business hours and weekends), what rooftop solar makes, and
 * daily gas use. Floats only shape the curves; every value leaves here as a whole number of the
 * unit's smallest step (Wh, millitherms), so the decimals written are exact.
 *
 * @see CDS-WG3-01 §10.8.5 Value Types
 * @module
 */
import type { LoadProfile } from './model.js'
import type { DemoRandom } from './prng.js'

/** What a local day looks like to the load shapes. */
export interface DayInfo {
  /** 1–12. */
  month: number
  /** 0 (Sunday) – 6. */
  weekday: number
  /** 1–366. */
  dayOfYear: number
}

const RESIDENTIAL_SEASON = [1.15, 1.1, 1.0, 0.95, 1.0, 1.25, 1.5, 1.55, 1.35, 1.0, 1.05, 1.15]
const COMMERCIAL_SEASON = [1.0, 1.0, 1.0, 1.0, 1.05, 1.2, 1.3, 1.3, 1.2, 1.05, 1.0, 1.0]
const GAS_SEASON = [2.2, 2.0, 1.6, 1.1, 0.7, 0.45, 0.35, 0.35, 0.5, 0.9, 1.5, 2.1]

function bump(hour: number, center: number, width: number): number {
  const d = (hour - center) / width
  return Math.exp(-d * d)
}

/** The relative weight of the load at a local hour (fractional), before normalization. */
function shape(load: LoadProfile, day: DayInfo, hour: number): number {
  if (!load.commercial) return 0.55 + 0.8 * bump(hour, 7.5, 1.2) + 1.6 * bump(hour, 19, 2.2) + 0.3 * bump(hour, 13, 3)
  const weekend = day.weekday === 0 || day.weekday === 6
  if (weekend) return 0.35
  return hour >= 8 && hour < 18 ? 1.0 + 0.15 * bump(hour, 14, 2) : 0.3
}

// The mean of a shape over a day, so a day's total follows `daily` whatever the shape.
const meanCache = new Map<string, number>()
function meanShape(load: LoadProfile, day: DayInfo): number {
  const weekend = day.weekday === 0 || day.weekday === 6
  const key = `${String(load.commercial)}-${String(weekend)}`
  let mean = meanCache.get(key)
  if (mean === undefined) {
    let total = 0
    for (let k = 0; k < 96; k++) total += shape(load, day, (k + 0.5) / 4)
    mean = total / 96
    meanCache.set(key, mean)
  }
  return mean
}

/** A day's scale: season times a random weather factor, drawn once per day. */
export function dayFactor(load: LoadProfile, day: DayInfo, rng: DemoRandom): number {
  const season = (load.commercial ? COMMERCIAL_SEASON : RESIDENTIAL_SEASON)[day.month - 1] ?? 1
  return season * (0.85 + 0.3 * rng.next())
}

/**
 * Energy used in one 15-minute interval starting at local `minute` of the day, in Wh.
 *
 * @see CDS-WG3-01 §10.8.5 Value Types (`electric_usage`)
 */
export function intervalWh(load: LoadProfile, day: DayInfo, minute: number, factor: number, rng: DemoRandom): bigint {
  const perInterval = load.daily / 96
  const w = shape(load, day, (minute + 7.5) / 60) / meanShape(load, day)
  return BigInt(Math.max(0, Math.round(perInterval * factor * w * (0.8 + 0.4 * rng.next()))))
}

/** How clear a day is for solar (0.25–1), drawn once per day. */
export function clearness(rng: DemoRandom): number {
  return rng.chance(0.2) ? 0.25 + 0.5 * rng.next() : 0.85 + 0.15 * rng.next()
}

/**
 * Energy rooftop solar makes in one 15-minute interval starting at local `minute`, in Wh: a sine
 * between sunrise and sunset, longer days in summer.
 */
export function solarWh(peakW: number, day: DayInfo, minute: number, clear: number): bigint {
  const daylight = 12 + 2.3 * Math.sin((2 * Math.PI * (day.dayOfYear - 80)) / 365)
  const sunrise = 12.75 - daylight / 2
  const hour = (minute + 7.5) / 60
  const phase = (hour - sunrise) / daylight
  if (phase <= 0 || phase >= 1) return 0n
  return BigInt(Math.round(peakW * clear * Math.sin(Math.PI * phase) * 0.25))
}

/**
 * Natural gas (millitherms) or water (gallons) used in one local day.
 *
 * @see CDS-WG3-01 §10.8.5 Value Types (`natural_gas_usage`, `water_usage`)
 */
export function dailyUse(load: LoadProfile, day: DayInfo, gas: boolean, rng: DemoRandom): bigint {
  const season = gas ? (GAS_SEASON[day.month - 1] ?? 1) : 0.8 + 0.4 * Math.sin((Math.PI * (day.month - 3)) / 6) ** 2
  const weekend = day.weekday === 0 || day.weekday === 6
  const business = load.commercial && weekend ? 0.5 : 1
  return BigInt(Math.max(0, Math.round(load.daily * season * business * (0.8 + 0.4 * rng.next()))))
}
