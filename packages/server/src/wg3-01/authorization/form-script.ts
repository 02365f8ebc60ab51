/**
 * The Authorization Form's script, served same-origin at {@link FORM_SCRIPT_PATH} (the pages'
 * CSP runs no inline script). It only adds conveniences to a form that works without it
 * (CDS-WG3-01 §9.2.3.x for lists of more than ten entries):
 *
 * - select all / deselect all without a round trip, and a live count of selected entries;
 * - a search box that filters entries by number, name and address;
 * - a toggle that hides unselected entries;
 * - a print button (§9.2.1.1);
 * - one submission only (§9.2.1.6: no duplicate authorizations; the server refuses a second one too).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 * @module
 */

/** Where {@link FORM_SCRIPT} is served. */
export const FORM_SCRIPT_PATH = '/assets/authorization-form.js'

/** The script (plain ES2020, no dependencies). */
export const FORM_SCRIPT = `'use strict';
(function () {
  document.documentElement.classList.add('js');
  document.querySelectorAll('[data-cds-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
  document.querySelectorAll('[data-cds-selection]').forEach(function (component) {
    var index = component.getAttribute('data-cds-selection');
    var boxes = Array.prototype.slice.call(component.querySelectorAll('input[type=checkbox][name="select.' + index + '"]'));
    var counter = component.querySelector('[data-cds-selected-count="' + index + '"]');
    var all = component.querySelector('[data-cds-select-all="' + index + '"]');
    var search = component.querySelector('[data-cds-search="' + index + '"]');
    var hide = component.querySelector('[data-cds-hide-unselected="' + index + '"]');
    var hiding = false;
    function update() {
      var selected = boxes.filter(function (box) { return box.checked; }).length;
      if (counter) counter.textContent = counter.getAttribute('data-template').replace('{selected}', String(selected)).replace('{total}', String(boxes.length));
      if (all) all.textContent = all.getAttribute(selected === boxes.length && boxes.length > 0 ? 'data-label-deselect' : 'data-label-select');
      var query = search ? search.value.trim().toLowerCase() : '';
      boxes.forEach(function (box) {
        var item = box.closest('[data-cds-entry]');
        if (!item) return;
        var text = item.getAttribute('data-search') || '';
        item.hidden = (query !== '' && text.indexOf(query) < 0) || (hiding && !box.checked);
      });
    }
    boxes.forEach(function (box) { box.addEventListener('change', update); });
    if (all) all.addEventListener('click', function (event) {
      event.preventDefault();
      var every = boxes.length > 0 && boxes.every(function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !every; });
      update();
    });
    if (search) {
      search.addEventListener('input', update);
      // Enter in the search box filters; it must never submit the form.
      search.addEventListener('keydown', function (event) { if (event.key === 'Enter') event.preventDefault(); });
    }
    if (hide) hide.addEventListener('click', function () {
      hiding = !hiding;
      hide.setAttribute('aria-pressed', hiding ? 'true' : 'false');
      hide.textContent = hide.getAttribute(hiding ? 'data-label-show' : 'data-label-hide');
      update();
    });
    update();
  });
  var form = document.querySelector('form[data-cds-authorization-form]');
  if (form) {
    var sent = false;
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter.name !== 'decision') return;
      if (sent) { event.preventDefault(); return; }
      sent = true;
      form.setAttribute('aria-busy', 'true');
    });
  }
})();
`
