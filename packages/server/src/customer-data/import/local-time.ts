/**
 * The utility's local time, as a Green Button feed states it in `LocalTimeParameters`: a standard
 * offset, a daylight saving offset and two bit-encoded rules for when daylight saving time starts
 * and ends. Imports cut Usage Segments on local calendar months with it (catalog §3.2 recommends
 * local boundaries, [A-42]); the exporter writes the same parameters back so that a re-import cuts
 * identically.
 *
 * A rule packs, from the low bits up: seconds (12 bits), hour (5), day of week (3, 1 = Monday …
 * 7 = Sunday), day of month (5), operator (3) and month (4). Operators: 0 the day of month, 1 the
 * day of week on or after the day of month, 2–6 its first to fifth occurrence in the month, 7 its
 * last. The rule's time is read on the clock in force before the change (standard time for the
 * start, daylight time for the end), as US and EU rules are written.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 * @module
 */

/** ESPI `LocalTimeParameters`: offsets in seconds, rules as 8 hex digits. */
export interface LocalTimeParameters {
  readonly tzOffset: number
  readonly dstOffset: number
  readonly dstStartRule: string
  readonly dstEndRule: string
}

const US_START = '360E2000' // second Sunday of March, 02:00
const US_END = 'B40E2000' // first Sunday of November, 02:00
const us = (hours: number): LocalTimeParameters => ({ tzOffset: hours * 3600, dstOffset: 3600, dstStartRule: US_START, dstEndRule: US_END })

/** Named parameters for the CLI's `--local-time` (import fallback, export statement). */
export const LOCAL_TIME_PRESETS: Readonly<Record<string, LocalTimeParameters>> = {
  utc: { tzOffset: 0, dstOffset: 0, dstStartRule: '00000000', dstEndRule: '00000000' },
  'us-eastern': us(-5),
  'us-central': us(-6),
  'us-mountain': us(-7),
  'us-pacific': us(-8),
}

interface Rule {
  seconds: number
  hour: number
  dayOfWeek: number
  dayOfMonth: number
  operator: number
  month: number
}

function decodeRule(hex: string): Rule {
  if (!/^(?:0x)?[0-9a-f]{1,8}$/i.test(hex)) throw new TypeError(`${JSON.stringify(hex)} is not a DST rule (8 hex digits)`)
  const bits = Number.parseInt(hex.replace(/^0x/i, ''), 16) >>> 0
  return {
    seconds: bits & 0xfff,
    hour: (bits >>> 12) & 0x1f,
    dayOfWeek: (bits >>> 17) & 0x7,
    dayOfMonth: (bits >>> 20) & 0x1f,
    operator: (bits >>> 25) & 0x7,
    month: (bits >>> 28) & 0xf,
  }
}

const DAY = 86_400

/** The rule's wall-clock moment in `year`, as seconds since the epoch read as if it were UTC. */
function ruleMoment(rule: Rule, year: number): number {
  const first = Date.UTC(year, rule.month - 1, 1) / 1000
  const days = new Date(Date.UTC(year, rule.month, 0)).getUTCDate()
  const weekday = rule.dayOfWeek % 7 // ESPI 7 = Sunday, JavaScript 0 = Sunday
  const weekdayOf = (day: number) => new Date((first + (day - 1) * DAY) * 1000).getUTCDay()
  const onOrAfter = (day: number) => day + ((weekday - weekdayOf(day) + 7) % 7)
  let day: number
  if (rule.operator === 0) day = rule.dayOfMonth
  else if (rule.operator === 1) day = onOrAfter(Math.max(rule.dayOfMonth, 1))
  else if (rule.operator <= 6) day = onOrAfter(1) + (rule.operator - 2) * 7
  else {
    day = onOrAfter(1)
    while (day + 7 <= days) day += 7
  }
  return first + (Math.min(Math.max(day, 1), days) - 1) * DAY + rule.hour * 3600 + rule.seconds
}

/**
 * Converts instants to the utility's local calendar: the offset in force at an instant and the
 * local month it falls in.
 */
export class LocalTime {
  readonly parameters: LocalTimeParameters
  readonly #start: Rule | undefined
  readonly #end: Rule | undefined
  readonly #years = new Map<number, readonly [number, number]>()

  /** @throws {TypeError} for a rule that is not 8 hex digits */
  constructor(parameters: LocalTimeParameters) {
    this.parameters = parameters
    const start = decodeRule(parameters.dstStartRule)
    const end = decodeRule(parameters.dstEndRule)
    // A month of 0 (or no offset) is the feed's way of saying "no daylight saving time".
    const dst = parameters.dstOffset !== 0 && start.month >= 1 && start.month <= 12 && end.month >= 1 && end.month <= 12
    this.#start = dst ? start : undefined
    this.#end = dst ? end : undefined
  }

  /** Seconds to add to a Unix time to get local wall-clock time at that instant. */
  offsetAt(unixSeconds: number): number {
    const { tzOffset, dstOffset } = this.parameters
    if (this.#start === undefined || this.#end === undefined) return tzOffset
    const year = new Date((unixSeconds + tzOffset) * 1000).getUTCFullYear()
    let bounds = this.#years.get(year)
    if (bounds === undefined) {
      bounds = [ruleMoment(this.#start, year) - tzOffset, ruleMoment(this.#end, year) - tzOffset - dstOffset]
      this.#years.set(year, bounds)
    }
    const [start, end] = bounds
    const dst = start < end ? unixSeconds >= start && unixSeconds < end : unixSeconds >= start || unixSeconds < end
    return dst ? tzOffset + dstOffset : tzOffset
  }

  /** The local calendar month (`YYYY-MM`) of an instant. */
  monthOf(unixSeconds: number): string {
    return new Date((unixSeconds + this.offsetAt(unixSeconds)) * 1000).toISOString().slice(0, 7)
  }
}
