/**
 * CDS-WG1-02 §5.5: modifying a Client object with a PUT of the whole object (RFC 7592 §2.2):
 * what can change, what cannot, what is invalid, what an omitted member means, and the 200/202
 * answers.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { authorize, expectContinues, pkcePair } from '../oauth/lab.js'
import { currentClient, putClient, sameClient } from './client-samples.js'
import { addableScope, defaultDetails, descriptions, reviewedChange } from './clients-modify-kit.js'
import { disabledClient } from './clients-status.js'
import { canonical, isCodeClient, jsonBody, labToken, reserveClient, scopeTokens } from './kit.js'

const RFC7591_ERRORS = ['invalid_client_metadata', 'invalid_redirect_uri'] as const

/** PUTs one change and, on 200, fails unless every changed member reads back as sent. */
async function change(ctx: CheckContext, client: Json, changes: Json, what: string): Promise<Json> {
  const token = await labToken(ctx)
  const response = await putClient(ctx, token, await currentClient(ctx, token, client), changes)
  ctx.assert(response.status === 200 || response.status === 202, `a PUT changing ${what} answered ${response.status}: ${response.text.slice(0, 200)}`)
  const after = await currentClient(ctx, token, client)
  if (response.status === 200)
    for (const [name, value] of Object.entries(changes)) {
      const got = name === 'scope' || name === 'cds_default_scope' ? scopeTokens(after[name]).sort().join(' ') : canonical(after[name])
      const sent = name === 'scope' || name === 'cds_default_scope' ? scopeTokens(value).sort().join(' ') : canonical(value)
      ctx.assert(got === sent, `after a PUT of ${name}=${JSON.stringify(value)} the Client object has ${JSON.stringify(after[name])}`)
    }
  return after
}

/** PUTs `changes`, expects 400 with an RFC 7591 error, and fails if the object changed. */
async function refused(ctx: CheckContext, client: Json, changes: Json, what: string, codes: readonly string[] = RFC7591_ERRORS): Promise<void> {
  const token = await labToken(ctx)
  const before = await currentClient(ctx, token, client)
  const response = await putClient(ctx, token, before, changes)
  ctx.assert(response.status === 400, `a PUT with ${what} answered ${response.status}, expected 400: ${response.text.slice(0, 200)}`)
  ctx.expectError(response, 400, codes)
  ctx.assert(sameClient(await currentClient(ctx, token, client), before), `a refused PUT with ${what} changed the Client object`)
}

