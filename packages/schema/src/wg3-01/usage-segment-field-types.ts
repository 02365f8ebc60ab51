/**
 * The Field Types of CDS-WG3-01 §10.8.7: the enumerations that Usage Segment Value Formats use
 * for units, flow direction, billing designations (time of use, tier, season), reading quality,
 * demand kind and supply mix attribution. Bill Section Usage Details (§10.6.3), Line Items
 * (§10.6.7) and Service Programs (§10.2.5) reuse some of them.
 *
 * All are extensible: §11.7 lets extensions add values and §10.8.5 makes clients ignore values
 * they do not know (`parseLenient` keeps them with a warning). §11.7 forgets Tier and Season
 * Types; they are treated the same way.
 *
 * @module
 */
import type { Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * A unit of measure; the strings are case-sensitive (`kWh`, never `kwh`).
 *
 * @see CDS-WG3-01 §10.8.7.1 Unit Types
 */
export const UnitType = Cds.Enum(
  [
    'Wh',
    'kWh',
    'MWh',
    'W',
    'kW',
    'MW',
    'm3',
    'ft3',
    'CCF',
    'MCF',
    'MMCF',
    'MMCFD',
    'L',
    'gal',
    'Btu',
    'therm',
    'Sm3',
    'scf',
    'SCFM',
    'C',
    'F',
    'var',
    'kvar',
    'varh',
    'kvarh',
    'years',
    'months',
    'days',
    'hours',
    'minutes',
    'seconds',
    'money',
    'count',
    'percent',
  ],
  {
    $id: 'UnitType',
    description:
      'A unit of measure: energy, power, volume, temperature, reactive power, time, money (in the currency of the enclosing object), a count or a percent; case-sensitive (CDS-WG3-01 §10.8.7.1).',
  },
)
export type UnitType = Static<typeof UnitType>

/**
 * Which flows a measurement accumulates.
 *
 * @see CDS-WG3-01 §10.8.7.2 Direction Types
 */
export const DirectionType = Cds.Enum(['net', 'forward', 'reverse'], {
  $id: 'DirectionType',
  description:
    'Flow direction of the data: both directions netted, only central-to-external (delivered), or only external-to-central (received) (CDS-WG3-01 §10.8.7.2).',
})
export type DirectionType = Static<typeof DirectionType>

/**
 * A time-of-use billing period.
 *
 * @see CDS-WG3-01 §10.8.7.3 Time-of-Use Types
 */
export const TimeOfUseType = Cds.Enum(['super_peak', 'peak', 'partial_peak', 'off_peak', 'super_off_peak'], {
  $id: 'TimeOfUseType',
  description: 'A time-of-use (TOU) billing period, from super peak to super off-peak; partial peak is also called shoulder (CDS-WG3-01 §10.8.7.3).',
})
export type TimeOfUseType = Static<typeof TimeOfUseType>

/**
 * A billing tier.
 *
 * @see CDS-WG3-01 §10.8.7.4 Tier Types
 */
export const TierType = Cds.Enum(
  ['baseline', 'overage', 'tier_1', 'tier_2', 'tier_3', 'tier_4', 'tier_5', 'tier_6', 'tier_7', 'tier_8', 'tier_9'],
  {
    $id: 'TierType',
    description: 'A billing tier: baseline, over baseline, or a numbered tier 1 to 9 (CDS-WG3-01 §10.8.7.4; extensible like the others, A-56).',
  },
)
export type TierType = Static<typeof TierType>

/**
 * A billing season.
 *
 * @see CDS-WG3-01 §10.8.7.5 Season Types
 */
export const SeasonType = Cds.Enum(['spring', 'summer', 'fall', 'winter'], {
  $id: 'SeasonType',
  description: 'A seasonal billing designation (CDS-WG3-01 §10.8.7.5; extensible like the others, A-56).',
})
export type SeasonType = Static<typeof SeasonType>

/**
 * How far the values have been checked or changed since they were read.
 *
 * @see CDS-WG3-01 §10.8.7.6 Reading Quality Types
 */
export const ReadingQualityType = Cds.Enum(['raw', 'manual', 'valid', 'revenue', 'estimated', 'calculated', 'corrected', 'website'], {
  $id: 'ReadingQualityType',
  description:
    'Quality of the values: unchecked digital or manual reads, validated, billing grade, estimated, calculated, corrected after billing, or as shown on the customer portal (`website`, only when nothing more specific is known) (CDS-WG3-01 §10.8.7.6).',
})
export type ReadingQualityType = Static<typeof ReadingQualityType>

/**
 * What a demand value measures: over the interval, or at one of its ends.
 *
 * @see CDS-WG3-01 §10.8.7.7 Demand Types
 */
export const DemandType = Cds.Enum(['peak', 'average', 'starting', 'ending'], {
  $id: 'DemandType',
  description:
    'Kind of demand value: peak or average over the interval, or an instantaneous reading at its start or its end (CDS-WG3-01 §10.8.7.7).',
})
export type DemandType = Static<typeof DemandType>

/**
 * To whom a share of the grid supply is attributed.
 *
 * @see CDS-WG3-01 §10.8.7.8 Supply Attribution Types
 */
export const SupplyAttributionType = Cds.Enum(['base', 'individual', 'residual'], {
  $id: 'SupplyAttributionType',
  description:
    'How a supply mix share is attributed: to the base grid sources, individually to the customer (for example a power purchase agreement), or to residual sources (CDS-WG3-01 §10.8.7.8).',
})
export type SupplyAttributionType = Static<typeof SupplyAttributionType>

/**
 * A generation source category of the supply mix.
 *
 * @see CDS-WG3-01 §10.8.7.9 Supply Types
 */
export const SupplyType = Cds.Enum(
  [
    'general',
    'carbonfree',
    'peaker',
    'solar',
    'wind',
    'hydro',
    'geothermal',
    'biomass',
    'nuclear',
    'storage',
    'demand_management',
    'distributed',
    'natural_gas',
    'coal',
    'oil',
  ],
  {
    $id: 'SupplyType',
    description:
      'A generation source category of a supply mix share: all sources, carbon-free sources, peakers, a single technology, storage, demand management, or distributed (grid-fed behind-the-meter) generation (CDS-WG3-01 §10.8.7.9).',
  },
)
export type SupplyType = Static<typeof SupplyType>
