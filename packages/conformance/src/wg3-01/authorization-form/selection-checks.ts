/**
 * CDS-WG3-01 §9.2.3 Authorization Form Selections, one table row per Selection type: the Choice
 * id in the metadata, the entries the customer's list gives (compared with what the Customer Data
 * APIs show of the same customer), selecting one, all and future entries, preselection, the tools
 * of lists over ten entries, the read-only Aggregation Inclusion list, and the manual entry of
 * numbers (only for a server without the customer's list).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { check, kindSurvey } from './check-kit.js'
import { customerTruth, firstLine, typeWords, type CustomerTruth } from './customer-truth.js'
import type { EntryInfo } from './form-snapshot.js'
import { aggregationConsentSurvey, firstNumber, longListSurvey } from './survey-extra.js'
import { SELECTION_KINDS, type SelectionKind } from './survey-forms.js'
import { seen } from './survey-kit.js'

/** The requirement IDs of one Selection type (the number after the section). */
interface KindRow {
  key: SelectionKind['key']
  section: string
  noun: string
  ids: Partial<Record<'choice' | 'render' | 'number' | 'types' | 'account' | 'name' | 'address' | 'one' | 'all' | 'future' | 'presel' | 'allPresel' | 'futurePresel', string>>
  long?: [string, string, string, string]
  manual: string[]
  /** How the Customer Data APIs show this type: list, number, types, address, and the metadata field whose choices name the types. */
  truth?: { list: keyof CustomerTruth; number: string; types?: string; typeField?: string; address?: string; name?: string }
}

const ROWS: readonly KindRow[] = [
  {
    key: 'account',
    section: '§9.2.3.1',
    noun: 'Account',
    ids: { choice: '01', render: '02', number: '03', name: '04', address: '05', one: '07', all: '08', future: '09', presel: '15', allPresel: '16', futurePresel: '17' },
    long: ['10', '11', '12', '13'],
    manual: ['18', '19', '20', '21'],
    truth: { list: 'accounts', number: 'account_number', address: 'account_address', name: 'account_name' },
  },
  {
    key: 'service_contract',
    section: '§9.2.3.2',
    noun: 'Service Contract',
    ids: { choice: '01', render: '02', number: '03', types: '04', account: '05', name: '06', address: '07', one: '09', all: '10', future: '11', presel: '17', allPresel: '18', futurePresel: '19' },
    long: ['12', '13', '14', '15'],
    manual: ['20', '21', '22', '23'],
    truth: { list: 'service_contracts', number: 'contract_number', types: 'service_types', typeField: 'service_types', address: 'contract_address' },
  },
  {
    key: 'servicepoint',
    section: '§9.2.3.3',
    noun: 'Service Point',
    ids: { choice: '01', render: '02', number: '03', types: '04', name: '05', address: '06', one: '08', all: '09', presel: '15', allPresel: '16' },
    manual: ['17', '18'],
    truth: { list: 'service_points', number: 'servicepoint_number', types: 'servicepoint_types', typeField: 'servicepoint_types', address: 'servicepoint_address' },
  },
  {
    key: 'meter_device',
    section: '§9.2.3.4',
    noun: 'Meter Device',
    ids: { choice: '01', render: '02', number: '03', types: '04', name: '05', one: '07', all: '08', presel: '14', allPresel: '15' },
    manual: ['16', '17'],
    truth: { list: 'meter_devices', number: 'meter_number', types: 'meter_types', typeField: 'meter_types' },
  },
  {
    key: 'aggregation',
    section: '§9.2.3.5',
    noun: 'Aggregation',
    ids: { choice: '01', render: '06', number: '07', types: '08', name: '09', address: '10', one: '12', all: '13', presel: '19' },
    manual: ['20', '21'],
    truth: { list: 'aggregations', number: 'aggregation_number', types: 'aggregation_types', address: 'grouped_addresses' },
  },
]

const id = (row: KindRow, n: string) => `R3-01-${row.section.slice(1)}-${n}`
const kindOf = (row: KindRow) => SELECTION_KINDS.find((k) => k.key === row.key) as SelectionKind

/** The entries of a Selection type's form without preselection. */
async function entries(ctx: CheckContext, row: KindRow): Promise<EntryInfo[]> {
  const list = (await kindSurvey(ctx, row.key)).none.requests[0]?.selection?.entries ?? []
  if (list.length === 0) ctx.notApplicable(`the first test customer has no ${row.noun} to list`)
  return list
}

