/**
 * Grants (CDS-WG1-02 §8.1) on Kysely: one row per Grant. Its `find` answers the `GrantLookup`
 * that `@cds-ts/auth` asks for in the Grant Admin client credentials grant (CDS-WG1-02 §3.3.2);
 * `insert` and `update` serve `wg1-02/grants/grant-changes.ts`, through which every Grant is
 * created and changed (registration, the authorization endpoint, the Grants API PATCH, the
 * operator). The Grants API lists with its own filtered keyset query over the same table.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @module
 */
import type { Grant } from '@cds-ts/schema'
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { Database, GrantsTable } from './database.js'
import { fromJsonText, toJsonText } from './json-text.js'
import { toDateTime } from '@cds-ts/auth'

/**
 * A stored Grant: the Grant object without the fields derived from the base URL or from other
 * rows (`uri`, `children`, `replaced_by`), with `replacing` as the `grant_id`s it supersedes
 * (their URIs derive from them) and the project field `customer_id`. Datetimes are RFC 3339
 * text, as on the wire.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export type GrantRecord = Omit<Grant, 'uri' | 'replacing' | 'replaced_by' | 'children'> & {
  /** The `grant_id`s of the Grants this one supersedes; `[]` when none. */
  replacing: string[]
  /** The customer who authorized the Grant (CDS-WG1-02 §8.3); `null` for server-created Grants. */
  customer_id: string | null
}

/**
 * The fields of a stored Grant that may change after it is created.
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export type GrantChanges = Partial<Omit<GrantRecord, 'grant_id' | 'client_id' | 'created'>>

const dateTime = (date: Date | null): string | null => (date === null ? null : toDateTime(date))

function grantColumns(c: GrantChanges): Updateable<GrantsTable> {
  const row: Updateable<GrantsTable> = {}
  if (c.parent !== undefined) row.parent = c.parent
  if (c.modified !== undefined) row.modified = c.modified
  if (c.not_before !== undefined) row.not_before = c.not_before
  if (c.not_after !== undefined) row.not_after = c.not_after
  if (c.eta !== undefined) row.eta = c.eta
  if (c.expires !== undefined) row.expires = c.expires
  if (c.status !== undefined) row.status = c.status
  if (c.scope !== undefined) row.scope = c.scope
  if (c.authorization_details !== undefined) row.authorization_details = toJsonText(c.authorization_details)
  if (c.receipt_confirmations !== undefined) row.receipt_confirmations = toJsonText(c.receipt_confirmations)
  if (c.enabled_scope !== undefined) row.enabled_scope = c.enabled_scope
  if (c.enabled_authorization_details !== undefined) row.enabled_authorization_details = toJsonText(c.enabled_authorization_details)
  if (c.replacing !== undefined) row.replacing = toJsonText(c.replacing)
  if (c.customer_id !== undefined) row.customer_id = c.customer_id
  return row
}

function grantRow(g: GrantRecord): Insertable<GrantsTable> {
  return {
    grant_id: g.grant_id,
    parent: g.parent,
    created: g.created,
    modified: g.modified,
    not_before: g.not_before,
    not_after: g.not_after,
    eta: g.eta,
    expires: g.expires,
    status: g.status,
    client_id: g.client_id,
    scope: g.scope,
    authorization_details: toJsonText(g.authorization_details),
    receipt_confirmations: toJsonText(g.receipt_confirmations),
    enabled_scope: g.enabled_scope,
    enabled_authorization_details: toJsonText(g.enabled_authorization_details),
    replacing: toJsonText(g.replacing),
    customer_id: g.customer_id,
  }
}

/**
 * A `grants` row as a {@link GrantRecord}.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export function grantRecord(row: Selectable<GrantsTable>): GrantRecord {
  return {
    grant_id: row.grant_id,
    parent: row.parent,
    created: toDateTime(row.created),
    modified: toDateTime(row.modified),
    not_before: dateTime(row.not_before),
    not_after: dateTime(row.not_after),
    eta: dateTime(row.eta),
    expires: dateTime(row.expires),
    status: row.status,
    client_id: row.client_id,
    scope: row.scope,
    authorization_details: fromJsonText(row.authorization_details),
    receipt_confirmations: fromJsonText(row.receipt_confirmations),
    enabled_scope: row.enabled_scope,
    enabled_authorization_details: fromJsonText(row.enabled_authorization_details),
    replacing: fromJsonText(row.replacing),
    customer_id: row.customer_id,
  }
}

/**
 * Grants by `grant_id`. Pass a store bound to a transaction (`new KyselyGrantStore(trx)`) to
 * write a Grant together with the code or tokens that reference it.
 *
 * @example
 * ```ts
 * const grants = new KyselyGrantStore(db)
 * const grant = await grants.find('g-1') // satisfies GrantLookup of @cds-ts/auth
 * ```
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export class KyselyGrantStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new Grant. Throws if the `grant_id` exists or the `client_id` or `parent` is unknown. */
  async insert(grant: GrantRecord): Promise<void> {
    await this.db.insertInto('grants').values(grantRow(grant)).execute()
  }

  /** The Grant, or `undefined` when the `grant_id` is unknown. */
  async find(grant_id: string): Promise<GrantRecord | undefined> {
    const row = await this.db.selectFrom('grants').selectAll().where('grant_id', '=', grant_id).executeTakeFirst()
    return row && grantRecord(row)
  }

  /**
   * Replaces the given fields (an `undefined` field is left alone; `null` clears a nullable one);
   * returns `false` when the `grant_id` is unknown.
   */
  async update(grant_id: string, changes: GrantChanges): Promise<boolean> {
    const columns = grantColumns(changes)
    if (Object.keys(columns).length === 0) return (await this.find(grant_id)) !== undefined
    const result = await this.db.updateTable('grants').set(columns).where('grant_id', '=', grant_id).executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}
