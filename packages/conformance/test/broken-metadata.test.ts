/**
 * The CDS-WG1-01 and CDS-WG1-02 §2–§3 checks against deliberately broken servers (the reference
 * server behind the tampering proxy, changed in one way each time), and against a reference
 * server configured with what the default one lacks (geographic coverage, many pages, related
 * metadata, every after-registration requirement type, every registration field format, a
 * decimal field), where the checks that are otherwise not applicable must pass.
 */
import { Decimal } from '@cds-ts/schema'
import type { ServerConfig } from '@cds-ts/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type ConformanceOptions } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy, type Tamper } from './tampering-proxy.js'

/** Runs `only` (exact ids) and returns each check's status and the failure messages. */
async function run(options: ConformanceOptions, only: readonly string[]): Promise<{ status: Record<string, string>; messages: string }> {
  const report = await runConformance({ ...options, only: [...only] })
  const picked = report.results.filter((result) => only.includes(result.id))
  return { status: Object.fromEntries(picked.map((result) => [result.id, result.status])), messages: picked.map((result) => `${result.id}: ${result.message ?? ''}`).join('\n') }
}

/** Runs `only` against the proxy with `tamper`. */
async function broken(server: LiveServer, tamper: Tamper, only: readonly string[]) {
  const proxy = await startTamperingProxy(server, tamper)
  try {
    return await run(proxy.options, only)
  } finally {
    await proxy.close()
  }
}

const isPath = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}?`) || path.startsWith(`${prefix}/`)
const all = (ids: readonly string[], status: string) => Object.fromEntries(ids.map((id) => [id, status]))

describe('broken metadata servers fail the matching checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('cds_grants_api missing from the Authorization Server Metadata fails R1-02-3.2-21 and R1-02-3-01', async () => {
    const ids = ['R1-02-3.2-21', 'R1-02-3-01', 'R1-02-3.2-20']
    const tamper: Tamper = {
      response: (r) =>
        isPath(r.path, '/.well-known/oauth-authorization-server')
          ? {
              body: editJson(r.body, (asm) => {
                delete asm.cds_grants_api
              }),
            }
          : undefined,
    }
    const result = await broken(server, tamper, ids)
    expect(result.status).toEqual({ 'R1-02-3.2-21': 'failed', 'R1-02-3-01': 'failed', 'R1-02-3.2-20': 'passed' })
    expect(result.messages).toContain('cds_grants_api')
    expect((await run(server.options, ids)).status).toEqual(all(ids, 'passed'))
  })

  it('a coverage listing without its page links, and an entry with a lower-case country and no entity_abbreviation, fail the §4 checks', async () => {
    const ids = ['R1-01-4.1-01', 'R1-01-2-04', 'R1-01-4.3-03', 'R1-01-4.3-01', 'R1-01-4.1-03']
    const tamper: Tamper = {
      response: (r) => {
        if (!isPath(r.path, '/api/coverage') || r.status !== 200) return undefined
        return {
          body: editJson(r.body, (listing) => {
            delete listing.next
            delete listing.previous
            const [first] = listing.coverage_entries as Record<string, unknown>[]
            if (first === undefined) return
            first.country = 'us'
            delete first.entity_abbreviation
          }),
        }
      },
    }
    const result = await broken(server, tamper, ids)
    expect(result.status).toEqual({ 'R1-01-4.1-01': 'failed', 'R1-01-2-04': 'failed', 'R1-01-4.3-03': 'failed', 'R1-01-4.3-01': 'failed', 'R1-01-4.1-03': 'passed' })
    expect(result.messages).toContain('next is missing')
    expect((await run(server.options, ids)).status).toEqual(all(ids, 'passed'))
  })

  it('a misspelt Client Admin description and an S256-less code_challenge_methods_supported fail R1-02-3.3.1-01 and R1-02-3.2-09', async () => {
    const ids = ['R1-02-3.3.1-01', 'R1-02-3.2-09', 'R1-02-3.2-10']
    const tamper: Tamper = {
      response: (r) =>
        isPath(r.path, '/.well-known/oauth-authorization-server')
          ? {
              body: editJson(r.body, (asm) => {
                const admin = (asm.cds_scope_descriptions as Record<string, Record<string, unknown>>).cds_client_admin
                if (admin !== undefined) admin.name = 'Client admin'
                asm.code_challenge_methods_supported = []
              }),
            }
          : undefined,
    }
    const result = await broken(server, tamper, ids)
    expect(result.status).toEqual({ 'R1-02-3.3.1-01': 'failed', 'R1-02-3.2-09': 'failed', 'R1-02-3.2-10': 'passed' })
    expect(result.messages).toContain('lacks S256')
  })
})

const BULK = 110

/** A client_credentials scope that requires (and offers) the given Registration Fields. */
function scope(base: string, id: string, requirements: string[], optional: string[] = [], fields: unknown[] = []) {
  return {
    id,
    type: id,
    name: `Conformance ${id}`,
    description: 'A scope of the conformance test configuration.',
    documentation: `${base}/docs/oauth/scopes#${id}`,
    registration_requirements: requirements,
    registration_optional: optional,
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: fields,
  }
}

