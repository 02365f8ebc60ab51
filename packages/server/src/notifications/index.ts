/**
 * Customer notifications (CDS-WG3-01 §9.4): SMTP delivery and the dev outbox page.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../pages/index.js'

/** Registers the routes of this area (stub until built). */
export const notificationsPlugin: FastifyPluginAsync<PagesPluginOptions> = async () => {}
