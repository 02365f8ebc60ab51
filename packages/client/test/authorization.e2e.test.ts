/**
 * A customer's authorization through the SDK, against the reference server and Debian's
 * chromium: the authorization URL with PAR, PKCE S256 and RAR, the customer's login and approval
 * on the Authorization Form (CDS-WG3-01 §9.2), the callback checked and the code exchanged, the
 * Customer Data read with those tokens, the refresh on the injected clock, a Grant Admin token
 * for the same Grant, and the errors of a declined or forged response.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CdsAuthorizationError, CdsProtocolError, type CdsClient, type PendingAuthorization, type TokenSet } from '../src/index.js'
import { launchChromium, manualClock, register, type Registration } from './live.js'

const clock = manualClock()
let reg: Registration
let client: CdsClient
let browser: Browser
let callbackServer: Server
let callback = ''
const hits: URL[] = []

/** Waits until the callback server has seen `count` requests. */
async function hit(count: number): Promise<URL> {
  for (let i = 0; i < 200 && hits.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const last = hits[count - 1]
  if (last === undefined) throw new Error('the browser never came back to the redirect URI')
  return last
}

/** Opens the authorization URL, logs in as the demo customer, and clicks `decision` on the form. */
async function consent(pending: PendingAuthorization, decision: 'approve' | 'decline'): Promise<URL> {
  const before = hits.length
  const page: Page = await browser.newPage()
  try {
    await page.goto(pending.url)
    await page.locator('input[name=login]').fill('custa@example.com')
    await page.locator('input[name=password]').fill('demo-custa-password')
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.locator('button[data-cds-login]').click()])
    await page.locator(`button[name=decision][value=${decision}]`).click()
    return await hit(before + 1)
  } finally {
    await page.close()
  }
}

beforeAll(async () => {
  callbackServer = createServer((request, response) => {
    hits.push(new URL(request.url ?? '/', callback))
    response.end('back at the Client')
  })
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve))
  callback = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`
  reg = await register(['cds_usage', 'cds_grant_admin_1'], { now: clock.now })
  // CDS-WG1-02 §5.5: the Client adds its own redirect URI to the Client object.
  const object = reg.clientObject('cds_usage')
  await reg.admin.clients.modify(object, { ...object, redirect_uris: [...object.redirect_uris, callback] })
  client = reg.clientFor('cds_usage')
  browser = await launchChromium()
})

afterAll(async () => {
  await browser.close()
  await new Promise((resolve) => callbackServer.close(resolve))
})

const request = () => ({
  redirect_uri: callback,
  scope: 'cds_usage',
  authorization_details: [{ type: 'cds_usage', authorization_form_selection_type: 'account_selection', account_numbers: ['_all'], include_meter_devices: true }],
})

describe('CDS-WG3-01 §9.1 the authorization code flow with PAR, PKCE and RAR', () => {
  let tokens: TokenSet

  it('RFC 9126 §4 pushes the request: the URL carries only client_id and request_uri', async () => {
    const pending = await client.authorizationUrl(request())
    const url = new URL(pending.url)
    expect(`${url.origin}${url.pathname}`).toBe(client.authorizationServer.authorization_endpoint)
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(pending.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    expect(pending.request_uri_expires_at).toBeGreaterThan(clock.now())
    expect(pending.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('the customer approves; the callback is checked and the code exchanged with the verifier', async () => {
    const pending = await client.authorizationUrl(request())
    const back = await consent(pending, 'approve')
    expect(back.searchParams.get('state')).toBe(pending.state)
    tokens = await client.handleCallback(back, pending)
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'cds_usage' })
    expect(tokens.refresh_token).toBeTypeOf('string')
    expect(tokens.authorization_details?.[0]).toMatchObject({ type: 'cds_usage', include_meter_devices: true })
  })

  it('R3-01-10 reads Customer Data with the customer\u2019s tokens', async () => {
    const data = client.customerData(tokens)
    const meters = []
    for await (const meter of data.meterDevices.all()) meters.push(meter)
    expect(meters.length).toBeGreaterThan(0)
    const segments = await data.usageSegments.list()
    expect(segments.usage_segments.length).toBeGreaterThan(0)
  })

  it('RFC 6749 §6 refreshes once the injected clock passes the expiry; the refresh token rotates', async () => {
    expect(await client.refresh(tokens)).toMatchObject({ access_token: tokens.access_token })
    clock.advance((tokens.expires_at ?? 0) - clock.now() + 1000)
    const refreshed = await client.refresh(tokens)
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    expect(refreshed.key).toBe(tokens.key)
    // The APIs renew through the cache too: the stale set passed in finds the refreshed one.
    expect(await client.accessToken(tokens)).toBe(refreshed.access_token)
    expect((await client.customerData(tokens).meterDevices.list()).meter_devices.length).toBeGreaterThan(0)
  })

  it('CDS-WG1-02 §3.3.2 the Grant shows on the Grants API and a Grant Admin token reads its data', async () => {
    const [grant] = (await reg.admin.grants.list({ client_ids: [client.clientId ?? ''], scopes: ['cds_usage'] })).grants
    expect(grant).toMatchObject({ status: 'active', scope: 'cds_usage' })
    const admin = reg.clientFor('cds_grant_admin_1')
    const meters = await admin.customerData(admin.grantAdmin(grant!)).meterDevices.list()
    expect(meters.meter_devices.length).toBeGreaterThan(0)
  })
})

describe('CDS-WG3-01 §9.3 errors of the authorization response', () => {
  it('RFC 6749 §4.1.2.1 a declined authorization is a CdsAuthorizationError access_denied', async () => {
    const pending = await client.authorizationUrl(request())
    const back = await consent(pending, 'decline')
    const failure = await client.handleCallback(back, pending).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsAuthorizationError)
    expect(failure).toMatchObject({ code: 'AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied', state: pending.state })
  })

  it('RFC 6749 §10.12 a response with another state is refused before any exchange', async () => {
    const pending = await client.authorizationUrl(request())
    const failure = await client.handleCallback(`${callback}?code=forged&state=not-ours`, pending).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsProtocolError)
    expect(failure).toMatchObject({ code: 'STATE_MISMATCH' })
    const missing = await client.handleCallback(`${callback}?state=${pending.state}`, pending).catch((e: unknown) => e)
    expect(missing).toMatchObject({ code: 'MISSING_CODE' })
  })

  it('without PAR the parameters ride in the URL, which the server accepts', async () => {
    const pending = await client.authorizationUrl({ ...request(), par: 'never', cds_grant_id: '', prompt: 'login' })
    const url = new URL(pending.url)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toBe(callback)
    expect(JSON.parse(url.searchParams.get('authorization_details') ?? '[]')).toEqual(request().authorization_details)
    expect(pending.request_uri).toBeUndefined()
    const response = await fetch(url, { redirect: 'manual' })
    // Accepted: the customer is sent on to the interaction (login, then the form), not back with an error.
    expect([302, 303]).toContain(response.status)
    const location = new URL(response.headers.get('location') ?? '', url)
    expect(location.origin).toBe(url.origin)
    expect(location.searchParams.has('error')).toBe(false)
  })
})
