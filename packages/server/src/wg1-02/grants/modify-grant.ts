/**
 * `PATCH /api/grants/{grant_id}`: a Client closes one of its Grants or changes its `scope` or
 * `authorization_details` (CDS-WG1-02 §8.6). In order:
 *
 * 1. find the Grant in the caller's registration (404 otherwise);
 * 2. refuse a Grant whose status is final;
 * 3. `status: "closed"` closes it and ignores the rest, except the Client Admin Grant;
 * 4. otherwise check the new values against the Client object (400 when invalid) and decide:
 *    a wider request waits for a user (`needs_authorization`, 200); a reduction applies at once
 *    (200), or waits for the operator when the server reviews Grant changes (`pending`, 202).
 *
 * @module
 */
import {
  addSeconds,
  CLIENT_ADMIN_SCOPE,
  InvalidAuthorizationDetails,
  InvalidRequest,
    toDateTime,
  validateAuthorizationDetails,
  type ClientRecord,
} from '@cds-ts/auth'
import { Grant, GrantModifyRequest, type AuthorizationDetail } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { GrantChanges, GrantRecord } from '../../db/grant-store.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { isReduction, remainingAccess } from './access-reduction.js'
import { canonicalJson, LIMITED_STATUSES, scopeTokens, TERMINAL_STATUSES } from './grant-access.js'
import { inTransaction, writeGrantChange, type GrantChangeNote } from './grant-changes.js'
import { findOwnGrant, loadGrantObject } from './grant-object.js'
import { GrantParams } from './get-grant.js'

/** How long the operator's review of a Grant change is expected to take: the `eta` of a pending Grant (R1-02-8.1-07). */
export const GRANT_REVIEW_ETA_SECONDS = 5 * 24 * 60 * 60

// RFC 6749 §3.3: scope tokens of printable ASCII without space, `"` and `\`, separated by single spaces.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/

/** The outcome of a PATCH: what to store, the Message about it, and the status code. */
interface Decision {
  changes: GrantChanges
  note: GrantChangeNote
  status: 200 | 202
}

/**
 * Checks a requested `scope` and `authorization_details` against the Grant's Client object
 * (CDS-WG1-02 §8.6, R1-02-8.6-07) and returns the entries; `fresh` (submitted) ones normalized:
 * defaults filled and relative dates resolved now, as at an authorization.
 *
 * @throws {InvalidRequest} for a malformed scope or one the Client object is not registered for
 * @throws {InvalidAuthorizationDetails} for an entry its Scope Description does not allow
 */
function checkRequestedAccess(
  scope: string,
  details: AuthorizationDetail[],
  client: ClientRecord,
  config: ServerConfig,
  options: { clock: ApiPluginOptions['clock']; fresh: boolean },
): AuthorizationDetail[] {
  // RFC 6749 §3.3: the scope syntax; an empty scope is allowed when entries carry the access.
  if (scope !== '' && !SCOPE.test(scope)) throw new InvalidRequest('scope must be space-separated scope values')
  const registered = new Set(scopeTokens(client.scope))
  for (const token of scopeTokens(scope)) {
    // CDS-WG1-02 §8.6 (R1-02-8.6-07): a Grant can only ask for scopes its Client object is registered for.
    if (!registered.has(token)) throw new InvalidRequest(`the scope ${token} is not registered for the Grant's Client object`)
  }
  for (const entry of details) {
    // CDS-WG1-02 §8.6 (R1-02-8.6-07), RFC 9396 §5: an entry type the Client object may use.
    if (!registered.has(entry.type) || !client.authorization_details_types.includes(entry.type)) {
      throw new InvalidAuthorizationDetails(`authorization_details type ${entry.type} is not available to the Grant's Client object`)
    }
  }
  // CDS-WG1-02 §8.6: a Grant must still grant something; closing is done with status "closed".
  if (scopeTokens(scope).length === 0 && details.length === 0) throw new InvalidRequest('a Grant needs a scope or authorization_details; send status "closed" to end it')
  // The Grant's own entries were checked when it got them.
  if (!options.fresh) return details
  const descriptions = [...new Set([...scopeTokens(scope), ...details.map((entry) => entry.type)])]
    .map((id) => config.oauth.scope_descriptions[id])
    .filter((description) => description !== undefined)
  // CDS-WG1-02 §3.8, §3.9 (R1-02-8.6-07): each entry is checked against its fields.
  return validateAuthorizationDetails(details, descriptions, { clock: options.clock, timezone: config.oauth.timezone })
}

/**
 * Decides what a change of `scope` and `authorization_details` does (CDS-WG1-02 §8.6, A-23), or
 * `undefined` when nothing differs from the Grant (R1-02-8.6-01).
 */
