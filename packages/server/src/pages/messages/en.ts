/**
 * The English message catalog of the customer pages (CDS-WG3-01 §9; catalog D5, A-67). Every
 * text a customer reads comes from a catalog like this one, in ICU MessageFormat, so a server can
 * add a language by adding a file with the same keys. Each area keeps its messages beside its
 * code (`messages.en.ts`); this file joins them.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import { customersMessages } from '../../customers/messages.en.js'
import { notificationsMessages } from '../../notifications/messages.en.js'
import { authorizationMessages } from '../../wg3-01/authorization/messages.en.js'
import { receiptsMessages } from '../../wg3-01/receipts/messages.en.js'

export const en = {
  ...customersMessages,
  ...authorizationMessages,
  ...receiptsMessages,
  ...notificationsMessages,
  'page.skip': 'Skip to main content',
  'page.print': 'Print this page',
  'page.openInNewTab': '(opens in a new tab)',
  'footer.support': 'Need help? Contact support',
  'footer.terms': 'Terms of service',
  'footer.privacy': 'Privacy policy',
  'footer.copyright': '© {brand}',
} as const

/** A key of the message catalogs. */
export type MessageKey = keyof typeof en
