/**
 * Scope Descriptions as one Client object sees them (CDS-WG1-02 §5.1, R1-02-5.1-14): the operator
 * may narrow a scope for one object (fewer coverages, other limits), and that object's
 * `cds_server_metadata` then leads to an Authorization Server Metadata with the narrowed values.
 *
 * @module
 */
import { InvalidRequest, toDateTime, type Clock } from '@cds-ts/auth'
import { checkStrict, ScopeDescription, type Client } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import { resourceUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { toJsonText } from '../../db/json-text.js'
import { writeChangelog } from '../../shared/server-messages.js'
import { scopeTokens } from './client-fields.js'
import { clientObject, findClient, type ScopeOverrides } from './client-object.js'

/**
 * The configuration as one Client object sees it: each overridden Scope Description with the
 * overriding fields merged over the public ones. Everything else (issuer, endpoints, other
 * scopes) stays as published (A-41).
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function withScopeOverrides(config: ServerConfig, overrides: ScopeOverrides | null): ServerConfig {
  if (overrides === null) return config
  const scope_descriptions = { ...config.oauth.scope_descriptions }
  for (const [id, fields] of Object.entries(overrides)) {
    const base = scope_descriptions[id]
    if (base !== undefined) scope_descriptions[id] = { ...base, ...fields, id }
  }
  return { ...config, oauth: { ...config.oauth, scope_descriptions } }
}

/**
 * Sets (or, with `null` or `{}`, clears) the Scope Description overrides of one Client object, for
 * the operator. Each key must be a scope of the object, and each merged Scope Description must
 * still be a valid one (§3.4). The object's `cds_server_metadata` then points to its own metadata
 * (R1-02-5.1-14) or back to the public one (R1-02-5.1-15); `cds_modified` moves and a changelog
 * Message is written (R1-02-5.3-07), in one transaction (the caller's, when `db` is one).
 *
 * @example
 * ```ts
 * await setScopeOverrides(db, clock, config, client_id, { demo_usage_data: { coverages_supported: ['demo-commercial-gas'] } })
 * ```
 * @returns the updated Client object
 * @throws {InvalidRequest} for an unknown Client object, a scope it does not have, or an invalid result
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export async function setScopeOverrides(
  db: Kysely<Database>,
  clock: Clock,
  config: ServerConfig,
  client_id: string,
  overrides: ScopeOverrides | null,
): Promise<Client> {
  const value = overrides === null || Object.keys(overrides).length === 0 ? null : overrides
  // Joins the caller's transaction when given one (Kysely cannot nest them).
  const inTransaction = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn))
  return inTransaction(async (trx) => {
    const client = await findClient(trx, client_id)
    if (client === undefined) throw new InvalidRequest(`no Client object ${client_id}`)
    const own = scopeTokens(client.scope)
    const merged = withScopeOverrides(config, value).oauth.scope_descriptions
    for (const id of Object.keys(value ?? {})) {
      // CDS-WG1-02 §5.1 (R1-02-5.1-14): overrides concern the object's registered scopes.
      if (!own.includes(id)) throw new InvalidRequest(`${id} is not a scope of the Client object ${client_id}`)
      const issues = checkStrict(ScopeDescription, merged[id])
      if (issues.length > 0) throw new InvalidRequest(`the overridden Scope Description ${id} is invalid: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`)
    }
    await trx
      .updateTable('clients')
      .set({ scope_overrides: value === null ? null : toJsonText(value), cds_modified: toDateTime(clock.now()) })
      .where('client_id', '=', client_id)
      .execute()
    // CDS-WG1-02 §5.3 (R1-02-5.3-07): the Server's change is in the changelog too.
    await writeChangelog(trx, clock, {
      registration_id: client.registration_id,
      related_type: 'client',
      related_uri: resourceUrl(config.base_url, 'clients_api', client_id),
      name: 'Client object modified',
      description:
        value === null
          ? `The Client object ${client_id} now uses the public Scope Descriptions.`
          : `The Scope Descriptions of ${Object.keys(value).join(', ')} were adjusted for the Client object ${client_id}; see its cds_server_metadata.`,
    })
    const updated = await findClient(trx, client_id)
    if (updated === undefined) throw new TypeError(`the Client object ${client_id} vanished inside its own transaction`)
    return clientObject(config, updated)
  })
}