/** The checks of CDS-WG1-02 §5.5. */
export const clientModifyChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-5.5-01',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'a PUT of the Client object as read answers 200 with the same object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'put-unchanged', () => true, 'Client object')
      const before = await currentClient(ctx, token, client)
      const put = jsonBody(ctx, await putClient(ctx, token, before), 200)
      ctx.assert(sameClient(put, before), 'the PUT of the unchanged Client object answered a different object')
      ctx.assert(sameClient(await currentClient(ctx, token, client), before), 'the PUT of the unchanged Client object changed it')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-02',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'the twelve updatable members take new values (200, or 202 when held for review)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      const { client } = await reserveClient(ctx, 'updatable', isCodeClient, 'code-flow Client object')
      await change(ctx, client, { client_name: 'cds-ts conformance renamed' }, 'client_name')
      await change(ctx, client, { contacts: ['conformance@client.example'] }, 'contacts')
      for (const [name, value] of Object.entries({ client_uri: 'https://client.example/', logo_uri: 'https://client.example/logo.png', tos_uri: 'https://client.example/tos', policy_uri: 'https://client.example/privacy' }))
        await change(ctx, client, { [name]: value }, name)
      const current = await currentClient(ctx, await labToken(ctx), client)
      const extra = 'https://client.example/cds-conformance-cb'
      await change(ctx, client, { redirect_uris: [...(current.redirect_uris as string[]), extra] }, 'redirect_uris')
      await change(ctx, client, { cds_default_redirect_uri: extra }, 'cds_default_redirect_uri')
      const details = defaultDetails(all, current)
      if (details !== undefined) await change(ctx, client, { cds_default_authorization_details: details }, 'cds_default_authorization_details')
      const own = String(current.scope)
      const added = addableScope(all, current, false)
      if (added !== undefined) {
        await change(ctx, client, { scope: `${own} ${added}` }, 'scope (one scope added)')
        await change(ctx, client, { cds_default_scope: own }, 'cds_default_scope')
        await change(ctx, client, { scope: own, cds_default_scope: own }, 'scope (the scope removed again)')
      } else await change(ctx, client, { cds_default_scope: own }, 'cds_default_scope')
      // cds_status: the object disabled for §5.2, then given back its first offered status.
      const disabled = await disabledClient(ctx)
      ctx.assert(disabled.client.cds_status === 'disabled', `a PUT of cds_status=disabled answered cds_status=${JSON.stringify(disabled.client.cds_status)}`)
      const back = (disabled.client.cds_status_options as string[]).find((status) => status !== 'disabled')
      if (back !== undefined) await change(ctx, disabled.client, { cds_status: back }, 'cds_status (enabled again)')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-03',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'a code-flow Client object takes a new redirect URI, which authorization requests then accept',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { client, credentials } = await reserveClient(ctx, 'redirect', (c, creds) => isCodeClient(c) && creds !== undefined, 'code-flow Client object')
      const uri = 'https://client.example/cds-conformance-added'
      const current = await currentClient(ctx, await labToken(ctx), client)
      const after = await change(ctx, client, { redirect_uris: [...(current.redirect_uris as string[]), uri] }, 'redirect_uris')
      ctx.assert((after.redirect_uris as string[]).includes(uri), 'the added redirect URI is not on the Client object (was the change held for review?)')
      const params = { response_type: 'code', client_id: String(client.client_id), redirect_uri: uri, scope: scopeTokens(client.scope)[0] ?? '', state: 'cds-conformance', code_challenge: (await pkcePair()).code_challenge, code_challenge_method: 'S256' }
      const par = (await ctx.oauthMetadata()).pushed_authorization_request_endpoint
      if (typeof par === 'string' && credentials !== undefined) {
        const pushed = await ctx.request({ url: par, basic: credentials, form: params })
        ctx.assert(pushed.status === 201, `a pushed authorization request with the added redirect URI answered ${pushed.status}: ${pushed.text.slice(0, 200)}`)
        const stranger = await ctx.request({ url: par, basic: credentials, form: { ...params, redirect_uri: 'https://client.example/cds-conformance-not-registered' } })
        ctx.assert(stranger.status === 400, `a pushed request with an unregistered redirect URI answered ${stranger.status}, so the first probe proves nothing`)
      } else expectContinues(ctx, await authorize(ctx, params, [uri]), 'an authorization request with the added redirect URI')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-04',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'server-set members cannot be changed: a different value is 400 and nothing changes',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { client } = await reserveClient(ctx, 'immutable', isCodeClient, 'code-flow Client object')
      const current = await currentClient(ctx, await labToken(ctx), client)
      const options = current.cds_status_options as string[]
      const changes: Json = {
        client_id: 'cds-ts-conformance-other-id',
        client_id_issued_at: Number(current.client_id_issued_at) + 1,
        grant_types: ['client_credentials'],
        response_types: [],
        token_endpoint_auth_method: current.token_endpoint_auth_method === 'client_secret_post' ? 'client_secret_basic' : 'client_secret_post',
        cds_created: '2001-01-01T00:00:00Z',
        cds_client_uri: 'https://client.example/cds-conformance-other-uri',
        cds_server_metadata: 'https://client.example/cds-conformance-metadata.json',
        cds_status_options: options.filter((status) => status !== 'disabled'),
      }
      for (const [name, value] of Object.entries(changes)) await refused(ctx, client, { [name]: value }, `a changed ${name}`, [...RFC7591_ERRORS, 'invalid_request'])
      // cds_modified and client_secret may be ignored instead (they are never taken from the body).
      const token = await labToken(ctx)
      const response = await putClient(ctx, token, await currentClient(ctx, token, client), { cds_modified: '2001-01-01T00:00:00Z' })
      if (response.status !== 400) ctx.assert(jsonBody(ctx, response, 200).cds_modified !== '2001-01-01T00:00:00Z', 'a PUT set cds_modified to the value sent')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-05',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'invalid values are 400 with an RFC 7591 error: a bad redirect URI, a status not offered, defaults outside the object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { client } = await reserveClient(ctx, 'invalid', (c) => isCodeClient(c) && Array.isArray(c.cds_status_options) && !c.cds_status_options.includes('production'), 'code-flow Client object without production')
      await refused(ctx, client, { redirect_uris: ['not a url'] }, 'redirect_uris ["not a url"]')
      await refused(ctx, client, { cds_status: 'production' }, 'a cds_status not in cds_status_options')
      await refused(ctx, client, { cds_default_redirect_uri: 'https://client.example/cds-conformance-not-registered' }, 'a cds_default_redirect_uri not among redirect_uris')
      await refused(ctx, client, { cds_default_scope: 'cds-ts-conformance-unknown-scope' }, 'a cds_default_scope outside scope')
      await refused(ctx, client, { client_uri: 'not a url' }, 'client_uri "not a url"')
      const { client: plain } = await reserveClient(ctx, 'invalid-plain', (c) => !isCodeClient(c) && c.token_endpoint_auth_method !== null, 'Client object without response_types')
      await refused(ctx, plain, { redirect_uris: ['https://client.example/cb'] }, 'redirect_uris on a Client object without response_types')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-06',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'a member left out of the PUT goes back to its default (client_name to client_id, contacts to []); left-out server-set members stay',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'reset', () => true, 'Client object')
      await change(ctx, client, { client_name: 'cds-ts conformance to be reset', contacts: ['reset@client.example'] }, 'client_name and contacts')
      const before = await currentClient(ctx, token, client)
      const put = jsonBody(ctx, await putClient(ctx, token, before, { client_name: undefined, contacts: undefined, grant_types: undefined, client_id_issued_at: undefined }), 200)
      const after = await currentClient(ctx, token, client)
      for (const object of [put, after]) {
        ctx.assert(object.client_name === client.client_id, `client_name left out became ${JSON.stringify(object.client_name)}, not the client_id`)
        ctx.assert(canonical(object.contacts) === '[]', `contacts left out became ${JSON.stringify(object.contacts)}`)
        ctx.assert(canonical(object.grant_types) === canonical(before.grant_types) && object.client_id_issued_at === before.client_id_issued_at, 'leaving server-set members out changed them (A-17)')
      }
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-07',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'a change held for review answers 202, keeps the old value and adds a field_changes Message',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const review = await reviewedChange(ctx)
      ctx.assert(scopeTokens(review.answer.scope).sort().join(' ') === scopeTokens(review.before.scope).sort().join(' '), `the 202 shows scope ${JSON.stringify(review.answer.scope)}, not the value before the change`)
      const message = review.fieldChanges
      if (message === undefined) ctx.fail(`the 202 added no field_changes Message (added: ${review.added.map((m) => String(m.type)).join(', ') || 'none'})`)
      ctx.assert(message.status === 'pending', `the field_changes Message has status ${JSON.stringify(message.status)}, not pending`)
      const items = (message.updates_requested ?? []) as Json[]
      ctx.assert(items.some((item) => item.field === 'scope'), 'the field_changes Message does not list the scope change')
    },
  }),
  defineCheck({
    id: 'R1-02-5.5-08',
    spec: 'CDS-WG1-02',
    section: '§5.5',
    title: 'a change applied at once answers 200 with the updated object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'sync', () => true, 'Client object')
      const before = await currentClient(ctx, token, client)
      const changes = { client_name: `cds-ts conformance sync ${Date.now()}`, contacts: ['sync@client.example'] }
      const response = await putClient(ctx, token, before, changes)
      const body = jsonBody(ctx, response, [200, 202])
      const applied = Object.entries(changes).filter(([name, value]) => canonical(body[name]) === canonical(value)).length
      if (response.status === 202) ctx.assert(applied < 2, 'the PUT answered 202 although the answer shows every change applied')
      else {
        ctx.assert(applied === 2, `the 200 does not show the changes: client_name=${JSON.stringify(body.client_name)}, contacts=${JSON.stringify(body.contacts)}`)
        ctx.assert(sameClient(body, await currentClient(ctx, token, client)), 'the 200 body differs from the Client object read afterwards')
      }
    },
  }),
]
