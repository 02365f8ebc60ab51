/**
 * Usage Segment Value Types (CDS-WG3-01 §10.8.5): the eight standard kinds of data a Usage
 * Segment column can hold, each with its Value Format object (the column header in `formats`),
 * the generic Value Format of §10.8.2 that picks the right one by `type`, and the Value Type
 * Description of §10.8.6 that servers publish for any type of their own.
 *
 * The matching Value Objects (the cells in `values`) are in `usage-segment-value-objects.ts`.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
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
} from './usage-segment-field-types.js'

/** The `type` strings of the standard Value Types, in the order §10.8.5 lists them. */
const STANDARD_VALUE_TYPES = [
  'electric_usage',
  'electric_demand',
  'electric_supply_mix',
  'water_usage',
  'natural_gas_usage',
  'fuel_oil_usage',
  'cost',
  'meter_readings',
] as const

/**
 * The standard Value Types. A Value Format `type` may also be a server-defined type that the
 * server describes in its metadata (§10.8.6), so Value Formats do not restrict `type` to these.
 *
 * @see CDS-WG3-01 §10.8.5 Value Types
 */
export const ValueType = Cds.Enum(STANDARD_VALUE_TYPES, {
  $id: 'ValueType',
  description:
    'A standard Usage Segment Value Type: electric usage, demand or supply mix, water, natural gas or fuel oil usage, interval cost, or meter readings. Servers may add prefixed types described in their metadata (CDS-WG3-01 §10.8.5).',
})
export type ValueType = Static<typeof ValueType>

// ---------------------------------------------------------------------------------------------
// Fields shared by several Value Formats. For each optional designation, absence means the
// server does not know it; for tou/tier/season `null` means it does not apply (§10.8.5.1.1).

const formatId = () => Type.String({ description: "The server's identifier of this Value Format (A-44: stable, equal to the Choice id)." })

const unitsOf = <const V extends readonly [UnitType, ...UnitType[]]>(values: V, what: string) =>
  Cds.Enum(values, { description: `Unit of the ${what}: a Unit Type limited to ${values.join(', ')}.` })

// The billing and measurement designations of the usage formats (water, gas, fuel oil).
const usageDesignations = () => ({
  tier: Type.Optional(Cds.Nullable(TierType, { description: 'Billing tier; null when none applies, absent when unknown.' })),
  season: Type.Optional(Cds.Nullable(SeasonType, { description: 'Billing season; null when none applies, absent when unknown.' })),
  // Quality of the values; absent when unknown, never null.
  quality: Type.Optional(ReadingQualityType),
  related_meterdevices: Type.Optional(
    Type.Array(Type.String(), {
      description: '`cds_meterdevice_id`s of the meters that measured these values; absent when unknown, never null (pruned to visible ids, A-06).',
    }),
  ),
})

// Electric formats add the flow direction (absent when the metering configuration is unknown,
// never null) and the time-of-use period.
const electricDesignations = () => ({
  direction: Type.Optional(DirectionType),
  tou: Type.Optional(Cds.Nullable(TimeOfUseType, { description: 'Time-of-use period; null when none applies, absent when unknown.' })),
  ...usageDesignations(),
})

const indexes = (what: string) =>
  Type.Array(Type.Integer({ minimum: 0 }), {
    description: `Zero-based positions in each Value Set of the values this ${what} describes; empty when it describes none of them (A-45: 0 is allowed).`,
  })

// ---------------------------------------------------------------------------------------------

/**
 * Column header for electric energy usage over each interval.
 *
 * @see CDS-WG3-01 §10.8.5.1.1 Electric Usage Value Format Objects
 */
export const ElectricUsageValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('electric_usage'),
    units: unitsOf(['Wh', 'kWh', 'MWh'], 'energy usage'),
    ...electricDesignations(),
  },
  {
    $id: 'ElectricUsageValueFormat',
    description: 'Value Format of an electric usage column (`eu` values, energy per interval in Wh, kWh or MWh) (CDS-WG3-01 §10.8.5.1.1).',
  },
)
export type ElectricUsageValueFormat = Static<typeof ElectricUsageValueFormat>

/**
 * Column header for electric demand, over each interval or at one of its ends.
 *
 * @see CDS-WG3-01 §10.8.5.2.1 Electric Demand Value Format Objects
 */
