/**
 * The checks of CDS-WG1-02 §2 (data types) and §3 (Authorization Server Metadata: members,
 * Scope Descriptions, Registration Fields and their requirements, Authorization Details Fields),
 * in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { asmEndpointChecks } from './asm-endpoints.js'
import { asmMemberChecks } from './asm-members.js'
import { dataTypeChecks } from './data-types.js'
import { detailsFieldChecks } from './details-fields.js'
import { detailsValueChecks } from './details-values.js'
import { fixedScopeChecks } from './fixed-scopes.js'
import { grantAdminChecks } from './grant-admin.js'
import { registrationFieldChecks } from './registration-fields.js'
import { requirementChecks } from './requirements.js'
import { scopeBehaviourChecks } from './scope-behaviour.js'
import { scopeDescriptionChecks } from './scope-descriptions.js'
import { serverMetadataChecks } from './server-metadata.js'

/** Every check of this area. */
export const checks: readonly Check[] = [
  ...dataTypeChecks,
  ...serverMetadataChecks,
  ...asmEndpointChecks,
  ...asmMemberChecks,
  ...fixedScopeChecks,
  ...grantAdminChecks,
  ...scopeDescriptionChecks,
  ...scopeBehaviourChecks,
  ...registrationFieldChecks,
  ...requirementChecks,
  ...detailsFieldChecks,
  ...detailsValueChecks,
]
