/**
 * CDS-WG3-01 §4 Scenarios: one check per requirement ID, from a table per Scenario. The rows apply
 * only when the run says the server claims the Scenario (option `scenarios`); two rows hold for
 * every server: no Scenario appears in the metadata (R3-01-4-02), and no Client object mixes
 * direct and consent scopes (R3-01-4.11-22, applied everywhere by A-46).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { check, CONSENT, HTTP, METADATA, show, strings, type CheckOptions } from './kit.js'
import { aggregationActiveRule, aggregationPendingRule, aggregationSettledRule, billAmountDueRule, parentGrantRule, subGrantShapeRule, subGrantsApprovedRule } from './scenario-flows.js'
import {
  aggregationNumbersRule,
  authorizedAggregationsRule,
  choicesRule,
  fieldsRule,
  grantRule,
  groupedServicePointsRule,
  historyRule,
  infiniteRule,
  needsRule,
  programsRule,
  registrationRule,
  scopesRule,
  under,
  usageNeedsAggregationsRule,
} from './scenario-rules.js'
import { cdScopes } from './kit.js'
import type { Run } from './scope-rules.js'

const Q = {
  accounts: 'cds_query_accounts',
  contracts: 'cds_query_service_contracts',
  points: 'cds_query_service_points',
  meters: 'cds_query_meter_devices',
  statements: 'cds_query_bill_statements',
  sections: 'cds_query_bill_sections',
  aggregations: 'cds_query_aggregations',
  usage: 'cds_query_usage',
} as const

const VERIFIED = needsRule('needs a Client object the server has verified as the test customer, a step outside any black-box interface')
const SYNC = needsRule("needs a change of the customer's data on the server, which no black-box interface offers")

/** One row: the ID's last number, what is checked, the rule, its needs. */
type Row = [number, string, Run, CheckOptions?]

const http: CheckOptions = { needs: HTTP }
const consent: CheckOptions = { needs: CONSENT }

// The rows §4.3 repeats (all the checks of §4.1 and §4.2 the metadata and requests settle).
const USAGE_SELF_ACCESS_FIELDS = ['account_numbers', 'contract_numbers', 'servicepoint_numbers', 'premise_numbers', 'meter_numbers', 'include_accounts', 'include_account_numbers', 'include_account_details', 'include_service_contracts', 'include_contract_numbers', 'include_rate_plans', 'include_service_contract_details', 'include_service_points', 'include_premises', 'include_service_point_addresses', 'include_coordinates', 'include_meter_devices', 'include_meter_numbers', 'include_meter_apps', 'error_if_no_preselections']
const ACCOUNTS_CONTRACTS_FIELDS = ['account_numbers', 'contract_numbers', 'include_accounts', 'include_account_numbers', 'include_account_details', 'include_service_contracts', 'include_contract_numbers', 'include_rate_plans', 'include_service_contract_details', 'error_if_no_preselections']
const USAGE_SELF: Row[] = [
  [1, 'the five query scopes of self-access usage are offered', scopesRule([Q.accounts, Q.contracts, Q.points, Q.meters, Q.usage])],
  [5, 'the Accounts, Service Contracts, Service Points and Meter Devices Query scopes offer the §4.1 fields', fieldsRule([Q.accounts, Q.contracts, Q.points, Q.meters], USAGE_SELF_ACCESS_FIELDS)],
  [6, 'the Usage Query offers meter_numbers, include_meter_devices, include_meter_numbers and error_if_no_preselections', fieldsRule([Q.usage], ['meter_numbers', 'include_meter_devices', 'include_meter_numbers', 'error_if_no_preselections'])],
  [7, 'segment_start reaches back at least a year', historyRule([Q.usage], 'segment_start', 'P1Y'), http],
  [8, 'segment_end has no upper limit', infiniteRule([Q.usage], 'segment_end')],
  [9, 'sync_until has no upper limit on the five scopes', infiniteRule([Q.accounts, Q.contracts, Q.points, Q.meters, Q.usage], 'sync_until')],
]
const BILLING_SELF: Row[] = [
  [1, 'the four query scopes of self-access billing are offered', scopesRule([Q.accounts, Q.contracts, Q.statements, Q.sections])],
  [2, 'the scopes list the steps that verify the Client is the customer', registrationRule([Q.accounts, Q.contracts, Q.statements, Q.sections])],
  [6, 'the Accounts and Service Contracts Query scopes offer the §4.2 fields', fieldsRule([Q.accounts, Q.contracts], ACCOUNTS_CONTRACTS_FIELDS)],
  [7, 'the Bill Statements Query offers the §4.2 fields', fieldsRule([Q.statements], ['account_numbers', 'include_accounts', 'include_account_numbers', 'include_bill_statement_files', 'include_bill_statement_charges', 'include_bill_statement_programs', 'error_if_no_preselections'])],
  [8, 'the Bill Sections Query offers the §4.2 fields', fieldsRule([Q.sections], ['account_numbers', 'contract_numbers', 'include_accounts', 'include_account_numbers', 'include_service_contracts', 'include_contract_numbers', 'include_bill_section_line_items'])],
  [9, 'statement_date_start reaches back at least a year', historyRule([Q.statements], 'statement_date_start', 'P1Y'), http],
  [10, 'statement_date_end has no upper limit', infiniteRule([Q.statements], 'statement_date_end')],
  [11, 'start_date reaches back at least a year', historyRule([Q.sections], 'start_date', 'P1Y'), http],
  [12, 'end_date has no upper limit', infiniteRule([Q.sections], 'end_date')],
  [13, 'sync_until has no upper limit on the four scopes', infiniteRule([Q.accounts, Q.contracts, Q.statements, Q.sections], 'sync_until')],
]

