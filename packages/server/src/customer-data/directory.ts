/**
 * Rebuilds customers' Authorization Form directories (`customer_resources`, CDS-WG3-01 §9.2.3)
 * from the Customer Data tables, so a customer can select the objects that really exist: their
 * accounts (`accounts.customer_id`), those accounts' service contracts, the service points
 * currently serving the contracts, the meters currently at those points, and the confidential
 * aggregations grouping any of them. Each row carries the §7.1 preselection values of its related
 * objects, computed exactly as for the catalog fixture (`customers/demo-directory.ts`).
 *
 * Public and listed aggregations (a service territory, a rate plan) are left out: their data is
 * published without the customer's consent, so there is nothing for the customer to authorize.
 * Objects without a customer-facing number cannot be selected by number and are left out too.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @module
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { fromJsonText } from '../db/json-text.js'
import type { DemoAccount, DemoAggregation, DemoCustomer, DemoMeterDevice, DemoServiceContract, DemoServicePoint } from '../customers/demo-customers.js'
import { demoDirectory, type DemoDirectoryEntry } from '../customers/demo-directory.js'
import { resourceRow } from '../customers/directory.js'

/** Aggregation types whose data needs no customer authorization (§10.7.2). */
const PUBLISHED_TYPES = new Set(['public', 'listed'])

/** The name a customer knows an aggregation by: "Building at <street>" for buildings, else its number. */
export function aggregationDisplayName(types: readonly string[], addresses: readonly string[], number: string): string {
  const first = addresses[0]?.split(/[,\n]/)[0]?.trim()
  return types.includes('building') && first !== undefined && first !== '' ? `Building at ${first}` : number
}

/** A customer's Customer Data, in the shape `demoDirectory` reads (keys are object ids). */
async function customerData(db: Kysely<Database>, customer_id: string): Promise<DemoCustomer> {
  const accounts = await db.selectFrom('accounts').selectAll().where('customer_id', '=', customer_id).orderBy('account_number').orderBy('cds_account_id').execute()
  const accountIds = accounts.map((a) => a.cds_account_id)
  const contracts =
    accountIds.length === 0 ? [] : await db.selectFrom('service_contracts').selectAll().where('cds_account_id', 'in', accountIds).orderBy('contract_number').orderBy('cds_servicecontract_id').execute()
  const contractIds = contracts.map((c) => c.cds_servicecontract_id)
  const pointLinks =
    contractIds.length === 0 ? [] : await db.selectFrom('servicepoint_servicecontracts').selectAll().where('cds_servicecontract_id', 'in', contractIds).where('valid_to', 'is', null).execute()
  const pointIds = [...new Set(pointLinks.map((l) => l.cds_servicepoint_id))]
  const points = pointIds.length === 0 ? [] : await db.selectFrom('service_points').selectAll().where('cds_servicepoint_id', 'in', pointIds).orderBy('servicepoint_number').orderBy('cds_servicepoint_id').execute()
  const meterLinks = pointIds.length === 0 ? [] : await db.selectFrom('meterdevice_servicepoints').selectAll().where('cds_servicepoint_id', 'in', pointIds).where('valid_to', 'is', null).execute()
  const meterIds = [...new Set(meterLinks.map((l) => l.cds_meterdevice_id))]
  const meters = meterIds.length === 0 ? [] : await db.selectFrom('meter_devices').selectAll().where('cds_meterdevice_id', 'in', meterIds).orderBy('meter_number').orderBy('cds_meterdevice_id').execute()
  const objectIds = [...accountIds, ...contractIds, ...pointIds, ...meterIds]
  const members = objectIds.length === 0 ? [] : await db.selectFrom('aggregation_members').selectAll().where('object_id', 'in', objectIds).where('object_type', '!=', 'aggregation').execute()
  const aggregationIds = [...new Set(members.map((m) => m.cds_aggregation_id))]
  const aggregations =
    aggregationIds.length === 0 ? [] : await db.selectFrom('aggregations').selectAll().where('cds_aggregation_id', 'in', aggregationIds).orderBy('aggregation_number').orderBy('cds_aggregation_id').execute()

  // The service points an aggregation groups for this customer, directly or through a grouped contract, account or meter.
  const pointsOfMember = (type: string, id: string): string[] => {
    if (type === 'service_point') return [id]
    if (type === 'meter_device') return meterLinks.filter((l) => l.cds_meterdevice_id === id).map((l) => l.cds_servicepoint_id)
    const cs = type === 'account' ? contracts.filter((c) => c.cds_account_id === id).map((c) => c.cds_servicecontract_id) : [id]
    return pointLinks.filter((l) => cs.includes(l.cds_servicecontract_id)).map((l) => l.cds_servicepoint_id)
  }
  const ofType = <T>(values: (T | null)[]): T[] => values.filter((v): v is T => v !== null)
  return {
    customer_id,
    login: '',
    password: '',
    display_name: '',
    email: null,
    is_test_account: false,
    accounts: accounts.map(
      (a): DemoAccount => ({
        key: a.cds_account_id,
        account_number: a.account_number,
        account_name: a.account_name ?? a.account_number,
        account_address: a.account_address,
        account_types: fromJsonText(a.account_types),
        account_programs: fromJsonText(a.program_numbers),
        parent: a.cds_account_parent !== null && accountIds.includes(a.cds_account_parent) ? a.cds_account_parent : null,
      }),
    ),
    service_contracts: ofType(
      contracts.map((c): DemoServiceContract | null =>
        c.contract_number === null
          ? null
          : {
              key: c.cds_servicecontract_id,
              account: c.cds_account_id,
              contract_number: c.contract_number,
              contract_address: c.contract_address,
              service_types: fromJsonText(c.service_types),
              rateplan_code: c.rateplan_code ?? '',
              rateplan_name: c.rateplan_name ?? '',
              service_programs: fromJsonText(c.program_numbers),
            },
      ),
    ),
    service_points: ofType(
      points.map((p): DemoServicePoint | null =>
        p.servicepoint_number === null
          ? null
          : {
              key: p.cds_servicepoint_id,
              servicepoint_number: p.servicepoint_number,
              servicepoint_types: fromJsonText(p.servicepoint_types),
              servicepoint_address: p.servicepoint_address,
              premise_numbers: fromJsonText(p.premise_numbers),
              current_servicecontracts: pointLinks.filter((l) => l.cds_servicepoint_id === p.cds_servicepoint_id).map((l) => l.cds_servicecontract_id),
            },
      ),
    ),
    meter_devices: ofType(
      meters.map((m): DemoMeterDevice | null =>
        m.meter_number === null
          ? null
          : {
              key: m.cds_meterdevice_id,
              meter_number: m.meter_number,
              meter_types: fromJsonText(m.meter_types),
              current_servicepoints: meterLinks.filter((l) => l.cds_meterdevice_id === m.cds_meterdevice_id).map((l) => l.cds_servicepoint_id),
              meter_apps: fromJsonText(m.app_numbers),
            },
      ),
    ),
    aggregations: ofType(
      aggregations.map((g): DemoAggregation | null => {
        const types = fromJsonText(g.aggregation_types)
        if (g.aggregation_number === null || types.some((t) => PUBLISHED_TYPES.has(t))) return null
        const addresses = fromJsonText(g.grouped_addresses)
        return {
          key: g.cds_aggregation_id,
          aggregation_number: g.aggregation_number,
          name: aggregationDisplayName(types, addresses, g.aggregation_number),
          aggregation_types: types,
          grouped_addresses: addresses,
          grouped_servicepoints: [...new Set(members.filter((m) => m.cds_aggregation_id === g.cds_aggregation_id).flatMap((m) => pointsOfMember(m.object_type, m.object_id)))],
        }
      }),
    ),
  }
}

