/**
 * Usage Segment Value Sets and Value Objects (CDS-WG3-01 §10.8.3, §10.8.4, §10.8.5.x.2): the
 * rows of `values` and the cells in them, with the cell of each standard Value Type.
 *
 * A cell's fields are set by the Value Format at the same position of `formats`, which JSON
 * Schema cannot look up. So a Value Set holds open {@link ValueObject}s (or `null`), and each
 * typed cell schema below is for code that has already paired a cell with its format, for
 * example through {@link VALUE_OBJECT_SCHEMAS}. See the interpretations page, `wg3-01-usage`.
 *
 * @module
 */
import Type, { type Static, type TSchema } from 'typebox'
import { Cds } from '../common/cds.js'
import type { ValueType } from './usage-segment-value-types.js'

/**
 * One cell of a Value Set. Its fields depend on the Value Type of the Value Format at the same
 * position, so the generic object is open (even for the `closed` strict check).
 *
 * @see CDS-WG3-01 §10.8.4 Value Objects
 */
export const ValueObject = Type.Object(
  {},
  {
    $id: 'ValueObject',
    description:
      'Value Object: one cell of a Value Set, whose fields are those of the Value Type of the format at the same position; unknown fields are ignored (CDS-WG3-01 §10.8.4).',
    // The keys come from the matching format's type, so no check may treat them as extensions.
    additionalProperties: true,
  },
)
export type ValueObject = Static<typeof ValueObject>

/**
 * One row of `values`: the cells of one interval, in the order of `formats`, with `null` in
 * place of any cell whose data is missing (§10.8.3: replaced, never dropped).
 *
 * @see CDS-WG3-01 §10.8.3 Value Sets
 */
export const ValueSet = Type.Array(Cds.Nullable(ValueObject), {
  $id: 'ValueSet',
  description:
    'Value Set: the Value Objects of one interval, position j described by `formats[j]`, null where data is missing; one entry per format is expected (A-41) (CDS-WG3-01 §10.8.3).',
})
export type ValueSet = Static<typeof ValueSet>

/**
 * Energy used in one interval; positive from the grid to the customer, negative back to the
 * grid, whatever the format's `direction`.
 *
 * @see CDS-WG3-01 §10.8.5.1.2 Electric Usage Value Objects
 */
export const ElectricUsageValueObject = Type.Object(
  { eu: Cds.Decimal({ description: 'Energy over the interval in the format’s `units`; negative when it flowed back to the grid.' }) },
  { $id: 'ElectricUsageValueObject', description: 'Electric Usage Value Object: the `eu` energy of one interval (CDS-WG3-01 §10.8.5.1.2).' },
)
export type ElectricUsageValueObject = Static<typeof ElectricUsageValueObject>

/**
 * Demand of one interval (or at one of its ends), with the same sign rule as usage.
 *
 * @see CDS-WG3-01 §10.8.5.2.2 Electric Demand Value Objects
 */
export const ElectricDemandValueObject = Type.Object(
  { ed: Cds.Decimal({ description: 'Demand in the format’s `units`, of its `demand_type`; negative when it flowed back to the grid.' }) },
  { $id: 'ElectricDemandValueObject', description: 'Electric Demand Value Object: the `ed` demand of one interval (CDS-WG3-01 §10.8.5.2.2).' },
)
export type ElectricDemandValueObject = Static<typeof ElectricDemandValueObject>

/**
 * The share of the related usage coming from one supply type, with its carbon intensity and
 * the certificates applied to it.
 *
 * @see CDS-WG3-01 §10.8.5.3.2 Electric Supply Mix Value Objects
 */
export const ElectricSupplyMixValueObject = Type.Object(
  {
    // The draft calls it a percentage but says it is a ratio from 0 to 1.
    sm: Cds.Decimal({ description: 'Share of the usage at the format’s `indexes` from this supply type and attribution, as a ratio from 0 to 1.' }),
    ci: Type.Optional(Cds.Decimal({ description: 'Carbon intensity of this component in gCO2e/kWh.' })),
    eacs: Type.Optional(Type.Array(Type.String(), { description: '`cds_eac_id`s of the certificates applied to this component (pruned to visible ids, A-06).' })),
  },
  {
    $id: 'ElectricSupplyMixValueObject',
    description: 'Electric Supply Mix Value Object: a supply share `sm`, optional carbon intensity `ci` and certificates `eacs` (CDS-WG3-01 §10.8.5.3.2).',
  },
)
export type ElectricSupplyMixValueObject = Static<typeof ElectricSupplyMixValueObject>

