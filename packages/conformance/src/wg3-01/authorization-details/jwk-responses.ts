/**
 * What a Customer Data API answers under CDS-WG3-01 §7.4.6 `jwk`: plain JSON over HTTPS when the
 * consent carries no key, and a body additionally encrypted to the key when it carries one (the
 * CDS-WG1-02 overview scheme adopted by A-53), read through the suite's consent views.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentCheck, consentView } from './consent-lab.js'
import { apiUrl } from './direct-lab.js'
import { openResponse } from './jwe.js'

/** The raw response of the Accounts listing for a token (bytes kept: an encrypted body is not text). */
async function rawAccounts(ctx: CheckContext, token: string): Promise<{ url: string; status: number; headers: Headers; bytes: Uint8Array<ArrayBuffer> }> {
  const url = await apiUrl(ctx, 'accounts')
  const response = await (ctx.options.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'manual' })
  return { url, status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/** Every check of this file. */
export const jwkResponseChecks: readonly Check[] = [
  consentCheck('R3-01-7.4.6-07', '7.4.6', 'without a jwk, Customer Data API responses are plain JSON', async (ctx: CheckContext) => {
    const view = await consentView(ctx, 'on')
    const raw = await rawAccounts(ctx, view.token)
    ctx.assert(raw.status === 200, `the Accounts listing answered ${raw.status}`)
    const type = (raw.headers.get('content-type') ?? '').toLowerCase()
    ctx.assert(type.startsWith('application/json'), `the Accounts listing of a consent without a key answered ${type || 'no content type'}, not JSON`)
    let body: Json
    try {
      body = JSON.parse(new TextDecoder().decode(raw.bytes)) as Json
    } catch {
      return ctx.fail('the Accounts listing of a consent without a key is not JSON')
    }
    ctx.assert(Array.isArray(body.accounts), 'the plain Accounts listing has no accounts array')
    ctx.assert(raw.headers.get('x-cds-body-jwe-protected-header') === null, 'a response to a consent without a key carries JWE headers')
  }),
  consentCheck('R3-01-7.4.6-11', '7.4.6', 'with a jwk, the Customer Data APIs are still served over HTTPS', async (ctx: CheckContext) => {
    const view = await consentView(ctx, 'jwk')
    const url = await apiUrl(ctx, 'accounts')
    ctx.assert(ctx.isSecureUrl(url), `the Accounts API ${url} is not an https URL`)
    const raw = await rawAccounts(ctx, view.token)
    ctx.assert(raw.status === 200, `the Accounts listing for the consent with a key answered ${raw.status}`)
  }),
  consentCheck('R3-01-7.4.6-12', '7.4.6', 'with a jwk, Customer Data API bodies are encrypted to it (ECDH-ES, A256GCM) and open to the JSON listing', async (ctx: CheckContext) => {
    const view = await consentView(ctx, 'jwk')
    if (view.privateKey === undefined) ctx.fail('the consent view has no key')
    const raw = await rawAccounts(ctx, view.token)
    ctx.assert(raw.status === 200, `the Accounts listing for the consent with a key answered ${raw.status}`)
    let plain = true
    try {
      JSON.parse(new TextDecoder().decode(raw.bytes))
    } catch {
      plain = false
    }
    if (plain) ctx.fail('the Accounts listing of a consent with a jwk is plain JSON, not encrypted to the key')
    let opened
    try {
      opened = await openResponse(view.privateKey, raw.headers, raw.bytes)
    } catch (error) {
      return ctx.fail(`the encrypted Accounts listing does not open with the key: ${(error as Error).message}`)
    }
    let body: Json
    try {
      body = JSON.parse(opened.body) as Json
    } catch {
      return ctx.fail('the decrypted Accounts listing is not JSON')
    }
    ctx.assert(Array.isArray(body.accounts), 'the decrypted Accounts listing has no accounts array')
    ctx.assert(/content-type:\s*application\/json/i.test(opened.headers), 'the encrypted headers do not hold the original Content-Type')
  }),
]
