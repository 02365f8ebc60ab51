/**
 * CDS-WG1-02 §8.3: authorization requests that name a Grant with `cds_grant_id`. The checks made
 * before the customer logs in need no customer; `prompt=login`, another customer's Grant and the
 * update of the Grant at approval go through the run's browser.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isLoginPage, openAndLogIn, startAuthorization } from '../../wg3-01/authorization-form/consent.js'
import { customerAuthorization, grantById, operatorGrant, receiptAuthorization } from '../oauth/flows.js'
import { authorizationParams, authorize, expectClientError, expectContinues, expectResponseTypeRefused, labCodeClient } from '../oauth/lab.js'
import { allGrants } from './lab.js'

const BOGUS = 'cds-conformance-no-such-grant'

/** A Grant the lab's code client may name in `cds_grant_id`, made by the operator test API. */
async function grantToAuthorize(ctx: CheckContext): Promise<Json> {
  const client = await labCodeClient(ctx)
  return operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'needs_authorization', enabled_scope: '', enabled_authorization_details: [] })
}

/** The checks of CDS-WG1-02 §8.3. */
export const grantAuthorizationChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-8.3-05',
    spec: 'CDS-WG1-02',
    section: '§8.3 (A-13)',
    title: 'the other authorization parameters are checked before cds_grant_id, and their errors win',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const badType = await authorizationParams(client, { response_type: 'token', cds_grant_id: BOGUS })
      const outcome = await authorize(ctx, badType, client.redirect_uris)
      expectResponseTypeRefused(ctx, outcome, 'response_type=token with a bogus cds_grant_id', String(badType.state))
      const badScope = await authorizationParams(client, { scope: 'cds-conformance-no-such-scope', cds_grant_id: BOGUS })
      expectClientError(ctx, await authorize(ctx, badScope, client.redirect_uris), 'invalid_scope', String(badScope.state))
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-06',
    spec: 'CDS-WG1-02',
    section: '§8.3',
    title: 'an unknown cds_grant_id, or one of another Client object, is redirected as cds_grant_id_invalid_value before any login',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const unknown = await authorizationParams(client, { cds_grant_id: BOGUS })
      expectClientError(ctx, await authorize(ctx, unknown, client.redirect_uris), 'cds_grant_id_invalid_value', String(unknown.state))
      const foreign = (await allGrants(ctx)).find((grant) => grant.client_id !== client.client.client_id)
      if (foreign === undefined) return
      const other = await authorizationParams(client, { cds_grant_id: String(foreign.grant_id) })
      expectClientError(ctx, await authorize(ctx, other, client.redirect_uris), 'cds_grant_id_invalid_value', String(other.state))
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-07',
    spec: 'CDS-WG1-02',
    section: '§8.3',
    title: 'an empty cds_grant_id counts as absent: the flow goes on',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      expectContinues(ctx, await authorize(ctx, await authorizationParams(client, { cds_grant_id: '' }), client.redirect_uris), 'a request with cds_grant_id=')
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-08',
    spec: 'CDS-WG1-02',
    section: '§8.3',
    title: 'two non-empty cds_grant_id values are refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      if (ctx.options.operator === undefined) {
        // Without Grants to name, two unknown ids: only invalid_request shows that the repetition was seen.
        const params = await authorizationParams(client, { cds_grant_id: [BOGUS, `${BOGUS}-2`] })
        expectClientError(ctx, await authorize(ctx, params, client.redirect_uris), 'invalid_request', String(params.state))
        return
      }
      // Two Grants either of which alone would be accepted.
      const ids = [String((await grantToAuthorize(ctx)).grant_id), String((await grantToAuthorize(ctx)).grant_id)]
      for (const id of ids) expectContinues(ctx, await authorize(ctx, await authorizationParams(client, { cds_grant_id: id }), client.redirect_uris), 'one valid cds_grant_id')
      const params = await authorizationParams(client, { cds_grant_id: ids })
      const outcome = await authorize(ctx, params, client.redirect_uris)
      ctx.assert(outcome.kind === 'client' && outcome.params.has('error'), `two cds_grant_id values were not refused (${outcome.response.status}, ${outcome.kind})`)
      expectClientError(ctx, outcome, ['invalid_request', 'cds_grant_id_invalid_value'], String(params.state))
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-09',
    spec: 'CDS-WG1-02',
    section: '§8.3 (A-35)',
    title: 'prompt=login shows the login again to a customer who is logged in',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const request = { credentials: client.credentials, client_id: String(client.client.client_id), redirect_uri: client.redirect_uri, scope: client.scope }
      const { page } = await openAndLogIn(ctx, await startAuthorization(ctx, request))
      ctx.assert(!(await isLoginPage(page)), 'the customer is still on the login page after logging in')
      // Logged in: a second request goes on without a login …
      await page.goto((await startAuthorization(ctx, request)).url)
      ctx.assert(!(await isLoginPage(page)), 'a logged-in customer was asked to log in again without prompt=login')
      // … and with prompt=login the login comes back.
      await page.goto((await startAuthorization(ctx, { ...request, extra: { prompt: 'login' } })).url)
      ctx.assert(await isLoginPage(page), `prompt=login did not show the login page (the browser is on ${page.url()})`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-10',
    spec: 'CDS-WG1-02',
    section: '§8.3',
    title: 'a cds_grant_id of another customer is redirected as cds_grant_id_invalid_user after the login',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const other = ctx.customer(1)
      const { grant } = await receiptAuthorization(ctx)
      const { pending, redirect } = await customerAuthorization(ctx, { customer: other, extra: { cds_grant_id: String(grant.grant_id) } })
      ctx.assert(redirect.searchParams.get('error') === 'cds_grant_id_invalid_user', `another customer's cds_grant_id came back with error=${String(redirect.searchParams.get('error'))}${redirect.searchParams.has('code') ? ' (a code was issued)' : ''}`)
      ctx.assert(redirect.searchParams.get('state') === pending.state, 'the error redirect carries another state')
    },
  }),
  defineCheck({
    id: 'R1-02-8.3-11',
    also: ['R1-02-8.3-12'],
    spec: 'CDS-WG1-02',
    section: '§8.3',
    title: 'approving a cds_grant_id request updates that Grant at once, before any token request',
    needs: ['registration', 'customer', 'browser', 'operator'],
    async run(ctx: CheckContext) {
      const grant = await grantToAuthorize(ctx)
      const before = await grantById(ctx, String(grant.grant_id))
      await new Promise((resolve) => setTimeout(resolve, 5))
      const { redirect } = await customerAuthorization(ctx, { extra: { cds_grant_id: String(grant.grant_id) } })
      ctx.assert(redirect.searchParams.has('code'), `the approval came back with error=${String(redirect.searchParams.get('error'))}`)
      // No token request has been made for the code.
      const after = await grantById(ctx, String(grant.grant_id))
      ctx.assert(after.status === 'active' || after.status === 'pending', `the Grant is ${String(after.status)} after the approval, not active or pending`)
      ctx.assert(Date.parse(String(after.modified)) > Date.parse(String(before.modified)), `the Grant's modified did not move (${String(before.modified)} → ${String(after.modified)})`)
    },
  }),
]
