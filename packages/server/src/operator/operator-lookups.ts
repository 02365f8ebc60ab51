/**
 * The objects an operator action names by id, each found or refused with 404 `not_found`
 * (R1-02-X-02). Pass the transaction of the action, so what is read is what is changed.
 *
 * @module
 */
import { NotFound, type ClientRecord } from '@cds-ts/auth'
import type { Grant } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../config/config-schema.js'
import { resourceIdFromUrl } from '../config/endpoints.js'
import type { Database } from '../db/database.js'
import type { GrantRecord } from '../db/grant-store.js'
import { KyselyMessageStore, type MessageRecord } from '../db/message-store.js'
import { clientRecord } from '../db/oauth-rows.js'
import { findClient, type StoredClient } from '../wg1-02/clients/client-object.js'
import { loadGrantObjects } from '../wg1-02/grants/grant-object.js'

/**
 * Checks that a registration exists (it has at least one Client object).
 *
 * @throws {NotFound} for an unknown `registration_id`
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function requireRegistration(db: Kysely<Database>, registration_id: string): Promise<string> {
  const row = await db.selectFrom('clients').select('registration_id').where('registration_id', '=', registration_id).limit(1).executeTakeFirst()
  if (row === undefined) throw new NotFound(`no registration has the registration_id '${registration_id}'`)
  return row.registration_id
}

/**
 * Every registration id, oldest first.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function allRegistrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('clients')
    .select(({ fn }) => ['registration_id', fn.min('seq').as('first')])
    .groupBy('registration_id')
    .orderBy('first')
    .execute()
  return rows.map((row) => row.registration_id)
}

/**
 * The Message with this id.
 *
 * @throws {NotFound} for an unknown `message_id`
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export async function requireMessage(db: Kysely<Database>, message_id: string): Promise<MessageRecord> {
  const message = await new KyselyMessageStore(db).find(message_id)
  if (message === undefined) throw new NotFound(`no Message has the message_id '${message_id}'`)
  return message
}

/**
 * The Client object with this id.
 *
 * @throws {NotFound} for an unknown `client_id`
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export async function requireClient(db: Kysely<Database>, client_id: string): Promise<ClientRecord> {
  const row = await db.selectFrom('clients').selectAll().where('client_id', '=', client_id).executeTakeFirst()
  if (row === undefined) throw new NotFound(`no Client object has the client_id '${client_id}'`)
  return clientRecord(row)
}

/**
 * The Grant object of one stored Grant.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export async function grantObjectOf(db: Kysely<Database>, baseUrl: string, record: GrantRecord): Promise<Grant> {
  const [grant] = await loadGrantObjects(db, baseUrl, [record])
  if (grant === undefined) throw new TypeError(`no Grant object for ${record.grant_id}`)
  return grant
}

/**
 * The Client object a Message links in `related_uri` (a `cds_client_uri` of this server), or
 * `undefined` when the link is missing, is not a Client object URL, or names no Client object.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export async function linkedClient(db: Kysely<Database>, config: ServerConfig, message: MessageRecord): Promise<StoredClient | undefined> {
  const link = message.related_uri ?? undefined
  const client_id = link === undefined ? undefined : resourceIdFromUrl(config.base_url, 'clients_api', link)
  return client_id === undefined ? undefined : findClient(db, client_id)
}
