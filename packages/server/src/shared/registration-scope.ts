/**
 * Tenant isolation for the client management APIs: a `cds_client_admin` token reaches the Client
 * objects, Messages, Credentials and Grants of its own registration and nothing else
 * (R1-02-X-01, A-07). Every handler of those APIs starts from {@link callerRegistration}.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @module
 */
import { InvalidToken } from '@cds-ts/auth'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** Who is calling: the Client object of the bearer token and its registration. */
export interface CallerRegistration {
  /** The Client object the token was issued to. */
  client_id: string
  /** Its registration: every object this caller may see belongs to it. */
  registration_id: string
}

/**
 * The registration of the Client object behind a request's bearer token. Call it only on routes
 * protected by `config: { scope }` (the bearer plugin has set `request.accessToken`).
 *
 * @throws {InvalidToken} when the token's Client object no longer exists
 * @see CDS-WG1-02 §5 Clients API
 */
export async function callerRegistration(request: FastifyRequest, db: Kysely<Database>): Promise<CallerRegistration> {
  const token = request.accessToken
  if (token === null) throw new TypeError('callerRegistration needs a route protected by the bearer plugin')
  const row = await db.selectFrom('clients').select(['registration_id']).where('client_id', '=', token.client_id).executeTakeFirst()
  if (row === undefined) throw new InvalidToken('the access token belongs to a Client object that no longer exists')
  return { client_id: token.client_id, registration_id: row.registration_id }
}
