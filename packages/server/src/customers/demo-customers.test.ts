/**
 * The demo customers (catalog Part F.0) in storage and the resource directory the Authorization
 * Form reads (CDS-WG3-01 §9.2.3, §7.1).
 */
import { manualClock } from '@cds-ts/auth'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { DEMO_CUSTOMERS, demoDirectory, seedDemoCustomers } from './demo-customers.js'
import { listCustomerResources } from './directory.js'
import { verifyPassword } from './passwords.js'

describe('catalog F.0 demo customers (the constant)', () => {
  it('has CUST-A, B, C and E, each a test account with its own documented password and e-mail login', () => {
    expect(DEMO_CUSTOMERS.map((c) => [c.customer_id, c.login])).toEqual([
      ['CUST-A', 'custa@example.com'],
      ['CUST-B', 'custb@example.com'],
      ['CUST-C', 'custc@example.com'],
      ['CUST-E', 'custe@example.com'],
    ])
    for (const c of DEMO_CUSTOMERS) {
      expect(c.is_test_account).toBe(true)
      expect(c.email).toBe(c.login)
      expect(c.login).toBe(c.login.toLowerCase())
    }
    expect(new Set(DEMO_CUSTOMERS.map((c) => c.password)).size).toBe(DEMO_CUSTOMERS.length)
  })

  it('every relation points at a resource of the same customer', () => {
    for (const c of DEMO_CUSTOMERS) {
      const keys = (list: { key: string }[]): string[] => list.map((x) => x.key)
      for (const a of c.accounts) if (a.parent !== null) expect(keys(c.accounts)).toContain(a.parent)
      for (const sc of c.service_contracts) expect(keys(c.accounts)).toContain(sc.account)
      for (const sp of c.service_points) for (const key of sp.current_servicecontracts) expect(keys(c.service_contracts)).toContain(key)
      for (const md of c.meter_devices) for (const key of md.current_servicepoints) expect(keys(c.service_points)).toContain(key)
      for (const g of c.aggregations) for (const key of g.grouped_servicepoints) expect(keys(c.service_points)).toContain(key)
    }
  })

  it('derives the related values each §7.1 preselection field matches on', () => {
    const rows = demoDirectory(DEMO_CUSTOMERS[0]!)
    const row = (type: string, number: string) => rows.find((r) => r.resource_type === type && r.number === number)!
    // SC-1: its account, program, point, premise, meter and meter app.
    expect(row('service_contract', '222222')).toMatchObject({
      account_number: '1111-1',
      contract_number: '222222',
      address: '123 Main St\nAnytown, CA 90000',
      types: ['electric', 'residential', 'metered'],
      attributes: {
        account_numbers: ['1111-1'],
        account_programs: ['CARE'],
        contract_numbers: ['222222'],
        service_programs: ['DR-1'],
        servicepoint_numbers: ['SP-100'],
        premise_numbers: ['PREM-1'],
        meter_numbers: ['M-1001'],
        meter_apps: ['APP-EV'],
        aggregation_numbers: [],
        rateplan_code: 'E-TOU-C',
        rateplan_name: 'Time of Use C',
      },
    })
    // ACC-1 gathers both of its contracts' service types (§7.1.4) and meters (§7.1.9).
    expect(row('account', '1111-1').attributes).toMatchObject({
      contract_numbers: ['222222', '333333'],
      service_types: ['electric', 'residential', 'metered', 'natural_gas'],
      meter_numbers: ['M-1001', 'M-2001'],
      account_parent: '1000-0',
    })
    // The parent account has no services.
    expect(row('account', '1000-0').attributes).toMatchObject({ contract_numbers: [], meter_numbers: [], account_parent: null })
    // Building B2222 groups SP-300, and through it SC 444444, account 2222-2 and meter M-3001 (§7.1.12).
    expect(row('service_contract', '444444').attributes.aggregation_numbers).toEqual(['B2222'])
    expect(row('account', '2222-2').attributes.aggregation_numbers).toEqual(['B2222'])
    expect(row('meter_device', 'M-3001')).toMatchObject({ account_number: '2222-2', contract_number: '444444', address: '500 Industrial Way\nAnytown, CA 90000' })
    expect(row('aggregation', 'B2222')).toMatchObject({ display_name: 'Building at 500 Industrial Way', types: ['confidential', 'building'], attributes: { servicepoint_numbers: ['SP-300'] } })
    expect(row('service_point', 'SP-200')).toMatchObject({ contract_number: '333333', types: ['natural_gas', 'single_service', 'physical', 'edge'], attributes: { premise_numbers: ['PREM-1'] } })
  })
})

