/**
 * What a conformance check is: one requirement of the catalogs, the spec section it comes from,
 * what it needs from the run (a registration, a test customer, a browser, the operator test API),
 * and the function that probes the server.
 *
 * @module
 */
import type { CheckContext } from './context.js'

/** The three specifications the suite checks. */
export type SpecId = 'CDS-WG1-01' | 'CDS-WG1-02' | 'CDS-WG3-01'

/**
 * What a check needs beyond the base URL. A check whose need the run cannot meet is skipped with
 * the reason, never failed.
 *
 * - `registration`: Client credentials, from open registration or given to the run.
 * - `customer`: a test customer's login (CDS-WG3-01 §9, `cds_test_accounts`).
 * - `browser`: a headless browser for the authorization form.
 * - `operator`: the operator test API (server-initiated behaviour, documented in the docs site).
 */
export type CheckNeed = 'registration' | 'customer' | 'browser' | 'operator'

/** How strongly the spec words the requirement. */
export type Severity = 'MUST' | 'SHOULD'

/** One black-box check of one requirement. */
export interface Check {
  /** The requirement ID of the catalog, for example `R1-02-7.6-06`. */
  id: string
  /** Further requirement IDs that the same probe settles (counted as covered by this check). */
  also?: readonly string[]
  /** The specification the requirement belongs to. */
  spec: SpecId
  /** The spec section, for example `§7.6`. */
  section: string
  /** What is checked, in the suite's own words. */
  title: string
  /** `MUST` unless the catalog words it as a SHOULD. */
  severity?: Severity
  /** What the check needs from the run. */
  needs?: readonly CheckNeed[]
  /** Probes the server; returns normally on a pass, throws {@link CheckFailure}, {@link CheckSkip} or {@link CheckNotApplicable} otherwise. */
  run: (ctx: CheckContext) => Promise<void>
}

/** A requirement the server does not meet. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/** A check that could not run (a need the run cannot meet); the reason is reported. */
export class CheckSkip extends Error {
  override name = 'CheckSkip'
}

/** A requirement that does not apply to this server (for example a scope it does not offer). */
export class CheckNotApplicable extends Error {
  override name = 'CheckNotApplicable'
}

/** Declares a check; the identity function that gives the object its type. */
export function defineCheck(check: Check): Check {
  return check
}

/** The spec a requirement ID belongs to: `R1-01-…` CDS-WG1-01, `R1-02-…` and the RFC rows of the WG1 catalog CDS-WG1-02, `R3-01-…` CDS-WG3-01. */
export function specOfRequirement(id: string): SpecId {
  if (id.startsWith('R1-01-')) return 'CDS-WG1-01'
  if (id.startsWith('R3-01-') || id.startsWith('R3-')) return 'CDS-WG3-01'
  return 'CDS-WG1-02'
}
