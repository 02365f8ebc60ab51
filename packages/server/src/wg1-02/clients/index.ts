/**
 * The Clients API (CDS-WG1-02 §5): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { getClientAuthorizationServerMetadataPlugin } from './get-client-authorization-server-metadata.js'
import { getClientPlugin } from './get-client.js'
import { getClientServerMetadataPlugin } from './get-client-server-metadata.js'
import { listClientsPlugin } from './list-clients.js'
import { modifyClientPlugin } from './modify-client.js'

/**
 * Registers the endpoints of the Clients API, and the client-specific metadata that a Client
 * object's `cds_server_metadata` may point to.
 *
 * @see CDS-WG1-02 §5 Clients API
 */
export const clientsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  await app.register(listClientsPlugin, options)
  await app.register(getClientPlugin, options)
  await app.register(modifyClientPlugin, options)
  await app.register(getClientServerMetadataPlugin, options)
  await app.register(getClientAuthorizationServerMetadataPlugin, options)
}
