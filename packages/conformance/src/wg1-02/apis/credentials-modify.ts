/**
 * CDS-WG1-02 §7.5 and §7.6: creating a Credential (a new secret that works at once, beside the
 * old one) and changing its expiry (only earlier, a past time revoking the secret and its tokens,
 * A-27), including an expiry the Server sets through the operator test API.
 *
 * @module
 */
import { Credential } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isActive } from './clients-status.js'
import { anotherCredential, createdCredential, credentialAt, credentialClient, patchCredential, postCredential, secretOf, tokenWith } from './credentials-kit.js'
import { apiUrl, canonical, foreign, jsonBody, lab, nowSeconds, operatorCall, without } from './kit.js'

const HOUR = 3600

/** PATCHes and fails unless the status is the one expected; returns the body of a 200. */
async function patchExpecting(ctx: CheckContext, credential: Json, body: unknown, status: 200 | 400, what: string): Promise<Json | undefined> {
  const response = await patchCredential(ctx, credential, body)
  ctx.assert(response.status === status, `a PATCH of ${what} answered ${response.status}, expected ${status}: ${response.text.slice(0, 200)}`)
  return status === 200 ? jsonBody(ctx, response) : undefined
}

/** A fresh Credential of the lab's credentials Client object. */
async function freshCredential(ctx: CheckContext): Promise<Json> {
  return anotherCredential(ctx, (await credentialClient(ctx)).client.client_id)
}

