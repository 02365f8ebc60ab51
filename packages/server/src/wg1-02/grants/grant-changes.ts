/**
 * The server side of a Grant's life (CDS-WG1-02 §8): creating a Grant, changing its status, and
 * writing any change together with its effects on tokens and the §6 Message that mirrors it
 * (R1-02-6-01), all in one transaction. The authorization endpoint, the registration, the PATCH
 * of the Grants API and the operator all go through here.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { InvalidRequest, NotFound, toDateTime, type Clock } from '@cds-ts/auth'
import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import { resourceUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyGrantStore, type GrantChanges, type GrantRecord } from '../../db/grant-store.js'
import { writeChangelog } from '../../shared/server-messages.js'
import { enabledAccessFor, NO_ACCESS_STATUSES, syncGrantTokens, type EnabledAccess } from './grant-access.js'

/**
 * The changelog Message a Grant change writes (A-37): the server's base URL for the Grant `uri`,
 * and optionally the subject and text.
 *
 * @see CDS-WG1-02 §6 Messages API
 */
export interface GrantChangelog {
  base_url: string
  name?: string
  description?: string
}

/**
 * What the server needs to create a Grant. The status defaults to `active`; the enabled access
 * follows from the status (A-21) unless `enabled` is given for a `partial`, `needs_authorization`
 * or `needs_sub_grants` Grant. `changelog: false` writes no Message (Grants created inside the
 * registration transaction, A-37); otherwise a `notification` about the new Grant is written.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export interface NewGrant {
  client_id: string
  scope: string
  authorization_details?: AuthorizationDetail[]
  status?: GrantStatus
  parent?: string | null
  /** `grant_id`s of the Grants this one supersedes. */
  replacing?: string[]
  not_before?: string | null
  not_after?: string | null
  expires?: string | null
  eta?: string | null
  customer_id?: string | null
  receipt_confirmations?: string[]
  /** The access enabled now, for a Grant whose status limits it (R1-02-8.2-05). */
  enabled?: EnabledAccess
  /** A chosen `grant_id`; a random UUID otherwise. */
  grant_id?: string
  changelog: GrantChangelog | false
}

/** What a changed Grant's Message says. */
export interface GrantChangeNote {
  name: string
  description: string
}

/**
 * Runs `fn` in a transaction, or in the caller's when `db` already is one (on PGlite a nested
 * `transaction()` would wait forever on the single connection).
 */
export async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db)
  return db.transaction().execute(fn)
}

/** The registration whose Messages listing shows news about a Client object's Grants. */
async function registrationOf(trx: Kysely<Database>, client_id: string): Promise<string> {
  const row = await trx.selectFrom('clients').select('registration_id').where('client_id', '=', client_id).executeTakeFirst()
  if (row === undefined) throw new InvalidRequest(`client_id ${client_id} is not a known Client object`)
  return row.registration_id
}

/** Checks the dates a status needs (CDS-WG1-02 §8.1). */
function checkStatusDates(grant: Pick<GrantRecord, 'status' | 'not_before' | 'not_after'>): void {
  // CDS-WG1-02 §8.1 (R1-02-8.1-05): a future Grant says when it starts.
  if (grant.status === 'future' && grant.not_before === null) throw new InvalidRequest('a future Grant needs not_before')
  // CDS-WG1-02 §8.1 (R1-02-8.1-06): an expired Grant says when it ended.
  if (grant.status === 'expired' && grant.not_after === null) throw new InvalidRequest('an expired Grant needs not_after')
}

