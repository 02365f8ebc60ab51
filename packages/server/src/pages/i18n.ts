/**
 * Message catalogs of the customer pages (CDS-WG3-01 §9; A-67: no literal text is mandated, so
 * every string is configurable). Messages are ICU MessageFormat, formatted by the FormatJS
 * `intl-messageformat` library (plurals such as "{count, plural, one {# account} other {# accounts}}").
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import { IntlMessageFormat } from 'intl-messageformat'
import { en, type MessageKey } from './messages/en.js'

export type { MessageKey } from './messages/en.js'

/** A catalog: a message for every key of the English one. */
export type MessageCatalog = Readonly<Record<MessageKey, string>>

/** The catalogs this server has, by BCP 47 language tag. */
export const MESSAGE_CATALOGS: Readonly<Record<string, MessageCatalog>> = { en }

/** Values a message interpolates. */
export type MessageValues = Readonly<Record<string, string | number | Date>>

/**
 * Formats the message `key` of one locale; plain text (the HTML template escapes it).
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 */
export interface Translator {
  (key: MessageKey, values?: MessageValues): string
  /** The BCP 47 tag of the catalog, for `<html lang>`. */
  readonly locale: string
}

/**
 * The translator of `locale` (default `en`).
 *
 * @throws {Error} when there is no catalog for `locale`
 */
export function translator(locale = 'en'): Translator {
  const catalog = MESSAGE_CATALOGS[locale]
  if (catalog === undefined) throw new Error(`there is no message catalog for locale ${JSON.stringify(locale)}`)
  const cache = new Map<MessageKey, IntlMessageFormat>()
  const t = (key: MessageKey, values?: MessageValues): string => {
    let format = cache.get(key)
    if (format === undefined) {
      format = new IntlMessageFormat(catalog[key], locale)
      cache.set(key, format)
    }
    return String(format.format(values))
  }
  return Object.assign(t, { locale })
}
