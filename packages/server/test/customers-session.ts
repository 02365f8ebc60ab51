/**
 * A browser's side of the customer pages over `inject`: a cookie jar, the CSRF token of a page,
 * form posts, and logging in as a demo customer. For tests of the login (CDS-WG3-01 §9.1.2) and of
 * every page behind it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { DEMO_CUSTOMERS, type DemoCustomer } from '../src/customers/demo-customers.js'

/** Cookies kept between requests, like a browser's (no path or expiry handling: every test page lives under `/`). */
export class CookieJar {
  readonly cookies = new Map<string, string>()

  /** Takes the `Set-Cookie`s of a response (a cleared cookie is removed). */
  absorb(response: LightMyRequestResponse): this {
    for (const cookie of response.cookies) {
      const expired = cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()
      if (cookie.value === '' || expired || cookie.maxAge === 0) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    return this
  }

  /** The `Cookie` header value. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/** The first `_csrf` hidden field of a page. */
export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (match?.[1] === undefined) throw new Error('the page has no CSRF token')
  return match[1]
}

/** A GET as the browser of `jar` (cookies sent and kept). */
export async function browse(app: FastifyInstance, jar: CookieJar, url: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  const response = await app.inject({ method: 'GET', url, headers: { cookie: jar.header() }, ...(remoteAddress === undefined ? {} : { remoteAddress }) })
  jar.absorb(response)
  return response
}

/** A form post as the browser of `jar`. */
export async function postForm(
  app: FastifyInstance,
  jar: CookieJar,
  url: string,
  fields: Record<string, string>,
  remoteAddress?: string,
): Promise<LightMyRequestResponse> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  })
  jar.absorb(response)
  return response
}

/** The demo customer with a fixture name (`CUST-A`, …). */
export function demoCustomer(customer_id: string): DemoCustomer {
  const customer = DEMO_CUSTOMERS.find((c) => c.customer_id === customer_id)
  if (customer === undefined) throw new Error(`no demo customer ${customer_id}`)
  return customer
}

/**
 * Logs in through the login page (GET the form, POST it with its CSRF token) and returns the
 * jar holding the session; throws unless the login answers 303 to `return_to`.
 */
export async function loginAs(app: FastifyInstance, customer_id = 'CUST-A', return_to = '/account', jar = new CookieJar()): Promise<CookieJar> {
  const customer = demoCustomer(customer_id)
  const form = await browse(app, jar, `/login?return_to=${encodeURIComponent(return_to)}&force=1`)
  const response = await postForm(app, jar, '/login', { _csrf: csrfToken(form.body), login: customer.login, password: customer.password, return_to })
  if (response.statusCode !== 303 || response.headers.location !== return_to) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  return jar
}
