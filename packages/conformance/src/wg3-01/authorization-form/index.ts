/**
 * The checks of CDS-WG3-01 §9 Customer Authorizations, in catalog order: the process and the
 * login (§9.1), the Authorization Form's layout (§9.2, §9.2.1), its components (§9.2.2) and
 * selections (§9.2.3), the error pages (§9.3) and the receipt (§9.4). The browser work is shared
 * through the surveys (`survey-*.ts`); {@link authorizeWithConsent} is the consent flow other
 * areas use.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { componentChecks } from './component-checks.js'
import { errorChecks } from './error-checks.js'
import { layoutChecks } from './layout-checks.js'
import { processChecks } from './process-checks.js'
import { receiptChecks } from './receipt-checks.js'
import { selectionChecks } from './selection-checks.js'

export { authorizeWithConsent, type ConsentOptions, type ConsentResult } from './consent.js'

/** Every check of this area. */
export const checks: readonly Check[] = [...processChecks, ...layoutChecks, ...componentChecks, ...selectionChecks, ...errorChecks, ...receiptChecks]
