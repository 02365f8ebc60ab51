/**
 * The directory of what a customer can select on the Authorization Form (CDS-WG3-01 §9.2.3):
 * their accounts, service contracts, service points, meter devices and the aggregations they
 * belong to, one row each in `customer_resources`.
 *
 * A row carries what the form shows (number, display name, address, types) and, in
 * `attributes`, what preselection matches on (§7.1). Each §7.1 preselection field id is a key
 * whose values come from the resource itself *and from the resources it is related to*, following
 * the relations §7.1 names (an account's contracts, their service points and meters; a service
 * point's current contracts and meters; …). So one preselection field matches a resource when
 * its values and the requested ones intersect, without walking relations again; §7.1 then
 * intersects across fields.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @module
 */
import type { Insertable, Kysely } from 'kysely'
import type { CustomerResourcesTable, Database, ResourceType } from '../db/database.js'
import { fromJsonText, toJsonText } from '../db/json-text.js'

/**
 * The keys of {@link DirectoryResource.attributes}. Every list holds the values of the resource
 * and of its related resources (see the module description); missing keys mean "none".
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 */
export interface ResourceAttributes {
  /** §7.1.1: the related accounts' `account_number`s. */
  account_numbers?: string[]
  /** §7.1.2: `program_number`s of the related accounts' `account_programs`. */
  account_programs?: string[]
  /** §7.1.3: the related service contracts' `contract_number`s. */
  contract_numbers?: string[]
  /** §7.1.4: the related service contracts' `service_types`. */
  service_types?: string[]
  /** §7.1.5: `program_number`s of the related service contracts' `service_programs`. */
  service_programs?: string[]
  /** §7.1.6: the related service points' `servicepoint_number`s. */
  servicepoint_numbers?: string[]
  /** §7.1.7: the related service points' `servicepoint_types`. */
  servicepoint_types?: string[]
  /** §7.1.8: `premise_number`s of the related service points' `premises`. */
  premise_numbers?: string[]
  /** §7.1.9: the related meter devices' `meter_number`s. */
  meter_numbers?: string[]
  /** §7.1.10: the related meter devices' `meter_types`. */
  meter_types?: string[]
  /** §7.1.11: `app_number`s of the related meter devices' `meter_apps`. */
  meter_apps?: string[]
  /** §7.1.12: the `aggregation_number`s of the aggregations that group the resource. */
  aggregation_numbers?: string[]
  /**
   * §7.1.13: the resource's own address (`account_address`, `contract_address`,
   * `servicepoint_address`; a meter's service points' addresses; an aggregation's `grouped_addresses`).
   */
  addresses?: string[]
  /** §10.2.1 `rateplan_code` of a service contract (the rate plan scope shows it). */
  rateplan_code?: string
  /** §10.2.1 `rateplan_name` of a service contract. */
  rateplan_name?: string
  /** §10.1.1 `cds_account_parent`, as the parent's `account_number`; `null` for a top-level account. */
  account_parent?: string | null
  /** Anything a later Customer Data source adds. */
  [key: string]: unknown
}

/**
 * One selectable resource of a customer.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface DirectoryResource {
  resource_type: ResourceType
  /** `account_number`, `contract_number`, `servicepoint_number`, `meter_number` or `aggregation_number`. */
  number: string
  /** the name the customer knows it by (`account_name`, …), when there is one. */
  display_name: string | null
  /** One address to show (the first of {@link ResourceAttributes.addresses}), when there is one. */
  address: string | null
  /** The account it belongs to (for an account, its own number; for a meter, through its service point and contract). */
  account_number: string | null
  /** The service contract it belongs to (a contract's own number; a service point's or meter's current contract). */
  contract_number: string | null
  /** `account_types`, `service_types`, `servicepoint_types`, `meter_types` or `aggregation_types`. */
  types: string[]
  attributes: ResourceAttributes
  created: Date
}

/**
 * The `customer_resources` row of one directory entry: the one place that encodes an entry, for
 * every writer of the directory (the demo fixture, the rebuild from the Customer Data tables).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export function resourceRow(customer_id: string, entry: Omit<DirectoryResource, 'created'>, created: Date): Insertable<CustomerResourcesTable> {
  return {
    customer_id,
    resource_type: entry.resource_type,
    number: entry.number,
    display_name: entry.display_name,
    address: entry.address,
    account_number: entry.account_number,
    contract_number: entry.contract_number,
    types: toJsonText(entry.types),
    attributes: toJsonText(entry.attributes),
    created,
  }
}

/** The order resources of one type are listed in: by type as the form presents them, then by number. */
const TYPE_ORDER: Readonly<Record<ResourceType, number>> = { account: 0, service_contract: 1, service_point: 2, meter_device: 3, aggregation: 4 }

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The resources of a customer, all of them or those of one type, ordered by type (accounts,
 * service contracts, service points, meter devices, aggregations) and then by number.
 *
 * @example
 * ```ts
 * const contracts = await listCustomerResources(db, 'CUST-A', 'service_contract') // 222222, 333333, 444444
 * ```
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export async function listCustomerResources(db: Kysely<Database>, customer_id: string, resource_type?: ResourceType): Promise<DirectoryResource[]> {
  let query = db.selectFrom('customer_resources').selectAll().where('customer_id', '=', customer_id)
  if (resource_type !== undefined) query = query.where('resource_type', '=', resource_type)
  const rows = await query.execute()
  return rows
    .map((row) => ({
      resource_type: row.resource_type,
      number: row.number,
      display_name: row.display_name,
      address: row.address,
      account_number: row.account_number,
      contract_number: row.contract_number,
      types: fromJsonText(row.types),
      attributes: fromJsonText(row.attributes),
      created: row.created,
    }))
    // Sorted here, not in SQL: the database's collation could order numbers differently per server.
    .sort((a, b) => TYPE_ORDER[a.resource_type] - TYPE_ORDER[b.resource_type] || compareText(a.number, b.number))
}
