import { describe, expect, it } from 'vitest'
import { CdsProtocolError } from './errors.js'
import { followPages, listingUrl } from './pagination.js'

describe('CDS-WG1-02 §5.3 listing filters as query parameters', () => {
  it('joins lists with spaces, writes dates, leaves undefined out, keeps the base query', () => {
    const url = listingUrl('https://utility.example/api/grants?tenant=7', {
      statuses: ['active', 'pending'],
      client_ids: 'a b',
      after: new Date('2026-01-15T12:00:00Z'),
      before: undefined,
    })
    expect(url.searchParams.get('tenant')).toBe('7')
    expect(url.searchParams.get('statuses')).toBe('active pending')
    expect(url.searchParams.get('client_ids')).toBe('a b')
    expect(url.searchParams.get('after')).toBe('2026-01-15T12:00:00.000Z')
    expect(url.searchParams.has('before')).toBe(false)
    expect(url.href).toBe('https://utility.example/api/grants?tenant=7&statuses=active+pending&client_ids=a+b&after=2026-01-15T12%3A00%3A00.000Z')
  })

  it('CDS-WG3-01 §10.5.4 sends date-only filters as the UTC date', () => {
    const url = listingUrl('https://utility.example/api/billstatements', { before: new Date('2026-03-31T23:30:00Z'), after: '2026-01-01' }, ['before', 'after'])
    expect(url.searchParams.get('before')).toBe('2026-03-31')
    expect(url.searchParams.get('after')).toBe('2026-01-01')
  })
})

describe('CDS-WG1-02 §5.3 following next links', () => {
  type Page = { items: number[]; next: string | null }
  const pages: Record<string, Page> = {
    'https://u.example/l?cursor=2': { items: [3, 4], next: '/l?cursor=3' },
    'https://u.example/l?cursor=3': { items: [5], next: null },
  }

  it('yields every page until next is null, resolving relative links', async () => {
    const fetched: string[] = []
    const seen: number[] = []
    const first: Page = { items: [1, 2], next: 'https://u.example/l?cursor=2' }
    for await (const page of followPages(first, 'https://u.example/l', (p) => p.next, async (url) => {
      fetched.push(url)
      return pages[url] ?? { items: [], next: null }
    })) {
      seen.push(...page.items)
    }
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(fetched).toEqual(['https://u.example/l?cursor=2', 'https://u.example/l?cursor=3'])
  })

  it('stops a loop with PAGINATION_LOOP', async () => {
    const looping = async () => ({ items: [0], next: 'https://u.example/l?cursor=2' })
    const walk = async () => {
      const out: number[] = []
      for await (const page of followPages({ items: [1], next: 'https://u.example/l?cursor=2' }, 'https://u.example/l', (p) => p.next, looping)) out.push(...page.items)
      return out
    }
    const failure = await walk().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsProtocolError)
    expect(failure).toMatchObject({ code: 'PAGINATION_LOOP' })
  })

  it('stops early when the caller breaks out', async () => {
    let fetches = 0
    for await (const page of followPages({ items: [1], next: 'https://u.example/l?cursor=2' }, 'https://u.example/l', (p) => p.next, async () => {
      fetches++
      return { items: [2], next: 'https://u.example/l?cursor=3' }
    })) {
      if (page.items[0] === 1) break
    }
    expect(fetches).toBe(0)
  })
})