export const ElectricDemandValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('electric_demand'),
    units: unitsOf(['W', 'kW', 'MW'], 'demand'),
    // Peak or average over the interval, or a reading at its start or end (§10.8.7.7).
    demand_type: DemandType,
    ...electricDesignations(),
  },
  {
    $id: 'ElectricDemandValueFormat',
    description: 'Value Format of an electric demand column (`ed` values in W, kW or MW, of the given demand type) (CDS-WG3-01 §10.8.5.2.1).',
  },
)
export type ElectricDemandValueFormat = Static<typeof ElectricDemandValueFormat>

/**
 * Column header for one component of the generation mix behind other columns.
 *
 * @see CDS-WG3-01 §10.8.5.3.1 Electric Supply Mix Value Format Objects
 */
export const ElectricSupplyMixValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('electric_supply_mix'),
    indexes: indexes('supply mix'),
    attribution: SupplyAttributionType,
    supply_type: SupplyType,
  },
  {
    $id: 'ElectricSupplyMixValueFormat',
    description:
      'Value Format of a supply mix column: the share of the usage at `indexes` that comes from one supply type under one attribution (`sm` values) (CDS-WG3-01 §10.8.5.3.1).',
  },
)
export type ElectricSupplyMixValueFormat = Static<typeof ElectricSupplyMixValueFormat>

/**
 * Column header for water usage over each interval.
 *
 * @see CDS-WG3-01 §10.8.5.4 Water Usage (format subsection numbered 10.8.5.3.1 in the draft)
 */
export const WaterUsageValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('water_usage'),
    units: unitsOf(['m3', 'L', 'gal', 'ft3', 'CCF', 'MCF', 'MMCF'], 'water usage'),
    ...usageDesignations(),
  },
  {
    $id: 'WaterUsageValueFormat',
    description: 'Value Format of a water usage column (`wu` values, volume per interval) (CDS-WG3-01 §10.8.5.4).',
  },
)
export type WaterUsageValueFormat = Static<typeof WaterUsageValueFormat>

/**
 * Column header for natural gas usage over each interval.
 *
 * @see CDS-WG3-01 §10.8.5.5.1 Natural Gas Usage Value Format Objects
 */
export const NaturalGasUsageValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('natural_gas_usage'),
    units: unitsOf(['Btu', 'therm', 'Sm3', 'scf'], 'natural gas usage'),
    ...usageDesignations(),
  },
  {
    $id: 'NaturalGasUsageValueFormat',
    description: 'Value Format of a natural gas usage column (`gu` values, energy or standard volume per interval) (CDS-WG3-01 §10.8.5.5.1).',
  },
)
export type NaturalGasUsageValueFormat = Static<typeof NaturalGasUsageValueFormat>

/**
 * Column header for fuel (heating) oil usage over each interval.
 *
 * @see CDS-WG3-01 §10.8.5.6.1 Fuel Oil Usage Value Format Objects
 */
export const FuelOilUsageValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('fuel_oil_usage'),
    units: unitsOf(['L', 'gal'], 'fuel oil usage'),
    ...usageDesignations(),
  },
  {
    $id: 'FuelOilUsageValueFormat',
    description: 'Value Format of a fuel oil usage column (`fu` values, litres or gallons per interval) (CDS-WG3-01 §10.8.5.6.1).',
  },
)
export type FuelOilUsageValueFormat = Static<typeof FuelOilUsageValueFormat>

/**
 * Column header for the money cost of each interval.
 *
 * @see CDS-WG3-01 §10.8.5.7.1 Interval Cost Value Format Objects
 */
export const IntervalCostValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('cost'),
    currency: Cds.CurrencyCode({ description: 'ISO 4217 currency of the `c` values.' }),
    indexes: indexes('cost; empty for a flat cost of the period'),
  },
  {
    $id: 'IntervalCostValueFormat',
    description: 'Value Format of an interval cost column (`c` values in `currency`, pricing the columns at `indexes`) (CDS-WG3-01 §10.8.5.7.1).',
  },
)
export type IntervalCostValueFormat = Static<typeof IntervalCostValueFormat>

