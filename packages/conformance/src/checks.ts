/**
 * Every check of the suite, grouped by spec.
 *
 * @module
 */
import type { Check } from './core/check.js'
import { checks as wg101 } from './wg1-01/index.js'
import { checks as wg102Apis } from './wg1-02/apis/index.js'
import { checks as wg102Grants } from './wg1-02/grants-files/index.js'
import { checks as wg102Metadata } from './wg1-02/metadata/index.js'
import { checks as wg102Oauth } from './wg1-02/oauth/index.js'
import { checks as wg301Authorization } from './wg3-01/authorization/index.js'
import { checks as wg301Details } from './wg3-01/authorization-details/index.js'
import { checks as wg301Form } from './wg3-01/authorization-form/index.js'
import { checks as wg301Data } from './wg3-01/data/index.js'

/** Every check, CDS-WG1-01 first, then CDS-WG1-02 and CDS-WG3-01. */
export const ALL_CHECKS: readonly Check[] = [...wg101, ...wg102Metadata, ...wg102Oauth, ...wg102Apis, ...wg102Grants, ...wg301Authorization, ...wg301Details, ...wg301Form, ...wg301Data]
