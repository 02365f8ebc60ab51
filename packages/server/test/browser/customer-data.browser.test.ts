/**
 * Issue 6 as a Client and a customer meet it, in chromium on every test database: the customer
 * logs in, leaves one service contract out on the Authorization Form and approves; the Client
 * exchanges the code and reads the Customer Data APIs (CDS-WG3-01 §10) with the access token,
 * finding exactly what the customer selected, the fields its Grant includes, and nothing of the
 * other customers.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @see CDS-WG3-01 §10 Customer Data API
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { apiCall, TestClient } from './client-kit.js'
import { decideAndReturn, openAndLogIn } from './flows.js'
import { expectNoPageProblems, forEachBrowserDialect } from './harness.js'

const CUSTA = 'custa@example.com'

type Listing<K extends string> = Record<K, Record<string, unknown>[]> & { next: string | null; previous: string | null }

forEachBrowserDialect('issue 6: browser consent → the Customer Data APIs show the selection and nothing else', (h) => {
  let client: TestClient

  beforeAll(async () => {
    client = await TestClient.register(h.server, { types: ['cds_service_contracts'], client_name: 'Tariff Advisor' })
  })
  afterAll(async () => {
    await client.close()
  })

  it('Service List: SC-2 left out on the form; the token lists SC-1 and SC-3, their accounts, and no usage', async () => {
    const SL = client.scope('cds_service_contracts')
    const pending = await client.push({
      scope: SL,
      state: 'issue-6',
      authorization_details: [
        { type: SL, contract_numbers: ['_all'], sync_until: 'P1Y', authorization_form_selection_type: 'service_contract_selection', include_rate_plans: true },
      ],
    })
    const page = await h.newPage(1280)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('authorization-form')
    await page.locator('input[type=checkbox][name="select.0"][value="333333"]').uncheck()
    const back = await decideAndReturn(page, client, 'approve')
    expect(back.searchParams.get('code')).toMatch(/\S/)
    expectNoPageProblems(page)
    const { tokens } = await client.exchange(pending, back)
    const token = tokens.access_token

    // §5: the Client finds the listings in its metadata.
    const metadata = await apiCall<Record<string, unknown>>(h.server, 'GET', '/.well-known/oauth-authorization-server', token)
    expect(metadata.cds_servicecontracts_api).toBe(`${h.server.baseUrl}/api/servicecontracts`)

    // §10.2: the two selected contracts, with the numbers (required for the scope) and rate plans the Grant includes.
    const contracts = await apiCall<Listing<'service_contracts'>>(h.server, 'GET', '/api/servicecontracts', token)
    expect(contracts.service_contracts.map((c) => c.contract_number).sort()).toEqual(['222222', '444444'])
    expect(contracts.service_contracts.map((c) => c.rateplan_code).sort()).toEqual(['B-19', 'E-TOU-C'])
    expect(contracts.service_contracts[0]).not.toHaveProperty('contract_address')
    expect(contracts).toMatchObject({ next: null, previous: null })

    // §6.1.5, §7.2.1: the Service List includes the contracts' accounts (ACC-1, ACC-2) and their parent
    // (ACC-P, through cds_account_parent), not CUST-A's other account nor anyone else's.
    const accounts = await apiCall<Listing<'accounts'>>(h.server, 'GET', '/api/accounts', token)
    const owners = new Set(contracts.service_contracts.map((c) => c.cds_account_id as string))
    expect(owners.size).toBe(2)
    const parents = new Set(accounts.accounts.filter((a) => owners.has(a.cds_account_id as string)).map((a) => a.cds_account_parent))
    expect(parents.size).toBe(1)
    expect(accounts.accounts.map((a) => a.cds_account_id).sort()).toEqual([...owners, ...parents].sort())
    expect(accounts.accounts[0]).not.toHaveProperty('account_name')

    // A listing the Grant does not cover answers 200 with an empty list (catalog §1.11).
    const usage = await apiCall<Listing<'usage_segments'>>(h.server, 'GET', '/api/usagesegments', token)
    expect(usage.usage_segments).toEqual([])
    // Filters cannot reach a contract the customer left out.
    const left = await apiCall<Listing<'service_contracts'>>(h.server, 'GET', '/api/servicecontracts?contract_numbers=333333', token)
    expect(left.service_contracts).toEqual([])
  })
})
