/**
 * Sending the queued customer notifications (CDS-WG3-01 §9.4) over SMTP with nodemailer, after
 * the transaction that queued them has committed, so no email reports an approval that was rolled
 * back.
 *
 * Each message is claimed first (its `sent_at` set in one conditional update), so two deliveries
 * running at once never send it twice; a failed send clears the claim and records the error on
 * the row, where the dev outbox page shows it.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import { createTransport } from 'nodemailer'
import type { ServerConfig } from '../config/config-schema.js'
import type { Database } from '../db/database.js'

// One delivery run sends at most this many; the next run picks up the rest.
const BATCH = 50

/** The error text kept on a row: the message, bounded. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.slice(0, 1000) || 'unknown error'
}

/**
 * After commit: sends queued SMTP notifications when email.smtp_url is set (nodemailer); never
 * throws (errors are recorded on the row).
 *
 * @example
 * ```ts
 * await db.transaction().execute((trx) => createReceipt(trx, { config, clock }, input))
 * await deliverQueuedEmails(db, config, clock)
 * ```
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function deliverQueuedEmails(db: Kysely<Database>, config: ServerConfig, clock: Clock): Promise<void> {
  const { smtp_url, from } = config.customer_authorization.email
  if (smtp_url === undefined) return
  let transport: ReturnType<typeof createTransport> | undefined
  try {
    const queued = await db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('transport', '=', 'smtp')
      .where('sent_at', 'is', null)
      .where('error', 'is', null)
      .orderBy('created')
      .limit(BATCH)
      .execute()
    if (queued.length === 0) return
    transport = createTransport(smtp_url)
    for (const email of queued) {
      const claimed = await db
        .updateTable('outbox_emails')
        .set({ sent_at: clock.now() })
        .where('email_id', '=', email.email_id)
        .where('sent_at', 'is', null)
        .where('error', 'is', null)
        .executeTakeFirst()
      if (claimed.numUpdatedRows === 0n) continue
      try {
        await transport.sendMail({
          from,
          to: email.to_address,
          subject: email.subject,
          text: email.text_body,
          ...(email.html_body === null ? {} : { html: email.html_body }),
        })
      } catch (error) {
        await db.updateTable('outbox_emails').set({ sent_at: null, error: errorText(error) }).where('email_id', '=', email.email_id).execute()
      }
    }
  } catch {
    // The database itself failed; the rows keep their state and a later run retries them.
  } finally {
    transport?.close()
  }
}
