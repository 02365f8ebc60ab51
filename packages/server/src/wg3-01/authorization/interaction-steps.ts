/**
 * The steps of an interaction page (CDS-WG3-01 §9.1.1, §9.1.2) the GET and POST handlers share:
 * find the interaction, make sure the right customer is logged in (a forced login for
 * `prompt=login` and for "log in as another customer"), check the request again knowing the
 * customer (sandbox Client objects and test accounts, A-52; the Grant of `cds_grant_id`), and
 * build the form's model from the customer's directory. Each step ends in a page, a redirect, or
 * the next step.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import {
  AccessDenied,
  authorizationErrorRedirect,
  CdsGrantIdInvalidUser,
  resumeAuthorization,
  type CheckedAuthorizationRequest,
  type OAuthError,
} from '@cds-ts/auth'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { listCustomerResources } from '../../customers/directory.js'
import { currentCustomer, loginUrl, type CustomerSession } from '../../customers/session.js'
import { KyselyGrantStore } from '../../db/grant-store.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { sendPage } from '../../pages/layout.js'
import { serverAuthorizationGrants } from '../../wg1-02/grants/authorization-grants.js'
import { authorizationSettings } from '../../wg1-02/oauth/par.js'
import { renderInvalidRequestPage, renderReturningPage } from './error-pages.js'
import { buildFormModel, type FormModel } from './form-model.js'
import { bindCustomer, completeInteraction, findInteraction, INTERACTION_PATH, interactionPath, type Interaction } from './interaction-store.js'

/** A step's outcome: the reply was sent, or the next step gets these values. */
export type Step<T> = { done: FastifyReply } | { next: T }

/** The cookie that marks a forced login in progress: which interaction, and since when. */
const RELOGIN_COOKIE = 'cds_relogin'

/** The Invalid Request Error page (§9.3.2) with a status of 400 unless told otherwise. */
export function invalidRequest(reply: FastifyReply, options: PagesPluginOptions, status = 400): FastifyReply {
  return sendPage(reply, renderInvalidRequestPage(options.pages), status)
}

/**
 * Step 1: the open interaction of the page's handle, or the Invalid Request Error page for an
 * unknown, expired or answered one.
 */
export async function openInteraction(reply: FastifyReply, options: PagesPluginOptions, handle: string): Promise<Step<Interaction>> {
  const interaction = await findInteraction(options.db, options.clock, handle)
  return interaction === undefined ? { done: invalidRequest(reply, options) } : { next: interaction }
}

/**
 * Sends the browser to the client's redirect URI. A post from the Authorization Form or the
 * Preselection Error page gets a 303 (their CSP allows the client as a form target). A GET gets a
 * page that moves on at once: it may end the redirect chain of the login form's post, whose
 * `form-action 'self'` browsers check against every hop, so a 303 to the client would be blocked
 * there (a cancelled login, or an error found right after logging in).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function returnToClient(request: FastifyRequest, reply: FastifyReply, options: PagesPluginOptions, interaction: Interaction, location: string): Promise<FastifyReply> {
  if (request.method === 'POST') return reply.redirect(location, 303)
  const client = await options.store.clients.find(interaction.pending.client_id)
  return sendPage(reply, renderReturningPage(options.pages, client?.client_name ?? interaction.pending.client_id, location), 200)
}

/**
 * Ends an interaction with an error for the client (RFC 6749 §4.1.2.1): a decline, a cancelled
 * login, a declined Preselection Error. An interaction answered meanwhile gets the Invalid
 * Request Error page instead.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function finishWithError(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PagesPluginOptions,
  interaction: Interaction,
  error: OAuthError,
): Promise<FastifyReply> {
  if (!(await completeInteraction(options.db, options.clock, interaction))) return invalidRequest(reply, options)
  return returnToClient(request, reply, options, interaction, authorizationErrorRedirect(interaction.pending, error).location)
}

/**
 * Sends the customer to log in again and come back to the interaction (§9.1.2, §9.3.1
 * "authenticate as a different Customer", §9.2.1.7 re-login): the cookie remembers that a login
 * newer than now is needed.
 */
