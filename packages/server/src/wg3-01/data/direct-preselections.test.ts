import type { AuthorizationDetail, ScopeDescription } from '@cds-ts/schema'
import { beforeAll, expect, it } from 'vitest'
import { insertCustomerDataFixture } from '../../../test/customer-data-fixture.js'
import { forEachDialect } from '../../../test/dialects.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { defaultConfig } from '../../config/defaults.js'
import { directPreselectionCheck } from './direct-preselections.js'

const config: ServerConfig = defaultConfig('https://utility.example.com')
const scopes: ScopeDescription[] = Object.values(config.oauth.scope_descriptions)
const entry = (values: Record<string, unknown>): AuthorizationDetail[] => [{ type: 'cds_query_accounts', ...values }]

forEachDialect('CDS-WG3-01 §7.4.3 error_if_no_preselections on direct scopes', (t) => {
  beforeAll(async () => {
    await insertCustomerDataFixture(t.db)
  })

  it('R3-01-7.4.3-07 A-51 true refuses preselections that match nothing or are not set; matching ones pass', async () => {
    const check = directPreselectionCheck(t.db, config)
    await expect(check(entry({ error_if_no_preselections: true, account_numbers: ['ACC-1'] }), scopes)).resolves.toBeUndefined()
    await expect(check(entry({ error_if_no_preselections: true, account_numbers: ['ACC-1', 'NO-SUCH'] }), scopes)).rejects.toMatchObject({ error: 'invalid_authorization_details' })
    await expect(check(entry({ error_if_no_preselections: true, account_numbers: null }), scopes)).rejects.toMatchObject({ error: 'invalid_authorization_details' })
    await expect(check(entry({ error_if_no_preselections: true, account_numbers: [] }), scopes)).rejects.toMatchObject({ error: 'invalid_authorization_details' })
    // `_all` names no object but lifts the filter.
    await expect(check(entry({ error_if_no_preselections: true, account_numbers: ['_all'] }), scopes)).resolves.toBeUndefined()
  })

  it('R3-01-7.4.3-08 false, and consent scopes, are left alone; base "none" matches nothing', async () => {
    const check = directPreselectionCheck(t.db, config)
    await expect(check(entry({ error_if_no_preselections: false, account_numbers: ['NO-SUCH'] }), scopes)).resolves.toBeUndefined()
    await expect(check([{ type: 'cds_accounts', error_if_no_preselections: true, account_numbers: ['NO-SUCH'] }], scopes)).resolves.toBeUndefined()
    const none = structuredClone(config)
    none.customer_data.direct_access_base = 'none'
    await expect(directPreselectionCheck(t.db, none)(entry({ error_if_no_preselections: true, account_numbers: ['ACC-1'] }), scopes)).rejects.toMatchObject({ error: 'invalid_authorization_details' })
  })
})
