/**
 * A utility-sized Customer Data database for the query-plan tests of the CDS-WG3-01 §10 listings
 * (`wg3-01/data/listing-plans.test.ts`): thousands of customers, each with an Account, two Service
 * Contracts, their Service Points and Meters, two years of monthly Bill Statements and Sections,
 * Aggregations and EACs. Rows are made by `insert … select generate_series` in SQL, so the whole
 * database fills in a few seconds; `analyze` then gives the planner real statistics.
 *
 * Ids are numbered: customer `cust-0042` owns `acct-0042` (`AN-0042`), contracts `sc-0084` and
 * `sc-0085` (`CN-0084`, `CN-0085`), service points `sp-0084`/`sp-0085` and meters `md-0084`/`md-0085`.
 * Statement and section `i` (`bs-00042`, `bx-00042`) belong to account `i % ACCOUNTS`, month
 * `i / ACCOUNTS`.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/db/database.js'

/** How many of each object the plan database holds. */
export const SCALE = {
  /** Customers, one Account each. */
  accounts: 2000,
  /** Two Service Contracts per Account; one Service Point and one Meter per Contract. */
  contracts: 4000,
  /** Monthly statements: `accounts × 25`. */
  statements: 50_000,
  /** One section per statement, linked to a contract, a service point and a meter (150,000 links). */
  sections: 50_000,
  aggregations: 2000,
  /** Accounts grouped by each Aggregation. */
  membersPerAggregation: 5,
  eacs: 5000,
} as const

/** A numbered id: `id('acct', 42)` is `acct-0042`. */
export const id = (prefix: string, n: number, width = 4): string => `${prefix}-${String(n).padStart(width, '0')}`

/** The customer whose Grant the tests use, and what they own. */
export const CUSTOMER = 42
export const OWN = {
  customer: id('cust', CUSTOMER),
  account: id('acct', CUSTOMER),
  accountNumber: id('AN', CUSTOMER),
  contracts: [id('sc', 2 * CUSTOMER), id('sc', 2 * CUSTOMER + 1)],
  contractNumbers: [id('CN', 2 * CUSTOMER), id('CN', 2 * CUSTOMER + 1)],
  servicePoints: [id('sp', 2 * CUSTOMER), id('sp', 2 * CUSTOMER + 1)],
  meters: [id('md', 2 * CUSTOMER), id('md', 2 * CUSTOMER + 1)],
  meterNumbers: [id('MN', 2 * CUSTOMER), id('MN', 2 * CUSTOMER + 1)],
  statements: Array.from({ length: SCALE.statements / SCALE.accounts }, (_, m) => id('bs', m * SCALE.accounts + CUSTOMER, 5)),
  sections: Array.from({ length: SCALE.sections / SCALE.accounts }, (_, m) => id('bx', m * SCALE.accounts + CUSTOMER, 5)),
} as const

const STAMPS = `timestamptz '2024-06-01T00:00:00Z' as cds_created, %m as cds_modified, timestamptz '2025-06-01T00:00:00Z' as cds_synced`
/** The three timestamp columns, with `cds_modified` spread over a year in an order unrelated to the ids. */
const stamps = (n: string) => STAMPS.replace('%m', `timestamptz '2024-06-01T00:00:00Z' + ((${n} * 7919) % 31536000) * interval '1 second'`)
const pad = (n: string, width = 4) => `lpad((${n})::text, ${width}, '0')`

