/**
 * The objects nested in a Bill Section (CDS-WG3-01 §10.6.3–§10.6.8): usage details, cost
 * details and line items, with their type enumerations. Servers may add prefixed fields to all
 * three; clients ignore unknown types, units and fields.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { DemandType, DirectionType, SeasonType, TierType, TimeOfUseType, UnitType } from './usage-segment-field-types.js'

/**
 * What a Bill Section Usage Detail's `value` measures, how it was read, and which extra
 * fields the detail carries.
 *
 * @see CDS-WG3-01 §10.6.4 Bill Section Usage Detail Types
 */
export const BillSectionUsageDetailType = Cds.Enum(
  [
    'electric_usage',
    'water_usage',
    'natural_gas_usage',
    'fuel_oil_usage',
    'electric_demand',
    'time_of_use',
    'tiered',
    'directional',
    'seasonal',
    'ami_reading',
    'amr_reading',
    'analog_meter',
    'customer_provided',
    'estimated',
  ],
  {
    $id: 'BillSectionUsageDetailType',
    description:
      'Kind of a usage detail value (commodity usage or demand), its time-of-use/tier/direction/season qualifier, and how it was read or estimated (CDS-WG3-01 §10.6.4).',
  },
)
export type BillSectionUsageDetailType = Static<typeof BillSectionUsageDetailType>

/**
 * What a Bill Section Cost Detail's `cost` sums up.
 *
 * @see CDS-WG3-01 §10.6.6 Bill Section Cost Detail Types
 */
export const BillSectionCostDetailType = Cds.Enum(
  ['overall_total', 'subtotal', 'fixed_charges', 'usage_charges', 'taxes', 'distribution', 'supply', 'transmission', 'other'],
  {
    $id: 'BillSectionCostDetailType',
    description:
      'What a cost detail totals: the whole section (`overall_total`), a subtotal qualified by the other types, or a charge category (CDS-WG3-01 §10.6.6).',
  },
)
export type BillSectionCostDetailType = Static<typeof BillSectionCostDetailType>

/**
 * What kind of charge a Bill Section Line Item is.
 *
 * @see CDS-WG3-01 §10.6.8 Bill Section Line Item Types
 */
export const BillSectionLineItemType = Cds.Enum(['fixed_charge', 'usage_charge', 'tax', 'distribution', 'supply', 'transmission', 'other'], {
  $id: 'BillSectionLineItemType',
  description: 'Category of a line item charge: fixed, usage, government tax, distribution, supply, transmission or other (CDS-WG3-01 §10.6.8).',
})
export type BillSectionLineItemType = Static<typeof BillSectionLineItemType>

/** The usage detail types whose `value` is a measured quantity over a date range (CDS-WG3-01 §10.6.4). */
const MEASUREMENT_TYPES = ['electric_usage', 'water_usage', 'natural_gas_usage', 'fuel_oil_usage', 'electric_demand']
/** The usage detail types that come with meter reads (CDS-WG3-01 §10.6.4). */
const READ_TYPES = ['amr_reading', 'analog_meter', 'customer_provided']

/** `if` clause: `types` contains one of `values`. */
function typesContain(values: string[]) {
  return { required: ['types'], properties: { types: { contains: { enum: values } } } }
}

// The value is "decimal or string"; a decimal is whatever is not a string, in memory (Decimal) and on the wire (number).
const isDecimalValue = { not: { type: 'string' } }

/**
 * A usage figure, demand figure or other summary value of a Bill Section.
 *
 * @see CDS-WG3-01 §10.6.3 Bill Section Usage Detail Object Format
 * @see CDS-WG3-01 §10.6.4 Bill Section Usage Detail Types
 */
