/**
 * `GET /authorize/interaction/<handle>`: where the authorization endpoint sends the browser
 * (CDS-WG3-01 §9.1.1). It runs the customer's side of the process in order: a cancelled login
 * ends the request with `access_denied` (§9.1.2); the customer logs in (again, when the request
 * or the customer asks for it); the request is checked again knowing the customer; a section
 * whose preselection matches nothing shows the Preselection Error (§9.3.1, A-11, A-60);
 * otherwise the Authorization Form (§9.2) opens with the preselection selected (§7.1).
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @module
 */
import { AccessDenied } from '@cds-ts/auth'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LOGIN_CANCELLED, type CustomerSession } from '../../customers/session.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { sendPage } from '../../pages/layout.js'
import { renderPreselectionErrorPage } from './error-pages.js'
import { renderFormPage } from './form-page.js'
import { interactionPath, type Interaction } from './interaction-store.js'
import { finishWithError, forceLogin, loggedInCustomer, openInteraction, prepareForm, type ReadyForm } from './interaction-steps.js'
import { allowFormRedirect } from './page-support.js'
import { describeRequested } from './preselection.js'
import { initialState, type FormState } from './selections.js'

/** The query of the page: what the login page and the re-login link add. */
export interface InteractionQuery {
  login?: string
  relogin?: string
}

/**
 * Sends the Authorization Form for a state (the initial one, or one posted back), letting its
 * answer redirect to the client (the page's CSP, `page-support.ts`).
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 */
export function sendForm(
  reply: FastifyReply,
  options: PagesPluginOptions,
  handle: string,
  interaction: Interaction,
  customer: CustomerSession,
  form: ReadyForm,
  state: FormState,
  errors: readonly number[] = [],
): FastifyReply {
  allowFormRedirect(reply, interaction.pending.redirect_uri, options.config.base_url)
  const path = interactionPath(handle)
  const page = renderFormPage(options.pages, {
    model: form.model,
    state,
    identity: customer.email ?? customer.login,
    action: path,
    csrf: reply.generateCsrf(),
    relogin: `${path}?relogin=1`,
    errors,
  })
  // a form sent back for correction is an unprocessable submission.
  return sendPage(reply, page, errors.length > 0 ? 400 : 200)
}

/**
 * The Preselection Error page of the failing sections (§9.3.1, A-60), or `undefined` when every
 * section has what it preselects.
 *
 * @see CDS-WG3-01 §9.3.1 Preselection Error
 */
export function preselectionError(reply: FastifyReply, options: PagesPluginOptions, handle: string, interaction: Interaction, form: ReadyForm): FastifyReply | undefined {
  const failing = form.model.sections.filter((s) => s.selection?.preselection.fails === true)
  if (failing.length === 0) return undefined
  allowFormRedirect(reply, interaction.pending.redirect_uri, options.config.base_url)
  const { t } = options.pages
  const page = renderPreselectionErrorPage(options.pages, {
    client_name: form.model.client.client_name,
    requested: failing.flatMap((s) => describeRequested(s.selection?.preselection.requested ?? [], t)),
    action: interactionPath(handle),
    csrf: reply.generateCsrf(),
  })
  return sendPage(reply, page, 200)
}

/**
 * Handles `GET /authorize/interaction/<handle>`.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function showInteraction(request: FastifyRequest, reply: FastifyReply, options: PagesPluginOptions, handle: string, query: InteractionQuery): Promise<FastifyReply> {
  const opened = await openInteraction(reply, options, handle)
  if ('done' in opened) return opened.done
  const interaction = opened.next
  // §9.1.2 (R3-01-9.1.2-05): an authentication that did not complete ends like a decline.
  if (query[LOGIN_CANCELLED.name] === LOGIN_CANCELLED.value) {
    return finishWithError(request, reply, options, interaction, new AccessDenied('the customer did not complete the login'))
  }
  // §9.2.1.7: the footer's re-login link: log in again, then back to this form.
  if (query.relogin !== undefined) return forceLogin(reply, options, handle, interaction)
  const logged = await loggedInCustomer(request, reply, options, handle, interaction)
  if ('done' in logged) return logged.done
  const prepared = await prepareForm(request, reply, options, interaction, logged.next)
  if ('done' in prepared) return prepared.done
  // §9.1.1 (R3-01-9.1.1-20), A-11: error_if_no_preselections with nothing preselected.
  const stopped = preselectionError(reply, options, handle, interaction, prepared.next)
  if (stopped !== undefined) return stopped
  return sendForm(reply, options, handle, interaction, logged.next, prepared.next, initialState(prepared.next.model))
}
