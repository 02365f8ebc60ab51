import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../config/defaults.js'
import { narrowedEntry, scopeAccess } from './access-grant.js'

const config = defaultConfig('https://utility.example.com')
const description = config.oauth.scope_descriptions.cds_query_accounts
if (description === undefined) throw new Error('the demo configuration has no cds_query_accounts scope')

describe('narrowedEntry: a direct-access token narrows its Grant, never widens it (CDS-WG3-01 §6.2)', () => {
  it('intersects preselections; a null side does not limit', () => {
    expect(narrowedEntry({ account_numbers: null }, { account_numbers: ['A-1'] }, description).account_numbers).toEqual(['A-1'])
    expect(narrowedEntry({ account_numbers: ['A-1', 'A-2'] }, { account_numbers: ['A-2', 'A-3'] }, description).account_numbers).toEqual(['A-2'])
    expect(narrowedEntry({ account_numbers: ['A-1'] }, { account_numbers: null }, description).account_numbers).toEqual(['A-1'])
  })

  it('keeps an include_* field only when both allow it', () => {
    expect(narrowedEntry({ include_account_details: true }, { include_account_details: false }, description).include_account_details).toBe(false)
    expect(narrowedEntry({ include_account_details: false }, { include_account_details: true }, description).include_account_details).toBe(false)
    expect(narrowedEntry({}, { include_unknown_thing: true }, description).include_unknown_thing).toBe(false)
    const both = narrowedEntry({ include_account_details: true }, { include_account_details: true }, description)
    expect(scopeAccess(description, both).includes.has('include_account_details')).toBe(true)
  })

  it('keeps the later start and the earlier end of each window; "infinite" does not limit', () => {
    const merged = narrowedEntry(
      { sync_until: '2026-01-01T00:00:00Z', segment_start: 'infinite' },
      { sync_until: '2025-06-01T00:00:00Z', segment_start: '2024-01-01T00:00:00Z' },
      description,
    )
    expect(merged.sync_until).toBe('2025-06-01T00:00:00Z')
    expect(merged.segment_start).toBe('2024-01-01T00:00:00Z')
    expect(narrowedEntry({ sync_until: '2025-01-01T00:00:00Z' }, { sync_until: 'infinite' }, description).sync_until).toBe('2025-01-01T00:00:00Z')
  })
})
