/**
 * CDS-WG3-01 §6.1.1–§6.1.10 and §6.2.1–§6.2.8: one check per requirement ID, generated from a
 * table that binds each ID of a scope section to a rule of `scope-rules.ts` (metadata and
 * requests) or `scope-data.ts` (what the data shows). The rules take the scope type; its fixed
 * lists come from `CUSTOMER_DATA_SCOPE_PROFILES` of `@cds-ts/schema`.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { Basis } from './consents.js'
import { CONSENT, HTTP, check, METADATA, profileOf, type CheckOptions } from './kit.js'
import { impliedRule, includesRule, keptProgramsRule, noPreselectionRule, selectedProgramsRule, selectedRule, windowRule } from './scope-data.js'
import {
  conditionalFieldsRule,
  defaultRule,
  forbiddenFieldsRule,
  grantTypesRule,
  noClientCredentialsRule,
  rejectedValueRule,
  requiredFieldsRule,
  responseTypesRule,
  selectionFieldsRule,
  selectionRule,
  typeRule,
  usageSelectionRule,
  type Run,
} from './scope-rules.js'

/** One row: the ID's last number, what is checked (own words), the rule, its needs. */
type Row = [number, string, Run, CheckOptions?]

const onMetadata: CheckOptions = { needs: METADATA }
const onHttp: CheckOptions = { needs: HTTP }
const onConsent: CheckOptions = { needs: CONSENT }

/** The rows every consent scope section starts with (§6.1.x -01 to -07; §6.1.9 and §6.1.10 stop at -06 or -05). */
function consentHead(type: string, withForbidden: boolean, withConditional: boolean): Row[] {
  const rows: Row[] = [
    [1, 'its Scope Description carries this type', typeRule(type), onMetadata],
    [2, 'it lists the code response type', responseTypesRule(type), onMetadata],
    [3, 'it lists the authorization_code and refresh_token grants', grantTypesRule(type), onMetadata],
    [4, 'it does not offer client_credentials, and a client_credentials request for it is refused', noClientCredentialsRule(type), onHttp],
    [5, 'it offers every field the section requires', requiredFieldsRule(type), onMetadata],
  ]
  if (withConditional) rows.push([6, 'it offers the fields required when the server has the data', conditionalFieldsRule(type), onMetadata])
  if (withForbidden) rows.push([7, 'it offers none of the forbidden fields, and a request naming one is refused', forbiddenFieldsRule(type), onHttp])
  return rows
}

const implied = (type: string): string => `with every include field off it still shows ${profileOf(type).impliedTrueFields.join(', ')} data`
const selected = 'a Selection makes exactly the selected objects and those derived from them available'
const includes = 'each include field adds its data when true and nothing when false'
const noPre = 'the token response and the Grant hold no Preselection Field'

