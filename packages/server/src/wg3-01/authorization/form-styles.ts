/**
 * The stylesheet of the Authorization Form and its error pages, served same-origin at
 * {@link FORM_STYLES_PATH} (the pages' CSP allows no inline styles). One responsive layout for
 * phones from 320 px to desktops (CDS-WG3-01 §9.2); the Purpose block has the CSS §9.2.2.4
 * prescribes (A-35: `overflow: scroll`, ten lines at most, no minimum height).
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */

/** Where {@link FORM_STYLES} is served. */
export const FORM_STYLES_PATH = '/assets/authorization-form.css'

/** The stylesheet. */
export const FORM_STYLES = `
header.brand{flex-wrap:wrap}
header.brand .form-title{flex:1 1 100%;font-size:1.5rem;line-height:1.25;margin:.5rem 0 0;font-weight:700}
header.brand .print{margin-left:auto}
.js-only{display:none}
html.js .js-only{display:inline-flex}
.requester p{font-size:1.1rem}
.requests{display:grid;gap:1.25rem;margin:1rem 0}
.request-section{border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:.5rem;padding:.75rem 1rem 1rem;background:var(--bg)}
.section-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.5rem}
.section-head h2{margin:.25rem 0}
.component{margin:.75rem 0}
.component h3{font-size:1rem;margin:.75rem 0 .25rem}
.data-list,.data-items{margin:.25rem 0;padding-left:1.25rem}
.data-items li{margin:.35rem 0}
.item-label{font-weight:600}
.example{color:var(--muted)}
details summary{cursor:pointer;color:var(--accent);text-decoration:underline;display:inline-block;padding:.25rem 0}
.keep{display:inline-flex;align-items:center;gap:.35rem;margin-left:.5rem;white-space:nowrap}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{padding:0}
legend h3{margin:.75rem 0 .25rem}
.selection-tools{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:.25rem 0}
.selection-tools .count{margin:0;font-weight:600}
.search-tools{flex-wrap:wrap;align-items:center;gap:.5rem;flex:1 1 100%}
.search-tools input{font:inherit;padding:.5rem;border:1px solid #767676;border-radius:.25rem;flex:1 1 12rem;min-width:0}
.selection-list{list-style:none;margin:.25rem 0;padding:0}
.selection-list.scrolling{max-height:22rem;overflow-y:auto;border:1px solid var(--line);border-radius:.375rem;padding:.25rem .5rem}
.selection-list li label,.future{display:flex;gap:.6rem;align-items:flex-start;padding:.45rem 0;min-height:2.75rem;cursor:pointer}
.selection-list li+li{border-top:1px solid var(--line)}
.selection-list input,.future input,.keep input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
.entry-main{font-weight:600}
.entry-extra{color:var(--muted)}
.entry-extra::before{content:"– "}
.selection-list li label{display:grid;grid-template-columns:auto minmax(0,1fr);column-gap:.6rem}.selection-list li label>span{grid-column:2}
.fixed-list{padding-left:1.25rem}
.future{font-style:italic}
.has-error fieldset{border-left:4px solid var(--bad);padding-left:.75rem}
.field-error{color:var(--bad);font-weight:600;margin:.25rem 0}
.attribution{font-style:italic;margin:.25rem 0}
.purpose-content{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;overflow:scroll;line-height:1.5;max-height:calc(10 * 1.5em);border:1px solid var(--line);border-radius:.375rem;padding:.25rem .5rem;background:var(--panel)}
.requested{padding-left:1.25rem}
.decision{display:flex;flex-wrap:wrap;gap:.75rem}
.decision .button{flex:1 1 12rem;max-width:100%}
.remove{white-space:nowrap}
main,.request-section,.selection-list li{overflow-wrap:anywhere}
@media print{.js-only,.decision,.remove,.selection-tools button,.keep{display:none !important}.selection-list.scrolling{max-height:none;overflow:visible}}
`
