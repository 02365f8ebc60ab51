/**
 * Every CDS-WG3-01 §10 listing through the SDK against the reference server's demo data, read
 * with direct-access `client_credentials` tokens (CDS-WG3-01 §6.2) whose `authorization_details`
 * turn the `include_*` fields on: single pages, iteration across pages (Bill Sections and Usage
 * Segments have more than 100 items), typed filters, exact decimals, and the bill file.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Decimal, stringifyJson, type CdsClient, type CustomerDataApi, type TokenRequestSpec } from '../src/index.js'
import { register, type Registration } from './live.js'

let reg: Registration

/** A direct-access token request for `scope` with these Authorization Details Fields. */
function spec(scope: string, fields: Record<string, unknown>): TokenRequestSpec {
  return { scope, authorization_details: [{ type: scope, ...fields }] }
}

function data(scope: string, fields: Record<string, unknown>): { client: CdsClient; api: CustomerDataApi } {
  const client = reg.clientFor(scope)
  return { client, api: client.customerData(spec(scope, fields)) }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

beforeAll(async () => {
  reg = await register([
    'cds_query_accounts',
    'cds_query_service_contracts',
    'cds_query_service_points',
    'cds_query_meter_devices',
    'cds_query_bill_statements',
    'cds_query_bill_sections',
    'cds_query_aggregations',
    'cds_query_usage',
  ])
})

describe('CDS-WG3-01 §10.1 Accounts API', () => {
  it('R3-01-10.1.10 lists accounts with typed filters', async () => {
    const { api } = data('cds_query_accounts', { include_account_numbers: true, include_account_details: true })
    const page = await api.accounts.list()
    expect(page.accounts.length).toBeGreaterThan(0)
    expect(page).toMatchObject({ next: null, previous: null })
    const account = page.accounts.find((a) => a.account_number !== undefined && a.account_number !== null)
    expect(account?.account_number).toBeTypeOf('string')
    const byNumber = await api.accounts.list({ account_numbers: [account?.account_number ?? ''] })
    expect(byNumber.accounts.map((a) => a.cds_account_id)).toEqual([account?.cds_account_id])
    const active = await collect(api.accounts.all({ account_statuses: ['active'] }))
    expect(active.length).toBeGreaterThan(0)
    expect(active.every((a) => a.account_status === 'active')).toBe(true)
  })
})

describe('CDS-WG3-01 §10.2–§10.4 Service Contracts, Service Points, Meter Devices', () => {
  it('R3-01-10.2.7 lists Service Contracts, filtered by service type', async () => {
    const { api } = data('cds_query_service_contracts', { include_account_numbers: true, include_contract_numbers: true, include_rate_plans: true })
    const all = await collect(api.serviceContracts.all())
    expect(all.length).toBeGreaterThan(0)
    const electric = await api.serviceContracts.list({ service_types: ['electric'] })
    expect(electric.service_contracts.length).toBeGreaterThan(0)
    expect(electric.service_contracts.every((c) => c.service_types.includes('electric'))).toBe(true)
  })

  it('R3-01-10.3.5 lists Service Points', async () => {
    const { api } = data('cds_query_service_points', { include_premises: true })
    const points = await collect(api.servicePoints.all())
    expect(points.length).toBeGreaterThan(0)
    const id = points[0]?.cds_servicepoint_id ?? ''
    expect((await api.servicePoints.list({ cds_servicepoint_ids: [id] })).service_points.map((p) => p.cds_servicepoint_id)).toEqual([id])
  })

  it('R3-01-10.4.5 lists Meter Devices', async () => {
    const { api } = data('cds_query_meter_devices', { include_meter_numbers: true })
    const meters = await collect(api.meterDevices.all())
    expect(meters.length).toBeGreaterThan(0)
    const number = meters.find((m) => typeof m.meter_number === 'string')?.meter_number ?? ''
    expect((await api.meterDevices.list({ meter_numbers: [number] })).meter_devices.map((m) => m.meter_number)).toEqual([number])
  })
})

describe('CDS-WG3-01 §10.5, §10.6 Bill Statements and Bill Sections', () => {
  it('R3-01-10.5.4 lists statements with exact decimal amounts and downloads a bill file', async () => {
    const { api } = data('cds_query_bill_statements', { include_bill_statement_files: true, include_bill_statement_charges: true })
    const statements = await collect(api.billStatements.all())
    expect(statements.length).toBeGreaterThan(10)
    for (const statement of statements) expect(statement.amount_due).toBeInstanceOf(Decimal)
    // The text of each amount is what the server wrote: a round trip keeps every digit.
    const first = statements[0]
    expect(stringifyJson({ a: first?.amount_due })).toBe(`{"a":${first?.amount_due.toString() ?? ''}}`)
    const dated = await api.billStatements.list({ after: '2026-06-01', before: new Date('2026-12-31T00:00:00Z') })
    expect(dated.bill_statements.length).toBeGreaterThan(0)
    expect(dated.bill_statements.every((s) => s.statement_date >= '2026-06-01' && s.statement_date <= '2026-12-31')).toBe(true)

    const withFile = statements.find((s) => typeof s.file_uri === 'string')
    expect(withFile).toBeDefined()
    const file = await api.billStatements.downloadFile(withFile ?? '')
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toMatch(/^application\/pdf/)
    const bytes = new Uint8Array(await file.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
  })

  it('R3-01-10.6.9 iterates Bill Sections across pages (more than 100)', async () => {
    const { api } = data('cds_query_bill_sections', { include_bill_section_line_items: true })
    const first = await api.billSections.list()
    expect(first.bill_sections).toHaveLength(100)
    expect(first.next).toMatch(/^http:\/\/127\.0\.0\.1/)
    const second = await api.billSections.page(first.next ?? '')
    expect(second.previous).not.toBeNull()
    const pages = await collect(api.billSections.pages())
    expect(pages.length).toBeGreaterThanOrEqual(2)
    const all = await collect(api.billSections.all())
    expect(all.length).toBe(pages.reduce((n, p) => n + p.bill_sections.length, 0))
    expect(all.length).toBeGreaterThan(100)
    expect(new Set(all.map((s) => s.cds_billsection_id)).size).toBe(all.length)
    const account = all[0]?.cds_account_id ?? ''
    const filtered = await api.billSections.list({ cds_account_ids: [account], after: new Date('2000-01-01T00:00:00Z') })
    expect(filtered.bill_sections.length).toBeGreaterThan(0)
    expect(filtered.bill_sections.every((s) => s.cds_account_id === account)).toBe(true)
  })
})

describe('CDS-WG3-01 §10.7–§10.9 Aggregations, Usage Segments, EACs', () => {
  it('R3-01-10.7.8 lists Aggregations, filtered by type', async () => {
    const { api } = data('cds_query_aggregations', { include_aggregation_addresses: true })
    const all = await collect(api.aggregations.all())
    expect(all.length).toBeGreaterThan(0)
    const type = all[0]!.aggregation_types[0]!
    const typed = await api.aggregations.list({ aggregation_types: [type] })
    expect(typed.aggregations.every((a) => a.aggregation_types.includes(type))).toBe(true)
  })

  it('R3-01-10.8.8 iterates Usage Segments across pages, cells decoded with exact decimals', async () => {
    const { api } = data('cds_query_usage', { include_eacs: true })
    const segments = await collect(api.usageSegments.all())
    expect(segments.length).toBeGreaterThan(100)
    expect(new Set(segments.map((s) => s.cds_usagesegment_id)).size).toBe(segments.length)
    const segment = segments[0]
    expect(segment?.interval).toBeInstanceOf(Decimal)
    const cell = segment?.values[0]?.[0] as Record<string, unknown> | undefined
    expect(Object.values(cell ?? {}).some((v) => v instanceof Decimal)).toBe(true)
    const later = await api.usageSegments.list({ after: new Date('2026-06-01T00:00:00Z') })
    expect(later.usage_segments.length).toBeGreaterThan(0)
    expect(later.usage_segments.every((s) => s.segment_end >= '2026-06-01')).toBe(true)
  })

  it('R3-01-10.9.4 lists Energy Attribute Certificates', async () => {
    const { api } = data('cds_query_usage', { include_eacs: true })
    const page = await api.eacs.list({ after: new Date('2000-01-01T00:00:00Z') })
    expect(Array.isArray(page.eacs)).toBe(true)
    expect(page).toMatchObject({ next: null, previous: null })
    expect(await collect(api.eacs.all())).toEqual(page.eacs)
  })
})
