/**
 * The fictional utility behind the demo data: Demo Gas & Electric (DG&E) in Anytown, CA, its
 * entities, rate plans and programs, and the names and streets of its customers. Prices are
 * fixed-point (`bigint` with a stated scale), never floats.
 *
 * @see CDS-WG3-01 §10.1.4 Entity Object Format
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 * @module
 */
import type { NestedObject } from '../customer-data/write-objects.js'

/** Where the utility's developer documentation lives (program and consent `documentation` URLs). */
export const DOCS = 'https://demo-utility.example/developers'
export const TOWN = 'Anytown, CA'
/** The utility's currency (ISO 4217). */
export const CURRENCY = 'USD'

/**
 * DG&E: a vertically integrated investor-owned utility, so distributor and supplier.
 *
 * @see CDS-WG3-01 §10.1.4 Entity Object Format
 */
export const UTILITY: NestedObject = {
  id: 'dge',
  types: ['distributor', 'supplier', 'iou'],
  entity_number: 'US-CA-IOU-DGE',
  entity_name: 'Demo Gas & Electric',
  entity_abbreviation: 'DG&E',
}
/** A community choice aggregator that supplies some customers' electricity (unbundled bills). */
export const CCA: NestedObject = {
  id: 'acp',
  types: ['supplier', 'cca'],
  entity_number: 'US-CA-CCA-ACP',
  entity_name: 'Anytown Clean Power',
  entity_abbreviation: 'ACP',
}
/** The municipal water district (muni ⇒ distributor, A-22). */
export const WATER_DISTRICT: NestedObject = {
  id: 'awd',
  types: ['distributor', 'supplier', 'muni'],
  entity_number: 'US-CA-MUNI-AWD',
  entity_name: 'Anytown Water District',
  entity_abbreviation: null,
}

/** What a service delivers. */
export type Commodity = 'electric' | 'gas' | 'water'

/**
 * A tariff. Energy rates are in dollars per unit with `RATE_SCALE` digits; fixed charges in cents.
 * `tou` plans price 16:00–21:00 local as peak; `tiered` plans price beyond `baseline` units as tier 2.
 */
export interface RatePlan {
  code: string
  name: string
  commodity: Commodity
  /** Monthly customer charge, cents. */
  fixed: bigint
  /** Per unit (kWh, therm, gallon), {@link RATE_SCALE} digits. */
  rate: bigint
  tou?: { peak: bigint; off_peak: bigint }
  tiered?: { baseline: bigint; tier_2: bigint }
  /** Per kW of the month's highest 15-minute demand, {@link RATE_SCALE} digits. */
  demand?: bigint
  /** With a CCA: the supplier's generation rate; the utility's `rate` is then delivery only. */
  cca_generation?: bigint
}

/** Fraction digits of the rates of {@link RatePlan}. */
export const RATE_SCALE = 5

/** Every rate plan of the utility. */
export const RATE_PLANS: Readonly<Record<string, RatePlan>> = {
  'E-1': { code: 'E-1', name: 'Residential Tiered', commodity: 'electric', fixed: 1200n, rate: 31000n, tiered: { baseline: 350_000n, tier_2: 39000n } },
  'E-TOU-C': { code: 'E-TOU-C', name: 'Time of Use C', commodity: 'electric', fixed: 1200n, rate: 28000n, tou: { peak: 52000n, off_peak: 28000n } },
  'E-1-CCA': { code: 'E-1-CCA', name: 'Residential Delivery (ACP supply)', commodity: 'electric', fixed: 1200n, rate: 17000n, cca_generation: 12000n },
  'A-1': { code: 'A-1', name: 'Small General Service', commodity: 'electric', fixed: 2500n, rate: 26000n },
  'B-19': { code: 'B-19', name: 'Medium General Demand', commodity: 'electric', fixed: 15000n, rate: 18000n, demand: 2250000n },
  'G-1': { code: 'G-1', name: 'Residential Gas', commodity: 'gas', fixed: 500n, rate: 185000n },
  'G-NR1': { code: 'G-NR1', name: 'Commercial Gas', commodity: 'gas', fixed: 3000n, rate: 145000n },
  'W-1': { code: 'W-1', name: 'Residential Water', commodity: 'water', fixed: 1800n, rate: 950n },
}

/** Utility users tax on every section's charges: 5 %, a government tax (§10.6.6 `taxes`). */
export const TAX_PERCENT = 5n

