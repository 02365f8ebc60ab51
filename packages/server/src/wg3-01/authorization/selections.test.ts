import { checkAuthorizationParameters, manualClock, type AuthorizationParameters, type ClientRecord } from '@cds-ts/auth'
import { describe, expect, it } from 'vitest'
import { client } from '../../../test/records.js'
import { defaultConfig } from '../../config/defaults.js'
import { DEMO_CUSTOMERS, demoDirectory } from '../../customers/demo-customers.js'
import { translator } from '../../pages/i18n.js'
import { authorizationSettings } from '../../wg1-02/oauth/par.js'
import { buildFormModel, purposeOf } from './form-model.js'
import { grantSelections, initialState, modificationsOf, parseFormState, toggleAll, unselectedSections } from './selections.js'

const BASE = 'https://utility.example.com'
const config = defaultConfig(BASE)
const clock = manualClock('2026-01-15T12:00:00Z')
const SCOPES = ['cds_accounts', 'cds_service_contracts', 'cds_meters', 'cds_aggregation_consent']
const consent: ClientRecord = client({
  client_name: 'Acme Energy Auditors',
  scope: SCOPES.join(' '),
  authorization_details_types: SCOPES,
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: ['https://app.example/cb'],
  cds_purposes: {
    'P-AUD': { id: 'P-AUD', name: 'Audit', content: 'To calculate a score.', related_uri: 'https://auditors.example/terms', related_name: 'Terms', scopes_supported: SCOPES },
  },
  purpose_origins: { 'P-AUD': 'client' },
})
const resources = demoDirectory(DEMO_CUSTOMERS[0] ?? (undefined as never)).map((row) => ({ ...row, created: new Date('2026-01-01T00:00:00Z') }))

function model(parameters: AuthorizationParameters) {
  const all = { response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ...parameters }
  const checked = checkAuthorizationParameters(all, consent, authorizationSettings(config), clock)
  return buildFormModel({ checked, parameters: all, resources, config, ctx: { t: translator('en'), now: clock.now(), timezone: 'UTC' } })
}

const details = (entries: Record<string, unknown>[]) => JSON.stringify(entries)

describe('CDS-WG3-01 §9.2 the form’s model and the customer’s choices', () => {
  const form = model({
    scope: 'cds_accounts cds_service_contracts',
    authorization_details: details([
      { type: 'cds_accounts', account_numbers: ['1111-1', '_include_future'], include_account_details: true },
      { type: 'cds_service_contracts', contract_numbers: ['_all'], allow_scope_modifications: false },
    ]),
  })

  it('R3-01-9.2.1.4-01 one section per scope with its Selection and preselection (§7.1), editable per A-29', () => {
    expect(form.sections.map((s) => [s.index, s.scopes.map((m) => m.scope.id), s.selection?.resource_type, s.editable])).toEqual([
      [0, ['cds_accounts'], 'account', true],
      [1, ['cds_service_contracts'], 'service_contract', false],
    ])
    const state = initialState(form)
    expect([...(state.selected.get(0) ?? [])]).toEqual(['1111-1'])
    expect([...(state.selected.get(1) ?? [])]).toEqual(['222222', '333333', '444444'])
    expect([...state.include_future]).toEqual([0])
  })

  it('parses a posted form, keeping to what the model offers', () => {
    const state = parseFormState(
      {
        removed: ['1', '7'],
        'select.0': ['2222-2', '9999-9'],
        'select.1': '333333',
        'keep.0': [],
      },
      form,
    )
    // Section 1 does not allow modifications, so it cannot be removed; 7 does not exist.
    expect([...state.removed]).toEqual([])
    expect([...(state.selected.get(0) ?? [])]).toEqual(['2222-2'])
    expect([...(state.selected.get(1) ?? [])]).toEqual(['333333'])
    // The include-future box was not posted: off.
    expect(state.include_future.has(0)).toBe(false)
    expect([...(state.switched_off.get(0) ?? [])]).toEqual(['cds_accounts:include_account_details'])
    expect(modificationsOf(form, state)).toEqual({ removed_scopes: [], disabled_fields: { cds_accounts: ['include_account_details'] } })
    expect(grantSelections(form, state)).toEqual([
      { scopes: ['cds_accounts'], selection_type: 'account_selection', resource_type: 'account', numbers: ['2222-2'], all: false, include_future: false },
      { scopes: ['cds_service_contracts'], selection_type: 'service_contract_selection', resource_type: 'service_contract', numbers: ['333333'], all: false, include_future: false },
    ])
  })

  it('A-61 finds sections with nothing selected; select all toggles every entry', () => {
    const state = parseFormState({ 'keep.0': 'cds_accounts:include_account_details' }, form)
    expect(unselectedSections(form, state)).toEqual([0, 1])
    expect(modificationsOf(form, state)).toBeUndefined()
    const section = form.sections[0]
    if (section === undefined) throw new Error('no section')
    toggleAll(section, state)
    expect(state.selected.get(0)?.size).toBe(3)
    expect(grantSelections(form, state)[0]).toMatchObject({ all: true })
    toggleAll(section, state)
    expect(state.selected.get(0)?.size).toBe(0)
  })

  it('R3-01-9.2.1.3-02 removed editable sections narrow the request, never the last one', () => {
    const two = model({ scope: 'cds_accounts cds_meters' })
    const state = parseFormState({ removed: '1', 'select.0': '1111-1' }, two)
    expect(modificationsOf(two, state)).toEqual({ removed_scopes: ['cds_meters'], disabled_fields: {} })
    expect(grantSelections(two, state).map((s) => s.scopes)).toEqual([['cds_accounts']])
    expect([...parseFormState({ removed: ['0', '1'] }, two).removed]).toEqual([])
  })

  it('§9.2.3.5 Aggregation Inclusion is a fixed list of the preselected aggregations', () => {
    const ai = model({ scope: 'cds_aggregation_consent', authorization_details: details([{ type: 'cds_aggregation_consent', aggregation_numbers: ['B2222'], premise_numbers: ['PREM-2'] }]) })
    const selection = ai.sections[0]?.selection
    expect(selection).toMatchObject({ read_only: true, include_future_text: null })
    expect(selection?.entries.map((e) => e.number)).toEqual(['B2222'])
    // A posted form cannot change it.
    expect([...(parseFormState({ 'select.0': [] }, ai).selected.get(0) ?? [])]).toEqual(['B2222'])
  })

  it('§9.2.2.4 A-36 the Purpose: the Client’s own is attributed to it, the server’s default is not', () => {
    expect(purposeOf('P-AUD', consent, config)).toEqual({ content: 'To calculate a score.', client_authored: true, related_uri: 'https://auditors.example/terms', related_name: 'Terms' })
    expect(purposeOf('default-01', consent, config)).toMatchObject({ client_authored: false })
    expect(purposeOf(null, consent, config)).toBeNull()
    expect(purposeOf('nope', consent, config)).toBeNull()
    const withPurpose = model({ scope: 'cds_meters', authorization_details: details([{ type: 'cds_meters', purpose: 'P-AUD' }]) })
    expect(withPurpose.sections[0]?.purpose?.client_authored).toBe(true)
  })
})
