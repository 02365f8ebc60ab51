/**
 * `@cds-ts/conformance`: a black-box suite that checks any CDS server against the requirement
 * catalogs of CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01, one check per requirement ID.
 *
 * @packageDocumentation
 */
import { ALL_CHECKS } from './checks.js'
import type { Check } from './core/check.js'
import type { ConformanceOptions } from './core/options.js'
import type { ConformanceReport } from './core/result.js'
import { runChecks } from './core/runner.js'

export { ALL_CHECKS } from './checks.js'
export { REQUIREMENTS } from './catalog/index.js'
export type { Requirement } from './catalog/index.js'
export { CheckFailure, CheckNotApplicable, CheckSkip, defineCheck, specOfRequirement } from './core/check.js'
export type { Check, CheckNeed, Severity, SpecId } from './core/check.js'
export { CheckContext, objectOf } from './core/context.js'
export type { Json } from './core/context.js'
export type { Exchange, HttpRequest, HttpResponse } from './core/http.js'
export type { BrowserOptions, ClientCredentials, ConformanceOptions, OperatorApi, TestCustomer } from './core/options.js'
export { clientWithScope, listAll } from './core/registration.js'
export type { SuiteRegistration } from './core/registration.js'
export type { CheckResult, CheckStatus, ConformanceReport, SpecSummary } from './core/result.js'
export { runChecks, selectChecks, summarize, SPECS, SUITE_VERSION } from './core/runner.js'
export { CHROMIUM_FLAGS } from './core/browser.js'
export { formatConsoleReport, formatHtmlReport, formatJsonReport, formatJUnitReport, progressLine } from './report/index.js'

/**
 * Checks a CDS server: runs every check of the suite (or `checks`) against `options.baseUrl`.
 *
 * @example
 * ```ts
 * const report = await runConformance({ baseUrl: 'https://cds.example.com' })
 * for (const spec of report.summary) console.log(spec.spec, spec.passed, '/', spec.covered)
 * ```
 */
export function runConformance(options: ConformanceOptions, checks: readonly Check[] = ALL_CHECKS): Promise<ConformanceReport> {
  return runChecks(options, checks)
}
