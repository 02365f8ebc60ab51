import { describe, expect, it } from 'vitest'
import { requestSections } from './request-sections.js'

describe('requestSections (CDS-WG3-01 §7.4.2, §9.2.1.4, A-26)', () => {
  it('gives each scope its own section without merge links, in request order', () => {
    expect(requestSections(['cds_accounts_1', 'cds_rate_plan_1'], []).map((s) => s.scopes)).toEqual([['cds_accounts_1'], ['cds_rate_plan_1']])
  })

  it('joins linked scopes into one section named by the earliest scope, links read both ways', () => {
    const sections = requestSections(
      ['cds_meters_1', 'cds_accounts_1', 'cds_usage_1', 'cds_service_contracts_1'],
      [
        { type: 'cds_usage_1', merge_selection_with: 'cds_service_contracts_1' },
        { type: 'cds_service_contracts_1', merge_selection_with: 'cds_meters_1' },
      ],
    )
    expect(sections.map((s) => s.scopes)).toEqual([['cds_meters_1', 'cds_usage_1', 'cds_service_contracts_1'], ['cds_accounts_1']])
    expect(sections[0]?.details.map((d) => d.type)).toEqual(['cds_usage_1', 'cds_service_contracts_1'])
  })

  it('keeps the first place of a repeated scope and ignores links to scopes not requested', () => {
    const sections = requestSections(['a', 'b', 'a'], [{ type: 'b', merge_selection_with: 'zzz' }])
    expect(sections.map((s) => s.scopes)).toEqual([['a'], ['b']])
  })

  it('maps RAR types to scope ids with scopeOf (A-02 suffix profiles)', () => {
    const sections = requestSections(['x_1', 'y_1'], [{ type: 'y_1ad', merge_selection_with: 'x_1' }], (t) => t.replace(/ad$/, ''))
    expect(sections.map((s) => s.scopes)).toEqual([['x_1', 'y_1']])
  })
})
