/**
 * `GET /test-accounts` (`cds_test_accounts`, CDS-WG1-02 §3.2): the page that documents the test
 * customers of a test server — login, password, name and the resources each one can share — so
 * Client developers can try authorization requests (sandbox Client objects may only be authorized
 * by these accounts, A-52). It reads {@link DEMO_CUSTOMERS}, the same constant the seed writes,
 * and exists only when `customer_authorization.demo_customers` is on (otherwise 404).
 *
 * Page hooks: `body[data-cds-page="test-accounts"]`; one `[data-cds-test-account="<login>"]` per
 * customer, holding the login and the password.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import { ENDPOINT_PATHS } from '../config/endpoints.js'
import type { ResourceType } from '../db/database.js'
import { html, type SafeHtml } from '../pages/html.js'
import type { PagesPluginOptions } from '../pages/index.js'
import { renderPage, sendPage, type PageContext } from '../pages/layout.js'
import { DEMO_CUSTOMERS, demoDirectory, type DemoCustomer, type DemoDirectoryEntry } from './demo-customers.js'
import { renderNotFoundPage } from './login-page.js'

/** The stylesheet of this area's pages. */
export const CUSTOMERS_CSS_PATH = '/assets/customers.css'

/** Credentials as a two-column list, and resource tables that keep readable columns and scroll inside their box on phones. */
export const CUSTOMERS_CSS = `
dl.credentials{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.credentials dt{font-weight:600}
dl.credentials dd{margin:0;overflow-wrap:anywhere}
.table-scroll{overflow-x:auto}
.table-scroll table{min-width:36rem}
.test-account h2{margin-top:0}
.test-account h3{font-size:1rem;margin:1rem 0 .25rem}
`

const TYPES: readonly ResourceType[] = ['account', 'service_contract', 'service_point', 'meter_device', 'aggregation']

/** An address on one line. */
function oneLine(text: string | null): string {
  return text === null ? '' : text.split('\n').join(', ')
}

/** The details column: types, then what preselection can match (rate plan, programs, premises, apps, parent). */
function details(ctx: PageContext, entry: DemoDirectoryEntry): string {
  const { t } = ctx
  const a = entry.attributes
  const parts = [entry.types.join(', ')]
  if (entry.resource_type === 'service_contract' && a.rateplan_code !== undefined) {
    parts.push(t('customers.testAccounts.ratePlan', { code: a.rateplan_code, name: a.rateplan_name ?? '' }))
  }
  const own = entry.resource_type === 'account' ? a.account_programs : entry.resource_type === 'service_contract' ? a.service_programs : undefined
  if (own !== undefined && own.length > 0) parts.push(t('customers.testAccounts.programs', { programs: own.join(', ') }))
  if (entry.resource_type === 'service_point' && (a.premise_numbers ?? []).length > 0) {
    parts.push(t('customers.testAccounts.premises', { premises: (a.premise_numbers ?? []).join(', ') }))
  }
  if (entry.resource_type === 'meter_device' && (a.meter_apps ?? []).length > 0) parts.push(t('customers.testAccounts.apps', { apps: (a.meter_apps ?? []).join(', ') }))
  if (typeof a.account_parent === 'string') parts.push(t('customers.testAccounts.parent', { parent: a.account_parent }))
  return parts.filter((part) => part !== '').join('; ')
}

/** One resource type's table for one customer. */
function resourceTable(ctx: PageContext, type: ResourceType, entries: readonly DemoDirectoryEntry[]): SafeHtml {
  const { t } = ctx
  const heading = t(`customers.testAccounts.${type}`, { count: entries.length })
  return html`<h3>${heading}</h3>
<div class="table-scroll" role="region" aria-label="${heading}" tabindex="0"><table>
<thead><tr><th scope="col">${t('customers.testAccounts.number')}</th><th scope="col">${t('customers.testAccounts.name')}</th><th scope="col">${t('customers.testAccounts.address')}</th><th scope="col">${t('customers.testAccounts.details')}</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${e.number}</td><td>${e.display_name ?? ''}</td><td>${oneLine(e.address)}</td><td>${details(ctx, e)}</td></tr>`)}</tbody>
</table></div>`
}

/** One customer's section. */
function accountSection(ctx: PageContext, customer: DemoCustomer, index: number): SafeHtml {
  const { t } = ctx
  const entries = demoDirectory(customer)
  const tables = TYPES.map((type) => {
    const ofType = entries.filter((e) => e.resource_type === type)
    return ofType.length === 0 ? null : resourceTable(ctx, type, ofType)
  })
  return html`<section class="panel test-account" data-cds-test-account="${customer.login}" aria-labelledby="test-account-${index}">
<h2 id="test-account-${index}">${customer.display_name}</h2>
<dl class="credentials">
<dt>${t('customers.testAccounts.login')}</dt><dd><code data-cds-login>${customer.login}</code></dd>
<dt>${t('customers.testAccounts.password')}</dt><dd><code data-cds-password>${customer.password}</code></dd>
</dl>
${entries.length === 0 ? html`<p>${t('customers.testAccounts.none')}</p>` : tables}
</section>`
}

/**
 * The test accounts page for a list of customers (default the demo customers). Every value is
 * escaped by the HTML template.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export function renderTestAccountsPage(ctx: PageContext, customers: readonly DemoCustomer[] = DEMO_CUSTOMERS): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.testAccounts.title')}</h1>
<p>${t('customers.testAccounts.intro')}</p>
${customers.map((customer, i) => accountSection(ctx, customer, i))}`
  return renderPage(ctx, { title: t('customers.testAccounts.title'), main, page: 'test-accounts', stylesheets: [CUSTOMERS_CSS_PATH] })
}

/**
 * Registers `GET /test-accounts`: the page when demo customers are on, a 404 page otherwise.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const testAccountsPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  app.get(ENDPOINT_PATHS.test_accounts, { schema: { hide: true } }, async (_request, reply) => {
    if (!options.config.customer_authorization.demo_customers) return sendPage(reply, renderNotFoundPage(options.pages), 404)
    return sendPage(reply, renderTestAccountsPage(options.pages))
  })
}
