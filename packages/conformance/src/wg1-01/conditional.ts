/**
 * Conditional requests on the metadata and coverage endpoints (CDS-WG1-01 §3, §4; RFC 9110
 * §13): a validator from the first answer, sent back, must give 304 with no body or the same 200.
 *
 * @module
 */
import type { CheckContext } from '../core/context.js'

/** The well-known path of the CDS Server Metadata (CDS-WG1-01 §3.1). */
export const WELL_KNOWN = '/.well-known/cds-server-metadata.json'

/**
 * Repeats a GET with the validators of its first answer (`ETag` → `If-None-Match`,
 * `Last-Modified` → `If-Modified-Since`). Not applicable when the server sends neither.
 */
export async function conditionalRequest(ctx: CheckContext, url: string, what: string): Promise<void> {
  const first = await ctx.request({ url })
  ctx.expectStatus(first, 200)
  const etag = first.headers.get('etag')
  const modified = first.headers.get('last-modified')
  if (etag === null && modified === null) ctx.notApplicable(`${what} is sent without ETag or Last-Modified, so no conditional request can be made`)
  const tries: Record<string, string>[] = []
  if (etag !== null) tries.push({ 'if-none-match': etag })
  if (modified !== null) tries.push({ 'if-modified-since': modified })
  for (const headers of tries) {
    const again = await ctx.request({ url, headers })
    const sent = Object.keys(headers)[0] ?? ''
    if (again.status === 304) {
      ctx.assert(again.text === '', `${what}: the 304 to ${sent} has a body`)
      continue
    }
    ctx.assert(again.status === 200, `${what}: the request with ${sent} answered ${again.status}, expected 304 or 200`)
    ctx.assert(again.text === first.text, `${what}: the request with ${sent} answered 200 with another body, although nothing changed`)
  }
  // A validator that does not match must never give 304.
  if (etag !== null) {
    const other = await ctx.request({ url, headers: { 'if-none-match': '"cds-conformance-no-such-etag"' } })
    ctx.assert(other.status === 200, `${what}: a non-matching If-None-Match answered ${other.status}, expected 200`)
  }
}
