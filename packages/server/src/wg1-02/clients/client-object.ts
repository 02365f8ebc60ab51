/**
 * The wire form of a stored Client object (CDS-WG1-02 §5.1), and the lookups every Clients API
 * endpoint starts from: a row with the project columns the auth core does not know
 * (`disabled_at`, `scope_overrides`), and the one Client object a caller's registration may see.
 *
 * @module
 */
import { NotFound, toDateTime, type ClientRecord } from '@cds-ts/auth'
import type { Client, ScopeDescription } from '@cds-ts/schema'
import type { Kysely, Selectable } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import { endpointUrl, resourceUrl } from '../../config/endpoints.js'
import type { ClientsTable, Database } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import { clientRecord } from '../../db/oauth-rows.js'
import { hasOwnPurposes } from './client-purposes.js'

/**
 * Scope Description fields the operator narrowed for one Client object, keyed by scope id
 * (e.g. `{ demo_usage_data: { coverages_supported: ['demo-commercial-gas'] } }`).
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export type ScopeOverrides = Record<string, Partial<Omit<ScopeDescription, 'id'>>>

/**
 * A stored Client object with the project columns of migration 0002: when it was last disabled
 * (`null` while enabled) and its Scope Description overrides (`null` when the public ones apply).
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export type StoredClient = ClientRecord & {
  /** RFC 3339 time of the last disable, or `null`. */
  disabled_at: string | null
  scope_overrides: ScopeOverrides | null
}

/**
 * A `clients` row as a {@link StoredClient}.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function storedClient(row: Selectable<ClientsTable>): StoredClient {
  return {
    ...clientRecord(row),
    disabled_at: row.disabled_at === null ? null : toDateTime(row.disabled_at),
    scope_overrides: row.scope_overrides === null ? null : fromJsonText(row.scope_overrides),
  }
}

/**
 * The path of a Client object's own CDS Server Metadata (CDS-WG1-02 §5.1, R1-02-5.1-14) under the
 * Clients API: `/api/clients/{client_id}/cds-server-metadata.json`.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientServerMetadataUrl(config: ServerConfig, client_id: string): string {
  return `${resourceUrl(config.base_url, 'clients_api', client_id)}/cds-server-metadata.json`
}

/**
 * The path of a Client object's own Authorization Server Metadata, linked as `oauth_metadata` from
 * {@link clientServerMetadataUrl}.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientAuthorizationServerMetadataUrl(config: ServerConfig, client_id: string): string {
  return `${resourceUrl(config.base_url, 'clients_api', client_id)}/oauth-authorization-server`
}

/**
 * The Client object of a stored record: the project fields removed, `cds_client_uri` and
 * `cds_server_metadata` added. `cds_server_metadata` is the client-specific document when the
 * operator has narrowed a Scope Description for this object, otherwise the public one. Pass a
 * {@link StoredClient} (from {@link storedClient}); a plain `ClientRecord` is read as having no overrides.
 *
 * @example
 * ```ts
 * const client = clientObject(config, await findOwnClient(db, caller.registration_id, client_id))
 * ```
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientObject(config: ServerConfig, record: ClientRecord & Partial<Pick<StoredClient, 'disabled_at' | 'scope_overrides'>>): Client {
  const {
    registration_id: _registration,
    registration_fields: _fields,
    purpose_origins: _origins,
    disabled_at: _disabled,
    scope_overrides: overrides,
    ...fields
  } = record
  const client: Client = {
    ...fields,
    // CDS-WG1-02 §5.1 (R1-02-5.1-08): one URL per Client object, where GET and PUT go.
    cds_client_uri: resourceUrl(config.base_url, 'clients_api', record.client_id),
    // CDS-WG1-02 §5.1 (R1-02-5.1-13..15): the client-specific metadata when its Scope Descriptions
    // differ from the public ones (operator overrides, or Purposes of its own as `purpose`
    // choices, CDS-WG3-01 §7.4.4), the public metadata otherwise.
    cds_server_metadata:
      (overrides === undefined || overrides === null) && !hasOwnPurposes(record)
        ? endpointUrl(config.base_url, 'cds_server_metadata')
        : clientServerMetadataUrl(config, record.client_id),
  }
  return client
}

/**
 * The stored Client object, or `undefined` when the `client_id` is unknown.
 *
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export async function findClient(db: Kysely<Database>, client_id: string): Promise<StoredClient | undefined> {
  const row = await db.selectFrom('clients').selectAll().where('client_id', '=', client_id).executeTakeFirst()
  return row === undefined ? undefined : storedClient(row)
}

/**
 * The stored Client object if it belongs to the registration.
 *
 * @throws {NotFound} for an unknown `client_id` or one of another registration: both answer 404,
 * so a caller cannot learn which ids exist elsewhere (R1-02-X-01, R1-02-X-02)
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export async function findOwnClient(db: Kysely<Database>, registration_id: string, client_id: string): Promise<StoredClient> {
  const found = await findClient(db, client_id)
  // R1-02-X-01, -02: another registration's Client object is as unknown as a missing one.
  if (found === undefined || found.registration_id !== registration_id) throw new NotFound(`no Client object ${client_id}`)
  return found
}
