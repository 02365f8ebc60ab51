/**
 * What a run reports: one result per check and the per-spec requirement counts.
 *
 * @module
 */
import type { Exchange } from './http.js'
import type { Severity, SpecId } from './check.js'

/** How a check ended. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'not_applicable'

/** The result of one check. */
export interface CheckResult {
  id: string
  also: readonly string[]
  spec: SpecId
  section: string
  title: string
  severity: Severity
  status: CheckStatus
  /** Why it failed, was skipped or does not apply. */
  message?: string
  /** Milliseconds. */
  duration: number
  /** The HTTP exchanges of a failed check. */
  exchanges?: readonly Exchange[]
}

/** Requirement counts of one spec. */
export interface SpecSummary {
  spec: SpecId
  /** Requirement rows of the catalog. */
  requirements: number
  /** Normative server requirements a black-box suite can check. */
  testable: number
  /** Normative server requirements the catalog marks as not black-box testable. */
  not_testable: number
  /** Testable requirements with at least one check. */
  covered: number
  /** Covered requirements whose checks all passed. */
  passed: number
  /** Covered requirements with a failed check. */
  failed: number
  /** Covered requirements whose checks were skipped (and none failed). */
  skipped: number
  /** Covered requirements that do not apply to this server (and none failed). */
  not_applicable: number
}

/** The report of a run. */
export interface ConformanceReport {
  baseUrl: string
  started: string
  finished: string
  /** The suite's version. */
  suite: string
  results: readonly CheckResult[]
  summary: readonly SpecSummary[]
  /** Totals over the checks (not the requirements). */
  totals: Record<CheckStatus, number>
}
