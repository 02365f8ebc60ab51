/**
 * The Credentials API (CDS-WG1-02 §7): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'

/**
 * Registers the endpoints of the Credentials API.
 *
 * @see CDS-WG1-02 §7 Credentials API
 */
export const credentialsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (_app, _options) => {}