export function forceLogin(reply: FastifyReply, options: PagesPluginOptions, handle: string, interaction: Interaction): FastifyReply {
  const { config, clock } = options
  void reply.setCookie(RELOGIN_COOKIE, `${interaction.interaction_hash.slice(0, 22)}.${clock.now().getTime()}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: config.base_url.startsWith('https:'),
    path: `${INTERACTION_PATH}/`,
    maxAge: config.customer_authorization.interaction_lifetime_seconds,
  })
  return reply.redirect(loginUrl(interactionPath(handle), { force: true }), 303)
}

/** When a forced login for this interaction was asked for, or `undefined` when none is pending. */
function reloginSince(request: FastifyRequest, interaction: Interaction): number | undefined {
  const raw = request.cookies[RELOGIN_COOKIE]
  if (raw === undefined) return undefined
  const unsigned = request.unsignCookie(raw)
  if (!unsigned.valid || unsigned.value === null) return undefined
  const [owner, since] = unsigned.value.split('.')
  return owner === interaction.interaction_hash.slice(0, 22) ? Number(since) : undefined
}

/**
 * Step 2: the customer, logged in as the interaction needs (§9.1.2): any live session; for
 * `prompt=login` a login made after the request arrived; after "log in as another customer" a
 * login made after that choice. Otherwise the login page, coming back here.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function loggedInCustomer(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PagesPluginOptions,
  handle: string,
  interaction: Interaction,
): Promise<Step<CustomerSession>> {
  const customer = await currentCustomer(request, options)
  const path = interactionPath(handle)
  const since = reloginSince(request, interaction)
  if (since !== undefined) {
    // The login must come after the customer asked to log in again.
    if (customer === undefined || customer.authenticated_at.getTime() <= since) return { done: reply.redirect(loginUrl(path, { force: true }), 303) }
    void reply.clearCookie(RELOGIN_COOKIE, { path: `${INTERACTION_PATH}/` })
  }
  // CDS-WG1-02 §8.3, A-35: prompt=login asks for a login made for this request, once.
  if (interaction.pending.parameters.prompt === 'login' && (customer === undefined || customer.authenticated_at.getTime() < interaction.created.getTime())) {
    return { done: reply.redirect(loginUrl(path, { force: true }), 303) }
  }
  if (customer === undefined) return { done: reply.redirect(loginUrl(path), 303) }
  await bindCustomer(options.db, interaction, customer.customer_id)
  return { next: customer }
}

/** What the form needs once the request passed the checks that know the customer. */
export interface ReadyForm {
  checked: CheckedAuthorizationRequest
  model: FormModel
}

/**
 * Step 3: the request checked again knowing the customer (§9.1.1), then the form's model. A
 * sandbox Client object with a real customer, another customer's Grant (CDS-WG1-02 §8.3)
 * or a request that no longer passes ends with an error redirect.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function prepareForm(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PagesPluginOptions,
  interaction: Interaction,
  customer: CustomerSession,
): Promise<Step<ReadyForm>> {
  const { db, store, clock, config } = options
  const grants = serverAuthorizationGrants(db, clock, config)
  let resumed
  try {
    resumed = await resumeAuthorization(interaction.pending, { store, clock, settings: authorizationSettings(config), grants })
  } catch {
    // The Client object was disabled or lost the redirect URI: nowhere trustworthy to redirect to.
    return { done: invalidRequest(reply, options) }
  }
  if ('redirect' in resumed) {
    if (!(await completeInteraction(db, clock, interaction))) return { done: invalidRequest(reply, options) }
    return { done: await returnToClient(request, reply, options, interaction, resumed.redirect.location) }
  }
  const checked = resumed.request
  // A-52 (CDS-WG1-02 §3.2 cds_test_accounts): a sandbox Client object never reaches a real customer's data.
  if (checked.client.cds_status === 'sandbox' && !customer.is_test_account) {
    return { done: await finishWithError(request, reply, options, interaction, new AccessDenied('this sandbox client may only be authorized with a test account')) }
  }
  if (checked.cds_grant_id !== undefined) {
    // CDS-WG1-02 §8.3 (R1-02-8.3-10): another customer's Grant is not this customer's to authorize.
    const grant = await new KyselyGrantStore(db).find(checked.cds_grant_id)
    if (grant !== undefined && grant.customer_id !== null && grant.customer_id !== customer.customer_id) {
      return { done: await finishWithError(request, reply, options, interaction, new CdsGrantIdInvalidUser('the Grant named by cds_grant_id belongs to another customer')) }
    }
  }
  const resources = await listCustomerResources(db, customer.customer_id)
  const model = buildFormModel({
    checked,
    parameters: interaction.pending.parameters,
    resources,
    config,
    ctx: { t: options.pages.t, now: clock.now(), timezone: config.oauth.timezone },
  })
  return { next: { checked, model } }
}
