/**
 * The Authorization Form of CDS-WG3-01 §9.2 and the interactive authorization process of §9.1.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../../pages/index.js'

/** Registers the routes of this area (stub until built). */
export const authorizationFormPlugin: FastifyPluginAsync<PagesPluginOptions> = async () => {}
