/**
 * CDS-WG1-01 §4 Coverage: the listing endpoint, its pages and filter, and conditional requests.
 * The entries themselves are checked in `coverage-entries.ts`.
 *
 * @module
 */
import { CoverageListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext, Json } from '../core/context.js'
import { conditionalRequest } from './conditional.js'
import { conformsOpen, coverage, coverageEntries, coverageUrl, epochNanos, isDateTime, jsonObject, withIds } from './kit.js'

/** An id no server has. */
const NO_SUCH_ID = 'cds-conformance-no-such-coverage-entry'

/** The ids of a listing page. */
function idsOf(page: Json): string[] {
  return (Array.isArray(page.coverage_entries) ? (page.coverage_entries as Json[]) : []).map((entry) => String(entry.id))
}

/** The checks of CDS-WG1-01 §4–§4.2. */
export const coverageChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-4-01',
    spec: 'CDS-WG1-01',
    section: '§4',
    title: 'a GET of the coverage URL answers 200 application/json with a coverage listing',
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: await coverageUrl(ctx) })
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the content type is ${response.mediaType || 'missing'}, not application/json`)
      conformsOpen(ctx, CoverageListing, jsonObject(ctx, response, 'the coverage listing'), 'the coverage listing')
    },
  }),
  defineCheck({
    id: 'R1-01-4-02',
    spec: 'CDS-WG1-01',
    section: '§4',
    title: 'a conditional request for the coverage listing gets 304 with no body, or the same 200',
    async run(ctx: CheckContext) {
      await conditionalRequest(ctx, await coverageUrl(ctx), 'the coverage listing')
    },
  }),
  defineCheck({
    id: 'R1-01-4-03',
    spec: 'CDS-WG1-01',
    section: '§4',
    title: 'invalid requests get a 4xx: other methods on the coverage URL, and page links with a tampered query',
    async run(ctx: CheckContext) {
      const url = await coverageUrl(ctx)
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const response = await ctx.request({ method, url, json: {} })
        ctx.assert(response.status >= 400 && response.status < 500, `${method} ${url} answered ${response.status}, expected 405 or another 4xx`)
      }
      // A page link's own parameters, garbled: the server must refuse them as a client error, not fail.
      const { pages } = await coverage(ctx)
      const links = pages.flatMap((page) => [page.body.next, page.body.previous]).filter((link): link is string => typeof link === 'string')
      for (const link of links.slice(0, 2)) {
        const tampered = new URL(link)
        const own = [...tampered.searchParams.keys()].filter((name) => !new URL(url).searchParams.has(name) && name !== 'ids')
        for (const name of own) tampered.searchParams.set(name, `${tampered.searchParams.get(name) ?? ''}!~garbage~`)
        if (own.length === 0) continue
        const response = await ctx.request({ url: tampered })
        ctx.assert(response.status < 500, `a page link with a garbled ${own.join(', ')} answered ${response.status}, expected a 4xx`)
        // A server that ignores what it cannot read must still answer a listing.
        if (response.status < 400) conformsOpen(ctx, CoverageListing, jsonObject(ctx, response, 'the listing of a garbled page link'), 'the listing of a garbled page link')
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.1-01',
    spec: 'CDS-WG1-01',
    section: '§4.1',
    title: 'every listing has coverage_entries (an array), next and previous (URL or null), also when nothing matches',
    async run(ctx: CheckContext) {
      const { pages, url } = await coverage(ctx)
      const empty = jsonObject(ctx, await ctx.request({ url: withIds(url, [NO_SUCH_ID]) }), 'the listing for an unknown id')
      for (const [label, body] of [...pages.map((page) => [page.url, page.body] as const), ['the listing for an unknown id', empty] as const]) {
        ctx.assert(Array.isArray(body.coverage_entries), `${label}: coverage_entries is not an array`)
        for (const link of ['next', 'previous'])
          ctx.assert(link in body && (body[link] === null || typeof body[link] === 'string'), `${label}: ${link} is ${link in body ? JSON.stringify(body[link]) : 'missing'}, expected a URL or null`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.1-02',
    spec: 'CDS-WG1-01',
    section: '§4.1',
    title: 'pages chain: the first has previous null, the last next null, no entry repeats, and page 2\'s previous leads to page 1',
    async run(ctx: CheckContext) {
      const { pages } = await coverage(ctx)
      const [first, second] = pages
      if (first === undefined) ctx.fail('the coverage listing has no first page')
      ctx.assert(first.body.previous === null, `the first page has previous ${JSON.stringify(first.body.previous)}, expected null`)
      ctx.assert(pages.at(-1)?.body.next === null, 'the last page reached has a next link (the listing did not end within 200 pages)')
      const seen = new Set<string>()
      for (const page of pages)
        for (const id of idsOf(page.body)) {
          ctx.assert(!seen.has(id), `entry ${id} appears on two pages`)
          seen.add(id)
        }
      if (second === undefined) return
      ctx.assert(typeof second.body.previous === 'string', 'the second page has no previous link')
      const back = jsonObject(ctx, await ctx.request({ url: second.body.previous }), 'the page before page 2')
      ctx.assert(JSON.stringify(idsOf(back)) === JSON.stringify(idsOf(first.body)), `page 2's previous link lists ${JSON.stringify(idsOf(back))}, page 1 listed ${JSON.stringify(idsOf(first.body))}`)
    },
  }),
  defineCheck({
    id: 'R1-01-4.1-03',
    spec: 'CDS-WG1-01',
    section: '§4.1',
    title: 'entries are ordered by updated, most recent first, across all pages',
    async run(ctx: CheckContext) {
      const entries = await coverageEntries(ctx)
      for (const entry of entries) ctx.assert(isDateTime(entry.updated), `entry ${String(entry.id)} has updated ${JSON.stringify(entry.updated)}, not a date-time`)
      for (let i = 1; i < entries.length; i++) {
        const [before, after] = [entries[i - 1] as Json, entries[i] as Json]
        ctx.assert(epochNanos(String(before.updated)) >= epochNanos(String(after.updated)), `entry ${String(after.id)} (updated ${String(after.updated)}) follows ${String(before.id)} (updated ${String(before.updated)})`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.2-01',
    spec: 'CDS-WG1-01',
    section: '§4.2',
    title: 'ids filters the listing to the named entries (space as %20 or +); an unknown id gives an empty 200 listing',
    async run(ctx: CheckContext) {
      const { url } = await coverage(ctx)
      const chosen = (await coverageEntries(ctx)).slice(-2).map((entry) => String(entry.id))
      const listed = async (target: string) => {
        const ids: string[] = []
        let next: unknown = target
        for (let n = 0; typeof next === 'string' && n < 20; n++) {
          const body = jsonObject(ctx, await ctx.request({ url: next }), `the filtered listing ${next}`)
          ids.push(...idsOf(body))
          next = body.next
        }
        return ids.sort()
      }
      const want = JSON.stringify([...chosen].sort())
      const spaced = await listed(withIds(url, chosen))
      ctx.assert(JSON.stringify(spaced) === want, `ids=${chosen.join('%20')} listed ${JSON.stringify(spaced)}, expected ${want}`)
      const plus = await listed(withIds(url, chosen, true))
      ctx.assert(JSON.stringify(plus) === want, `ids=${chosen.join('+')} listed ${JSON.stringify(plus)}, expected ${want}`)
      const unknown = await ctx.request({ url: withIds(url, [NO_SUCH_ID]) })
      ctx.expectStatus(unknown, 200)
      ctx.assert(idsOf(jsonObject(ctx, unknown, 'the listing for an unknown id')).length === 0, `ids=${NO_SUCH_ID} listed entries`)
    },
  }),
  defineCheck({
    id: 'R1-01-4.2-02',
    spec: 'CDS-WG1-01',
    section: '§4.2',
    title: 'several coverage filters give the intersection of their results',
    async run(ctx: CheckContext) {
      await coverageUrl(ctx)
      // CDS-WG1-01 §4.2 defines a single filter (ids); intersections need a second, extension-defined
      // one, and the metadata has no place where a server declares its extension filters.
      ctx.notApplicable('the only coverage filter CDS-WG1-01 defines is ids, and the server declares no extension filter to combine it with')
    },
  }),
]
