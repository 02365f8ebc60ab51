/**
 * The Authorization Form of CDS-WG3-01 §9.2 and the interactive authorization process of §9.1:
 * `GET` and `POST /authorize/interaction/<handle>` (the page the authorization endpoint sends
 * the browser to), and the form's stylesheet and script.
 *
 * Refused requests of this area (a missing CSRF token, a malformed post) get the Invalid Request
 * Error page with their status, never a JSON body; server errors go to the shared handler.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import { OAuthError } from '@cds-ts/auth'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { PagesPluginOptions } from '../../pages/index.js'
import { serveAsset } from '../../pages/layout.js'
import { answerInteraction } from './answer-interaction.js'
import { FORM_SCRIPT, FORM_SCRIPT_PATH } from './form-script.js'
import { FORM_STYLES, FORM_STYLES_PATH } from './form-styles.js'
import { INTERACTION_PATH } from './interaction-store.js'
import { invalidRequest } from './interaction-steps.js'
import { registerPageFormParser } from './page-support.js'
import { showInteraction, type InteractionQuery } from './show-interaction.js'

export { createInteraction, interactionPath, INTERACTION_PATH } from './interaction-store.js'
export { renderInvalidRequestPage } from './error-pages.js'

/** The HTTP status of something thrown, when it is a client error. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = error instanceof OAuthError ? error.status : typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined
}

/**
 * Registers the interaction pages and the form's assets.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 */
export const authorizationFormPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  app.setErrorHandler(async (error, _request, reply) => {
    const status = clientErrorStatus(error)
    if (status === undefined) throw error
    return invalidRequest(reply, options, status)
  })
  registerPageFormParser(app)
  serveAsset(app, FORM_STYLES_PATH, 'text/css; charset=utf-8', FORM_STYLES)
  serveAsset(app, FORM_SCRIPT_PATH, 'text/javascript; charset=utf-8', FORM_SCRIPT)

  const route = { schema: { hide: true }, config: { noStore: true } } as const
  app.get<{ Params: { handle: string }; Querystring: InteractionQuery }>(`${INTERACTION_PATH}/:handle`, route, async (request, reply) =>
    showInteraction(request, reply, options, request.params.handle, request.query),
  )
  // The CSRF check of the pages plugin (double submit, `_csrf` in the form) runs before any answer.
  const csrf = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    app.csrfProtection(request, reply, done)
  }
  app.post<{ Params: { handle: string } }>(`${INTERACTION_PATH}/:handle`, { ...route, preHandler: csrf }, async (request, reply) =>
    answerInteraction(request, reply, options, request.params.handle),
  )
}
