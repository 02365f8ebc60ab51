/**
 * `POST /operator/credentials/{credential_id}/expire`: the operator expires a Credential whose
 * secret is known to be leaked (CDS-WG1-02 §7.6, R1-02-7.6-09): `client_secret_expires_at` becomes
 * now, the secret stops working at the token endpoint, every token obtained with it is revoked
 * (R1-02-7.6-06) and the Client reads about it in its changelog (§7.3, R1-02-7.3-09), all in one
 * transaction. The secret itself never changes (§7.6).
 *
 * @module
 */
import { expireCredential, NotFound, nowSeconds } from '@cds-ts/auth'
import { Credential } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import Type from 'typebox'
import type { Database } from '../db/database.js'
import { KyselyAuthStore } from '../db/oauth-store.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { errorResponses, ref } from '../shared/schemas.js'
import { writeChangelog } from '../shared/server-messages.js'
import { credentialObject, selectCredentials, type CredentialRow } from '../wg1-02/credentials/credential-object.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { emptyBodyAsObject } from './operator-schemas.js'

const Params = Type.Object({ credential_id: Type.String({ description: 'The `credential_id` of the Credential to expire.' }) })
const Body = Type.Object(
  { reason: Type.Optional(Type.String({ description: 'Why; added to the changelog Message.' })) },
  { additionalProperties: false },
)
const Expired = Type.Object({ registration_id: Type.String({ description: 'The registration of the Credential.' }), credential: ref(Credential) })

/** A Credential of any registration with its Client object's columns and registration. */
async function findCredential(db: Kysely<Database>, credential_id: string): Promise<CredentialRow & { registration_id: string }> {
  const row = await selectCredentials(db).select('clients.registration_id').where('credentials.credential_id', '=', credential_id).executeTakeFirst()
  if (row === undefined) throw new NotFound(`no Credential has the credential_id '${credential_id}'`)
  return row
}

/**
 * Registers `POST /operator/credentials/{credential_id}/expire`.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export const expireCredentialPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/credentials/:credential_id/expire',
    {
      // The body is optional: none reads as {}.
      preValidation: emptyBodyAsObject,
      // RFC 6749 §5.1 (R1-02-X-06): the Credential object carries its secret.
      config: { noStore: true },
      schema: {
        operationId: 'operatorExpireCredential',
        tags: [OPERATOR_TAG],
        summary: 'Expiring a leaked Credential',
        description:
          'Sets `client_secret_expires_at` to now, revokes the tokens obtained with the secret and writes a changelog Message (CDS-WG1-02 §7.6, R1-02-7.6-09).',
        security: OPERATOR_SECURITY,
        params: Params,
        body: Body,
        response: { 200: Expired, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { credential_id } = request.params
      return db.transaction().execute(async (trx) => {
        const current = await findCredential(trx, credential_id)
        const now = nowSeconds(clock)
        const expired = current.client_secret_expires_at !== 0 && current.client_secret_expires_at <= now
        if (!expired) {
          // CDS-WG1-02 §7.6 (R1-02-7.6-09, -06): a leaked secret expires now, and what it obtained is revoked with it.
          await expireCredential({ store: new KyselyAuthStore(trx), clock }, credential_id, now)
          // CDS-WG1-02 §7.3 (R1-02-7.3-09), §6 (R1-02-6-01): the Client learns of it through its Messages.
          await writeChangelog(trx, clock, {
            registration_id: current.registration_id,
            related_type: 'credential',
            related_uri: credentialObject(config, current).uri,
            name: 'Credential expired',
            description:
              `The server expired the Credential ${credential_id} of the Client object ${current.client_id} because its secret is compromised; ` +
              `tokens obtained with it were revoked. Create a new Credential to continue.${request.body.reason === undefined ? '' : ` ${request.body.reason}`}`,
          })
        }
        return { registration_id: current.registration_id, credential: credentialObject(config, await findCredential(trx, credential_id)) }
      })
    },
  )
}
