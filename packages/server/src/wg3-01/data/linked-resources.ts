/**
 * The resources Customer Data objects link to, served under the same bearer authentication as the
 * listings that show them (CDS-WG3-01 §10.7.3 "the same authentication as the Aggregation",
 * §10.9.1 "the same authentication and security as the EAC API"):
 *
 * - `GET /api/eac-data/:cds_eac_id`: the data of an EAC the token may list, in the server's demo
 *   format `cds_ts_demo_eac_v1` (the EAC object itself).
 * - `GET /api/aggregation-regions/:region_id/map` and `/geojson`: the map (a PNG) and the GeoJSON
 *   (WGS 84, RFC 7946) of a region of an Aggregation the token may list.
 *
 * Anything out of the token's reach is answered like an unknown id (404), so ids cannot be probed.
 *
 * @see CDS-WG3-01 §10.7.3 Aggregation Region Object Format
 * @see CDS-WG3-01 §10.9.1 Energy Attribute Certificate Object Format
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import { stringifyJson } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { errorResponses } from '../../shared/schemas.js'
import { customerDataScope } from './access-grant.js'
import { resolveDataAccess } from './access.js'
import { eacObject, selectEacs } from './eacs/eac-object.js'

/** A 1×1 transparent PNG: the demo map of every region. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

/** The demo outline of a region: a small square near the demo utility's town, in WGS 84 longitude/latitude (RFC 7946 §4). */
function outline(region: Record<string, unknown>): Record<string, unknown> {
  const ring = [[-118.26, 34.04], [-118.22, 34.04], [-118.22, 34.07], [-118.26, 34.07], [-118.26, 34.04]]
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: region.id, name: region.name }, geometry: { type: 'Polygon', coordinates: [ring] } }] }
}

const Body = Type.Unsafe<Buffer>({ description: 'The linked resource.', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } })

/**
 * Registers the EAC data and Aggregation Region routes.
 *
 * @see CDS-WG3-01 §10.7.3, §10.9.1
 */
export const linkedResourcesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  const common = { config: { scope: customerDataScope(config), noStore: true } }
  app.get(
    `${ENDPOINT_PATHS.eac_data}/:cds_eac_id`,
    {
      ...common,
      schema: {
        operationId: 'getEacData',
        tags: ['CDS-WG3-01 Customer Data'],
        summary: 'EAC data',
        description: 'The data an EAC links in `eac_data_url` (CDS-WG3-01 §10.9.1), for a token that may list the EAC.',
        params: Type.Object({ cds_eac_id: Type.String() }),
        response: { 200: Body, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await resolveDataAccess({ db, config, clock }, request.accessToken)
      const row = await selectEacs(db, access).where(access.visible('eac')).where('eacs.cds_eac_id', '=', request.params.cds_eac_id).executeTakeFirst()
      if (row === undefined) throw new NotFound(`no EAC ${request.params.cds_eac_id} is available to this access token`)
      void reply.header('content-type', 'application/json')
      return reply.send(Buffer.from(stringifyJson({ eac_format: row.eac_format, eac: eacObject(row, access) })))
    },
  )
  app.get(
    `${ENDPOINT_PATHS.aggregation_regions}/:region_id/:resource`,
    {
      ...common,
      schema: {
        operationId: 'getAggregationRegionResource',
        tags: ['CDS-WG3-01 Customer Data'],
        summary: 'Aggregation Region map or GeoJSON',
        description: 'The `map_resource` or `geojson_resource` of an Aggregation Region (CDS-WG3-01 §10.7.3), for a token that may list its Aggregation.',
        params: Type.Object({ region_id: Type.String(), resource: Type.Union([Type.Literal('map'), Type.Literal('geojson')]) }),
        response: { 200: Body, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await resolveDataAccess({ db, config, clock }, request.accessToken)
      const { region_id, resource } = request.params
      const found = await db
        .selectFrom('aggregations')
        .select(sql<string>`(select r::text from jsonb_array_elements(aggregations.grouped_regions) as r where r->>'id' = ${region_id} limit 1)`.as('region'))
        .where(access.visible('aggregation'))
        .where(sql<boolean>`exists (select 1 from jsonb_array_elements(aggregations.grouped_regions) as r where r->>'id' = ${region_id})`)
        .executeTakeFirst()
      if (found === undefined) throw new NotFound(`no region ${region_id} is available to this access token`)
      const region = JSON.parse(found.region) as Record<string, unknown>
      if (resource === 'map') {
        void reply.header('content-type', typeof region.map_content_type === 'string' ? region.map_content_type : 'image/png')
        return reply.send(PNG)
      }
      void reply.header('content-type', 'application/geo+json')
      return reply.send(Buffer.from(JSON.stringify(outline(region))))
    },
  )
}
