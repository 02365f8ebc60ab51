/**
 * The Grants a registration creates: one `active` Grant per Client object that uses
 * `client_credentials`.
 *
 * @module
 */
import type { RegistrationHook } from '../oauth/on-registered.js'
import { createGrant } from './grant-changes.js'

/**
 * Creates the client-credentials Grants of a new registration: the Grants API lists the
 * client-credentials grants of a registration beside its user authorizations (CDS-WG1-02 §8),
 * so each Client object whose `grant_types` include `client_credentials` gets one `active` Grant
 * with the object's `scope`, in the registration transaction and without a changelog Message
 * (A-22, A-37).
 *
 * @see CDS-WG1-02 §8 Grants API
 */
export const createRegistrationGrants: RegistrationHook = async (tx, registration, { clock }) => {
  for (const client of registration.clients) {
    // one Grant per client-credentials Client object, none per token request.
    if (!client.grant_types.includes('client_credentials')) continue
    // objects created by the registration itself are not announced.
    await createGrant(tx, clock, { client_id: client.client_id, scope: client.scope, changelog: false })
  }
}
