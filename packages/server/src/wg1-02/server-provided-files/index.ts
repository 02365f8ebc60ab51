/**
 * The Server-Provided Files API (CDS-WG1-02 §9): registers one plugin per endpoint of the section.
 *
 * @module
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { downloadFilePlugin } from './download-file.js'
import { getFilePlugin } from './get-file.js'
import { listFilesPlugin } from './list-files.js'

/**
 * Registers the endpoints of the Server-Provided Files API.
 *
 * @see CDS-WG1-02 §9 Server-Provided Files API
 */
export const serverProvidedFilesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, options) => {
  await app.register(listFilesPlugin, options)
  await app.register(getFilePlugin, options)
  await app.register(downloadFilePlugin, options)
}
