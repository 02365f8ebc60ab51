/**
 * The Credentials API (CDS-WG1-02 §7): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { createCredentialPlugin } from './create-credential.js'
import { getCredentialPlugin } from './get-credential.js'
import { listCredentialsPlugin } from './list-credentials.js'
import { modifyCredentialPlugin } from './modify-credential.js'

/**
 * Registers the endpoints of the Credentials API.
 *
 * @see CDS-WG1-02 §7 Credentials API
 */
export const credentialsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  await app.register(listCredentialsPlugin, options)
  await app.register(getCredentialPlugin, options)
  await app.register(createCredentialPlugin, options)
  await app.register(modifyCredentialPlugin, options)
}
