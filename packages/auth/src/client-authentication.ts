/**
 * Client authentication (RFC 6749 §2.3) for the token, PAR, introspection and revocation
 * endpoints: the one place that reads client credentials from a request. Two steps, usable apart:
 * {@link parseClientAuthentication} finds which method the request used and its credentials;
 * {@link authenticateClient} also checks them against what storage holds, through a lookup
 * function, so this file never touches storage itself.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 | RFC 6749 §2.3}
 * @module
 */
import type { Clock } from './clock.js'
import { nowSeconds } from './clock.js'
import { hashSecret, verifySecret } from './crypto.js'
import { InvalidClient, InvalidRequest } from './errors.js'
import type { ClientRecord, CredentialRecord } from './store.js'

/**
 * The client authentication methods this module understands (RFC 7591 §2
 * `token_endpoint_auth_method` values). CDS scopes list `client_secret_basic` and, for public
 * clients, `none`; `client_secret_post` works only where a caller enables it.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 | RFC 7591 §2}
 */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/** The parts of an HTTP request client authentication reads. */
export interface ClientAuthenticationRequest {
  /** The `Authorization` header, if any. */
  authorization?: string | undefined
  /** The parsed form body; repeated parameters arrive as arrays. */
  body?: Readonly<Record<string, unknown>> | undefined
}

/** Options of {@link parseClientAuthentication}. */
export interface ClientAuthenticationOptions {
  /** The methods this endpoint accepts. Default `['client_secret_basic']`. */
  methods?: readonly ClientAuthenticationMethod[]
  /** The realm of the `WWW-Authenticate: Basic` challenge. Default `'cds'`. */
  realm?: string
}

/**
 * The credentials a request presented. `client_secret` is absent for `none`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 | RFC 6749 §2.3.1}
 */
export interface ClientCredentials {
  client_id: string
  client_secret?: string
  method: ClientAuthenticationMethod
}

/** What {@link authenticateClient} needs to know about a Client object from storage. */
export interface ClientAuthenticationRecord {
  client: Pick<ClientRecord, 'client_id' | 'token_endpoint_auth_method' | 'cds_status'>
  /** Its Credentials, expired ones included. */
  credentials: readonly Pick<CredentialRecord, 'credential_id' | 'client_secret_hash' | 'client_secret_expires_at'>[]
}

/** Options of {@link authenticateClient}. */
export interface AuthenticateClientOptions extends ClientAuthenticationOptions {
  /** Loads a Client object and its Credentials; `undefined` when the `client_id` is unknown. */
  findClient: (client_id: string) => Promise<ClientAuthenticationRecord | undefined>
  /** The time against which `client_secret_expires_at` is checked. */
  clock: Clock
}

/**
 * An authenticated client: who, how, and with which Credential (`null` for `none`). Tokens record
 * the `credential_id` so that expiring it revokes them (CDS-WG1-02 §7.6).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 | RFC 6749 §2.3}
 */
export interface AuthenticatedClient {
  client_id: string
  method: ClientAuthenticationMethod
  credential_id: string | null
}

const DEFAULT_METHODS: readonly ClientAuthenticationMethod[] = ['client_secret_basic']
const DEFAULT_REALM = 'cds'
// RFC 7617 §2 with RFC 9110 §11.2 token68: the Basic credentials are one base64 token.
const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i
// A digest of nothing real, checked against when a client is unknown so both paths hash alike.
const DUMMY_HASH = hashSecret('cds-ts: no such client')

/**
 * The `WWW-Authenticate` value of a Basic challenge.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7617#section-2 | RFC 7617 §2}
 */
export function basicChallenge(realm: string = DEFAULT_REALM): string {
  return `Basic realm="${realm.replace(/["\\]/g, '')}"`
}

/**
 * Reads the client credentials of a request without checking them: HTTP Basic in the
 * `Authorization` header (`client_secret_basic`), `client_id` and `client_secret` in the body
 * (`client_secret_post`, only when enabled), or a bare `client_id` (`none`, only when enabled).
 * Throws `InvalidRequest` when credentials are sent twice or a parameter is repeated, and
 * `InvalidClient` (401, with a Basic challenge) when they are missing, malformed or of a method
 * the endpoint does not take.
 *
 * @example
 * ```ts
 * const { client_id, client_secret, method } = parseClientAuthentication({ authorization: req.headers.authorization, body: req.body })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 | RFC 6749 §2.3.1}
 */
