/**
 * The checks of CDS-WG1-01 (Server Metadata and Coverage), in catalog order. Each file of the
 * folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../core/check.js'
import { coverageEntryChecks } from './coverage-entries.js'
import { coverageChecks } from './coverage.js'
import { dataTypeChecks } from './data-types.js'
import { migrationChecks } from './migration.js'
import { securityChecks } from './security.js'
import { serverMetadataChecks } from './server-metadata.js'

/** Every check of this area. */
export const checks: readonly Check[] = [...dataTypeChecks, ...serverMetadataChecks, ...coverageChecks, ...coverageEntryChecks, ...migrationChecks, ...securityChecks]