/** The statements that fill the database, in order (foreign keys first). */
function statements(): string[] {
  const { accounts, contracts, statements: bills, sections, aggregations, membersPerAggregation, eacs } = SCALE
  return [
    `insert into customers (customer_id, login, password_hash, display_name, created)
      select 'cust-' || ${pad('n')}, 'c' || n || '@example.com', 'x', 'Customer ' || n, timestamptz '2024-01-01T00:00:00Z'
      from generate_series(0, ${accounts - 1}) as n`,
    `insert into accounts (cds_account_id, customer_id, customer_number, account_number, account_name, account_address, account_status,
        program_numbers, cds_created, cds_modified, cds_synced)
      select 'acct-' || ${pad('n')}, 'cust-' || ${pad('n')}, 'CU-' || ${pad('n')}, 'AN-' || ${pad('n')}, 'Account ' || n, n || ' Main St',
        'active', jsonb_build_array('PRG-' || (n % 10)), ${stamps('n')}
      from generate_series(0, ${accounts - 1}) as n`,
    `insert into service_contracts (cds_servicecontract_id, cds_account_id, contract_number, contract_address, contract_status, contract_types,
        service_types, rateplan_code, program_numbers, cds_created, cds_modified, cds_synced)
      select 'sc-' || ${pad('n')}, 'acct-' || ${pad('n / 2')}, 'CN-' || ${pad('n')}, n || ' Main St', 'active', '["residential"]'::jsonb,
        jsonb_build_array(case when n % 2 = 0 then 'electric' else 'natural_gas' end), 'RP-' || (n % 20), '[]'::jsonb, ${stamps('n')}
      from generate_series(0, ${contracts - 1}) as n`,
    `insert into service_points (cds_servicepoint_id, servicepoint_number, servicepoint_address, premise_numbers, cds_created, cds_modified, cds_synced)
      select 'sp-' || ${pad('n')}, 'SPN-' || ${pad('n')}, n || ' Main St', jsonb_build_array('PR-' || ${pad('n / 2')}), ${stamps('n')}
      from generate_series(0, ${contracts - 1}) as n`,
    `insert into servicepoint_servicecontracts (cds_servicepoint_id, cds_servicecontract_id, valid_from, valid_to)
      select 'sp-' || ${pad('n')}, 'sc-' || ${pad('n')}, timestamptz '2020-01-01T00:00:00Z', null from generate_series(0, ${contracts - 1}) as n`,
    `insert into meter_devices (cds_meterdevice_id, meter_number, meter_types, app_numbers, cds_created, cds_modified, cds_synced)
      select 'md-' || ${pad('n')}, 'MN-' || ${pad('n')}, '["electric"]'::jsonb, '[]'::jsonb, ${stamps('n')} from generate_series(0, ${contracts - 1}) as n`,
    `insert into meterdevice_servicepoints (cds_meterdevice_id, cds_servicepoint_id, valid_from, valid_to)
      select 'md-' || ${pad('n')}, 'sp-' || ${pad('n')}, timestamptz '2020-01-01T00:00:00Z', null from generate_series(0, ${contracts - 1}) as n`,
    // A previous meter at every tenth service point, swapped out in 2022.
    `insert into meterdevice_servicepoints (cds_meterdevice_id, cds_servicepoint_id, valid_from, valid_to)
      select 'md-' || ${pad(`(n + 1) % ${contracts}`)}, 'sp-' || ${pad('n')}, timestamptz '2019-01-01T00:00:00Z', timestamptz '2020-01-01T00:00:00Z'
      from generate_series(0, ${contracts - 1}, 10) as n`,
    `insert into bill_statements (cds_billstatement_id, cds_account_id, account_number, statement_date, currency, amount_due, amount_due_date,
        new_charges_amount, previous_balance_unpaid, cds_created, cds_modified, cds_synced)
      select 'bs-' || ${pad('n', 5)}, 'acct-' || ${pad(`n % ${accounts}`)}, 'AN-' || ${pad(`n % ${accounts}`)},
        date '2023-01-05' + (n / ${accounts}) * interval '1 month', 'USD', 100.25, date '2023-01-25' + (n / ${accounts}) * interval '1 month',
        100.25, 0, ${stamps('n')}
      from generate_series(0, ${bills - 1}) as n`,
    `insert into bill_sections (cds_billsection_id, cds_billstatement_id, cds_account_id, account_number, start_date, end_date, currency,
        sort_contract_number, cds_created, cds_modified, cds_synced)
      select 'bx-' || ${pad('n', 5)}, 'bs-' || ${pad('n', 5)}, 'acct-' || ${pad(`n % ${accounts}`)}, 'AN-' || ${pad(`n % ${accounts}`)},
        date '2022-12-05' + (n / ${accounts}) * interval '1 month', date '2023-01-04' + (n / ${accounts}) * interval '1 month', 'USD',
        'CN-' || ${pad(`2 * (n % ${accounts}) + (n / ${accounts}) % 2`)}, ${stamps('n')}
      from generate_series(0, ${sections - 1}) as n`,
    `insert into bill_section_links (cds_billsection_id, object_type, object_id)
      select 'bx-' || ${pad('n', 5)}, kind.object_type, kind.prefix || ${pad(`2 * (n % ${accounts}) + (n / ${accounts}) % 2`)}
      from generate_series(0, ${sections - 1}) as n,
        (values ('service_contract', 'sc-'), ('service_point', 'sp-'), ('meter_device', 'md-')) as kind(object_type, prefix)`,
    `insert into aggregations (cds_aggregation_id, aggregation_number, aggregation_types, scope, cds_created, cds_modified, cds_synced)
      select 'ag-' || ${pad('n')}, 'AGN-' || ${pad('n')}, '["community_solar"]'::jsonb, 'community', ${stamps('n')}
      from generate_series(0, ${aggregations - 1}) as n`,
    `insert into aggregation_members (cds_aggregation_id, object_type, object_id)
      select 'ag-' || ${pad('n')}, 'account', 'acct-' || ${pad(`(n * 7 + k) % ${accounts}`)}
      from generate_series(0, ${aggregations - 1}) as n, generate_series(0, ${membersPerAggregation - 1}) as k`,
    `insert into eacs (cds_eac_id, beneficiary_type, beneficiaries, eac_numbers, eac_format, eac_data_url, period_start, period_end,
        cds_created, cds_modified, cds_synced)
      select 'eac-' || ${pad('n')}, 'account', jsonb_build_array('acct-' || ${pad(`n % ${accounts}`)}), jsonb_build_array('EAC-' || ${pad('n')}),
        'm-rets', 'https://registry.example/eac/' || n, timestamptz '2023-01-01T00:00:00Z' + (n / ${accounts}) * interval '1 month' + (n % ${accounts}) * interval '1 minute',
        timestamptz '2023-02-01T00:00:00Z' + (n / ${accounts}) * interval '1 month', ${stamps('n')}
      from generate_series(0, ${eacs - 1}) as n`,
  ]
}

/**
 * Fills a fresh, migrated database with {@link SCALE} rows and refreshes the planner statistics.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function fillPlanDatabase(db: Kysely<Database>): Promise<void> {
  for (const statement of statements()) await sql.raw(statement).execute(db)
  await sql`analyze`.execute(db)
}
