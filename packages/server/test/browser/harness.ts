/**
 * The browser test harness (issue 5): the whole server listening on 127.0.0.1, Debian's chromium
 * driven by playwright-core, axe-core checks, screenshots at the two widths the authorization form
 * is designed for, and keyboard helpers. The Client side lives in `client-kit.ts`.
 *
 * Browser tests never skip: when chromium is missing the harness throws, and `.ci/run` installs it.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form (desktop and mobile layouts, keyboard and screen reader use)
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { manualClock, type ManualClock } from '@cds-ts/auth'
import { AxeBuilder } from '@axe-core/playwright'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe } from 'vitest'
import { buildServer } from '../../src/app.js'
import type { ServerConfig } from '../../src/config/config-schema.js'
import { customerDataScopeDescriptions } from '../../src/config/customer-data-scopes.js'
import { defaultConfig } from '../../src/config/defaults.js'
import { OPERATOR_TOKEN, TEST_SECRET_KEY } from '../api-app.js'
import { DIALECTS, type TestDialect } from '../dialects.js'
import { freePort } from '../free-port.js'

/** Where the Debian package puts chromium (`apt-get install -y chromium`, see `.ci/run`). */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Flags for a quiet headless chromium in a container: no sandbox, no GPU, no calls home. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** A per-test timeout for browser tests: a page load with PGlite behind it is slow on two busy cores. */
export const BROWSER_TIMEOUT = 120_000

/** The two widths every page is checked and photographed at: a small phone and a laptop (§9.2: mobile and desktop layouts). */
export const SCREENSHOT_WIDTHS = [375, 1280] as const

/** The window height used with a width: 812 (a phone) below 600 px, 900 above. */
export function heightFor(width: number): number {
  return width < 600 ? 812 : 900
}

/** `packages/server/test-results/screenshots`, where {@link screenshot} writes. */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'screenshots')

/**
 * Starts Debian's chromium. Throws (never skips) when it is not installed.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (.ci/run does this); browser tests never skip`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
}

/**
 * The instant the server's clock stops at: T0 of the catalog's fixture (Part F.0), so relative
 * durations resolve to the catalog's expected values (`P3Y` of `sync_until` → 2029-01-15T12:00:00Z).
 * The browser keeps its own time; the server's cookies carry no expiry date, so this is safe.
 */
export const T0 = new Date('2026-01-15T12:00:00Z')

/** The server under test, listening on 127.0.0.1. */
export interface BrowserServer {
  app: FastifyInstance
  config: ServerConfig
  /** Stopped at {@link T0} unless moved: relative durations resolve against it, idle sessions never expire. */
  clock: ManualClock
  /** `http://127.0.0.1:<port>`, also the issuer. */
  baseUrl: string
  close(): Promise<void>
}

/** Options of {@link startServer} and {@link useBrowserHarness}. */
export interface HarnessOptions {
  /** Edits the configuration before the server is built. */
  adjust?: (config: ServerConfig) => void
  /** Where the clock stops; default {@link T0}. */
  now?: Date
  /** The database; default PGlite (see {@link startServer}). */
  dialect?: TestDialect
}

/**
 * The full server (`buildServer`) on a fresh database, on a random free port of 127.0.0.1.
 *
 * The database is an in-memory PGlite restored from the migrated template of `test/dialects.ts`
 * (about 1 s instead of the 5–25 s of `database_url: 'memory:'`, whose initdb the server would run
 * itself), or a PostgreSQL schema of its own when the dialect says so; the server seeds the demo
 * customers into it either way. The configuration is the demo one built in code, so no `CDS_*`
 * variable of the environment leaks in: demo customers on, the operator API on, a fixed sealing
 * key, the `UTC` timezone of the catalog's fixture (F.0), every Customer Data scope of §6 offered,
 * and consent scopes of one shape grouped into one Client object (so one authorization request can
 * carry several of them).
 */
export async function startServer(options: HarnessOptions = {}): Promise<BrowserServer> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const config = defaultConfig(baseUrl, port)
  config.database_url = 'memory:'
  config.operator.token = OPERATOR_TOKEN
  config.client_management.secret_key = TEST_SECRET_KEY
  config.customer_authorization.demo_customers = true
  config.customer_authorization.email.outbox_page = true
  config.oauth.timezone = 'UTC'
  config.registration.group_scopes = true
  // The §6 scopes are part of the demo configuration; adding the missing ones keeps this harness
  // independent of which of them the defaults carry.
  for (const [id, description] of Object.entries(customerDataScopeDescriptions(baseUrl))) {
    config.oauth.scope_descriptions[id] ??= description
  }
  options.adjust?.(config)
  const clock = manualClock(options.now ?? T0)
  const database = await (options.dialect ?? DIALECTS[0]!).open()
  try {
    const app = await buildServer({ config, clock, database })
    await app.listen({ host: '127.0.0.1', port })
    const close = async () => {
      await app.close()
      await database.dispose()
    }
    return { app, config, clock, baseUrl, close }
  } catch (error) {
    await database.dispose()
    throw error
  }
}