export function parseClientAuthentication(request: ClientAuthenticationRequest, options: ClientAuthenticationOptions = {}): ClientCredentials {
  const methods = options.methods ?? DEFAULT_METHODS
  const challenge = basicChallenge(options.realm)
  // RFC 6749 §5.2 requires the challenge when the header was used; RFC 9110 §11.6.1 requires one on every 401.
  const fail = (description: string) => new InvalidClient(description, { wwwAuthenticate: challenge })
  const body = request.body ?? {}
  const bodyClientId = single(body, 'client_id')
  const bodySecret = single(body, 'client_secret')

  // RFC 6749 §2.3: only the methods below are supported; assertions (RFC 7521) are not part of CDS.
  if (single(body, 'client_assertion') !== undefined || single(body, 'client_assertion_type') !== undefined) {
    throw fail('client assertions are not supported')
  }

  const authorization = request.authorization?.trim()
  if (authorization !== undefined && authorization !== '') {
    if (!methods.includes('client_secret_basic')) throw fail('HTTP Basic client authentication is not accepted here')
    const { client_id, client_secret } = decodeBasic(authorization, fail)
    // RFC 6749 §2.3: a client uses one authentication method per request.
    if (bodySecret !== undefined) throw new InvalidRequest('client credentials were sent both in the Authorization header and in the body')
    // RFC 6749 §2.3.1: a body client_id may repeat the header's, never contradict it.
    if (bodyClientId !== undefined && bodyClientId !== client_id) {
      throw new InvalidRequest('client_id in the body differs from the one in the Authorization header')
    }
    return { client_id, client_secret, method: 'client_secret_basic' }
  }

  if (bodySecret !== undefined) {
    // RFC 6749 §2.3.1: the body method is optional for servers, and no CDS scope lists it.
    if (!methods.includes('client_secret_post')) throw fail('client_secret in the body is not accepted; use HTTP Basic')
    if (bodyClientId === undefined) throw fail('client_id is required with client_secret')
    return { client_id: bodyClientId, client_secret: bodySecret, method: 'client_secret_post' }
  }

  if (bodyClientId !== undefined && methods.includes('none')) {
    // CDS-WG1-02 §3.4 (R1-02-3.4-10): `none` is for public clients; the Client object must say so (checked by authenticateClient).
    return { client_id: bodyClientId, method: 'none' }
  }
  throw fail('client authentication is required')
}

/**
 * Authenticates the client of a request: {@link parseClientAuthentication}, then the lookup.
 * The Client object must exist and not be `disabled`, must be registered for the method used, and
 * for a secret method one of its Credentials must match the secret in constant time and not be
 * expired. Every failure is the same `InvalidClient` (401, Basic challenge) so a caller learns
 * nothing about which part was wrong.
 *
 * @example
 * ```ts
 * const client = await authenticateClient(
 *   { authorization: req.headers.authorization, body: req.body },
 *   { methods: ['client_secret_basic', 'none'], clock, findClient: async (id) => loadClientWithCredentials(store, id) },
 * )
 * ```
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 | RFC 6749 §2.3.1}
 */
export async function authenticateClient(request: ClientAuthenticationRequest, options: AuthenticateClientOptions): Promise<AuthenticatedClient> {
  const presented = parseClientAuthentication(request, options)
  const failed = () => new InvalidClient('client authentication failed', { wwwAuthenticate: basicChallenge(options.realm) })
  const found = await options.findClient(presented.client_id)

  if (presented.method === 'none') {
    // CDS-WG1-02 §3.4 (R1-02-3.4-10): only a Client object registered as public may skip the secret.
    if (found === undefined || found.client.token_endpoint_auth_method !== 'none') throw failed()
    // CDS-WG1-02 §5.2 (R1-02-5.2-04): a disabled Client object gets no tokens.
    if (found.client.cds_status === 'disabled') throw failed()
    return { client_id: presented.client_id, method: 'none', credential_id: null }
  }

  const secret = presented.client_secret ?? ''
  if (found === undefined) {
    // Same work as a known client, so the response time does not tell whether the client_id exists.
    verifySecret(secret, DUMMY_HASH)
    throw failed()
  }
  const now = nowSeconds(options.clock)
  let match: string | null = null
  for (const credential of found.credentials) {
    // Every Credential is compared, matching or not, so timing does not reveal which one matched.
    const equal = verifySecret(secret, credential.client_secret_hash)
    // CDS-WG1-02 §7.6 (R1-02-7.1-05): an expiry at or before now disables the secret; 0 means it never expires.
    const live = credential.client_secret_expires_at === 0 || credential.client_secret_expires_at > now
    if (equal && live && match === null) match = credential.credential_id
  }
  if (match === null) throw failed()
  // RFC 7591 §2: the client authenticates with the method it is registered for.
  if (!secretMethodMatches(found.client.token_endpoint_auth_method, presented.method)) throw failed()
  // CDS-WG1-02 §5.2 (R1-02-5.2-04): a disabled Client object gets no tokens.
  if (found.client.cds_status === 'disabled') throw failed()
  return { client_id: presented.client_id, method: presented.method, credential_id: match }
}

/**
 * A Client object registered for a secret method accepts only that method. `null` means it has no
 * credentials at all (CDS-WG1-02 §5.1), so no secret method fits.
 */
function secretMethodMatches(registered: string | null, used: ClientAuthenticationMethod): boolean {
  if (registered === null) return false
  return registered === used
}

/** RFC 6749 §2.3.1 and RFC 7617 §2: base64 of `id:secret`, each form-urlencoded first. */
function decodeBasic(header: string, fail: (description: string) => InvalidClient): { client_id: string; client_secret: string } {
  const match = BASIC.exec(header)
  if (match?.[1] === undefined) throw fail('the Authorization header is not HTTP Basic credentials')
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw fail('HTTP Basic credentials lack the colon between client_id and client_secret')
  const client_id = formDecode(decoded.slice(0, colon))
  const client_secret = formDecode(decoded.slice(colon + 1))
  if (client_id === '' || client_secret === '') throw fail('HTTP Basic credentials need a client_id and a client_secret')
  return { client_id, client_secret }
}

/**
 * RFC 6749 §2.3.1 (Appendix B): `+` is a space and `%XX` an octet. A-38: a client that skipped
 * the encoding sends raw text; when it is not valid percent-encoding it is taken as is.
 */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

/** One body parameter as a string; RFC 6749 §3.2 forbids repeats; an empty value counts as absent (§3.1). */
function single(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return value
  if (Array.isArray(value)) throw new InvalidRequest(`${name} must not be repeated`)
  throw new InvalidRequest(`${name} must be a string`)
}
