/**
 * The checks of this area, by section (§5 Clients, §6 Messages, §7 Credentials). Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { clientFormatChecks } from './clients-format.js'
import { clientListingChecks } from './clients-listing.js'
import { clientMetadataChecks } from './clients-metadata.js'
import { clientModifyChecks } from './clients-modify.js'
import { credentialChecks } from './credentials.js'
import { credentialModifyChecks } from './credentials-modify.js'
import { messageCreateChecks } from './messages-create.js'
import { messageFormatChecks } from './messages-format.js'
import { messageListingChecks } from './messages-listing.js'
import { messageStatusChecks } from './messages-status.js'

/** Every check of this area: CDS-WG1-02 §5 Clients, §6 Messages, §7 Credentials. */
export const checks: readonly Check[] = [
  ...clientFormatChecks,
  ...clientMetadataChecks,
  ...clientListingChecks,
  ...clientModifyChecks,
  ...messageFormatChecks,
  ...messageStatusChecks,
  ...messageListingChecks,
  ...messageCreateChecks,
  ...credentialChecks,
  ...credentialModifyChecks,
]
