/**
 * The checks of this area, in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { accountChecks } from './accounts.js'
import { aggregationChecks } from './aggregations.js'
import { billSectionChecks } from './bill-sections.js'
import { billStatementChecks } from './bill-statements.js'
import { consentVisibilityChecks } from './consent-visibility.js'
import { eacChecks } from './eacs.js'
import { expansionChecks } from './expansions.js'
import { flowChecks } from './flows.js'
import { generalChecks } from './general.js'
import { meterDeviceChecks } from './meter-devices.js'
import { preselectionChecks } from './preselections.js'
import { resourceChecks } from './resources.js'
import { securityChecks } from './security.js'
import { serviceContractChecks } from './service-contracts.js'
import { servicePointChecks } from './service-points.js'
import { usageSegmentChecks } from './usage-segments.js'
import { usageValueChecks } from './usage-values.js'
import { windowChecks } from './windows.js'

/** Every check of this area. */
export const checks: readonly Check[] = [
  ...generalChecks,
  ...preselectionChecks,
  ...consentVisibilityChecks,
  ...expansionChecks,
  ...windowChecks,
  ...accountChecks,
  ...serviceContractChecks,
  ...servicePointChecks,
  ...meterDeviceChecks,
  ...billStatementChecks,
  ...billSectionChecks,
  ...aggregationChecks,
  ...resourceChecks,
  ...flowChecks,
  ...usageSegmentChecks,
  ...usageValueChecks,
  ...eacChecks,
  ...securityChecks,
]
