/**
 * Customer accounts (CDS-WG3-01 §9.1.2): login, logout, sessions, the test accounts page and the directory of resources a customer can select.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../pages/index.js'

/** Registers the routes of this area (stub until built). */
export const customersPlugin: FastifyPluginAsync<PagesPluginOptions> = async () => {}
