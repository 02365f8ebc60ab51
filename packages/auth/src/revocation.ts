/**
 * Token revocation (RFC 7009), which CDS-WG1-02 §3.2 requires: an authenticated client revokes an
 * access or refresh token of its own registration. The answer is the same (200, no body) whether
 * the token was revoked, already dead, unknown, or not the caller's, so nothing leaks.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009 | RFC 7009}
 * @module
 */
import type { EndpointRequestInput } from './authenticate-endpoint-client.js'
import { authenticateEndpointClient } from './authenticate-endpoint-client.js'
import type { AuthenticatedClient } from './client-authentication.js'
import type { Clock } from './clock.js'
import { hashSecret } from './crypto.js'
import { InvalidRequest } from './errors.js'
import { stringParameter } from './grants/token-issuance.js'
import type { AuthStore, ClientRecord, TokenRecord } from './store.js'

/** The revocation endpoint's view of an HTTP request. */
export type RevocationRequestInput = EndpointRequestInput

/** Options of {@link handleRevocationRequest}. */
export interface RevocationOptions {
  store: AuthStore
  clock: Clock
  /** The realm of the Basic challenge sent with `invalid_client`; default `cds`. */
  realm?: string | undefined
}

/**
 * What a revocation did, for logs and tests; the HTTP answer is 200 in every case.
 *
 * - `revoked`: the token was live or already revoked, and it and its dependants are now revoked;
 * - `unknown`: no such token;
 * - `foreign`: the token belongs to another registration (or, for a public client, another client) and was left alone.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.2 | RFC 7009 §2.2}
 */
export type RevocationOutcome = 'revoked' | 'unknown' | 'foreign'

/**
 * Handles a revocation request:
 *
 * 1. The client authenticates with `client_secret_basic`, or as a public client with its `client_id`.
 * 2. `token` is required; `token_type_hint` only guides the search, and an unknown hint is ignored.
 * 3. An unknown token is a success with nothing to do.
 * 4. A token of another registration (for a public client: of another client) is left alone,
 *    still with a success answer.
 * 5. A refresh token is revoked with every token of its family (the access and refresh tokens
 *    issued from the same authorization code); an access token is revoked alone.
 *
 * No token type is refused with `unsupported_token_type`: both kinds the server issues can be
 * revoked, and a hint it does not know is ignored (RFC 7009 §2.1).
 *
 * @example
 * ```ts
 * await handleRevocationRequest({ authorization: req.headers.authorization, body: req.body }, { store, clock })
 * reply.code(200).send()
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.2 | RFC 7009 §2.2}
 */
export async function handleRevocationRequest(input: RevocationRequestInput, options: RevocationOptions): Promise<RevocationOutcome> {
  // RFC 7009 §2.1 (catalog RFC7009-01): the same client authentication as the token endpoint; A-39: public clients too.
  const { authenticated, client } = await authenticateEndpointClient(input, { ...options, methods: ['client_secret_basic', 'none'] })
  const token = stringParameter(input.body, 'token')
  // RFC 7009 §2.1: `token` is REQUIRED.
  if (token === undefined) throw new InvalidRequest("the parameter 'token' is required")
  // RFC 7009 §2.1 (catalog RFC7009-03): a hint may be wrong or unknown; every kind is searched.
  stringParameter(input.body, 'token_type_hint')

  const { store, clock } = options
  return store.transaction(async (tx) => {
    const record = await tx.tokens.find(hashSecret(token))
    // RFC 7009 §2.2 (catalog RFC7009-02): an unknown token is answered with 200 as well.
    if (record === undefined) return 'unknown'
    // RFC 7009 §2.1, A-39 (catalog RFC7009-05): only tokens of the caller's own registration are revoked.
    if (!owns(authenticated, client, record, await tx.clients.find(record.client_id))) return 'foreign'
    const now = clock.now()
    await tx.tokens.revoke(record.token_hash, now)
    // RFC 7009 §2.1 (catalog RFC7009-04): revoking a refresh token also ends the access tokens of the same grant.
    if (record.token_type === 'refresh_token' && record.code_hash !== null) await tx.tokens.revokeByCode(record.code_hash, now)
    return 'revoked'
  })
}

/** Whether the caller may revoke a token: same registration; a public client only its own tokens. */
function owns(authenticated: AuthenticatedClient, caller: ClientRecord, token: TokenRecord, owner: ClientRecord | undefined): boolean {
  if (authenticated.method === 'none') return token.client_id === caller.client_id
  return owner !== undefined && owner.registration_id === caller.registration_id
}
