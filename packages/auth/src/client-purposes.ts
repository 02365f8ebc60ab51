/**
 * The `purpose` field as one Client object sees it (CDS-WG3-01 §7.4.4, A-38): the public
 * Scope Descriptions offer the server's default Purposes as choices, while a Client object may
 * name any Purpose of its own `cds_purposes` whose `scopes_supported` holds the scope. The
 * authorization and PAR endpoints check requests against this view, and the server publishes it
 * as the Client-specific metadata.
 *
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 * @see CDS-WG3-01 §8.1 Client Object Extension
 * @module
 */
import type { AuthorizationDetailsField, AuthorizationDetailsFieldChoice, Purpose, ScopeDescription } from '@cds-ts/schema'
import type { ClientRecord, PurposeOrigin } from './store.js'

/** The id of the CDS-WG3-01 §7.4.4 field. */
const PURPOSE_FIELD = 'purpose'

/**
 * The Purposes of a Client object that its requests may name for `scopeId`, in the order of its
 * `cds_purposes` (CDS-WG3-01 §7.4.4, R3-01-7.4.4-04).
 *
 * @example
 * ```ts
 * clientPurposesFor(client, 'cds_usage').map((p) => p.id) // ['default-01', '3f2c…']
 * ```
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 */
export function clientPurposesFor(client: Pick<ClientRecord, 'cds_purposes'>, scopeId: string): Purpose[] {
  return Object.values(client.cds_purposes ?? {}).filter((purpose) => purpose.scopes_supported.includes(scopeId))
}

/**
 * A Scope Description with its `purpose` field's choices replaced by the Client object's
 * Purposes for that scope. The default stays when it is one of them, and is `null`
 * otherwise. A Client object without `cds_purposes` (one stored before Purposes existed)
 * sees the public choices, the server defaults.
 *
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 */
export function clientScopeDescription(scope: ScopeDescription, client: Pick<ClientRecord, 'cds_purposes'>): ScopeDescription {
  if (client.cds_purposes === undefined) return scope
  const index = scope.authorization_details_fields_supported.findIndex((field) => field.id === PURPOSE_FIELD)
  const field = scope.authorization_details_fields_supported[index]
  if (field === undefined) return scope
  const published = new Map((field.choices ?? []).map((choice) => [choice.id, choice]))
  const choices = clientPurposesFor(client, scope.id).map(
    (purpose): AuthorizationDetailsFieldChoice =>
      published.get(purpose.id) ?? {
        id: purpose.id,
        name: purpose.name,
        description: purpose.content,
        // every choice documents itself; a Client-written Purpose by its own link when it has one.
        documentation: purpose.related_uri ?? `${field.documentation}-${purpose.id}`,
      },
  )
  const view: AuthorizationDetailsField = { ...field, choices }
  const keeps = typeof field.default === 'string' && choices.some((choice) => choice.id === field.default)
  if (Object.hasOwn(field, 'default') && !keeps) {
    // the default must be one of this Client object's choices, or null where the format allows it.
    if (field.format === 'choice_or_null') view.default = null
    else delete view.default
  }
  const fields = [...scope.authorization_details_fields_supported]
  fields[index] = view
  return { ...scope, authorization_details_fields_supported: fields }
}

/**
 * {@link clientScopeDescription} over several Scope Descriptions.
 *
 * @see CDS-WG3-01 §7.4.4 Purpose Identifier
 */
export function clientScopeDescriptions(scopes: readonly ScopeDescription[], client: Pick<ClientRecord, 'cds_purposes'>): ScopeDescription[] {
  return scopes.map((scope) => clientScopeDescription(scope, client))
}

/**
 * Who wrote a Purpose of a Client object. The server's default Purposes are recorded as
 * `server` when they are given; any other Purpose the object holds came from the Client (at
 * registration, by a PUT, or by an approved review of one), so an unrecorded id reads `client`.
 *
 * @example
 * ```ts
 * purposeOrigin(client, 'default-01') // 'server'
 * ```
 * @see CDS-WG3-01 §8.1 Client Object Extension
 */
export function purposeOrigin(client: Pick<ClientRecord, 'purpose_origins'>, purpose_id: string): PurposeOrigin {
  return client.purpose_origins?.[purpose_id] ?? 'client'
}
