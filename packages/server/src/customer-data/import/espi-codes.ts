/**
 * The NAESB ESPI (Green Button) code tables the importer and exporter translate, and what each
 * code becomes in a CDS-WG3-01 Usage Segment (catalog §3.6, §3.7). The ESPI side is the
 * `UnitSymbolKind`, `QualityOfReading`, `FlowDirectionKind`, `CommodityKind`, `DataQualifierKind`
 * and `ServiceKind` enumerations of the ESPI schema; the CDS side is the Value Types and Field
 * Types of §10.8.5 and §10.8.7. The docs page (guides/import-export.md) shows the same tables.
 *
 * @see CDS-WG3-01 §10.8.7 Field Types
 * @module
 */

/** The Value Types an import writes (catalog §3.6.1). */
export type ImportValueType = 'electric_usage' | 'electric_demand' | 'natural_gas_usage' | 'water_usage'

/** The Value Object key of each Value Type (§10.8.5). */
export const VALUE_KEY: Readonly<Record<ImportValueType, 'eu' | 'ed' | 'gu' | 'wu'>> = {
  electric_usage: 'eu',
  electric_demand: 'ed',
  natural_gas_usage: 'gu',
  water_usage: 'wu',
}

/** The Service Type (§10.2.4) of the contract that carries each Value Type. */
export const SERVICE_TYPE: Readonly<Record<ImportValueType, 'electric' | 'natural_gas' | 'water'>> = {
  electric_usage: 'electric',
  electric_demand: 'electric',
  natural_gas_usage: 'natural_gas',
  water_usage: 'water',
}

/** What a reading measures once mapped: the Value Type, its unit and the power of ten between units. */
export interface Measure {
  readonly type: ImportValueType
  /** A UnitType of §10.8.7.1 allowed for `type` (catalog §3.6.1). */
  readonly units: string
  /** `log10` of the ESPI unit in `units` (Wh in kWh: −3), added to `powerOfTenMultiplier`. */
  readonly shift: number
}

// ESPI UnitSymbolKind codes.
const UOM_W = 38
const UOM_M3 = 42
const UOM_WH = 72
const UOM_FT3 = 119
const UOM_US_GAL = 128
const UOM_BTU = 132
const UOM_L = 134
const UOM_THERM = 169

// ESPI CommodityKind: 1 and 2 electricity (secondary / primary metered), 7 natural gas, 9 potable water.
const COMMODITY_GAS = 7
const COMMODITY_WATER = 9
// ESPI ServiceKind of a UsagePoint's ServiceCategory: 0 electricity, 1 gas, 2 water.
const SERVICE_KIND_GAS = 1

/**
 * The Value Type and unit of an ESPI `uom`; volumes are gas or water by `commodity`, or by the
 * UsagePoint's service kind when the commodity says nothing. Energy and power go to kWh and kW,
 * the units of the spec's examples (§13); the digits are shifted, never rounded. Gas volumes are
 * read as standard volumes (Sm3, scf), the only volume units natural_gas_usage allows.
 *
 * @returns undefined for a unit no standard Value Type carries (reactive energy, currency, …)
 * @see CDS-WG3-01 §10.8.5 Value Types
 */
export function measureOf(uom: number, commodity: number | undefined, serviceKind: number | undefined): Measure | undefined {
  const gas = commodity === COMMODITY_GAS || ((commodity === undefined || commodity === 0) && serviceKind === SERVICE_KIND_GAS)
  switch (uom) {
    case UOM_WH:
      return { type: 'electric_usage', units: 'kWh', shift: -3 }
    case UOM_W:
      return { type: 'electric_demand', units: 'kW', shift: -3 }
    case UOM_THERM:
      return { type: 'natural_gas_usage', units: 'therm', shift: 0 }
    case UOM_BTU:
      return { type: 'natural_gas_usage', units: 'Btu', shift: 0 }
    case UOM_M3:
      return gas ? { type: 'natural_gas_usage', units: 'Sm3', shift: 0 } : { type: 'water_usage', units: 'm3', shift: 0 }
    case UOM_FT3:
      return gas ? { type: 'natural_gas_usage', units: 'scf', shift: 0 } : { type: 'water_usage', units: 'ft3', shift: 0 }
    case UOM_US_GAL:
      return { type: 'water_usage', units: 'gal', shift: 0 }
    case UOM_L:
      return { type: 'water_usage', units: 'L', shift: 0 }
    default:
      return undefined
  }
}

/** How the exporter writes a (Value Type, unit): the ESPI `uom`, `commodity`, service kind and the unit's power of ten. */
export interface EspiUnit {
  readonly uom: number
  readonly commodity: number
  readonly serviceKind: number
  /** `log10` of `units` in the ESPI unit (kWh in Wh: 3). */
  readonly exponent: number
}

const ELECTRIC = { commodity: 1, serviceKind: 0 }
const GAS = { commodity: COMMODITY_GAS, serviceKind: SERVICE_KIND_GAS }
const WATER = { commodity: COMMODITY_WATER, serviceKind: 2 }

