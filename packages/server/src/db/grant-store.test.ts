import type { AuthorizationDetail, GrantStatus } from '@cds-ts/schema'
import { Decimal } from '@cds-ts/schema'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { client } from '../../test/records.js'
import { KyselyGrantStore, type GrantRecord } from './grant-store.js'
import { KyselyAuthStore } from './oauth-store.js'

/** The shape `@cds-ts/auth` asks of a Grant lookup (its `GrantLookup`, not exported yet). */
interface GrantLookup {
  find(grant_id: string): Promise<
    | { grant_id: string; client_id: string; status: GrantStatus; enabled_scope: string; enabled_authorization_details: AuthorizationDetail[] }
    | undefined
  >
}

const details = [{ type: 'example_scope', limit: Decimal.from('25.50') }]

function grant(overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grant_id: 'g-1',
    parent: null,
    created: '2025-01-01T00:00:00Z',
    modified: '2025-01-01T00:00:00Z',
    not_before: null,
    not_after: '2026-01-01T00:00:00Z',
    eta: null,
    expires: null,
    status: 'active',
    client_id: 'grant-owner',
    scope: 'example_scope',
    authorization_details: details,
    receipt_confirmations: ['R-123'],
    enabled_scope: 'example_scope',
    enabled_authorization_details: details,
    replacing: [],
    customer_id: null,
    ...overrides,
  }
}

forEachDialect('CDS-WG1-02 §8.1 stored Grants', (t) => {
  const grants = () => new KyselyGrantStore(t.db)
  beforeAll(async () => {
    await new KyselyAuthStore(t.db).clients.insert(client({ client_id: 'grant-owner' }))
  })

  it('R1-02-8.1-01 a Grant reads back with its datetimes as RFC 3339 text and its decimals exact', async () => {
    const g = grant()
    await grants().insert(g)
    const found = await grants().find(g.grant_id)
    const exact = [{ type: 'example_scope', limit: expect.any(Decimal) }]
    expect(found).toEqual({ ...g, authorization_details: exact, enabled_authorization_details: exact })
    expect(String((found?.enabled_authorization_details[0] as Record<string, unknown> | undefined)?.limit)).toBe('25.50')
    expect(await grants().find('no-such-grant')).toBeUndefined()
    await expect(grants().insert(g)).rejects.toThrow(/unique|duplicate/i)
  })

  it('R1-02-3.3.2-08 answers the Grant lookup of the Grant Admin token request', async () => {
    const lookup: GrantLookup = grants()
    expect(await lookup.find('g-1')).toMatchObject({ grant_id: 'g-1', client_id: 'grant-owner', status: 'active', enabled_scope: 'example_scope' })
  })

  it('R1-02-8.1-09 closing a Grant empties its enabled access; sub-Grants name their parent', async () => {
    await grants().insert(grant({ grant_id: 'g-child', parent: 'g-1' }))
    expect(await grants().update('g-1', { status: 'closed', enabled_scope: '', enabled_authorization_details: [], modified: '2025-02-01T00:00:00Z' })).toBe(true)
    expect(await grants().find('g-1')).toMatchObject({ status: 'closed', enabled_scope: '', enabled_authorization_details: [], modified: '2025-02-01T00:00:00Z' })
    expect((await grants().find('g-child'))?.parent).toBe('g-1')
    expect(await grants().update('g-1', { not_after: null })).toBe(true)
    expect((await grants().find('g-1'))?.not_after).toBeNull()
    expect(await grants().update('no-such-grant', { status: 'closed' })).toBe(false)
    await expect(grants().insert(grant({ grant_id: 'g-orphan', parent: 'no-such-grant' }))).rejects.toThrow(/foreign key/i)
  })

  it('R1-02-8.1-02 replacing and customer_id round-trip; update changes them', async () => {
    await grants().insert(grant({ grant_id: 'g-new', replacing: ['g-1'], customer_id: 'customer-7', receipt_confirmations: [] }))
    expect(await grants().find('g-new')).toMatchObject({ replacing: ['g-1'], customer_id: 'customer-7', receipt_confirmations: [] })
    expect(await grants().update('g-new', { replacing: [], customer_id: null, receipt_confirmations: ['RCPT'] })).toBe(true)
    expect(await grants().find('g-new')).toMatchObject({ replacing: [], customer_id: null, receipt_confirmations: ['RCPT'] })
  })
})