/**
 * Water used in one interval.
 *
 * @see CDS-WG3-01 §10.8.5.4.2 Water Usage Value Objects
 */
export const WaterUsageValueObject = Type.Object(
  { wu: Cds.Decimal({ description: 'Water used over the interval in the format’s `units`.' }) },
  { $id: 'WaterUsageValueObject', description: 'Water Usage Value Object: the `wu` volume of one interval (CDS-WG3-01 §10.8.5.4.2).' },
)
export type WaterUsageValueObject = Static<typeof WaterUsageValueObject>

/**
 * Natural gas used in one interval.
 *
 * @see CDS-WG3-01 §10.8.5.5.2 Natural Gas Usage Value Objects
 */
export const NaturalGasUsageValueObject = Type.Object(
  { gu: Cds.Decimal({ description: 'Natural gas used over the interval in the format’s `units`.' }) },
  { $id: 'NaturalGasUsageValueObject', description: 'Natural Gas Usage Value Object: the `gu` amount of one interval (CDS-WG3-01 §10.8.5.5.2).' },
)
export type NaturalGasUsageValueObject = Static<typeof NaturalGasUsageValueObject>

/**
 * Fuel oil used in one interval.
 *
 * @see CDS-WG3-01 §10.8.5.6.2 Fuel Oil Usage Value Objects
 */
export const FuelOilUsageValueObject = Type.Object(
  { fu: Cds.Decimal({ description: 'Fuel oil used over the interval in the format’s `units`.' }) },
  { $id: 'FuelOilUsageValueObject', description: 'Fuel Oil Usage Value Object: the `fu` volume of one interval (CDS-WG3-01 §10.8.5.6.2).' },
)
export type FuelOilUsageValueObject = Static<typeof FuelOilUsageValueObject>

/**
 * Money charged for one interval.
 *
 * @see CDS-WG3-01 §10.8.5.7.2 Interval Cost Value Objects
 */
export const IntervalCostValueObject = Type.Object(
  { c: Cds.Decimal({ description: 'Cost of the interval in the format’s `currency`.' }) },
  { $id: 'IntervalCostValueObject', description: 'Interval Cost Value Object: the `c` amount of one interval (CDS-WG3-01 §10.8.5.7.2).' },
)
export type IntervalCostValueObject = Static<typeof IntervalCostValueObject>

/**
 * A register reading at the start of one interval, as text.
 *
 * @see CDS-WG3-01 §10.8.5.8.2 Meter Readings Value Objects
 */
export const MeterReadingsValueObject = Type.Object(
  {
    // CDS-WG3-01 §10.8.5.8.2: a string, never a JSON number, so it is not mistaken for usage.
    r: Type.String({ description: 'The register value read at the start of the interval, as a string.' }),
  },
  { $id: 'MeterReadingsValueObject', description: 'Meter Readings Value Object: the `r` register reading, a string (CDS-WG3-01 §10.8.5.8.2).' },
)
export type MeterReadingsValueObject = Static<typeof MeterReadingsValueObject>

/**
 * The Value Object schema of each standard Value Type, for checking a cell once it has been
 * paired with the `type` of its format. Cells of other types have no schema here: clients
 * ignore them (§10.8.5).
 *
 * @example
 * ```ts
 * const issues = checkStrict(VALUE_OBJECT_SCHEMAS[format.type], segment.values[k][j])
 * ```
 * @see CDS-WG3-01 §10.8.5 Value Types
 */
export const VALUE_OBJECT_SCHEMAS: Readonly<Record<ValueType, TSchema>> = Object.freeze({
  electric_usage: ElectricUsageValueObject,
  electric_demand: ElectricDemandValueObject,
  electric_supply_mix: ElectricSupplyMixValueObject,
  water_usage: WaterUsageValueObject,
  natural_gas_usage: NaturalGasUsageValueObject,
  fuel_oil_usage: FuelOilUsageValueObject,
  cost: IntervalCostValueObject,
  meter_readings: MeterReadingsValueObject,
})
