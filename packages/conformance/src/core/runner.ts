/**
 * Runs checks against a server, one after the other, and counts the requirements per spec.
 *
 * @module
 */
import { REQUIREMENTS } from '../catalog/index.js'
import { CheckFailure, CheckNotApplicable, CheckSkip, type Check, type SpecId } from './check.js'
import { CheckContext, RunState } from './context.js'
import type { ConformanceOptions } from './options.js'
import type { CheckResult, CheckStatus, ConformanceReport, SpecSummary } from './result.js'

/** The suite's version, reported with every run. */
export const SUITE_VERSION = '0.0.0'

/** The specs in report order. */
export const SPECS: readonly SpecId[] = ['CDS-WG1-01', 'CDS-WG1-02', 'CDS-WG3-01']

/** Runs one check with its timeout and turns its outcome into a result. */
async function runOne(check: Check, state: RunState, timeoutMs: number): Promise<CheckResult> {
  state.http.log = []
  state.cleanups = []
  const started = performance.now()
  let status: CheckStatus = 'passed'
  let message: string | undefined
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new CheckFailure(`did not finish within ${timeoutMs} ms`))
      }, timeoutMs)
    })
    await Promise.race([check.run(new CheckContext(state)), timeout])
  } catch (error) {
    if (error instanceof CheckSkip) status = 'skipped'
    else if (error instanceof CheckNotApplicable) status = 'not_applicable'
    else status = 'failed'
    message = error instanceof CheckFailure || error instanceof CheckSkip || error instanceof CheckNotApplicable ? error.message : `unexpected error: ${String((error as Error).stack ?? error)}`
  } finally {
    clearTimeout(timer)
    for (const cleanup of state.cleanups.reverse()) await cleanup().catch(() => undefined)
  }
  return {
    id: check.id,
    also: check.also ?? [],
    spec: check.spec,
    section: check.section,
    title: check.title,
    severity: check.severity ?? 'MUST',
    status,
    ...(message === undefined ? {} : { message }),
    duration: Math.round(performance.now() - started),
    ...(status === 'failed' ? { exchanges: state.http.log.slice(-6) } : {}),
  }
}

/** Picks the checks a run asks for. */
export function selectChecks(checks: readonly Check[], options: Pick<ConformanceOptions, 'specs' | 'only'>): Check[] {
  return checks.filter(
    (check) =>
      (options.specs === undefined || options.specs.includes(check.spec)) &&
      (options.only === undefined || options.only.some((prefix) => check.id.startsWith(prefix) || (check.also ?? []).some((id) => id.startsWith(prefix)))),
  )
}

/** Counts, per spec, the catalog's requirements and what the results say of them. */
export function summarize(results: readonly CheckResult[], specs: readonly SpecId[] = SPECS): SpecSummary[] {
  const byRequirement = new Map<string, CheckStatus[]>()
  for (const result of results)
    for (const id of [result.id, ...result.also]) byRequirement.set(id, [...(byRequirement.get(id) ?? []), result.status])
  return specs.map((spec) => {
    const rows = REQUIREMENTS.filter((row) => row.spec === spec)
    const summary: SpecSummary = { spec, requirements: rows.length, testable: 0, not_testable: 0, covered: 0, passed: 0, failed: 0, skipped: 0, not_applicable: 0 }
    for (const row of rows) {
      if (!row.normative) continue
      if (!row.testable) {
        summary.not_testable++
        continue
      }
      summary.testable++
      const statuses = byRequirement.get(row.id)
      if (statuses === undefined) continue
      summary.covered++
      if (statuses.includes('failed')) summary.failed++
      else if (statuses.includes('skipped')) summary.skipped++
      else if (statuses.every((s) => s === 'not_applicable')) summary.not_applicable++
      else summary.passed++
    }
    return summary
  })
}

/**
 * Runs checks against a CDS server and reports per check and per spec.
 *
 * @param options - the server and what the run may use (see {@link ConformanceOptions}).
 * @param checks - the checks to run (default: every check of the suite).
 */
export async function runChecks(options: ConformanceOptions, checks: readonly Check[]): Promise<ConformanceReport> {
  const selected = selectChecks(checks, options)
  const state = new RunState(options)
  const started = new Date().toISOString()
  const results: CheckResult[] = []
  try {
    for (const check of selected) {
      const result = await runOne(check, state, options.checkTimeoutMs ?? 60_000)
      results.push(result)
      options.onResult?.(result, results.length, selected.length)
    }
  } finally {
    await state.close()
  }
  const totals: Record<CheckStatus, number> = { passed: 0, failed: 0, skipped: 0, not_applicable: 0 }
  for (const result of results) totals[result.status]++
  const specs = options.specs ?? SPECS
  return { baseUrl: options.baseUrl, started, finished: new Date().toISOString(), suite: SUITE_VERSION, results, summary: summarize(results, specs), totals }
}
