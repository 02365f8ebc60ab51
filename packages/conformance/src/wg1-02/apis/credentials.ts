/**
 * CDS-WG1-02 §7 to §7.4: who may use the Credentials API, the Credential object, listing with
 * its four filters and order, the changelog Messages, and retrieving one Credential.
 *
 * @module
 */
import { Credential, CredentialListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { disabledClient } from './clients-status.js'
import { createdCredential, credentialAt, credentialsWhere, patchCredential } from './credentials-kit.js'
import { apiUrl, canonical, expectAdminOnly, foreign, jsonBody, lab, labToken, listed, nowSeconds, reserveClient, shifted, tick } from './kit.js'
import { labMessages, newMessages } from './messages-kit.js'

const ids = (credentials: readonly Json[]) => credentials.map((c) => String(c.credential_id)).sort()

/** The shared registration's Credentials. */
async function sharedCredentials(ctx: CheckContext): Promise<Json[]> {
  const all = await listed(ctx, await apiUrl(ctx, 'cds_credentials_api'), await ctx.adminToken(), 'credentials')
  ctx.assert(all.length > 0, 'the registration lists no Credential')
  return all
}

/** Fails unless a filter gives exactly the expected Credentials. */
function expectSame(ctx: CheckContext, got: readonly Json[], expected: readonly Json[], what: string): void {
  ctx.assert(canonical(ids(got)) === canonical(ids(expected)), `${what} lists ${ids(got).length} Credentials (${ids(got).slice(0, 3).join(', ')}…), expected ${ids(expected).length}`)
}

/** The checks of CDS-WG1-02 §7 to §7.4. */
export const credentialChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-7-02',
    spec: 'CDS-WG1-02',
    section: '§7',
    title: 'the Credentials API and a Credential uri take a cds_client_admin bearer token only',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await ctx.adminToken()
      await expectAdminOnly(ctx, await apiUrl(ctx, 'cds_credentials_api'), token)
      const [first] = await sharedCredentials(ctx)
      await expectAdminOnly(ctx, String(first?.uri), token)
    },
  }),
  defineCheck({
    id: 'R1-02-7.1-01',
    spec: 'CDS-WG1-02',
    section: '§7.1',
    title: 'a Credential has credential_id, uri, client_id, created, modified and type (listing, GET, POST and PATCH answers)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await sharedCredentials(ctx)
      for (const credential of all) ctx.conforms(Credential, credential, `Credential ${String(credential.credential_id)}`)
      ctx.conforms(Credential, jsonBody(ctx, await ctx.request({ url: String(all[0]?.uri), bearer: await ctx.adminToken() })), 'a Credential at its uri')
      const { credential } = await createdCredential(ctx)
      ctx.conforms(Credential, credential, 'the 201 of a new Credential')
      ctx.conforms(Credential, jsonBody(ctx, await patchCredential(ctx, credential, {})), 'the answer to a PATCH')
    },
  }),
  defineCheck({
    id: 'R1-02-7.1-02',
    spec: 'CDS-WG1-02',
    section: '§7.1',
    title: 'a client_secret Credential shows its secret: random-looking and different for every Credential',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const secrets = new Map<string, string>()
      for (const credential of await sharedCredentials(ctx)) {
        if (credential.type !== 'client_secret') continue
        const secret = credential.client_secret
        ctx.assert(typeof secret === 'string', `the client_secret Credential ${String(credential.credential_id)} shows no client_secret`)
        // 16 characters is the least that can hold 96 random bits in base64; RFC 6749 §10.10 asks for unguessable secrets.
        ctx.assert(secret.length >= 16 && new Set(secret).size >= 8, `the secret of ${String(credential.credential_id)} is too short or too plain to be random`)
        ctx.assert(!secrets.has(secret), `the Credentials ${String(credential.credential_id)} and ${String(secrets.get(secret))} share a secret`)
        secrets.set(secret, String(credential.credential_id))
      }
      ctx.assert(secrets.size > 0, 'the registration has no client_secret Credential')
      const registration = await ctx.registration()
      if (registration.registered) ctx.assert(secrets.has(registration.admin.client_secret), 'the Credentials API does not show the secret the registration response gave')
    },
  }),
  defineCheck({
    id: 'R1-02-7.1-03',
    spec: 'CDS-WG1-02',
    section: '§7.1',
    title: 'a client_secret Credential has client_secret_expires_at, an integer of Unix seconds (0 for never)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const credential of await sharedCredentials(ctx)) {
        if (credential.type !== 'client_secret') continue
        const value = credential.client_secret_expires_at
        ctx.assert(Number.isInteger(value) && (value as number) >= 0, `Credential ${String(credential.credential_id)} has client_secret_expires_at=${JSON.stringify(value)}`)
        ctx.assert(value === 0 || (value as number) > 1_000_000_000, `Credential ${String(credential.credential_id)} has client_secret_expires_at=${String(value)}, which is not Unix seconds`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-7.1-04',
    spec: 'CDS-WG1-02',
    section: '§7.1',
    title: 'the Credentials of a disabled Client object expire at the time it was disabled (A-16)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const disabled = await disabledClient(ctx)
      ctx.assert(disabled.credentialsAfter.length > 0, 'the disabled Client object lists no Credential')
      for (const credential of disabled.credentialsAfter) {
        const at = credential.client_secret_expires_at as number
        ctx.assert(at >= disabled.from - 5 && at <= disabled.to + 5, `a Credential of the Client object disabled at ${disabled.from}–${disabled.to} has client_secret_expires_at=${String(at)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-7.2-01',
    spec: 'CDS-WG1-02',
    section: '§7.2',
    title: 'every Credential type is client_secret',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const credential of await sharedCredentials(ctx)) ctx.assert(credential.type === 'client_secret', `Credential ${String(credential.credential_id)} has type ${JSON.stringify(credential.type)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-01',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'the Credentials API lists {credentials, next, previous}: every Client object of the registration, nothing of another',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: await apiUrl(ctx, 'cds_credentials_api'), bearer: await labToken(ctx) })
      ctx.expectStatus(response, 200)
      ctx.conforms(CredentialListing, response.json(), 'the Credential listing')
      const mine = await credentialsWhere(ctx)
      const owners = new Set(mine.map((c) => String(c.client_id)))
      for (const client of (await lab(ctx)).clients)
        if (client.token_endpoint_auth_method !== null) ctx.assert(owners.has(String(client.client_id)), `the listing has no Credential of the Client object ${String(client.client_id)}`)
      const other = await foreign(ctx)
      ctx.assert(!ids(mine).includes(String(other.credential.credential_id)), 'the listing shows another registration\'s Credential')
      ctx.assert(!owners.has(other.registration.admin.client_id), 'the listing shows Credentials of another registration\'s Client object')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-03',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'credential_ids filters by id (space-separated); unknown and foreign ids match nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const [a, b] = await credentialsWhere(ctx)
      if (a === undefined || b === undefined) ctx.fail('the registration has fewer than two Credentials')
      expectSame(ctx, await credentialsWhere(ctx, { credential_ids: String(a.credential_id) }), [a], 'credential_ids=<one id>')
      expectSame(ctx, await credentialsWhere(ctx, { credential_ids: `${String(a.credential_id)} ${String(b.credential_id)}` }), [a, b], 'credential_ids=<two ids>')
      const other = await foreign(ctx)
      expectSame(ctx, await credentialsWhere(ctx, { credential_ids: `${String(other.credential.credential_id)} cds-ts-conformance-unknown` }), [], 'credential_ids with a foreign and an unknown id')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-04',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'client_ids filters by Client object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { credential, client } = await createdCredential(ctx)
      const all = await credentialsWhere(ctx)
      const expected = all.filter((c) => c.client_id === client.client_id)
      ctx.assert(expected.length >= 2 && expected.length < all.length, 'the Client object should have two Credentials among others')
      expectSame(ctx, await credentialsWhere(ctx, { client_ids: String(client.client_id) }), expected, `client_ids=${String(client.client_id)}`)
      const second = all.find((c) => c.client_id !== client.client_id)
      const both = all.filter((c) => c.client_id === client.client_id || c.client_id === second?.client_id)
      expectSame(ctx, await credentialsWhere(ctx, { client_ids: `${String(client.client_id)} ${String(second?.client_id)}` }), both, 'client_ids=<two ids>')
      ctx.assert(expected.some((c) => c.credential_id === credential.credential_id), 'the new Credential is not listed for its Client object')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-05',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'after keeps Credentials created at or after the time (inclusive)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { credential } = await createdCredential(ctx)
      const at = Date.parse(String(credential.created))
      const all = await credentialsWhere(ctx)
      expectSame(ctx, await credentialsWhere(ctx, { after: String(credential.created) }), all.filter((c) => Date.parse(String(c.created)) >= at), `after=${String(credential.created)}`)
      ctx.assert(!ids(await credentialsWhere(ctx, { after: shifted(credential.created, 1000) })).includes(String(credential.credential_id)), 'after=<created + 1 s> still lists the Credential')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-06',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'before keeps Credentials created at or before the time (inclusive)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { credential } = await createdCredential(ctx)
      const at = Date.parse(String(credential.created))
      const all = await credentialsWhere(ctx)
      expectSame(ctx, await credentialsWhere(ctx, { before: String(credential.created) }), all.filter((c) => Date.parse(String(c.created)) <= at), `before=${String(credential.created)}`)
      ctx.assert(!ids(await credentialsWhere(ctx, { before: shifted(credential.created, -1000) })).includes(String(credential.credential_id)), 'before=<created - 1 s> still lists the Credential')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-07',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'several filters intersect',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { credential, client } = await createdCredential(ctx)
      const all = await credentialsWhere(ctx)
      const at = Date.parse(String(credential.created))
      const expected = all.filter((c) => c.client_id === client.client_id && Date.parse(String(c.created)) >= at)
      ctx.assert(expected.length > 0 && expected.length < all.filter((c) => c.client_id === client.client_id).length, 'the filters would not narrow each other')
      expectSame(ctx, await credentialsWhere(ctx, { client_ids: String(client.client_id), after: String(credential.created) }), expected, 'client_ids and after together')
      expectSame(ctx, await credentialsWhere(ctx, { credential_ids: String(credential.credential_id), before: shifted(credential.created, -1000) }), [], 'credential_ids with a before that excludes it')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-08',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'Credentials are listed newest modified first, and a changed one moves to the top',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const check = (all: readonly Json[]) => {
        for (let i = 1; i < all.length; i++)
          ctx.assert(Date.parse(String(all[i - 1]?.modified)) >= Date.parse(String(all[i]?.modified)), `the listing has ${String(all[i]?.credential_id)} after ${String(all[i - 1]?.credential_id)} although it was modified later`)
      }
      check(await sharedCredentials(ctx))
      const { client } = await reserveClient(ctx, 'credential-order', (c) => c.token_endpoint_auth_method !== null, 'Client object with a Credential')
      const [old] = await credentialsWhere(ctx, { client_ids: String(client.client_id) })
      if (old === undefined) ctx.fail(`the Client object ${String(client.client_id)} lists no Credential`)
      await createdCredential(ctx)
      await tick()
      ctx.expectStatus(await patchCredential(ctx, old, { client_secret_expires_at: nowSeconds() + 30 * 24 * 3600 }), 200)
      const after = await credentialsWhere(ctx)
      check(after)
      ctx.assert(after[0]?.credential_id === old.credential_id, 'the Credential just changed is not first in the listing')
    },
  }),
  defineCheck({
    id: 'R1-02-7.3-09',
    spec: 'CDS-WG1-02',
    section: '§7.3',
    title: 'creating or changing a Credential adds a Server Message (a changelog)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { added, credential } = await createdCredential(ctx)
      ctx.assert(added.some((m) => m.creator === null), 'creating a Credential added no Server Message')
      const before = await labMessages(ctx)
      ctx.expectStatus(await patchCredential(ctx, credential, { client_secret_expires_at: nowSeconds() + 60 * 24 * 3600 }), 200)
      ctx.assert(newMessages(before, await labMessages(ctx)).some((m) => m.creator === null), 'changing a Credential\'s expiry added no Server Message')
    },
  }),
  defineCheck({
    id: 'R1-02-7.4-01',
    spec: 'CDS-WG1-02',
    section: '§7.4',
    title: 'a Credential uri answers the Credential as listed; another registration\'s is 404 (or 403)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const credential of await credentialsWhere(ctx)) ctx.assert(canonical(await credentialAt(ctx, credential)) === canonical(credential), `GET ${String(credential.uri)} differs from its listing entry`)
      const refused = await ctx.request({ url: String((await foreign(ctx)).credential.uri), bearer: await labToken(ctx) })
      ctx.expectStatus(refused, [404, 403])
    },
  }),
]
