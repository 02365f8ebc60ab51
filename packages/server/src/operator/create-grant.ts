/**
 * `POST /operator/grants`: a Grant the server creates for a Client object on its own (CDS-WG1-02
 * §8): a Server-Provided Files Grant (§3.3.3), a "grant request" in `needs_authorization` that a
 * customer authorizes through an authorization request carrying its `cds_grant_id` (§8.3), or an
 * `active` Grant agreed outside the APIs. The Grant and the Message announcing it to the Client
 * object's registration are written together (R1-02-6-01, A-37).
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { Cds, Grant, GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static } from 'typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { scopeTokens } from '../wg1-02/clients/client-fields.js'
import { createGrant, type NewGrant } from '../wg1-02/grants/grant-changes.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { grantObjectOf, requireClient } from './operator-lookups.js'
import { OperatorGrant } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const dateTime = (description: string) => Type.Optional(Cds.Nullable(Cds.DateTime(), { description }))

/**
 * The body of `POST /operator/grants`.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export const OperatorGrantRequest = Type.Object(
  {
    client_id: Type.String({ minLength: 1, description: 'The Client object the Grant is for.' }),
    scope: Type.String({ description: 'Space-separated scopes, each one of the Client object\u2019s.' }),
    authorization_details: Type.Optional(Grant.properties.authorization_details),
    status: Type.Optional(GrantStatus),
    enabled_scope: Type.Optional(Type.String({ description: 'For `partial`, `needs_authorization` or `needs_sub_grants`: the scope enabled meanwhile.' })),
    enabled_authorization_details: Type.Optional(Grant.properties.enabled_authorization_details),
    not_before: dateTime('When a `future` Grant starts.'),
    not_after: dateTime('When access ends.'),
    expires: dateTime('When the server removes the Grant; default `not_after` (A-24).'),
    eta: dateTime('For a `pending` Grant: when the review should end.'),
    parent: Type.Optional(Cds.Nullable(Type.String(), { description: 'The `grant_id` of the parent Grant.' })),
    replacing: Type.Optional(Type.Array(Type.String(), { description: '`grant_id`s of the Grants this one supersedes.' })),
    customer_id: Type.Optional(Cds.Nullable(Type.String(), { description: 'The customer the Grant is for, when known.' })),
    name: Type.Optional(Type.String({ description: 'Subject of the Message announcing the Grant.' })),
    description: Type.Optional(Type.String({ description: 'Text of the Message announcing the Grant.' })),
  },
  { additionalProperties: false },
)
export type OperatorGrantRequest = Static<typeof OperatorGrantRequest>

/**
 * Registers `POST /operator/grants`.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 */
export const createGrantPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/grants',
    {
      // Authorization details may carry decimals (CDS-WG1-02 §3.9); they keep every digit.
      config: { decimalJson: true },
      schema: {
        operationId: 'operatorCreateGrant',
        tags: [OPERATOR_TAG],
        summary: 'Creating a Grant',
        description:
          'Creates a Grant for a Client object, in any status (e.g. `needs_authorization` for a customer to authorize with `cds_grant_id`, ' +
          'or `active`), and announces it in the Messages of the Client object\u2019s registration (CDS-WG1-02 §8, R1-02-6-01).',
        security: OPERATOR_SECURITY,
        body: OperatorGrantRequest,
        response: { 201: OperatorGrant, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { body } = request
      const result = await db.transaction().execute(async (trx) => {
        const client = await requireClient(trx, body.client_id)
        const own = scopeTokens(client.scope)
        const asked = scopeTokens(body.scope)
        // CDS-WG1-02 §8.1: a Grant gives access within the scopes its Client object is registered for.
        const outside = asked.filter((id) => !own.includes(id))
        if (outside.length > 0) throw new InvalidRequest(`scope: ${outside.join(' ')} is not a scope of the Client object ${client.client_id}`)
        const details = body.authorization_details ?? []
        // RFC 9396 §10, CDS-WG1-02 §3.3.3: each entry's type is one the Client object may hold.
        const foreign = details.find((detail) => !client.authorization_details_types.includes(detail.type))
        if (foreign !== undefined) throw new InvalidRequest(`authorization_details: ${foreign.type} is not one of the Client object\u2019s authorization_details_types`)
        if (body.parent !== undefined && body.parent !== null) {
          const parent = await trx.selectFrom('grants').select('grant_id').where('grant_id', '=', body.parent).executeTakeFirst()
          if (parent === undefined) throw new InvalidRequest(`parent: no Grant ${body.parent}`)
        }
        const input: NewGrant = {
          client_id: client.client_id,
          scope: asked.join(' '),
          authorization_details: details,
          changelog: {
            base_url: config.base_url,
            name: body.name ?? 'Grant created',
            ...(body.description === undefined ? {} : { description: body.description }),
          },
        }
        if (body.status !== undefined) input.status = body.status
        if (body.enabled_scope !== undefined) input.enabled = { enabled_scope: body.enabled_scope, enabled_authorization_details: body.enabled_authorization_details ?? [] }
        for (const field of ['not_before', 'not_after', 'expires', 'eta', 'parent', 'customer_id'] as const) {
          if (body[field] !== undefined) input[field] = body[field]
        }
        if (body.replacing !== undefined) input.replacing = body.replacing
        const record = await createGrant(trx, clock, input)
        return { registration_id: client.registration_id, grant: await grantObjectOf(trx, config.base_url, record) }
      })
      return reply.code(201).send(result)
    },
  )
}
