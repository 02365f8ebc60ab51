/**
 * English messages of the customer notifications (CDS-WG3-01 §9.4) and the dev outbox pages, in
 * ICU MessageFormat, merged into the catalog by `pages/messages/en.ts`. Keys start with
 * `notifications.`.
 *
 * @module
 */
export const notificationsMessages = {
  // §9.4: the receipt email (required: brand, confirmation number, receipt link).
  'notifications.receipt.subject': 'Your {brand} authorization receipt {confirmation}',
  'notifications.receipt.greeting': 'You approved an authorization request on {brand}.',
  'notifications.receipt.confirmation': 'Confirmation number: {confirmation}',
  'notifications.receipt.date': 'Date: {date}',
  'notifications.receipt.client': 'Who you authorized: {client_name}',
  'notifications.receipt.what': 'What you approved:',
  'notifications.receipt.selection': 'Shared: {summary}',
  'notifications.receipt.purpose': 'For this purpose: {purpose}',
  'notifications.receipt.link': 'See your receipt, or revoke access at any time, here:',
  'notifications.receipt.footer': 'This email was sent by {brand} because an authorization was approved with this address. Questions? {support}',
  'notifications.receipt.more': '…and {count, plural, one {# more} other {# more}}',
  // Dev outbox pages of the reference server.
  'notifications.outbox.title': 'Outbox',
  'notifications.outbox.intro': 'Every notification this server recorded, newest first. For demo and test servers only.',
  'notifications.outbox.empty': 'No notifications yet.',
  'notifications.outbox.to': 'To',
  'notifications.outbox.subject': 'Subject',
  'notifications.outbox.created': 'Created',
  'notifications.outbox.delivery': 'Delivery',
  'notifications.outbox.kept': 'Kept in the outbox',
  'notifications.outbox.queued': 'Waiting for SMTP',
  'notifications.outbox.sent': 'Sent over SMTP',
  'notifications.outbox.failed': 'SMTP failed: {error}',
  'notifications.outbox.back': 'Back to the outbox',
  'notifications.outbox.body': 'Message',
  'notifications.outbox.notFound': 'There is no such notification.',
} as const
