/**
 * CDS-WG3-01 §8: the Purposes of Client objects (`cds_purposes`, §8.1), what a Client-modification
 * PUT may change (§8.2, CDS-WG1-02 §5.5) and the Purpose object's members (§8.3). The PUTs go to a
 * consent Client object of a registration of this area's own.
 *
 * @module
 */
import { Purpose } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { cdScopes, check, show } from './kit.js'

/** The Client object the §8 checks change, and its admin token. */
interface PurposeLab {
  uri: string
  token: string
}

/** A consent Client object of a fresh registration (made once). */
function purposeLab(ctx: CheckContext): Promise<PurposeLab> {
  return ctx.once('adf:purpose-lab', async () => {
    const scope = (await cdScopes(ctx)).find((s) => s.consent && s.fields.has('purpose'))
    if (scope === undefined) ctx.notApplicable('no consent scope offers purpose, so Client objects have no Purposes')
    const registration = await ctx.freshRegistration(`cds_client_admin ${scope.id}`)
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const client = registration.clients.find((c) => String(c.scope).split(' ').includes(scope.id))
    if (client === undefined) ctx.fail(`the registration made no Client object for ${scope.id}`)
    const uri = typeof client.cds_client_uri === 'string' ? client.cds_client_uri : `${String((await ctx.oauthMetadata()).cds_clients_api)}/${String(client.client_id)}`
    return { uri, token }
  })
}

/** The Client object now. */
async function current(ctx: CheckContext, lab: PurposeLab): Promise<Json> {
  const reply = await ctx.request({ url: lab.uri, bearer: lab.token })
  ctx.expectStatus(reply, 200)
  return reply.json<Json>()
}

/** PUTs the object with `purposes` as its `cds_purposes`. */
async function put(ctx: CheckContext, lab: PurposeLab, purposes: Record<string, Json>): Promise<HttpResponse> {
  return ctx.request({ method: 'PUT', url: lab.uri, bearer: lab.token, json: { ...(await current(ctx, lab)), cds_purposes: purposes } })
}

const purposesOf = (client: Json) => (client.cds_purposes ?? {}) as Record<string, Json>

/** A Purpose the Client writes. */
function written(id: string, extra: Json = {}): Json {
  return { id, name: `Conformance ${id}`, content: `Why we ask (${id}).\nSecond line.`, related_uri: null, related_name: null, scopes_supported: [], ...extra }
}

/** Adds a Client-written Purpose and returns its server id. */
async function addPurpose(ctx: CheckContext, lab: PurposeLab, tag: string): Promise<string> {
  const before = purposesOf(await current(ctx, lab))
  const reply = await put(ctx, lab, { ...before, [tag]: written(tag) })
  if (reply.status === 202) ctx.notApplicable('the server holds Purpose changes for review (202), so the suite cannot add one at once')
  ctx.expectStatus(reply, 200)
  const added = Object.entries(purposesOf(reply.json<Json>())).find(([key, p]) => !Object.hasOwn(before, key) && p.content === written(tag).content)
  if (added === undefined) ctx.fail(`the PUT answered 200 but the new Purpose ${tag} is not in cds_purposes`)
  return added[0]
}

/** The server default Purposes of the object: those it had right after registration. */
async function defaults(ctx: CheckContext, lab: PurposeLab): Promise<Record<string, Json>> {
  return ctx.once('adf:purpose-defaults', async () => {
    // The suite's own Purposes all start with this text; the others came from the server.
    const all = Object.fromEntries(Object.entries(purposesOf(await current(ctx, lab))).filter(([, p]) => !String(p.content).startsWith('Why we ask (')))
    if (Object.keys(all).length === 0) ctx.notApplicable('the server gives new Client objects no default Purpose')
    return all
  })
}

/** Expects the PUT refused with 400. */
async function refused(ctx: CheckContext, lab: PurposeLab, purpose: Json, what: string): Promise<void> {
  const reply = await put(ctx, lab, { ...purposesOf(await current(ctx, lab)), bad: purpose })
  if (reply.status < 400) ctx.fail(`a Purpose with ${what} was accepted (${reply.status})`)
  ctx.expectStatus(reply, 400)
}

