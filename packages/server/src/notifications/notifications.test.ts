import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, register, type ApiApp } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { clientsByScope } from '../../test/grants-kit.js'
import type { ServerConfig } from '../config/config-schema.js'
import { DEMO_CODE_SCOPE, defaultConfig } from '../config/defaults.js'
import { ConfigError, loadConfig } from '../config/load-config.js'
import { pageContext } from '../pages/layout.js'
import { createGrant } from '../wg1-02/grants/grant-changes.js'
import { createReceipt, type ReceiptSnapshot } from '../wg3-01/receipts/create-receipt.js'
import { deliverQueuedEmails } from './deliver.js'
import { queueEmail } from './queue-email.js'
import { composeReceiptEmail } from './receipt-email.js'

const DEFAULT_PURPOSE = 'This Client may use the data you authorize them to access for any purpose.'
const CLIENT_PURPOSE = 'Buy our premium plan now at https://spam.example/!'

function snapshot(client_id: string, terms_uri: string): ReceiptSnapshot {
  const selection = {
    resource_type: 'service_contract' as const,
    heading: 'For these services:',
    items: ['Service 222222 – 123 Main St (electric)', 'Service 333333 – 9 Elm St (gas)'],
    count: 2,
    all: false,
    include_future: false,
    include_future_text: null,
  }
  return {
    client_id,
    client_name: 'Acme <Energy> Auditors',
    client_uri: 'https://acme.example/',
    scope: DEMO_CODE_SCOPE,
    authorization_details: [],
    sections: [
      { scopes: ['a'], data: ['Your interval energy usage'], data_details: [], durations: ['1 year of past usage'], selection, purpose: { content: DEFAULT_PURPOSE, client_authored: false } },
      {
        scopes: ['b'],
        data: ['Your bills'],
        data_details: [],
        durations: [`x${'y'.repeat(400)}`],
        selection: { ...selection, resource_type: 'account', heading: 'For these accounts:', items: ['Account 1111-1'], count: 1, all: true, include_future: true },
        purpose: { content: CLIENT_PURPOSE, client_authored: true, related_uri: 'https://spam.example/' },
      },
    ],
    terms_uri,
    approved_at: '2025-01-01T00:00:00Z',
  }
}

/** The text of a raw MIME message with quoted-printable soft breaks and escapes undone. */
function decoded(raw: string): string {
  const unfolded = raw.replace(/\r\n[ \t]/g, ' ').replace(/=\r\n/g, '')
  return Buffer.from(unfolded.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
}

describe('CDS-WG3-01 §9.4 the receipt email', () => {
  const config = defaultConfig(API_BASE_URL)
  const ctx = pageContext(config)
  const email = composeReceiptEmail(ctx, {
    to: 'a@customer.example',
    confirmation: '123456789012',
    url: `${API_BASE_URL}/receipts/abc`,
    created: new Date('2025-01-01T19:00:00Z'),
    snapshot: snapshot('client-1', config.customer_authorization.brand.terms_uri),
  })

  it('R3-01-9.4-11 brand, confirmation number and the direct receipt link', () => {
    expect(email.to).toBe('a@customer.example')
    expect(email.subject).toBe('Your Demo Gas & Electric authorization receipt 123456789012')
    for (const part of [email.text, email.html ?? '']) {
      expect(part).toContain('Demo Gas &')
      expect(part).toContain('123456789012')
      expect(part).toContain(`${API_BASE_URL}/receipts/abc`)
    }
    expect(email.html).toContain(`<a href="${API_BASE_URL}/receipts/abc">`)
  })

  it('R3-01-9.4-12 date and time, the Client, what was approved and a count of resources, trimmed', () => {
    expect(email.text).toContain('Date: Jan 1, 2025, 11:00 AM PST')
    expect(email.text).toContain('Who you authorized: Acme <Energy> Auditors')
    expect(email.text).toContain('- Your interval energy usage')
    expect(email.text).toContain('- 1 year of past usage')
    expect(email.text).toContain('- Shared: 2 services')
    expect(email.text).toContain('- Shared: All of your accounts. Accounts you add in the future are included too.')
    // A 401-character line is cut to 200 with an ellipsis.
    expect(email.text).toContain(`- x${'y'.repeat(198)}…\n`)
    // The resources themselves (Customer Data) stay on the receipt page behind login.
    for (const secret of ['222222', 'Main St', '1111-1']) expect(email.text + (email.html ?? '')).not.toContain(secret)
  })

  it('R3-01-9.4-12 -13 a server default Purpose is included; a Client-written one never is', () => {
    expect(email.text).toContain(`For this purpose: ${DEFAULT_PURPOSE}`)
    expect(email.text + (email.html ?? '')).not.toContain('premium plan')
    expect(email.text + (email.html ?? '')).not.toContain('spam.example')
  })

  it('the HTML part escapes every value', () => {
    expect(email.html).toContain('Who you authorized: Acme &lt;Energy&gt; Auditors')
    expect(email.html).not.toContain('<Energy>')
    expect(email.html).toContain('Demo Gas &amp; Electric')
  })
})

describe('CDS_SMTP_URL', () => {
  it('sets customer_authorization.email.smtp_url and is checked like the file value', async () => {
    const config = await loadConfig({ env: { CDS_SMTP_URL: 'smtp://mail.example:2525' } })
    expect(config.customer_authorization.email.smtp_url).toBe('smtp://mail.example:2525')
    expect(config.customer_authorization.email.from).toBe(defaultConfig('http://127.0.0.1:3000').customer_authorization.email.from)
    const bad = await loadConfig({ env: { CDS_SMTP_URL: 'http://mail.example' } }).catch((error: unknown) => error)
    expect(bad).toBeInstanceOf(ConfigError)
    expect((bad as ConfigError).message).toContain('(from CDS_SMTP_URL)')
  })
})

interface Received {
  from: string
  to: string[]
  raw: string
}

/** A local SMTP sink on 127.0.0.1 with a random port. */
async function smtpSink(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.server.address() as AddressInfo).port, received }
}