/** What a browser test file sees; the getters work inside tests and hooks. */
export interface BrowserHarness {
  readonly server: BrowserServer
  readonly browser: Browser
  /**
   * A page in a fresh browser context (its own cookies: a new visitor), sized `width` ×
   * {@link heightFor}(width), with `baseURL` set to the server so `page.goto('/login')` works.
   */
  newPage(width?: number, options?: { javaScriptEnabled?: boolean }): Promise<Page>
}

/**
 * Starts the server and chromium before the file's tests and stops both after them.
 *
 * @example
 * ```ts
 * const h = useBrowserHarness()
 * it('renders', async () => { const page = await h.newPage(375); await page.goto('/login') })
 * ```
 */
export function useBrowserHarness(options: HarnessOptions = {}): BrowserHarness {
  let server: BrowserServer | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    // Launch first: a missing chromium fails fast, before PGlite's initdb.
    browser = await launchChromium()
    server = await startServer(options)
  }, BROWSER_TIMEOUT)
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  }, BROWSER_TIMEOUT)
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} starts in beforeAll; use it inside tests and hooks`)
    return value
  }
  return {
    get server() {
      return ready(server, 'server')
    },
    get browser() {
      return ready(browser, 'browser')
    },
    async newPage(width = 1280, pageOptions = {}) {
      const context = await ready(browser, 'browser').newContext({
        viewport: { width, height: heightFor(width) },
        baseURL: ready(server, 'server').baseUrl,
        locale: 'en-US',
        javaScriptEnabled: pageOptions.javaScriptEnabled ?? true,
      })
      contexts.push(context)
      const page = await context.newPage()
      watchPage(page)
      return page
    },
  }
}

/**
 * Declares `describe(\`${name} (${dialect})\`)` once per test dialect (PGlite always, PostgreSQL
 * when `CDS_TEST_DATABASE_URL` is set), each with its own server and browser, for the flows whose
 * storage matters (Grants, receipts, revocation).
 */
export function forEachBrowserDialect(name: string, fn: (h: BrowserHarness, dialect: TestDialect['name']) => void, options: Omit<HarnessOptions, 'dialect'> = {}): void {
  for (const dialect of DIALECTS) {
    describe(`${name} (${dialect.name})`, { timeout: BROWSER_TIMEOUT }, () => {
      fn(useBrowserHarness({ ...options, dialect }), dialect.name)
    })
  }
}

const problems = new WeakMap<Page, string[]>()

/** Records script errors, console errors (a CSP violation is one) and dialogs (`alert` must never run). */
function watchPage(page: Page): void {
  const list: string[] = []
  problems.set(page, list)
  page.on('pageerror', (error) => list.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    // A page served with an error status (a 401 login form) is logged as a failed load of the
    // document itself; tests assert those statuses directly. Subresources still count.
    if (message.text().startsWith('Failed to load resource') && message.location().url === page.url()) return
    // The browser asks for /favicon.ico on its own; the pages do not link one.
    if (message.location().url.endsWith('/favicon.ico')) return
    list.push(`console error: ${message.text()} (${message.location().url})`)
  })
  page.on('dialog', (dialog) => {
    list.push(`dialog (${dialog.type()}): ${dialog.message()}`)
    void dialog.dismiss()
  })
}

/**
 * What went wrong in the page so far: script errors, console errors (chromium logs every blocked
 * resource and Content Security Policy violation there) and dialogs.
 */
export function pageProblems(page: Page): readonly string[] {
  return problems.get(page) ?? []
}

/** Throws when {@link pageProblems} is not empty. */
export function expectNoPageProblems(page: Page): void {
  const list = pageProblems(page)
  if (list.length > 0) throw new Error(`${page.url()} had problems:\n  ${list.join('\n  ')}`)
}

/** The value of `data-cds-page` on `<body>`: which page the browser is on (hooks contract). */
export async function pageName(page: Page): Promise<string | null> {
  return page.locator('body').getAttribute('data-cds-page')
}

