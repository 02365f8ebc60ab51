import { describe, expect, it } from 'vitest'
import { NO_WINDOWS } from '../../../test/data-access-fake.js'
import { syncedAt, visiblePrograms } from './projection.js'

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

describe('visiblePrograms (A-16)', () => {
  const programs = [{ id: 'p1', program_number: 'PRG-1' }, { id: 'p2', program_number: 'PRG-2' }, { id: 'p3' }]
  it('keeps only the allowed program numbers, in order; null allows all', () => {
    expect(visiblePrograms(programs, new Set(['PRG-2']))).toEqual([{ id: 'p2', program_number: 'PRG-2' }])
    expect(visiblePrograms(programs, new Set())).toEqual([])
    expect(visiblePrograms(programs, null)).toBe(programs)
    expect(visiblePrograms(programs, undefined)).toBe(programs)
  })
})