/** Adds what the default reference server lacks (see the file comment). */
function configure(config: ServerConfig): void {
  const base = config.base_url
  const doc = (anchor: string) => `${base}/docs/oauth/registration#${anchor}`
  const field = (id: string, extra: Record<string, unknown>) => ({ id, description: `Conformance field ${id}.`, documentation: doc(id), ...extra })
  const fields: Record<string, unknown> = {
    setup_fee: field('setup_fee', { type: 'payment_required', amount: Decimal.from('25.50'), currency: 'USD' }),
    email_check: field('email_check', { type: 'email_verification' }),
    sso_check: field('sso_check', { type: 'sso_verification' }),
    loa_form: field('loa_form', { type: 'pdf_form' }),
    terms_form: field('terms_form', { type: 'online_form' }),
    review: field('review', { type: 'internal_review' }),
    website_url: field('website_url', { type: 'registration_field', field_name: 'cds_website_url', format: 'url', max_length: 200 }),
    contact_email: field('contact_email', { type: 'registration_field', field_name: 'cds_contact_email', format: 'email', max_length: 80 }),
    agree: field('agree', { type: 'registration_field', field_name: 'cds_agree', format: 'boolean' }),
    signed_pdf: field('signed_pdf', { type: 'registration_field', field_name: 'cds_signed_pdf', format: 'pdf_or_null', default: null, max_size: 4096 }),
    note: field('note', { type: 'registration_field', field_name: 'cds_note', format: 'string_or_null', default: null, max_length: 50 }),
  }
  Object.assign(config.oauth.registration_fields, fields)
  const rate = { id: 'rate', name: 'Rate', description: 'A decimal.', documentation: `${base}/docs/oauth/scopes#rate`, for_types: ['conformance_formats'], format: 'decimal', is_required: false, default: 1, maximum: 1000, minimum: 0 }
  const scopes = [
    scope(base, 'conformance_payment', ['setup_fee']),
    scope(base, 'conformance_email', ['email_check']),
    scope(base, 'conformance_sso', ['sso_check']),
    scope(base, 'conformance_pdf', ['loa_form']),
    scope(base, 'conformance_online', ['terms_form']),
    scope(base, 'conformance_review', ['review']),
    scope(base, 'conformance_formats', ['website_url', 'contact_email', 'agree'], ['signed_pdf', 'note'], [rate]),
  ]
  // A public code-flow scope (CDS-WG1-02 §3.4: "none").
  const pub = { ...scope(base, 'conformance_public', []), response_types_supported: ['code'], grant_types_supported: ['authorization_code'], token_endpoint_auth_methods_supported: ['none'], code_challenge_methods_supported: ['S256'] }
  for (const one of [...scopes, pub]) Object.assign(config.oauth.scope_descriptions, { [one.id]: one })
  const entry = (id: string, updated: string, extra: Record<string, unknown> = {}) => ({
    id,
    created: '2025-01-01T00:00:00Z',
    updated,
    entity_name: 'Demo Gas & Electric',
    entity_abbreviation: null,
    country: 'US',
    name: `Conformance area ${id}`,
    type: 'logical',
    role: 'official',
    infrastructure_types: [],
    commodity_types: ['electricity'],
    capabilities: ['oauth'],
    ...extra,
  })
  const geo = entry('conformance-geographic', '2025-08-01T00:00:00Z', {
    type: 'geographic',
    map_resource: `${base}/conformance/map.svg`,
    map_content_type: 'image/svg+xml',
    geojson_resource: `${base}/conformance/area.geojson`,
  })
  const bulk = Array.from({ length: BULK }, (_, n) => entry(`conformance-bulk-${String(n).padStart(3, '0')}`, `2025-04-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00.${String(n).padStart(6, '0')}Z`))
  config.coverage_entries.push(...(([geo, ...bulk] as unknown) as ServerConfig['coverage_entries']))
  config.metadata.related_metadata = [`${base}/conformance/related-metadata.json`]
}