/** Every check of this file. */
export const purposeChecks: readonly Check[] = [
  check('R3-01-8.1-01', '8.1', 'cds_purposes of Client objects is a map of well-formed Purpose objects', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    await defaults(ctx, lab)
    await addPurpose(ctx, lab, 'schema')
    const purposes = purposesOf(await current(ctx, lab))
    for (const [key, purpose] of Object.entries(purposes)) ctx.conforms(Purpose, purpose, `cds_purposes.${key}`)
  }),
  check('R3-01-8.1-02', '8.1', 'each cds_purposes key equals its Purpose id', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    await addPurpose(ctx, lab, 'keyed')
    for (const [key, purpose] of Object.entries(purposesOf(await current(ctx, lab)))) if (purpose.id !== key) ctx.fail(`cds_purposes key ${show(key)} holds a Purpose with id ${show(purpose.id)}`)
  }),
  check('R3-01-8.2-01', '8.2', 'a PUT can neither remove nor change the server default Purposes', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const base = await defaults(ctx, lab)
    const [id, original] = Object.entries(base)[0] ?? ctx.fail('no default Purpose')
    const dropped = await put(ctx, lab, {})
    ctx.expectStatus(dropped, [200, 202])
    if (!Object.hasOwn(purposesOf(await current(ctx, lab)), id)) ctx.fail(`a PUT without ${id} removed the server default Purpose`)
    const changed = await put(ctx, lab, { ...purposesOf(await current(ctx, lab)), [id]: { ...original, content: 'Changed by the conformance suite.' } })
    ctx.expectStatus(changed, [200, 202])
    if (purposesOf(await current(ctx, lab))[id]?.content !== original.content) ctx.fail(`a PUT changed the content of the server default Purpose ${id}`)
  }),
  check('R3-01-8.2-02', '8.2', "a PUT cannot change a Purpose's id or scopes_supported", async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const id = await addPurpose(ctx, lab, 'stable')
    const before = purposesOf(await current(ctx, lab))[id] ?? {}
    const other = (await cdScopes(ctx)).map((s) => s.id).filter((s) => !(before.scopes_supported as string[] | undefined)?.includes(s))
    const reply = await put(ctx, lab, { ...purposesOf(await current(ctx, lab)), [id]: { ...before, scopes_supported: other.slice(0, 2), content: 'New wording of a kept Purpose.' } })
    ctx.expectStatus(reply, [200, 202])
    const after = purposesOf(await current(ctx, lab))[id]
    if (after === undefined) ctx.fail(`the Purpose ${id} disappeared after a PUT that kept it`)
    if (show(after.scopes_supported) !== show(before.scopes_supported)) ctx.fail(`a PUT changed scopes_supported of ${id} from ${show(before.scopes_supported)} to ${show(after.scopes_supported)}`)
    if (after.id !== id) ctx.fail(`a PUT changed the id of ${id} to ${show(after.id)}`)
  }),
  check('R3-01-8.2-03', '8.2', 'a Client-written Purpose left out of a PUT is removed', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const id = await addPurpose(ctx, lab, 'dropped')
    const rest = { ...purposesOf(await current(ctx, lab)) }
    delete rest[id]
    ctx.expectStatus(await put(ctx, lab, rest), 200)
    if (Object.hasOwn(purposesOf(await current(ctx, lab)), id)) ctx.fail(`the Purpose ${id}, left out of the PUT, is still there`)
  }),
  check('R3-01-8.2-04', '8.2', 'a Purpose with an unknown id gets a server id and server-chosen scopes_supported', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const client = await current(ctx, lab)
    const reply = await put(ctx, lab, { ...purposesOf(client), x: written('x', { scopes_supported: ['conformance_not_a_scope'] }) })
    if (reply.status === 202) ctx.notApplicable('the server holds Purpose changes for review')
    ctx.expectStatus(reply, 200)
    const added = Object.values(purposesOf(reply.json<Json>())).find((p) => p.content === written('x').content)
    if (added === undefined) ctx.fail('the new Purpose is not in the PUT response')
    if (added.id === 'x') ctx.fail('the server kept the id "x" the Client chose')
    const scopes = String(client.scope).split(' ')
    if (!Array.isArray(added.scopes_supported) || (added.scopes_supported as string[]).some((s) => !scopes.includes(s))) ctx.fail(`the new Purpose has scopes_supported ${show(added.scopes_supported)}, not the object's own scopes`)
  }),
  check('R3-01-8.2-05', '8.2', 'a Purpose held for review answers 202 with the previous values and a Message', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const before = purposesOf(await current(ctx, lab))
    const reply = await put(ctx, lab, { ...before, review: written('review') })
    if (reply.status === 200) ctx.notApplicable('the server applies new Purposes at once, without review')
    ctx.expectStatus(reply, 202)
    const shown = purposesOf(reply.json<Json>())
    if (Object.values(shown).some((p) => p.content === written('review').content)) ctx.fail('the 202 response already shows the Purpose under review')
    const messages = await ctx.request({ url: String((await ctx.oauthMetadata()).cds_messages_api), bearer: lab.token })
    ctx.expectStatus(messages, 200)
    if (!messages.text.includes('cds_purposes')) ctx.fail('no Message tells of the cds_purposes change under review')
  }),
  check('R3-01-8.2-06', '8.2', 'an invalid Purpose (blank content) in a PUT is refused with 400', async (ctx: CheckContext) => {
    await refused(ctx, await purposeLab(ctx), written('blank', { content: '   ' }), 'blank content')
  }),
  check('R3-01-8.3-01', '8.3', 'Purpose ids are strings, and one id never names two different Purposes on the server', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    await addPurpose(ctx, lab, 'unique')
    const seen = new Map<string, string>()
    for (const client of (await ctx.registration()).clients.concat(await current(ctx, lab)))
      for (const [key, p] of Object.entries(purposesOf(client))) {
        if (typeof p.id !== 'string' || p.id === '') ctx.fail(`cds_purposes.${key} has id ${show(p.id)}`)
        const text = show([p.name, p.content])
        if (seen.has(p.id) && seen.get(p.id) !== text) ctx.fail(`the id ${p.id} names two different Purposes`)
        seen.set(p.id, text)
      }
  }),
  check('R3-01-8.3-03', '8.3', 'Purpose content needs a non-blank character and may span lines', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    await refused(ctx, lab, written('empty', { content: '' }), 'empty content')
    const id = await addPurpose(ctx, lab, 'lines')
    if (!String(purposesOf(await current(ctx, lab))[id]?.content).includes('\n')) ctx.fail('the line break of the Purpose content was not kept')
  }),
  check('R3-01-8.3-04', '8.3', 'Purpose related_uri is a URL or null and must be present', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const missing = written('nouri')
    delete missing.related_uri
    await refused(ctx, lab, missing, 'no related_uri member')
    await refused(ctx, lab, written('baduri', { related_uri: 'not a url', related_name: 'Terms' }), 'a related_uri that is not a URL')
  }),
  check('R3-01-8.3-05', '8.3', 'with a related_uri, related_name is required, not blank and on one line', async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    const uri = 'https://conformance.example/terms'
    await refused(ctx, lab, written('noname', { related_uri: uri, related_name: null }), 'a related_uri and no related_name')
    await refused(ctx, lab, written('twolines', { related_uri: uri, related_name: 'Our\nterms' }), 'a related_name on two lines')
    await refused(ctx, lab, written('blankname', { related_uri: uri, related_name: '  ' }), 'a blank related_name')
  }),
  check('R3-01-8.3-06', '8.3', "Purpose scopes_supported is an array of the object's scope ids", async (ctx: CheckContext) => {
    const lab = await purposeLab(ctx)
    await addPurpose(ctx, lab, 'scoped')
    const client = await current(ctx, lab)
    const scopes = String(client.scope).split(' ')
    for (const [key, p] of Object.entries(purposesOf(client)))
      if (!Array.isArray(p.scopes_supported) || (p.scopes_supported as unknown[]).some((s) => typeof s !== 'string' || !scopes.includes(s)))
        ctx.fail(`cds_purposes.${key}.scopes_supported ${show(p.scopes_supported)} is not an array of the object's scope ids`)
  }),
]
