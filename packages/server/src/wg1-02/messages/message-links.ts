/**
 * The links a Client puts in a new Message (CDS-WG1-02 §6.9): `previous_uri`, which must be a
 * Message of its own registration, and `related_uri`, whose kind the Server works out.
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import type { MessageRelatedType } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import { endpointUrl, resourceIdFromUrl, type ResourceApi } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import type { KyselyMessageStore, MessageRecord } from '../../db/message-store.js'

/** The related types of each API with objects: one object, and its listing (CDS-WG1-02 §6.4). */
const API_RELATED_TYPES: readonly [ResourceApi, MessageRelatedType, MessageRelatedType][] = [
  ['clients_api', 'client', 'client_list'],
  ['grants_api', 'grant', 'grant_list'],
  ['messages_api', 'message', 'message_list'],
  ['credentials_api', 'credential', 'credential_list'],
]

/** Every related type that names a resource of this server's APIs. */
const API_TYPES: ReadonlySet<MessageRelatedType> = new Set(API_RELATED_TYPES.flatMap(([, one, list]) => [one, list]))

/**
 * What a URL on this server's APIs is (CDS-WG1-02 §6.4): one Client object, Grant, Message or
 * Credential, or one of their listings (with or without a query); `undefined` for any other URL.
 *
 * @see CDS-WG1-02 §6.4 Message Related Types
 */
export function apiRelatedType(baseUrl: string, url: string): MessageRelatedType | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  for (const [api, one, list] of API_RELATED_TYPES) {
    if (resourceIdFromUrl(baseUrl, api, url) !== undefined) return one
    if (`${parsed.origin}${parsed.pathname}` === endpointUrl(baseUrl, api)) return list
  }
  return undefined
}

/**
 * The `related_type` of a link a Client sent with a `private_message`, `support_request` or
 * `client_submission`: the kind of API resource it names, or `more_info` for any other page.
 * A `related_type` the Client sent is kept when it fits the URL.
 *
 * @throws {InvalidRequest} when the Client's `related_type` contradicts the URL
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export function relatedTypeOf(baseUrl: string, url: string, claimed: MessageRelatedType | undefined): MessageRelatedType {
  const actual = apiRelatedType(baseUrl, url)
  if (claimed === undefined) return actual ?? 'more_info'
  // a Client's own related_type is accepted only when consistent with the link.
  const fits = actual === undefined ? !API_TYPES.has(claimed) : claimed === actual
  if (!fits) throw new InvalidRequest(`the body parameter 'related_type' ${claimed} does not describe the related_uri`)
  return claimed
}

/**
 * The Message a new Message answers, from its `previous_uri`.
 *
 * @throws {InvalidRequest} when the URL is not the `uri` of a Message of the registration (R1-02-6.9-05)
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export async function previousMessage(store: KyselyMessageStore, baseUrl: string, registration_id: string, previous_uri: string): Promise<MessageRecord> {
  const message_id = resourceIdFromUrl(baseUrl, 'messages_api', previous_uri)
  const message = message_id === undefined ? undefined : await store.find(message_id)
  // CDS-WG1-02 §6.9 (R1-02-6.9-05): only a Message of the caller's own registration can be answered.
  if (message === undefined || message.registration_id !== registration_id) {
    throw new InvalidRequest("the body parameter 'previous_uri' must be the uri of one of your Messages")
  }
  return message
}

/**
 * The facts about a Client object that a new Message is checked against.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export interface LinkedClient {
  client_id: string
  scope: string
  cds_status_options: string[]
  authorization_details_types: string[]
}

/**
 * The Client object of the caller's registration that a `related_uri` names.
 *
 * @param purpose what the link is for, named in the error
 * @throws {InvalidRequest} when the URL is not the `cds_client_uri` of a Client object of the registration
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export async function linkedClient(db: Kysely<Database>, baseUrl: string, registration_id: string, related_uri: string, purpose: string): Promise<LinkedClient> {
  const client_id = resourceIdFromUrl(baseUrl, 'clients_api', related_uri)
  const row =
    client_id === undefined
      ? undefined
      : await db
          .selectFrom('clients')
          .select(['client_id', 'scope', 'cds_status_options', 'authorization_details_types'])
          .where('client_id', '=', client_id)
          .where('registration_id', '=', registration_id)
          .executeTakeFirst()
  if (row === undefined) throw new InvalidRequest(`the body parameter 'related_uri' must be the cds_client_uri of ${purpose}`)
  return {
    client_id: row.client_id,
    scope: row.scope,
    cds_status_options: fromJsonText(row.cds_status_options),
    authorization_details_types: fromJsonText(row.authorization_details_types),
  }
}
