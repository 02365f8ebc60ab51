/**
 * The Customer Data APIs of CDS-WG3-01 §10: one `GET` route per listing of {@link DataListing},
 * all served the same way (catalog §1.2, §1.7, §1.11), plus the bill files of §10.5.1.
 *
 * Per request: the bearer plugin checks the token (401 without a valid one, 403 when it carries
 * no Customer Data or Grant Admin scope); `resolveDataAccess` turns it into what the Grant lets it
 * see (401 when the Grant gives no access); the cursor is decoded (400 when it is not one of
 * ours); the listing returns one page; the envelope always has both `next` and `previous`,
 * links that keep every filter. A repeated list parameter is one list. Other methods on these paths are 405 with `Allow: GET, HEAD`
 * (the shared not-found handler, A-19); unknown query parameters are ignored.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { stringifyJson } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { unionRepeatedParameters } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeKeyCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { errorResponses } from '../../shared/schemas.js'
import { accountsListing } from './accounts/list-accounts.js'
import { customerDataScope, resolveGrantAccess } from './access-grant.js'
import { accessForGrant } from './access.js'
import { grantJwk, sealResponse } from './encrypt-response.js'
import { aggregationsListing } from './aggregations/list-aggregations.js'
import { billSectionsListing } from './bill-sections/list-bill-sections.js'
import { billStatementsListing } from './bill-statements/list-bill-statements.js'
import { eacsListing } from './eacs/list-eacs.js'
import { meterDevicesListing } from './meter-devices/list-meter-devices.js'
import { serviceContractsListing } from './service-contracts/list-service-contracts.js'
import { servicePointsListing } from './service-points/list-service-points.js'
import type { DataListing } from './types.js'
import { usageSegmentsListing } from './usage-segments/list-usage-segments.js'
import { billFilesPlugin } from './bill-statements/get-bill-file.js'
import { linkedResourcesPlugin } from './linked-resources.js'

/** The nine listings of CDS-WG3-01 §10, in section order. */
export const CUSTOMER_DATA_LISTINGS: readonly DataListing[] = [
  accountsListing,
  serviceContractsListing,
  servicePointsListing,
  meterDevicesListing,
  billStatementsListing,
  billSectionsListing,
  aggregationsListing,
  usageSegmentsListing,
  eacsListing,
]

/** The tag of every Customer Data route in the OpenAPI document. */
export const CUSTOMER_DATA_TAG = 'CDS-WG3-01 Customer Data'

/**
 * Registers one listing at its `ENDPOINT_PATHS[listing.api]`.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
function registerListing(app: Parameters<FastifyPluginAsync<ApiPluginOptions>>[0], options: ApiPluginOptions, listing: DataListing): void {
  const { config, db, clock } = options
  // Every filter of the listing plus the opaque cursor of its next/previous links.
  const querystring = Type.Object(
    {
      ...listing.querystring.properties,
      [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
    },
    { description: `Filters of ${listing.summary}; supplied filters intersect, unknown parameters are ignored (A-14).` },
  )
  app.get<{ Querystring: Record<string, unknown> & { cursor?: string } }>(
    ENDPOINT_PATHS[listing.api],
    {
      // Catalog §1.11: a token without any Customer Data (or Grant Admin) scope is 403.
      config: { scope: customerDataScope(config), noStore: true },
      // A listing that builds its wire objects field by field skips the allow-list pass (types.ts).
      ...(listing.projected === true ? { serializerCompiler: () => (data: unknown) => stringifyJson(data) } : {}),
      // repeated list parameters are one list (before the schema sees a string array).
      preValidation: (request, _reply, done) => {
        try {
          request.query = unionRepeatedParameters(request.query)
          done()
        } catch (error) {
          done(error as Error)
        }
      },
      schema: {
        operationId: listing.operationId,
        tags: [CUSTOMER_DATA_TAG],
        summary: listing.summary,
        description: `${listing.summary}: the objects the access token may see, at most 100 per page, with \`next\`/\`previous\` links that keep the filters.`,
        querystring,
        response: { 200: listing.response, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const cursor = decodeKeyCursor(request.query.cursor, listing.sortKeys)
      const grant = await resolveGrantAccess(db, config, clock, request.accessToken)
      const access = await accessForGrant(db, config, grant)
      const { cursor: _cursor, ...query } = request.query
      const page = await listing.list({ db, config, access, query, cursor, now: clock.now() })
      // the list is always there ([] when nothing is visible), and both links.
      const body = { [listing.envelope]: page.items, ...pageLinks(config.base_url, request.url, page) }
      const jwk = grantJwk(grant)
      if (jwk === null) return body
      // CDS-WG3-01 §7.4.6 (R3-01-7.4.6-12), A-53: the body and its headers are also encrypted to the Client's key.
      const serialized = reply.serialize(body)
      const sealed = sealResponse(jwk, typeof serialized === 'string' ? serialized : Buffer.from(serialized as ArrayBuffer).toString('utf8'), { 'Content-Type': 'application/json; charset=utf-8' })
      return reply.headers(sealed.headers).type('application/octet-stream').send(sealed.body)
    },
  )
}

/**
 * Registers the Customer Data listings, the bill-file route and the linked EAC data and region resources, unless `customer_data.enabled`
 * is false.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export const customerDataPlugin: FastifyPluginAsync<ApiPluginOptions> = async (app, options) => {
  if (!options.config.customer_data.enabled) return
  for (const listing of CUSTOMER_DATA_LISTINGS) registerListing(app, options, listing)
  await app.register(billFilesPlugin, options)
  await app.register(linkedResourcesPlugin, options)
}
