/**
 * Registrations that trigger one after-registration requirement of CDS-WG1-02 §3.6, and the
 * registration's Messages (CDS-WG1-02 §6.8) read right after the registration response.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { descriptions, registrationFields, strings } from './kit.js'
import { registerWith } from './registration-kit.js'

/** Every distinct Message of a registration: the three lists, each followed through its `*_next` links. */
export async function allMessages(ctx: CheckContext, token: string): Promise<Json[]> {
  const first = await ctx.request({ url: await ctx.endpoint('cds_messages_api'), bearer: token })
  ctx.expectStatus(first, 200)
  const byId = new Map<string, Json>()
  for (const list of ['outstanding', 'unread', 'read']) {
    let page = first.json<Json>()
    for (let count = 0; count < 50; count++) {
      for (const message of Array.isArray(page[list]) ? (page[list] as Json[]) : []) byId.set(String(message.message_id), message)
      const next = page[`${list}_next`]
      if (typeof next !== 'string') break
      const more = await ctx.request({ url: next, bearer: token })
      ctx.expectStatus(more, 200)
      page = more.json<Json>()
    }
  }
  return [...byId.values()]
}

/** Polls the Messages until one matches (or `timeoutMs` passes); a server may reply asynchronously. */
export async function awaitMessage(ctx: CheckContext, token: string, match: (message: Json) => boolean, timeoutMs: number): Promise<Json | undefined> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = (await allMessages(ctx, token)).find(match)
    if (found !== undefined || Date.now() > until) return found
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** A registration made for one requirement, its Client Admin token, its Messages right after, and the request Message. */
export interface RequirementRun {
  scope: string
  token: string
  messages: Json[]
  /** The request Message of the requirement (the first Message of the asked type). */
  request: Json
}

/**
 * Registers (once per requirement type and purpose) a scope that requires a field of `fieldType`,
 * and reads the Messages at once. Not applicable when no scope requires one.
 */
export async function requirementRun(ctx: CheckContext, fieldType: string, messageType: string | undefined, purpose: string): Promise<RequirementRun> {
  const fields = Object.values(await registrationFields(ctx)).filter((field) => field.type === fieldType)
  const ids = new Set(fields.map((field) => String(field.id)))
  const all = await registrationFields(ctx)
  // A scope with this requirement and as few other after-registration requirements as possible, so the request is not ambiguous.
  const candidates = Object.entries(await descriptions(ctx))
    .filter(([, d]) => strings(d.registration_requirements).some((id) => ids.has(id)))
    .map(([scope, d]) => ({ scope, extra: strings(d.registration_requirements).filter((id) => !ids.has(id) && all[id]?.type !== 'registration_field').length }))
    .sort((a, b) => a.extra - b.extra)
  const scope = candidates[0]?.scope
  if (scope === undefined) ctx.notApplicable(`no scope requires a ${fieldType} registration field`)
  if (ctx.options.client !== undefined && ctx.options.allowRegistration === false) ctx.skip('the run was given credentials and may not register')
  return ctx.once(`wg1-02-metadata:requirement:${fieldType}:${purpose}`, async () => {
    const response = await registerWith(ctx, scope)
    ctx.assert(response.status === 201, `the registration of ${scope} answered ${response.status}: ${response.text.slice(0, 300)}`)
    const body = response.json<Json>()
    const token = await ctx.clientToken({ client_id: String(body.client_id), client_secret: String(body.client_secret) }, 'cds_client_admin')
    const messages = await allMessages(ctx, token)
    const request = messageType === undefined ? {} : messages.find((message) => message.type === messageType && (message.previous_uri === null || message.previous_uri === undefined))
    if (request === undefined) ctx.fail(`right after registering ${scope}, which requires a ${fieldType} field, the Messages API shows no ${String(messageType)}`)
    return { scope, token, messages, request }
  })
}