forEachDialect('CDS-WG3-01 §9.2.3 demo customers in storage and the resource directory', (t) => {
  const clock = manualClock('2026-01-15T12:00:00Z')
  beforeAll(async () => {
    // The test database is empty of customers (the seed runs in buildServer, not in migrations).
    await seedDemoCustomers(t.db, clock)
  }, 60_000)

  it('stores every demo customer with a scrypt hash of the documented password', async () => {
    const rows = await t.db.selectFrom('customers').selectAll().orderBy('customer_id').execute()
    expect(rows.map((r) => r.customer_id)).toEqual(['CUST-A', 'CUST-B', 'CUST-C', 'CUST-E'])
    for (const row of rows) {
      const demo = DEMO_CUSTOMERS.find((c) => c.customer_id === row.customer_id)!
      expect(row).toMatchObject({ login: demo.login, display_name: demo.display_name, email: demo.email, is_test_account: true, created: clock.now() })
      expect(row.password_hash.startsWith('scrypt$')).toBe(true)
      expect(row.password_hash).not.toContain(demo.password)
    }
    const a = rows.find((r) => r.customer_id === 'CUST-A')!
    expect(await verifyPassword('demo-custa-password', a.password_hash)).toBe(true)
  })

  it('seeding again changes nothing (insert … on conflict do nothing)', async () => {
    const before = await t.db.selectFrom('customers').select(['customer_id', 'password_hash']).orderBy('customer_id').execute()
    const resources = await t.db.selectFrom('customer_resources').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    clock.advance(3600)
    await seedDemoCustomers(t.db, clock)
    expect(await t.db.selectFrom('customers').select(['customer_id', 'password_hash']).orderBy('customer_id').execute()).toEqual(before)
    const after = await t.db.selectFrom('customer_resources').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(resources.n))
    expect(Number(after.n)).toBe(DEMO_CUSTOMERS.reduce((n, c) => n + demoDirectory(c).length, 0))
  })

  it('puts back a resource that went missing, and leaves the rest alone', async () => {
    await t.db.deleteFrom('customer_resources').where('customer_id', '=', 'CUST-B').where('resource_type', '=', 'meter_device').execute()
    await seedDemoCustomers(t.db, clock)
    expect((await listCustomerResources(t.db, 'CUST-B', 'meter_device')).map((r) => r.number)).toEqual(['M-4001'])
  })

  it('lists a customer’s resources by type (accounts, contracts, points, meters, aggregations), then by number', async () => {
    const all = await listCustomerResources(t.db, 'CUST-A')
    expect(all.map((r) => `${r.resource_type}:${r.number}`)).toEqual([
      'account:1000-0',
      'account:1111-1',
      'account:2222-2',
      'service_contract:222222',
      'service_contract:333333',
      'service_contract:444444',
      'service_point:SP-100',
      'service_point:SP-200',
      'service_point:SP-300',
      'meter_device:M-1001',
      'meter_device:M-2001',
      'meter_device:M-3001',
      'aggregation:B2222',
    ])
    const first = all[1]!
    expect(first).toEqual({
      resource_type: 'account',
      number: '1111-1',
      display_name: 'Main Street Home',
      address: '123 Main St\nAnytown, CA 90000',
      account_number: '1111-1',
      contract_number: null,
      types: ['customer', 'child', 'residential'],
      attributes: expect.objectContaining({ account_programs: ['CARE'], addresses: ['123 Main St\nAnytown, CA 90000'] }),
      created: expect.any(Date),
    })
  })

  it('filters by type and keeps customers apart', async () => {
    expect((await listCustomerResources(t.db, 'CUST-A', 'service_contract')).map((r) => r.number)).toEqual(['222222', '333333', '444444'])
    expect((await listCustomerResources(t.db, 'CUST-B', 'service_contract')).map((r) => [r.number, r.types])).toEqual([['555555', ['natural_gas']]])
    expect((await listCustomerResources(t.db, 'CUST-C', 'aggregation')).map((r) => r.number)).toEqual(['B2222'])
    expect((await listCustomerResources(t.db, 'CUST-C', 'service_point'))[0]!.attributes.aggregation_numbers).toEqual(['B2222'])
    expect(await listCustomerResources(t.db, 'CUST-B', 'aggregation')).toEqual([])
    expect(await listCustomerResources(t.db, 'CUST-NONE')).toEqual([])
  })

  it('CUST-E has twelve accounts with one electric contract each (lists longer than ten)', async () => {
    const accounts = await listCustomerResources(t.db, 'CUST-E', 'account')
    expect(accounts.map((r) => r.number)).toEqual(Array.from({ length: 12 }, (_, i) => `E-${String(i + 1).padStart(2, '0')}`))
    const contracts = await listCustomerResources(t.db, 'CUST-E', 'service_contract')
    expect(contracts).toHaveLength(12)
    expect(contracts.every((c) => c.types.includes('electric'))).toBe(true)
    expect(new Set(contracts.map((c) => c.account_number)).size).toBe(12)
  })
})
