import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { decodeKeyCursor, encodeKeyCursor, type KeyCursor } from '../shared/pagination.js'
import { keysetPageBy, type SortKey } from './keyset.js'

interface Row {
  name: string
  day: string
  at: Date
  id: string
}

// 137 rows with many ties on every key but the id: the listing order of CDS-WG3-01 §10.6.9 in
// miniature (a code-point text key ascending, a date ascending, a datetime descending, id ascending).
const NAMES = ['b', 'B', 'a', 'é', 'Z', '\u{10FFFF}']
const ROWS: Row[] = Array.from({ length: 137 }, (_, i) => ({
  name: NAMES[(i * 7) % NAMES.length] ?? 'a',
  day: `2025-01-0${1 + ((i * 5) % 3)}`,
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, (i * 11) % 4, (i * 3) % 2)),
  id: `id-${String((i * 37) % 137).padStart(3, '0')}`,
}))

const codePoints = (a: string, b: string) => {
  // Code points, as `collate "C"` orders UTF-8 text.
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0)
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0)
  return x.length - y.length
}
const EXPECTED = [...ROWS]
  .sort((r, s) => codePoints(r.name, s.name) || r.day.localeCompare(s.day) || s.at.getTime() - r.at.getTime() || codePoints(r.id, s.id))
  .map((r) => r.id)

const KEYS: SortKey<Row>[] = [
  { column: 'kp.name', direction: 'asc', type: 'text', codePoint: true, value: (r) => r.name },
  { column: 'kp.day', direction: 'asc', type: 'date', value: (r) => r.day },
  { column: 'kp.at', direction: 'desc', type: 'timestamptz', value: (r) => r.at.toISOString() },
  { column: 'kp.id', direction: 'asc', type: 'text', codePoint: true, value: (r) => r.id },
]

forEachDialect('keysetPageBy (multi-key keyset pagination, CDS-WG3-01 §10 orderings)', (t) => {
  const db = () => t.db.withTables<{ kp: Row }>()
  beforeAll(async () => {
    await sql`create table kp (name text not null, day date not null, at timestamptz not null, id text primary key)`.execute(t.db)
    await db().insertInto('kp').values(ROWS).execute()
  })
  const page = (cursor: KeyCursor | undefined, limit: number) =>
    keysetPageBy(db().selectFrom('kp').select(['name', 'day', 'at', 'id']), { keys: KEYS, cursor, limit })

  it('walks forward through every row once, in the exact order, and back again', async () => {
    for (const limit of [1, 7, 50, 100]) {
      const forward: string[] = []
      let cursor: KeyCursor | undefined
      let last
      for (;;) {
        last = await page(cursor, limit)
        forward.push(...last.items.map((r) => r.id))
        if (last.next === null) break
        // Cursors travel as opaque text in next links.
        cursor = decodeKeyCursor(encodeKeyCursor(last.next), KEYS.length)
      }
      expect(forward).toEqual(EXPECTED)
      const backward: string[] = []
      let back = last.previous
      while (back !== null) {
        const p = await page(back, limit)
        backward.unshift(...p.items.map((r) => r.id))
        back = p.previous
      }
      expect([...backward, ...last.items.map((r) => r.id)]).toEqual(EXPECTED)
    }
  })

  it('refuses a cursor whose values do not fit their keys with 400, not a database error', async () => {
    for (const values of [['a', 'not-a-date', '2025-01-01T00:00:00.000Z', 'x'], ['a', '2025-01-01', 'yesterday', 'x'], ['a', '2025-01-01']]) {
      await expect(page({ direction: 'next', values }, 10)).rejects.toMatchObject({ error: 'invalid_request' })
    }
  })

  it('an empty listing has no links; the first page has no previous', async () => {
    const none = await keysetPageBy(db().selectFrom('kp').select(['name', 'day', 'at', 'id']).where('id', '=', 'missing'), { keys: KEYS, cursor: undefined })
    expect(none).toEqual({ items: [], next: null, previous: null })
    const first = await page(undefined, 100)
    expect(first.items).toHaveLength(100)
    expect(first.previous).toBeNull()
    expect(first.next).not.toBeNull()
  })
})

describe('decodeKeyCursor', () => {
  it('round-trips a cursor and refuses one written for another listing or tampered with', () => {
    const cursor: KeyCursor = { direction: 'previous', values: ['a', '2025-01-01', 'x'] }
    expect(decodeKeyCursor(encodeKeyCursor(cursor), 3)).toEqual(cursor)
    expect(() => decodeKeyCursor(encodeKeyCursor(cursor), 2)).toThrow(/cursor/)
    expect(() => decodeKeyCursor('not a cursor!', 3)).toThrow(/cursor/)
    expect(() => decodeKeyCursor(Buffer.from('["n",1,2,3]').toString('base64url'), 3)).toThrow(/cursor/)
    expect(decodeKeyCursor('', 3)).toBeUndefined()
  })
})
