/**
 * The directory rows of a demo customer: {@link demoDirectory} turns the Customer Data relations
 * of a {@link DemoCustomer} (a contract's account, a service point's current contracts, a meter's
 * service points, an aggregation's service points) into `customer_resources` rows, each with the
 * values of its related resources that the §7.1 preselection fields match on (see `directory.ts`).
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @module
 */
import type { DemoAccount, DemoAggregation, DemoCustomer, DemoMeterDevice, DemoServiceContract, DemoServicePoint } from './demo-customers.js'
import type { DirectoryResource, ResourceAttributes } from './directory.js'

/**
 * A directory row of a demo customer, before it gets its `created` time.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export type DemoDirectoryEntry = Omit<DirectoryResource, 'created'>

/** Distinct values, in first-seen order. */
function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)]
}

/** The related-values part of {@link ResourceAttributes} for a set of related resources. */
function relatedValues(
  accounts: readonly DemoAccount[],
  contracts: readonly DemoServiceContract[],
  points: readonly DemoServicePoint[],
  meters: readonly DemoMeterDevice[],
  aggregations: readonly DemoAggregation[],
): ResourceAttributes {
  return {
    account_numbers: unique(accounts.map((a) => a.account_number)),
    account_programs: unique(accounts.flatMap((a) => a.account_programs)),
    contract_numbers: unique(contracts.map((c) => c.contract_number)),
    service_types: unique(contracts.flatMap((c) => c.service_types)),
    service_programs: unique(contracts.flatMap((c) => c.service_programs)),
    servicepoint_numbers: unique(points.map((p) => p.servicepoint_number)),
    servicepoint_types: unique(points.flatMap((p) => p.servicepoint_types)),
    premise_numbers: unique(points.flatMap((p) => p.premise_numbers)),
    meter_numbers: unique(meters.map((m) => m.meter_number)),
    meter_types: unique(meters.flatMap((m) => m.meter_types)),
    meter_apps: unique(meters.flatMap((m) => m.meter_apps)),
    aggregation_numbers: unique(aggregations.map((g) => g.aggregation_number)),
  }
}

/**
 * The `customer_resources` rows of a demo customer: one per account, service contract, service
 * point, meter device and aggregation, each with the related values §7.1 matches on.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export function demoDirectory(customer: DemoCustomer): DemoDirectoryEntry[] {
  const { accounts, service_contracts, service_points, meter_devices, aggregations } = customer
  const account = (key: string): DemoAccount | undefined => accounts.find((a) => a.key === key)
  // The relations, each way: contract → account, point → contracts, meter → points, aggregation → points.
  const contractsOfAccount = (a: DemoAccount): DemoServiceContract[] => service_contracts.filter((c) => c.account === a.key)
  const pointsOfContracts = (cs: readonly DemoServiceContract[]): DemoServicePoint[] =>
    service_points.filter((p) => p.current_servicecontracts.some((key) => cs.some((c) => c.key === key)))
  const contractsOfPoints = (ps: readonly DemoServicePoint[]): DemoServiceContract[] =>
    service_contracts.filter((c) => ps.some((p) => p.current_servicecontracts.includes(c.key)))
  const metersOfPoints = (ps: readonly DemoServicePoint[]): DemoMeterDevice[] =>
    meter_devices.filter((m) => m.current_servicepoints.some((key) => ps.some((p) => p.key === key)))
  const pointsOfMeter = (m: DemoMeterDevice): DemoServicePoint[] => service_points.filter((p) => m.current_servicepoints.includes(p.key))
  const accountsOfContracts = (cs: readonly DemoServiceContract[]): DemoAccount[] =>
    unique(cs.map((c) => account(c.account))).filter((a): a is DemoAccount => a !== undefined)
  const aggregationsOfPoints = (ps: readonly DemoServicePoint[]): DemoAggregation[] =>
    aggregations.filter((g) => g.grouped_servicepoints.some((key) => ps.some((p) => p.key === key)))
  const addresses = (...values: (string | null)[]): string[] => unique(values.filter((v): v is string => v !== null))

  const rows: DemoDirectoryEntry[] = []
  for (const a of accounts) {
    const contracts = contractsOfAccount(a)
    const points = pointsOfContracts(contracts)
    rows.push({
      resource_type: 'account',
      number: a.account_number,
      display_name: a.account_name,
      address: a.account_address,
      account_number: a.account_number,
      contract_number: null,
      types: a.account_types,
      attributes: {
        ...relatedValues([a], contracts, points, metersOfPoints(points), aggregationsOfPoints(points)),
        addresses: addresses(a.account_address),
        account_parent: a.parent === null ? null : (account(a.parent)?.account_number ?? null),
      },
    })
  }
  for (const c of service_contracts) {
    const points = pointsOfContracts([c])
    rows.push({
      resource_type: 'service_contract',
      number: c.contract_number,
      display_name: null,
      address: c.contract_address,
      account_number: account(c.account)?.account_number ?? null,
      contract_number: c.contract_number,
      types: c.service_types,
      attributes: {
        ...relatedValues(accountsOfContracts([c]), [c], points, metersOfPoints(points), aggregationsOfPoints(points)),
        addresses: addresses(c.contract_address),
        rateplan_code: c.rateplan_code,
        rateplan_name: c.rateplan_name,
      },
    })
  }
  for (const p of service_points) {
    const contracts = contractsOfPoints([p])
    rows.push({
      resource_type: 'service_point',
      number: p.servicepoint_number,
      display_name: null,
      address: p.servicepoint_address,
      account_number: accountsOfContracts(contracts)[0]?.account_number ?? null,
      contract_number: contracts[0]?.contract_number ?? null,
      types: p.servicepoint_types,
      attributes: {
        ...relatedValues(accountsOfContracts(contracts), contracts, [p], metersOfPoints([p]), aggregationsOfPoints([p])),
        addresses: addresses(p.servicepoint_address),
      },
    })
  }
  for (const m of meter_devices) {
    const points = pointsOfMeter(m)
    const contracts = contractsOfPoints(points)
    const pointAddresses = addresses(...points.map((p) => p.servicepoint_address))
    rows.push({
      resource_type: 'meter_device',
      number: m.meter_number,
      display_name: null,
      address: pointAddresses[0] ?? null,
      account_number: accountsOfContracts(contracts)[0]?.account_number ?? null,
      contract_number: contracts[0]?.contract_number ?? null,
      types: m.meter_types,
      attributes: { ...relatedValues(accountsOfContracts(contracts), contracts, points, [m], aggregationsOfPoints(points)), addresses: pointAddresses },
    })
  }
  for (const g of aggregations) {
    const points = service_points.filter((p) => g.grouped_servicepoints.includes(p.key))
    const contracts = contractsOfPoints(points)
    rows.push({
      resource_type: 'aggregation',
      number: g.aggregation_number,
      display_name: g.name,
      address: g.grouped_addresses[0] ?? null,
      account_number: null,
      contract_number: null,
      types: g.aggregation_types,
      attributes: { ...relatedValues(accountsOfContracts(contracts), contracts, points, metersOfPoints(points), [g]), addresses: g.grouped_addresses },
    })
  }
  return rows
}
