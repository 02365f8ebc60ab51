/**
 * Client authentication (the one mechanism of `client-authentication.ts`) bound to an
 * {@link AuthStore}: the token, introspection and revocation endpoints all call this.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 | RFC 6749 §2.3}
 * @module
 */
import type { AuthenticatedClient, ClientAuthenticationMethod } from './client-authentication.js'
import { authenticateClient } from './client-authentication.js'
import type { Clock } from './clock.js'
import { InvalidClient } from './errors.js'
import type { AuthStore, ClientRecord } from './store.js'

/** The parts of an HTTP request the OAuth endpoints read. */
export interface EndpointRequestInput {
  /** The `Authorization` header, if any. */
  authorization?: string | undefined
  /** The parsed form body (single string values; a repeated parameter may arrive as an array and is refused). */
  body: Readonly<Record<string, unknown>>
}

/** Options of {@link authenticateEndpointClient}. */
export interface EndpointClientOptions {
  store: AuthStore
  clock: Clock
  /** The methods the endpoint accepts. */
  methods: readonly ClientAuthenticationMethod[]
  /** The realm of the Basic challenge; default `cds`. */
  realm?: string | undefined
}

/**
 * Authenticates the caller of an OAuth endpoint against storage and returns its Client object.
 *
 * @internal
 * @throws {InvalidClient} (401, Basic challenge) when authentication fails
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 | RFC 6749 §2.3}
 */
export async function authenticateEndpointClient(
  input: EndpointRequestInput,
  options: EndpointClientOptions,
): Promise<{ authenticated: AuthenticatedClient; client: ClientRecord }> {
  const { store, clock, realm, methods } = options
  const authenticated = await authenticateClient(
    { authorization: input.authorization, body: input.body },
    {
      methods,
      clock,
      ...(realm === undefined ? {} : { realm }),
      findClient: async (client_id) => {
        const client = await store.clients.find(client_id)
        return client && { client, credentials: await store.credentials.listByClient(client_id) }
      },
    },
  )
  const client = await store.clients.find(authenticated.client_id)
  // The Client object vanished between the two reads: the same answer as a failed authentication.
  if (client === undefined) throw new InvalidClient('client authentication failed')
  return { authenticated, client }
}
