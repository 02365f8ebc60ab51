/**
 * The customer pages of CDS-WG3-01 §9 under one roof: the authorization endpoint's pages, login,
 * the Authorization Form, receipts, the customer's own authorizations and the dev outbox. This
 * encapsulated plugin gives every one of them the same protections, from well-kept libraries:
 *
 * - security headers from `@fastify/helmet`: a Content Security Policy that lets pages load only
 *   same-origin styles and scripts and never be framed (`frame-ancestors 'none'`), `no-referrer`,
 *   `nosniff`, no cross-origin openers;
 * - CSRF tokens from `@fastify/csrf-protection` (double submit with a signed, HttpOnly cookie):
 *   every form posts `_csrf`, and every POST route adds `app.csrfProtection` as a preHandler.
 *
 * The API routes outside this plugin keep their JSON-only headers.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @see CDS-WG1-02 §11 Security Considerations
 * @module
 */
import type { CustomerAuthorization } from '@cds-ts/auth'
import csrfProtection from '@fastify/csrf-protection'
import helmet from '@fastify/helmet'
import type { FastifyPluginAsync } from 'fastify'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { customersPlugin } from '../customers/index.js'
import { notificationsPlugin } from '../notifications/index.js'
import { authorizationFormPlugin } from '../wg3-01/authorization/index.js'
import { receiptsPlugin } from '../wg3-01/receipts/index.js'
import { authorizePlugin } from '../wg1-02/oauth/authorize.js'
import { receiptPlugin } from '../wg1-02/oauth/receipt.js'
import { scopeDocsPlugin } from '../wg1-02/oauth/scope-docs.js'
import { BASE_CSS } from './base-styles.js'
import { pageContext, serveAsset, type PageContext } from './layout.js'

/**
 * Options of {@link pagesPlugin} and of every page plugin inside it.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
export interface PagesPluginOptions extends ApiPluginOptions {
  /** Translator, brand and configuration of the pages. */
  pages: PageContext
  /**
   * A stand-in for the customer at the authorization endpoint (tests of the OAuth machinery use
   * `AutoApprove`); absent: the real login and Authorization Form of CDS-WG3-01 §9.
   */
  customerAuthorization?: CustomerAuthorization | undefined
}

/**
 * Registers the customer pages with their security headers and CSRF protection.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
export const pagesPlugin: FastifyPluginAsync<ApiPluginOptions & { customerAuthorization?: CustomerAuthorization | undefined }> = async (app, options) => {
  const secure = options.config.base_url.startsWith('https:')
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        // Forms post to this server only; the answer's 302 may go to the client's redirect URI,
        // which the Authorization Form allows per page (browsers apply form-action to redirects).
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secure,
    crossOriginEmbedderPolicy: false,
  })
  await app.register(csrfProtection, {
    cookieKey: 'cds_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/' },
  })
  serveAsset(app, '/assets/base.css', 'text/css; charset=utf-8', BASE_CSS)

  const pages: PagesPluginOptions = { ...options, pages: pageContext(options.config) }
  // CDS-WG3-01 §9.1: without a stand-in, the customer logs in and answers on the Authorization Form.
  await app.register(authorizePlugin, pages)
  await app.register(receiptPlugin, pages)
  await app.register(customersPlugin, pages)
  await app.register(authorizationFormPlugin, pages)
  await app.register(receiptsPlugin, pages)
  await app.register(notificationsPlugin, pages)
  // CDS-WG1-02 §3.4, §3.8: the page the scopes' documentation URLs point into.
  await app.register(scopeDocsPlugin, pages)
}
