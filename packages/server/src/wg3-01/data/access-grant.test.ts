import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../config/defaults.js'
import { narrowedEntry, scopeAccess } from './access-grant.js'

const config = defaultConfig('https://utility.example.com')
const description = config.oauth.scope_descriptions.cds_query_accounts
const meters = config.oauth.scope_descriptions.cds_query_meter_devices
if (description === undefined || meters === undefined) throw new Error('the demo configuration lacks a direct-access scope')

describe('narrowedEntry: a direct-access token narrows its Grant, never widens it (CDS-WG3-01 §6.2)', () => {
  it('intersects preselections; a null side does not limit', () => {
    expect(narrowedEntry({ account_numbers: null }, { account_numbers: ['A-1'] }, description).account_numbers).toEqual(['A-1'])
    expect(narrowedEntry({ account_numbers: ['A-1', 'A-2'] }, { account_numbers: ['A-2', 'A-3'] }, description).account_numbers).toEqual(['A-2'])
    expect(narrowedEntry({ account_numbers: ['A-1'] }, { account_numbers: null }, description).account_numbers).toEqual(['A-1'])
  })

  it('gives the include_* fields the token asked for, unless the Grant turned off one the scope includes by default', () => {
    // A direct-access Grant holds the scope's defaults: an optional field the token asks for is on.
    expect(narrowedEntry({ include_account_details: false }, { include_account_details: true }, description).include_account_details).toBe(true)
    expect(narrowedEntry({ include_account_details: true }, { include_account_details: false }, description).include_account_details).toBe(false)
    // include_meter_numbers is on by default in cds_query_meter_devices: a Grant that turned it off keeps it off.
    expect(narrowedEntry({ include_meter_numbers: false }, { include_meter_numbers: true }, meters).include_meter_numbers).toBe(false)
    expect(narrowedEntry({}, { include_meter_numbers: true }, meters).include_meter_numbers).toBe(true)
    // A consent Grant's value is always a limit.
    const consent = config.oauth.scope_descriptions.cds_accounts
    if (consent === undefined) throw new Error('the demo configuration lacks cds_accounts')
    expect(narrowedEntry({ include_account_details: false }, { include_account_details: true }, consent).include_account_details).toBe(false)
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