/**
 * Column header for register readings taken from one meter.
 *
 * @see CDS-WG3-01 §10.8.5.8.1 Meter Readings Value Format Objects
 */
export const MeterReadingsValueFormat = Type.Object(
  {
    id: formatId(),
    type: Type.Literal('meter_readings'),
    // CDS-WG3-01 §10.8.5.8.1 makes this REQUIRED yet also says to leave it out when unknown;
    // kept REQUIRED: a server emits this format only for a known, visible meter.
    related_meterdevice: Type.String({ description: '`cds_meterdevice_id` of the meter the readings come from.' }),
    register: Cds.Nullable(Type.String(), { description: 'Name or id of the register read; null when unknown.' }),
    units: UnitType, // any Unit Type
  },
  {
    $id: 'MeterReadingsValueFormat',
    description: 'Value Format of a meter readings column (`r` values, register readings at the start of each interval) (CDS-WG3-01 §10.8.5.8.1).',
  },
)
export type MeterReadingsValueFormat = Static<typeof MeterReadingsValueFormat>

/** A Value Format of a type this specification does not define (§10.8.5: described in metadata). */
const AdditionalValueFormat = Type.Object(
  {
    id: formatId(),
    // Not one of the standard types: those must follow their own definition above.
    type: Type.Unsafe<string>({ type: 'string', not: { enum: [...STANDARD_VALUE_TYPES] }, description: 'A server or extension Value Type.' }),
  },
  { description: 'A Value Format of an additional Value Type; its other fields come from that type’s documentation (CDS-WG3-01 §10.8.5, §10.8.6).' },
)

/**
 * One entry of a Usage Segment's `formats`: the header of the Value Set column at the same
 * position. A standard `type` selects its own definition exactly; any other `type` is an
 * additional Value Type whose object is kept open.
 *
 * @see CDS-WG3-01 §10.8.2 Value Format Objects
 */
export const ValueFormat = Type.Union(
  [
    ElectricUsageValueFormat,
    ElectricDemandValueFormat,
    ElectricSupplyMixValueFormat,
    WaterUsageValueFormat,
    NaturalGasUsageValueFormat,
    FuelOilUsageValueFormat,
    IntervalCostValueFormat,
    MeterReadingsValueFormat,
    AdditionalValueFormat,
  ],
  {
    $id: 'ValueFormat',
    description:
      'Value Format: `id` and `type`, plus the fields of that Value Type. The branches are told apart by `type`, so exactly one applies (CDS-WG3-01 §10.8.2, §10.8.5).',
  },
)
export type ValueFormat = Static<typeof ValueFormat>

/**
 * What a server publishes about a Value Type of its own.
 *
 * @see CDS-WG3-01 §10.8.6 Value Type Description Objects
 */
export const ValueTypeDescription = Type.Object(
  {
    type: Type.String({ description: 'The additional `type` string used in Value Formats; a server prefix is recommended (§10.8.5).' }),
    name: Type.String({ description: 'Human-readable name of the Value Type.' }),
    description: Type.String({ description: 'What the Value Set data of this type represents.' }),
    documentation: Cds.Url({ description: 'Developer documentation defining the format and value fields in the style of §10.8.5.' }),
  },
  {
    $id: 'ValueTypeDescription',
    description: 'Value Type Description: name, meaning and documentation link of an additional Usage Segment Value Type (CDS-WG3-01 §10.8.6).',
  },
)
export type ValueTypeDescription = Static<typeof ValueTypeDescription>

/**
 * The server metadata field `cds_usagesegments_additional_value_types`: every additional
 * Value Type the server may emit, keyed by its `type` (A-47; the draft says `id`, which the
 * description object lacks). `{}` when there are none.
 *
 * @see CDS-WG3-01 §5 Server Metadata, §10.8.6 Value Type Description Objects
 */
export const ValueTypeDescriptionMap = Cds.Map(ValueTypeDescription, {
  $id: 'ValueTypeDescriptionMap',
  description:
    'Map of additional Usage Segment Value Types, keyed by each description’s `type` (A-47); empty when the server adds none (CDS-WG3-01 §5, §10.8.6).',
})
export type ValueTypeDescriptionMap = Static<typeof ValueTypeDescriptionMap>