/** Waits for the page whose `<body data-cds-page>` is `name`; throws naming the page it is on instead. */
export async function expectPage(page: Page, name: string, timeout = 15_000): Promise<void> {
  try {
    await page.locator(`body[data-cds-page="${name}"]`).waitFor({ state: 'attached', timeout })
  } catch {
    const actual = await pageName(page).catch(() => null)
    const alert = await page
      .locator('[role=alert]')
      .allInnerTexts()
      .catch(() => [])
    throw new Error(`expected page "${name}" but the browser is on ${page.url()} (page "${actual ?? '?'}")${alert.length > 0 ? `, alert: ${alert.join(' | ')}` : ''}`)
  }
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>

/**
 * Runs axe-core on the page and throws when it reports any `serious` or `critical` violation,
 * listing each with its rule, help text and the offending elements. Returns the full results.
 */
export async function axeCheck(page: Page, label = page.url()): Promise<AxeResults> {
  const results = await new AxeBuilder({ page }).analyze()
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  if (blocking.length > 0) {
    const lines = blocking.flatMap((v) => [
      `[${v.impact ?? '?'}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.html.slice(0, 160)}${n.failureSummary === undefined ? '' : `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`}`),
      ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
    ])
    throw new Error(`axe-core: ${blocking.length} serious or critical violation(s) on ${label}:\n${lines.join('\n')}`)
  }
  return results
}

/**
 * Saves full-page PNGs of the page at 375 px and 1280 px widths as
 * `test-results/screenshots/<name>-<width>.png`, then restores the viewport. Returns the paths.
 */
export async function screenshot(page: Page, name: string): Promise<string[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const original = page.viewportSize()
  const paths: string[] = []
  try {
    for (const width of SCREENSHOT_WIDTHS) {
      await page.setViewportSize({ width, height: heightFor(width) })
      // Let the layout settle at the new width before the capture.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      const path = join(SCREENSHOT_DIR, `${name}-${width}.png`)
      await page.screenshot({ path, fullPage: true })
      paths.push(path)
    }
  } finally {
    if (original !== null) await page.setViewportSize(original)
  }
  return paths
}

/** The page's widths: a layout overflows horizontally when `scrollWidth` exceeds `innerWidth`. */
export async function horizontalExtent(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
}

/**
 * The strings among `texts` that the page breaks across lines inside the elements `within`
 * matches: each occurrence is measured with a DOM Range, and one that spans rectangles at two
 * heights is broken (a narrow column wrapping a number letter by letter).
 */
export async function textsBrokenAcrossLines(page: Page, within: string, texts: readonly string[]): Promise<string[]> {
  return page.evaluate(
    ({ within, texts }) => {
      const broken = new Set<string>()
      for (const root of Array.from(document.querySelectorAll(within))) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          const value = node.nodeValue ?? ''
          for (const text of texts) {
            for (let at = value.indexOf(text); at !== -1; at = value.indexOf(text, at + 1)) {
              const range = document.createRange()
              range.setStart(node, at)
              range.setEnd(node, at + text.length)
              const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)))
              if (tops.size > 1) broken.add(text)
            }
          }
        }
      }
      return [...broken]
    },
    { within, texts: [...texts] },
  )
}

/** A short description of the element that has the keyboard focus. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (el === null || el === document.body) return 'body'
    const name = el.getAttribute('name')
    return `${el.tagName.toLowerCase()}${name === null ? '' : `[name=${name}]`}`
  })
}

/**
 * Presses Tab until the focused element matches `selector`; throws when it is not reached within
 * `maxPresses` (the element is not keyboard reachable).
 */
export async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<void> {
  const visited: string[] = []
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    visited.push(await focused(page))
  }
  throw new Error(`${selector} was not reached with ${maxPresses} Tab presses; focus went through: ${visited.join(' → ')}`)
}

/**
 * Clicks (or presses Enter on) what `selector` matches and waits until the next document has
 * loaded (after any redirects), e.g. a form submission.
 */
export async function clickAndWait(page: Page, selector: string, how: 'click' | 'enter' = 'click'): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 30_000 })
  if (how === 'click') await page.locator(selector).click()
  else await page.locator(selector).press('Enter')
  await loaded
}

/**
 * Logs in on the login page the browser is on (hooks contract: `input[name=login]`,
 * `input[name=password]`, `button[data-cds-login]`) and waits until it has left the login page.
 */
export async function loginAsCustomer(page: Page, login: string, password: string): Promise<void> {
  await expectPage(page, 'login')
  await page.locator('input[name=login]').fill(login)
  await page.locator('input[name=password]').fill(password)
  await clickAndWait(page, 'button[data-cds-login]')
  if ((await pageName(page)) === 'login') {
    const alert = await page.locator('[role=alert]').allInnerTexts()
    throw new Error(`login as ${login} failed: ${alert.join(' | ') || 'still on the login page'}`)
  }
}
