/**
 * Sharing Server-Provided Files with a Client (CDS-WG1-02 §3.3.3): the server creates an `active`
 * Grant of a files scope for the registration's files Client object, with one authorization
 * details entry per shared file, and tells the Client with a notification Message about the Grant.
 * The operator API calls this; the Client then finds the Grant on the Grants API and reaches the
 * files with a Grant Admin token (§3.3.2, §9).
 *
 * @module
 */
import { InvalidRequest, NotFound, type Clock } from '@cds-ts/auth'
import type { ScopeDescription, ServerProvidedFilesAuthorizationDetail } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { fileRecord, type FileRecord } from '../../db/file-store.js'
import type { GrantRecord } from '../../db/grant-store.js'
import { scopeTokens } from '../grants/grant-access.js'
import { createGrant, inTransaction } from '../grants/grant-changes.js'
import { scopeIdsOfType, SERVER_PROVIDED_FILES_TYPE } from './files-access.js'

/**
 * Whom to share which files with. Name the files Client object by `client_id`, or name the
 * registration and let the server find its files Client object.
 *
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 */
export interface ShareFileInput {
  /** The files Client object (its `scope` holds a `cds_server_provided_files` scope). */
  client_id?: string
  /** The registration whose files Client object receives the Grant (when `client_id` is absent). */
  registration_id?: string
  /** The files to share; at least one, each stored on the server. */
  file_ids: readonly string[]
  /** The files scope id, needed only when the Client object has several (R1-02-3.3.3-09). */
  scope?: string
  /** Subject of the notification Message; default `Files shared`. */
  name?: string
  /** Text of the notification Message; default names the files. */
  description?: string
}

/** The Grant made, and the files it shares. */
export interface SharedFiles {
  grant: GrantRecord
  files: FileRecord[]
}

/** The files scope ids in a Client object's scope, narrowed to `wanted` when given. */
function filesScopesOf(scope: string, filesScopes: ReadonlySet<string>, wanted: string | undefined): string[] {
  return scopeTokens(scope).filter((id) => filesScopes.has(id) && (wanted === undefined || id === wanted))
}

/**
 * Creates an `active` Server-Provided Files Grant for the files Client object, sharing the given
 * files, together with a `notification` Message (`related_type: grant`) to its registration, in
 * one transaction.
 *
 * @throws {NotFound} for an unknown Client object, registration or file
 * @throws {InvalidRequest} when no file is named, when the Client object has no files scope (or
 *   several and `scope` does not pick one), or when `scope` is not a files scope
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 * @see CDS-WG1-02 §6 Messages API
 */
export async function shareFile(db: Kysely<Database>, clock: Clock, config: ServerConfig, input: ShareFileInput): Promise<SharedFiles> {
  const file_ids = [...new Set(input.file_ids)]
  if (file_ids.length === 0) throw new InvalidRequest('name at least one file_id to share')
  const filesScopes = scopeIdsOfType(config, SERVER_PROVIDED_FILES_TYPE)
  if (input.scope !== undefined && !filesScopes.has(input.scope)) {
    throw new InvalidRequest(`scope ${input.scope} is not a Server-Provided Files scope of this server`)
  }
  if (input.client_id === undefined && input.registration_id === undefined) throw new InvalidRequest('name the client_id or the registration_id to share with')

  return inTransaction(db, async (trx) => {
    const rows = await trx.selectFrom('server_provided_files').selectAll().where('file_id', 'in', file_ids).execute()
    const files = rows.map(fileRecord)
    const missing = file_ids.filter((id) => !files.some((file) => file.file_id === id))
    if (missing.length > 0) throw new NotFound(`no Server-Provided File ${missing.join(', ')}`)

    let clients = trx.selectFrom('clients').select(['client_id', 'scope'])
    clients = input.client_id !== undefined ? clients.where('client_id', '=', input.client_id) : clients.where('registration_id', '=', input.registration_id ?? '')
    if (input.client_id !== undefined && input.registration_id !== undefined) clients = clients.where('registration_id', '=', input.registration_id)
    const candidates = await clients.orderBy('client_id').execute()
    if (candidates.length === 0) {
      throw new NotFound(input.client_id !== undefined ? `no Client object ${input.client_id}` : `no registration ${input.registration_id ?? ''}`)
    }
    // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-01): the Grant goes to a Client object registered for a files scope.
    const targets = candidates.flatMap((client) => filesScopesOf(client.scope, filesScopes, input.scope).map((scope) => ({ client_id: client.client_id, scope })))
    const [target] = targets
    if (target === undefined) throw new InvalidRequest('the Client object has no Server-Provided Files scope' + (input.scope === undefined ? '' : ` ${input.scope}`))
    if (targets.length > 1) throw new InvalidRequest('several Server-Provided Files scopes or Client objects match; name the client_id and the scope')

    // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-01, -07): one entry per file, typed by the files scope id,
    // which stands for that scope in the Grant's `scope` string.
    const authorization_details: ServerProvidedFilesAuthorizationDetail[] = file_ids.map((file_id) => ({ type: target.scope, file_id }))
    const scopeName = (config.oauth.scope_descriptions as Record<string, ScopeDescription | undefined>)[target.scope]?.name ?? target.scope
    const grant = await createGrant(trx, clock, {
      client_id: target.client_id,
      scope: target.scope,
      authorization_details,
      status: 'active',
      // CDS-WG1-02 §6 (R1-02-6-01): the Client learns of the shared files from a notification about the Grant.
      changelog: {
        base_url: config.base_url,
        name: input.name ?? 'Files shared',
        description:
          input.description ??
          `The Server shared ${files.length === 1 ? 'a file' : `${files.length} files`} through ${scopeName}: ` +
            `${files.map((file) => file.name).join(', ')}. Use the Grant with your Grant Admin scope to download ${files.length === 1 ? 'it' : 'them'}.`,
      },
    })
    return { grant, files: file_ids.map((id) => files.find((file) => file.file_id === id) as FileRecord) }
  })
}
