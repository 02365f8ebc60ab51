/**
 * Dynamic client registration (RFC 7591) as CDS-WG1-02 §4 profiles it. {@link registerClient}
 * runs the steps of the spec in order:
 *
 * 1. {@link parseRegistrationRequest}: a JSON object of client metadata; the members the server
 *    decides itself (`redirect_uris`, grant and response types, auth method) are dropped (§4.1);
 * 2. {@link resolveRequestedScopes}: `cds_client_admin` is required and every scope must have a
 *    Scope Description (§4.1); the Grant Admin scopes the requested scopes name come along (§4.2);
 * 3. {@link checkClientMetadata}: the RFC 7591 §2 members have their types;
 * 4. `validateRegistrationFields` (`registration-fields.ts`): the registration field values (§3.5–§3.7);
 * 5. `planClientObjects` (`registration-plan.ts`): which Client objects to create, with which status (§4.2, §5.2);
 * 6. `buildClientObjects` (`registration-plan.ts`): the Client objects and their Credentials (§5.1, §7.1);
 * 7. one store transaction writes them all, or nothing (A-46).
 *
 * The answer is the `cds_client_admin` Client object with its `client_secret` (§4.2), which the
 * server sends with status 201 (RFC 7591 §3.2.1, A-05). Bad input is an {@link InvalidClientMetadata}
 * naming the member (RFC 7591 §3.2.2, A-15, A-45).
 *
 * @see CDS-WG1-02 §4 Client Registration Process
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 | RFC 7591 §3}
 * @module
 */
import { randomUUID } from 'node:crypto'
import { checkStrict, ClientRegistrationRequest, type ClientRegistrationResponse, type RegistrationField, type ScopeDescription } from '@cds-ts/schema'
import { systemClock, type Clock } from './clock.js'
import { InvalidClientMetadata } from './errors.js'
import { validateRegistrationFields } from './registration-fields.js'
import {
  buildClientObjects,
  CLIENT_ADMIN_SCOPE,
  planClientObjects,
  toClientObject,
  type ClientMetadata,
  type ClientUrls,
  type IssuedCredential,
  type RegistrationPolicy,
  type RequestedScopes,
} from './registration-plan.js'
import type { AuthStore, ClientRecord } from './store.js'

/**
 * Request members the server sets itself and ignores when a Client sends them: `redirect_uris`
 * (CDS-WG1-02 §4.1 requires it), the grant types, response types and auth method (derived from
 * the Scope Descriptions, §4.2, RFC 7591 §2 lets the server replace them), and `software_statement`,
 * which cds-ts does not support (RFC 7591 §2.3).
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export const IGNORED_REGISTRATION_MEMBERS = Object.freeze([
  'redirect_uris',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'software_statement',
] as const)

/**
 * What {@link registerClient} needs.
 *
 * @see CDS-WG1-02 §4 Client Registration Process
 */
export interface RegisterClientOptions {
  store: AuthStore
  /** The published `cds_scope_descriptions` (CDS-WG1-02 §3.4). */
  scope_descriptions: Readonly<Record<string, ScopeDescription>>
  /** The published `cds_registration_fields` (CDS-WG1-02 §3.5). */
  registration_fields: Readonly<Record<string, RegistrationField>>
  policy: RegistrationPolicy
  /** The server-hosted redirect URI that shows an authorization receipt (CDS-WG1-02 §4.2, A-43). */
  default_redirect_uri: string
  /** `cds_client_uri` and `cds_server_metadata` of a Client object. */
  clientUrls: (client_id: string) => ClientUrls
  clock?: Clock
  /** Makes `client_id`, `credential_id` and `registration_id` values; default random UUIDs. */
  generateId?: () => string
  /**
   * Runs inside the registration transaction after the Clients and Credentials are written, e.g.
   * to create the requirement Messages of CDS-WG1-02 §3.6 synchronously. A throw undoes everything.
   */
  onRegistered?: (tx: AuthStore, registration: Registration) => Promise<void>
}

/**
 * The outcome of a registration.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface Registration {
  registration_id: string
  /** The body of the 201 response: the `cds_client_admin` Client object with its `client_secret`. */
  response: ClientRegistrationResponse
  /** Every Client object created, the `cds_client_admin` one first. */
  clients: ClientRecord[]
  /** One Credential per Client object whose `token_endpoint_auth_method` is not `null`. */
  credentials: IssuedCredential[]
  /** The after-registration requirements of the registered scopes (CDS-WG1-02 §3.6), once each. */
  pending_requirements: RegistrationField[]
}

const COPIED_METADATA = ['client_name', 'client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'contacts', 'jwks_uri', 'jwks', 'software_id', 'software_version'] as const

/**
 * Step 1: the body must be a JSON object of client metadata (RFC 7591 §3.1). Returns its members
 * without {@link IGNORED_REGISTRATION_MEMBERS}.
 *
 * @throws {InvalidClientMetadata} when the body is not a JSON object
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.1 | RFC 7591 §3.1}
 */
export function parseRegistrationRequest(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidClientMetadata('the registration request must be a JSON object of client metadata')
  }
  const members: Record<string, unknown> = { ...(body as Record<string, unknown>) }
  // CDS-WG1-02 §4.1 (R1-02-4.1-07): submitted redirect_uris are ignored; the server sets its own (§4.2).
  for (const name of IGNORED_REGISTRATION_MEMBERS) delete members[name]
  return members
}

