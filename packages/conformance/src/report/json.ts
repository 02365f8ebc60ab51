/**
 * The JSON report: the {@link ConformanceReport} as it is, for tools.
 *
 * @module
 */
import type { ConformanceReport } from '../core/result.js'

/** The report as indented JSON. */
export function formatJsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
