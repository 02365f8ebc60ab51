/**
 * Fixtures of the Authorization Receipt tests (CDS-WG3-01 §9.4): the whole server on a test
 * database, one code Client object, two customers with live sessions, and helpers that create a
 * Grant (with selections), a receipt for it, and read pages as a browser would. Rows are written
 * directly, so these tests do not depend on the Authorization Form.
 */
import { hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { DEMO_CODE_SCOPE } from '../src/config/defaults.js'
import { SESSION_COOKIE } from '../src/customers/session.js'
import type { GrantSelection } from '../src/db/database.js'
import { toJsonText } from '../src/db/json-text.js'
import type { GrantRecord } from '../src/db/grant-store.js'
import { createGrant } from '../src/wg1-02/grants/grant-changes.js'
import { createReceipt, type CreatedReceipt, type ReceiptSnapshot } from '../src/wg3-01/receipts/create-receipt.js'
import { API_BASE_URL, buildApiApp, register, type ApiApp, type TestRegistration } from './api-app.js'
import type { DialectContext } from './dialects.js'
import { clientsByScope, secretFor } from './grants-kit.js'

/** The customer-readable lines of the two selected services (Customer Data). */
export const ITEMS = ['Service 222222 – 123 Main St (electric)', 'Service 333333 – 9 Elm St (gas)']

/** The selections the fixture Grants carry. */
export const SELECTIONS: GrantSelection[] = [
  { scopes: [DEMO_CODE_SCOPE], selection_type: 'service_contract_selection', resource_type: 'service_contract', numbers: ['222222', '333333'], all: false, include_future: true },
]

/** A snapshot as the Authorization Form would record it for a Grant of `client_id`. */
export function snapshotFor(client_id: string, terms_uri: string, overrides: Partial<ReceiptSnapshot> = {}): ReceiptSnapshot {
  return {
    client_id,
    client_name: 'Test Client',
    client_uri: 'https://client.example/',
    scope: DEMO_CODE_SCOPE,
    authorization_details: [],
    sections: [
      {
        scopes: [DEMO_CODE_SCOPE],
        data: ['Your interval energy usage'],
        data_details: ['Usage for each hour, for example 1.2 kWh'],
        durations: ['1 year of past usage'],
        selection: {
          resource_type: 'service_contract',
          heading: 'For these services:',
          items: ITEMS,
          count: 2,
          all: false,
          include_future: true,
          include_future_text: 'Services you add before Jan 1, 2027 are included too.',
        },
        purpose: { content: 'To score your home.\nSecond line.', client_authored: true, related_uri: 'https://client.example/purpose', related_name: 'About our score' },
      },
    ],
    terms_uri,
    approved_at: '2025-01-01T00:00:00Z',
    ...overrides,
  }
}

/** The `_csrf` value of a page's form and the CSRF cookie the page set. */
export function csrfOf(page: LightMyRequestResponse): { token: string; cookie: string } {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
  const cookie = page.cookies.find((c) => c.name === 'cds_csrf')?.value
  if (token === undefined || cookie === undefined) throw new Error(`no CSRF token on the page: ${page.body.slice(0, 200)}`)
  return { token, cookie }
}

/** Options of {@link ReceiptsFixture.receiptFor}. */
export interface ReceiptOptions {
  customer_id?: string | null
  snapshot?: ReceiptSnapshot
  notify_email?: string | null
}

/** What a receipts test sees; ready inside tests and hooks. */
export interface ReceiptsFixture {
  readonly api: ApiApp
  readonly reg: TestRegistration
  /** The code Client object the Grants belong to. */
  readonly client_id: string
  /** A secret of {@link client_id} (for introspection). */
  readonly secret: string
  /** `Cookie` header of a session of `cust-a`, the customer of the fixture Grants. */
  readonly ownerCookie: string
  /** `Cookie` header of a session of `cust-b`. */
  readonly otherCookie: string
  /** The server's terms link now. */
  terms(): string
  /** A new active Grant of `customer_id` (default `cust-a`) with {@link SELECTIONS}. */
  newGrant(customer_id?: string | null): Promise<GrantRecord>
  /** A receipt for a Grant (default: `cust-a`, the standard snapshot, an email to a@customer.example). */
  receiptFor(grant_id: string, options?: ReceiptOptions): Promise<CreatedReceipt>
  /** The same-origin path of an absolute URL of the server. */
  pathOf(url: string): string
  /** A GET, with a `Cookie` header when given. */
  get(url: string, cookie?: string): Promise<LightMyRequestResponse>
  /** A form POST with the CSRF cookie and token (and more cookies when given). */
  postForm(url: string, csrf: { token: string; cookie: string }, cookie?: string): Promise<LightMyRequestResponse>
}

/**
 * Sets up the fixture for one dialect block (`beforeAll`/`afterAll` of the calling `describe`).
 */
export function receiptsFixture(t: DialectContext): ReceiptsFixture {
  let api: ApiApp | undefined
  let reg: TestRegistration | undefined
  let client_id = ''
  let secret = ''
  let ownerCookie = ''
  let otherCookie = ''
  const ready = (): ApiApp => {
    if (api === undefined) throw new Error('the fixture is set up in beforeAll')
    return api
  }
  const sessionFor = async (customer_id: string): Promise<string> => {
    const handle = randomOpaqueValue()
    const now = ready().clock.now()
    await t.db.insertInto('customer_sessions').values({ session_hash: hashSecret(handle), customer_id, created: now, last_seen: now, ended_at: null }).execute()
    return `${SESSION_COOKIE}=${handle}`
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    reg = await register(api.app)
    client_id = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
    secret = await secretFor(t.db, api.clock, api.config, client_id)
    // The Client object as the snapshots saw it at approval.
    await t.db.updateTable('clients').set({ client_name: 'Test Client', client_uri: 'https://client.example/' }).where('client_id', '=', client_id).execute()
    const created = api.clock.now()
    for (const [customer_id, email] of [['cust-a', 'a@customer.example'], ['cust-b', 'b@customer.example']] as const) {
      await t.db.insertInto('customers').values({ customer_id, login: email, password_hash: 'not-a-login', display_name: customer_id, email, created }).execute()
    }
    ownerCookie = await sessionFor('cust-a')
    otherCookie = await sessionFor('cust-b')
  })
  afterAll(async () => api?.app.close())

  const terms = () => ready().config.customer_authorization.brand.terms_uri
  return {
    get api() {
      return ready()
    },
    get reg() {
      if (reg === undefined) throw new Error('the fixture is set up in beforeAll')
      return reg
    },
    get client_id() {
      return client_id
    },
    get secret() {
      return secret
    },
    get ownerCookie() {
      return ownerCookie
    },
    get otherCookie() {
      return otherCookie
    },
    terms,
    async newGrant(customer_id = 'cust-a') {
      const grant = await createGrant(t.db, ready().clock, { client_id, scope: DEMO_CODE_SCOPE, customer_id, changelog: { base_url: API_BASE_URL } })
      await t.db.updateTable('grants').set({ selections: toJsonText(SELECTIONS) }).where('grant_id', '=', grant.grant_id).execute()
      return grant
    },
    receiptFor(grant_id, options = {}) {
      return createReceipt(
        t.db,
        { config: ready().config, clock: ready().clock },
        {
          grant_id,
          customer_id: options.customer_id === undefined ? 'cust-a' : options.customer_id,
          snapshot: options.snapshot ?? snapshotFor(client_id, terms()),
          notify_email: options.notify_email === undefined ? 'a@customer.example' : options.notify_email,
        },
      )
    },
    pathOf: (url) => url.slice(API_BASE_URL.length),
    get: (url, cookie) => ready().app.inject({ method: 'GET', url, ...(cookie === undefined ? {} : { headers: { cookie } }) }),
    postForm: (url, csrf, cookie) =>
      ready().app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [`cds_csrf=${csrf.cookie}`, ...(cookie === undefined ? [] : [cookie])].join('; ') },
        payload: new URLSearchParams({ _csrf: csrf.token }).toString(),
      }),
  }
}
