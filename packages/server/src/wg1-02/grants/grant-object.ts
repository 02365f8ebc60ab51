/**
 * The wire form of stored Grants (CDS-WG1-02 §8.1): the one place where {@link GrantRecord}s
 * become the Grant objects the Grants API returns, with the fields that derive from the base URL
 * (`uri`, `replacing`) or from other rows (`children`, `replaced_by`).
 *
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import type { Grant } from '@cds-ts/schema'
import { sql, type Kysely } from 'kysely'
import { resourceUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { grantRecord, type GrantRecord } from '../../db/grant-store.js'
import { fromJsonText } from '../../db/json-text.js'

/**
 * A Grant of a registration: one whose Client object belongs to it (R1-02-X-01).
 *
 * @throws {NotFound} for an unknown `grant_id` or another registration's Grant (R1-02-X-01, -02)
 * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
 */
export async function findOwnGrant(db: Kysely<Database>, registration_id: string, grant_id: string): Promise<GrantRecord> {
  const row = await db
    .selectFrom('grants')
    .innerJoin('clients', 'clients.client_id', 'grants.client_id')
    .selectAll('grants')
    .where('grants.grant_id', '=', grant_id)
    .where('clients.registration_id', '=', registration_id)
    .executeTakeFirst()
  // R1-02-X-01, -02: another registration's Grant is as unknown as a missing one.
  if (row === undefined) throw new NotFound(`no Grant ${grant_id}`)
  return grantRecord(row)
}

/**
 * The Grant objects of stored Grants, in the order given. Two queries answer the whole page:
 * the sub-Grants of these Grants (`children`) and the Grants whose `replacing` names one of
 * them (`replaced_by`).
 *
 * @example
 * ```ts
 * const [grant] = await loadGrantObjects(db, config.base_url, [record])
 * ```
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export async function loadGrantObjects(db: Kysely<Database>, baseUrl: string, records: GrantRecord[]): Promise<Grant[]> {
  if (records.length === 0) return []
  const ids = records.map((r) => r.grant_id)

  // CDS-WG1-02 §8.1 (R1-02-8.1-03): `children` lists the Grants whose `parent` is this one.
  const childRows = await db.selectFrom('grants').select(['grant_id', 'parent']).where('parent', 'in', ids).orderBy('created').orderBy('grant_id').execute()
  const children = new Map<string, string[]>()
  for (const row of childRows) {
    if (row.parent !== null) children.set(row.parent, [...(children.get(row.parent) ?? []), row.grant_id])
  }

  // CDS-WG1-02 §8.1 (R1-02-8.1-02): `replaced_by` is the inverse of `replacing`, so the two agree.
  const idList = sql.join(ids.map((id) => sql`${id}`))
  const replacerRows = await db
    .selectFrom('grants')
    .select(['grant_id', 'replacing'])
    .where(sql<boolean>`exists (select 1 from jsonb_array_elements_text(grants.replacing) as r(id) where r.id in (${idList}))`)
    .orderBy('created')
    .orderBy('grant_id')
    .execute()
  const replacedBy = new Map<string, string[]>()
  for (const row of replacerRows) {
    for (const replaced of fromJsonText(row.replacing)) replacedBy.set(replaced, [...(replacedBy.get(replaced) ?? []), row.grant_id])
  }

  return records.map((r) => grantObject(baseUrl, r, children.get(r.grant_id) ?? [], replacedBy.get(r.grant_id) ?? []))
}

/**
 * The Grant object of one stored Grant.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export async function loadGrantObject(db: Kysely<Database>, baseUrl: string, record: GrantRecord): Promise<Grant> {
  const [grant] = await loadGrantObjects(db, baseUrl, [record])
  if (grant === undefined) throw new TypeError('loadGrantObjects returned no Grant')
  return grant
}

/** The 19 fields of CDS-WG1-02 §8.1 (R1-02-8.1-01), in the spec's order. */
function grantObject(baseUrl: string, r: GrantRecord, children: string[], replacedBy: string[]): Grant {
  const uri = (id: string) => resourceUrl(baseUrl, 'grants_api', id)
  return {
    grant_id: r.grant_id,
    uri: uri(r.grant_id),
    replacing: r.replacing.map(uri),
    replaced_by: replacedBy.map(uri),
    parent: r.parent,
    children,
    created: r.created,
    modified: r.modified,
    not_before: r.not_before,
    not_after: r.not_after,
    eta: r.eta,
    expires: r.expires,
    status: r.status,
    client_id: r.client_id,
    scope: r.scope,
    authorization_details: r.authorization_details,
    receipt_confirmations: r.receipt_confirmations,
    enabled_scope: r.enabled_scope,
    enabled_authorization_details: r.enabled_authorization_details,
  }
}
