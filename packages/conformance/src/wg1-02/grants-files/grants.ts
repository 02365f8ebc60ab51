/**
 * CDS-WG1-02 §8 and §8.1: the Grants API and the Grant object, checked on the Grants of the OAuth
 * checks' registration, on the lab's operator-made Grants and on a customer's approval.
 *
 * @module
 */
import { Grant } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { otherScopeToken } from '../oauth/bearer.js'
import { operatorGrant, receiptAuthorization } from '../oauth/flows.js'
import { canConsent, labAdminToken, labCodeClient } from '../oauth/lab.js'
import { allGrants, grantLab } from './lab.js'

/** The statuses after which a Grant gives no access (CDS-WG1-02 §8.2). */
export const NO_ACCESS = new Set(['future', 'disabled', 'suspended', 'revoked', 'closed', 'expired'])

/** Every Grant to look at: the registration's, plus the lab's when the run has the operator test API. */
async function grantsToCheck(ctx: CheckContext): Promise<Json[]> {
  if (ctx.options.operator !== undefined) await grantLab(ctx)
  return allGrants(ctx)
}

/** The JSON text of a value with object members sorted, to compare entries whatever their member order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Json).sort(([a], [b]) => a.localeCompare(b))) : item,
  )
}

const isTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value))

/** The checks of CDS-WG1-02 §8 and §8.1. */
export const grantObjectChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-8-01',
    spec: 'CDS-WG1-02',
    section: '§8',
    title: 'the Grants API answers a cds_client_admin token, refuses others (401 without, 403 with another scope), and lists a customer\'s authorization',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const url = String((await ctx.oauthMetadata()).cds_grants_api)
      ctx.expectStatus(await ctx.request({ url }), 401)
      ctx.expectStatus(await ctx.request({ url, bearer: await otherScopeToken(ctx) }), 403)
      const listed = await ctx.request({ url, bearer: await labAdminToken(ctx) })
      ctx.expectStatus(listed, 200)
      ctx.assert(Array.isArray(listed.json<Json>().grants), 'the answer has no grants array')
      if (!canConsent(ctx)) return
      const { grant } = await receiptAuthorization(ctx)
      const ids = (await allGrants(ctx)).map((g) => g.grant_id)
      ctx.assert(ids.includes(grant.grant_id), 'the Grant of a customer\'s approval is not listed')
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-01',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'every Grant has the 19 members of the Grant object, with their types',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const grants = await grantsToCheck(ctx)
      ctx.assert(grants.length > 0, 'the registration has no Grant to look at')
      for (const grant of grants) ctx.conforms(Grant, grant, `the Grant ${String(grant.grant_id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-02',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'replacing and replaced_by are Grant URIs and agree with each other',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      ctx.assert(JSON.stringify(lab.successor.replacing) === JSON.stringify([lab.replaced.uri]), `the successor's replacing is ${JSON.stringify(lab.successor.replacing)}, expected [${String(lab.replaced.uri)}]`)
      ctx.assert(JSON.stringify(lab.replaced.replaced_by) === JSON.stringify([lab.successor.uri]), `the replaced Grant's replaced_by is ${JSON.stringify(lab.replaced.replaced_by)}, expected [${String(lab.successor.uri)}]`)
      const byUri = new Map((await allGrants(ctx)).map((grant) => [grant.uri, grant]))
      for (const grant of byUri.values()) {
        for (const uri of (grant.replaced_by ?? []) as string[]) ctx.assert(((byUri.get(uri)?.replacing ?? []) as string[]).includes(String(grant.uri)), `${uri} replaces ${String(grant.uri)} but does not list it in replacing`)
        for (const uri of (grant.replacing ?? []) as string[]) ctx.assert(((byUri.get(uri)?.replaced_by ?? []) as string[]).includes(String(grant.uri)), `${uri} is replaced by ${String(grant.uri)} but does not list it in replaced_by`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-03',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'parent is a grant_id or null, children are grant_ids, and the two agree',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      ctx.assert(lab.child.parent === lab.parent.grant_id, `the child's parent is ${JSON.stringify(lab.child.parent)}, expected ${String(lab.parent.grant_id)}`)
      ctx.assert(JSON.stringify(lab.parent.children) === JSON.stringify([lab.child.grant_id]), `the parent's children are ${JSON.stringify(lab.parent.children)}`)
      ctx.assert(lab.future.parent === null && JSON.stringify(lab.future.children) === '[]', 'a Grant without relatives has no parent or children')
      const byId = new Map((await allGrants(ctx)).map((grant) => [grant.grant_id, grant]))
      for (const grant of byId.values()) {
        for (const id of (grant.children ?? []) as string[]) ctx.assert(byId.get(id)?.parent === grant.grant_id, `${id} is a child of ${String(grant.grant_id)} but names another parent`)
        if (typeof grant.parent === 'string') ctx.assert(((byId.get(grant.parent)?.children ?? []) as string[]).includes(String(grant.grant_id)), `${grant.parent} does not list its child ${String(grant.grant_id)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-04',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'a Grant that was never modified has modified equal to created',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      for (const grant of [lab.future, lab.pending, lab.needsAuthorization])
        ctx.assert(grant.modified === grant.created, `the new Grant ${String(grant.grant_id)} has modified ${String(grant.modified)} but created ${String(grant.created)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-05',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'a future Grant has not_before set to a time ahead; a Grant with immediate access has not_before null or past',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      ctx.assert(lab.future.status === 'future', `the future Grant has status ${String(lab.future.status)}`)
      ctx.assert(isTime(lab.future.not_before) && Date.parse(String(lab.future.not_before)) > Date.now(), `the future Grant has not_before ${JSON.stringify(lab.future.not_before)}`)
      const notBefore = lab.parent.not_before
      ctx.assert(notBefore === null || (typeof notBefore === 'string' && Date.parse(notBefore) <= Date.now()), `an active Grant has not_before ${JSON.stringify(notBefore)} ahead`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-06',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'an expired Grant has not_after set and passed',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      ctx.assert(lab.expired.status === 'expired', `the expired Grant has status ${String(lab.expired.status)}`)
      ctx.assert(isTime(lab.expired.not_after) && Date.parse(String(lab.expired.not_after)) <= Date.now(), `the expired Grant has not_after ${JSON.stringify(lab.expired.not_after)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-07',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'eta is set while a Grant is pending and null in every other status',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      if (ctx.options.operator !== undefined) {
        const lab = await grantLab(ctx)
        ctx.assert(lab.pending.status === 'pending' && isTime(lab.pending.eta), `the pending Grant has eta ${JSON.stringify(lab.pending.eta)}`)
      }
      for (const grant of await grantsToCheck(ctx)) if (grant.status !== 'pending') ctx.assert(grant.eta === null, `the ${String(grant.status)} Grant ${String(grant.grant_id)} has eta ${JSON.stringify(grant.eta)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-08',
    spec: 'CDS-WG1-02',
    section: '§8.1 (A-24)',
    title: 'expires is a datetime or null, and has passed for a Grant whose access ended by expiry',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const grant of await grantsToCheck(ctx)) ctx.assert(grant.expires === null || isTime(grant.expires), `the Grant ${String(grant.grant_id)} has expires ${JSON.stringify(grant.expires)}`)
      if (ctx.options.operator === undefined) return
      const lab = await grantLab(ctx)
      const expires = lab.expired.expires
      if (typeof expires === 'string') ctx.assert(Date.parse(expires) <= Date.now(), `the expired Grant says access ends at ${expires}, in the future`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-09',
    spec: 'CDS-WG1-02',
    section: '§8.1 (A-21)',
    title: 'enabled_scope equals scope for an active Grant and is "" for a Grant without access',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const grants = await grantsToCheck(ctx)
      ctx.assert(grants.some((grant) => grant.status === 'active'), 'no active Grant to look at')
      for (const grant of grants) {
        if (grant.status === 'active') ctx.assert(grant.enabled_scope === grant.scope, `the active Grant ${String(grant.grant_id)} has enabled_scope ${JSON.stringify(grant.enabled_scope)} but scope ${JSON.stringify(grant.scope)}`)
        if (NO_ACCESS.has(String(grant.status))) ctx.assert(grant.enabled_scope === '', `the ${String(grant.status)} Grant ${String(grant.grant_id)} has enabled_scope ${JSON.stringify(grant.enabled_scope)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-10',
    spec: 'CDS-WG1-02',
    section: '§8.1 (A-21)',
    title: 'enabled_authorization_details equals authorization_details for an active Grant and is [] for a Grant without access',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const entry = { type: client.scope }
      // A Grant with an entry, so that "equal" is not just [] = [].
      const detailed = await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active', authorization_details: [entry] })
      const grants = [...(await grantsToCheck(ctx)).filter((g) => g.grant_id !== detailed.grant_id), detailed]
      for (const grant of grants) {
        if (grant.status === 'active')
          ctx.assert(canonical(grant.enabled_authorization_details) === canonical(grant.authorization_details), `the active Grant ${String(grant.grant_id)} has enabled_authorization_details different from authorization_details`)
        if (NO_ACCESS.has(String(grant.status))) ctx.assert(JSON.stringify(grant.enabled_authorization_details) === '[]', `the ${String(grant.status)} Grant ${String(grant.grant_id)} has enabled_authorization_details`)
      }
      ctx.assert((detailed.authorization_details as unknown[]).length === 1, 'the Grant made with one entry does not show it')
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-11',
    spec: 'CDS-WG1-02',
    section: '§8.1 (A-43)',
    title: 'receipt_confirmations holds the code shown on the receipt of a customer\'s approval, and is [] for Grants without one',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const approved = await receiptAuthorization(ctx)
      const codes = approved.grant.receipt_confirmations
      ctx.assert(Array.isArray(codes) && codes.length > 0, 'the Grant of an approval shown on the default redirect URI has no receipt_confirmations')
      ctx.assert(codes.some((code) => approved.receipt.text.includes(String(code))), 'the receipt page shows none of the Grant\'s receipt_confirmations')
      if (ctx.options.operator === undefined) return
      const lab = await grantLab(ctx)
      ctx.assert(JSON.stringify(lab.parent.receipt_confirmations) === '[]', 'a Grant the server made itself has receipt_confirmations')
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-12',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'authorization_details is an array, and for a customer\'s approval it holds the details granted in the token response',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      for (const grant of await grantsToCheck(ctx)) ctx.assert(Array.isArray(grant.authorization_details), `the Grant ${String(grant.grant_id)} has no authorization_details array`)
      const approved = await receiptAuthorization(ctx)
      const granted = (approved.tokens.authorization_details ?? []) as Json[]
      ctx.assert(canonical(approved.grant.authorization_details) === canonical(granted), `the Grant's authorization_details ${JSON.stringify(approved.grant.authorization_details)} differ from the granted ${JSON.stringify(granted)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.1-13',
    spec: 'CDS-WG1-02',
    section: '§8.1',
    title: 'the Grant of a customer\'s approval names the Client object it was issued to and the granted scope',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const approved = await receiptAuthorization(ctx)
      const client = await labCodeClient(ctx)
      ctx.assert(approved.grant.client_id === client.client.client_id, `the Grant's client_id ${String(approved.grant.client_id)} is not the authorizing Client object`)
      ctx.assert(approved.grant.scope === client.scope, `the Grant's scope ${JSON.stringify(approved.grant.scope)} is not the requested ${client.scope}`)
      if (typeof approved.tokens.scope === 'string') ctx.assert(approved.grant.scope === approved.tokens.scope, 'the Grant\'s scope differs from the token response\'s')
    },
  }),
]
