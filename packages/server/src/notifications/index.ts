/**
 * Customer notifications (CDS-WG3-01 §9.4): the receipt email, its delivery over SMTP
 * (`deliver.ts`) and the dev outbox pages of the reference server (`outbox-pages.ts`).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../pages/index.js'
import { outboxPagesPlugin } from './outbox-pages.js'

export { deliverQueuedEmails } from './deliver.js'
export { queueEmail, type OutgoingEmail } from './queue-email.js'
export { composeReceiptEmail, type ReceiptEmailInput } from './receipt-email.js'

/**
 * Registers the routes of this area: the dev outbox pages, when configured.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const notificationsPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  await app.register(outboxPagesPlugin, options)
}
