/**
 * The operator API: what the server's operator does that CDS-WG1-02 leaves to the server —
 * approving production access, answering requests, sending notifications, creating Grants and
 * Server-Provided Files, changing Grant statuses — each writing the Messages the spec requires.
 * Off unless `operator.token` is configured.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'

/**
 * Registers the operator API under `/operator`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const operatorPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (_app, _options) => {}
