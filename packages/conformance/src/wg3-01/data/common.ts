/**
 * Checks every Customer Data listing shares: the API is there (CDS-WG3-01 §10.x-01), the common
 * timestamps (catalog §1.12), and rules on nested objects several listings carry (Entities and
 * Programs, §10.1.4, §10.1.8, §10.2.5).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiOf, instant, type ApiKey } from './apis.js'
import { check } from './kit.js'
import { shown, str, walk } from './listing.js'
import { apiUrl, clientMetadata } from './tokens.js'
import { everyItem, nested, views, type Verdict } from './views.js'

/** The listing is published in the (Client-specific) metadata and answers a token of its scope with 200 and its envelope. */
export function providedCheck(id: string, key: ApiKey): Check {
  const api = apiOf(key)
  return check(id, api.section, `the server provides the ${api.name} API: ${api.metadata} is published and answers with ${api.envelope}`, async (ctx: CheckContext) => {
    const [view] = await views(ctx, key)
    if (view === undefined) ctx.fail('no view')
    const url = (await clientMetadata(ctx, view.token.client))[api.metadata]
    ctx.assert(typeof url === 'string' && ctx.isSecureUrl(url), `the metadata of ${view.token.label}'s Client object has ${api.metadata} ${shown(url)}, not an https URL`)
    ctx.assert(Array.isArray(view.items), `${api.envelope} is not a list`)
  })
}

/** The instant of the server's `Date` header, or now. */
function serverNow(date: string | null): number {
  const ms = date === null ? Number.NaN : Date.parse(date)
  return Number.isNaN(ms) ? Date.now() : ms
}

/** Five minutes of clock difference between the server and the suite are tolerated. */
const SLACK_MS = 5 * 60_000

/**
 * `cds_modified` (catalog §1.12): not before `cds_created`, not in the future, and unchanged by a
 * second read of the listing (the suite changed nothing, so a sync-only touch may not move it).
 */
export function modifiedCheck(id: string, key: ApiKey): Check {
  const api = apiOf(key)
  return check(id, api.section, `cds_modified of ${api.name} is a modification time that a re-read (or a sync) does not move`, async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, key)) {
      const again = await walk(ctx, await apiUrl(ctx, view.token, api), view.token.token, api)
      const now = serverNow(again.pages[0]?.response.headers.get('date') ?? null)
      const before = new Map(view.items.map((item) => [String(item[api.id]), item.cds_modified]))
      for (const item of again.items) {
        const [created, modified] = [instant(item.cds_created), instant(item.cds_modified)]
        const what = `${api.name} ${String(item[api.id])}`
        ctx.assert(created !== undefined && modified !== undefined, `${what} has no datetime cds_created/cds_modified`)
        ctx.assert(modified >= created, `${what} was modified (${String(item.cds_modified)}) before it was created (${String(item.cds_created)})`)
        ctx.assert(modified <= now + SLACK_MS, `${what} has cds_modified ${String(item.cds_modified)} in the future`)
        const first = before.get(String(item[api.id]))
        if (first !== undefined) ctx.assert(instant(first) === modified, `${what}'s cds_modified moved from ${str(first)} to ${String(item.cds_modified)} between two reads`)
        seen++
      }
    }
    if (seen === 0) ctx.notApplicable(`no ${api.name} is visible`)
  })
}

/** `cds_synced` (catalog §1.12): a validation time, not before creation and not after the response. */
export function syncedCheck(id: string, key: ApiKey): Check {
  const api = apiOf(key)
  return check(id, api.section, `cds_synced of ${api.name} is the last validation time: after creation, not after now`, async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, key)) {
      const again = await walk(ctx, await apiUrl(ctx, view.token, api), view.token.token, api)
      const now = serverNow(again.pages[0]?.response.headers.get('date') ?? null)
      for (const item of again.items) {
        const [created, synced] = [instant(item.cds_created), instant(item.cds_synced)]
        const what = `${api.name} ${String(item[api.id])}`
        ctx.assert(created !== undefined && synced !== undefined, `${what} has no datetime cds_created/cds_synced`)
        ctx.assert(synced >= created, `${what} was synced (${String(item.cds_synced)}) before it was created (${String(item.cds_created)})`)
        ctx.assert(synced <= now + SLACK_MS, `${what} has cds_synced ${String(item.cds_synced)} after the response (${new Date(now).toISOString()})`)
        seen++
      }
    }
    if (seen === 0) ctx.notApplicable(`no ${api.name} is visible`)
  })
}

/** Programs of a listing object (Account and Bill Statement `account_programs`, Service Contract `service_programs`). */
export function programsOf(item: Json): Json[] {
  return [...nested(item, 'account_programs'), ...nested(item, 'service_programs')]
}

/** The Entities of a listing object (§10.1.4). */
export function entitiesOf(item: Json): Json[] {
  return ['account_entity', 'contract_entity', 'distribution_entity', 'supply_entity'].flatMap((member) => nested(item, member))
}

/** The listings that carry Entities and Programs. */
export const ENTITY_LISTINGS: readonly ApiKey[] = ['accounts', 'servicecontracts', 'billsections']
export const PROGRAM_LISTINGS: readonly ApiKey[] = ['accounts', 'servicecontracts', 'billstatements']

/** Applies a rule to every nested object (picked by `pick`) of several listings; not applicable when none is seen. */
export async function everyNested(ctx: CheckContext, keys: readonly ApiKey[], pick: (item: Json) => Json[], rule: (object: Json) => Verdict, none: string): Promise<void> {
  let applied = 0
  const broken: string[] = []
  for (const key of keys) {
    try {
      await everyItem(
        ctx,
        key,
        (item) => {
          for (const object of pick(item)) {
            const verdict = rule(object)
            if (verdict === undefined) continue
            applied++
            if (verdict !== true) broken.push(`${apiOf(key).name} ${String(item[apiOf(key).id])}: ${verdict}`)
          }
          return true
        },
        none,
      )
    } catch (error) {
      if ((error as Error).name !== 'CheckNotApplicable' && (error as Error).name !== 'CheckSkip') throw error
    }
  }
  if (broken.length > 0) ctx.fail(`${broken.length} nested object(s) break the rule: ${broken.slice(0, 4).join('; ')}`)
  if (applied === 0) ctx.notApplicable(none)
}

/** A nested-object rule over several listings as a check. */
export function nestedCheck(id: string, section: string, title: string, keys: readonly ApiKey[], pick: (item: Json) => Json[], rule: (object: Json) => Verdict, none: string): Check {
  return check(id, section, title, (ctx: CheckContext) => everyNested(ctx, keys, pick, rule, none))
}

/** Whether a value is an absolute http(s) URL. */
export function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}
