/**
 * The Selection Component of a Request Section (CDS-WG3-01 §9.2.2.3, §9.2.3): the customer's
 * resources of the section's Selection type as checkboxes, preselected per §7.1, with select all
 * and, for Account and Service Contract Selections, the include-future option. Over ten entries
 * the list scrolls on its own and gets a search box, a live count at the top and a toggle that
 * hides unselected entries (§9.2.3.x); those run in `form-script.ts`, and without JavaScript the
 * list, the count and select all (a submit button) still work.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @module
 */
import { html, type SafeHtml } from '../../pages/html.js'
import type { PageContext } from '../../pages/layout.js'
import type { SectionModel } from './form-model.js'
import type { FormState } from './selections.js'

/** §9.2.3.x: more entries than this get search, a scrolling list, the count and hide-unselected. */
export const MANY_ENTRIES = 10

const COUNT_SELECTED = '\u0002S'
const COUNT_TOTAL = '\u0002T'

/**
 * Renders a section's Selection Component; `error` marks it when approval found nothing selected (A-61).
 *
 * @see CDS-WG3-01 §9.2.2.3 Selection Component
 */
export function renderSelection(ctx: PageContext, section: SectionModel, state: FormState, error: boolean): SafeHtml {
  const { t } = ctx
  const i = section.index
  const selection = section.selection
  if (selection === null) {
    // A scope without a Selection type: the request covers the data as a whole.
    return html`<div class="component selection" data-cds-component="selection">
<h3>${t('authorization.selection.heading.none')}</h3>
<p>${t('authorization.selection.notNeeded')}</p>
</div>`
  }
  if (selection.read_only) {
    // §9.2.3.5: Aggregation Inclusion lists the preselected aggregations with the customer's part in them.
    return html`<div class="component selection" data-cds-component="selection">
<h3>${selection.heading}</h3>
<p class="muted">${t('authorization.selection.readOnly')}</p>
<ul class="fixed-list">${selection.entries.map((e) => html`<li><span class="entry-main">${e.main}</span>${e.extras.map((x) => html` <span class="entry-extra">${x}</span>`)}</li>`)}</ul>
${selection.entries.length === 0 ? html`<p>${t('authorization.selection.empty')}</p>` : null}
</div>`
  }
  const selected = state.selected.get(i) ?? new Set<string>()
  const total = selection.entries.length
  const many = total > MANY_ENTRIES
  const every = total > 0 && selection.entries.every((e) => selected.has(e.number))
  const errorId = `selection-error-${i}`
  const count = t('authorization.selection.count', { selected: selected.size, total })
  const template = t('authorization.selection.count', { selected: COUNT_SELECTED, total: COUNT_TOTAL }).replace(COUNT_SELECTED, '{selected}').replace(COUNT_TOTAL, '{total}')
  const tools =
    total === 0
      ? null
      : html`<div class="selection-tools">
<p class="count" data-cds-selected-count="${i}" data-template="${template}" aria-live="polite">${count}</p>
<button type="submit" class="linklike" name="select_all" value="${i}" data-cds-select-all="${i}" data-label-select="${t('authorization.selection.selectAll')}" data-label-deselect="${t('authorization.selection.deselectAll')}">${every ? t('authorization.selection.deselectAll') : t('authorization.selection.selectAll')}</button>
${
  many
    ? html`<span class="js-only search-tools">
<label for="search-${i}">${t('authorization.selection.search')}</label>
<input type="search" id="search-${i}" data-cds-search="${i}" aria-controls="list-${i}" autocomplete="off">
<button type="button" class="linklike" aria-pressed="false" data-cds-hide-unselected="${i}" data-label-hide="${t('authorization.selection.hideUnselected')}" data-label-show="${t('authorization.selection.showAll')}">${t('authorization.selection.hideUnselected')}</button>
</span>`
    : null
}
</div>`
  const entries = selection.entries.map(
    (e) => html`<li data-cds-entry data-search="${e.search}"><label><input type="checkbox" name="select.${String(i)}" value="${e.number}"${selected.has(e.number) ? html` checked` : null}> <span class="entry-main">${e.main}</span>${e.extras.map((x) => html` <span class="entry-extra">${x}</span>`)}</label></li>`,
  )
  const future =
    selection.include_future_text === null
      ? null
      : html`<label class="future"><input type="checkbox" name="include_future.${String(i)}" value="1"${state.include_future.has(i) ? html` checked` : null}> ${selection.include_future_text}</label>`
  return html`<div class="component selection${error ? ' has-error' : ''}" data-cds-component="selection" data-cds-selection="${i}">
<fieldset${error ? html` aria-invalid="true" aria-describedby="${errorId}"` : null}>
<legend><h3>${selection.heading}</h3></legend>
${error ? html`<p class="field-error" id="${errorId}">${section.editable ? t('authorization.approval.sectionError') : t('authorization.approval.sectionErrorFixed')}</p>` : null}
${tools}
${total === 0 ? html`<p>${t('authorization.selection.empty')}</p>` : html`<ul class="selection-list${many ? ' scrolling' : ''}" id="list-${i}"${many ? html` tabindex="0"` : null}>${entries}</ul>`}
${future}
</fieldset>
</div>`
}
