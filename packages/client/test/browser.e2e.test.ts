/**
 * The SDK in a browser: `src/index.ts` bundled for the web (vite, no Node built-ins allowed), then
 * run in Debian's chromium on the reference server's origin: discovery, registration with
 * `client_secret_basic` through `btoa`, a cached token, a listing, and PKCE through WebCrypto.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type * as Sdk from '../src/index.js'
import { launchChromium, liveServer } from './live.js'

interface ViteBuild {
  build(config: Record<string, unknown>): Promise<{ output: { code?: string }[] } | { output: { code?: string }[] }[]>
}

/** vite, as vitest resolves it (no dependency of this package). */
async function vite(): Promise<ViteBuild> {
  const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'))
  return (await import(fromVitest.resolve('vite'))) as ViteBuild
}

let browser: Browser
let bundle = ''

beforeAll(async () => {
  const result = await (await vite()).build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('../src/index.ts', import.meta.url)), formats: ['iife'], name: 'CdsSdk' },
    },
  })
  const outputs = Array.isArray(result) ? result.flatMap((r) => r.output) : result.output
  bundle = outputs.map((o) => o.code ?? '').join('\n')
  browser = await launchChromium()
})

afterAll(async () => {
  await browser.close()
})

it('the web bundle carries no Node built-in and runs discovery, registration and a listing in chromium', async () => {
  expect(bundle.length).toBeGreaterThan(10_000)
  expect(bundle).not.toMatch(/["']node:[a-z]/)
  const { baseUrl } = liveServer()
  const context = await browser.newContext({ bypassCSP: true })
  try {
    const page = await context.newPage()
    await page.goto(`${baseUrl}/.well-known/cds-server-metadata.json`)
    await page.addScriptTag({ content: bundle })
    const result = await page.evaluate(async () => {
      const sdk = (window as unknown as { CdsSdk: typeof Sdk }).CdsSdk
      const cds = await sdk.CdsClient.discover(location.origin)
      const registered = await cds.register({ scope: ['cds_client_admin'], client_name: 'From a browser' })
      const admin = cds.withClient({ client_id: registered.client_id, client_secret: registered.client_secret })
      const listing = await admin.clients.list()
      const token = await admin.token()
      return {
        issuer: cds.authorizationServer.issuer,
        clients: listing.clients.map((c) => c.client_name),
        cached: (await admin.token()).access_token === token.access_token,
        challenge: await sdk.calculateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
        node: typeof (globalThis as { process?: unknown }).process,
      }
    })
    expect(result).toEqual({
      issuer: baseUrl,
      clients: ['From a browser'],
      cached: true,
      challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      node: 'undefined',
    })
  } finally {
    await context.close()
  }
})
