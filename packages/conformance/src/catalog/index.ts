/**
 * The requirement index built from the catalogs by `scripts/build-catalog.mjs`: IDs and their
 * classification only (spec, section, keyword, who it binds, black-box testable or not).
 *
 * @module
 */
import type { SpecId } from '../core/check.js'
import rows from './requirements.json' with { type: 'json' }

/** One requirement row of a catalog. */
export interface Requirement {
  id: string
  spec: SpecId
  section: string
  /** The catalog's keyword column (`MUST`, `REQUIRED`, `DEF`, `SEM`, …). */
  keyword: string
  /** Whom it binds (`S` server, `C` client, `Customer UI`, …). */
  who: string
  /** A normative server requirement. */
  normative: boolean
  /** Normative and checkable from outside the server. */
  testable: boolean
}

/** Every requirement row of the three catalogs. */
export const REQUIREMENTS: readonly Requirement[] = rows as Requirement[]
