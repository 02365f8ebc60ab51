/**
 * One way for the CDS-WG3-01 areas to declare their checks: the spec is fixed, the section is
 * written without `§`, and each area picks the needs its checks have by default.
 *
 * @module
 */
import { defineCheck, type Check, type CheckNeed, type Severity } from '../core/check.js'
import type { CheckContext } from '../core/context.js'

/** A check that reads the public metadata only. */
export const METADATA: readonly CheckNeed[] = []
/** A check that speaks HTTP with the shared registration. */
export const HTTP: readonly CheckNeed[] = ['registration']
/** A check that needs a customer's consent in the browser. */
export const CONSENT: readonly CheckNeed[] = ['registration', 'customer', 'browser']

/** Options of a declared check. */
export interface CheckOptions {
  needs?: readonly CheckNeed[]
  severity?: Severity
  also?: readonly string[]
}

/** A declarer of CDS-WG3-01 checks whose needs default to `defaultNeeds`. */
export function declareCheck(defaultNeeds: readonly CheckNeed[]) {
  return (id: string, section: string, title: string, run: (ctx: CheckContext) => Promise<void>, options: CheckOptions = {}): Check =>
    defineCheck({
      id,
      spec: 'CDS-WG3-01',
      section: `§${section}`,
      title,
      needs: options.needs ?? defaultNeeds,
      ...(options.severity === undefined ? {} : { severity: options.severity }),
      ...(options.also === undefined ? {} : { also: options.also }),
      run,
    })
}