/** The rows of each consent scope section. */
const CONSENT_SECTIONS: [string, string, Row[]][] = [
  [
    '6.1.1',
    'cds_rate_plan',
    [
      ...consentHead('cds_rate_plan', true, true),
      [8, 'its only Selection is the Service Contract Selection', selectionRule('cds_rate_plan', ['service_contract_selection'], true), onMetadata],
      [9, implied('cds_rate_plan'), impliedRule('cds_rate_plan'), onConsent],
      [10, selected, selectedRule('cds_rate_plan', ['contract']), onConsent],
      [11, includes, includesRule('cds_rate_plan'), onConsent],
      [12, noPre, noPreselectionRule('cds_rate_plan'), onConsent],
    ],
  ],
  [
    '6.1.2',
    'cds_account_programs',
    [
      ...consentHead('cds_account_programs', true, true),
      [8, 'its only Selection is the Account Selection', selectionRule('cds_account_programs', ['account_selection'], true), onMetadata],
      [9, 'a request whose account_programs is null is refused with invalid_authorization_details', rejectedValueRule('cds_account_programs', 'account_programs', null), onHttp],
      [11, implied('cds_account_programs'), impliedRule('cds_account_programs'), onConsent],
      [12, 'the Accounts the customer selected are available', selectedProgramsRule('cds_account_programs', 'accounts'), onConsent],
      [13, includes, includesRule('cds_account_programs'), onConsent],
      [14, 'the token response and the Grant keep the requested account_programs', keptProgramsRule('cds_account_programs', 'account_programs'), onConsent],
      [15, 'apart from account_programs, the token response and the Grant hold no Preselection Field', noPreselectionRule('cds_account_programs'), onConsent],
    ],
  ],
  [
    '6.1.3',
    'cds_service_programs',
    [
      ...consentHead('cds_service_programs', true, true),
      [8, 'its only Selection is the Service Contract Selection', selectionRule('cds_service_programs', ['service_contract_selection'], true), onMetadata],
      [9, 'a request whose service_programs is null is refused with invalid_authorization_details', rejectedValueRule('cds_service_programs', 'service_programs', null), onHttp],
      [11, implied('cds_service_programs'), impliedRule('cds_service_programs'), onConsent],
      [12, 'the Service Contracts the customer selected are available', selectedProgramsRule('cds_service_programs', 'service_contracts'), onConsent],
      [13, includes, includesRule('cds_service_programs'), onConsent],
      [14, 'the token response and the Grant keep the requested service_programs', keptProgramsRule('cds_service_programs', 'service_programs'), onConsent],
      [15, 'apart from service_programs, the token response and the Grant hold no Preselection Field', noPreselectionRule('cds_service_programs'), onConsent],
    ],
  ],
  [
    '6.1.4',
    'cds_accounts',
    [
      ...consentHead('cds_accounts', true, true),
      [8, 'its only Selection is the Account Selection', selectionRule('cds_accounts', ['account_selection'], true), onMetadata],
      [9, implied('cds_accounts'), impliedRule('cds_accounts'), onConsent],
      [10, selected, selectedRule('cds_accounts', ['account']), onConsent],
      [11, includes, includesRule('cds_accounts'), onConsent],
      [12, noPre, noPreselectionRule('cds_accounts'), onConsent],
    ],
  ],
  [
    '6.1.5',
    'cds_service_contracts',
    [
      ...consentHead('cds_service_contracts', true, true),
      [8, 'its Selections include the Service Contract Selection', selectionRule('cds_service_contracts', ['service_contract_selection'], false), onMetadata],
      [10, implied('cds_service_contracts'), impliedRule('cds_service_contracts'), onConsent],
      [11, `${selected} (by contract, and by account when offered)`, selectedRule('cds_service_contracts', ['contract', 'account']), onConsent],
      [12, includes, includesRule('cds_service_contracts'), onConsent],
      [13, noPre, noPreselectionRule('cds_service_contracts'), onConsent],
    ],
  ],
  [
    '6.1.6',
    'cds_meters',
    [
      ...consentHead('cds_meters', true, true),
      [8, 'its Selections include the Meter Device Selection', selectionRule('cds_meters', ['meter_device_selection'], false), onMetadata],
      [10, implied('cds_meters'), impliedRule('cds_meters'), onConsent],
      [12, 'a Meter Device Selection makes exactly the selected meters available', selectedRule('cds_meters', ['meter']), onConsent],
      [13, 'an Account Selection makes the meters currently linked to the selected Accounts available', selectedRule('cds_meters', ['account']), onConsent],
      [14, 'a Service Contract Selection makes the meters currently linked to the selected contracts available', selectedRule('cds_meters', ['contract']), onConsent],
      [15, 'a Service Point Selection makes the meters currently at the selected Service Points available', selectedRule('cds_meters', ['servicepoint']), onConsent],
      [16, includes, includesRule('cds_meters'), onConsent],
      [17, noPre, noPreselectionRule('cds_meters'), onConsent],
    ],
  ],
  [
    '6.1.7',
    'cds_bill_statements',
    [
      ...consentHead('cds_bill_statements', true, true),
      [8, 'its only Selection is the Account Selection', selectionRule('cds_bill_statements', ['account_selection'], true), onMetadata],
      [9, implied('cds_bill_statements'), impliedRule('cds_bill_statements'), onConsent],
      [10, 'the Bill Statements of the selected Accounts are available', selectedRule('cds_bill_statements', ['account']), onConsent],
      [11, includes, includesRule('cds_bill_statements'), onConsent],
      [12, 'no Bill Statement dated before the Grant statement_date_start is listed', windowRule('cds_bill_statements', 'bill_statements', 'statement_date', 'statement_date_start'), onConsent],
      [13, noPre, noPreselectionRule('cds_bill_statements'), onConsent],
    ],
  ],
  [
    '6.1.8',
    'cds_service_bills',
    [
      ...consentHead('cds_service_bills', true, true),
      [8, 'its Selections include the Service Contract and Account Selections', selectionRule('cds_service_bills', ['service_contract_selection', 'account_selection'], false), onMetadata],
      [9, implied('cds_service_bills'), impliedRule('cds_service_bills'), onConsent],
      [10, 'an Account Selection makes the Bill Sections and contracts of the selected Accounts available', selectedRule('cds_service_bills', ['account']), onConsent],
      [11, 'a Service Contract Selection makes its Account and the Bill Sections of the selected contracts available', selectedRule('cds_service_bills', ['contract']), onConsent],
      [12, includes, includesRule('cds_service_bills'), onConsent],
      [13, 'no Bill Section starting before the Grant start_date is listed', windowRule('cds_service_bills', 'bill_sections', 'start_date', 'start_date'), onConsent],
      [14, noPre, noPreselectionRule('cds_service_bills'), onConsent],
    ],
  ],
  [
    '6.1.9',
    'cds_usage',
    [
      ...consentHead('cds_usage', false, true),
      [7, 'it offers at least one Selection, each one of the five §6.1.9 allows', usageSelectionRule('cds_usage'), onMetadata],
      ...(['account_selection', 'service_contract_selection', 'servicepoint_selection', 'meter_device_selection', 'aggregation_selection'] as const).map(
        (selection, i): Row => [8 + i, `offering the ${selection} brings the fields it needs`, selectionFieldsRule('cds_usage', selection), onMetadata],
      ),
      [13, implied('cds_usage'), impliedRule('cds_usage'), onConsent],
      ...(['account', 'contract', 'servicepoint', 'meter', 'aggregation'] as const).map(
        (basis: Basis, i): Row => [14 + i, `a ${basis} Selection makes the Usage Segments related to the selected object available`, selectedRule('cds_usage', [basis]), onConsent],
      ),
      [19, includes, includesRule('cds_usage'), onConsent],
      [20, 'no Usage Segment starting before the Grant segment_start is listed', windowRule('cds_usage', 'usage_segments', 'segment_start', 'segment_start'), onConsent],
      [21, noPre, noPreselectionRule('cds_usage'), onConsent],
    ],
  ],
  [
    '6.1.10',
    'cds_aggregation_consent',
    [
      ...consentHead('cds_aggregation_consent', false, false),
      [6, 'its only Selection is the Aggregation Selection', selectionRule('cds_aggregation_consent', ['aggregation_selection'], true), onMetadata],
      [7, 'error_if_no_preselections defaults to true', defaultRule('cds_aggregation_consent', 'error_if_no_preselections', true), onMetadata],
      [8, 'allow_scope_modifications defaults to false', defaultRule('cds_aggregation_consent', 'allow_scope_modifications', false), onMetadata],
      [9, 'a request whose aggregation_numbers is null is refused', rejectedValueRule('cds_aggregation_consent', 'aggregation_numbers', null), onHttp],
      [10, 'a request whose premise_numbers is null is refused', rejectedValueRule('cds_aggregation_consent', 'premise_numbers', null), onHttp],
      [11, 'a request with error_if_no_preselections false is refused', rejectedValueRule('cds_aggregation_consent', 'error_if_no_preselections', false), onHttp],
      [12, 'a request with allow_scope_modifications true is refused', rejectedValueRule('cds_aggregation_consent', 'allow_scope_modifications', true), onHttp],
    ],
  ],
]

