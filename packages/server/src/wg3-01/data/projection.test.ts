import { describe, expect, it } from 'vitest'
import { NO_WINDOWS } from '../../../test/data-access-fake.js'
import { syncedAt } from './projection.js'

describe('syncedAt (CDS-WG3-01 §7.3.1, catalog §1.12)', () => {
  const synced = new Date('2025-03-01T12:00:00Z')
  it('is the stored instant without sync_until, or when sync_until is later', () => {
    expect(syncedAt(synced, { windows: NO_WINDOWS })).toBe('2025-03-01T12:00:00Z')
    expect(syncedAt(synced, { windows: { ...NO_WINDOWS, sync_until: '2026-01-01T00:00:00Z' } })).toBe('2025-03-01T12:00:00Z')
  })
  it('never passes sync_until', () => {
    expect(syncedAt(synced, { windows: { ...NO_WINDOWS, sync_until: '2025-02-01T00:00:00Z' } })).toBe('2025-02-01T00:00:00Z')
  })
})