export const BillSectionUsageDetail = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier; Line Items refer to it in `related_usage_details`.' }),
    name: Type.String({ description: 'Name as printed on the bill (e.g. "Total kWh"), or an accurate generated one.' }),
    types: Type.Array(BillSectionUsageDetailType, { description: 'Kinds of this detail; they decide what `value` means and which extra fields appear.' }),
    value: Type.Union([Type.String(), Cds.Decimal()], {
      description: 'The measurement or amount: a decimal, or a string for a value that is not numeric; a decimal for the five measurement types (CDS-WG3-01 §10.6.4).',
    }),
    units: Type.Optional(UnitType),
    start_date: Type.Optional(Cds.Date({ description: 'First day covered by `value`; required for the measurement types.' })),
    end_date: Type.Optional(Cds.Date({ description: 'Last day covered by `value`; required for the measurement types.' })),
    demand_type: Type.Optional(DemandType),
    tou: Type.Optional(TimeOfUseType),
    tier: Type.Optional(TierType),
    direction: Type.Optional(DirectionType),
    season: Type.Optional(SeasonType),
    start_read: Type.Optional(Cds.Decimal({ description: 'Meter read at the start; with `amr_reading`, `analog_meter` or `customer_provided`.' })),
    end_read: Type.Optional(Cds.Decimal({ description: 'Meter read at the end; with `amr_reading`, `analog_meter` or `customer_provided`.' })),
    multiplier: Type.Optional(Cds.Decimal({ description: 'Meter multiplier; with `amr_reading`, `analog_meter` or `customer_provided`.' })),
  },
  {
    $id: 'BillSectionUsageDetail',
    description: 'Bill Section Usage Detail: a usage, demand or other summary value of a bill section, qualified by its types (CDS-WG3-01 §10.6.3, §10.6.4).',
    allOf: [
      // CDS-WG3-01 §10.6.3: a decimal `value` comes with its `units`.
      { if: { required: ['value'], properties: { value: isDecimalValue } }, then: { required: ['units'] } },
      // CDS-WG3-01 §10.6.4: usage and demand values are decimals over a stated date range.
      { if: typesContain(MEASUREMENT_TYPES), then: { required: ['start_date', 'end_date'], properties: { value: isDecimalValue } } },
      // CDS-WG3-01 §10.6.4: each qualifier type brings its own field.
      { if: typesContain(['electric_demand']), then: { required: ['demand_type'] } },
      { if: typesContain(['time_of_use']), then: { required: ['tou'] } },
      { if: typesContain(['tiered']), then: { required: ['tier'] } },
      { if: typesContain(['directional']), then: { required: ['direction'] } },
      { if: typesContain(['seasonal']), then: { required: ['season'] } },
      // CDS-WG3-01 §10.6.4: values computed from two reads carry both reads and the multiplier.
      { if: typesContain(READ_TYPES), then: { required: ['start_read', 'end_read', 'multiplier'] } },
    ],
  },
)
export type BillSectionUsageDetail = Static<typeof BillSectionUsageDetail>

/**
 * A total or subtotal of the charges of a Bill Section. Details may overlap, so clients never
 * add them up to get the section total (CDS-WG3-01 §10.6.5.1); `overall_total` marks that total.
 *
 * @see CDS-WG3-01 §10.6.5 Bill Section Cost Detail Object Format
 */
export const BillSectionCostDetail = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier; Line Items refer to it in `related_cost_details`.' }),
    name: Type.String({ description: 'Name as printed on the bill (e.g. "Total Electric Supply Charges"), or an accurate generated one.' }),
    types: Type.Array(BillSectionCostDetailType, { description: 'What this cost totals.' }),
    cost: Type.Union([Type.String(), Cds.Decimal()], {
      description: "The cost in the section's `currency`: a decimal, or a string as the spec allows (A-31 recommends always a decimal).",
    }),
  },
  {
    $id: 'BillSectionCostDetail',
    description: 'Bill Section Cost Detail: a total or subtotal of the charges of a bill section; details may overlap and are not summed (CDS-WG3-01 §10.6.5).',
  },
)
export type BillSectionCostDetail = Static<typeof BillSectionCostDetail>

/**
 * One charge line of a Bill Section. There is no rule that `cost` equals `value` × `rate`:
 * rounding and minimum charges apply.
 *
 * @see CDS-WG3-01 §10.6.7 Bill Section Line Item Object Format
 */
export const BillSectionLineItem = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this line item.' }),
    name: Type.String({ description: 'Name that can be found on the bill, disambiguated when the printed one is not (e.g. "Distribution - Usage").' }),
    types: Type.Array(BillSectionLineItemType, { description: 'Categories of this charge.' }),
    start_date: Cds.Date({ description: 'First day covered by the line item.' }),
    end_date: Cds.Date({ description: 'Last day covered by the line item.' }),
    cost: Cds.Decimal({ description: 'Amount assessed: positive is a charge, negative a credit.' }),
    value: Cds.Nullable(Cds.Decimal(), { description: 'Quantity multiplied by `rate`; null for items without a measurement (taxes, fees).' }),
    units: Type.Optional(UnitType),
    rate: Cds.Nullable(Cds.Decimal(), { description: 'Charge per unit of `value`; null when the bill shows no rate.' }),
    related_usage_details: Type.Array(Type.String(), { description: 'Usage Detail `id`s whose value includes this item; `[]` when unknown.' }),
    related_cost_details: Type.Array(Type.String(), { description: 'Cost Detail `id`s whose cost includes this item; `[]` when unknown.' }),
  },
  {
    $id: 'BillSectionLineItem',
    description: 'Bill Section Line Item: one charge or credit of a bill section, with quantity, rate and the details it rolls up into (CDS-WG3-01 §10.6.7).',
    // CDS-WG3-01 §10.6.7: a decimal `value` comes with its `units`.
    allOf: [{ if: { required: ['value'], properties: { value: { not: { type: 'null' } } } }, then: { required: ['units'] } }],
  },
)
export type BillSectionLineItem = Static<typeof BillSectionLineItem>
