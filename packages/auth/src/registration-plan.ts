/**
 * The Client objects one registration creates (CDS-WG1-02 §4.2): which objects, with which
 * status (§5.2), and their records and Credentials (§5.1, §7.1). Steps 5 and 6 of
 * `registerClient` (`registration.ts`).
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @module
 */
import type { Client, ClientStatus, ScopeDescription } from '@cds-ts/schema'
import { toDateTime, toEpochSeconds } from './clock.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import type { RegistrationFieldValues } from './registration-fields.js'
import type { ClientRecord, CredentialRecord } from './store.js'

/**
 * The scope every CDS registration asks for.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export const CLIENT_ADMIN_SCOPE = 'cds_client_admin'

/**
 * Registration choices CDS-WG1-02 §4.2 leaves to the server (the server configuration's `registration`).
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface RegistrationPolicy {
  /**
   * `immediate`: a scope without after-registration requirements also gets a `production` Client
   * object at once (a user-authorization scope gets a `sandbox` one as well). `review`: every
   * non-admin Client object starts in `sandbox`; production ones come after review.
   */
  production_access: 'immediate' | 'review'
  /** Put scopes with the same response types, grant types and auth method into one Client object. */
  group_scopes: boolean
}

/**
 * The URLs of a Client object that the server derives from its base URL (CDS-WG1-02 §5.1).
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export interface ClientUrls {
  cds_client_uri: string
  cds_server_metadata: string
}

/**
 * A Credential as created, with the secret that storage keeps only as a digest.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export interface IssuedCredential {
  record: CredentialRecord
  client_secret: string
}

/**
 * The scopes a request registers.
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export interface RequestedScopes {
  /** The requested scopes other than `cds_client_admin`, in request order, each once. */
  requested: ScopeDescription[]
  /** Grant Admin scopes named by a requested scope's `grant_admin_scope` but not requested (§4.2). */
  implied: ScopeDescription[]
}

/**
 * One Client object to create for the requested scopes.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface ClientPlan {
  scopes: ScopeDescription[]
  status: Extract<ClientStatus, 'production' | 'sandbox'>
  response_types: string[]
  grant_types: string[]
  token_endpoint_auth_method: string | null
}

/**
 * The RFC 7591 §2 members that every created Client object copies.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 | RFC 7591 §2}
 */
export type ClientMetadata = Partial<
  Pick<Client, 'client_name' | 'client_uri' | 'logo_uri' | 'tos_uri' | 'policy_uri' | 'contacts' | 'jwks_uri' | 'jwks' | 'software_id' | 'software_version'>
>

/** The one `token_endpoint_auth_method` of a scope's Client object: Basic when offered (CDS-WG1-02 §3.3.1). */
function authMethodOf(scope: ScopeDescription): string | null {
  const methods = scope.token_endpoint_auth_methods_supported
  return methods.includes('client_secret_basic') ? 'client_secret_basic' : (methods[0] ?? null)
}