const EXPORT_UNITS: Readonly<Record<ImportValueType, Readonly<Record<string, EspiUnit>>>> = {
  electric_usage: {
    Wh: { uom: UOM_WH, exponent: 0, ...ELECTRIC },
    kWh: { uom: UOM_WH, exponent: 3, ...ELECTRIC },
    MWh: { uom: UOM_WH, exponent: 6, ...ELECTRIC },
  },
  electric_demand: {
    W: { uom: UOM_W, exponent: 0, ...ELECTRIC },
    kW: { uom: UOM_W, exponent: 3, ...ELECTRIC },
    MW: { uom: UOM_W, exponent: 6, ...ELECTRIC },
  },
  natural_gas_usage: {
    therm: { uom: UOM_THERM, exponent: 0, ...GAS },
    Btu: { uom: UOM_BTU, exponent: 0, ...GAS },
    Sm3: { uom: UOM_M3, exponent: 0, ...GAS },
    scf: { uom: UOM_FT3, exponent: 0, ...GAS },
  },
  water_usage: {
    m3: { uom: UOM_M3, exponent: 0, ...WATER },
    ft3: { uom: UOM_FT3, exponent: 0, ...WATER },
    // 1 CCF = 100 ft³, 1 MCF = 1,000 ft³, 1 MMCF = 1,000,000 ft³: exact powers of ten.
    CCF: { uom: UOM_FT3, exponent: 2, ...WATER },
    MCF: { uom: UOM_FT3, exponent: 3, ...WATER },
    MMCF: { uom: UOM_FT3, exponent: 6, ...WATER },
    gal: { uom: UOM_US_GAL, exponent: 0, ...WATER },
    L: { uom: UOM_L, exponent: 0, ...WATER },
  },
}

/**
 * The ESPI unit a Value Format is exported in, or undefined when Green Button cannot carry it.
 *
 * @see CDS-WG3-01 §10.8.7.1 Unit Types
 */
export function espiUnitOf(type: string, units: string): EspiUnit | undefined {
  return (EXPORT_UNITS as Partial<Record<string, Readonly<Record<string, EspiUnit>>>>)[type]?.[units]
}

/**
 * ESPI QualityOfReading → ReadingQualityType (§10.8.7.6). Several ESPI codes share one CDS value;
 * `questionable` (10) is kept as `raw` (not validated), `mixed` (13) and `projected` (12) as
 * `estimated`, `derived` (11) and `weather normalized` (15) as `calculated`. `other` (16) has no
 * CDS counterpart: such a reading gets no quality (unknown).
 */
export const QUALITY_FROM_ESPI: Readonly<Record<number, string>> = {
  0: 'valid',
  7: 'manual',
  8: 'estimated',
  9: 'estimated',
  10: 'raw',
  11: 'calculated',
  12: 'estimated',
  13: 'estimated',
  14: 'raw',
  15: 'calculated',
  17: 'valid',
  18: 'valid',
  19: 'revenue',
}

/**
 * ReadingQualityType → the ESPI code the exporter writes; each maps back to itself on import.
 * `corrected` and `website` have no ESPI code and are written without a ReadingQuality.
 */
export const QUALITY_TO_ESPI: Readonly<Record<string, number>> = {
  valid: 0,
  manual: 7,
  estimated: 8,
  calculated: 11,
  raw: 14,
  revenue: 19,
}

/** The order of quality columns in a segment: unknown first, then §10.8.7.6 order. */
export const QUALITY_ORDER: readonly (string | undefined)[] = [undefined, 'raw', 'manual', 'valid', 'revenue', 'estimated', 'calculated', 'corrected', 'website']

/**
 * ESPI FlowDirectionKind → DirectionType (§10.8.7.2): 1 forward (delivered), 19 reverse
 * (received), 4 net. `none` (0) and `total` (20, the sum of magnitudes) say nothing CDS can
 * state, so the format gets no `direction` (unknown, catalog §3.6.2).
 */
export function directionFromEspi(code: number | undefined): 'forward' | 'reverse' | 'net' | undefined | null {
  if (code === undefined || code === 0 || code === 20) return undefined
  if (code === 1) return 'forward'
  if (code === 19) return 'reverse'
  if (code === 4) return 'net'
  return null
}

/** DirectionType → ESPI FlowDirectionKind. */
export const DIRECTION_TO_ESPI: Readonly<Record<string, number>> = { forward: 1, reverse: 19, net: 4 }

/** ESPI DataQualifierKind of a power reading → DemandType (§10.8.7.7): 8 maximum is `peak`, anything else `average`. */
export function demandTypeFromEspi(dataQualifier: number | undefined): 'peak' | 'average' {
  return dataQualifier === 8 ? 'peak' : 'average'
}

/** DemandType → ESPI DataQualifierKind (2 average, 8 maximum); `starting`/`ending` have none. */
export const DEMAND_TYPE_TO_ESPI: Readonly<Record<string, number>> = { peak: 8, average: 2 }
