/**
 * `POST /operator/messages/{message_id}/approve-production`: the operator approves a
 * `production_request` (CDS-WG1-02 §6.9). In one transaction the server
 *
 * 1. checks the request (a pending `production_request` whose `related_uri` is a sandbox Client
 *    object of the same registration, R1-02-6.9-14);
 * 2. creates a **new** Client object equal to the sandbox one except for its id, its times and its
 *    status: `production`, with `cds_status_options` `['production', 'disabled']` (§5.1, §5.2);
 * 3. issues its Credential, and its client-credentials Grant when it uses that grant type;
 * 4. writes the changelog Messages of the new Client object and Credential (§5.3, §7.3, A-37);
 * 5. replies with a `request_update` `complete` linking the new `cds_client_uri` (`related_type`
 *    `client`), and mirrors status and link onto the request (R1-02-6.9-17, R1-02-6.3-03, A-09).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { Conflict, InvalidRequest, toDateTime, toEpochSeconds, type ClientRecord } from '@cds-ts/auth'
import { type Credential, type Grant } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import Type from 'typebox'
import type { ServerConfig } from '../config/config-schema.js'
import type { Database } from '../db/database.js'
import { toJsonText } from '../db/json-text.js'
import type { MessageRecord } from '../db/message-store.js'
import { KyselyAuthStore } from '../db/oauth-store.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { writeChangelog } from '../shared/server-messages.js'
import { clientObject, type StoredClient } from '../wg1-02/clients/client-object.js'
import { issueCredential } from '../wg1-02/credentials/issue-credential.js'
import { createGrant } from '../wg1-02/grants/grant-changes.js'
import { loadGrantObjects } from '../wg1-02/grants/grant-object.js'
import { messageObject } from '../wg1-02/messages/message-object.js'
import { replyWithRequestUpdate } from '../wg1-02/messages/request-updates.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { linkedClient, requireMessage } from './operator-lookups.js'
import { emptyBodyAsObject, OperatorApproveRequest, OperatorProductionApproval } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

/**
 * The `message_id` path parameter of the actions on one Message.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export const MessageParams = Type.Object({ message_id: Type.String({ description: 'The `message_id` of the Message acted on.' }) })

/**
 * Checks that a Message is a request of `type` still waiting for a decision.
 *
 * @throws {InvalidRequest} when the Message is of another type
 * @throws {Conflict} when it has been decided already
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export function requireUndecided(message: MessageRecord, type: MessageRecord['type']): void {
  if (message.type !== type) throw new InvalidRequest(`the Message ${message.message_id} is a ${message.type}, not a ${type}`)
  // a decided request carries its outcome as its status; deciding twice would duplicate it.
  if (message.status !== 'pending' && message.status !== 'open') throw new Conflict(`the ${type} ${message.message_id} is ${message.status} already`)
}

/**
 * The sandbox Client object a `production_request` names in `related_uri`.
 *
 * @throws {InvalidRequest} when the link is missing, is not a Client object of the request's
 *   registration, or names an object without `sandbox` in its `cds_status_options`
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
async function sandboxClient(trx: Kysely<Database>, config: ServerConfig, request: MessageRecord): Promise<StoredClient> {
  const client = await linkedClient(trx, config, request)
  // CDS-WG1-02 §6.1, §6.9 (R1-02-6.9-14; A-58): the request names a sandbox Client object of its registration.
  if (client === undefined || client.registration_id !== request.registration_id) {
    throw new InvalidRequest(`the related_uri of the production_request is not a Client object of its registration`)
  }
  if (!client.cds_status_options.includes('sandbox')) throw new InvalidRequest(`the Client object ${client.client_id} is not a sandbox Client object`)
  return client
}

/**
 * The production twin of a sandbox Client object: a new `client_id` and times, `cds_status`
 * `production` and `cds_status_options` `['production', 'disabled']`; every other field copied.
 *
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 */
export function productionTwin(sandbox: StoredClient, now: Date): ClientRecord {
  const { disabled_at: _disabled, scope_overrides: _overrides, ...fields } = sandbox
  return {
    ...fields,
    client_id: randomUUID(),
    client_id_issued_at: toEpochSeconds(now),
    cds_created: toDateTime(now),
    cds_modified: toDateTime(now),
    // CDS-WG1-02 §5.1 (R1-02-5.1-12), §5.2: production use, and the Client may disable it.
    cds_status: 'production',
    cds_status_options: ['production', 'disabled'],
  }
}

