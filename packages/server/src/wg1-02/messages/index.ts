/**
 * The Messages API (CDS-WG1-02 §6): registers one plugin per endpoint of the section, and the
 * pages the requirement Messages of §3.6 link to.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { createMessagePlugin } from './create-message.js'
import { getMessagePlugin } from './get-message.js'
import { listMessagesPlugin } from './list-messages.js'
import { modifyMessagePlugin } from './modify-message.js'
import { requirementPagesPlugin } from './requirement-pages.js'

/**
 * Registers the endpoints of the Messages API.
 *
 * @see CDS-WG1-02 §6 Messages API
 */
export const messagesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  await app.register(listMessagesPlugin, options)
  await app.register(createMessagePlugin, options)
  await app.register(getMessagePlugin, options)
  await app.register(modifyMessagePlugin, options)
  await app.register(requirementPagesPlugin, options)
}
