/**
 * The Clients API (CDS-WG1-02 §5): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'

/**
 * Registers the endpoints of the Clients API.
 *
 * @see CDS-WG1-02 §5 Clients API
 */
export const clientsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (_app, _options) => {}
