/**
 * The stylesheet and script of the receipt pages, kept as code and served by `serveAsset` (the
 * pages' CSP allows only same-origin files; no inline style or script). The script only adds the
 * print button (§9.4 recommends one); everything else works without it.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */

/** Where {@link RECEIPTS_CSS} is served. */
export const RECEIPTS_CSS_PATH = '/assets/receipts.css'

/** Where {@link RECEIPTS_JS} is served. */
export const RECEIPTS_JS_PATH = '/assets/receipts.js'

/** Receipt, revocation, account and outbox page styles on top of the base stylesheet. */
export const RECEIPTS_CSS = `
.receipt-facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
.receipt-facts dt{font-weight:600}
.receipt-facts dd{margin:0;overflow-wrap:anywhere}
.grant-status{font-weight:700}
.receipt-section{border-top:1px solid var(--line);padding-top:.5rem;margin-top:1rem}
.receipt-section h3{font-size:1rem;margin:.75rem 0 .25rem}
.purpose-content{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;margin:.25rem 0}
.attribution{font-style:italic}
.changes dd{margin:0 0 .5rem}
.changes .was{color:var(--muted)}
.email-body{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;font:inherit}
.inline-form{display:inline;margin:0}
.table-scroll{overflow-x:auto}
@media print{.page-footer,.skip-link{display:none}a[href]::after{content:" (" attr(href) ")";font-size:.85em;color:var(--muted)}}
`

/** Shows the print button and makes it print (no-JS browsers keep their own print command). */
export const RECEIPTS_JS = `
document.addEventListener('DOMContentLoaded', function () {
  var buttons = document.querySelectorAll('[data-cds-print]');
  for (var i = 0; i < buttons.length; i += 1) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
});
`
