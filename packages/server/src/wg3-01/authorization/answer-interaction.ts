/**
 * `POST /authorize/interaction/<handle>` (CSRF-protected): the customer's answer on the
 * Authorization Form or the Preselection Error page (CDS-WG3-01 §9.1.1, §9.2.1.6, §9.3.1).
 *
 * - `decision=decline`: the client gets `access_denied` (§9.1.1), or from the Preselection Error
 *   page the configured `no_preselections` error; nothing needs to be selected to decline.
 * - `decision=reauthenticate`: log in as a different customer, then back (§9.3.1).
 * - `remove_section`, `select_all`, `reset`: the form again with that change (no JavaScript needed).
 * - `decision=approve`: every remaining section must select something, else the form again
 *   with the error marked; then the approval (`approve.ts`) and a 303 to the client.
 *
 * The interaction is answered once; a second answer gets the Invalid Request Error page.
 *
 * @see CDS-WG3-01 §9.2.1.6 Authorization Form Approval Section
 * @module
 */
import { AccessDenied, InvalidAuthorizationDetails, NoPreselections } from '@cds-ts/auth'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PagesPluginOptions } from '../../pages/index.js'
import { approve } from './approve.js'
import { finishWithError, forceLogin, invalidRequest, loggedInCustomer, openInteraction, prepareForm } from './interaction-steps.js'
import { formBody } from './page-support.js'
import { canRemove, initialState, parseFormState, toggleAll, unselectedSections, type FormBody } from './selections.js'
import { preselectionError, sendForm } from './show-interaction.js'

/** The first value of a field. */
function field(body: FormBody, name: string): string | undefined {
  const value = body[name]
  return typeof value === 'string' ? value : value?.[0]
}

/**
 * Handles `POST /authorize/interaction/<handle>`.
 *
 * @see CDS-WG3-01 §9.2.1.6 Authorization Form Approval Section
 */
export async function answerInteraction(request: FastifyRequest, reply: FastifyReply, options: PagesPluginOptions, handle: string): Promise<FastifyReply> {
  const opened = await openInteraction(reply, options, handle)
  if ('done' in opened) return opened.done
  const interaction = opened.next
  const body = formBody(request.body)
  const decision = field(body, 'decision')

  if (decision === 'decline') {
    if (field(body, 'step') === 'preselection-error') {
      // §7.4.3, §9.3.1, A-12: the error a declined Preselection Error sends is configurable.
      const description = 'the customer has none of the preselected resources'
      const error =
        options.config.customer_authorization.no_preselections_error === 'no_preselections' ? new NoPreselections(description) : new InvalidAuthorizationDetails(description)
      return finishWithError(request, reply, options, interaction, error)
    }
    // §9.1.1 (R3-01-9.1.1-21), §9.2.1.6: declining needs nothing selected.
    return finishWithError(request, reply, options, interaction, new AccessDenied('the customer declined the request'))
  }
  // §9.3.1: authenticate as a different customer, then back to the request.
  if (decision === 'reauthenticate') return forceLogin(reply, options, handle, interaction)

  const logged = await loggedInCustomer(request, reply, options, handle, interaction)
  if ('done' in logged) return logged.done
  const customer = logged.next
  const prepared = await prepareForm(request, reply, options, interaction, customer)
  if ('done' in prepared) return prepared.done
  const form = prepared.next
  // The customer's resources may have changed since the form was shown.
  const stopped = preselectionError(reply, options, handle, interaction, form)
  if (stopped !== undefined) return stopped
  const { model } = form

  if (field(body, 'reset') !== undefined) return sendForm(reply, options, handle, interaction, customer, form, initialState(model))
  const state = parseFormState(body, model)
  const removing = model.sections.find((s) => String(s.index) === field(body, 'remove_section'))
  if (removing !== undefined) {
    // §9.2.1.3 (R3-01-9.2.1.3-03): any section but the last one left, when the Client allows changes.
    if (canRemove(removing, model, state)) state.removed.add(removing.index)
    return sendForm(reply, options, handle, interaction, customer, form, state)
  }
  const selectingAll = model.sections.find((s) => String(s.index) === field(body, 'select_all'))
  if (selectingAll !== undefined) {
    toggleAll(selectingAll, state)
    return sendForm(reply, options, handle, interaction, customer, form, state)
  }
  if (decision !== 'approve') return sendForm(reply, options, handle, interaction, customer, form, state)

  // A-61 (R3-01-9.2.1.6-04): each remaining section needs a selection or the include-future option.
  const missing = unselectedSections(model, state)
  if (missing.length > 0) return sendForm(reply, options, handle, interaction, customer, form, state, missing)
  const location = await approve(options, interaction, customer, model, state)
  // §9.2.1.6: answered already (a second submission), so nothing more happens.
  if (location === undefined) return invalidRequest(reply, options)
  return reply.redirect(location, 303)
}