/** An Account Program offer (§10.1.8): the catalog entry the participation records copy. */
export function accountProgram(number: 'CARE' | 'budget_billing' | 'SOLAR-CHOICE', id: string, start: string): NestedObject {
  const base = { id, program_number: number, documentation: `${DOCS}/programs/${number.toLowerCase()}` }
  switch (number) {
    case 'CARE':
      return { ...base, types: ['active', 'low_income'], name: 'California Alternate Rates for Energy', description: 'A monthly discount on energy bills for income-qualified households.', more_info: 'https://demo-utility.example/care', signup: 'https://demo-utility.example/care/apply', participation_number: `CARE-${id.slice(0, 6).toUpperCase()}`, start }
    case 'budget_billing':
      return { ...base, types: ['active', 'payment_plan'], name: 'Budget billing', description: 'Equal monthly payments averaged over the year.', settings: 'https://demo-utility.example/account/budget-billing', discontinue: 'https://demo-utility.example/account/budget-billing/stop', participation_number: `BB-${id.slice(0, 6).toUpperCase()}`, start }
    case 'SOLAR-CHOICE':
      return { ...base, types: ['active', 'rebate'], name: 'Solar Choice', description: 'Matches the account’s usage with renewable energy certificates.', more_info: 'https://demo-utility.example/solar-choice', start }
  }
}

/** A Service Program participation (§10.2.5): demand response, EV charging or net metering. */
export function serviceProgram(number: 'DR-1' | 'EV-1' | 'NEM-2', id: string, start: string, extra: NestedObject = {}): NestedObject {
  const base = { id, program_number: number, documentation: `${DOCS}/programs/${number.toLowerCase()}`, participation_number: `${number}-${id.slice(0, 6).toUpperCase()}`, start }
  switch (number) {
    case 'DR-1':
      return { ...base, types: ['active', 'demand_response'], name: 'Peak Day Rewards', description: 'Bill credits for using less on peak event days.', signup: 'https://demo-utility.example/dr', pnode: 'ANYTOWN_1_N001', anode: 'DLAP_DGE-APND', aggregated: false, automated: true, ...extra }
    case 'EV-1':
      return { ...base, types: ['active', 'ev'], name: 'EV Charging Rebate', description: 'A rebate for charging an electric vehicle off peak.', more_info: 'https://demo-utility.example/ev', ...extra }
    case 'NEM-2':
      return { ...base, types: ['active', 'credit_bank'], name: 'Net Energy Metering 2.0', description: 'Credits for solar energy sent to the grid, trued up yearly.', units: 'money', currency: CURRENCY, ...extra }
  }
}

/** Given names and family names of the generated customers. */
export const GIVEN_NAMES = ['Avery', 'Jordan', 'Riley', 'Morgan', 'Quinn', 'Harper', 'Rowan', 'Sawyer', 'Dakota', 'Emerson', 'Finley', 'Hayden', 'Jamie', 'Kendall', 'Logan', 'Parker', 'Reese', 'Skyler', 'Taylor', 'Micah']
export const FAMILY_NAMES = ['Garcia', 'Nguyen', 'Patel', 'Johnson', 'Kim', 'Martinez', 'Okafor', 'Schmidt', 'Rossi', 'Cohen', 'Silva', 'Tanaka', 'Dubois', 'Larsen', 'Moreno', 'Novak', 'Haddad', 'Walsh', 'Ibrahim', 'Lopez']
export const STREETS = ['Maple Ave', 'Cedar St', 'Elm St', 'Pine Rd', 'Willow Ln', 'Birch Ct', 'Sycamore Dr', 'Juniper Way', 'Laurel St', 'Magnolia Blvd', 'Poplar Ave', 'Aspen Ct']
export const BUSINESS_KINDS = ['Bakery', 'Dental Clinic', 'Hardware', 'Cafe', 'Print Shop', 'Fitness Studio', 'Auto Repair', 'Bookstore', 'Florist', 'Veterinary Clinic']
/** The office parks commercial locations are in; each is a building aggregation. */
export const BUILDINGS = [
  { number: 'BLD-100', street: '100 Commerce Park Dr' },
  { number: 'BLD-200', street: '200 Commerce Park Dr' },
  { number: 'BLD-300', street: '300 Harbor Blvd' },
]
/** Postal codes of the service territory. */
export const POSTAL_CODES = ['90000', '90001', '90002', '90003']
