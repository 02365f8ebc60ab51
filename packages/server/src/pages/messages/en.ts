/**
 * The English message catalog of the customer pages (CDS-WG3-01 §9; catalog D5, A-67). Every
 * text a customer reads comes from a catalog like this one, in ICU MessageFormat, so a server can
 * add a language by adding a file with the same keys. Keys are grouped by page and section.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
export const en = {
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
