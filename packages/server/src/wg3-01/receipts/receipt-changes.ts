/**
 * What changed since a receipt was issued (CDS-WG3-01 §9.4, R3-01-9.4-37): the Client's name and
 * website, the Grant's scope and authorization details, the selected resources and the terms. Each
 * change is shown as the value at approval beside the current one. Customer Data in a change
 * (resource numbers, preselection fields) is shown only to the logged-in customer (R3-01-9.4-23).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { Decimal, type AuthorizationDetail, type ScopeDescription } from '@cds-ts/schema'
import type { GrantSelection } from '../../db/database.js'
import { html, type SafeHtml } from '../../pages/html.js'
import { externalLink, type PageContext } from '../../pages/layout.js'
import { canonicalJson, scopeTokens } from '../../wg1-02/grants/grant-access.js'
import type { StoredReceiptSnapshot } from './create-receipt.js'

/**
 * One change: what it is about, and the value at approval and now, ready to show.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface ReceiptChange {
  kind: 'client_name' | 'client_uri' | 'scope' | 'authorization_details' | 'selection' | 'terms'
  label: string
  was: SafeHtml
  now: SafeHtml
}

/** The current state a receipt is compared with. */
export interface CurrentState {
  /** The Client object now; `undefined` when it is gone. */
  client: { client_name: string; client_uri: string | null } | undefined
  grant: { scope: string; authorization_details: AuthorizationDetail[]; selections: GrantSelection[] }
  /** The server's terms link now. */
  terms_uri: string
  /** The viewer is the receipt's customer: Customer Data may be shown. */
  owner: boolean
}

/** The Client's website as a receipt links it (§9.4: new tab, `rel="noopener nofollow"`). */
export function clientLink(ctx: PageContext, uri: string | null, text: string): SafeHtml {
  return uri === null ? html`${text}` : externalLink(ctx, uri, text, 'noopener nofollow')
}

/** The Scope Description of a scope id or RAR type (A-02: the type may differ from the id). */
function scopeOf(ctx: PageContext, idOrType: string): ScopeDescription | undefined {
  const scopes = ctx.config.oauth.scope_descriptions
  return scopes[idOrType] ?? Object.values(scopes).find((s) => s.authorization_details_types_supported.includes(idOrType))
}

function scopeNames(ctx: PageContext, scope: string): SafeHtml {
  const names = scopeTokens(scope).map((id) => scopeOf(ctx, id)?.name ?? id)
  return names.length === 0 ? html`${ctx.t('receipts.changes.nothing')}` : html`<ul>${names.map((name) => html`<li>${name}</li>`)}</ul>`
}

// Preselection fields name the customer's own resources (CDS-WG3-01 §7.1): Customer Data.
const isCustomerDataField = (field: string): boolean => field.endsWith('_numbers')

function valueText(value: unknown, choices: ReadonlyMap<string, string>): string {
  if (value === undefined || value === null) return '–'
  if (Array.isArray(value)) return value.length === 0 ? '–' : value.map((v) => valueText(v, choices)).join(', ')
  if (Decimal.isDecimal(value)) return value.toString()
  if (typeof value === 'string') return choices.get(value) ?? value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return canonicalJson(value)
}

/** The changed fields of the authorization details, as "Field: value" lines of each side. */
function detailChanges(ctx: PageContext, before: AuthorizationDetail[], after: AuthorizationDetail[], owner: boolean): { was: SafeHtml; now: SafeHtml } {
  const types = [...new Set([...before.map((d) => d.type), ...after.map((d) => d.type)])]
  const was: SafeHtml[] = []
  const now: SafeHtml[] = []
  for (const type of types) {
    const scope = scopeOf(ctx, type)
    const a = (before.find((d) => d.type === type) ?? {}) as Record<string, unknown>
    const b = (after.find((d) => d.type === type) ?? {}) as Record<string, unknown>
    for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => f !== 'type').sort()) {
      if (canonicalJson(a[field] ?? null) === canonicalJson(b[field] ?? null)) continue
      const spec = scope?.authorization_details_fields_supported.find((f) => f.id === field)
      const choices = new Map((spec?.choices ?? []).map((c) => [c.id, c.name]))
      const label = `${scope?.name ?? type} – ${spec?.name ?? field}`
      const show = (value: unknown): string => (isCustomerDataField(field) && !owner ? ctx.t('receipts.changes.hidden') : valueText(value, choices))
      was.push(html`<li>${label}: ${show(a[field])}</li>`)
      now.push(html`<li>${label}: ${show(b[field])}</li>`)
    }
  }
  return { was: html`<ul>${was}</ul>`, now: html`<ul>${now}</ul>` }
}