/** The customer's objects of the type, as the Customer Data APIs list them, with the form entry of each. */
async function matched(ctx: CheckContext, row: KindRow): Promise<{ object: Json; entry: EntryInfo }[]> {
  const truth = row.truth
  if (truth === undefined) ctx.notApplicable(`this suite does not read ${row.noun} objects through the Customer Data APIs`)
  const objects = (await customerTruth(ctx))[truth.list]
  if (objects.length === 0) ctx.notApplicable(`the Customer Data APIs show the suite no ${row.noun} of the first test customer, so it cannot tell what the entries must show`)
  const list = await entries(ctx, row)
  return objects.map((object) => {
    const entry = list.find((e) => e.value === String(object[truth.number]))
    if (entry === undefined) ctx.fail(`the form does not list ${row.noun} ${String(object[truth.number])}`)
    return { object, entry }
  })
}

/** The type choices the metadata gives a field (for the plain words of type ids). */
async function choicesOf(ctx: CheckContext, field: string | undefined): Promise<Json[]> {
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  for (const d of Object.values(descriptions)) {
    const f = ((d.authorization_details_fields_supported ?? []) as Json[]).find((x) => x.id === field)
    if (Array.isArray(f?.choices)) return f.choices as Json[]
  }
  return []
}

/** The checks of one Selection type. */
function rowChecks(row: KindRow): Check[] {
  const kind = kindOf(row)
  const out: Check[] = []
  const add = (n: string | undefined, title: string, run: (ctx: CheckContext) => Promise<void>) => {
    if (n !== undefined) out.push(check(id(row, n), row.section, title, run))
  }
  if (row.ids.choice !== undefined)
    out.push(
      check(id(row, row.ids.choice), row.section, `the ${row.noun} Selection’s Choice id is ${kind.choice}, and no Selection has an id of its own`, async (ctx: CheckContext) => {
        const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
        const ids = Object.values(descriptions).flatMap((d) => ((d.authorization_details_fields_supported ?? []) as Json[]).filter((f) => f.id === 'authorization_form_selection_type').flatMap((f) => ((f.choices ?? []) as Json[]).map((c) => String(c.id))))
        const known = SELECTION_KINDS.map((k) => k.choice)
        const unknown = ids.filter((x) => !known.includes(x))
        ctx.assert(unknown.length === 0, `authorization_form_selection_type offers unknown choices: ${unknown.join(', ')}`)
        if (!ids.includes(kind.choice)) ctx.notApplicable(`no scope offers the ${kind.choice} Selection`)
      }, []),
    )
  add(row.ids.render, `the form lists the customer’s ${row.noun}s (the ones the Customer Data APIs show)`, async (ctx: CheckContext) => {
    const list = await entries(ctx, row)
    ctx.assert(new Set(list.map((e) => e.value)).size === list.length, 'the list repeats an entry')
    // Where the Customer Data APIs show the customer's objects of this type, the form lists exactly those.
    if (row.truth === undefined || (await customerTruth(ctx))[row.truth.list].length === 0) return
    const pairs = await matched(ctx, row)
    ctx.assert(pairs.length === list.length, `the form lists ${list.length} ${row.noun}s, the Customer Data APIs ${pairs.length}`)
  })
  add(row.ids.number, `each ${row.noun} entry shows its number`, async (ctx: CheckContext) => {
    for (const e of await entries(ctx, row)) ctx.assert(e.text.includes(e.value), `the entry “${e.text}” does not show its number ${e.value}`)
  })
  add(row.ids.types, `each ${row.noun} entry shows its types in words`, async (ctx: CheckContext) => {
    const truth = row.truth
    if (truth?.types === undefined) ctx.notApplicable(`this suite does not read ${row.noun} types through the Customer Data APIs`)
    const choices = await choicesOf(ctx, truth.typeField)
    for (const { object, entry } of await matched(ctx, row)) {
      const types = (object[truth.types] ?? []) as string[]
      const text = entry.text.toLowerCase()
      ctx.assert(types.length === 0 || types.some((t) => typeWords(t, choices).some((w) => text.includes(w))), `the entry “${entry.text}” names none of its types ${types.join(', ')}`)
    }
  })
  add(row.ids.account, `each ${row.noun} entry shows its account number`, async (ctx: CheckContext) => {
    for (const { object, entry } of await matched(ctx, row)) ctx.assert(typeof object.account_number !== 'string' || entry.text.includes(object.account_number), `the entry “${entry.text}” does not show account ${String(object.account_number)}`)
  })
  add(row.ids.name, `each ${row.noun} entry shows the display name when there is one`, async (ctx: CheckContext) => {
    const field = row.truth?.name
    if (field === undefined) ctx.notApplicable(`the Customer Data APIs give no display name of a ${row.noun}`)
    const named = (await matched(ctx, row)).filter((p) => typeof p.object[field] === 'string')
    if (named.length === 0) ctx.notApplicable(`no ${row.noun} of the first customer has a name`)
    for (const { object, entry } of named) ctx.assert(entry.text.includes(String(object[field])), `the entry “${entry.text}” does not show the name ${String(object[field])}`)
  })
  add(row.ids.address, `each ${row.noun} entry shows its address when there is one`, async (ctx: CheckContext) => {
    const field = row.truth?.address
    if (field === undefined) ctx.notApplicable(`this suite does not read ${row.noun} addresses through the Customer Data APIs`)
    // A list of addresses (an Aggregation's grouped_addresses) needs one of them shown.
    const lines = (value: unknown) => (Array.isArray(value) ? value : [value]).map(firstLine).filter((l): l is string => l !== undefined)
    const placed = (await matched(ctx, row)).filter((p) => lines(p.object[field]).length > 0)
    if (placed.length === 0) ctx.notApplicable(`no ${row.noun} of the first customer has an address`)
    for (const { object, entry } of placed) ctx.assert(lines(object[field]).some((l) => entry.text.includes(l)), `the entry “${entry.text}” shows none of the addresses ${JSON.stringify(object[field])}`)
  })
  add(row.ids.one, `a ${row.noun} entry can be selected and deselected on its own`, async (ctx: CheckContext) => {
    const clicks = seen(ctx, (await kindSurvey(ctx, row.key)).clicks, 'the selection clicks')
    ctx.assert(clicks.individual.on && clicks.individual.off, 'clicking an entry did not select and then deselect it')
  })
  add(row.ids.all, `all ${row.noun} entries can be selected and deselected at once`, async (ctx: CheckContext) => {
    const clicks = seen(ctx, (await kindSurvey(ctx, row.key)).clicks, 'the selection clicks')
    if (clicks.all === null) ctx.fail('the Selection has no select-all control')
    ctx.assert(clicks.all.on && clicks.all.off, 'select all did not select every entry and then none')
  })
  add(row.ids.future, `the include-future-${row.noun}s option can be turned on and off`, async (ctx: CheckContext) => {
    const clicks = seen(ctx, (await kindSurvey(ctx, row.key)).clicks, 'the selection clicks')
    if (clicks.future === null) ctx.fail('the Selection has no include-future option')
    ctx.assert(clicks.future.on && clicks.future.off, 'the include-future option did not turn on and off')
  })
  add(row.ids.presel, `a preselected ${row.noun} number checks that entry and no other`, async (ctx: CheckContext) => {
    const { form, value } = seen(ctx, (await kindSurvey(ctx, row.key)).one, 'the form with one preselection')
    const list = form.requests[0]?.selection?.entries ?? []
    ctx.assert(list.find((e) => e.value === value)?.checked === true, `${value} is not checked`)
    ctx.assert(list.filter((e) => e.checked).length === 1, `${list.filter((e) => e.checked).length} entries are checked`)
  })
  add(row.ids.allPresel, `"_all" checks every ${row.noun} entry`, async (ctx: CheckContext) => {
    const list = seen(ctx, (await kindSurvey(ctx, row.key)).all, 'the form with _all').requests[0]?.selection?.entries ?? []
    ctx.assert(list.length > 0 && list.every((e) => e.checked), 'not every entry is checked')
  })
  add(row.ids.futurePresel, `"_include_future" checks the include-future option`, async (ctx: CheckContext) => {
    const future = seen(ctx, (await kindSurvey(ctx, row.key)).all, 'the form with _include_future').requests[0]?.selection?.future
    ctx.assert(future?.checked === true, 'the include-future option is not checked')
  })
  if (row.long !== undefined) {
    const [search, scroll, counter, hide] = row.long
    const list = async (ctx: CheckContext) => seen(ctx, (await longListSurvey(ctx)).lists.get(row.key), `the list of more than ten ${row.noun}s`)
    out.push(
      check(id(row, search), row.section, `over ten ${row.noun}s: a search box narrows the list (by number)`, async (ctx: CheckContext) => {
        const l = await list(ctx)
        ctx.assert(l.form.requests[0]?.selection?.search === true, 'the list has no search box')
        ctx.assert(l.search.visible.length >= 1 && l.search.visible.length < l.total && l.search.visible.includes(l.search.query), `searching ${l.search.query} left ${l.search.visible.join(', ')}`)
      }),
      check(id(row, scroll), row.section, `over ten ${row.noun}s: the list scrolls in a block of its own`, async (ctx: CheckContext) => {
        const style = (await list(ctx)).form.requests[0]?.selection?.list
        ctx.assert(style !== null && style !== undefined && /auto|scroll/.test(style.overflowY) && style.scrollHeight > style.clientHeight, `the list does not scroll on its own (overflow-y ${String(style?.overflowY)})`)
      }),
      check(id(row, counter), row.section, `over ten ${row.noun}s: a live count of selected entries heads the list`, async (ctx: CheckContext) => {
        const l = await list(ctx)
        const selection = l.form.requests[0]?.selection
        ctx.assert(selection?.counter !== null && selection?.counterFirst === true, 'there is no count of selected entries above the list')
        const before = firstNumber(l.counter.before)
        const after = firstNumber(l.counter.after)
        ctx.assert(before !== undefined && after === before + 1, `the count went from “${String(l.counter.before)}” to “${String(l.counter.after)}” when one entry was checked`)
      }),
      check(id(row, hide), row.section, `over ten ${row.noun}s: unselected entries can be hidden and shown again`, async (ctx: CheckContext) => {
        const { hide: h, total } = await list(ctx)
        ctx.assert(h.visible >= 0, 'the list has no control to hide unselected entries')
        ctx.assert(h.visible === h.selected && h.visible < total && h.shownAgain === total, `hiding showed ${h.visible} of ${total} with ${h.selected} selected, then ${h.shownAgain}`)
      }),
    )
  }
  for (const n of row.manual)
    out.push(
      check(id(row, n), row.section, `without the customer’s list, ${row.noun} numbers are typed in (prefilled from the preselection)`, async (ctx: CheckContext) => {
        const list = (await kindSurvey(ctx, row.key)).none.requests[0]?.selection
        if ((list?.entries.length ?? 0) > 0) ctx.notApplicable(`the server has the customer’s list of ${row.noun}s`)
        ctx.skip(`the form lists no ${row.noun}; this suite does not check the manual entry of numbers yet`)
      }),
    )
  return out
}

