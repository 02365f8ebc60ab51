/**
 * Which Client object fields a PUT may change and which it may only repeat (CDS-WG1-02 §5.5,
 * A-17), the URL rules their values follow, and the JSON comparison the rules use.
 *
 * @module
 */
import { InvalidClientMetadata, InvalidRedirectUri } from '@cds-ts/auth'
import { Decimal, stringifyJson } from '@cds-ts/schema'

/**
 * The fields a Client may change with a PUT (CDS-WG1-02 §5.5, R1-02-5.5-02); leaving one out
 * resets it to the server default (R1-02-5.5-06).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export const MUTABLE_CLIENT_FIELDS = [
  'redirect_uris',
  'client_name',
  'client_uri',
  'logo_uri',
  'scope',
  'contacts',
  'tos_uri',
  'policy_uri',
  'cds_status',
  'cds_default_scope',
  'cds_default_redirect_uri',
  'cds_default_authorization_details',
  // CDS-WG3-01 §8.2: the Client's own Purposes; the server's defaults stay whatever is sent.
  'cds_purposes',
] as const

/**
 * One of {@link MUTABLE_CLIENT_FIELDS}.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export type MutableClientField = (typeof MUTABLE_CLIENT_FIELDS)[number]

/**
 * Fields a PUT may send only with their current value, or leave out (CDS-WG1-02 §5.5,
 * R1-02-5.5-04): the spec's immutable list, plus the fields it lists nowhere, which cds-ts manages
 * itself: the RFC 7591 key and software fields and the RFC 7592 management fields are not
 * offered for change. `authorization_details_types` follows `scope`: it may be sent as it is or
 * as the requested scope makes it (checked with the scope, `plan-client-update.ts`).
 *
 * `cds_modified` is not here: it changes on every write, so a copy read before another change is
 * not an attempt to set it, and is ignored (D-42). `client_secret` is ignored too (RFC 7592 §2.2
 * lets a server leave the secret alone; Credentials are managed in §7).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export const FIXED_CLIENT_FIELDS = [
  'client_id',
  'client_id_issued_at',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'cds_created',
  'cds_client_uri',
  'cds_server_metadata',
  'cds_status_options',
  'jwks_uri',
  'jwks',
  'software_id',
  'software_version',
  'registration_client_uri',
  'registration_access_token',
] as const

/**
 * The fields whose values depend on each other: a change under review holds back the whole group,
 * so the values applied at once always agree (the default redirect URI is one of `redirect_uris`,
 * the default scope lies within `scope`).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export const CLIENT_FIELD_GROUPS: readonly (readonly MutableClientField[])[] = [
  ['redirect_uris', 'cds_default_redirect_uri'],
  // The Purposes support the object's scopes (CDS-WG3-01 §8.2), so they wait with a scope change.
  ['scope', 'cds_default_scope', 'cds_default_authorization_details', 'cds_purposes'],
]

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof Decimal || typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]))
}

/**
 * Whether two JSON values are equal: member order does not matter, `undefined` members count as
 * absent, decimals compare by their digits.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b
  return stringifyJson(canonical(a)) === stringifyJson(canonical(b))
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

/**
 * Checks an informational URL of a Client object (`client_uri`, `logo_uri`, `tos_uri`,
 * `policy_uri`): an absolute `http` or `https` URL with a host (RFC 7591 §2).
 *
 * @throws {InvalidClientMetadata} naming the field
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export function checkWebUrl(field: string, value: string): string {
  const url = parseUrl(value)
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.host === '') {
    throw new InvalidClientMetadata(`${field} must be an absolute http or https URL`)
  }
  return value
}

/**
 * Checks a redirect URI (A-18, RFC 6749 §3.1.2): absolute, without a fragment, `https`, or `http`
 * on a loopback host for native and development clients. Other schemes are refused.
 *
 * @throws {InvalidRedirectUri} naming the URI (RFC 7591 §3.2.2)
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2 | RFC 6749 §3.1.2}
 */
export function checkRedirectUri(value: string): string {
  const url = parseUrl(value)
  // RFC 6749 §3.1.2: an absolute URI without a fragment component.
  if (url === undefined || value.includes('#')) throw new InvalidRedirectUri(`the redirect URI ${JSON.stringify(value)} is not an absolute URI without a fragment`)
  // https, or http on loopback only.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname === '::1' ? '[::1]' : url.hostname))) {
    throw new InvalidRedirectUri(`the redirect URI ${value} must use https (http only on 127.0.0.1, localhost or [::1])`)
  }
  return value
}

/**
 * The tokens of a space-separated scope string (RFC 6749 §3.3), each once, in order.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function scopeTokens(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((token) => token !== ''))]
}
