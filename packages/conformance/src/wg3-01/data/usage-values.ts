/**
 * CDS-WG3-01 §10.8.5–§10.8.7: the Value Types of Usage Segments, their formats' absent-versus-null
 * rules (catalog §3.6.2), the value keys and their sign conventions, and the metadata descriptions
 * of additional types (§10.8.6).
 *
 * @module
 */
import {
  DemandType,
  DirectionType,
  ReadingQualityType,
  SeasonType,
  SupplyAttributionType,
  SupplyType,
  TierType,
  TimeOfUseType,
  UnitType,
  VALUE_OBJECT_SCHEMAS,
  ValueFormat,
  ValueType,
  checkStrict,
} from '@cds-ts/schema'
import type { TSchema } from 'typebox'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isUrl } from './common.js'
import { exact, ZERO } from './exact.js'
import { check } from './kit.js'
import { isDecimal } from './service-points.js'
import { clientMetadata } from './tokens.js'
import { enumValues, everyItem, views, type Verdict } from './views.js'
import { shown, str } from './listing.js'

const STANDARD = enumValues(ValueType)

/** One format of a segment with its position and the Value Objects at that position. */
interface Column {
  format: Json
  position: number
  width: number
  cells: Json[]
}

/** The columns of a segment. */
function columns(segment: Json): Column[] {
  const formats = Array.isArray(segment.formats) ? (segment.formats as Json[]) : []
  const sets = Array.isArray(segment.values) ? (segment.values as unknown[][]) : []
  return formats.map((format, position) => ({
    format,
    position,
    width: formats.length,
    cells: sets.map((set) => (Array.isArray(set) ? set[position] : undefined)).filter((c): c is Json => typeof c === 'object' && c !== null),
  }))
}

/** A check of every column of the given types across the segments of every view. */
function columnCheck(id: string, section: string, title: string, types: readonly string[] | 'any', rule: (column: Column) => Verdict, none: string): Check {
  return check(id, section, title, async (ctx: CheckContext) =>
    everyItem(ctx, 'usagesegments', (segment) => {
      let applied = false
      for (const column of columns(segment)) {
        if (types !== 'any' && !types.includes(String(column.format.type))) continue
        const verdict = rule(column)
        if (verdict === undefined) continue
        if (verdict !== true) return `format ${String(column.format.id)} (${String(column.format.type)}): ${verdict}`
        applied = true
      }
      return applied ? true : undefined
    }, none),
  )
}

/** The member is absent or one of the values; `nullable` lets `null` through (catalog §3.6.2). */
function optional(name: string, values: ReadonlySet<string> | undefined, nullable: boolean): (f: Json) => string | undefined {
  return (f) => {
    if (!(name in f)) return undefined
    if (f[name] === null) return nullable ? undefined : `${name} is null (leave it out when unknown)`
    if (values === undefined) return Array.isArray(f[name]) ? undefined : `${name} is ${shown(f[name])}, not a list`
    return typeof f[name] === 'string' && values.has(f[name]) ? undefined : `${name} is ${shown(f[name])}`
  }
}

/** The qualifier rules shared by the usage and demand formats. */
const QUALIFIERS = {
  direction: optional('direction', enumValues(DirectionType), false),
  tou: optional('tou', enumValues(TimeOfUseType), true),
  tier: optional('tier', enumValues(TierType), true),
  season: optional('season', enumValues(SeasonType), true),
  quality: optional('quality', enumValues(ReadingQualityType), false),
  related_meterdevices: optional('related_meterdevices', undefined, false),
}

/** Every cell of the column has the decimal `key`. */
function decimals(column: Column, key: string): string | undefined {
  const bad = column.cells.find((c) => !isDecimal(c[key]))
  return bad === undefined ? undefined : `a Value Object has ${key} ${shown(String(bad[key]))}, not a JSON number`
}

/** The sign rule of §10.8.5.1.2: forward ≥ 0, reverse ≤ 0. */
function signs(column: Column, key: string): string | undefined {
  const direction = column.format.direction
  if (direction !== 'forward' && direction !== 'reverse') return undefined
  for (const cell of column.cells) {
    const value = exact(cell[key])
    if (value === undefined) continue
    if (direction === 'forward' && value.units < ZERO.units) return `a forward value ${String(cell[key])} is negative`
    if (direction === 'reverse' && value.units > ZERO.units) return `a reverse value ${String(cell[key])} is positive (export is negative)`
  }
  return undefined
}

