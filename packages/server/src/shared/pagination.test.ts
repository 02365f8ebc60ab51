import { InvalidRequest } from '@cds-ts/auth'
import { describe, expect, it } from 'vitest'
import { compareDateTimes, compareListingKeys, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageLinks, pageSize, paginate, type ListingKey } from './pagination.js'

const BASE = 'https://utility.example.com'

describe('cursor', () => {
  it('round-trips through an opaque URL-safe token', () => {
    const cursor = { direction: 'previous', key: { sort: '2025-03-01T00:00:00.123456Z', id: 'a b/ü' } } as const
    const token = encodeCursor(cursor)
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(token)).toEqual(cursor)
  })

  it('absent or empty means the first page', () => {
    expect(decodeCursor(undefined)).toBeUndefined()
    expect(decodeCursor('')).toBeUndefined()
  })

  it('R1-01-4-03: refuses anything it did not write with InvalidRequest (400)', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    for (const token of ['%%%', 'bm90IGpzb24', b64({ n: 1 }), b64(['n', '2025-01-01T00:00:00Z']), b64(['q', '2025-01-01T00:00:00Z', 'a']), b64(['n', '2025-02-30T00:00:00Z', 'a']), b64(['n', '2025-01-01T00:00:00Z', 7]), 'A'.repeat(2049)]) {
      let error: unknown
      try {
        decodeCursor(token)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InvalidRequest)
      expect((error as InvalidRequest).status).toBe(400)
      expect((error as InvalidRequest).error).toBe('invalid_request')
    }
  })
})

describe('order (A-61)', () => {
  it('compares date-times as instants at full precision', () => {
    expect(compareDateTimes('2025-01-01T00:00:00Z', '2025-01-01T01:00:00+01:00')).toBe(0)
    expect(compareDateTimes('2025-01-01T00:00:00.0001Z', '2025-01-01T00:00:00Z')).toBeGreaterThan(0)
    expect(compareDateTimes('2025-01-01T00:00:00.000001Z', '2025-01-01T00:00:00.00001Z')).toBeLessThan(0)
    expect(compareDateTimes('2025-01-01t00:00:00z', '2024-12-31T23:59:59.999999999Z')).toBeGreaterThan(0)
    expect(() => compareDateTimes('yesterday', '2025-01-01T00:00:00Z')).toThrow(TypeError)
  })

  it('lists the newest first and breaks ties on the greater id', () => {
    const keys: ListingKey[] = [
      { sort: '2025-01-01T00:00:00Z', id: 'a' },
      { sort: '2025-02-01T00:00:00Z', id: 'b' },
      { sort: '2025-01-01T00:00:00Z', id: 'c' },
    ]
    expect(keys.sort(compareListingKeys).map((k) => k.id)).toEqual(['b', 'c', 'a'])
  })
})

describe('CDS-WG1-02 §5.3 (R1-02-5.3-03): page size', () => {
  it('is clamped to 1…100', () => {
    expect(MAX_PAGE_SIZE).toBe(100)
    expect(pageSize()).toBe(100)
    expect(pageSize(500)).toBe(100)
    expect(pageSize(0)).toBe(1)
    expect(pageSize(2.7)).toBe(2)
    expect(pageSize(Number.NaN)).toBe(100)
  })
})

describe('paginate', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ id: `i${i}`, updated: `2025-01-0${i + 1}T00:00:00Z` }))
  const keyOf = (item: { id: string; updated: string }) => ({ sort: item.updated, id: item.id })
  const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id)

  it('walks forward and back over every item exactly once', () => {
    const p1 = paginate(items, keyOf, undefined, 3)
    expect(ids(p1)).toEqual(['i6', 'i5', 'i4'])
    expect(p1.previous).toBeNull()
    const p2 = paginate(items, keyOf, p1.next!, 3)
    expect(ids(p2)).toEqual(['i3', 'i2', 'i1'])
    const p3 = paginate(items, keyOf, p2.next!, 3)
    expect(ids(p3)).toEqual(['i0'])
    expect(p3.next).toBeNull()
    expect(ids(paginate(items, keyOf, p3.previous!, 3))).toEqual(['i3', 'i2', 'i1'])
    const back = paginate(items, keyOf, p2.previous!, 3)
    expect(ids(back)).toEqual(['i6', 'i5', 'i4'])
    expect(back.previous).toBeNull()
  })

  it('keeps its place when an item is inserted between requests (keyset)', () => {
    const p1 = paginate(items, keyOf, undefined, 3)
    const grown = [...items, { id: 'new', updated: '2026-01-01T00:00:00Z' }]
    expect(ids(paginate(grown, keyOf, p1.next!, 3))).toEqual(['i3', 'i2', 'i1'])
  })

  it('a short backward page at the start has no previous', () => {
    const p = paginate(items, keyOf, { direction: 'previous', key: keyOf(items[5]!) }, 3)
    expect(ids(p)).toEqual(['i6'])
    expect(p.previous).toBeNull()
    expect(p.next).toEqual({ direction: 'next', key: keyOf(items[6]!) })
  })
})

describe('CDS-WG1-01 §4.1 (R1-01-4.2-03): page links', () => {
  const page = { next: { direction: 'next', key: { sort: '2025-01-01T00:00:00Z', id: 'x' } }, previous: null } as const

  it('keep every other parameter, replace the cursor and sit on the public base URL', () => {
    const links = pageLinks(BASE, '/api/coverage?ids=a+b&cursor=old&foo=%C3%BC&ids=c', page)
    expect(links.previous).toBeNull()
    const next = new URL(links.next!)
    expect(next.origin + next.pathname).toBe(`${BASE}/api/coverage`)
    expect(next.searchParams.getAll('ids')).toEqual(['a b', 'c'])
    expect(next.searchParams.get('foo')).toBe('ü')
    expect(next.searchParams.getAll('cursor')).toEqual([encodeCursor(page.next)])
  })

  it('are null at both ends', () => {
    expect(pageLinks(BASE, '/api/coverage', { next: null, previous: null })).toEqual({ next: null, previous: null })
  })
})