/** Serves the map, the outline and the related metadata the configuration links (the reference server has no such files). */
function files(proxyBase: () => string): Tamper {
  return {
    response: (r) => {
      if (r.path === '/conformance/map.svg') return { status: 200, headers: { 'content-type': 'image/svg+xml' }, body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' }
      if (r.path === '/conformance/area.geojson')
        return { status: 200, headers: { 'content-type': 'application/geo+json' }, body: JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[-122.5, 37.7], [-122.3, 37.7], [-122.3, 37.9], [-122.5, 37.7]]] } }) }
      if (r.path === '/conformance/related-metadata.json') {
        const url = `${proxyBase()}/conformance/related-metadata.json`
        const related = { cds_metadata_version: 'v1', cds_metadata_url: url, created: '2025-01-01T00:00:00Z', updated: '2025-01-01T00:00:00Z', name: 'Related', description: 'A related metadata object.', website: url, documentation: url, support: url, capabilities: [] }
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(related) }
      }
      return undefined
    },
  }
}

/** The checks that are not applicable to the default reference server and must pass on the configured one. */
const NOW_APPLICABLE = [
  'R1-01-2-03', 'R1-01-3.2-09', 'R1-01-4.3-06', 'R1-01-4.3-07', 'R1-01-4.3-09', 'R1-01-4.1-02', 'R1-01-4.1-03', 'R1-01-4-03', 'R1-01-3.2-07',
  'R1-02-3.5-08', 'R1-02-3.6-03', 'R1-02-3.7-01', 'R1-02-3.7-02', 'R1-02-3.7-03', 'R1-02-3.7-04', 'R1-02-3.7-06', 'R1-02-3.5-06', 'R1-02-3.5-07', 'R1-02-2-08',
  'R1-02-3.6-02', 'R1-02-3.6-05', 'R1-02-3.6-06', 'R1-02-3.6-09', 'R1-02-3.6-10', 'R1-02-3.6-11', 'R1-02-3.6-15', 'R1-02-3.6-16', 'R1-02-3.6-18',
  'R1-02-3.6-21', 'R1-02-3.6-22', 'R1-02-3.6-24', 'R1-02-3.6-25', 'R1-02-3.6-26', 'R1-02-3.6-29', 'R1-02-3.6-31', 'R1-02-3.6-32', 'R1-02-3.6-33',
  'R1-02-3.6-37', 'R1-02-3.6-38', 'R1-02-3.6-40', 'R1-02-3.6-41', 'R1-02-3.6-42', 'R1-02-3.9-02', 'R1-02-3.4-10',
]

describe('a reference server configured with every metadata feature', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer(configure)
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('passes the checks that do not apply to the default configuration', async () => {
    let self = ''
    const proxy = await startTamperingProxy(server, files(() => self))
    self = proxy.baseUrl
    try {
      const result = await run(proxy.options, NOW_APPLICABLE)
      expect(result.messages.split('\n').filter((line) => !line.endsWith(': '))).toEqual([])
      expect(result.status).toEqual(all(NOW_APPLICABLE, 'passed'))
    } finally {
      await proxy.close()
    }
  }, 300_000)

  it('fails no check of CDS-WG1-01 and CDS-WG1-02 §2–§3', async () => {
    let self = ''
    const proxy = await startTamperingProxy(server, files(() => self))
    self = proxy.baseUrl
    try {
      const report = await runConformance({ ...proxy.options, only: ['R1-01-', 'R1-02-2-', 'R1-02-3-', 'R1-02-3.'] })
      expect(report.results.filter((result) => result.status === 'failed' || result.status === 'skipped').map((result) => `${result.id}: ${result.message ?? ''}`)).toEqual([])
    } finally {
      await proxy.close()
    }
  }, 300_000)

  it('an expired requirement link without a renewed request fails R1-02-3.6-07 and R1-02-3.6-06', async () => {
    const ids = ['R1-02-3.6-07', 'R1-02-3.6-06', 'R1-02-3.6-05']
    const result = await broken(server, { response: (r) => (isPath(r.path, '/registration-requirements') ? { status: 410, body: 'expired' } : undefined) }, ids)
    expect(result.status).toEqual({ 'R1-02-3.6-07': 'failed', 'R1-02-3.6-06': 'failed', 'R1-02-3.6-05': 'passed' })
    expect(result.messages).toContain('no new payment_request')
    expect((await run(server.options, ['R1-02-3.6-07'])).status).toEqual({ 'R1-02-3.6-07': 'not_applicable' })
  }, 120_000)
})
