/**
 * The Service Contracts API objects (CDS-WG3-01 §10.2): the Service Contract, its Service
 * Programs, its listing and the listing filters. The Entity is in `shared-objects.ts`.
 *
 * Fields that an `include_*` authorization detail turns on (CDS-WG3-01 §7.2) are optional here:
 * whether they appear depends on the grant, not on the object.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { ContractStatus, ContractType, ServiceProgramType, ServiceType } from './enums-data.js'
import { Entity, programLinks } from './shared-objects.js'
import { UnitType } from './usage-segment-field-types.js'

/**
 * A contract-level program the Service Contract takes part in, took part in, or could join.
 * Link and participation fields are left out (never `null`) when unknown or absent; servers may
 * add their own prefixed fields.
 *
 * @see CDS-WG3-01 §10.2.5 Service Program Object Format
 * @see CDS-WG3-01 §10.2.6 Service Program Types
 */
export const ServiceProgram = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this program record.' }),
    program_number: Type.String({ description: 'External program identifier; the server generates a stable one when none is designated.' }),
    types: Type.Array(ServiceProgramType, { description: 'Participation state and kind of the program.' }),
    ...programLinks(),
    participation_number: Type.Optional(
      Type.String({ description: "Identifier of the contract's participation; absent if never participated or unknown." }),
    ),
    start: Type.Optional(Cds.Date({ description: 'Most recent participation start; absent if never participated or unknown.' })),
    end: Type.Optional(Cds.Date({ description: 'Most recent participation end; absent if never participated or unknown.' })),
    balance: Type.Optional(Cds.Decimal({ description: '`credit_bank` programs: balance in `units`; absent when unknown (CDS-WG3-01 §10.2.6).' })),
    units: Type.Optional(UnitType),
    currency: Type.Optional(
      Cds.CurrencyCode({ description: '`credit_bank` programs: ISO 4217 currency of a `money` balance (CDS-WG3-01 §10.2.6).' }),
    ),
    pnode: Type.Optional(Type.String({ description: '`demand_response` programs: pricing node identifier (CDS-WG3-01 §10.2.6).' })),
    anode: Type.Optional(Type.String({ description: '`demand_response` programs: aggregation node identifier (CDS-WG3-01 §10.2.6).' })),
    aggregated: Type.Optional(Type.Boolean({ description: '`demand_response` programs: whether demand response is aggregated.' })),
    automated: Type.Optional(Type.Boolean({ description: '`demand_response` programs: whether signalling and load control are automated.' })),
  },
  {
    $id: 'ServiceProgram',
    description:
      'Service Program: a contract-level program with links, participation dates, credit-bank balance and demand-response nodes (CDS-WG3-01 §10.2.5).',
    allOf: [
      // CDS-WG3-01 §10.2.6 (credit_bank): a balance comes with its units.
      { if: { required: ['balance'] }, then: { required: ['units'] } },
      // CDS-WG3-01 §10.2.6 (credit_bank): a money balance names its currency.
      { if: { required: ['units'], properties: { units: { const: 'money' } } }, then: { required: ['currency'] } },
    ],
  },
)
export type ServiceProgram = Static<typeof ServiceProgram>

/**
 * An agreement to provide a service (electricity, water, gas …) under an Account. Numbers,
 * addresses, dates, rate plans and programs appear only when the grant enables them
 * (CDS-WG3-01 §7.2).
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export const ServiceContract = Type.Object(
  {
    cds_servicecontract_id: Type.String({ description: "The server's unique identifier of the Service Contract." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced` updates.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    cds_account_id: Type.String({ description: '`cds_account_id` of the Account the contract belongs to (emitted even if that Account is not visible, A-06).' }),
    account_number: Type.Optional(Type.String({ description: "Copy of the Account's `account_number`; gated by `include_account_numbers`." })),
    contract_number: Type.Optional(
      Cds.Nullable(Type.String(), {
        description: 'Customer-facing contract identifier, or null when none the client may see; gated by `include_contract_numbers`.',
      }),
    ),
    contract_address: Type.Optional(
      Type.String({ description: 'Contract address as shown to the Customer, may span lines; gated by `include_service_contract_details`.' }),
    ),
    contract_types: Type.Array(ContractType, { description: 'Kinds of agreement; several may apply.' }),
    contract_entity: Type.Optional(
      Cds.Nullable(Entity, { description: 'Entity the agreement is made with, or null when unknown; gated by `include_contract_numbers`.' }),
    ),
    contract_status: ContractStatus,
    contract_start: Type.Optional(Cds.Date({ description: 'When the agreement started; gated by `include_service_contract_details`.' })),
    contract_end: Type.Optional(
      Cds.Nullable(Cds.Date(), { description: 'When the agreement ended, or null while ongoing; gated by `include_service_contract_details`.' }),
    ),
    service_types: Type.Array(ServiceType, { description: 'Services provided under the contract; several may apply.' }),
    rateplan_code: Type.Optional(Type.String({ description: 'Unique code of the current rate plan or tariff; gated by `include_rate_plans`.' })),
    rateplan_name: Type.Optional(Type.String({ description: 'Rate plan name as shown to the Customer; gated by `include_rate_plans`.' })),
    service_programs: Type.Optional(
      Type.Array(ServiceProgram, { description: 'Contract-level programs; `[]` when none or unknown; gated by `include_service_programs`.' }),
    ),
  },
  {
    $id: 'ServiceContract',
    description: 'Service Contract: an agreement to provide a service under an Account, with its status, types and rate plan (CDS-WG3-01 §10.2.1).',
  },
)
export type ServiceContract = Static<typeof ServiceContract>

/**
 * One page of the Service Contracts listing, most recently modified first.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export const ServiceContractListing = Cds.Listing('service_contracts', ServiceContract, {
  $id: 'ServiceContractListing',
  description:
    'Service Contract listing: a page of visible Service Contracts, newest `cds_modified` first, with next/previous links (CDS-WG3-01 §10.2.7).',
})
export type ServiceContractListing = Static<typeof ServiceContractListing>

/**
 * URL parameters of the Service Contracts listing; multi-valued ones are space-separated and
 * the parameters intersect.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export const ServiceContractListingQuery = Type.Object(
  {
    cds_servicecontract_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_servicecontract_id` values.' })),
    account_numbers: Type.Optional(Type.String({ description: 'Space-separated `account_number` values.' })),
    contract_numbers: Type.Optional(Type.String({ description: 'Space-separated `contract_number` values; a null number never matches.' })),
    contract_statuses: Type.Optional(Type.String({ description: 'Space-separated `contract_status` values.' })),
    contract_types: Type.Optional(Type.String({ description: 'Space-separated Contract Types; matches contracts having any of them.' })),
    service_types: Type.Optional(Type.String({ description: 'Space-separated Service Types; matches contracts having any of them.' })),
    q: Type.Optional(
      Type.String({
        description: 'Case-insensitive substring searched in the visible id, account and contract numbers, address, rate plan and program numbers.',
      }),
    ),
  },
  {
    $id: 'ServiceContractListingQuery',
    description: 'Filters of the Service Contracts listing; supplied filters intersect (CDS-WG3-01 §10.2.7).',
  },
)
export type ServiceContractListingQuery = Static<typeof ServiceContractListingQuery>
