import { AccountListing, BillStatement, Grant, GrantModifyRequest, type Issue } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { Decimal, parseJson } from './decimal.js'
import { CdsProtocolError } from './errors.js'
import { parseBody } from './lenient.js'

const context = { schema: 'Test', url: 'https://utility.example/x' }

// A schema with a literal member: the Grant PATCH body, whose `status` may only be `closed`.
const LiteralHolder = GrantModifyRequest

function grant(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    grant_id: 'g1',
    uri: 'https://utility.example/api/grants/g1',
    replacing: [],
    replaced_by: [],
    parent: null,
    children: [],
    created: '2026-01-01T00:00:00Z',
    modified: '2026-01-01T00:00:00Z',
    not_before: null,
    not_after: null,
    eta: null,
    expires: null,
    status: 'active',
    client_id: 'c1',
    scope: 'cds_usage',
    authorization_details: [],
    receipt_confirmations: [],
    enabled_scope: 'cds_usage',
    enabled_authorization_details: [],
    ...extra,
  }
}

describe('CDS-WG1-02 §10 lenient bodies', () => {
  it('keeps unknown members and unknown enumeration values, with warnings', () => {
    const warnings: Issue[] = []
    const value = parseBody<Record<string, unknown>>(Grant, grant({ status: 'hibernating', x_server_note: 'kept' }), context, (issues) => warnings.push(...issues))
    expect(value).toMatchObject({ status: 'hibernating', x_server_note: 'kept' })
    expect(warnings.map((w) => w.path)).toContain('/status')
  })

  it('turns value constraints into warnings (an http URL where https is asked for)', () => {
    const warnings: Issue[] = []
    const value = parseBody<Record<string, unknown>>(Grant, grant({ uri: 'not a url' }), context, (issues) => warnings.push(...issues))
    expect(value.uri).toBe('not a url')
    expect(warnings).toEqual([expect.objectContaining({ path: '/uri', keyword: 'format' })])
  })

  it('turns a broken fixed value (a literal) into a warning too', () => {
    const warnings: Issue[] = []
    const value = parseBody<Record<string, unknown>>(LiteralHolder, { status: 'reopened', scope: 'a' }, context, (issues) => warnings.push(...issues))
    expect(value).toEqual({ status: 'reopened', scope: 'a' })
    expect(warnings).toEqual([expect.objectContaining({ path: '/status', keyword: 'const' })])
  })

  it('refuses a missing member or a wrong type with every issue', () => {
    const { status: _status, ...missing } = grant()
    const failure = (() => {
      try {
        parseBody(Grant, { ...missing, scope: 42 }, context)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(failure).toBeInstanceOf(CdsProtocolError)
    const error = failure as CdsProtocolError
    expect(error.code).toBe('INVALID_RESPONSE')
    expect(error.issues.map((i) => `${i.path} ${i.keyword}`)).toEqual(expect.arrayContaining([' required', '/scope type']))
    expect(error.message).toMatch(/^the Test from https:\/\/utility\.example\/x is not usable/)
  })

  it('CDS-WG3-01 §2 decimals are exact Decimals, integers included', () => {
    const text = '{"cds_billstatement_id":"b","cds_created":"2026-01-01T00:00:00Z","cds_modified":"2026-01-01T00:00:00Z","cds_synced":"2026-01-01T00:00:00Z","cds_account_id":"a","account_number":"1","statement_date":"2026-01-01","currency":"USD","amount_due":100,"amount_due_date":"2026-01-20","shutoff_prevention_minimum_due":12.10,"shutoff_prevention_date":"2026-02-01","previous_balance_amount":12345678901234567890.12}'
    const statement = parseBody<{ amount_due: Decimal; shutoff_prevention_minimum_due: Decimal; previous_balance_amount: Decimal }>(BillStatement, parseJson(text), context)
    expect(statement.amount_due).toBeInstanceOf(Decimal)
    expect(statement.amount_due.toString()).toBe('100')
    expect(statement.shutoff_prevention_minimum_due.toString()).toBe('12.10')
    expect(statement.previous_balance_amount.toString()).toBe('12345678901234567890.12')
  })

  it('reads listings the same way', () => {
    const listing = parseBody<{ accounts: unknown[]; next: null }>(AccountListing, { accounts: [], next: null, previous: null, page_note: 'x' }, context)
    expect(listing).toEqual({ accounts: [], next: null, previous: null, page_note: 'x' })
  })
})
