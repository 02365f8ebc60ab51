/**
 * Recording a customer notification (CDS-WG3-01 §9.4) in `outbox_emails`, inside the caller's
 * transaction: the message exists exactly when the approval it reports was committed.
 * {@link deliverQueuedEmails} sends it after the commit when SMTP is configured; otherwise it
 * stays in the outbox, where the dev outbox page shows it.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../config/config-schema.js'
import type { Database } from '../db/database.js'

/**
 * One email to a customer: a plain text body and, optionally, the same content as simple HTML.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface OutgoingEmail {
  to: string
  subject: string
  text: string
  html: string | null
}

/**
 * Records `email` in the outbox; its transport is `smtp` when `customer_authorization.email.smtp_url`
 * is set, `outbox` otherwise.
 *
 * @returns the new `email_id`
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function queueEmail(db: Kysely<Database>, config: ServerConfig, clock: Clock, email: OutgoingEmail): Promise<string> {
  const email_id = randomUUID()
  await db
    .insertInto('outbox_emails')
    .values({
      email_id,
      to_address: email.to,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
      transport: config.customer_authorization.email.smtp_url === undefined ? 'outbox' : 'smtp',
      created: clock.now(),
      sent_at: null,
      error: null,
    })
    .execute()
  return email_id
}