/**
 * Creates a Grant, in one transaction with its changelog Message unless `changelog` is `false`.
 *
 * @throws {InvalidRequest} for an unknown `client_id` or a status without the date it needs
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export async function createGrant(db: Kysely<Database>, clock: Clock, input: NewGrant): Promise<GrantRecord> {
  const now = toDateTime(clock.now())
  const status = input.status ?? 'active'
  const authorization_details = input.authorization_details ?? []
  const enabled = enabledAccessFor(status, { scope: input.scope, authorization_details }, input.enabled)
  const record: GrantRecord = {
    grant_id: input.grant_id ?? randomUUID(),
    parent: input.parent ?? null,
    // CDS-WG1-02 §8.1 (R1-02-8.1-04): a new Grant has modified == created.
    created: now,
    modified: now,
    not_before: input.not_before ?? null,
    not_after: input.not_after ?? (status === 'expired' ? now : null),
    // CDS-WG1-02 §8.1 (R1-02-8.1-07): only a pending Grant has an eta.
    eta: status === 'pending' ? (input.eta ?? null) : null,
    // A-24: expires and not_after mark the same end unless told otherwise.
    expires: input.expires !== undefined ? input.expires : (input.not_after ?? null),
    status,
    client_id: input.client_id,
    scope: input.scope,
    authorization_details,
    receipt_confirmations: input.receipt_confirmations ?? [],
    ...enabled,
    replacing: input.replacing ?? [],
    customer_id: input.customer_id ?? null,
  }
  checkStatusDates(record)
  return inTransaction(db, async (trx) => {
    const registration_id = await registrationOf(trx, record.client_id)
    await new KyselyGrantStore(trx).insert(record)
    if (input.changelog !== false) {
      // CDS-WG1-02 §6 (R1-02-6-01), A-37: a Grant added after registration is announced.
      await writeChangelog(trx, clock, {
        registration_id,
        related_type: 'grant',
        related_uri: resourceUrl(input.changelog.base_url, 'grants_api', record.grant_id),
        name: input.changelog.name ?? 'Grant created',
        description: input.changelog.description ?? `A ${status} Grant for ${record.client_id} was created with scope "${record.scope}".`,
      })
    }
    return record
  })
}

/**
 * Applies `changes` to a Grant inside `trx`: stamps `modified`, brings its tokens in line with
 * the new access (R1-02-8.2-04, -05), and writes the changelog Message (R1-02-6-01, A-37).
 *
 * @returns the Grant as stored now
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export async function writeGrantChange(
  trx: Kysely<Database>,
  clock: Clock,
  baseUrl: string,
  before: GrantRecord,
  changes: GrantChanges,
  note: GrantChangeNote,
): Promise<GrantRecord> {
  const now = clock.now()
  const after: GrantRecord = { ...before, ...changes, modified: toDateTime(now) }
  checkStatusDates(after)
  await new KyselyGrantStore(trx).update(before.grant_id, { ...changes, modified: after.modified })
  await syncGrantTokens(trx, before, after, now)
  // CDS-WG1-02 §6 (R1-02-6-01), §8.6: every change to a Grant is mirrored as a Message.
  await writeChangelog(trx, clock, {
    registration_id: await registrationOf(trx, before.client_id),
    related_type: 'grant',
    related_uri: resourceUrl(baseUrl, 'grants_api', before.grant_id),
    name: note.name,
    description: note.description,
  })
  return after
}

/** Options of {@link changeGrantStatus}. */
export interface GrantStatusOptions {
  /** For `pending`: the expected end; kept from the Grant when omitted. */
  eta?: string | null
  /** Why, added to the Message. */
  reason?: string
  /** For `future`: when access starts; kept from the Grant when omitted. */
  not_before?: string | null
  /** For `partial`, `needs_authorization`, `needs_sub_grants`: the access enabled meanwhile. */
  enabled?: EnabledAccess
}

/**
 * Moves a Grant to `status` (the operator's suspend, disable, expire, …), keeping the enabled
 * access consistent with it (§8.1, A-21), revoking its tokens when access ends (R1-02-8.2-04),
 * and writing the §6 mirror Message to the Grant's registration (R1-02-6-01), in one transaction.
 *
 * @throws {NotFound} for an unknown `grant_id`
 * @throws {InvalidRequest} when a `future` Grant has no `not_before`
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export async function changeGrantStatus(
  db: Kysely<Database>,
  clock: Clock,
  config: ServerConfig,
  grant_id: string,
  status: GrantStatus,
  options: GrantStatusOptions = {},
): Promise<GrantRecord> {
  return inTransaction(db, async (trx) => {
    const before = await new KyselyGrantStore(trx).find(grant_id)
    if (before === undefined) throw new NotFound(`no Grant ${grant_id}`)
    const now = toDateTime(clock.now())
    const changes: GrantChanges = {
      status,
      ...enabledAccessFor(status, before, options.enabled),
      // CDS-WG1-02 §8.1 (R1-02-8.1-07): eta only while pending.
      eta: status === 'pending' ? (options.eta !== undefined ? options.eta : before.eta) : null,
    }
    if (status === 'future' && options.not_before !== undefined) changes.not_before = options.not_before
    if (status === 'expired' && (before.not_after === null || before.not_after > now)) {
      // CDS-WG1-02 §8.1 (R1-02-8.1-06), A-24: an expired Grant ended now at the latest.
      changes.not_after = now
      if (before.expires === null || before.expires > now) changes.expires = now
    }
    const ended = NO_ACCESS_STATUSES.has(status) ? ' Access through this Grant has ended.' : ''
    return writeGrantChange(trx, clock, config.base_url, before, changes, {
      name: `Grant ${status}`,
      description: `The Grant's status changed from ${before.status} to ${status}.${ended}${options.reason === undefined ? '' : ` ${options.reason}`}`,
    })
  })
}
