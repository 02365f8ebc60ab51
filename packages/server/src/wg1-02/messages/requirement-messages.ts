/**
 * The Messages a registration must create synchronously for the after-registration requirements
 * of its scopes (CDS-WG1-02 §3.6): `payment_request`, `online_form_request`, `pdf_form_request`.
 *
 * @module
 */
import type { RegistrationHook } from '../oauth/on-registered.js'

/**
 * Creates the requirement Messages of a new registration.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const createRequirementMessages: RegistrationHook = async () => {}
