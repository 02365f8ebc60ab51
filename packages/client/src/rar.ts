/**
 * Rich Authorization Requests (RFC 9396) as CDS uses them: each `authorization_details` entry
 * has the `type` of a Scope Description `id` and carries that scope's Authorization Details
 * Fields (CDS-WG1-02 §3.8; CDS-WG3-01 §7). The SDK sends entries as JSON with exact decimals,
 * and keys its token cache by a canonical form of them.
 *
 * @module
 */
import type { AuthorizationDetail } from '@cds-ts/schema'
import { Decimal, jsonBody } from './decimal.js'

/**
 * One `authorization_details` entry: the RFC 9396 §2 common members plus the Authorization
 * Details Fields of its scope, such as `account_numbers` or `include_usage_segments`.
 *
 * @example
 * ```ts
 * const entry: AuthorizationDetailsEntry = { type: 'cds_usage', authorization_form_selection_type: 'account_selection', account_numbers: ['_all'] }
 * ```
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export type AuthorizationDetailsEntry = AuthorizationDetail & { readonly [field: string]: unknown }

/**
 * The value of the `authorization_details` request parameter: a JSON array, decimals exact.
 *
 * @throws {TypeError} when an entry has no string `type` (RFC 9396 §2)
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-2 | RFC 9396 §2}
 */
export function serializeAuthorizationDetails(details: readonly AuthorizationDetailsEntry[]): string {
  for (const entry of details) {
    // RFC 9396 §2: `type` is the one member every entry has.
    if (typeof entry.type !== 'string' || entry.type === '') throw new TypeError('every authorization_details entry needs a string type (RFC 9396 §2)')
  }
  return jsonBody(details)
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof Decimal || typeof value !== 'object' || value === null) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined) sorted[key] = canonical(member)
  }
  return sorted
}

/**
 * A stable text for a list of entries: members sorted at every level, so two requests that
 * differ only in member order share a cached token. The entries' order is kept (it can matter
 * to the server).
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 */
export function authorizationDetailsKey(details: readonly AuthorizationDetailsEntry[] | undefined): string {
  return details === undefined || details.length === 0 ? '' : jsonBody(canonical(details))
}

/**
 * The single entry of a Grant Admin token request: the Grant Admin scope's `id` as `type`, with
 * the `grant_id` and `client_id` of a Grant found on the Grants API.
 *
 * @example
 * ```ts
 * const token = await cds.accessToken({ scope: 'cds_grant_admin_1', authorization_details: [grantAdminDetails('cds_grant_admin_1', grant)] })
 * ```
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export function grantAdminDetails(scopeId: string, grant: { readonly grant_id: string; readonly client_id: string }): AuthorizationDetailsEntry {
  return { type: scopeId, grant_id: grant.grant_id, client_id: grant.client_id }
}
