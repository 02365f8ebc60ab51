/**
 * The receipt email (CDS-WG3-01 §9.4): what a customer gets after approving an authorization.
 *
 * - Required: the brand the form spoke for, the confirmation number and a direct link to the
 *   receipt (R3-01-9.4-11).
 * - Recommended and included: the date and time, the Client's name, a summary of what was approved
 *   and of the selected resources, trimmed (R3-01-9.4-12). Resources are summarised as counts
 *   ("2 services"), never listed: the email leaves the server's protection, the receipt page (behind
 *   login) lists them.
 * - Purpose content only when it is one of the server's own default Purposes (A-36); a Purpose a
 *   Client wrote never goes into an email (R3-01-9.4-13), so a Client cannot make the server send
 *   its text to customers.
 *
 * Plain text first, plus a simple HTML part where every value is escaped by the `html` template.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { html, type SafeHtml } from '../pages/html.js'
import type { PageContext } from '../pages/layout.js'
import type { ReceiptSelection, ReceiptSnapshot } from '../wg3-01/receipts/create-receipt.js'
import { formatDateTime } from '../wg3-01/receipts/format-time.js'
import type { OutgoingEmail } from './queue-email.js'

/** What a receipt email reports. */
export interface ReceiptEmailInput {
  to: string
  confirmation: string
  /** Absolute URL of the receipt page. */
  url: string
  /** When the receipt was created. */
  created: Date
  snapshot: ReceiptSnapshot
}

// R3-01-9.4-12: long items may be trimmed; these bounds keep the email short.
const MAX_LINE = 200
const MAX_PURPOSE = 500
const MAX_DATA_LINES = 12

/** `text` cut to `max` characters with an ellipsis. */
export function trimText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`
}

/** "2 services", "All of your services", plus the include-future note: no Customer Data. */
export function selectionSummary(ctx: PageContext, selection: ReceiptSelection): string {
  const { t } = ctx
  const things = t(`receipts.kind.${selection.resource_type}`)
  const main = selection.all ? t('receipts.selection.all', { things }) : t(`receipts.things.${selection.resource_type}`, { count: selection.count })
  if (!selection.include_future) return main
  const future = selection.include_future_text ?? t('receipts.selection.includeFuture', { Things: t(`receipts.kindCapitalized.${selection.resource_type}`) })
  return `${main}. ${future}`
}

/** The lines of "What you approved": each section's data and durations, trimmed and bounded. */
function approvedLines(ctx: PageContext, snapshot: ReceiptSnapshot): { lines: string[]; omitted: number } {
  const all: string[] = []
  for (const section of snapshot.sections) {
    for (const line of section.data) all.push(trimText(line, MAX_LINE))
    for (const line of section.durations) all.push(trimText(line, MAX_LINE))
    // A section without a Selection type (all of the customer's data) has no resources to count.
    const { selection } = section
    if (selection.all && selection.count === 0 && selection.items.length === 0) continue
    all.push(trimText(ctx.t('notifications.receipt.selection', { summary: selectionSummary(ctx, selection) }), MAX_LINE))
  }
  return { lines: all.slice(0, MAX_DATA_LINES), omitted: Math.max(0, all.length - MAX_DATA_LINES) }
}

/** The server default Purposes of the snapshot (A-36), trimmed; never a Client-written one. */
function defaultPurposes(snapshot: ReceiptSnapshot): string[] {
  const texts = snapshot.sections
    .map((section) => section.purpose)
    // CDS-WG3-01 §9.4 (R3-01-9.4-13): only Purpose text the server itself wrote may be emailed.
    .filter((purpose) => purpose !== null && !purpose.client_authored)
    .map((purpose) => trimText(purpose?.content ?? '', MAX_PURPOSE))
  return [...new Set(texts)]
}

/**
 * The receipt email of one receipt, in the configured language.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export function composeReceiptEmail(ctx: PageContext, input: ReceiptEmailInput): OutgoingEmail {
  const { t, brand, config } = ctx
  const date = formatDateTime(t.locale, config.oauth.timezone, input.created)
  const { lines, omitted } = approvedLines(ctx, input.snapshot)
  const more = omitted > 0 ? t('notifications.receipt.more', { count: omitted }) : null
  const purposes = defaultPurposes(input.snapshot)
  const client_name = trimText(input.snapshot.client_name, MAX_LINE)

  const text = [
    t('notifications.receipt.greeting', { brand: brand.name }),
    '',
    t('notifications.receipt.confirmation', { confirmation: input.confirmation }),
    t('notifications.receipt.date', { date }),
    t('notifications.receipt.client', { client_name }),
    '',
    t('notifications.receipt.what'),
    ...lines.map((line) => `- ${line}`),
    ...(more === null ? [] : [`  ${more}`]),
    ...purposes.map((purpose) => t('notifications.receipt.purpose', { purpose })),
    '',
    t('notifications.receipt.link'),
    input.url,
    '',
    t('notifications.receipt.footer', { brand: brand.name, support: brand.support_uri }),
    '',
  ].join('\n')

  const items: SafeHtml[] = lines.map((line) => html`<li>${line}</li>`)
  const body = html`<!doctype html>
<html lang="${t.locale}"><head><meta charset="utf-8"><title>${t('notifications.receipt.subject', { brand: brand.name, confirmation: input.confirmation })}</title></head>
<body>
<p><strong>${brand.name}</strong></p>
<p>${t('notifications.receipt.greeting', { brand: brand.name })}</p>
<p>${t('notifications.receipt.confirmation', { confirmation: input.confirmation })}<br>
${t('notifications.receipt.date', { date })}<br>
${t('notifications.receipt.client', { client_name })}</p>
<p>${t('notifications.receipt.what')}</p>
<ul>${items}</ul>
${more === null ? null : html`<p>${more}</p>`}
${purposes.map((purpose) => html`<p>${t('notifications.receipt.purpose', { purpose })}</p>`)}
<p>${t('notifications.receipt.link')}<br><a href="${input.url}">${input.url}</a></p>
<p>${t('notifications.receipt.footer', { brand: brand.name, support: brand.support_uri })}</p>
</body></html>
`
  return {
    to: input.to,
    subject: t('notifications.receipt.subject', { brand: brand.name, confirmation: input.confirmation }),
    text,
    html: body.text,
  }
}
