/**
 * `PATCH /api/credentials/{credential_id}`: a Client shortens the life of a secret (CDS-WG1-02
 * §7.6). Only `client_secret_expires_at` can change, and only towards earlier; a time at or before
 * now expires the secret at once and revokes every token obtained with it, in the same
 * transaction (R1-02-7.6-06). Other members are ignored (R1-02-7.6-04).
 *
 * @module
 */
import { expireCredential, InvalidRequest, nowSeconds } from '@cds-ts/auth'
import { Credential, CredentialModifyRequest } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { writeChangelog } from '../../shared/server-messages.js'
import { credentialObject, findOwnCredential } from './credential-object.js'
import { CredentialParams } from './get-credential.js'

/**
 * The expiry to store for a requested one under the rules of §7.6 as A-27 reads them, or
 * `undefined` when nothing changes.
 *
 * - `0` ("never") is accepted only while the current value is `0`;
 * - another value must not be later than the current one (when that is not `0`);
 * - a value at or before now is accepted and stored as now (or as the current value when that is
 *   earlier still), which expires the secret at once.
 *
 * @throws {InvalidRequest} for a value the rules refuse
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export function nextExpiry(current: number, requested: number, now: number): number | undefined {
  if (requested === 0) {
    // CDS-WG1-02 §7.6 (R1-02-7.6-02): "never" stays possible only for a secret that never expires.
    if (current !== 0) throw new InvalidRequest('client_secret_expires_at cannot go back to 0 once the secret has an expiry')
    return undefined
  }
  // CDS-WG1-02 §7.6 (R1-02-7.6-02, -03): the expiry can only move earlier.
  if (current !== 0 && requested > current) throw new InvalidRequest(`client_secret_expires_at must not be later than the current value ${current}`)
  // a time already past is read as "now", the moment the secret is treated as compromised.
  const stored = requested > now ? requested : current === 0 ? now : Math.min(now, current)
  return stored === current ? undefined : stored
}

/**
 * Registers the Credential modification.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export const modifyCredentialPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.patch(
    // CDS-WG1-02 §7.6 (R1-02-7.6-01): PATCH at the Credential's `uri`.
    `${ENDPOINT_PATHS.credentials_api}/:credential_id`,
    {
      // R1-02-X-06: the response carries the secret.
      config: { scope: 'cds_client_admin', noStore: true },
      schema: {
        operationId: 'modifyCredential',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Modifying Credentials',
        description:
          'Moves `client_secret_expires_at` earlier; a time at or before now expires the secret and revokes its tokens at once (CDS-WG1-02 §7.6, A-27).',
        params: CredentialParams,
        body: ref(CredentialModifyRequest),
        response: {
          200: ref(Credential),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const caller = await callerRegistration(request, db)
      const { credential_id } = request.params
      // CDS-WG1-02 §7.6 (R1-02-7.6-04): only this member counts; others are ignored.
      const requested = request.body.client_secret_expires_at
      const row = await db.transaction().execute(async (trx) => {
        const current = await findOwnCredential(trx, caller.registration_id, credential_id)
        // CDS-WG1-02 §7.6 (R1-02-7.6-01): an absent member leaves the value as it is.
        const stored = requested === undefined ? undefined : nextExpiry(current.client_secret_expires_at, requested, nowSeconds(clock))
        if (stored === undefined) return current
        // CDS-WG1-02 §7.6 (R1-02-7.6-05, -06): applied synchronously; at or before now, its tokens are revoked with it.
        await expireCredential({ store: new KyselyAuthStore(trx), clock }, credential_id, stored)
        // CDS-WG1-02 §7.3 (R1-02-7.3-09): a changelog Message for the modified Credential.
        await writeChangelog(trx, clock, {
          registration_id: caller.registration_id,
          related_type: 'credential',
          related_uri: credentialObject(config, current).uri,
          name: stored <= nowSeconds(clock) ? 'Credential expired' : 'Credential modified',
          description: `The client_secret_expires_at of the Credential ${credential_id} is now ${stored}.`,
        })
        return findOwnCredential(trx, caller.registration_id, credential_id)
      })
      return credentialObject(config, row)
    },
  )
}
