/**
 * The enumerations of the Accounts, Service Contracts, Service Points and Meter Devices APIs
 * (CDS-WG3-01 §10.1–§10.4). Bill, aggregation and usage schemas import them from here too.
 * All are open: clients must ignore values they do not know (CDS-WG3-01 §10, §11), so these
 * schemas list the values a conforming server may emit.
 *
 * @module
 */
import type { Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * What kind of account an Account is; several may apply at once.
 *
 * @see CDS-WG3-01 §10.1.2 Account Types
 */
export const AccountType = Cds.Enum(
  [
    'customer',
    'thirdparty',
    'internal',
    'parent',
    'child',
    'test',
    'residential',
    'commercial',
    'industrial',
    'agriculture',
    'municipal',
    'billed_monthly',
    'billed_quarterly',
  ],
  { $id: 'AccountType', description: 'A classification of an Account: owner kind, hierarchy role, sector or billing cycle (CDS-WG3-01 §10.1.2).' },
)
export type AccountType = Static<typeof AccountType>

/**
 * Whether an Account is active, suspended, closed or of unknown state.
 *
 * @see CDS-WG3-01 §10.1.3 Account Statuses
 */
export const AccountStatus = Cds.Enum(['active', 'suspended', 'closed', 'unknown'], {
  $id: 'AccountStatus',
  description: 'Current state of an Account; `suspended` may be reactivated, `closed` will not (CDS-WG3-01 §10.1.3).',
})
export type AccountStatus = Static<typeof AccountStatus>

/**
 * The market roles and ownership of an Entity (utility, supplier, operator …).
 *
 * @see CDS-WG3-01 §10.1.5 Entity Types
 */
export const EntityType = Cds.Enum(['distributor', 'supplier', 'iou', 'muni', 'cca', 'retailer', 'generator', 'dso', 'tso', 'iso'], {
  $id: 'EntityType',
  description: 'A role or ownership class of an Entity, e.g. distributor, supplier, investor-owned or municipal utility, system operator (CDS-WG3-01 §10.1.5).',
})
export type EntityType = Static<typeof EntityType>

/**
 * The medium and qualifiers of an Account Contact.
 *
 * @see CDS-WG3-01 §10.1.7 Account Contact Types
 */
export const AccountContactType = Cds.Enum(['phone_number', 'email', 'home', 'work', 'mobile', 'preferred', 'primary', 'secondary'], {
  $id: 'AccountContactType',
  description: 'The medium (`phone_number` or `email`) of an Account Contact and optional qualifiers such as `mobile` or `primary` (CDS-WG3-01 §10.1.7).',
})
export type AccountContactType = Static<typeof AccountContactType>

/**
 * Participation state and kind of an account-level program.
 *
 * @see CDS-WG3-01 §10.1.9 Account Program Types
 */
export const AccountProgramType = Cds.Enum(
  [
    'active',
    'inactive',
    'eligible',
    'ineligible',
    'low_income',
    'flat_rate',
    'payment_plan',
    'protected',
    'survey',
    'pilot',
    'rebate',
    'credit_bank',
  ],
  {
    $id: 'AccountProgramType',
    description: 'Participation state or kind of an account-level program; `credit_bank` enables the `balance`/`currency` fields (CDS-WG3-01 §10.1.9).',
  },
)
export type AccountProgramType = Static<typeof AccountProgramType>

/**
 * What a Service Contract is for and how it is billed.
 *
 * @see CDS-WG3-01 §10.2.2 Contract Types
 */
export const ContractType = Cds.Enum(['utility_service', 'project', 'billed_monthly', 'billed_quarterly'], {
  $id: 'ContractType',
  description: 'Kind of a Service Contract (utility service or scoped project) and its billing cycle (CDS-WG3-01 §10.2.2).',
})
export type ContractType = Static<typeof ContractType>

/**
 * Whether a Service Contract and its service are running.
 *
 * @see CDS-WG3-01 §10.2.3 Contract Statuses
 */
export const ContractStatus = Cds.Enum(['active', 'paused', 'stopped', 'closed', 'unknown'], {
  $id: 'ContractStatus',
  description: 'State of a Service Contract and of its service: paused may restart, stopped will not, closed ends both (CDS-WG3-01 §10.2.3).',
})
export type ContractStatus = Static<typeof ContractStatus>

/**
 * The commodity, sector, metering and market role of a service.
 *
 * @see CDS-WG3-01 §10.2.4 Service Types
 */
export const ServiceType = Cds.Enum(
  [
    'electric',
    'water',
    'natural_gas',
    'fuel_oil',
    'waste_water',
    'solid_waste',
    'residential',
    'commercial',
    'industrial',
    'agriculture',
    'metered',
    'unmetered',
    'distribution',
    'supply',
    'generation',
  ],
  {
    $id: 'ServiceType',
    description:
      'Commodity, sector, metering and market role of a service; `distribution`/`supply`/`generation` say what role the contract entity plays (CDS-WG3-01 §10.2.4).',
  },
)
export type ServiceType = Static<typeof ServiceType>

/**
 * Participation state and kind of a contract-level program.
 *
 * @see CDS-WG3-01 §10.2.6 Service Program Types
 */
export const ServiceProgramType = Cds.Enum(
  [
    'active',
    'inactive',
    'eligible',
    'ineligible',
    'low_income',
    'protected',
    'survey',
    'pilot',
    'rebate',
    'credit_bank',
    'demand_response',
    'ev',
    'thermostat',
  ],
  {
    $id: 'ServiceProgramType',
    description:
      'Participation state or kind of a contract-level program; `credit_bank` and `demand_response` enable extra fields (CDS-WG3-01 §10.2.6).',
  },
)
export type ServiceProgramType = Static<typeof ServiceProgramType>

/**
 * The commodity and nature of a Service Point.
 *
 * @see CDS-WG3-01 §10.3.2 Service Point Types
 */
export const ServicePointType = Cds.Enum(
  ['electric', 'water', 'natural_gas', 'fuel_oil', 'single_service', 'multi_service', 'physical', 'virtual', 'edge', 'internal'],
  {
    $id: 'ServicePointType',
    description: 'Commodity and nature of a Service Point: single or multi service, physical or virtual, edge or internal (CDS-WG3-01 §10.3.2).',
  },
)
export type ServicePointType = Static<typeof ServicePointType>

/**
 * The kind of grouping a Premise is.
 *
 * @see CDS-WG3-01 §10.3.4 Premise Types
 */
export const PremiseType = Cds.Enum(['service_group', 'building', 'land', 'zone'], {
  $id: 'PremiseType',
  description: 'What a Premise groups: a set of services, a building, a land parcel or a zone (CDS-WG3-01 §10.3.4).',
})
export type PremiseType = Static<typeof PremiseType>

/**
 * Commodity, flow direction, technology and connectivity of a Meter Device.
 *
 * @see CDS-WG3-01 §10.4.2 Meter Types
 */
export const MeterType = Cds.Enum(
  [
    'electric_usage',
    'water_usage',
    'natural_gas_usage',
    'fuel_oil_usage',
    'forward_only',
    'reverse_only',
    'bidirectional',
    'physical_meter',
    'virtual_meter',
    'electric_demand',
    'ami_meter',
    'amr_meter',
    'analog_meter',
    'wifi_capable',
    'wifi_enabled',
    'wifi_configured',
    'zigbee_capable',
    'zigbee_enabled',
    'zigbee_configured',
    'central_apps_capable',
    'customer_apps_capable',
  ],
  {
    $id: 'MeterType',
    description: 'What a Meter Device measures, in which flow directions, with which technology and connectivity (CDS-WG3-01 §10.4.2).',
  },
)
export type MeterType = Static<typeof MeterType>

/**
 * Installation state and installability of a Meter App.
 *
 * @see CDS-WG3-01 §10.4.4 Meter App Types
 */
export const MeterAppType = Cds.Enum(['installed', 'uninstalled', 'compatible', 'incompatible', 'customer_installable', 'central_installable'], {
  $id: 'MeterAppType',
  description: 'Whether a meter application is installed, compatible, and who may install it (CDS-WG3-01 §10.4.4).',
})
export type MeterAppType = Static<typeof MeterAppType>
