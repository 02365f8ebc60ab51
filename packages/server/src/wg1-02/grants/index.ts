/**
 * The Grants API (CDS-WG1-02 §8): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { getGrantPlugin } from './get-grant.js'
import { listGrantsPlugin } from './list-grants.js'
import { modifyGrantPlugin } from './modify-grant.js'

/**
 * Registers the endpoints of the Grants API.
 *
 * @see CDS-WG1-02 §8 Grants API
 * @see CDS-WG1-02 §8.4 Listing Grants
 * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export const grantsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  await app.register(listGrantsPlugin, options)
  await app.register(getGrantPlugin, options)
  await app.register(modifyGrantPlugin, options)
}
