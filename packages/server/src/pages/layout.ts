/**
 * The frame of every customer page (CDS-WG3-01 §9): language, title, the branded header
 * (§9.2.1.1: who the page speaks for, no site navigation), a skip link and one `<main>` landmark,
 * the footer with support, terms and privacy links, and only same-origin stylesheets and scripts
 * (no CDN). {@link sendPage} sends it with `no-store`; the security headers come from the pages
 * plugin (`pages/index.ts`).
 *
 * @see CDS-WG3-01 §9.2.1 Authorization Form Layout
 * @module
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { createHash } from 'node:crypto'
import type { CustomerAuthorizationConfig, ServerConfig } from '../config/config-schema.js'
import { html, type SafeHtml } from './html.js'
import { translator, type Translator } from './i18n.js'

/**
 * What every page renderer needs: the configuration, the translator of the configured locale and
 * the brand.
 *
 * @see CDS-WG3-01 §9.2.1.1 Authorization Form Header Section
 */
export interface PageContext {
  config: ServerConfig
  t: Translator
  brand: CustomerAuthorizationConfig['brand']
}

/** The page context of a configuration. */
export function pageContext(config: ServerConfig): PageContext {
  return { config, t: translator(config.customer_authorization.locale), brand: config.customer_authorization.brand }
}

/** Options of {@link renderPage}. */
export interface PageOptions {
  /** The document title (also the `<h1>` unless `main` brings its own). */
  title: string
  /** The content of `<main>`. */
  main: SafeHtml
  /** Replaces the footer's content; default: support, terms and privacy links. */
  footer?: SafeHtml
  /** §9.4: receipts must not be indexed (`<meta name="robots" content="noindex">`). */
  noindex?: boolean
  /** Same-origin script paths, loaded with `defer`. */
  scripts?: readonly string[]
  /** Same-origin stylesheet paths besides `/assets/base.css`. */
  stylesheets?: readonly string[]
  /** A `data-cds-page` value that tests and stylesheets select the page by. */
  page?: string
  /** More header content after the brand (§9.2.1.1: the form's title, a print button). */
  header?: SafeHtml
  /** A URL the page moves on to at once (`<meta http-equiv="refresh">`), for hand-overs a redirect cannot make. */
  refresh?: string
}

/**
 * A link that opens in a new tab and cannot reach back to this page (§9.2: links away from the
 * form open in a new tab; §9.2.1.2: `rel` includes `noopener`).
 */
export function externalLink(ctx: PageContext, href: string, text: string | SafeHtml, rel = 'noopener noreferrer'): SafeHtml {
  return html`<a href="${href}" target="_blank" rel="${rel}">${text}<span class="visually-hidden"> ${ctx.t('page.openInNewTab')}</span></a>`
}

/** The branded header (§9.2.1.1): a logo mark linking to the brand's website in a new tab, the name, and `extra`. */
export function brandHeader(ctx: PageContext, extra?: SafeHtml): SafeHtml {
  const { brand } = ctx
  const mark = html`<span class="logo" aria-hidden="true">${brand.name.slice(0, 1)}</span>`
  const name = html`<span class="name">${brand.name}</span>`
  return html`<header class="brand" data-cds-section="header">${brand.website === undefined ? html`${mark}${name}` : externalLink(ctx, brand.website, html`${mark}${name}`)}${extra}</header>`
}

/** The default footer: support, terms and privacy (§9.2.1.7 recommendations). */
export function defaultFooter(ctx: PageContext, extra?: SafeHtml): SafeHtml {
  const { t, brand } = ctx
  return html`${extra}<ul>
<li>${externalLink(ctx, brand.support_uri, t('footer.support'))}</li>
<li>${externalLink(ctx, brand.terms_uri, t('footer.terms'))}</li>
<li>${externalLink(ctx, brand.privacy_uri, t('footer.privacy'))}</li>
</ul><p>${t('footer.copyright', { brand: brand.name })}</p>`
}

/** A whole HTML document. */
export function renderPage(ctx: PageContext, options: PageOptions): string {
  const { t } = ctx
  const styles = ['/assets/base.css', ...(options.stylesheets ?? [])]
  const doc = html`<!doctype html>
<html lang="${t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.noindex === true ? html`<meta name="robots" content="noindex, nofollow">` : null}
${options.refresh === undefined ? null : html`<meta http-equiv="refresh" content="0;url=${options.refresh}">`}
<title>${options.title} – ${ctx.brand.name}</title>
${styles.map((href) => html`<link rel="stylesheet" href="${href}">`)}
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body${options.page === undefined ? null : html` data-cds-page="${options.page}"`}>
<a class="skip-link" href="#main">${t('page.skip')}</a>
<div class="page">
${brandHeader(ctx, options.header)}
<main id="main" tabindex="-1">
${options.main}
</main>
<footer class="page-footer" data-cds-section="footer">
${options.footer ?? defaultFooter(ctx)}
</footer>
</div>
</body>
</html>
`
  return doc.text
}

/**
 * Sends a rendered page: HTML, never cached (pages carry sessions, CSRF tokens and customer data).
 */
export function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page)
}

/**
 * Serves a static asset kept in the code (no files to copy into `dist`), with a strong ETag so
 * browsers revalidate cheaply.
 */
export function serveAsset(app: FastifyInstance, path: string, contentType: string, body: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
  app.get(path, { schema: { hide: true } }, async (request, reply) => {
    reply.header('etag', etag).header('cache-control', 'public, max-age=300').type(contentType)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.send(body)
  })
}
