/**
 * Scope Descriptions, Registration Fields and files for the registration tests (not exported):
 * the fixed Client Admin and Grant Admin scopes of CDS-WG1-02 §3.3, a user-authorization scope,
 * a direct-access scope, a server-provided files scope and a scope gated by an internal review.
 */
import type { RegistrationField, ScopeDescription } from '@cds-ts/schema'
import type { RegisterClientOptions } from '../src/registration.js'
import type { ClientUrls } from '../src/registration-plan.js'
import type { AuthStore } from '../src/store.js'
import { scopeDescription } from './_setup.js'

const BASE = 'https://utility.example'

const scope = (id: string, overrides: Partial<ScopeDescription>): ScopeDescription =>
  scopeDescription(id, { documentation: `${BASE}/docs/${id}`, ...overrides })

/** Scope Descriptions keyed by id. */
export const SCOPES: Record<string, ScopeDescription> = {
  cds_client_admin: scope('cds_client_admin', { name: 'Client Admin', authorization_details_types_supported: [] }),
  cds_grant_admin_1: scope('cds_grant_admin_1', { type: 'cds_grant_admin', name: 'Grant Admin' }),
  usage: scope('usage', {
    registration_requirements: ['company_name'],
    registration_optional: ['company_logo', 'contact_email'],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    grant_admin_scope: 'cds_grant_admin_1',
  }),
  usage_public: scope('usage_public', {
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
  }),
  readings: scope('readings', { registration_requirements: ['company_name'] }),
  meters: scope('meters', {}),
  files_1: scope('files_1', {
    type: 'cds_server_provided_files',
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    grant_admin_scope: 'cds_grant_admin_1',
  }),
  premium: scope('premium', { registration_requirements: ['company_name', 'review', 'terms'] }),
}

/** Registration Fields keyed by id. */
export const FIELDS: Record<string, RegistrationField> = {
  company_name: {
    id: 'company_name',
    type: 'registration_field',
    field_name: 'cds_company_name',
    format: 'string',
    max_length: 10,
    description: 'Company name.',
    documentation: `${BASE}/docs/fields#company_name`,
  },
  company_logo: {
    id: 'company_logo',
    type: 'registration_field',
    field_name: 'cds_company_logo',
    format: 'image_or_null',
    default: null,
    max_size: 16,
    description: 'Company logo.',
    documentation: `${BASE}/docs/fields#company_logo`,
  },
  contact_email: {
    id: 'contact_email',
    type: 'registration_field',
    field_name: 'cds_contact_email',
    format: 'email',
    description: 'Contact email.',
    documentation: `${BASE}/docs/fields#contact_email`,
  },
  review: { id: 'review', type: 'internal_review', description: 'Reviewed by staff.', documentation: `${BASE}/docs/fields#review` },
  terms: { id: 'terms', type: 'online_form', description: 'Accept the terms.', documentation: `${BASE}/docs/fields#terms` },
}

/** Base64 of a file that starts with the given bytes and is padded with zeros to `size` bytes. */
export function file(signature: readonly number[] | string, size: number): string {
  const head = typeof signature === 'string' ? [...Buffer.from(signature, 'latin1')] : signature
  const bytes = new Uint8Array(size)
  bytes.set(head.slice(0, size))
  return Buffer.from(bytes).toString('base64')
}

/** PNG, JPEG, GIF and PDF signatures. */
export const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
export const JPEG = [0xff, 0xd8, 0xff, 0xe0]
export const GIF = 'GIF89a'
export const PDF = '%PDF-1.7\n'

/** The URL fields the tests derive from a `client_id`. */
export function clientUrls(client_id: string): ClientUrls {
  return { cds_client_uri: `${BASE}/api/clients/${client_id}`, cds_server_metadata: `${BASE}/.well-known/cds-server-metadata.json` }
}

/** The receipt redirect of the tests. */
export const RECEIPT = `${BASE}/oauth/receipt`

/** Registration options on `store`, with numbered ids. */
export function registrationOptions(store: AuthStore, overrides: Partial<RegisterClientOptions> = {}): RegisterClientOptions {
  let n = 0
  return {
    store,
    scope_descriptions: SCOPES,
    registration_fields: FIELDS,
    policy: { production_access: 'immediate', group_scopes: false },
    default_redirect_uri: RECEIPT,
    clientUrls,
    generateId: () => `id-${String(++n)}`,
    ...overrides,
  }
}