/** The own addresses and numbers of the first customer (what an Aggregation Inclusion entry may name). */
async function ownWords(ctx: CheckContext): Promise<string[]> {
  const truth = await customerTruth(ctx)
  return [
    ...truth.accounts.flatMap((a) => [a.account_number, firstLine(a.account_address)]),
    ...truth.service_contracts.flatMap((c) => [c.contract_number, firstLine(c.contract_address)]),
    ...truth.service_points.flatMap((s) => [s.servicepoint_number, firstLine(s.servicepoint_address)]),
    ...truth.meter_devices.map((m) => m.meter_number),
  ].filter((w): w is string => typeof w === 'string' && w !== '')
}

/** The read-only list of the Aggregation Inclusion form. */
async function consentList(ctx: CheckContext) {
  const survey = await aggregationConsentSurvey(ctx)
  const selection = seen(ctx, survey.bounded, 'the Aggregation Inclusion form').requests[0]?.selection
  if (selection === null || selection === undefined) ctx.fail('the Aggregation Inclusion form has no Selection Component')
  return { selection, aggregation: survey.aggregation }
}

/** The checks of CDS-WG3-01 §9.2.3. */
export const selectionChecks: readonly Check[] = [
  ...ROWS.flatMap(rowChecks),
  check('R3-01-9.2.3.5-02', '§9.2.3.5', 'Aggregation Inclusion lists the preselected aggregations without controls', async (ctx: CheckContext) => {
    const { selection } = await consentList(ctx)
    ctx.assert(selection.entries.length === 0 && selection.textInputs === 0 && selection.future === null, 'the Aggregation Inclusion list has checkboxes or inputs')
    ctx.assert(selection.plainItems.length > 0, 'the Aggregation Inclusion list is empty')
  }),
  check('R3-01-9.2.3.5-03', '§9.2.3.5', 'each Aggregation Inclusion entry shows the aggregation number', async (ctx: CheckContext) => {
    const { selection, aggregation } = await consentList(ctx)
    ctx.assert(selection.plainItems.some((item) => item.includes(aggregation)), `no entry shows ${aggregation}`)
  }),
  check('R3-01-9.2.3.5-04', '§9.2.3.5', 'an Aggregation Inclusion entry shows only what the customer may see (addresses of their own)', async (ctx: CheckContext) => {
    const { selection } = await consentList(ctx)
    const own = await ownWords(ctx)
    for (const item of selection.plainItems)
      for (const line of item.split(/\n|(?<=\d{5})\s/)) {
        const address = /\b\d+ [A-Z][a-z]+( [A-Z][a-z]+)* (St|Street|Way|Ave|Avenue|Blvd|Road|Rd|Lane|Ln|Drive|Dr)\b/.exec(line)?.[0]
        ctx.assert(address === undefined || own.some((w) => w.startsWith(address) || address.startsWith(w)), `the entry shows the address “${String(address)}”, which is not one of the customer’s`)
      }
  }),
  check('R3-01-9.2.3.5-05', '§9.2.3.5', 'each Aggregation Inclusion entry names the customer’s own resources in it', async (ctx: CheckContext) => {
    const { selection } = await consentList(ctx)
    const own = await ownWords(ctx)
    for (const item of selection.plainItems) ctx.assert(own.some((w) => item.includes(w)), `the entry “${item}” names none of the customer’s accounts, services or addresses`)
  }),
]