function selectionKey(selection: GrantSelection): string {
  return `${[...selection.scopes].sort().join(' ')}|${selection.resource_type}`
}

function selectionText(ctx: PageContext, selection: GrantSelection | undefined, owner: boolean): SafeHtml {
  const { t } = ctx
  if (selection === undefined) return html`${t('receipts.changes.nothing')}`
  const things = t(`receipts.kind.${selection.resource_type}`)
  const summary = selection.all ? t('receipts.selection.all', { things }) : t(`receipts.things.${selection.resource_type}`, { count: selection.numbers.length })
  const future = selection.include_future
    ? html` ${t('receipts.selection.includeFuture', { Things: t(`receipts.kindCapitalized.${selection.resource_type}`) })}`
    : null
  // CDS-WG3-01 §9.4 (R3-01-9.4-28): the numbers themselves are Customer Data.
  const numbers = owner && !selection.all && selection.numbers.length > 0 ? html` (${selection.numbers.join(', ')})` : null
  return html`${summary}${numbers}.${future}`
}

/**
 * The changes since the receipt was issued, in the order of §9.4's list; `[]` when nothing changed.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export function receiptChanges(ctx: PageContext, snapshot: StoredReceiptSnapshot, current: CurrentState): ReceiptChange[] {
  const { t } = ctx
  const changes: ReceiptChange[] = []
  const { client, grant, owner } = current
  if (client !== undefined && client.client_name !== snapshot.client_name) {
    changes.push({ kind: 'client_name', label: t('receipts.changes.clientName'), was: html`${snapshot.client_name}`, now: html`${client.client_name}` })
  }
  if (client !== undefined && client.client_uri !== snapshot.client_uri) {
    const show = (uri: string | null): SafeHtml => (uri === null ? html`${t('receipts.changes.noWebsite')}` : clientLink(ctx, uri, uri))
    changes.push({ kind: 'client_uri', label: t('receipts.changes.clientUri'), was: show(snapshot.client_uri), now: show(client.client_uri) })
  }
  const approved = snapshot.grant_at_approval
  const sameScope = [...scopeTokens(approved.scope)].sort().join(' ') === [...scopeTokens(grant.scope)].sort().join(' ')
  if (!sameScope) {
    changes.push({ kind: 'scope', label: t('receipts.changes.scope'), was: scopeNames(ctx, approved.scope), now: scopeNames(ctx, grant.scope) })
  }
  if (canonicalJson(approved.authorization_details) !== canonicalJson(grant.authorization_details)) {
    const { was, now } = detailChanges(ctx, approved.authorization_details, grant.authorization_details, owner)
    changes.push({ kind: 'authorization_details', label: t('receipts.changes.details'), was, now })
  }
  const before = new Map(approved.selections.map((s) => [selectionKey(s), s]))
  const after = new Map(grant.selections.map((s) => [selectionKey(s), s]))
  for (const key of [...new Set([...before.keys(), ...after.keys()])]) {
    const a = before.get(key)
    const b = after.get(key)
    const normal = (s: GrantSelection | undefined) => (s === undefined ? null : canonicalJson({ ...s, numbers: [...s.numbers].sort() }))
    if (normal(a) === normal(b)) continue
    const resource_type = (a ?? b)?.resource_type ?? 'account'
    changes.push({
      kind: 'selection',
      label: t('receipts.changes.selection', { things: t(`receipts.kind.${resource_type}`) }),
      was: selectionText(ctx, a, owner),
      now: selectionText(ctx, b, owner),
    })
  }
  if (current.terms_uri !== snapshot.terms_uri) {
    changes.push({
      kind: 'terms',
      label: t('receipts.changes.terms'),
      was: externalLink(ctx, snapshot.terms_uri, snapshot.terms_uri),
      now: externalLink(ctx, current.terms_uri, current.terms_uri),
    })
  }
  return changes
}
