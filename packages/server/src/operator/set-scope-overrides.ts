/**
 * `PUT /operator/clients/{client_id}/scope-overrides`: the operator narrows Scope Descriptions for
 * one Client object (fewer coverages, other limits), or clears the narrowing with `null`
 * (CDS-WG1-02 §5.1, R1-02-5.1-14). The Clients helper checks and stores the overrides, points the
 * object's `cds_server_metadata` at its own metadata, and writes the changelog Message.
 *
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { findClient } from '../wg1-02/clients/client-object.js'
import { setScopeOverrides } from '../wg1-02/clients/scope-overrides.js'
import { ClientParams } from './change-client-status.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorClient } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Body = Type.Object(
  {
    scope_overrides: Type.Union(
      [
        Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }), {
          description: 'Scope Description fields by scope id, merged over the public ones (e.g. `coverages_supported`).',
        }),
        Type.Null(),
      ],
      { description: 'The overrides, or null (or {}) for the public Scope Descriptions.' },
    ),
  },
  { additionalProperties: false },
)

/**
 * Registers `PUT /operator/clients/{client_id}/scope-overrides`.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export const setScopeOverridesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.put(
    '/operator/clients/:client_id/scope-overrides',
    {
      // Authorization details field limits may be decimals (CDS-WG1-02 §3.8); they keep every digit.
      config: { decimalJson: true },
      schema: {
        operationId: 'operatorSetScopeOverrides',
        tags: [OPERATOR_TAG],
        summary: 'Narrowing Scope Descriptions for a Client object',
        description:
          'Sets or clears the Scope Description overrides of one Client object; its `cds_server_metadata` then leads to metadata with the narrowed values ' +
          '(CDS-WG1-02 §5.1, R1-02-5.1-14).',
        security: OPERATOR_SECURITY,
        params: ClientParams,
        body: Body,
        response: { 200: OperatorClient, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { client_id } = request.params
      const found = await findClient(db, client_id)
      if (found === undefined) throw new NotFound(`no Client object has the client_id '${client_id}'`)
      // setScopeOverrides runs its own transaction: the overrides and the changelog Message commit together.
      const client = await setScopeOverrides(db, clock, config, client_id, request.body.scope_overrides)
      return { registration_id: found.registration_id, client }
    },
  )
}
