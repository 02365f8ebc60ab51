/**
 * Keeps the secrets issued at registration sealed beside their digests, so the Credentials API
 * can show them (CDS-WG1-02 §7.1).
 *
 * @module
 */
import { sealSecret } from '@cds-ts/auth'
import type { RegistrationHook } from '../oauth/on-registered.js'
import { secretSealingKey } from './credential-object.js'

/**
 * Seals the `client_secret` of every Credential the registration created, inside the registration
 * transaction (a failure undoes the registration). Nothing is kept when the server shows secrets
 * only once (`client_management.secret_display: 'once'`, D-41).
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export const sealRegistrationSecrets: RegistrationHook = async (tx, registration, { config }) => {
  const key = secretSealingKey(config)
  if (key === undefined) return
  for (const { record, client_secret } of registration.credentials) {
    // CDS-WG1-02 §7.1 (R1-02-7.1-02): the Credentials API shows this secret later; only this sealed copy allows it.
    await tx
      .updateTable('credentials')
      .set({ client_secret_sealed: sealSecret(client_secret, key) })
      .where('credential_id', '=', record.credential_id)
      .execute()
  }
}
