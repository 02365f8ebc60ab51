/**
 * Two approvals made once per run, each in a browser of its own: a request approved exactly as
 * the form prefilled it (its Grant then also serves the Grant Admin and Grants-filter checks), and
 * a request that leaves out `scope`, `authorization_details` and `redirect_uri`, sent with a
 * Client object whose defaults the check has set.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import { authorizeWithConsent } from './consent.js'
import { formClient, formRequest, grantsOf, type FormClient } from './form-client.js'
import { scopeWithField } from './survey-forms.js'

/** The unchanged approval. */
export interface AsIsApproval {
  fc: FormClient
  /** The RAR entry asked for. */
  requested: Json
  state: string
  tokens: Json
  /** The Grant it created. */
  grant: Json
}

/** The scope with an Account Selection on the form Client object. */
async function accountScope(ctx: CheckContext, fc: FormClient): Promise<string> {
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const scope = scopeWithField(fc, descriptions, 'account_numbers', 'account_selection', 'cds_accounts')
  if (scope === undefined) ctx.notApplicable('the form Client object has no consent scope with an Account Selection')
  return scope
}

/** Runs the unchanged approval. */
async function runAsIs(ctx: CheckContext): Promise<AsIsApproval> {
  const fc = await formClient(ctx)
  const scope = await accountScope(ctx, fc)
  const requested: Json = { type: scope, account_numbers: ['_all'], include_account_numbers: true, sync_until: 'P2Y' }
  const state = 'afk-asis-state'
  const known = new Set((await grantsOf(ctx, fc)).map((g) => String(g.grant_id)))
  const { tokens } = await authorizeWithConsent(ctx, { ...formRequest(fc, scope, [requested]), state })
  const fresh = (await grantsOf(ctx, fc)).filter((g) => !known.has(String(g.grant_id)))
  const grant = fresh[0]
  if (fresh.length !== 1 || grant === undefined) ctx.fail(`the approval should have created one Grant, the Grants API shows ${fresh.length} new ones`)
  return { fc, requested, state, tokens, grant }
}

/** The run's unchanged approval (made once). */
export function asIsApproval(ctx: CheckContext): Promise<AsIsApproval> {
  return ctx.once('afk:asis', () => runAsIs(ctx))
}

/** The approval of a request without `scope`, `authorization_details` or `redirect_uri`. */
export interface DefaultsApproval {
  /** The Client object's defaults as set. */
  defaultScope: string
  defaultDetails: Json[]
  defaultRedirect: string
  /** Where the browser was sent back to. */
  back: URL
  tokens: Json
}

/** Runs the approval with the Client object's defaults. */
async function runDefaults(ctx: CheckContext): Promise<DefaultsApproval> {
  const fc = await formClient(ctx)
  const scope = await accountScope(ctx, fc)
  // Another Client object of the same registration with that scope, so the form object stays as it is.
  const spare = fc.registration.clients.find((c) => c.client_id !== fc.client.client_id && String(c.scope).split(' ').includes(scope))
  const secret = spare === undefined ? undefined : fc.registration.secrets.get(String(spare.client_id))
  if (spare === undefined || secret === undefined) ctx.notApplicable(`the registration has no second Client object with ${scope} to set defaults on`)
  const defaultDetails = [{ type: scope, account_numbers: ['_all'], sync_until: 'P1Y' }]
  const put = await ctx.request({
    method: 'PUT',
    url: String(spare.cds_client_uri),
    bearer: fc.adminToken,
    json: { ...spare, cds_default_scope: scope, cds_default_authorization_details: defaultDetails },
  })
  if (put.status !== 200) ctx.fail(`setting the Client object's defaults answered ${put.status}: ${put.text.slice(0, 300)}`)
  const updated = put.json<Json>()
  const defaultRedirect = typeof updated.cds_default_redirect_uri === 'string' ? updated.cds_default_redirect_uri : ctx.fail('the Client object has no cds_default_redirect_uri')
  const credentials: ClientCredentials = secret
  const { tokens, redirect } = await authorizeWithConsent(ctx, {
    credentials,
    redirect_uri: defaultRedirect,
    scope,
    omit: ['scope', 'authorization_details', 'redirect_uri'],
    state: 'afk-defaults-state',
  })
  return { defaultScope: scope, defaultDetails, defaultRedirect, back: redirect, tokens }
}

/** The run's approval with the Client object's defaults (made once). */
export function defaultsApproval(ctx: CheckContext): Promise<DefaultsApproval> {
  return ctx.once('afk:defaults', () => runDefaults(ctx))
}
