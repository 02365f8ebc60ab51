/**
 * The demo data set before it is written: plans for customers, accounts, contracts, service
 * points and meters, each holding the writer input of its object plus what the load shapes and the
 * bills need (commodity, rate plan, solar, meter periods). Both the generated customers and the
 * catalog fixture (CUST-A…E) become plans, so they get usage and bills the same way.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { AccountInput, MeterDeviceInput, ServiceContractInput, ServicePointInput } from '../customer-data/write-objects.js'
import type { Commodity, RatePlan } from './profile.js'

/** A meter and the time it measured at its service point. */
export interface MeterPlan {
  input: MeterDeviceInput
  /** When it was installed and removed (null: still installed). */
  from: Date
  to: Date | null
  /** Register reading at `from`, in the commodity's smallest step (gas and water meters). */
  register: bigint
}

/** A service point and the meters it had, oldest first. */
export interface PointPlan {
  input: ServicePointInput
  meters: MeterPlan[]
}

/** How a contract uses energy: the load shape parameters. */
export interface LoadProfile {
  commercial: boolean
  /** Average daily use in the commodity's smallest step (Wh, millitherms, gallons). */
  daily: number
  /** Rooftop solar peak output in W (0: none); the meter then records forward, reverse and net. */
  solar: number
  /** Whether the segments carry an interval cost column (§10.8.5 `cost`, worked example D). */
  interval_cost: boolean
}

/** A service contract with what its usage and bills follow. */
export interface ContractPlan {
  input: ServiceContractInput
  commodity: Commodity
  rate: RatePlan
  /** Its service point (null for a contract without metering). */
  point: PointPlan | null
  load: LoadProfile
}

/** An account with its contracts; `billed` accounts get monthly statements. */
export interface AccountPlan {
  input: AccountInput
  contracts: ContractPlan[]
  /** Share of each bill paid before the next (per mille): 1000 pays in full. */
  pays: number
}

/** A customer who can log in, with their accounts (parents first). */
export interface CustomerPlan {
  customer_id: string
  login: string
  display_name: string
  email: string
  accounts: AccountPlan[]
}

/** The months a set covers, in the utility's time zone. */
export interface DemoWindow {
  timeZone: string
  /** The first month with data. */
  first: { year: number; month: number }
  /** How many months. */
  months: number
  /** Local midnight after the last month: the set's `cds_synced`, and no timestamp is later. */
  end: Date
}
