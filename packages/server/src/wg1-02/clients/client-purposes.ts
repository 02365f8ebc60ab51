/**
 * The Purposes of a Client object (CDS-WG3-01 §8): every Client object that takes authorization
 * requests gets the server's default Purposes at registration (A-36: recorded as written by the
 * server, never removable), plus those the Client sends in the `cds_purposes` registration field
 * (A-40) or later by PUT (§8.2, A-39). The server assigns every Purpose's `id` and
 * `scopes_supported`: the object's scopes whose Scope Description offers `purpose` (§7.4.4).
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 * @see CDS-WG3-01 §8.2 Modifying Client Objects Extension
 * @module
 */
import { randomUUID } from 'node:crypto'
import { clientScopeDescription, InvalidClientMetadata, purposeOrigin, type ClientRecord, type PurposeOrigin, type Registration } from '@cds-ts/auth'
import { checkStrict, Purpose } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { scopeTokens } from './client-fields.js'

/**
 * A Client object's Purposes and who wrote each, as stored.
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 */
export interface ClientPurposes {
  cds_purposes: Record<string, Purpose>
  purpose_origins: Record<string, PurposeOrigin>
}

// A-37, §7.4.4: the field whose choices are Purpose ids.
const PURPOSE_FIELD = 'purpose'

/**
 * The scopes of a scope string whose Scope Description offers `purpose`: what every Purpose of
 * the object supports (A-40).
 *
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 */
export function purposeScopes(config: ServerConfig, scope: string): string[] {
  return scopeTokens(scope).filter((id) => config.oauth.scope_descriptions[id]?.authorization_details_fields_supported.some((field) => field.id === PURPOSE_FIELD))
}

/**
 * The server default Purposes as Purpose objects supporting `scopes` (§8.3).
 *
 * @see CDS-WG3-01 §8.3 Purpose Object Format
 */
export function defaultPurposes(config: ServerConfig, scopes: readonly string[]): Purpose[] {
  return config.customer_authorization.default_purposes.map((purpose) => ({
    id: purpose.id,
    name: `Server default purpose ${purpose.id}`,
    content: purpose.content,
    related_uri: null,
    scopes_supported: [...scopes],
  }))
}

/**
 * Checks a Purpose a Client sent against §8.3, naming it by `path` (400 `invalid_client_metadata`,
 * R3-01-8.2-06).
 *
 * @see CDS-WG3-01 §8.3 Purpose Object Format
 */
export function checkPurpose(value: unknown, path: string): asserts value is Purpose {
  const issue = checkStrict(Purpose, value)[0]
  // CDS-WG3-01 §8.3 (R3-01-8.3-03..06): content not blank, related_uri present, a one-line related_name with it.
  if (issue !== undefined) throw new InvalidClientMetadata(`${path} is not a valid Purpose: ${issue.path === '' ? '' : `${issue.path} `}${issue.message}`)
}

/** A Client-written Purpose as stored: the server's id and scopes, the Client's words. */
function clientWritten(purpose: Purpose, id: string, scopes: readonly string[]): Purpose {
  const written: Purpose = { id, name: purpose.name, content: purpose.content, related_uri: purpose.related_uri, scopes_supported: [...scopes] }
  if (purpose.related_name !== undefined) written.related_name = purpose.related_name
  return written
}

/**
 * The Purposes a new Client object starts with: the server defaults, then the Purposes submitted
 * in its `purposes` registration fields (A-40), each with a new id. `undefined` for an object
 * that takes no authorization requests.
 *
 * @throws {InvalidClientMetadata} for a submitted Purpose that breaks §8.3
 * @see CDS-WG3-01 §8.1 Client Object Extension
 * @see CDS-WG3-01 §5.1 Registration Field Formats Extension
 */
export function registrationPurposes(config: ServerConfig, client: ClientRecord, newId: () => string = randomUUID): ClientPurposes | undefined {
  if (client.response_types.length === 0) return undefined
  const scopes = purposeScopes(config, client.scope)
  const result: ClientPurposes = { cds_purposes: {}, purpose_origins: {} }
  for (const purpose of defaultPurposes(config, scopes)) {
    result.cds_purposes[purpose.id] = purpose
    result.purpose_origins[purpose.id] = 'server'
  }
  for (const field of Object.values(config.oauth.registration_fields)) {
    if (field.field_name === undefined || (field.format !== 'purposes' && field.format !== 'purposes_or_null')) continue
    const submitted: unknown = client.registration_fields[field.field_name]
    if (!Array.isArray(submitted)) continue
    for (const [index, purpose] of submitted.entries()) {
      checkPurpose(purpose, `${field.field_name}[${index}]`)
      // A-40: the Server assigns the id and the scopes; the submitted empty ones are placeholders.
      const id = newId()
      result.cds_purposes[id] = clientWritten(purpose, id, scopes)
      result.purpose_origins[id] = 'client'
    }
  }
  return result
}