function mergeValues(parts: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {}
  for (const part of parts) Object.assign(merged, part)
  return merged
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ')

/**
 * Step 5: the Client objects to create besides the `cds_client_admin` one, in request order.
 *
 * - A scope with response types gets a `sandbox` object (CDS-WG1-02 §4.2, R1-02-4.2-16), and also a
 *   `production` one when the policy is `immediate` and it has no after-registration requirement.
 * - Any other scope gets one object: `production` on the same condition, `sandbox` otherwise.
 * - With `group_scopes`, scopes of equal status, response types, grant types and auth method share an
 *   object (§4.2 MAY); each Grant Admin scope keeps its own.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export function planClientObjects(scopes: RequestedScopes, fields: RegistrationFieldValues, policy: RegistrationPolicy): ClientPlan[] {
  const plans: ClientPlan[] = []
  const add = (scope: ScopeDescription, status: ClientPlan['status']) => {
    const shape = {
      response_types: [...scope.response_types_supported],
      grant_types: [...scope.grant_types_supported],
      token_endpoint_auth_method: authMethodOf(scope),
    }
    const groupable = (s: ScopeDescription) => policy.group_scopes && s.type !== 'cds_grant_admin'
    const group = groupable(scope)
      ? plans.find(
          (p) =>
            p.status === status &&
            p.scopes.every(groupable) &&
            sameList(p.response_types, shape.response_types) &&
            sameList(p.grant_types, shape.grant_types) &&
            p.token_endpoint_auth_method === shape.token_endpoint_auth_method,
        )
      : undefined
    if (group !== undefined) group.scopes.push(scope)
    else plans.push({ scopes: [scope], status, ...shape })
  }
  for (const scope of [...scopes.requested, ...scopes.implied]) {
    const gated = (fields.pendingByScope[scope.id]?.length ?? 0) > 0
    const production = policy.production_access === 'immediate' && !gated
    if (scope.response_types_supported.length > 0) {
      // CDS-WG1-02 §4.2 (R1-02-4.2-16): user-authorization scopes start with a sandbox object.
      add(scope, 'sandbox')
      // CDS-WG1-02 §4.2 (R1-02-4.2-19): production gets its own object, never the sandbox one.
      if (production) add(scope, 'production')
    } else {
      add(scope, production ? 'production' : 'sandbox')
    }
  }
  return plans
}

/**
 * What {@link buildClientObjects} needs besides the plans.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface BuildContext {
  registration_id: string
  now: Date
  metadata: ClientMetadata
  fields: RegistrationFieldValues
  default_redirect_uri: string
  generateId: () => string
}

/**
 * Step 6: the Client objects (the `cds_client_admin` one first) and a Credential with a fresh
 * 256-bit secret for each one whose `token_endpoint_auth_method` is not `null`.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function buildClientObjects(plans: readonly ClientPlan[], context: BuildContext): { clients: ClientRecord[]; credentials: IssuedCredential[] } {
  const { now, metadata } = context
  const common = (client_id: string) => ({
    client_id,
    client_id_issued_at: toEpochSeconds(now),
    // CDS-WG1-02 §5.1 (R1-02-5.1-01): client_name defaults to the client_id, contacts to [].
    client_name: metadata.client_name ?? client_id,
    contacts: metadata.contacts ?? [],
    ...Object.fromEntries(Object.entries(metadata).filter(([name]) => name !== 'client_name' && name !== 'contacts')),
    cds_created: toDateTime(now),
    cds_modified: toDateTime(now),
    registration_id: context.registration_id,
  })
  const adminId = context.generateId()
  // CDS-WG1-02 §4.2 (R1-02-4.2-02..06, -08): the admin object's shape is fixed; A-57: always production.
  const admin: ClientRecord = {
    ...common(adminId),
    scope: CLIENT_ADMIN_SCOPE,
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    authorization_details_types: [],
    cds_status: 'production',
    // CDS-WG1-02 §5.1 (R1-02-5.1-11): the admin object can never be disabled.
    cds_status_options: ['production'],
    registration_fields: {},
  }
  const clients = [admin]
  for (const plan of plans) {
    const client_id = context.generateId()
    const scope = plan.scopes.map((s) => s.id).join(' ')
    const authorizes = plan.response_types.length > 0
    clients.push({
      ...common(client_id),
      scope,
      // CDS-WG1-02 §4.2 (R1-02-4.2-13): user-authorization objects get the server's receipt redirect, alone.
      redirect_uris: authorizes ? [context.default_redirect_uri] : [],
      token_endpoint_auth_method: plan.token_endpoint_auth_method,
      grant_types: plan.grant_types,
      response_types: plan.response_types,
      authorization_details_types: [...new Set(plan.scopes.flatMap((s) => s.authorization_details_types_supported))],
      cds_status: plan.status,
      // CDS-WG1-02 §5.1 (R1-02-5.1-12) and §4.2 (R1-02-4.2-19): disabled is offered, and one environment only.
      cds_status_options: [plan.status, 'disabled'],
      // CDS-WG1-02 §5.1 (R1-02-5.1-17..19): the defaults of an object that takes authorization requests.
      ...(authorizes ? { cds_default_scope: scope, cds_default_redirect_uri: context.default_redirect_uri, cds_default_authorization_details: [] } : {}),
      registration_fields: mergeValues(plan.scopes.map((s) => context.fields.byScope[s.id] ?? {})),
    })
  }
  const credentials: IssuedCredential[] = []
  for (const client of clients) {
    // CDS-WG1-02 §4.2 (R1-02-4.2-12): a Credential for every object with an auth method.
    if (client.token_endpoint_auth_method === null) continue
    // CDS-WG1-02 §7.1 (R1-02-7.1-02): 256 random bits; only the digest is stored.
    const client_secret = randomOpaqueValue()
    credentials.push({
      client_secret,
      record: {
        credential_id: context.generateId(),
        client_id: client.client_id,
        type: 'client_secret',
        client_secret_hash: hashSecret(client_secret),
        client_secret_expires_at: 0,
        created: now,
        modified: now,
      },
    })
  }
  return { clients, credentials }
}

/**
 * A stored Client object as the wire object (CDS-WG1-02 §5.1): the project fields removed and the
 * URL fields added.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function toClientObject(record: ClientRecord, urls: ClientUrls): Client {
  const { registration_id: _registration, registration_fields: _fields, purpose_origins: _origins, ...fields } = record
  return { ...fields, cds_client_uri: urls.cds_client_uri, cds_server_metadata: urls.cds_server_metadata }
}
