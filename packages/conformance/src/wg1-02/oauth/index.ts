/**
 * The checks of this area, in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { authorizeChecks } from './authorize.js'
import { bearerChecks } from './bearer.js'
import { clientMetadataChecks } from './client-metadata.js'
import { codeExchangeChecks } from './code-exchange.js'
import { introspectionChecks } from './introspection.js'
import { metadataChecks } from './metadata.js'
import { parChecks } from './par.js'
import { pkceChecks } from './pkce.js'
import { rarChecks } from './rar.js'
import { registrationResponseChecks } from './registration-response.js'
import { registrationRequestChecks } from './registration.js'
import { revocationChecks } from './revocation.js'
import { tokenChecks } from './token.js'

/** Every check of this area. */
export const checks: readonly Check[] = [
  ...registrationRequestChecks,
  ...registrationResponseChecks,
  ...authorizeChecks,
  ...tokenChecks,
  ...codeExchangeChecks,
  ...bearerChecks,
  ...revocationChecks,
  ...clientMetadataChecks,
  ...pkceChecks,
  ...introspectionChecks,
  ...metadataChecks,
  ...parChecks,
  ...rarChecks,
]
