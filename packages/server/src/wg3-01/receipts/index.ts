/**
 * Authorization Receipts (CDS-WG3-01 §9.4), revocation without login and the customer's own authorizations.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../../pages/index.js'

/** Registers the routes of this area (stub until built). */
export const receiptsPlugin: FastifyPluginAsync<PagesPluginOptions> = async () => {}
