/**
 * The Grant bookkeeping of the authorization endpoint (CDS-WG1-02 §8.3): the `AuthorizationGrants`
 * of `@cds-ts/auth` over the `grants` table. It decides whether a `cds_grant_id` fits a request
 * and records each approval as a Grant at once, before any token request (R1-02-8.3-11, -12),
 * with the customer's selections kept beside it (`grants.selections`, CDS-WG3-01 A-10).
 *
 * @module
 */
import { CdsGrantIdInvalidUser, CdsGrantIdInvalidValue, type AuthorizationGrants, type Clock, type GrantApproval } from '@cds-ts/auth'
import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database, GrantSelection } from '../../db/database.js'
import { KyselyGrantStore, type GrantRecord } from '../../db/grant-store.js'
import { toJsonText } from '../../db/json-text.js'
import { scopeTokens } from './grant-access.js'
import { createGrant, inTransaction, writeGrantChange } from './grant-changes.js'
import { approvedExpiry } from './grant-expiry.js'

// a Grant waiting for its user, or (for a renewed consent) one that already gives access.
const AUTHORIZABLE_STATUSES: ReadonlySet<GrantStatus> = new Set<GrantStatus>(['needs_authorization', 'active', 'partial'])

/** The scope ids a scope string and a list of entries stand for (an entry's `type` is a scope id). */
function scopeIds(scope: string, details: readonly AuthorizationDetail[]): Set<string> {
  return new Set([...scopeTokens(scope), ...details.map((entry) => entry.type)])
}

/**
 * Whether a Grant may be authorized by a request of `client_id` for `scope` and `details`:
 * issued to that Client object, in a status that waits for (or allows renewing) a user's
 * authorization, and covering every requested scope id.
 */
function fits(grant: GrantRecord | undefined, client_id: string, scope: string, details: readonly AuthorizationDetail[]): grant is GrantRecord {
  if (grant === undefined) return false
  // CDS-WG1-02 §8.3 (R1-02-8.3-06): the Grant must be the requesting Client object's.
  if (grant.client_id !== client_id) return false
  if (!AUTHORIZABLE_STATUSES.has(grant.status)) return false
  // the request asks for nothing beyond what the Grant lists.
  const allowed = scopeIds(grant.scope, grant.authorization_details)
  return [...scopeIds(scope, details)].every((id) => allowed.has(id))
}

/**
 * Stores the customer's selections of an approval with its Grant: private to the server,
 * never part of the Grant object.
 */
async function storeSelections(db: Kysely<Database>, grant_id: string, selections: readonly GrantSelection[]): Promise<void> {
  await db.updateTable('grants').set({ selections: toJsonText([...selections]) }).where('grant_id', '=', grant_id).execute()
}

/**
 * A parent waiting in `needs_sub_grants` gives access once every one of its sub-Grants is active
 * (CDS-WG3-01 §6.1.10, §4.11 R3-01-4.11-19): its status becomes `active` and it enables what it
 * grants.
 */
async function activateParent(trx: Kysely<Database>, clock: Clock, config: ServerConfig, parent_id: string): Promise<void> {
  const parent = await new KyselyGrantStore(trx).find(parent_id)
  if (parent?.status !== 'needs_sub_grants') return
  const children = await trx.selectFrom('grants').select('status').where('parent', '=', parent_id).execute()
  if (children.length === 0 || children.some((child) => child.status !== 'active')) return
  await writeGrantChange(
    trx,
    clock,
    config.base_url,
    parent,
    { status: 'active', enabled_scope: parent.scope, enabled_authorization_details: parent.authorization_details, eta: null },
    { name: 'Grant active', description: 'Every sub-Grant of this Grant is now authorized, so it gives access.' },
  )
}

/**
 * The server's {@link AuthorizationGrants}: `isGrantIdValid` and `recordApproval` that
 * creates an `active` Grant for the customer, or updates the Grant named by `cds_grant_id`, with
 * the customer's selections. Pass a transaction as `db` to record the Grant together with
 * what else the approval writes (the code, the receipt).
 *
 * @example
 * ```ts
 * await app.register(authorizePlugin, { store, clock, config, customerAuthorization, authorizationGrants: serverAuthorizationGrants(db, clock, config) })
 * ```
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export function serverAuthorizationGrants(db: Kysely<Database>, clock: Clock, config: ServerConfig): AuthorizationGrants {
  return {
    async isGrantIdValid(cds_grant_id, request) {
      // CDS-WG1-02 §8.3 (R1-02-8.3-06), A-34: checked before the customer logs in.
      const grant = await new KyselyGrantStore(db).find(cds_grant_id)
      return fits(grant, request.client.client_id, request.scope, request.authorization_details)
    },

    async recordApproval(approval: GrantApproval) {
      const approved = {
        scope: approval.scope,
        // the entries as approved, relative dates resolved as in the authorization code.
        authorization_details: approval.authorization_details,
      }
      // CDS-WG3-01 §7.3.8 (R3-01-7.3.8-02): an approved `expires` is the Grant's end (A-24: not_after too).
      const ends = approvedExpiry(approval.authorization_details)
      if (approval.cds_grant_id === undefined) {
        return inTransaction(db, async (trx) => {
          // CDS-WG1-02 §8 (R1-02-8-01): a user's approval becomes a Grant the Client can list at once.
          const grant = await createGrant(trx, clock, {
            client_id: approval.client_id,
            ...approved,
            status: 'active',
            customer_id: approval.customer_id,
            ...(ends === null ? {} : { expires: ends, not_after: ends }),
            changelog: { base_url: config.base_url, name: 'Grant authorized', description: `A customer authorized scope "${approval.scope}".` },
          })
          // what the customer selected on the form, for the data APIs.
          if (approval.selections.length > 0) await storeSelections(trx, grant.grant_id, approval.selections)
          return grant.grant_id
        })
      }
      const cds_grant_id = approval.cds_grant_id
      return inTransaction(db, async (trx) => {
        const before = await new KyselyGrantStore(trx).find(cds_grant_id)
        // CDS-WG1-02 §8.3: checked again after the customer logged in; the Grant may have changed meanwhile.
        if (!fits(before, approval.client_id, approval.scope, approval.authorization_details)) {
          throw new CdsGrantIdInvalidValue('cds_grant_id does not name a Grant this request may authorize')
        }
        // CDS-WG1-02 §8.3 (R1-02-8.3-10): a Grant another customer authorized is not this customer's to change.
        if (before.customer_id !== null && before.customer_id !== approval.customer_id) {
          throw new CdsGrantIdInvalidUser('the Grant named by cds_grant_id belongs to another customer')
        }
        // CDS-WG1-02 §8.3 (R1-02-8.3-11, -12): the Grant reflects the approval now, not at the token request.
        await writeGrantChange(
          trx,
          clock,
          config.base_url,
          before,
          {
            ...approved,
            status: 'active',
            enabled_scope: approved.scope,
            enabled_authorization_details: approved.authorization_details,
            eta: null,
            customer_id: approval.customer_id,
            expires: ends,
            not_after: ends,
          },
          { name: 'Grant authorized', description: `A customer authorized the Grant (was ${before.status}) for scope "${approval.scope}".` },
        )
        // the new approval's selections replace the earlier ones.
        await storeSelections(trx, before.grant_id, approval.selections)
        if (before.parent !== null) await activateParent(trx, clock, config, before.parent)
        return before.grant_id
      })
    },
  }
}
