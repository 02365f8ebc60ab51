/**
 * The operator API: what the server's operator does that CDS-WG1-02 leaves to the server —
 * approving production access, answering requests, sending notifications and server requests,
 * creating Grants and Server-Provided Files, changing Grant and Client statuses, expiring leaked
 * Credentials — each writing the Messages the spec requires. Off unless `operator.token` is
 * configured. `apps/docs/pages/operator-api.md` documents every route.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { approveGrantRequestPlugin } from './approve-grant-request.js'
import { approveProductionRequestPlugin } from './approve-production-request.js'
import { changeClientStatusPlugin } from './change-client-status.js'
import { changeGrantStatusPlugin } from './change-grant-status.js'
import { createGrantPlugin } from './create-grant.js'
import { expireCredentialPlugin } from './expire-credential.js'
import { listClientsPlugin } from './list-clients.js'
import { listFilesPlugin } from './list-files.js'
import { listGrantsPlugin } from './list-grants.js'
import { listMessagesPlugin } from './list-messages.js'
import { listRegistrationsPlugin } from './list-registrations.js'
import { operatorCheck } from './operator-auth.js'
import { replyToMessagePlugin } from './reply-to-message.js'
import { sendMessagePlugin } from './send-message.js'
import { setScopeOverridesPlugin } from './set-scope-overrides.js'
import { shareFilePlugin } from './share-file.js'
import { uploadFilePlugin } from './upload-file.js'

/**
 * Registers the operator API under `/operator`, every route behind the operator token.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export const operatorPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  const token = options.config.operator.token
  if (token === undefined) throw new TypeError('operatorPlugin needs config.operator.token')
  // Encapsulated: the hook guards the routes of this plugin only, and no route here is reachable without it.
  app.addHook('onRequest', operatorCheck(token, options.config.base_url))
  // What there is: registrations, Client objects, Messages, Grants, files.
  await app.register(listRegistrationsPlugin, options)
  await app.register(listClientsPlugin, options)
  await app.register(listMessagesPlugin, options)
  await app.register(listGrantsPlugin, options)
  await app.register(listFilesPlugin, options)
  // Messages: send, answer, approve (CDS-WG1-02 §6).
  await app.register(sendMessagePlugin, options)
  await app.register(replyToMessagePlugin, options)
  await app.register(approveProductionRequestPlugin, options)
  await app.register(approveGrantRequestPlugin, options)
  // Grants (§8) and Server-Provided Files (§3.3.3, §9).
  await app.register(createGrantPlugin, options)
  await app.register(changeGrantStatusPlugin, options)
  await app.register(uploadFilePlugin, options)
  await app.register(shareFilePlugin, options)
  // Credentials (§7.6) and Client objects (§5.1, §5.2).
  await app.register(expireCredentialPlugin, options)
  await app.register(changeClientStatusPlugin, options)
  await app.register(setScopeOverridesPlugin, options)
}
