/**
 * Who may read which Server-Provided Files (CDS-WG1-02 §9, A-26). Every endpoint of the API takes
 * a Grant Admin access token (§3.3.2) issued for one Grant; the files that token reaches are the
 * `file_id`s of that Grant's enabled authorization details, read again on every request so a
 * Grant that loses access takes its tokens' file access with it.
 *
 * @see CDS-WG1-02 §9 Server-Provided Files API
 * @module
 */
import { InsufficientScope, InvalidToken, type Clock } from '@cds-ts/auth'
import type { AuthorizationDetail, ScopeDescription } from '@cds-ts/schema'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import type { RequiredScope } from '../../shared/bearer-auth.js'
import { NO_ACCESS_STATUSES, scopeTokens } from '../grants/grant-access.js'

/** The Scope Description `type` of the Grant Admin scopes (§3.3.2). */
export const GRANT_ADMIN_TYPE = 'cds_grant_admin'
/** The Scope Description `type` of the Server-Provided Files scopes (§3.3.3). */
export const SERVER_PROVIDED_FILES_TYPE = 'cds_server_provided_files'

/** The files one request may reach. */
export interface FilesAccess {
  /** The Grant the Grant Admin token was issued for. */
  grant_id: string
  /** The `file_id`s the Grant shares (possibly none). */
  file_ids: ReadonlySet<string>
}

/**
 * The ids of the configured scopes whose Scope Description has the given `type`. Several files
 * scopes and several Grant Admin scopes may exist (R1-02-3.3.3-09), so the API works by type.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export function scopeIdsOfType(config: ServerConfig, type: string): Set<string> {
  const ids = new Set<string>()
  for (const [id, description] of Object.entries<ScopeDescription>(config.oauth.scope_descriptions)) {
    if (description.type === type) ids.add(id)
  }
  return ids
}

/**
 * The bearer requirement of every files endpoint: a token with any Grant Admin scope. The
 * spec names the scope by its `type`, but a token carries scope ids, so the check looks the
 * ids up in the configured Scope Descriptions.
 *
 * @see CDS-WG1-02 §9 Server-Provided Files API
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export function grantAdminScope(config: ServerConfig): RequiredScope {
  const grantAdmin = scopeIdsOfType(config, GRANT_ADMIN_TYPE)
  // CDS-WG1-02 §9 (R1-02-9-02): only a Grant Admin token reaches this API; a Client Admin token gets 403.
  return (scopes) => scopes.some((id) => grantAdmin.has(id))
}

/** A `timestamptz` value as epoch milliseconds; `null` stays `null`. */
const instant = (value: Date | null): number | null => (value === null ? null : value.getTime())

/**
 * The files the request's Grant Admin token reaches. Call it on a route protected by
 * {@link grantAdminScope}.
 *
 * 1. The token names its Grant (`grant_id`); a Grant that is gone leaves the token dead (401).
 * 2. The Grant must still give access: not in a §8.2 no-access status, and inside its
 *    `not_before`/`not_after` window; otherwise the token no longer works (401, A-25).
 * 3. The Grant's enabled scopes must include a files scope reached through this token's Grant
 *    Admin scope; a Grant Admin token for any other Grant is refused with 403.
 * 4. The files are the `file_id`s of the enabled authorization details of those files scopes.
 *
 * @throws {InvalidToken} when the token's Grant is gone or no longer gives access
 * @throws {InsufficientScope} when the Grant is not a Server-Provided Files Grant
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 * @see CDS-WG1-02 §9.3 Retrieving Individual Server-Provided Files
 */
export async function filesAccess(request: FastifyRequest, db: Kysely<Database>, config: ServerConfig, clock: Clock): Promise<FilesAccess> {
  const token = request.accessToken
  if (token === null) throw new TypeError('filesAccess needs a route protected by the bearer plugin')
  const notFilesGrant = () => new InsufficientScope('this access token is not for a Server-Provided Files Grant')
  const grant_id = token.grant_id ?? null
  // CDS-WG1-02 §3.3.2: a Grant Admin token always names one Grant; without one it reaches no files.
  if (grant_id === null) throw notFilesGrant()
  const grant = await db
    .selectFrom('grants')
    .select(['grant_id', 'status', 'not_before', 'not_after', 'enabled_scope', 'enabled_authorization_details'])
    .where('grant_id', '=', grant_id)
    .executeTakeFirst()
  if (grant === undefined) throw new InvalidToken('the Grant of this access token no longer exists')
  const now = clock.now().getTime()
  const notBefore = instant(grant.not_before)
  const notAfter = instant(grant.not_after)
  // CDS-WG1-02 §8.2 (R1-02-8.2-04), A-25: once the Grant gives no access, its Grant Admin tokens stop working.
  if (NO_ACCESS_STATUSES.has(grant.status) || (notBefore !== null && notBefore > now) || (notAfter !== null && notAfter <= now)) {
    throw new InvalidToken('the Grant of this access token no longer gives access')
  }

  // CDS-WG1-02 §9: the Grant's enabled scope must be a files scope, administered by one of
  // the Grant Admin scopes of this token.
  const tokenScopes = new Set(scopeTokens(token.scope))
  const scopes = config.oauth.scope_descriptions as Record<string, ScopeDescription | undefined>
  const details: AuthorizationDetail[] = fromJsonText(grant.enabled_authorization_details)
  const enabled = new Set([...scopeTokens(grant.enabled_scope), ...details.map((entry) => entry.type)])
  const filesScopes = new Set(
    [...enabled].filter((id) => {
      const description = scopes[id]
      return description?.type === SERVER_PROVIDED_FILES_TYPE && description.grant_admin_scope !== null && tokenScopes.has(description.grant_admin_scope)
    }),
  )
  if (filesScopes.size === 0) throw notFilesGrant()

  // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-01, -07), §9.2 (R1-02-9.2-03): the shared files are the
  // `file_id`s of the enabled entries of a files scope.
  const file_ids = new Set<string>()
  for (const entry of details) {
    const file_id: unknown = (entry as Record<string, unknown>).file_id
    if (filesScopes.has(entry.type) && typeof file_id === 'string') file_ids.add(file_id)
  }
  return { grant_id, file_ids }
}