/**
 * The directory rows a customer's Customer Data gives (what {@link rebuildCustomerDirectory} writes).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export async function directoryFromData(db: Kysely<Database>, customer_id: string): Promise<DemoDirectoryEntry[]> {
  return demoDirectory(await customerData(db, customer_id))
}

/**
 * Replaces the directory rows of each customer with those its Customer Data gives: rows that stay
 * keep their `created` time (A-81 `_include_future` compares against it), new rows get `now`,
 * rows of objects that are gone are removed. Returns how many rows the customers have now.
 *
 * @example
 * ```ts
 * await rebuildCustomerDirectory(db, ['CUST-A'], clock.now())
 * ```
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export async function rebuildCustomerDirectory(db: Kysely<Database>, customer_ids: readonly string[], now: Date): Promise<number> {
  let total = 0
  for (const customer_id of customer_ids) {
    const rows = await directoryFromData(db, customer_id)
    total += rows.length
    const keep = new Set(rows.map((r) => `${r.resource_type}\0${r.number}`))
    const existing = await db.selectFrom('customer_resources').select(['resource_type', 'number']).where('customer_id', '=', customer_id).execute()
    for (const gone of existing.filter((r) => !keep.has(`${r.resource_type}\0${r.number}`))) {
      await db.deleteFrom('customer_resources').where('customer_id', '=', customer_id).where('resource_type', '=', gone.resource_type).where('number', '=', gone.number).execute()
    }
    if (rows.length === 0) continue
    await db
      .insertInto('customer_resources')
      .values(
        rows.map((row) => resourceRow(customer_id, row, now)),
      )
      .onConflict((oc) =>
        oc.columns(['customer_id', 'resource_type', 'number']).doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          address: eb.ref('excluded.address'),
          account_number: eb.ref('excluded.account_number'),
          contract_number: eb.ref('excluded.contract_number'),
          types: eb.ref('excluded.types'),
          attributes: eb.ref('excluded.attributes'),
        })),
      )
      .execute()
  }
  return total
}
