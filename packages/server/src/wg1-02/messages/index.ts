/**
 * The Messages API (CDS-WG1-02 §6): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'

/**
 * Registers the endpoints of the Messages API.
 *
 * @see CDS-WG1-02 §6 Messages API
 */
export const messagesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (_app, _options) => {}
