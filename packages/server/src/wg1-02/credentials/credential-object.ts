/**
 * The wire form of a stored Credential (CDS-WG1-02 §7.1): the secret opened from its sealed copy
 * when the server is set to show it, and the expiry a disabled Client object's Credentials report.
 *
 * @module
 */
import { NotFound, openSecret, toDateTime, toEpochSeconds } from '@cds-ts/auth'
import type { Credential } from '@cds-ts/schema'
import type { Kysely, Selectable } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import { resourceUrl } from '../../config/endpoints.js'
import type { CredentialsTable, Database } from '../../db/database.js'

/**
 * A `credentials` row with what its Client object says about it: whether it is disabled, and since when.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export type CredentialRow = Selectable<CredentialsTable> & {
  /** The owning Client object's `cds_status`. */
  cds_status: string
  /** When the owning Client object was last disabled, or `null`. */
  disabled_at: Date | null
  /** The owning Client object's `cds_modified`, the disable time when `disabled_at` was never recorded. */
  cds_modified: Date
}

/**
 * Credentials with their Client object's status columns, as {@link CredentialRow}s; add
 * `where('clients.registration_id', '=', …)` and the filters.
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export function selectCredentials(db: Kysely<Database>) {
  return db
    .selectFrom('credentials')
    .innerJoin('clients', 'clients.client_id', 'credentials.client_id')
    .selectAll('credentials')
    .select(['clients.cds_status', 'clients.disabled_at', 'clients.cds_modified'])
}

/**
 * One Credential of the registration, with its Client object's status columns.
 *
 * @throws {NotFound} for an unknown `credential_id` or one of another registration (R1-02-X-01, -02)
 * @see CDS-WG1-02 §7.4 Retrieving Individual Credentials
 */
export async function findOwnCredential(db: Kysely<Database>, registration_id: string, credential_id: string): Promise<CredentialRow> {
  const row = await selectCredentials(db)
    .where('credentials.credential_id', '=', credential_id)
    // R1-02-X-01: another registration's Credential is as unknown as a missing one.
    .where('clients.registration_id', '=', registration_id)
    .executeTakeFirst()
  if (row === undefined) throw new NotFound(`no Credential ${credential_id}`)
  return row
}

/**
 * The key that seals `client_secret` values, or `undefined` when the server shows a secret only
 * once (`client_management.secret_display: 'once'`).
 *
 * @throws {TypeError} when secrets are shown always but no key is configured (`buildServer` makes
 * one when none is set, so this is a programmer error)
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function secretSealingKey(config: ServerConfig): string | undefined {
  const { secret_display, secret_key } = config.client_management
  if (secret_display === 'once') return undefined
  if (secret_key === undefined) throw new TypeError('client_management.secret_key is needed when secret_display is "always"')
  return secret_key
}

/**
 * The Credential object of a stored Credential.
 *
 * - `client_secret` is opened from `client_secret_sealed` when the server shows secrets always
 *   (§7.1 MUST); with `secret_display: 'once'` it appears only in the 201 of a POST (`client_secret`
 *   argument), D-41.
 * - `client_secret_expires_at` is the stored expiry, or the time the Client object was disabled
 *   while it is disabled (§7.1, R1-02-7.1-04, A-16); re-enabling brings the stored value back.
 *
 * @param client_secret the freshly issued secret, when the caller has it in hand (creation)
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function credentialObject(config: ServerConfig, row: CredentialRow, client_secret?: string): Credential {
  const key = secretSealingKey(config)
  const shown = client_secret ?? (key !== undefined && row.client_secret_sealed !== null ? openSecret(row.client_secret_sealed, key) : undefined)
  // CDS-WG1-02 §7.1 (R1-02-7.1-04): while the Client object is disabled, its secrets report when that happened.
  const disabledSince = row.cds_status === 'disabled' ? (row.disabled_at ?? row.cds_modified) : null
  return {
    credential_id: row.credential_id,
    // CDS-WG1-02 §7.1: the Credential's own URL, for GET and PATCH.
    uri: resourceUrl(config.base_url, 'credentials_api', row.credential_id),
    client_id: row.client_id,
    created: toDateTime(row.created),
    modified: toDateTime(row.modified),
    type: row.type,
    // CDS-WG1-02 §7.1 (R1-02-7.1-02): a client_secret Credential shows its secret.
    ...(shown === undefined ? {} : { client_secret: shown }),
    // CDS-WG1-02 §7.1 (R1-02-7.1-03): and when it expires, 0 for never.
    client_secret_expires_at: disabledSince === null ? row.client_secret_expires_at : toEpochSeconds(disabledSince),
  }
}
