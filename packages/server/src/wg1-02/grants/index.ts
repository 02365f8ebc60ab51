/**
 * The Grants API (CDS-WG1-02 §8): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'

/**
 * Registers the endpoints of the Grants API.
 *
 * @see CDS-WG1-02 §8 Grants API
 */
export const grantsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (_app, _options) => {}
