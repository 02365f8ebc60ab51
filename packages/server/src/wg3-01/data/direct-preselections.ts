/**
 * `error_if_no_preselections` on direct access scopes (CDS-WG3-01 §7.4.3, A-51): a token request
 * whose entry asks for it is refused with `invalid_authorization_details` when the entry's
 * preselections are insufficient (none is set) or invalid (a listed value matches no object the
 * Client may see). The check the token endpoint runs through `PreselectionCheck`.
 *
 * @see CDS-WG3-01 §7.4.3 Error If No Preselections
 * @module
 */
import { InvalidAuthorizationDetails, type PreselectionCheck } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { intersect, selectIds } from './id-sets.js'
import { baseSet, PRESELECTIONS } from './visibility-base.js'

// CDS-WG3-01 §7.1 (catalog T0): the reserved values name no object.
const SPECIAL = new Set(['_all', '_include_future'])

/**
 * The server's {@link PreselectionCheck}: for every direct-access entry with
 * `error_if_no_preselections: true`, at least one preselection field must be set and every value
 * listed must match an object of the direct-access base set. Entries of consent scopes and entries
 * with the field false are left alone (the form handles the first, R3-01-7.4.3-08 the second).
 *
 * @example
 * ```ts
 * await app.register(tokenPlugin, { config, store, clock, checkPreselections: directPreselectionCheck(db, config) })
 * ```
 * @see CDS-WG3-01 §7.4.3 Error If No Preselections
 */
export function directPreselectionCheck(db: Kysely<Database>, config: ServerConfig): PreselectionCheck {
  return async (entries, scopes) => {
    for (const [index, entry] of entries.entries()) {
      const values = entry as Readonly<Record<string, unknown>>
      const scope = scopes.find((s) => s.authorization_details_types_supported.includes(entry.type))
      if (scope === undefined || scope.response_types_supported.length > 0 || values.error_if_no_preselections !== true) continue
      const path = `authorization_details[${String(index)}]`
      const set = Object.keys(PRESELECTIONS).filter((field) => Array.isArray(values[field]))
      // "insufficient" is no preselection at all.
      if (set.length === 0) throw new InvalidAuthorizationDetails(`${path}: error_if_no_preselections is true but no preselection field is set`)
      const base = await baseSet(db, null, config.customer_data.direct_access_base)
      for (const field of set) {
        const [type, condition] = PRESELECTIONS[field] ?? []
        if (type === undefined || condition === undefined) continue
        const listed = (values[field] as unknown[]).filter((v): v is string => typeof v === 'string' && !SPECIAL.has(v))
        if (listed.length === 0 && (values[field] as unknown[]).length > 0) continue
        if (listed.length === 0) throw new InvalidAuthorizationDetails(`${path}.${field} is empty, so it matches nothing`)
        for (const value of listed) {
          const found = intersect(await selectIds(db, type, condition([value])), base.small[type])
          // "invalid" is a listed value matching nothing the Client may see; the value is not echoed.
          if (found !== 'all' && found.size === 0) throw new InvalidAuthorizationDetails(`${path}.${field} lists a value that matches nothing this client may see`)
        }
      }
    }
  }
}
