/**
 * Token introspection (RFC 7662), which CDS-WG1-02 §3.2 requires: an authenticated client asks
 * whether a token is active and, when the token belongs to its own registration, what it grants.
 * Every other answer is exactly `{ "active": false }`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662 | RFC 7662}
 * @module
 */
import type { IntrospectionResponse } from '@cds-ts/schema'
import type { EndpointRequestInput } from './authenticate-endpoint-client.js'
import { authenticateEndpointClient } from './authenticate-endpoint-client.js'
import type { Clock } from './clock.js'
import { toEpochSeconds } from './clock.js'
import { InvalidRequest } from './errors.js'
import { stringParameter } from './grants/token-issuance.js'
import type { AuthStore } from './store.js'
import { findActiveToken } from './token-lookup.js'

/** The introspection endpoint's view of an HTTP request. */
export type IntrospectionRequestInput = EndpointRequestInput

/** Options of {@link handleIntrospectionRequest}. */
export interface IntrospectionOptions {
  store: AuthStore
  clock: Clock
  /** The issuer identifier (the server's base URL), sent as `iss`. */
  issuer: string
  /** The realm of the Basic challenge sent with `invalid_client`; default `cds`. */
  realm?: string | undefined
}

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false })

/**
 * Handles an introspection request:
 *
 * 1. The client authenticates with `client_secret_basic` (the endpoint is protected).
 * 2. `token` is required; `token_type_hint` only speeds a search, so any value is accepted.
 * 3. An unknown, revoked or expired token, a token of a disabled Client object or of an expired
 *    Credential, and a token of another registration are all `{ "active": false }`.
 * 4. Otherwise the response carries `scope`, `client_id`, `token_type`, `exp`, `iat`, `iss` and
 *    the granted `authorization_details`.
 *
 * @example
 * ```ts
 * const body = await handleIntrospectionRequest({ authorization: req.headers.authorization, body: req.body }, { store, clock, issuer })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.1 | RFC 7662 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export async function handleIntrospectionRequest(input: IntrospectionRequestInput, options: IntrospectionOptions): Promise<IntrospectionResponse> {
  // RFC 7662 §2.1 (catalog RFC7662-01): the endpoint requires client authentication.
  const { client } = await authenticateEndpointClient(input, { ...options, methods: ['client_secret_basic'] })
  const token = stringParameter(input.body, 'token')
  // RFC 7662 §2.1 (catalog RFC7662-04): `token` is REQUIRED.
  if (token === undefined) throw new InvalidRequest("the parameter 'token' is required")
  // RFC 7662 §2.1: the hint may be ignored; every token kind is searched anyway.
  stringParameter(input.body, 'token_type_hint')

  const active = await findActiveToken(token, options)
  // RFC 7662 §2.2 (catalog RFC7662-03): an inactive token yields only `active: false`.
  if (active === undefined) return INACTIVE
  // A-39 (catalog RFC7662-05): a client learns about tokens of its own registration only.
  if (active.client.registration_id !== client.registration_id) return INACTIVE

  const { record } = active
  const response: IntrospectionResponse = {
    active: true,
    scope: record.scope,
    client_id: record.client_id,
    exp: toEpochSeconds(record.expires_at),
    iat: toEpochSeconds(record.issued_at),
    iss: options.issuer,
  }
  // RFC 7662 §2.2: token_type as in RFC 6749 §5.1, which only access tokens have.
  if (record.token_type === 'access_token') response.token_type = 'Bearer'
  // RFC 9396 §9.2 (catalog RFC9396-04): the granted authorization details are part of the answer.
  if (record.authorization_details.length > 0) response.authorization_details = record.authorization_details
  return response
}
