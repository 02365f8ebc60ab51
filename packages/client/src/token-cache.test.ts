import { describe, expect, it } from 'vitest'
import { TokenCache, tokenKey, type TokenRequestSpec } from './token-cache.js'
import type { TokenEndpointResponse } from './token.js'

function setup(expires_in: number | null = 3600) {
  let now = Date.parse('2026-01-15T12:00:00Z')
  let issued = 0
  const requests: { grant: string; value: string }[] = []
  const response = (extra: Partial<TokenEndpointResponse> = {}): TokenEndpointResponse => ({
    access_token: `at-${++issued}`,
    token_type: 'Bearer',
    ...(expires_in === null ? {} : { expires_in }),
    ...extra,
  })
  const cache = new TokenCache(
    'client-1',
    {
      clientCredentials: async (spec: TokenRequestSpec) => {
        requests.push({ grant: 'client_credentials', value: String(spec.scope) })
        return response({ scope: String(spec.scope) })
      },
      refresh: async (refreshToken: string) => {
        requests.push({ grant: 'refresh_token', value: refreshToken })
        return response(issued % 2 === 0 ? {} : { refresh_token: `rt-${issued + 1}` })
      },
    },
    { now: () => now },
  )
  return { cache, requests, advance: (ms: number) => void (now += ms), now: () => now }
}

describe('tokens cached per scope and authorization_details', () => {
  it('keys ignore scope order, duplicates and member order, but not entry order', () => {
    const a = tokenKey('c', { scope: 'b a a', authorization_details: [{ type: 't', x: 1, y: [2, { z: 3, w: 4 }] }] })
    const b = tokenKey('c', { scope: ['a', 'b'], authorization_details: [{ y: [2, { w: 4, z: 3 }], type: 't', x: 1 }] })
    expect(a).toBe(b)
    expect(tokenKey('c', { scope: 'a', authorization_details: [{ type: 't' }, { type: 'u' }] })).not.toBe(tokenKey('c', { scope: 'a', authorization_details: [{ type: 'u' }, { type: 't' }] }))
    expect(tokenKey('c', { scope: 'a' })).not.toBe(tokenKey('d', { scope: 'a' }))
  })

  it('reuses a token until 30 s before it expires, then asks again', async () => {
    const { cache, requests, advance } = setup()
    const first = await cache.get({ scope: 'cds_client_admin' })
    expect(first.expires_at).toBe(Date.parse('2026-01-15T13:00:00Z'))
    expect(await cache.get({ scope: 'cds_client_admin' })).toBe(first)
    await cache.get({ scope: 'other' })
    advance(3600_000 - 31_000)
    expect((await cache.get({ scope: 'cds_client_admin' })).access_token).toBe(first.access_token)
    advance(2_000)
    expect((await cache.get({ scope: 'cds_client_admin' })).access_token).not.toBe(first.access_token)
    expect(requests.map((r) => r.value)).toEqual(['cds_client_admin', 'other', 'cds_client_admin'])
  })

  it('a token without expires_in lives until invalidated', async () => {
    const { cache, advance } = setup(null)
    const first = await cache.get({ scope: 's' })
    advance(10 * 365 * 86_400_000)
    expect(await cache.get({ scope: 's' })).toBe(first)
    cache.invalidate(first.access_token)
    expect((await cache.get({ scope: 's' })).access_token).not.toBe(first.access_token)
  })

  it('concurrent callers share one request', async () => {
    const { cache, requests } = setup()
    const sets = await Promise.all([cache.get({ scope: 's' }), cache.get({ scope: 's' }), cache.get({ scope: ['s'] })])
    expect(new Set(sets.map((s) => s.access_token)).size).toBe(1)
    expect(requests).toHaveLength(1)
  })

  it('RFC 6749 §6 refreshes a stored code-flow token, keeping the old refresh token when none comes back', async () => {
    const { cache, requests, advance } = setup()
    const stored = cache.store({ scope: 'cds_usage' }, { access_token: 'code-at', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt-0' })
    expect(stored).toMatchObject({ grant_type: 'authorization_code', request: { scope: 'cds_usage' } })
    expect(await cache.renew(stored)).toBe(stored)
    advance(60_000)
    const first = await cache.renew(stored)
    expect(first.access_token).not.toBe('code-at')
    expect(requests.at(-1)).toEqual({ grant: 'refresh_token', value: 'rt-0' })
    advance(3600_000)
    const second = await cache.renew(stored)
    expect(requests.at(-1)).toEqual({ grant: 'refresh_token', value: first.refresh_token })
    expect(second).toMatchObject({ key: stored.key, grant_type: 'authorization_code' })
    // The same request by spec finds the refreshed entry.
    expect(await cache.get({ scope: 'cds_usage' })).toBe(second)
  })

  it('a client_credentials set read back from storage is asked for again once stale', async () => {
    const other = setup()
    const saved = await other.cache.get({ scope: 'cds_query_usage' })
    expect(saved).toMatchObject({ grant_type: 'client_credentials', request: { scope: 'cds_query_usage' } })
    const restored = JSON.parse(JSON.stringify(saved)) as typeof saved
    const { cache, requests, advance } = setup()
    expect(await cache.renew(restored)).toEqual(restored)
    advance(3600_000)
    const renewed = await cache.renew(restored)
    expect(renewed.expires_at).toBe((restored.expires_at ?? 0) + 3600_000)
    expect(requests).toEqual([{ grant: 'client_credentials', value: 'cds_query_usage' }])
  })

  it('adopts a token set read back from storage; without a refresh token a stale one is handed back', async () => {
    const other = setup()
    const foreign = other.cache.store({ scope: 'cds_usage' }, { access_token: 'old', token_type: 'Bearer', expires_in: 1 })
    const { cache, requests, advance } = setup()
    advance(5_000)
    expect((await cache.renew(foreign)).access_token).toBe('old')
    expect(requests).toEqual([])
    expect(cache.peek(foreign.key)?.access_token).toBe('old')
    cache.clear()
    expect(cache.peek(foreign.key)).toBeUndefined()
  })
})
