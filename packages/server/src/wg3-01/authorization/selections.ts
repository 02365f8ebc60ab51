/**
 * The customer's choices on the Authorization Form (CDS-WG3-01 §9.2): which Request Sections
 * they removed, which resources they selected, whether future ones are included, and which
 * optional data they switched off. The form posts them as plain fields, so the page works
 * without JavaScript:
 *
 * - `removed` (repeated): indices of removed sections;
 * - `select.<index>` (repeated): numbers of the selected resources;
 * - `include_future.<index>`: the include-future option;
 * - `keep.<index>` (repeated): `<type>:<field>` of the optional data left on.
 *
 * From them come the approval's narrowing (`CustomerModifications`) and the Grant's selections
 * after the A-61 check that every remaining section selects something.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @module
 */
import type { AuthorizationSelection, CustomerModifications } from '@cds-ts/auth'
import type { FormModel, SectionModel } from './form-model.js'

/**
 * The state of the form's controls.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface FormState {
  /** Indices of the Request Sections the customer removed (§9.2.1.3). */
  removed: Set<number>
  /** Selected resource numbers, by section index. */
  selected: Map<number, Set<string>>
  /** Sections whose include-future option is on (§9.2.3.1, §9.2.3.2). */
  include_future: Set<number>
  /** `<type>:<field>` of optional data switched off, by section index. */
  switched_off: Map<number, Set<string>>
}

/** A form body: single values, or lists for repeated fields. */
export type FormBody = Readonly<Record<string, string | readonly string[] | undefined>>

/** All values of a field, as a list. */
export function formValues(body: FormBody, name: string): string[] {
  const value = body[name]
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value]
}

/** The optional data switches a section offers: `<type>:<field>` of each optional include field (editable sections only). */
export function toggles(section: SectionModel): string[] {
  if (!section.editable) return []
  return section.scopes.flatMap((s) => (s.entry === undefined ? [] : s.data.items.filter((i) => i.field !== null).map((i) => `${s.entry?.type ?? ''}:${i.field ?? ''}`)))
}

/**
 * The state the form opens with: nothing removed, the preselection selected (§7.1), every
 * optional data switch on.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 */
export function initialState(model: FormModel): FormState {
  const state: FormState = { removed: new Set(), selected: new Map(), include_future: new Set(), switched_off: new Map() }
  for (const section of model.sections) {
    const selection = section.selection
    if (selection === null) continue
    state.selected.set(section.index, new Set(selection.entries.filter((e) => selection.preselection.numbers.has(e.number)).map((e) => e.number)))
    if (selection.preselection.include_future && selection.include_future_text !== null) state.include_future.add(section.index)
  }
  return state
}

/**
 * The state a posted form describes, kept to what the model offers: unknown sections, resources
 * and switches are ignored; fixed Selections keep their preselection; a section that cannot be
 * removed stays.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 */
export function parseFormState(body: FormBody, model: FormModel): FormState {
  const state = initialState(model)
  const indices = new Set(model.sections.map((s) => s.index))
  for (const value of formValues(body, 'removed')) {
    const index = Number(value)
    const section = model.sections.find((s) => s.index === index)
    if (indices.has(index) && section?.editable === true) state.removed.add(index)
  }
  for (const section of model.sections) {
    const selection = section.selection
    if (selection !== null && !selection.read_only) {
      const known = new Set(selection.entries.map((e) => e.number))
      state.selected.set(section.index, new Set(formValues(body, `select.${section.index}`).filter((n) => known.has(n))))
      const future = selection.include_future_text !== null && formValues(body, `include_future.${section.index}`).length > 0
      if (future) state.include_future.add(section.index)
      else state.include_future.delete(section.index)
    }
    const offered = toggles(section)
    if (offered.length > 0) {
      const kept = new Set(formValues(body, `keep.${section.index}`))
      state.switched_off.set(section.index, new Set(offered.filter((toggle) => !kept.has(toggle))))
    }
  }
  // §9.2.1.3: the last Request Section always stays.
  if (state.removed.size >= model.sections.length) state.removed.clear()
  return state
}

/** The sections still on the form. */
export function remainingSections(model: FormModel, state: FormState): SectionModel[] {
  return model.sections.filter((s) => !state.removed.has(s.index))
}

/**
 * Whether a section may be removed now (§9.2.1.3): it allows modifications and is not the last.
 *
 * @see CDS-WG3-01 §9.2.1.3 Authorization Form Requests Container
 */
export function canRemove(section: SectionModel, model: FormModel, state: FormState): boolean {
  return section.editable && remainingSections(model, state).length > 1 && !state.removed.has(section.index)
}

/**
 * "Select all" of a section (§9.2.3.x): selects every entry, or clears them all when every one
 * already is.
 */
export function toggleAll(section: SectionModel, state: FormState): void {
  const selection = section.selection
  if (selection === null || selection.read_only) return
  const current = state.selected.get(section.index) ?? new Set<string>()
  const every = selection.entries.length > 0 && selection.entries.every((e) => current.has(e.number))
  state.selected.set(section.index, every ? new Set() : new Set(selection.entries.map((e) => e.number)))
}

/**
 * the remaining sections that select nothing (no resource and no include-future), which
 * keep the form from being approved.
 *
 * @see CDS-WG3-01 §9.2.1.6 Authorization Form Approval Section
 */
export function unselectedSections(model: FormModel, state: FormState): number[] {
  return remainingSections(model, state)
    .filter((s) => s.selection !== null && (state.selected.get(s.index)?.size ?? 0) === 0 && !state.include_future.has(s.index))
    .map((s) => s.index)
}

/**
 * The narrowing the customer made, for `completeAuthorization`; `undefined` when they
 * changed nothing.
 *
 * @see CDS-WG3-01 §7.4.5 Allow Scope Modifications
 */
export function modificationsOf(model: FormModel, state: FormState): CustomerModifications | undefined {
  const removed_scopes = model.sections.filter((s) => state.removed.has(s.index)).flatMap((s) => s.scopes.map((m) => m.scope.id))
  const disabled_fields: Record<string, string[]> = {}
  for (const section of remainingSections(model, state)) {
    for (const toggle of state.switched_off.get(section.index) ?? []) {
      const [type = '', field = ''] = toggle.split(':')
      ;(disabled_fields[type] ??= []).push(field)
    }
  }
  if (removed_scopes.length === 0 && Object.keys(disabled_fields).length === 0) return undefined
  return { removed_scopes, disabled_fields }
}

/**
 * The Grant's selection records, one per remaining section with a Selection. `all` is set
 * when every listed resource is selected.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export function grantSelections(model: FormModel, state: FormState): AuthorizationSelection[] {
  return remainingSections(model, state).flatMap((section) => {
    const selection = section.selection
    if (selection === null) return []
    const chosen = state.selected.get(section.index) ?? new Set<string>()
    const numbers = selection.entries.map((e) => e.number).filter((n) => chosen.has(n))
    return [
      {
        scopes: section.scopes.map((s) => s.scope.id),
        selection_type: selection.selection_type,
        resource_type: selection.resource_type,
        numbers,
        all: selection.entries.length > 0 && numbers.length === selection.entries.length,
        include_future: state.include_future.has(section.index),
      },
    ]
  })
}
