/**
 * Registrations of their own for the Messages checks that need many or large Messages: one whose
 * `read` list runs over more than one page (CDS-WG1-02 §6.8), one that receives attachments near
 * and above the size limit (CDS-WG1-02 §6.9). Each holds only the `cds_client_admin` scope, so
 * the lab's lists stay small.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { apiUrl, jsonBody } from './kit.js'
import { postMessage, privateMessage } from './messages-kit.js'

/** A registration with more `read` Messages than one page holds, and its first two pages. */
export interface PagedRegistration {
  token: string
  /** The first page of the listing (with a `read_next` link). */
  first: Json
  /** The page at the first page's `read_next`; undefined when the server keeps every Message on one page (§6.8 lets it). */
  second?: Json
}

/** How many Messages the suite writes at most to get a second page (a server may hold up to 100 per page, A-36). */
const MAX_MESSAGES = 130

/** The run's {@link PagedRegistration}: private messages written (10 at a time) until `read_next` appears. */
export function pagedRegistration(ctx: CheckContext): Promise<PagedRegistration> {
  return ctx.once('wg1-02-apis:paged', async () => {
    const registration = await ctx.freshRegistration('cds_client_admin')
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const url = await apiUrl(ctx, 'cds_messages_api')
    let first: Json = {}
    for (let written = 0; written < MAX_MESSAGES; written += 10) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => postMessage(ctx, privateMessage({ name: `cds-ts conformance page ${written + i}` }), token)))
      for (const reply of replies) ctx.expectStatus(reply, 201)
      first = jsonBody(ctx, await ctx.request({ url, bearer: token }))
      if (typeof first.read_next === 'string') break
    }
    if (typeof first.read_next !== 'string') return { token, first }
    const second = jsonBody(ctx, await ctx.request({ url: first.read_next, bearer: token }))
    return { token, first, second }
  })
}
