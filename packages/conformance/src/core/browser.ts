/**
 * The headless browser of a run, for the checks of the customer's authorization pages
 * (CDS-WG3-01 §9). `playwright-core` is an optional peer dependency: loaded only when a run is
 * given a browser, and a run without one skips these checks with the reason.
 *
 * @module
 */
import type * as Playwright from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import type { BrowserOptions } from './options.js'

/** The flags that keep a headless Chromium quiet and local (no background networking, no sandbox for root). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const

/** Launches the browser of a run. */
export async function launchBrowser(options: BrowserOptions): Promise<Browser> {
  let playwright: typeof Playwright
  try {
    playwright = await import('playwright-core')
  } catch {
    throw new Error('the browser checks need the playwright-core package (npm i playwright-core)')
  }
  return playwright.chromium.launch({ executablePath: options.executablePath, args: [...CHROMIUM_FLAGS, ...(options.args ?? [])] })
}

/** A fresh page in a fresh browser context (own cookies), closed by `close`. */
export async function newPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  return { page, close: () => context.close() }
}
