import { toDateTime } from '@cds-ts/auth'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { client, credential } from '../../test/records.js'
import type { Cursor } from '../shared/pagination.js'
import { keysetPage } from './keyset.js'
import { KyselyAuthStore } from './oauth-store.js'

// 7 credentials; two share a `modified` instant so the id tie-break is exercised.
const MODIFIED = ['2025-01-07', '2025-01-06', '2025-01-05', '2025-01-05', '2025-01-03', '2025-01-02', '2025-01-01']

forEachDialect('keyset pagination (CDS-WG1-02 §7.3 order: modified desc, id desc)', (t) => {
  const owner = client({ client_id: 'keyset-owner' })
  beforeAll(async () => {
    const store = new KyselyAuthStore(t.db)
    await store.clients.insert(owner)
    for (const [i, day] of MODIFIED.entries()) {
      await store.credentials.insert(credential(owner.client_id, { credential_id: `k${i}`, modified: new Date(`${day}T00:00:00Z`) }))
    }
  })
  const page = (cursor: Cursor | undefined, limit = 3) =>
    keysetPage(t.db.selectFrom('credentials').select(['credential_id', 'modified']).where('client_id', '=', owner.client_id), {
      sort: 'credentials.modified',
      id: 'credentials.credential_id',
      cursor,
      limit,
      keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.credential_id }),
    })
  const ids = (rows: { credential_id: string }[]) => rows.map((r) => r.credential_id)

  it('walks forward and back with no duplicates or gaps, ties broken by id descending', async () => {
    const first = await page(undefined)
    expect(ids(first.items)).toEqual(['k0', 'k1', 'k3'])
    expect(first.previous).toBeNull()
    const second = await page(first.next!)
    expect(ids(second.items)).toEqual(['k2', 'k4', 'k5'])
    const third = await page(second.next!)
    expect(ids(third.items)).toEqual(['k6'])
    expect(third.next).toBeNull()
    const back = await page(third.previous!)
    expect(ids(back.items)).toEqual(['k2', 'k4', 'k5'])
    const front = await page(back.previous!)
    expect(ids(front.items)).toEqual(['k0', 'k1', 'k3'])
    expect(front.previous).toBeNull()
    expect(front.next).not.toBeNull()
  })

  it('a single page has neither link', async () => {
    const all = await page(undefined, 100)
    expect(all.items).toHaveLength(7)
    expect(all.next).toBeNull()
    expect(all.previous).toBeNull()
  })
})

describe('keysetPage options', () => {
  it('clamps the page size to 100 at most', async () => {
    const { pageSize } = await import('../shared/pagination.js')
    expect(pageSize(1000)).toBe(100)
  })
})
