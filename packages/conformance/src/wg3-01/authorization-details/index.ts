/**
 * The checks of this area, in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'

/** Every check of this area. */
export const checks: readonly Check[] = []
