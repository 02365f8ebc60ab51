import { checkStrict, CoverageListing, OAuthErrorResponse, type CoverageEntry } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDiscoveryApp, TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import { ServerConfig } from '../../config/config-schema.js'
import { validateConfig } from '../../config/validate-config.js'
import { encodeCursor } from '../../shared/pagination.js'
import { parseIdList } from '../../shared/filters.js'

const COVERAGE = '/api/coverage'

/** Five entries; c and d tie on `updated` (the id breaks the tie), e has a sub-millisecond and offset time. */
function configWithEntries(): ServerConfig {
  const config = testConfig()
  const template = config.coverage_entries[0]!
  const entry = (id: string, updated: string): CoverageEntry => ({ ...template, id, name: `Area ${id}`, updated })
  config.coverage_entries = [
    entry('a', '2025-01-01T00:00:00Z'),
    entry('b', '2025-05-01T00:00:00Z'),
    entry('c', '2025-03-01T00:00:00Z'),
    entry('d', '2025-03-01T00:00:00Z'),
    // 2025-03-01T00:00:00.0005Z: after c and d by half a millisecond.
    entry('e', '2025-03-01T01:00:00.0005+01:00'),
  ]
  for (const scope of Object.values(config.oauth.scope_descriptions)) scope.coverages_supported = []
  return config
}

async function list(app: FastifyInstance, url: string): Promise<CoverageListing> {
  const response = await app.inject({ method: 'GET', url })
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/)
  const body = response.json<CoverageListing>()
  expect(checkStrict(CoverageListing, body, { closed: true })).toEqual([])
  return body
}

/** The path and query of an absolute link on the test base URL. */
function pathOf(link: string | null): string {
  expect(link).not.toBeNull()
  expect(link!.startsWith(`${TEST_BASE_URL}${COVERAGE}?`)).toBe(true)
  return link!.slice(TEST_BASE_URL.length)
}

describe('CDS-WG1-01 §4 Coverage Endpoint', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    expect(validateConfig(configWithEntries())).toEqual([])
    expect(checkStrict(ServerConfig, configWithEntries(), { closed: true })).toEqual([])
    app = await buildDiscoveryApp(configWithEntries(), 2)
  })
  afterAll(async () => {
    await app.close()
  })

  it('R1-01-4-01, R1-01-4.1-01: the demo entries on one page, next and previous present and null', async () => {
    const demo = await buildDiscoveryApp()
    const body = await list(demo, COVERAGE)
    await demo.close()
    expect(body.coverage_entries.map((e) => e.id)).toEqual(['demo-commercial-gas', 'demo-residential-electric'])
    expect(body.next).toBeNull()
    expect(body.previous).toBeNull()
    expect(body.coverage_entries).toEqual(testConfig().coverage_entries.slice().reverse())
  })

  it('R1-01-4.1-02, R1-01-4.1-03: pages of two, newest updated first (id breaks ties), next until null, previous back', async () => {
    const first = await list(app, COVERAGE)
    expect(first.coverage_entries.map((e) => e.id)).toEqual(['b', 'e'])
    expect(first.previous).toBeNull()
    const second = await list(app, pathOf(first.next))
    expect(second.coverage_entries.map((e) => e.id)).toEqual(['d', 'c'])
    const third = await list(app, pathOf(second.next))
    expect(third.coverage_entries.map((e) => e.id)).toEqual(['a'])
    expect(third.next).toBeNull()
    const back = await list(app, pathOf(third.previous))
    expect(back.coverage_entries.map((e) => e.id)).toEqual(['d', 'c'])
    const start = await list(app, pathOf(back.previous))
    expect(start).toEqual(first)
  })

  it('R1-01-4.2-01: ids filters by a space-separated list, written %20 or +; unknown ids match nothing; empty means no filter', async () => {
    expect((await list(app, `${COVERAGE}?ids=a%20c`)).coverage_entries.map((e) => e.id)).toEqual(['c', 'a'])
    expect((await list(app, `${COVERAGE}?ids=a+c`)).coverage_entries.map((e) => e.id)).toEqual(['c', 'a'])
    const none = await list(app, `${COVERAGE}?ids=doesnotexist`)
    expect(none).toEqual({ coverage_entries: [], next: null, previous: null })
    expect((await list(app, `${COVERAGE}?ids=`)).coverage_entries.map((e) => e.id)).toEqual(['b', 'e'])
  })

  it('R1-01-4.2-03: next and previous keep the filters (and unknown parameters, which are otherwise ignored)', async () => {
    const first = await list(app, `${COVERAGE}?ids=a+b+d&foo=bar`)
    expect(first.coverage_entries.map((e) => e.id)).toEqual(['b', 'd'])
    const next = new URL(first.next!)
    expect(next.searchParams.get('ids')).toBe('a b d')
    expect(next.searchParams.get('foo')).toBe('bar')
    const second = await list(app, pathOf(first.next))
    expect(second.coverage_entries.map((e) => e.id)).toEqual(['a'])
    expect(second.next).toBeNull()
    expect(new URL(second.previous!).searchParams.get('ids')).toBe('a b d')
    expect((await list(app, pathOf(second.previous))).coverage_entries.map((e) => e.id)).toEqual(['b', 'd'])
  })

  it('R1-01-4-03: a cursor this server did not write is 400 invalid_request, never a 500', async () => {
    const forged = [
      'garbage!',
      'bm90IGpzb24',
      Buffer.from(JSON.stringify(['x', '2025-01-01T00:00:00Z', 'a'])).toString('base64url'),
      Buffer.from(JSON.stringify(['n', 'yesterday', 'a'])).toString('base64url'),
      'A'.repeat(3000),
    ]
    for (const cursor of forged) {
      const response = await app.inject({ method: 'GET', url: `${COVERAGE}?cursor=${encodeURIComponent(cursor)}` })
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/)
      expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
      expect(response.json<OAuthErrorResponse>().error).toBe('invalid_request')
    }
  })

  it('a well-formed cursor past the end gives an empty page without links', async () => {
    const cursor = encodeCursor({ direction: 'next', key: { sort: '1990-01-01T00:00:00Z', id: 'z' } })
    expect(await list(app, `${COVERAGE}?cursor=${cursor}`)).toEqual({ coverage_entries: [], next: null, previous: null })
  })

  it('R1-01-4-02: each page has a strong ETag; If-None-Match gives 304', async () => {
    const first = await app.inject({ method: 'GET', url: `${COVERAGE}?ids=a` })
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(first.headers['cache-control']).toBe('public, max-age=300')
    const cached = await app.inject({ method: 'GET', url: `${COVERAGE}?ids=a`, headers: { 'if-none-match': etag } })
    expect(cached.statusCode).toBe(304)
    expect(cached.body).toBe('')
    const other = await app.inject({ method: 'GET', url: `${COVERAGE}?ids=b`, headers: { 'if-none-match': etag } })
    expect(other.statusCode).toBe(200)
  })

  it('R1-01-4-03: another method is 405', async () => {
    const response = await app.inject({ method: 'DELETE', url: COVERAGE })
    expect(response.statusCode).toBe(405)
    expect(response.json<OAuthErrorResponse>().error).toBe('method_not_allowed')
  })
})

describe('CDS-WG1-01 §4.2 Coverage Listing Filters: parseIdList', () => {
  it('splits on any whitespace and treats an empty list as no filter (A-53)', () => {
    expect(parseIdList('a  b\tc')).toEqual(new Set(['a', 'b', 'c']))
    expect(parseIdList(undefined)).toBeUndefined()
    expect(parseIdList('   ')).toBeUndefined()
  })
})