/**
 * Step 2: the requested scopes. The scope string must hold `cds_client_admin`, and every scope in
 * it must be a key of `cds_scope_descriptions`.
 *
 * @throws {InvalidClientMetadata} for a missing scope, a scope without `cds_client_admin`, or an unknown scope (A-15)
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export function resolveRequestedScopes(scope: unknown, descriptions: Readonly<Record<string, ScopeDescription>>): RequestedScopes {
  if (scope === undefined) throw new InvalidClientMetadata(`the client metadata 'scope' is required and must include ${CLIENT_ADMIN_SCOPE}`)
  if (typeof scope !== 'string') throw new InvalidClientMetadata(`the client metadata 'scope' must be a space-separated string`)
  // RFC 6749 §3.3: space-delimited scope tokens; repeats count once.
  const tokens = [...new Set(scope.split(' ').filter((token) => token !== ''))]
  // CDS-WG1-02 §4.1 (R1-02-4.1-02, -03; A-15): a CDS registration always asks for cds_client_admin.
  if (!tokens.includes(CLIENT_ADMIN_SCOPE)) throw new InvalidClientMetadata(`the scope must include ${CLIENT_ADMIN_SCOPE}`)
  // CDS-WG1-02 §4.1 (R1-02-4.1-05): a scope without a Scope Description is refused with 400.
  const unknown = tokens.filter((token) => !Object.hasOwn(descriptions, token))
  if (unknown.length > 0) {
    throw new InvalidClientMetadata(`the scope ${unknown.map((t) => `'${t}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in cds_scope_descriptions`)
  }
  const requested = tokens.filter((token) => token !== CLIENT_ADMIN_SCOPE).map((token) => descriptions[token] as ScopeDescription)
  const implied: ScopeDescription[] = []
  for (const description of requested) {
    const id = description.grant_admin_scope
    if (id === null || tokens.includes(id) || implied.some((s) => s.id === id)) continue
    const grantAdmin = descriptions[id]
    // CDS-WG1-02 §3.4 (R1-02-3.4-14): a named Grant Admin scope has its own Scope Description.
    if (grantAdmin === undefined) throw new TypeError(`scope ${description.id} names the unknown grant_admin_scope ${id}`)
    implied.push(grantAdmin)
  }
  return { requested, implied }
}

/**
 * Step 3: the RFC 7591 §2 members have their types (URLs, a list of contacts, a JWK Set by
 * reference or by value). Returns those that every Client object copies.
 *
 * @throws {InvalidClientMetadata} naming the first member that is invalid
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 | RFC 7591 §2}
 */
export function checkClientMetadata(members: Readonly<Record<string, unknown>>): ClientMetadata {
  // RFC 7591 §2: jwks_uri and jwks are alternatives.
  if (members.jwks_uri !== undefined && members.jwks !== undefined) {
    throw new InvalidClientMetadata(`the client metadata 'jwks_uri' and 'jwks' must not both be present`)
  }
  const issue = checkStrict(ClientRegistrationRequest, members)[0]
  if (issue !== undefined) {
    // RFC 7591 §3.2.2: invalid metadata is invalid_client_metadata; the description names the member.
    const name = issue.path.replace(/^\//, '')
    throw new InvalidClientMetadata(name === '' ? `the client metadata ${issue.message}` : `the client metadata '${name}' ${issue.message}`)
  }
  const metadata: Record<string, unknown> = {}
  for (const name of COPIED_METADATA) if (members[name] !== undefined) metadata[name] = members[name]
  return metadata
}

/**
 * Registers a Client (CDS-WG1-02 §4): checks the request, then creates every Client object and
 * Credential in one store transaction and returns the registration response.
 *
 * @example
 * ```ts
 * const { response } = await registerClient(body, { store, scope_descriptions, registration_fields, policy,
 *   default_redirect_uri: 'https://utility.example/oauth/receipt', clientUrls })
 * reply.code(201).send(response)
 * ```
 * @throws {InvalidClientMetadata} for any invalid part of the request; nothing is stored then (A-46)
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 | RFC 7591 §3.2.1}
 */
export async function registerClient(body: unknown, options: RegisterClientOptions): Promise<Registration> {
  const generateId = options.generateId ?? randomUUID
  const members = parseRegistrationRequest(body)
  const scopes = resolveRequestedScopes(members.scope, options.scope_descriptions)
  const metadata = checkClientMetadata(members)
  const fields = validateRegistrationFields(members, scopes.requested, options.registration_fields)
  const plans = planClientObjects(scopes, fields, options.policy)
  const registration_id = generateId()
  const { clients, credentials } = buildClientObjects(plans, {
    registration_id,
    now: (options.clock ?? systemClock).now(),
    metadata,
    fields,
    default_redirect_uri: options.default_redirect_uri,
    generateId,
  })
  const [admin] = clients as [ClientRecord, ...ClientRecord[]]
  const [adminCredential] = credentials as [IssuedCredential, ...IssuedCredential[]]
  const pending = [...new Set(scopes.requested.flatMap((s) => fields.pendingByScope[s.id] ?? []))]
  const response = {
    ...toClientObject(admin, options.clientUrls(admin.client_id)),
    // CDS-WG1-02 §4.2 (R1-02-4.2-07): the admin Credential's secret, shown here once.
    client_secret: adminCredential.client_secret,
    // RFC 7591 §3.2.1 requires the expiry next to an issued secret (0 = never). CDS-WG1-02 §5.1 keeps it
    // out of Client objects, but strict RFC 7591 clients (oauth4webapi) refuse a response without it (A-05).
    client_secret_expires_at: adminCredential.record.client_secret_expires_at,
  } as ClientRegistrationResponse
  const registration: Registration = { registration_id, response, clients, credentials, pending_requirements: pending }
  // A-46: all or nothing; the store rolls back every insert when one fails.
  await options.store.transaction(async (tx) => {
    for (const client of clients) await tx.clients.insert(client)
    for (const credential of credentials) await tx.credentials.insert(credential.record)
    if (options.onRegistered !== undefined) await options.onRegistered(tx, registration)
  })
  return registration
}