/**
 * Registers `POST /operator/messages/{message_id}/approve-production`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export const approveProductionRequestPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/messages/:message_id/approve-production',
    {
      // The body is optional: none reads as {}.
      preValidation: emptyBodyAsObject,
      config: { noStore: true },
      schema: {
        operationId: 'operatorApproveProductionRequest',
        tags: [OPERATOR_TAG],
        summary: 'Approving a production request',
        description:
          'Creates the production Client object equivalent to the sandbox one of a pending `production_request`, its Credential and Grant, ' +
          'and replies with a `request_update` `complete` linking it (CDS-WG1-02 §6.9, §6.3).',
        security: OPERATOR_SECURITY,
        params: MessageParams,
        body: OperatorApproveRequest,
        response: { 201: OperatorProductionApproval, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await db.transaction().execute(async (trx) => {
        const production = await requireMessage(trx, request.params.message_id)
        requireUndecided(production, 'production_request')
        const sandbox = await sandboxClient(trx, config, production)
        const now = clock.now()
        const twin = productionTwin(sandbox, now)
        await new KyselyAuthStore(trx).clients.insert(twin)
        if (sandbox.scope_overrides !== null) {
          // CDS-WG1-02 §5.1 (R1-02-5.1-14): the equivalent object keeps the narrowed Scope Descriptions.
          await trx.updateTable('clients').set({ scope_overrides: toJsonText(sandbox.scope_overrides) }).where('client_id', '=', twin.client_id).execute()
        }
        const client = clientObject(config, { ...twin, scope_overrides: sandbox.scope_overrides })
        const registration_id = production.registration_id
        // CDS-WG1-02 §5.3 (R1-02-5.3-07; A-37): the new Client object enters the changelog.
        await writeChangelog(trx, clock, {
          registration_id,
          related_type: 'client',
          related_uri: client.cds_client_uri,
          name: 'Client object added',
          description: `The production Client object ${twin.client_id} was created, equivalent to the sandbox Client object ${sandbox.client_id}.`,
        })
        let credential: Credential | null = null
        if (twin.token_endpoint_auth_method !== null) {
          // CDS-WG1-02 §6.9 (R1-02-6.9-17): approval means the Client object and its Credentials exist.
          credential = (await issueCredential(trx, clock, config, twin.client_id)).credential
          // CDS-WG1-02 §7.3 (R1-02-7.3-09; A-37): so does the new Credential.
          await writeChangelog(trx, clock, {
            registration_id,
            related_type: 'credential',
            related_uri: credential.uri,
            name: 'Credential added',
            description: `A Credential was created for the production Client object ${twin.client_id}.`,
          })
        }
        const grants: Grant[] = []
        if (twin.grant_types.includes('client_credentials')) {
          // one active Grant per client-credentials Client object; createGrant announces it.
          const grant = await createGrant(trx, clock, { client_id: twin.client_id, scope: twin.scope, changelog: { base_url: config.base_url } })
          grants.push(...(await loadGrantObjects(trx, config.base_url, [grant])))
        }
        // CDS-WG1-02 §6.9 (R1-02-6.9-17), §6.3 (R1-02-6.3-03); A-09 mirrors it onto the request.
        const decided = await replyWithRequestUpdate(trx, clock, config, production.message_id, 'complete', {
          name: 'Production request approved',
          description: request.body.description ?? `Approved: the production Client object ${twin.client_id} is ready, with its Credential.`,
          related_uri: client.cds_client_uri,
          related_type: 'client',
        })
        return {
          registration_id,
          request_update: messageObject(config.base_url, decided.request_update),
          request: messageObject(config.base_url, decided.original),
          client,
          credential,
          grants,
        }
      })
      return reply.code(201).send(result)
    },
  )
}