/** The checks of CDS-WG1-02 §7.5 and §7.6. */
export const credentialModifyChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-7.5-01',
    spec: 'CDS-WG1-02',
    section: '§7.5',
    title: 'a POST of {"client_id": …} to cds_credentials_api creates a Credential (201)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { response, credential, client } = await createdCredential(ctx)
      ctx.expectStatus(response, 201)
      ctx.assert(credential.client_id === client.client_id, `the new Credential belongs to ${String(credential.client_id)}, not ${String(client.client_id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-7.5-02',
    spec: 'CDS-WG1-02',
    section: '§7.5',
    title: 'an incomplete or invalid creation is refused: no client_id (400), another registration\'s or an unknown one, a Client object without an auth method',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const expect = async (body: unknown, what: string, allowed: number[]) => {
        const response = await postCredential(ctx, body)
        ctx.assert(allowed.includes(response.status), `creating a Credential with ${what} answered ${response.status}, expected ${allowed.join(' or ')}`)
      }
      await expect({}, 'no client_id', [400])
      await expect({ client_id: 42 }, 'a client_id that is a number', [400])
      await expect({ client_id: (await foreign(ctx)).registration.admin.client_id }, 'another registration\'s client_id', [400, 404])
      await expect({ client_id: 'cds-ts-conformance-unknown' }, 'an unknown client_id', [400, 404])
      const keyless = (await lab(ctx)).clients.find((client) => client.token_endpoint_auth_method === null)
      if (keyless !== undefined) await expect({ client_id: keyless.client_id }, 'a Client object whose token_endpoint_auth_method is null', [400])
    },
  }),
  defineCheck({
    id: 'R1-02-7.5-03',
    spec: 'CDS-WG1-02',
    section: '§7.5',
    title: 'the 201 carries the new Credential with its secret, which works at once, and the old secret still works',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { credential, client, old } = await createdCredential(ctx)
      ctx.conforms(Credential, credential, 'the 201 of a new Credential')
      ctx.assert(typeof credential.client_secret === 'string' && credential.client_secret !== old.client_secret, 'the 201 has no new client_secret')
      ctx.expectStatus(await tokenWith(ctx, secretOf(credential), String(client.scope)), 200)
      ctx.expectStatus(await tokenWith(ctx, old, String(client.scope)), 200)
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-01',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'a PATCH to a Credential uri changes only the members it carries ({} changes nothing)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      const body = await patchExpecting(ctx, credential, {}, 200, '{}')
      ctx.assert(canonical(without(body ?? {}, 'modified')) === canonical(without(credential, 'modified')), 'a PATCH of {} changed the Credential')
      ctx.assert(canonical(await credentialAt(ctx, credential)) === canonical(body), 'the Credential read after a PATCH of {} differs from the answer')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-02',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'client_secret_expires_at can only move earlier: from 0 to 0 or a future time, then not later and not back to 0',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      ctx.assert(credential.client_secret_expires_at === 0, `a new Credential has client_secret_expires_at=${JSON.stringify(credential.client_secret_expires_at)}, not 0`)
      const now = nowSeconds()
      await patchExpecting(ctx, credential, { client_secret_expires_at: 0 }, 200, '0 while it is 0')
      const first = await patchExpecting(ctx, credential, { client_secret_expires_at: now + 2 * HOUR }, 200, 'a time two hours ahead')
      ctx.assert(first?.client_secret_expires_at === now + 2 * HOUR, `the PATCH answered client_secret_expires_at=${JSON.stringify(first?.client_secret_expires_at)}`)
      await patchExpecting(ctx, credential, { client_secret_expires_at: now + HOUR }, 200, 'an earlier time')
      await patchExpecting(ctx, credential, { client_secret_expires_at: now + 90 * 60 }, 400, 'a time later than the current expiry')
      await patchExpecting(ctx, credential, { client_secret_expires_at: 0 }, 400, '0 (never) once an expiry is set')
      ctx.assert((await credentialAt(ctx, credential)).client_secret_expires_at === now + HOUR, 'the refused PATCHes changed the expiry')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-03',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'an invalid client_secret_expires_at ("abc", -1, 1.5, null, true) is 400 and changes nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      for (const value of ['abc', -1, 1.5, null, true, String(nowSeconds() + HOUR)]) await patchExpecting(ctx, credential, { client_secret_expires_at: value }, 400, JSON.stringify(value))
      ctx.assert(canonical(await credentialAt(ctx, credential)) === canonical(credential), 'a refused PATCH changed the Credential')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-04',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'members a Client may not change are ignored in a PATCH (200, nothing changes)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      const forged = { client_secret: 'cds-ts-conformance-chosen-secret', client_id: 'cds-ts-conformance-other', credential_id: 'forged', type: 'cds_ts_conformance', created: '2001-01-01T00:00:00Z', uri: 'https://client.example/forged' }
      await patchExpecting(ctx, credential, forged, 200, 'members a Client may not change')
      ctx.assert(canonical(without(await credentialAt(ctx, credential), 'modified')) === canonical(without(credential, 'modified')), 'a PATCH of members a Client may not change changed the Credential')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-05',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'a valid PATCH is applied at once: 200 with the updated Credential',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      const at = nowSeconds() + 3 * HOUR
      const body = await patchExpecting(ctx, credential, { client_secret_expires_at: at }, 200, 'a time three hours ahead')
      ctx.assert(body?.client_secret_expires_at === at, `the PATCH answered client_secret_expires_at=${JSON.stringify(body?.client_secret_expires_at)}`)
      ctx.assert(canonical(await credentialAt(ctx, credential)) === canonical(body), 'the PATCH answer differs from the Credential read afterwards')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-06',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'an expiry set to now kills the secret at once and revokes the tokens it got (A-27)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const registration = await lab(ctx)
      // A second secret of the admin object: its token works on the Clients API, where revocation shows.
      const second = await anotherCredential(ctx, registration.admin.client_id)
      const token = await ctx.clientToken(secretOf(second), 'cds_client_admin')
      const clients = await apiUrl(ctx, 'cds_clients_api')
      ctx.expectStatus(await ctx.request({ url: clients, bearer: token }), 200)
      const activeBefore = await isActive(ctx, token)
      await patchExpecting(ctx, second, { client_secret_expires_at: nowSeconds() }, 200, 'now')
      ctx.expectError(await tokenWith(ctx, secretOf(second), 'cds_client_admin'), 401, 'invalid_client')
      ctx.expectStatus(await ctx.request({ url: clients, bearer: token }), 401)
      if (activeBefore) ctx.assert(!(await isActive(ctx, token)), 'a token of the expired secret still introspects as active')
      // The registration's own secret is untouched.
      ctx.expectStatus(await tokenWith(ctx, registration.admin, 'cds_client_admin'), 200)
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-08',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'a client_secret never changes once made (the same on every read, after a PATCH too)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const credential = await freshCredential(ctx)
      const reads = [await credentialAt(ctx, credential), await credentialAt(ctx, credential)]
      await patchExpecting(ctx, credential, { client_secret_expires_at: nowSeconds() + 4 * HOUR }, 200, 'a time four hours ahead')
      reads.push(await credentialAt(ctx, credential))
      for (const read of reads) ctx.assert(read.client_secret === credential.client_secret, 'the client_secret of a Credential changed')
    },
  }),
  defineCheck({
    id: 'R1-02-7.6-09',
    spec: 'CDS-WG1-02',
    section: '§7.6',
    title: 'a secret the Server expires (as leaked) has client_secret_expires_at at or before now and is refused',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      ctx.operator()
      const credential = await freshCredential(ctx)
      const { client } = await credentialClient(ctx)
      ctx.expectStatus(await tokenWith(ctx, secretOf(credential), String(client.scope)), 200)
      await operatorCall(ctx, `credentials/${encodeURIComponent(String(credential.credential_id))}/expire`, { reason: 'cds-ts conformance: leaked' }, 200)
      const after = await credentialAt(ctx, credential)
      const at = after.client_secret_expires_at as number
      ctx.assert(at !== 0 && at <= nowSeconds() + 1, `the expired Credential has client_secret_expires_at=${String(at)}`)
      ctx.assert(after.client_secret === credential.client_secret, 'expiring the Credential changed its secret')
      ctx.expectError(await tokenWith(ctx, secretOf(credential), String(client.scope)), 401, 'invalid_client')
    },
  }),
]