/** The format conforms to its standard schema, and every cell to its Value Object schema. */
function definition(column: Column): string | undefined {
  const issues = checkStrict(ValueFormat, column.format)
  if (issues.length > 0) return issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')
  const schema = (VALUE_OBJECT_SCHEMAS as Record<string, TSchema | undefined>)[String(column.format.type)]
  if (schema === undefined) return undefined
  // Every distinct shape of cell once, plus the first ones (the decimal keys are checked on every cell elsewhere).
  const shapes = new Map<string, Json>()
  for (const cell of column.cells) if (!shapes.has(Object.keys(cell).sort().join())) shapes.set(Object.keys(cell).sort().join(), cell)
  for (const cell of [...shapes.values(), ...column.cells.slice(0, 16)]) {
    const cellIssues = checkStrict(schema, cell)
    if (cellIssues.length > 0) return `a Value Object: ${cellIssues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`
  }
  return undefined
}

const units = (allowed: readonly string[]) => (f: Json) => (allowed.includes(String(f.units)) ? undefined : `units ${shown(f.units)} is not one of ${allowed.join(', ')}`)
const first = (...problems: (string | undefined)[]): Verdict => problems.find((p) => p !== undefined) ?? true
const qualifiers = (f: Json, names: readonly (keyof typeof QUALIFIERS)[]) => names.map((n) => QUALIFIERS[n](f)).find((p) => p !== undefined)
const valid = (i: unknown, column: Column) => typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < column.width && i !== column.position

/** A usage format of §10.8.5.4–§10.8.5.6: its units, the shared optional fields, its decimal key. */
function usageType(id: string, section: string, type: string, key: string, allowed: readonly string[]): Check {
  return columnCheck(id, section, `${type} formats use units ${allowed.join('/')}, the absent-versus-null rules, and a decimal ${key}`, [type], (c) =>
    first(units(allowed)(c.format), qualifiers(c.format, ['tier', 'season', 'quality', 'related_meterdevices']), decimals(c, key), definition(c)), `no visible segment has a ${type} format`)
}

