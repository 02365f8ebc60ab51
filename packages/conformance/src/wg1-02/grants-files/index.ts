/**
 * The checks of this area, in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { filesChecks } from './files.js'
import { grantAuthorizationChecks } from './grant-authorization.js'
import { grantModifyChecks } from './grant-modify.js'
import { grantStatusChecks } from './grant-status.js'
import { grantObjectChecks } from './grants.js'
import { grantListingChecks } from './grants-listing.js'
import { securityChecks } from './security.js'

/** Every check of this area. */
export const checks: readonly Check[] = [
  ...grantObjectChecks,
  ...grantStatusChecks,
  ...grantAuthorizationChecks,
  ...grantListingChecks,
  ...grantModifyChecks,
  ...filesChecks,
  ...securityChecks,
]
