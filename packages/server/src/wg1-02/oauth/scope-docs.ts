/**
 * `GET /docs/oauth/scopes`: the page the `documentation` URLs of the Scope Descriptions, their
 * Authorization Details Fields and Choices point into (CDS-WG1-02 §3.4, §3.8; anchors
 * `#<scope>`, `#<scope>-<field>`, `#<scope>-<field>-<choice>`). It shows what each Choice stands
 * for — for the server default Purposes, their text (CDS-WG3-01 §7.4.4, R3-01-7.4.4-06) — and,
 * under every `addresses` field, the address matching rules of the server's locale (CDS-WG3-01
 * §7.1.13.1, R3-01-7.1.13.1-10): the postal abbreviations written out, the segment separator, the
 * segments kept, and Typical and Atypical examples with their normalized forms.
 *
 * @module
 */
import type { AuthorizationDetailsField, ScopeDescription } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import { html, type SafeHtml } from '../../pages/html.js'
import { renderPage, sendPage } from '../../pages/layout.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { normalizeServerAddress, POSTAL_ABBREVIATIONS } from '../../wg3-01/authorization/address-matching.js'

/** The path of the page (the documentation URLs add the anchors). */
export const SCOPE_DOCS_PATH = '/docs/oauth/scopes'

const TYPICAL = 'Acme Co.\n123 Main  St. #234\nAnytown, CA 90000'
const ATYPICAL = 'Acme Farm Irrigation, 12 mi North on FM 5555\n150 ft West into the field'

/** CDS-WG3-01 §7.1.13.1 (R3-01-7.1.13.1-10): how this server matches addresses (locale en-US). */
function addressRules(anchor: string): SafeHtml {
  const shown = (address: string) => address.replace(/\n/g, ' ⏎ ')
  return html`<section id="${anchor}" class="address-matching">
<h4>Address matching (locale en-US)</h4>
<p>Segments: an address is split into segments at line breaks and commas. A Typical Address has exactly one street line (a house number and a street type); the segments kept are the street line and every segment after it, in the address's own order, usually {street address}, {city}, {state} {zip code}. Anything before the street line (the address name) is removed.</p>
<p>Segment separator: the kept segments are joined with ", " (a comma and a space) into one line, lower-cased, with spaces collapsed.</p>
<p>Postal abbreviations written out in Typical Addresses (a trailing period is ignored; "#" becomes "unit"):</p>
<table><thead><tr><th>abbreviation</th><th>written out</th></tr></thead><tbody>
${Object.entries(POSTAL_ABBREVIATIONS).map(([short, long]) => html`<tr><td>${short}</td><td>${long}</td></tr>`)}
</tbody></table>
<p>Atypical Addresses (anything else) and every address a Client sends are only lower-cased, with line breaks turned into spaces and spaces collapsed: nothing is expanded, so write street types and unit designators out in full. An input matches when it equals the normalized address of exactly one resource; two or more equal ones match nothing.</p>
<table><thead><tr><th>kind</th><th>address</th><th>normalized address</th></tr></thead><tbody>
<tr><td>Typical</td><td>${shown(TYPICAL)}</td><td>${normalizeServerAddress(TYPICAL)}</td></tr>
<tr><td>Atypical</td><td>${shown(ATYPICAL)}</td><td>${normalizeServerAddress(ATYPICAL)}</td></tr>
</tbody></table>
</section>`
}

/** One field with its Choices (and, for `addresses`, the matching rules). */
function fieldSection(scope: ScopeDescription, field: AuthorizationDetailsField): SafeHtml {
  const anchor = `${scope.id}-${field.id}`
  const choices = field.choices ?? []
  return html`<section id="${anchor}">
<h3>${field.name} (<code>${field.id}</code>)</h3>
<p>${field.description}</p>
<p>Format <code>${field.format}</code>; ${field.is_required ? 'required' : 'optional'}${Object.hasOwn(field, 'default') ? html`; default <code>${JSON.stringify(field.default)}</code>` : null}.</p>
${
  choices.length === 0
    ? null
    : html`<ul>${choices.map((choice) => html`<li id="${anchor}-${choice.id}"><strong>${choice.name}</strong> (<code>${choice.id}</code>): ${choice.description}</li>`)}</ul>`
}
${field.id === 'addresses' ? addressRules(`${anchor}-matching`) : null}
</section>`
}

/**
 * Registers the scope documentation page.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 */
export const scopeDocsPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, { config, pages }) => {
  const scopes = Object.values(config.oauth.scope_descriptions)
  const page = renderPage(pages, {
    title: 'Scopes',
    page: 'scope-docs',
    main: html`<h1>Scopes</h1>
${scopes.map(
  (scope) => html`<section id="${scope.id}">
<h2>${scope.name} (<code>${scope.id}</code>)</h2>
<p>${scope.description}</p>
${scope.authorization_details_fields_supported.map((field) => fieldSection(scope, field))}
</section>`,
)}`,
  })
  app.get(SCOPE_DOCS_PATH, { schema: { hide: true } }, async (_request, reply) => sendPage(reply, page))
}
