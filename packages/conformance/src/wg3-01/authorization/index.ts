/**
 * The checks of this area (CDS-WG3-01 §2–§6), in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import { REQUIREMENTS } from '../../catalog/index.js'
import type { Check } from '../../core/check.js'
import { aggregationConsentChecks } from './aggregation-consent.js'
import { extensionChecks } from './extension-checks.js'
import { metadataChecks } from './metadata-checks.js'
import { scenarioChecks } from './scenario-checks.js'
import { scopeChecks } from './scope-checks.js'
import { scopeUiChecks } from './scope-ui.js'
import { scopesGeneralChecks } from './scopes-general.js'

const order = new Map(REQUIREMENTS.map((row, i) => [row.id, i]))

/** Every check of this area. */
export const checks: readonly Check[] = [...extensionChecks, ...scenarioChecks, ...metadataChecks, ...scopesGeneralChecks, ...scopeChecks, ...scopeUiChecks, ...aggregationConsentChecks].sort(
  (a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity),
)
