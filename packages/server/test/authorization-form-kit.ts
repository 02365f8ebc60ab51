/**
 * Helpers of the interactive authorization tests (CDS-WG3-01 §9.1, §9.2) over `inject`: a
 * consent Client object for the Customer Data scopes, the authorization request with PKCE, form
 * posts with repeated fields, and the Authorization Form's hooks read back from its HTML.
 */
import { codeChallengeS256, randomOpaqueValue, type AuthStore, type ClientRecord } from '@cds-ts/auth'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { API_BASE_URL } from './api-app.js'
import type { CookieJar } from './customers-session.js'
import { seedClient } from './oauth-app.js'

/** The Client's own redirect URI. */
export const APP_REDIRECT = 'https://app.example/redirect'
/** The consent scopes the test Client object holds (ids = types in the demo configuration). */
export const CONSENT_SCOPES = ['cds_accounts', 'cds_service_contracts', 'cds_meters', 'cds_usage', 'cds_rate_plan', 'cds_bill_statements', 'cds_aggregation_consent']

/** The Client-written Purpose of the fixture (F.0 `P-AUD`), with text that must stay text. */
export const CLIENT_PURPOSE = {
  id: 'P-AUD',
  name: 'Audit',
  content: 'To calculate your home energy efficiency score.\n<b>x</b><script>alert(1)</script>',
  related_uri: 'https://auditors.example/terms',
  related_name: 'See our full Terms of Service',
  scopes_supported: CONSENT_SCOPES,
}

/** A production consent Client object "Acme Energy Auditors" (catalog F.0 CL-APP) with its Basic header. */
export async function seedConsentClient(store: AuthStore, overrides: Partial<ClientRecord> = {}): Promise<{ client: ClientRecord; authorization: string }> {
  const seeded = await seedClient(store, 'code', {
    client_name: 'Acme Energy Auditors',
    client_uri: 'https://auditors.example',
    scope: CONSENT_SCOPES.join(' '),
    authorization_details_types: CONSENT_SCOPES,
    redirect_uris: [`${API_BASE_URL}/oauth/receipt`, APP_REDIRECT],
    cds_default_redirect_uri: `${API_BASE_URL}/oauth/receipt`,
    cds_default_scope: 'cds_accounts',
    cds_status: 'production',
    cds_status_options: ['production', 'disabled'],
    cds_purposes: {
      'default-01': {
        id: 'default-01',
        name: 'Default',
        content: 'This Client may use the data you authorize them to access for any purpose.',
        related_uri: null,
        scopes_supported: CONSENT_SCOPES,
      },
      [CLIENT_PURPOSE.id]: CLIENT_PURPOSE,
    },
    purpose_origins: { 'default-01': 'server', [CLIENT_PURPOSE.id]: 'client' },
    ...overrides,
  })
  return { client: seeded.client, authorization: seeded.authorization ?? '' }
}

/** An authorization request's query and its PKCE verifier. */
export function authorizeQuery(client_id: string, fields: Record<string, string | undefined>): { url: string; code_verifier: string } {
  const code_verifier = randomOpaqueValue()
  const query = new URLSearchParams(
    Object.entries({
      response_type: 'code',
      client_id,
      redirect_uri: APP_REDIRECT,
      state: 'st-9',
      code_challenge: codeChallengeS256(code_verifier),
      code_challenge_method: 'S256',
      ...fields,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  return { url: `/oauth/authorize?${query.toString()}`, code_verifier }
}

/** A form post with repeated fields, as the browser of `jar`. */
export async function postEntries(app: FastifyInstance, jar: CookieJar, url: string, entries: readonly (readonly [string, string])[]): Promise<LightMyRequestResponse> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(entries.map(([k, v]) => [k, v])).toString(),
  })
  jar.absorb(response)
  return response
}

/**
 * Where a "returning you to the client" page sends the browser (its refresh and its link must
 * agree); fails unless the response is that page.
 */
export function returningLocation(response: LightMyRequestResponse): URL {
  const refresh = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(response.body)?.[1]
  const link = /<a href="([^"]+)" data-cds-continue>/.exec(response.body)?.[1]
  if (response.statusCode !== 200 || refresh === undefined || refresh !== link) throw new Error(`not a returning page: ${response.statusCode} ${response.body}`)
  return new URL(refresh.replaceAll('&amp;', '&'))
}

/** The values of an attribute on the elements of the page that carry it, in document order. */
export function attributeValues(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`${attribute}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '')
}

/** The checkboxes `select.<index>` of a page: value and whether checked. */
export function selectBoxes(html: string, index: number): { value: string; checked: boolean }[] {
  return [...html.matchAll(new RegExp(`<input type="checkbox" name="select\\.${index}" value="([^"]*)"( checked)?>`, 'g'))].map((m) => ({
    value: m[1] ?? '',
    checked: m[2] !== undefined,
  }))
}

/** The visible text of a page: tags and the contents of script, style and hidden helpers removed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
}
