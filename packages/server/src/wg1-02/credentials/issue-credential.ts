/**
 * Issuing a Credential: a fresh secret for one Client object, stored as its digest (what the token
 * endpoint compares) and, when the server shows secrets always, sealed for later display
 * (CDS-WG1-02 §7.1, §7.5). The Credentials API's POST and the operator both issue through here.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { hashSecret, InvalidRequest, randomOpaqueValue, sealSecret, type Clock } from '@cds-ts/auth'
import type { Credential } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { credentialObject, secretSealingKey } from './credential-object.js'

/**
 * Creates a Credential of type `client_secret` that never expires (`client_secret_expires_at: 0`)
 * for a Client object, and returns its wire object with the new `client_secret`. Writes no
 * changelog Message: the caller decides (the API's POST writes one, R1-02-7.3-09). Run it on a
 * transaction to write the Credential together with the caller's other changes.
 *
 * @example
 * ```ts
 * const { credential, client_secret } = await issueCredential(trx, clock, config, client_id)
 * ```
 * @throws {InvalidRequest} when the Client object is unknown, or has no token endpoint
 * authentication method (`token_endpoint_auth_method: null`, e.g. a Server-Provided Files object, A-03)
 * @see CDS-WG1-02 §7.5 Creating Credentials
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export async function issueCredential(
  db: Kysely<Database>,
  clock: Clock,
  config: ServerConfig,
  client_id: string,
): Promise<{ credential: Credential; client_secret: string }> {
  const client = await db
    .selectFrom('clients')
    .select(['token_endpoint_auth_method', 'cds_status', 'disabled_at', 'cds_modified'])
    .where('client_id', '=', client_id)
    .executeTakeFirst()
  if (client === undefined) throw new InvalidRequest(`the client_id ${client_id} is not a Client object of this registration`)
  // CDS-WG1-02 §7.5 (R1-02-7.5-02): a Client object that never authenticates at the token endpoint has no use for a secret.
  if (client.token_endpoint_auth_method === null) {
    throw new InvalidRequest(`the Client object ${client_id} has no token_endpoint_auth_method, so it takes no Credentials`)
  }
  // CDS-WG1-02 §7.1 (R1-02-7.1-02): 256 random bits from the CSPRNG; only the digest is compared.
  const client_secret = randomOpaqueValue()
  const key = secretSealingKey(config)
  const now = clock.now()
  const row = {
    credential_id: randomUUID(),
    client_id,
    type: 'client_secret' as const,
    client_secret_hash: hashSecret(client_secret),
    client_secret_expires_at: 0,
    created: now,
    modified: now,
    client_secret_sealed: key === undefined ? null : sealSecret(client_secret, key),
  }
  await db.insertInto('credentials').values(row).execute()
  const credential = credentialObject(
    config,
    { ...row, cds_status: client.cds_status, disabled_at: client.disabled_at, cds_modified: client.cds_modified },
    client_secret,
  )
  return { credential, client_secret }
}
