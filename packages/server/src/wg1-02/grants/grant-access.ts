/**
 * What a Grant's `status` means for access (CDS-WG1-02 §8.1, §8.2): which statuses give none,
 * which are final, what `enabled_scope`/`enabled_authorization_details` hold in each, and what
 * happens to the tokens that reach a Grant when its enabled access shrinks.
 *
 * @module
 */
import { GRANT_STATUSES_WITHOUT_ACCESS } from '@cds-ts/auth'
import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import { Decimal, stringifyJson } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { GrantRecord } from '../../db/grant-store.js'
import { fromJsonText, toJsonText } from '../../db/json-text.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'

/**
 * CDS-WG1-02 §8.2 (R1-02-8.2-04): statuses in which the Grant gives no access at all; the one
 * list lives in `@cds-ts/auth`, which refuses tokens for such Grants.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export const NO_ACCESS_STATUSES: ReadonlySet<GrantStatus> = GRANT_STATUSES_WITHOUT_ACCESS

/**
 * statuses a Client can no longer change with a PATCH (the Grant is over).
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export const TERMINAL_STATUSES: ReadonlySet<GrantStatus> = new Set<GrantStatus>(['closed', 'revoked', 'expired', 'disabled'])

/**
 * CDS-WG1-02 §8.2 (R1-02-8.2-05): statuses whose access is limited to the enabled fields, which
 * may be narrower than the Grant's `scope`.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export const LIMITED_STATUSES: ReadonlySet<GrantStatus> = new Set<GrantStatus>(['partial', 'needs_authorization', 'needs_sub_grants'])

/**
 * The enabled access of a Grant (CDS-WG1-02 §8.1 `enabled_scope`, `enabled_authorization_details`).
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export interface EnabledAccess {
  enabled_scope: string
  enabled_authorization_details: AuthorizationDetail[]
}

/** The space-separated tokens of a scope string, without empties. */
export function scopeTokens(scope: string): string[] {
  return scope.split(' ').filter((token) => token !== '')
}

/**
 * The enabled access of a Grant that enters `status`:
 * - a status without access: nothing (A-21, R1-02-8.1-09, -10);
 * - `active`: all of `scope` and `authorization_details` (R1-02-8.1-09);
 * - `partial`, `needs_authorization`, `needs_sub_grants`: the `limited` access given, else what
 *   was enabled before (R1-02-8.2-05);
 * - any other status with access (`pending`, `delayed`, `stopped`, `errored`): what was enabled
 *   before, or all of it when the Grant comes back from a status without access.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export function enabledAccessFor(
  status: GrantStatus,
  grant: Pick<GrantRecord, 'scope' | 'authorization_details'> & Partial<Pick<GrantRecord, 'status' | 'enabled_scope' | 'enabled_authorization_details'>>,
  limited?: EnabledAccess,
): EnabledAccess {
  const full = { enabled_scope: grant.scope, enabled_authorization_details: grant.authorization_details }
  const none = { enabled_scope: '', enabled_authorization_details: [] }
  // CDS-WG1-02 §8.1, §8.2: a status without access leaves nothing enabled.
  if (NO_ACCESS_STATUSES.has(status)) return none
  if (status === 'active') return full
  const before =
    grant.status === undefined || grant.enabled_scope === undefined || grant.enabled_authorization_details === undefined
      ? undefined
      : { enabled_scope: grant.enabled_scope, enabled_authorization_details: grant.enabled_authorization_details }
  if (LIMITED_STATUSES.has(status)) return limited ?? before ?? none
  // access comes back in full when a Grant leaves a status without access.
  if (before === undefined || (grant.status !== undefined && NO_ACCESS_STATUSES.has(grant.status))) return limited ?? full
  return limited ?? before
}

/** JSON text of a value with object keys sorted, so equal entries compare equal. */
export function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted)
    if (v === null || typeof v !== 'object' || Decimal.isDecimal(v)) return v
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sorted(x)]),
    )
  }
  return stringifyJson(sorted(value))
}

/** Whether `after` enables less than `before`: a scope token or an entry of `before` is gone. */
export function narrows(before: EnabledAccess, after: EnabledAccess): boolean {
  const scope = new Set(scopeTokens(after.enabled_scope))
  if (scopeTokens(before.enabled_scope).some((token) => !scope.has(token))) return true
  const entries = new Set(after.enabled_authorization_details.map(canonicalJson))
  return before.enabled_authorization_details.some((entry) => !entries.has(canonicalJson(entry)))
}

/**
 * Brings the tokens that reach a Grant in line with its new state, inside the caller's
 * transaction:
 * - no access any more (CDS-WG1-02 §8.2, R1-02-8.2-04, R1-02-X-08): every live token of the Grant
 *   (its Client's tokens and Grant Admin tokens alike) is revoked, and its unused authorization
 *   codes are spent, so none can be exchanged later;
 * - narrower access (R1-02-8.2-05, §8.6): the Grant's own tokens keep only the scope values and
 *   entries still enabled, and a token left with nothing is revoked. Grant Admin tokens read the
 *   Grant's enabled scope when used, so they stay as they are.
 *
 * @returns how many tokens were revoked
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export async function syncGrantTokens(trx: Kysely<Database>, before: GrantRecord, after: GrantRecord, now: Date): Promise<number> {
  if (NO_ACCESS_STATUSES.has(after.status)) {
    // CDS-WG1-02 §8.2 (R1-02-8.2-04): no token may reach a Grant without access.
    const revoked = await new KyselyAuthStore(trx).tokens.revokeByGrant(after.grant_id, now)
    await trx.updateTable('authorization_codes').set({ used_at: now }).where('grant_id', '=', after.grant_id).where('used_at', 'is', null).execute()
    return revoked
  }
  if (!narrows(before, after)) return 0
  const scope = new Set(scopeTokens(after.enabled_scope))
  const enabledEntries = after.enabled_authorization_details
  const tokens = await trx
    .selectFrom('tokens')
    .select(['token_hash', 'scope', 'authorization_details'])
    .where('grant_id', '=', after.grant_id)
    .where('client_id', '=', after.client_id)
    .where('revoked_at', 'is', null)
    .execute()
  let revoked = 0
  for (const token of tokens) {
    // CDS-WG1-02 §8.2 (R1-02-8.2-05): a token keeps only what the Grant still enables.
    const entries = fromJsonText(token.authorization_details)
    const types = new Set(entries.map((entry) => entry.type))
    const keptEntries = enabledEntries.filter((entry) => types.has(entry.type))
    const keptTypes = new Set(keptEntries.map((entry) => entry.type))
    const keptScope = scopeTokens(token.scope).filter((id) => scope.has(id) || keptTypes.has(id))
    if (keptScope.length === 0 && keptEntries.length === 0) {
      await trx.updateTable('tokens').set({ revoked_at: now }).where('token_hash', '=', token.token_hash).execute()
      revoked += 1
      continue
    }
    await trx
      .updateTable('tokens')
      .set({ scope: keptScope.join(' '), authorization_details: toJsonText(keptEntries) })
      .where('token_hash', '=', token.token_hash)
      .execute()
  }
  return revoked
}
