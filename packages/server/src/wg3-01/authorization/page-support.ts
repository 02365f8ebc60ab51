/**
 * Small mechanisms the authorization pages share: reading their form posts (checkbox lists
 * repeat a field name, which the OAuth form parser refuses), sentences with a link inside from
 * the message catalog, and the one Content Security Policy change the form needs.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { escapeHtml, SafeHtml } from '../../pages/html.js'
import type { FormBody } from './selections.js'

const FORM = 'application/x-www-form-urlencoded'
// Far above what the form posts (a few hundred checkboxes); refuses anything bigger early.
const FORM_LIMIT = 256 * 1024

/**
 * Parses `application/x-www-form-urlencoded` posts of the routes in `app`'s context into single
 * values, or lists for repeated names (`select.0=a&select.0=b`). Other content types keep the
 * server's parser.
 */
export function registerPageFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    const values: Record<string, string | string[]> = {}
    for (const [name, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))) {
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') continue
      const before = values[name]
      values[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value]
    }
    done(null, values)
  })
}

/** The body of a page form post (an empty object for anything else). */
export function formBody(body: unknown): FormBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as FormBody) : {}
}

const SLOT = '\u0001'

/** The placeholder value of a slot, for a message argument that becomes markup. */
export function slot(name: string): string {
  return `${SLOT}${name}${SLOT}`
}

/**
 * A translated sentence with markup in its slots: the text is escaped, each {@link slot} becomes
 * its `SafeHtml` (a link inside "{client} is requesting…", whose word order is the catalog's).
 *
 * @example
 * ```ts
 * richText(t('authorization.requester.statement', { client: slot('client') }), { client: html`<a href="${uri}">${name}</a>` })
 * ```
 */
export function richText(message: string, slots: Readonly<Record<string, SafeHtml>>): SafeHtml {
  const parts = message.split(SLOT)
  // Even parts are text, odd parts slot names.
  return new SafeHtml(parts.map((part, i) => (i % 2 === 0 ? escapeHtml(part) : (slots[part]?.text ?? escapeHtml(part)))).join(''))
}

/**
 * The CSP source that allows a redirect URI as a form target: its origin, or its scheme for a
 * private-use scheme (RFC 8252 §7.1) whose origin is opaque.
 */
function sourceOf(uri: string): string | undefined {
  try {
    const url = new URL(uri)
    return url.origin === 'null' ? url.protocol : url.origin
  } catch {
    return undefined
  }
}

/**
 * Lets a page's forms end at the client's redirect URI. The pages' CSP allows form posts to this
 * server only (`form-action 'self'`), and browsers apply it to the redirects after a post too; the
 * Authorization Form's answer is a 303 to the client (RFC 6749 §4.1.2), so this page's policy
 * adds that one origin. Everything else in the policy stays.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export function allowFormRedirect(reply: FastifyReply, redirect_uri: string, base_url: string): void {
  const source = sourceOf(redirect_uri)
  if (source === undefined || source === sourceOf(base_url)) return
  const policy = reply.getHeader('content-security-policy')
  if (typeof policy !== 'string') return
  const directive = /(^|;)\s*form-action\s+([^;]*)/
  const next = directive.test(policy)
    ? policy.replace(directive, (_match, start: string, sources: string) => `${start}form-action ${sources.trim()} ${source}`)
    : `${policy};form-action 'self' ${source}`
  void reply.header('content-security-policy', next)
}
