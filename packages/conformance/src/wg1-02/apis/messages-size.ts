/**
 * Large attachments (CDS-WG1-02 §6.9): a Message carrying 9.9 MB, which a server must take since
 * its limit is at least 10 MB, and one far above any sensible limit, which must be 413. Both go to
 * a registration of their own, so that no listing of the other checks carries them.
 *
 * @module
 */
import type { CheckContext } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { CheckFailure } from '../../core/check.js'
import { postMessage, privateMessage } from './messages-kit.js'

/** Decoded bytes just under the 10 MB floor of §6.9. */
const NEAR = 9_900_000

/** Decoded bytes of the oversized Message: five times the floor, which the suite takes as beyond any server's limit. */
const ABOVE = 50_000_000

/** What the two POSTs answered. */
export interface SizedPosts {
  near: HttpResponse
  above: { status: number; megabytes: number }
}

/** A private message with one attachment of `bytes` decoded bytes. */
function withAttachment(bytes: number) {
  return privateMessage({ attachments: [{ filename: 'cds-conformance.bin', mime_type: 'application/octet-stream', data: Buffer.alloc(bytes, 0x5a).toString('base64') }] })
}

/** The run's {@link SizedPosts}. */
export function sizedPosts(ctx: CheckContext): Promise<SizedPosts> {
  return ctx.once('wg1-02-apis:sized', async () => {
    const registration = await ctx.freshRegistration('cds_client_admin')
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const near = await postMessage(ctx, withAttachment(NEAR), token)
    let status: number
    try {
      status = (await postMessage(ctx, withAttachment(ABOVE), token)).status
    } catch (error) {
      // A server may close the connection once it has answered 413; without an answer there is nothing to judge.
      if (error instanceof CheckFailure) throw new CheckFailure(`the ${ABOVE / 1_000_000} MB Message got no answer: ${error.message}`)
      throw error
    }
    return { near, above: { status, megabytes: ABOVE / 1_000_000 } }
  })
}