/** The rows of each direct scope section (§6.2.1–§6.2.8). */
const DIRECT_SECTIONS: [string, string][] = [
  ['6.2.1', 'cds_query_accounts'],
  ['6.2.2', 'cds_query_service_contracts'],
  ['6.2.3', 'cds_query_service_points'],
  ['6.2.4', 'cds_query_meter_devices'],
  ['6.2.5', 'cds_query_bill_statements'],
  ['6.2.6', 'cds_query_bill_sections'],
  ['6.2.7', 'cds_query_aggregations'],
  ['6.2.8', 'cds_query_usage'],
]

function directRows(type: string): Row[] {
  return [
    [1, 'its Scope Description carries this type', typeRule(type), onMetadata],
    [2, 'it lists no response type', responseTypesRule(type), onMetadata],
    [3, `it offers ${profileOf(type).requiredFields.join(', ')}`, requiredFieldsRule(type), onMetadata],
    [4, `a client_credentials token with every include field off still shows ${profileOf(type).impliedTrueFields.join(', ')} data`, impliedRule(type), onHttp],
  ]
}

const pad = (n: number) => String(n).padStart(2, '0')

function rowsToChecks(section: string, type: string, rows: Row[]): Check[] {
  const title = profileOf(type).title
  return rows.map(([n, what, run, options]) => check(`R3-01-${section}-${pad(n)}`, section, `${title} (${type}): ${what}`, run, options))
}

/** The checks of §6.1.1–§6.1.10 and §6.2.1–§6.2.8. */
export const scopeChecks: readonly Check[] = [
  ...CONSENT_SECTIONS.flatMap(([section, type, rows]) => rowsToChecks(section, type, rows)),
  ...DIRECT_SECTIONS.flatMap(([section, type]) => rowsToChecks(section, type, directRows(type))),
]