forEachDialect('CDS-WG3-01 §9.4 notifications: SMTP delivery and the dev outbox', (t) => {
  let api: ApiApp
  let client_id: string
  let sink: Awaited<ReturnType<typeof smtpSink>>
  let smtpConfig: ServerConfig

  beforeAll(async () => {
    sink = await smtpSink()
    api = await buildApiApp(t.database)
    const reg = await register(api.app)
    client_id = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
    smtpConfig = structuredClone(api.config)
    smtpConfig.customer_authorization.email.smtp_url = `smtp://127.0.0.1:${sink.port}`
  })
  afterAll(async () => {
    await api.app.close()
    await new Promise<void>((resolve) => sink.server.close(() => resolve()))
  })

  const approve = async (config: ServerConfig, notify_email: string) => {
    const grant = await createGrant(t.db, api.clock, { client_id, scope: DEMO_CODE_SCOPE, customer_id: null, changelog: false })
    return t.db
      .transaction()
      .execute((trx) =>
        createReceipt(trx, { config, clock: api.clock }, { grant_id: grant.grant_id, customer_id: null, snapshot: snapshot(client_id, config.customer_authorization.brand.terms_uri), notify_email }),
      )
  }
  const rowOf = (confirmation: string) => t.db.selectFrom('outbox_emails').selectAll().where('subject', 'like', `%${confirmation}%`).executeTakeFirstOrThrow()

  it('R3-01-9.4-09 -10 -11 after commit, the queued email goes out over SMTP and is marked sent', async () => {
    const receipt = await approve(smtpConfig, 'a@customer.example')
    expect(await rowOf(receipt.confirmation)).toMatchObject({ transport: 'smtp', sent_at: null, error: null })
    api.clock.advance(5)
    await deliverQueuedEmails(t.db, smtpConfig, api.clock)
    const row = await rowOf(receipt.confirmation)
    expect(row.error).toBeNull()
    expect(row.sent_at?.toISOString()).toBe(api.clock.now().toISOString())
    const mail = sink.received.find((m) => m.raw.includes(receipt.confirmation))
    expect(mail).toBeDefined()
    expect(mail?.from).toBe('no-reply@demo-utility.example')
    expect(mail?.to).toEqual(['a@customer.example'])
    const text = decoded(mail?.raw ?? '')
    expect(text).toContain(`Subject: Your Demo Gas & Electric authorization receipt ${receipt.confirmation}`)
    expect(text).toContain('Content-Type: multipart/alternative')
    expect(text).toContain(receipt.url)
    expect(text).toContain(`<a href="${receipt.url}">`)
    // Delivered once: a second run sends nothing more.
    const count = sink.received.length
    await deliverQueuedEmails(t.db, smtpConfig, api.clock)
    expect(sink.received.length).toBe(count)
  })

  it('an SMTP failure is recorded on the row and never thrown', async () => {
    const receipt = await approve(smtpConfig, 'b@customer.example')
    const closed = structuredClone(smtpConfig)
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    closed.customer_authorization.email.smtp_url = 'smtp://127.0.0.1:1'
    await expect(deliverQueuedEmails(t.db, closed, api.clock)).resolves.toBeUndefined()
    const row = await rowOf(receipt.confirmation)
    expect(row.sent_at).toBeNull()
    expect(row.error).toMatch(/ECONNREFUSED|connect/i)
    // A failed message is not retried behind the operator's back.
    await deliverQueuedEmails(t.db, smtpConfig, api.clock)
    expect(sink.received.some((m) => m.raw.includes(receipt.confirmation))).toBe(false)
  })

  it('without an SMTP server, mail stays in the outbox and delivery does nothing', async () => {
    const receipt = await approve(api.config, 'c@customer.example')
    await deliverQueuedEmails(t.db, api.config, api.clock)
    expect(await rowOf(receipt.confirmation)).toMatchObject({ transport: 'outbox', sent_at: null, error: null })
  })

  it('GET /dev/outbox lists the notifications newest first; /dev/outbox/<id> shows one with its receipt link', async () => {
    const receipt = await approve(api.config, 'outbox@customer.example')
    api.clock.advance(1)
    const id = await queueEmail(t.db, api.config, api.clock, { to: 'z@customer.example', subject: '<b>hi</b>', text: 'plain', html: null })
    const row = await rowOf(receipt.confirmation)
    const list = await api.app.inject({ method: 'GET', url: '/dev/outbox' })
    expect(list.statusCode).toBe(200)
    expect(list.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(list.body).toContain('data-cds-page="outbox"')
    expect(list.body).toContain(`<a href="/dev/outbox/${row.email_id}" data-cds-email="${row.email_id}">`)
    expect(list.body).toContain(`data-cds-email="${id}">&lt;b&gt;hi&lt;/b&gt;</a>`)
    expect(list.body.indexOf(`data-cds-email="${id}"`)).toBeLessThan(list.body.indexOf(`data-cds-email="${row.email_id}"`))

    const one = await api.app.inject({ method: 'GET', url: `/dev/outbox/${row.email_id}` })
    expect(one.statusCode).toBe(200)
    expect(one.body).toContain('data-cds-page="outbox-email"')
    expect(one.body).toContain('<dd data-cds-email-to>outbox@customer.example</dd>')
    expect(one.body).toContain('data-cds-email-body>')
    expect(one.body).toContain(`<a href="${receipt.url}" data-cds-email-link>${receipt.url}</a>`)
    expect(one.body).toContain('Who you authorized: Acme &lt;Energy&gt; Auditors')
    // The link works: it is the receipt.
    const page = await api.app.inject({ method: 'GET', url: receipt.url.slice(API_BASE_URL.length) })
    expect(page.body).toContain(`<dd data-cds-confirmation>${receipt.confirmation}</dd>`)

    expect((await api.app.inject({ method: 'GET', url: '/dev/outbox/no-such-email' })).statusCode).toBe(404)
  })

  it('the outbox pages are 404 when email.outbox_page is off', async () => {
    const off = await buildApiApp(t.database, (config) => {
      config.customer_authorization.email.outbox_page = false
    })
    try {
      const row = await t.db.selectFrom('outbox_emails').select('email_id').executeTakeFirstOrThrow()
      for (const url of ['/dev/outbox', `/dev/outbox/${row.email_id}`]) {
        const response = await off.app.inject({ method: 'GET', url })
        expect(response.statusCode).toBe(404)
        expect(response.body).not.toContain('data-cds-email')
      }
    } finally {
      await off.app.close()
    }
  })
})
