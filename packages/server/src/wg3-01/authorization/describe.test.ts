import { CUSTOMER_CONSENT_SCOPES, CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS, type AuthorizationDetail, type ScopeDescription } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { customerDataScopeDescriptions } from '../../config/customer-data-scopes.js'
import { en } from '../../pages/messages/en.js'
import { translator } from '../../pages/i18n.js'
import { describeData, describeDurations, humanDuration, includedFields, resourceLine, SELECTION_RESOURCE_TYPES, type DescribeContext } from './describe.js'

const t = translator('en')
// Catalog F.0: T0 in UTC.
const ctx: DescribeContext = { t, now: new Date('2026-01-15T12:00:00Z'), timezone: 'UTC' }
const scopes = customerDataScopeDescriptions('https://utility.example.com')
const scope = (id: string): ScopeDescription => {
  const found = scopes[id]
  if (found === undefined) throw new Error(`no scope ${id}`)
  return found
}
const entry = (type: string, fields: Record<string, unknown> = {}) => ({ type, ...fields }) as AuthorizationDetail
const duration = (parts: Partial<Record<'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds', number>>) => ({
  years: 0,
  months: 0,
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
  ...parts,
})

describe('CDS-WG3-01 §9.2.2.2 durations in words', () => {
  it('humanDuration: plain counts, lists of units, a bare single unit for "the past year"', () => {
    expect(humanDuration(duration({ years: 3 }), t)).toBe('3 years')
    expect(humanDuration(duration({ years: 1, months: 2 }), t)).toBe('1 year and 2 months')
    expect(humanDuration(duration({ years: 1, hours: 23 }), t)).toBe('1 year and 23 hours')
    expect(humanDuration(duration({ years: 1 }), t, true)).toBe('year')
    expect(humanDuration(duration({ months: 13 }), t, true)).toBe('13 months')
  })

  const sync = (value: string, type = 'cds_accounts') => describeDurations([{ scope: scope(type), entry: entry(type, { sync_until: value }) }], ctx)

  it('R3-01-9.2.2.2-02 sync_until: infinite → until you stop sharing; PT0S → current data only; a duration → for how long and until when', () => {
    expect(sync('infinite')).toEqual(['Ongoing updates to your account details until you stop sharing in your account settings'])
    expect(sync('PT0S')).toEqual(['Only your current account details, with no future updates'])
    expect(sync('P3Y')).toEqual(['Updates to your account details for 3 years (until January 15, 2029)'])
    expect(sync('2027-06-30T00:00:00Z')).toEqual(['Updates to your account details until June 30, 2027'])
    // An end already reached shares no updates.
    expect(sync('2025-06-30T00:00:00Z')).toEqual(['Only your current account details, with no future updates'])
  })

  it('R3-01-9.2.2.2-07 merged scopes with equal durations make one statement, different ones several', () => {
    const merged = describeDurations(
      [
        { scope: scope('cds_meters'), entry: entry('cds_meters', { sync_until: 'P3Y' }) },
        { scope: scope('cds_accounts'), entry: entry('cds_accounts', { sync_until: 'P3Y' }) },
      ],
      ctx,
    )
    expect(merged).toEqual(['Updates to your meter details and account details for 3 years (until January 15, 2029)'])
    const apart = describeDurations(
      [
        { scope: scope('cds_meters'), entry: entry('cds_meters', { sync_until: 'P3Y' }) },
        { scope: scope('cds_accounts'), entry: entry('cds_accounts', { sync_until: 'infinite' }) },
      ],
      ctx,
    )
    expect(apart).toHaveLength(2)
  })

  it('R3-01-9.2.2.2-05 usage: the past and the future, "from now on" and "past only"', () => {
    const usage = (start: string, end: string) => describeDurations([{ scope: scope('cds_usage'), entry: entry('cds_usage', { segment_start: start, segment_end: end }) }], ctx)
    expect(usage('P1Y', 'infinite')).toEqual(['Your energy use readings from the past year, and new energy use readings until you stop sharing in your account settings'])
    expect(usage('PT0S', 'P1Y')).toEqual(['Only new energy use readings for 1 year (until January 15, 2027) (no past energy use readings)'])
    expect(usage('P13M', 'PT0S')).toEqual(['Only your energy use readings from the past 13 months (no new energy use readings from now on)'])
    expect(usage('infinite', 'infinite')).toEqual(['All your past energy use readings, and new energy use readings until you stop sharing in your account settings'])
    expect(usage('2025-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual(['Your energy use readings since January 1, 2025, and new energy use readings until June 1, 2026'])
  })

  it('R3-01-9.2.2.2-03 bills: future-only and past-only statements', () => {
    const bills = (start: string, end: string) =>
      describeDurations([{ scope: scope('cds_bill_statements'), entry: entry('cds_bill_statements', { statement_date_start: start, statement_date_end: end }) }], ctx)
    expect(bills('P0D', 'infinite')).toEqual(['Only new bills until you stop sharing in your account settings (no past bills)'])
    expect(bills('P3Y', 'P0D')).toEqual(['Only your bills from the past 3 years (no new bills from now on)'])
    expect(bills('2024-01-01', '2026-12-31')).toEqual(['Your bills since January 1, 2024, and new bills until December 31, 2026'])
  })

  it('R3-01-9.2.2.2-06 expires of Aggregation Inclusion', () => {
    const expires = (value: string) => describeDurations([{ scope: scope('cds_aggregation_consent'), entry: entry('cds_aggregation_consent', { expires: value }) }], ctx)
    expect(expires('infinite')).toEqual(['This permission lasts until you stop it in your account settings'])
    expect(expires('PT0S')).toEqual(['This permission is only for this request; you will be asked again for later updates'])
    expect(expires('P1Y')).toEqual(['This permission lasts 1 year (until January 15, 2027)'])
  })
})

describe('CDS-WG3-01 §9.2.2.1 data in words', () => {
  it('R3-01-9.2.2.1-05 gives every item of every consent scope an example, in words without spec vocabulary', () => {
    for (const type of CUSTOMER_CONSENT_SCOPES) {
      const described = describeData(scope(type), entry(type, { include_account_numbers: true, include_meter_apps: true }), ctx)
      expect(described.summary, type).not.toMatch(/cds_|include_|Usage Segment|segment_/)
      expect(described.items.length, type).toBeGreaterThan(0)
      for (const item of described.items) {
        expect(item.example, `${type} ${item.label}`).not.toBe('')
        expect(`${item.label} ${item.example}`).not.toMatch(/cds_|include_|Usage Segment|\bP\d|PT\d/)
      }
    }
  })

  it('A-44 A-87 implied data cannot be switched off; optional data can', () => {
    const fields = includedFields('cds_service_contracts', entry('cds_service_contracts', { include_meter_devices: true, include_rate_plans: true, include_account_numbers: false }))
    expect(fields).toContainEqual({ id: 'include_service_contracts', optional: false })
    expect(fields).toContainEqual({ id: 'include_rate_plans', optional: true })
    // contracts and meters bring the service points between them.
    expect(fields).toContainEqual({ id: 'include_service_points', optional: false })
    expect(fields.map((f) => f.id)).not.toContain('include_account_numbers')
  })

  it('describes a scope from outside CDS-WG3-01 by its Scope Description', () => {
    const other = { ...scope('cds_accounts'), id: 'demo', type: 'demo', description: 'Demo data.', authorization_details_fields_supported: [] }
    expect(describeData(other, undefined, ctx)).toEqual({ summary: 'Demo data.', items: [] })
  })
})

describe('CDS-WG3-01 §9.2.3 Selection entries', () => {
  it('shows what each Selection type lists: number, types, account, name, address (no address for meters)', () => {
    const base = { display_name: null, address: '123 Main St\nAnytown, CA 90000', account_number: '1111-1', types: ['electric', 'natural_gas'] }
    expect(resourceLine('service_contract', { ...base, number: '222222' }, t)).toBe('Service 222222 (electric, natural gas) – Account 1111-1 – 123 Main St, Anytown, CA 90000')
    expect(resourceLine('account', { ...base, number: '1111-1', display_name: 'Main Street Home' }, t)).toBe('Account 1111-1 – Main Street Home – 123 Main St, Anytown, CA 90000')
    expect(resourceLine('meter_device', { ...base, number: 'M-1001', types: ['ami_meter'] }, t)).toBe('Meter M-1001 (ami meter)')
  })
})

describe('the message catalog has every key the describing code builds', () => {
  it('scope words, included data, units, Selections and preselection fields', () => {
    const keys = new Set(Object.keys(en))
    const wanted = [
      ...CUSTOMER_CONSENT_SCOPES.flatMap((type) => [`authorization.data.summary.${type}`, `authorization.things.${type}`]),
      ...Object.entries(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS).flatMap(([id, d]) =>
        d.category === 'included_data'
          ? [`authorization.data.item.${id}`, ...(id === 'include_usage_segment_value_types' ? [] : [`authorization.data.example.${id}`])]
          : d.category === 'preselection'
            ? [`authorization.preselection.field.${id}`]
            : [],
      ),
      ...['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'].flatMap((u) => [`authorization.unit.${u}`, `authorization.unit.${u}.one`]),
      ...Object.values(SELECTION_RESOURCE_TYPES).flatMap((r) => [`authorization.selection.heading.${r}`, `authorization.resource.${r}`]),
      ...['bills', 'billDetails', 'usage'].map((w) => `authorization.what.${w}`),
    ]
    expect(wanted.filter((key) => !keys.has(key))).toEqual([])
  })
})