/** All the rules of rows, one after the other. */
function all(rows: readonly Row[]): Run {
  return async (ctx: CheckContext) => {
    for (const [, , run] of rows) await run(ctx)
  }
}

const preProduction = (types: readonly string[]): Run => registrationRule(types)

const SCENARIOS: [string, Row[]][] = [
  [
    '4.1',
    [
      ...USAGE_SELF.slice(0, 1),
      [3, "a Client verified as the customer reaches the customer's Accounts and Service Contracts", VERIFIED],
      [4, "a Client verified as the customer reaches the customer's Service Points, Meter Devices and Usage Segments", VERIFIED],
      ...USAGE_SELF.slice(1),
      [10, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.2',
    [
      ...BILLING_SELF.slice(0, 2),
      [3, "a Client verified as the customer reaches the customer's Accounts and Service Contracts", VERIFIED],
      [4, "a Client verified as the customer reaches the customer's Bill Statements and Bill Sections", VERIFIED],
      [5, "the Client's objects follow the customer's changes", SYNC],
      ...BILLING_SELF.slice(2),
      [14, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.3',
    [
      [1, 'the §4.1 Usage Self-Access requirements the metadata settles hold', all(USAGE_SELF), http],
      [2, 'the §4.2 Billing Self-Access requirements the metadata settles hold', all(BILLING_SELF), http],
      [3, 'the Bill Sections Query also offers include_service_points and include_meter_devices', fieldsRule([Q.sections], ['include_service_points', 'include_meter_devices'])],
      [4, 'the Usage Query also offers include_bill_sections', fieldsRule([Q.usage], ['include_bill_sections'])],
    ],
  ],
  [
    '4.4',
    [
      [1, 'Service List, Meter List and Meter Usage are offered', scopesRule(['cds_service_contracts', 'cds_meters', 'cds_usage'])],
      [3, 'Service List offers the §4.4 fields', fieldsRule(['cds_service_contracts'], ['account_numbers', 'meter_numbers', 'addresses', 'include_account_numbers', 'include_rate_plans', 'include_service_contract_details', 'include_service_points', 'include_premises', 'include_service_point_addresses', 'include_coordinates', 'include_meter_devices'])],
      [4, 'Meter List offers the §4.4 fields', fieldsRule(['cds_meters'], ['account_numbers', 'contract_numbers', 'service_types', 'servicepoint_numbers', 'servicepoint_types', 'premise_numbers', 'addresses', 'include_accounts', 'include_account_numbers', 'include_service_contracts', 'include_contract_numbers', 'include_rate_plans', 'include_service_contract_details', 'include_service_points', 'include_premises', 'include_service_point_addresses', 'include_coordinates'])],
      [5, 'Meter Usage offers the §4.4 fields', fieldsRule(['cds_usage'], ['account_numbers', 'contract_numbers', 'service_types', 'servicepoint_numbers', 'servicepoint_types', 'premise_numbers', 'meter_numbers', 'addresses'])],
      [6, 'Meter List and Meter Usage offer the Service Contract Selection', choicesRule(['cds_meters', 'cds_usage'], 'authorization_form_selection_type', ['service_contract_selection'])],
      [7, 'segment_start reaches back at least three years', historyRule(['cds_usage'], 'segment_start', 'P3Y'), http],
      [8, 'segment_end has no upper limit', infiniteRule(['cds_usage'], 'segment_end')],
      [9, 'sync_until has no upper limit on the three scopes', infiniteRule(['cds_service_contracts', 'cds_meters', 'cds_usage'], 'sync_until')],
      [10, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.5',
    [
      [1, 'Rate Plan is offered', scopesRule(['cds_rate_plan'])],
      [2, 'Rate Plan lists its steps before production', preProduction(['cds_rate_plan'])],
      [3, 'Rate Plan offers the §4.5 fields', fieldsRule(['cds_rate_plan'], ['account_numbers', 'meter_numbers', 'addresses', 'include_accounts', 'include_account_numbers', 'include_service_contract_details', 'include_meter_devices', 'include_meter_numbers'])],
      [4, 'sync_until has no upper limit', infiniteRule(['cds_rate_plan'], 'sync_until')],
      [5, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.6',
    [
      [1, 'a program scope is offered', scopesRule(['cds_account_programs', 'cds_service_programs'], true)],
      [2, 'the program scopes list their steps before production', async (ctx: CheckContext) => registrationRule((await offered(ctx, ['cds_account_programs', 'cds_service_programs'])))(ctx)],
      [3, 'the program scopes offer the §4.6 fields', async (ctx: CheckContext) => fieldsRule(await offered(ctx, ['cds_account_programs', 'cds_service_programs']), ['account_numbers', 'meter_numbers', 'addresses', 'include_accounts', 'include_account_numbers', 'include_service_contracts', 'include_contract_numbers', 'include_rate_plans', 'include_service_contract_details', 'include_meter_devices', 'include_meter_numbers'])(ctx)],
      [4, 'account_programs lists the Account Programs as Choices', programsRule('cds_account_programs', 'account_programs')],
      [5, 'service_programs lists the Service Programs as Choices', programsRule('cds_service_programs', 'service_programs')],
      [6, 'sync_until has no upper limit', async (ctx: CheckContext) => infiniteRule(await offered(ctx, ['cds_account_programs', 'cds_service_programs']), 'sync_until')(ctx)],
      [7, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.7',
    [
      [1, 'Bill Statements is offered', scopesRule(['cds_bill_statements'])],
      [2, 'Bill Statements lists its steps before production', preProduction(['cds_bill_statements'])],
      [3, 'Bill Statements offers addresses', fieldsRule(['cds_bill_statements'], ['addresses'])],
      [4, "the Grant's statement_date_start is the last statement date, whatever the request asked", billAmountDueRule(), consent],
      [5, 'statement_date_end has no upper limit', infiniteRule(['cds_bill_statements'], 'statement_date_end')],
      [6, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.8',
    [
      [1, 'Bill Statements is offered', scopesRule(['cds_bill_statements'])],
      [2, 'Bill Statements lists its steps before production', preProduction(['cds_bill_statements'])],
      [3, 'Bill Statements offers addresses, include_bill_statement_files and include_bill_statement_charges', fieldsRule(['cds_bill_statements'], ['addresses', 'include_bill_statement_files', 'include_bill_statement_charges'])],
      [4, 'statement_date_start reaches back at least three years', historyRule(['cds_bill_statements'], 'statement_date_start', 'P3Y'), http],
      [5, 'statement_date_end has no upper limit', infiniteRule(['cds_bill_statements'], 'statement_date_end')],
      [6, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.9',
    [
      [1, 'Service Bills is offered', scopesRule(['cds_service_bills'])],
      [2, 'Service Bills lists its steps before production', preProduction(['cds_service_bills'])],
      [3, 'Service Bills offers account_numbers, meter_numbers, addresses and include_bill_section_line_items', fieldsRule(['cds_service_bills'], ['account_numbers', 'meter_numbers', 'addresses', 'include_bill_section_line_items'])],
      [4, 'start_date reaches back at least three years', historyRule(['cds_service_bills'], 'start_date', 'P3Y'), http],
      [5, 'end_date has no upper limit', infiniteRule(['cds_service_bills'], 'end_date')],
      [6, "the Grant's objects follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.10',
    [
      [1, 'Meter List is offered', scopesRule(['cds_meters'])],
      [2, 'Meter List lists its steps before production', preProduction(['cds_meters'])],
      [3, 'Meter List offers meter_apps, addresses and include_meter_apps', fieldsRule(['cds_meters'], ['meter_apps', 'addresses', 'include_meter_apps'])],
      [4, "the Grant's Meter Devices follow the customer's changes", SYNC],
    ],
  ],
  [
    '4.11',
    [
      [1, 'Aggregations Query, Usage Query and Aggregation Inclusion are offered', scopesRule([Q.aggregations, Q.usage, 'cds_aggregation_consent'])],
      [2, 'Aggregations Query and Usage Query offer client_credentials', grantRule([Q.aggregations, Q.usage], 'client_credentials')],
      [3, 'the scopes list their steps before production', preProduction([Q.aggregations, Q.usage, 'cds_aggregation_consent'])],
      [4, 'Aggregations with an aggregation_number are listed', aggregationNumbersRule(), http],
      [5, 'an Aggregation lists the Service Points it groups', groupedServicePointsRule(), http],
      [6, 'the Aggregations Query offers the §4.11 fields', fieldsRule([Q.aggregations], ['servicepoint_numbers', 'aggregation_numbers', 'addresses', 'include_service_points', 'include_premises', 'include_service_point_addresses', 'include_aggregation_addresses'])],
      [7, 'the Usage Query offers aggregation_numbers, include_aggregations and include_aggregation_addresses', fieldsRule([Q.usage], ['aggregation_numbers', 'include_aggregations', 'include_aggregation_addresses'])],
      [8, 'a token limited to one Aggregation lists only it', authorizedAggregationsRule(), http],
      [10, 'a Usage Query token request without aggregation_numbers is refused', usageNeedsAggregationsRule(), http],
      [11, 'the Aggregation Grant starts pending (or goes straight to its outcome)', aggregationPendingRule(), http],
      [13, 'without a needed consent the Grant is active and the usage is listed', aggregationActiveRule(), http],
      [14, 'each needed consent has its sub-Grant for Aggregation Inclusion', subGrantShapeRule(), http],
      [16, 'the parent lists its sub-Grants and enables nothing meanwhile', parentGrantRule(), http],
      [19, 'the parent becomes active once its sub-Grants are authorized', subGrantsApprovedRule(), http],
      [21, 'the Grant leaves pending when the work is done', aggregationSettledRule(), http],
    ],
  ],
  [
    '4.12',
    [
      [1, 'Aggregations Query and Usage Query are offered', scopesRule([Q.aggregations, Q.usage])],
      [2, 'both offer client_credentials', grantRule([Q.aggregations, Q.usage], 'client_credentials')],
      [3, 'the scopes list their steps before production', preProduction([Q.aggregations, Q.usage])],
      [4, 'Aggregations with an aggregation_number are listed', aggregationNumbersRule(), http],
      [5, 'the Aggregations Query offers aggregation_numbers', fieldsRule([Q.aggregations], ['aggregation_numbers'])],
      [6, 'the Usage Query offers aggregation_numbers and include_aggregations', fieldsRule([Q.usage], ['aggregation_numbers', 'include_aggregations'])],
      [7, 'a token limited to one Aggregation lists only it', authorizedAggregationsRule(), http],
      [8, 'a Usage Query token request without aggregation_numbers is refused', usageNeedsAggregationsRule(), http],
      [10, 'the Grant leaves pending when the work is done', aggregationSettledRule(), http],
    ],
  ],
]

/** The offered scope types among `types` (the §4.6 program scopes: one of the two suffices). */
async function offered(ctx: CheckContext, types: readonly string[]): Promise<string[]> {
  const present = new Set((await cdScopes(ctx)).map((s) => s.type))
  return types.filter((t) => present.has(t))
}

/** Keys that name a Scenario anywhere in a JSON value. */
function scenarioKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => scenarioKeys(item, `${path}[${i}]`))
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value as Json).flatMap(([key, item]) => [...(/scenario/i.test(key) ? [`${path}/${key}`] : []), ...scenarioKeys(item, `${path}/${key}`)])
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The checks of §4. */
export const scenarioChecks: readonly Check[] = [
  check('R3-01-4-02', '4', 'no Scenario appears in the server metadata or the Authorization Server Metadata', async (ctx: CheckContext) => {
    const found = [...scenarioKeys(await ctx.serverMetadata(), 'cds-server-metadata'), ...scenarioKeys(await ctx.oauthMetadata(), 'oauth_metadata')]
    ctx.assert(found.length === 0, `the metadata names Scenarios at ${found.slice(0, 5).join(', ')}`)
  }),
  ...SCENARIOS.flatMap(([section, rows]) =>
    rows.map(([n, what, run, options]) => check(`R3-01-${section}-${pad(n)}`, section, `§${section} Scenario: ${what}`, under([section, ...(section === '4.1' || section === '4.2' ? ['4.3'] : [])], run), options ?? { needs: METADATA })),
  ),
  check(
    'R3-01-4.11-22',
    '4.11',
    'no Client object holds both a direct scope and a consent scope',
    async (ctx: CheckContext) => {
      const scopes = await cdScopes(ctx)
      const consent = new Set(scopes.filter((s) => s.consent).map((s) => s.id))
      const direct = new Set(scopes.filter((s) => !s.consent).map((s) => s.id))
      const registration = await ctx.registration()
      for (const client of registration.clients) {
        const held = strings(typeof client.scope === 'string' ? client.scope.split(' ') : [])
        const mixed = held.some((s) => consent.has(s)) && held.some((s) => direct.has(s))
        ctx.assert(!mixed, `the Client object ${String(client.client_id)} holds ${show(client.scope)}, consent and direct scopes together`)
      }
      // A request to put both kinds on one object (CDS-WG1-02 §5.5) is refused or not carried out.
      const [oneConsent] = consent
      const [oneDirect] = direct
      if (oneConsent === undefined || oneDirect === undefined || (ctx.options.client !== undefined && ctx.options.allowRegistration === false)) return
      const own = await ctx.freshRegistration(`cds_client_admin ${oneConsent}`)
      const target = own.clients.find((c) => strings(typeof c.scope === 'string' ? c.scope.split(' ') : []).includes(oneConsent))
      if (target === undefined) return
      const token = await ctx.clientToken(own.admin, 'cds_client_admin')
      const put = await ctx.request({ method: 'PUT', url: String(target.cds_client_uri), bearer: token, json: { ...target, scope: `${String(target.scope)} ${oneDirect}` } })
      if (put.status >= 200 && put.status < 300) {
        const after = await ctx.request({ url: String(target.cds_client_uri), bearer: token })
        const held = typeof after.json<Json>().scope === 'string' ? String(after.json<Json>().scope).split(' ') : []
        ctx.assert(!held.includes(oneDirect), `a PUT gave the consent Client object ${String(target.client_id)} the direct scope ${oneDirect}: ${show(held)}`)
      }
    },
    { needs: HTTP },
  ),
]