/** The checks of §10.8.5–§10.8.7. */
export const usageValueChecks: readonly Check[] = [
  columnCheck('R3-01-10.8.5-01', '§10.8.5', 'a format of a standard Value Type follows that type: its format fields and its Value Objects', [...STANDARD], (c) => first(definition(c)), 'no visible segment has a standard format'),
  check('R3-01-10.8.5-02', '§10.8.5', 'a Value Type outside the eight standard ones is described in cds_usagesegments_additional_value_types', async (ctx: CheckContext) => {
    for (const view of await views(ctx, 'usagesegments')) {
      const described = (await clientMetadata(ctx, view.token.client)).cds_usagesegments_additional_value_types as Json | undefined
      const other = view.items.flatMap((s) => (Array.isArray(s.formats) ? (s.formats as Json[]) : [])).map((f) => String(f.type)).filter((t) => !STANDARD.has(t))
      for (const type of new Set(other)) ctx.assert(described !== undefined && type in described, `the Value Type ${type} is used but not described in the metadata`)
    }
    const seen = (await views(ctx, 'usagesegments')).some((v) => v.items.some((s) => Array.isArray(s.formats) && (s.formats as Json[]).some((f) => !STANDARD.has(String(f.type)))))
    if (!seen) ctx.notApplicable('every visible format is of a standard Value Type')
  }),
  columnCheck('R3-01-10.8.5.1-01', '§10.8.5.1', 'electric usage is an electric_usage format whose Value Objects carry eu', ['electric_usage'], (c) => first(decimals(c, 'eu')), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-02', '§10.8.5.1', 'electric_usage units are Wh, kWh or MWh', ['electric_usage'], (c) => first(units(['Wh', 'kWh', 'MWh'])(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-03', '§10.8.5.1', 'electric_usage direction is absent when unknown, else net, forward or reverse (never null)', ['electric_usage'], (c) => first(QUALIFIERS.direction(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-04', '§10.8.5.1', 'electric_usage tou is absent when unknown, null when none applies, else a Time of Use Type', ['electric_usage'], (c) => first(QUALIFIERS.tou(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-05', '§10.8.5.1', 'electric_usage tier is absent when unknown, null when none applies, else a Tier Type', ['electric_usage'], (c) => first(QUALIFIERS.tier(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-06', '§10.8.5.1', 'electric_usage season is absent when unknown, null when none applies, else a Season Type', ['electric_usage'], (c) => first(QUALIFIERS.season(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-07', '§10.8.5.1', 'electric_usage quality is absent when unknown (never null)', ['electric_usage'], (c) => first(QUALIFIERS.quality(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-08', '§10.8.5.1', 'electric_usage related_meterdevices is absent when unknown (never null)', ['electric_usage'], (c) => first(QUALIFIERS.related_meterdevices(c.format)), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.1-09', '§10.8.5.1', 'eu is an exact decimal, positive for import and negative for export in every direction', ['electric_usage'], (c) => first(decimals(c, 'eu'), signs(c, 'eu')), 'no visible segment has electric usage'),
  columnCheck('R3-01-10.8.5.2-01', '§10.8.5.2', 'electric demand is an electric_demand format whose Value Objects carry ed', ['electric_demand'], (c) => first(decimals(c, 'ed')), 'no visible segment has electric demand'),
  columnCheck('R3-01-10.8.5.2-02', '§10.8.5.2', 'electric_demand units are W, kW or MW, with a Demand Type', ['electric_demand'], (c) =>
    first(units(['W', 'kW', 'MW'])(c.format), enumValues(DemandType).has(String(c.format.demand_type)) ? undefined : `demand_type is ${shown(c.format.demand_type)}`), 'no visible segment has electric demand'),
  columnCheck('R3-01-10.8.5.2-03', '§10.8.5.2', 'electric_demand direction, tou, tier, season, quality and related_meterdevices follow the absent-versus-null rules', ['electric_demand'], (c) =>
    first(qualifiers(c.format, ['direction', 'tou', 'tier', 'season', 'quality', 'related_meterdevices'])), 'no visible segment has electric demand'),
  columnCheck('R3-01-10.8.5.2-04', '§10.8.5.2', 'ed is an exact decimal with the import/export sign rule', ['electric_demand'], (c) => first(decimals(c, 'ed'), signs(c, 'ed')), 'no visible segment has electric demand'),
  columnCheck('R3-01-10.8.5.3-01', '§10.8.5.3', 'a supply mix is an electric_supply_mix format whose Value Objects carry sm', ['electric_supply_mix'], (c) => first(decimals(c, 'sm')), 'no visible segment has a supply mix'),
  columnCheck('R3-01-10.8.5.3-02', '§10.8.5.3', 'an electric_supply_mix format has indexes, an attribution and a supply_type', ['electric_supply_mix'], (c) =>
    first(Array.isArray(c.format.indexes) ? undefined : 'indexes is missing', enumValues(SupplyAttributionType).has(String(c.format.attribution)) ? undefined : `attribution ${shown(c.format.attribution)}`, enumValues(SupplyType).has(String(c.format.supply_type)) ? undefined : `supply_type ${shown(c.format.supply_type)}`), 'no visible segment has a supply mix'),
  columnCheck('R3-01-10.8.5.3-03', '§10.8.5.3', 'supply mix indexes are other positions of the Value Set (or [])', ['electric_supply_mix'], (c) => {
    const list = Array.isArray(c.format.indexes) ? (c.format.indexes as unknown[]) : []
    const bad = list.filter((i) => !valid(i, c))
    return bad.length === 0 ? true : `indexes ${shown(bad)} are not other positions of the ${c.width} formats`
  }, 'no visible segment has a supply mix'),
  columnCheck('R3-01-10.8.5.3-04', '§10.8.5.3', 'sm is a ratio from 0 to 1; ci is a decimal and eacs a list when present', ['electric_supply_mix'], (c) => {
    for (const cell of c.cells) {
      const sm = exact(cell.sm)
      if (sm === undefined) return `sm is ${shown(String(cell.sm))}`
      if (sm.units < 0n || sm.units > 10n ** BigInt(sm.scale)) return `sm ${String(cell.sm)} is outside 0–1`
      if ('ci' in cell && !isDecimal(cell.ci)) return `ci is ${shown(String(cell.ci))}`
      if ('eacs' in cell && !Array.isArray(cell.eacs)) return 'eacs is not a list'
    }
    return true
  }, 'no visible segment has a supply mix'),
  usageType('R3-01-10.8.5.4-01', '§10.8.5.4', 'water_usage', 'wu', ['m3', 'L', 'gal', 'ft3', 'CCF', 'MCF', 'MMCF']),
  usageType('R3-01-10.8.5.5-01', '§10.8.5.5', 'natural_gas_usage', 'gu', ['Btu', 'therm', 'Sm3', 'scf']),
  usageType('R3-01-10.8.5.6-01', '§10.8.5.6', 'fuel_oil_usage', 'fu', ['L', 'gal']),
  columnCheck('R3-01-10.8.5.7-01', '§10.8.5.7', 'a cost format has an ISO 4217 currency and indexes, and its Value Objects an exact decimal c', ['cost'], (c) =>
    first(/^[A-Z]{3}$/.test(String(c.format.currency)) ? undefined : `currency ${shown(c.format.currency)}`, Array.isArray(c.format.indexes) ? undefined : 'indexes is missing', decimals(c, 'c')), 'no visible segment has interval cost'),
  columnCheck('R3-01-10.8.5.7-02', '§10.8.5.7', 'cost indexes name other positions of the Value Set, or are [] for a flat cost', ['cost'], (c) => {
    const list = Array.isArray(c.format.indexes) ? (c.format.indexes as unknown[]) : []
    const bad = list.filter((i) => !valid(i, c))
    return bad.length === 0 ? true : `indexes ${shown(bad)} are not other positions`
  }, 'no visible segment has interval cost'),
  columnCheck('R3-01-10.8.5.8-01', '§10.8.5.8', 'a meter_readings format has related_meterdevice, register (a string or null) and a Unit Type', ['meter_readings'], (c) =>
    first(typeof c.format.related_meterdevice === 'string' ? undefined : 'related_meterdevice is missing', 'register' in c.format && (c.format.register === null || typeof c.format.register === 'string') ? undefined : `register is ${shown(c.format.register)}`, enumValues(UnitType).has(String(c.format.units)) ? undefined : `units ${shown(c.format.units)}`), 'no visible segment has meter readings'),
  check('R3-01-10.8.5.8-02', '§10.8.5.8', 'a meter_readings format names its meter in related_meterdevice, a meter the segment lists (A-53)', async (ctx: CheckContext) =>
    everyItem(ctx, 'usagesegments', (segment) => {
      const readings = columns(segment).filter((c) => c.format.type === 'meter_readings')
      if (readings.length === 0) return undefined
      const bad = readings.find((c) => typeof c.format.related_meterdevice !== 'string' || !(segment.related_meterdevices as unknown[]).includes(c.format.related_meterdevice))
      return bad === undefined ? true : `format ${String(bad.format.id)} names ${shown(bad.format.related_meterdevice)}, not a meter of the segment`
    }, 'no visible segment has meter readings'),
  ),
  columnCheck('R3-01-10.8.5.8-03', '§10.8.5.8', 'a meter reading r is a JSON string, never a number', ['meter_readings'], (c) => {
    const bad = c.cells.find((cell) => typeof cell.r !== 'string')
    return bad === undefined ? true : `r is ${shown(String(bad.r))} (${typeof bad.r})`
  }, 'no visible segment has meter readings'),
  check('R3-01-10.8.6-01', '§10.8.6', 'each additional Value Type used is published with type, name, description and a documentation URL', async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, 'usagesegments')) {
      const described = ((await clientMetadata(ctx, view.token.client)).cds_usagesegments_additional_value_types ?? {}) as Record<string, Json>
      for (const [key, d] of Object.entries(described)) {
        seen++
        ctx.assert(d.type === key && typeof d.name === 'string' && typeof d.description === 'string' && isUrl(d.documentation), `the description of ${key} lacks type (equal to its key), name, description or documentation`)
      }
      for (const f of view.items.flatMap((s) => (Array.isArray(s.formats) ? (s.formats as Json[]) : []))) {
        if (STANDARD.has(String(f.type))) continue
        seen++
        ctx.assert(String(f.type) in described, `the Value Type ${String(f.type)} is used but not described`)
      }
    }
    if (seen === 0) ctx.notApplicable('the server publishes and uses no additional Value Type')
  }),
  columnCheck('R3-01-10.8.7-01', '§10.8.7', 'units, direction, tou, tier, season, quality, demand_type, attribution and supply_type are the exact strings of §10.8.7', [...STANDARD], (c) => {
    const f = c.format
    const enums: [string, ReadonlySet<string>][] = [
      ['units', enumValues(UnitType)], ['direction', enumValues(DirectionType)], ['tou', enumValues(TimeOfUseType)], ['tier', enumValues(TierType)], ['season', enumValues(SeasonType)],
      ['quality', enumValues(ReadingQualityType)], ['demand_type', enumValues(DemandType)], ['attribution', enumValues(SupplyAttributionType)], ['supply_type', enumValues(SupplyType)],
    ]
    const bad = enums.filter(([name, values]) => name in f && f[name] !== null && !values.has(str(f[name])))
    return bad.length === 0 ? true : bad.map(([name]) => `${name} ${shown(f[name])}`).join(', ')
  }, 'no visible segment has formats'),
]
