import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'
import { authorizationDetailsKey, grantAdminDetails, serializeAuthorizationDetails } from './rar.js'

describe('RFC 9396 authorization_details', () => {
  it('§2 writes entries as JSON with exact decimals and refuses an entry without a type', () => {
    expect(serializeAuthorizationDetails([{ type: 'cds_usage', account_numbers: ['_all'], max: Decimal.from('0.10') }])).toBe(
      '[{"type":"cds_usage","account_numbers":["_all"],"max":0.10}]',
    )
    expect(() => serializeAuthorizationDetails([{ type: '' }])).toThrow(TypeError)
    expect(() => serializeAuthorizationDetails([{} as { type: string }])).toThrow(TypeError)
  })

  it('keys are canonical: sorted members at every level, undefined members dropped', () => {
    expect(authorizationDetailsKey([{ z: 1, y: { b: 2, a: 1 }, u: undefined, type: 'a' }])).toBe('[{"type":"a","y":{"a":1,"b":2},"z":1}]')
    expect(authorizationDetailsKey([{ z: 1, type: 'a' }])).toBe(authorizationDetailsKey([{ type: 'a', z: 1 }]))
    expect(authorizationDetailsKey(undefined)).toBe('')
    expect(authorizationDetailsKey([])).toBe('')
  })

  it('CDS-WG1-02 §3.3.2 builds the one Grant Admin entry', () => {
    expect(grantAdminDetails('cds_grant_admin_1', { grant_id: 'g', client_id: 'c' })).toEqual({ type: 'cds_grant_admin_1', grant_id: 'g', client_id: 'c' })
  })
})