/**
 * The registration hook that gives every new Client object taking authorization requests its
 * Purposes, inside the registration transaction.
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 */
export async function assignRegistrationPurposes(tx: Kysely<Database>, registration: Registration, context: { config: ServerConfig }): Promise<void> {
  const store = new KyselyAuthStore(tx)
  for (const client of registration.clients) {
    const purposes = registrationPurposes(context.config, client)
    if (purposes === undefined) continue
    await store.clients.update(client.client_id, purposes)
    Object.assign(client, purposes)
  }
}

/**
 * The Purposes a PUT asks for (§8.2, A-39), from the object's current ones:
 *
 * - server default Purposes always stay as they are, whatever the body says (R3-01-8.2-01);
 * - a submitted Purpose with the id of one of the Client's keeps that id and its scopes and takes
 *   the submitted name, content and link (R3-01-8.2-02);
 * - a submitted Purpose with an unknown id is new: the server gives it an id and the scopes
 *   (R3-01-8.2-04);
 * - the Client's Purposes the body leaves out are removed (R3-01-8.2-03); leaving out
 *   `cds_purposes` altogether removes them all (A-39).
 *
 * @param submitted the body's `cds_purposes`, or `undefined` when it has none
 * @param scope the object's scope after the PUT, whose `purpose` scopes every Purpose supports
 * @throws {InvalidClientMetadata} for a Purpose that breaks §8.3
 * @see CDS-WG3-01 §8.2 Modifying Client Objects Extension
 */
export function plannedPurposes(
  config: ServerConfig,
  current: ClientRecord,
  submitted: unknown,
  scope: string,
  newId: () => string = randomUUID,
): ClientPurposes {
  const scopes = purposeScopes(config, scope)
  const result: ClientPurposes = { cds_purposes: {}, purpose_origins: {} }
  // An object stored before it had Purposes gets the server defaults now, as at registration.
  const existing = current.cds_purposes ?? Object.fromEntries(defaultPurposes(config, scopes).map((purpose) => [purpose.id, purpose]))
  const origins = current.cds_purposes === undefined ? { purpose_origins: Object.fromEntries(Object.keys(existing).map((id) => [id, 'server' as const])) } : current
  for (const [id, purpose] of Object.entries(existing)) {
    if (purposeOrigin(origins, id) !== 'server') continue
    // R3-01-8.2-01: a default Purpose cannot be removed or changed; its scopes follow the object's.
    result.cds_purposes[id] = { ...purpose, scopes_supported: [...scopes] }
    result.purpose_origins[id] = 'server'
  }
  if (submitted === undefined) return result
  if (typeof submitted !== 'object' || submitted === null || Array.isArray(submitted)) {
    throw new InvalidClientMetadata('cds_purposes must be an object of Purposes keyed by id')
  }
  for (const [key, purpose] of Object.entries(submitted)) {
    checkPurpose(purpose, `cds_purposes.${key}`)
    const known = existing[purpose.id]
    if (known !== undefined && purposeOrigin(origins, purpose.id) === 'server') continue
    // R3-01-8.2-02, -04: a known id keeps it; an unknown one gets a fresh id from the server.
    const id = known === undefined ? newId() : purpose.id
    result.cds_purposes[id] = clientWritten(purpose, id, scopes)
    result.purpose_origins[id] = 'client'
  }
  return result
}

/**
 * The Scope Descriptions of the configuration as one Client object sees them: its scopes'
 * `purpose` field lists its own Purposes (R3-01-7.4.4-04, A-38).
 *
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 */
export function withClientPurposes(config: ServerConfig, client: ClientRecord): ServerConfig {
  if (client.cds_purposes === undefined) return config
  const scope_descriptions = { ...config.oauth.scope_descriptions }
  for (const id of scopeTokens(client.scope)) {
    const scope = scope_descriptions[id]
    if (scope !== undefined) scope_descriptions[id] = clientScopeDescription(scope, client)
  }
  return { ...config, oauth: { ...config.oauth, scope_descriptions } }
}

/**
 * Whether the object's metadata differs from the public one because of its Purposes: it holds a
 * Purpose the Client wrote for one of its scopes.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function hasOwnPurposes(client: Pick<ClientRecord, 'cds_purposes' | 'purpose_origins'>): boolean {
  return Object.values(client.cds_purposes ?? {}).some((purpose) => purposeOrigin(client, purpose.id) === 'client' && purpose.scopes_supported.length > 0)
}