function decideAccessChange(
  grant: GrantRecord,
  next: { scope: string; authorization_details: AuthorizationDetail[] },
  config: ServerConfig,
  now: Date,
): Decision | undefined {
  const unchanged = next.scope === grant.scope && canonicalJson(next.authorization_details) === canonicalJson(grant.authorization_details)
  if (unchanged) return undefined
  const descriptions = config.oauth.scope_descriptions
  const current = { enabled_scope: grant.enabled_scope, enabled_authorization_details: grant.enabled_authorization_details }
  const summary = `scope "${grant.scope}" → "${next.scope}"`
  if (!isReduction(next, grant, descriptions)) {
    // CDS-WG1-02 §8.6 (R1-02-8.6-05, -06), A-23: a wider Grant waits for a user; meanwhile only the access
    // already enabled (and still asked for) remains. Applied now, so 200 even when the server reviews changes.
    return {
      status: 200,
      changes: { ...next, status: 'needs_authorization', eta: null, ...remainingAccess(next, current, descriptions) },
      note: { name: 'Grant needs authorization', description: `The Client widened the Grant (${summary}); a user must authorize it with cds_grant_id.` },
    }
  }
  if (config.client_management.grant_changes_need_review) {
    // CDS-WG1-02 §8.6 (R1-02-8.6-10): under review the Grant is pending (202) and keeps the access it has now.
    return {
      status: 202,
      changes: { ...next, status: 'pending', eta: toDateTime(addSeconds(now, GRANT_REVIEW_ETA_SECONDS)), ...current },
      note: { name: 'Grant change under review', description: `The Client asked to change the Grant (${summary}); the server is reviewing it.` },
    }
  }
  // CDS-WG1-02 §8.6 (R1-02-8.6-04, -06, -09): a reduction needs no user and applies at once, status unchanged.
  const enabled = remainingAccess(next, current, descriptions)
  const complete = enabled.enabled_scope === next.scope && canonicalJson(enabled.enabled_authorization_details) === canonicalJson(next.authorization_details)
  // CDS-WG1-02 §8.2: a Grant limited to part of its access has all of it once the rest is dropped.
  const status = LIMITED_STATUSES.has(grant.status) && complete ? 'active' : grant.status
  return {
    status: 200,
    changes: { ...next, status, ...enabled },
    note: { name: 'Grant modified', description: `The Client reduced the Grant (${summary}).` },
  }
}

/**
 * Registers the Grant modification.
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export const modifyGrantPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.patch(
    // CDS-WG1-02 §8.6 (R1-02-8.6-01): PATCH at the Grant's `uri`.
    `${ENDPOINT_PATHS.grants_api}/:grant_id`,
    {
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'modifyGrant',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Modifying Grants',
        description:
          'Closes a Grant of the caller’s registration or changes its `scope` or `authorization_details`; other members are ignored. ' +
          '200 with the Grant when applied, 202 when the server reviews the change (CDS-WG1-02 §8.6).',
        params: GrantParams,
        // CDS-WG1-02 §8.6 (R1-02-8.6-02, -07, -08): the schema accepts only `closed` as a status and
        // lets members the Client cannot modify through, to be ignored.
        body: GrantModifyRequest,
        response: {
          200: ref(Grant),
          202: ref(Grant),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const body = request.body
      const { record, status } = await inTransaction(db, async (trx) => {
        // R1-02-X-01, -02: an unknown or foreign grant_id is 404.
        const grant = await findOwnGrant(trx, caller.registration_id, request.params.grant_id)
        // a closed, revoked, expired or disabled Grant is over; nothing can be changed any more.
        if (TERMINAL_STATUSES.has(grant.status)) throw new InvalidRequest(`the Grant is ${grant.status} and can no longer be modified`)
        let decision: Decision | undefined
        if (body.status === 'closed') {
          // closing the Client Admin Grant would lock the registration out of its own APIs.
          if (scopeTokens(grant.scope).includes(CLIENT_ADMIN_SCOPE)) throw new InvalidRequest('the Client Admin Grant cannot be closed')
          // CDS-WG1-02 §8.2, §8.6 (R1-02-8.6-02), A-21, A-23: closed, nothing enabled; other members are ignored.
          decision = {
            status: 200,
            changes: { status: 'closed', eta: null, enabled_scope: '', enabled_authorization_details: [] },
            note: { name: 'Grant closed', description: 'The Client closed the Grant; access through it has ended.' },
          }
        } else if (body.scope !== undefined || body.authorization_details !== undefined) {
          // On PGlite only the transaction may be used inside it.
          const client = await new KyselyAuthStore(trx).clients.find(grant.client_id)
          if (client === undefined) throw new TypeError(`the Client object ${grant.client_id} of Grant ${grant.grant_id} is missing`)
          // CDS-WG1-02 §8.6 (R1-02-8.6-01): an absent member keeps its value.
          const scope = body.scope ?? grant.scope
          const submitted = body.authorization_details
          const details = checkRequestedAccess(scope, submitted ?? grant.authorization_details, client, config, { clock, fresh: submitted !== undefined })
          decision = decideAccessChange(grant, { scope, authorization_details: details }, config, clock.now())
        }
        // CDS-WG1-02 §8.6 (R1-02-8.6-01, -08): nothing the Client may change differs, so nothing changes.
        if (decision === undefined) return { record: grant, status: 200 as const }
        // CDS-WG1-02 §6 (R1-02-6-01): the change, its token effects and its Message, together.
        return { record: await writeGrantChange(trx, clock, config.base_url, grant, decision.changes, decision.note), status: decision.status }
      })
      return reply.code(status).send(await loadGrantObject(db, config.base_url, record))
    },
  )
}
