/**
 * What approving a `field_changes` Message does (CDS-WG1-02 §5.5, §6.2): the Client object changes
 * the Clients API held for review are written, as the Client asked for them, with the changelog
 * Message of the modification (§5.3). The Clients API planned and checked the values when it held
 * them (`plan-client-update.ts`); here each change is applied only if its field still has the
 * value the review started from, so an approval never overwrites a later change.
 *
 * @module
 */
import { Conflict, InvalidRequest, toDateTime, type Clock, type ClientRecord } from '@cds-ts/auth'
import type { ClientStatus } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../config/config-schema.js'
import { resourceUrl } from '../config/endpoints.js'
import type { Database } from '../db/database.js'
import type { MessageRecord } from '../db/message-store.js'
import { KyselyAuthStore } from '../db/oauth-store.js'
import { writeChangelog } from '../shared/server-messages.js'
import { followClientScope } from '../wg1-02/grants/client-scope-grant.js'
import { MUTABLE_CLIENT_FIELDS, sameJson, scopeTokens, type MutableClientField } from '../wg1-02/clients/client-fields.js'
import { changeClientStatus } from '../wg1-02/clients/client-status.js'
import { linkedClient } from './operator-lookups.js'

/**
 * The Client object a `field_changes` Message is about, and the fields it changed.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export interface AppliedFieldChanges {
  client_id: string
  /** The `cds_client_uri` of the object. */
  client_uri: string
  fields: MutableClientField[]
}

function isMutableField(field: string): field is MutableClientField {
  return (MUTABLE_CLIENT_FIELDS as readonly string[]).includes(field)
}

/**
 * Writes the held Client object changes of a `field_changes` Message, with `cds_modified`, the
 * status side effects of A-16 when `cds_status` was held, and a changelog Message, inside `trx`.
 *
 * @throws {InvalidRequest} when the Message does not link a Client object of its registration, or
 *   names a field the Clients API does not hold for review
 * @throws {Conflict} when a field no longer has the value the review started from
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see CDS-WG1-02 §6.5 Client Update Request Object Format
 */
export async function applyFieldChanges(trx: Kysely<Database>, clock: Clock, config: ServerConfig, message: MessageRecord): Promise<AppliedFieldChanges> {
  const client = await linkedClient(trx, config, message)
  // CDS-WG1-02 §6.1: a field_changes Message links the object whose fields it holds.
  if (client === undefined || client.registration_id !== message.registration_id) {
    throw new InvalidRequest('the field_changes Message does not link a Client object of its registration')
  }
  const changes: Partial<ClientRecord> = {}
  const fields: MutableClientField[] = []
  let status: ClientStatus | undefined
  for (const update of message.updates_requested ?? []) {
    const { field } = update
    if (!isMutableField(field)) throw new InvalidRequest(`the field_changes Message holds ${field}, which is not a field a Client may change`)
    // CDS-WG1-02 §6.5 (R1-02-6.5-05): previous_value is what the object had when the change was held.
    if (!sameJson(client[field] ?? null, update.previous_value ?? null)) {
      throw new Conflict(`${field} of the Client object ${client.client_id} changed after the review started; reject this request instead`)
    }
    fields.push(field)
    if (field === 'cds_status') {
      status = update.new_value as ClientStatus
      continue
    }
    // A null new value clears an optional field (the Client left it out, CDS-WG1-02 §5.5).
    ;(changes as Record<string, unknown>)[field] = update.new_value ?? undefined
    if (field === 'scope') {
      // The types a Client object may request follow its scopes (CDS-WG1-02 §5.1, RFC 9396 §10).
      const descriptions = config.oauth.scope_descriptions
      changes.authorization_details_types = [...new Set(scopeTokens(update.new_value as string).flatMap((id) => descriptions[id]?.authorization_details_types_supported ?? []))]
    }
  }
  const client_uri = resourceUrl(config.base_url, 'clients_api', client.client_id)
  if (fields.length === 0) return { client_id: client.client_id, client_uri, fields }
  // CDS-WG1-02 §5.1 (R1-02-5.1-07): cds_modified moves with the change.
  await new KyselyAuthStore(trx).clients.update(client.client_id, { ...changes, cds_modified: toDateTime(clock.now()) })
  // a client-credentials object's Grant follows its scope.
  if (changes.scope !== undefined) await followClientScope(trx, clock, config, client, client.scope, changes.scope)
  // a held status change brings its side effects (revocations, the disable time).
  if (status !== undefined) await changeClientStatus(trx, clock, client.client_id, status)
  // CDS-WG1-02 §5.3 (R1-02-5.3-07): the approved modification enters the changelog.
  await writeChangelog(trx, clock, {
    registration_id: client.registration_id,
    related_type: 'client',
    related_uri: client_uri,
    name: 'Client object modified',
    description: `The reviewed changes to ${fields.join(', ')} of the Client object ${client.client_id} were approved and applied.`,
  })
  return { client_id: client.client_id, client_uri, fields }
}
