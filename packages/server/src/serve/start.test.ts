import { loadConfig } from '../config/load-config.js'
import { describe, expect, it } from 'vitest'
import { buildReferenceApp } from './reference-app.js'
import { startReferenceServer } from './start.js'

// Each test starts a whole server on a fresh in-memory PGlite (migrations and demo customers): slow on a loaded CI machine.
describe('reference server start-up', { timeout: 120_000 }, () => {
  it('listens on a free port and prints URLs that answer', async () => {
    const config = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:' } })
    const running = await startReferenceServer({ host: '127.0.0.1', port: 0, build: () => buildReferenceApp({ config }) })
    try {
      expect(running.urls.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      expect(Object.keys(running.urls)).toEqual(['base', 'metadata', 'oauth', 'register', 'coverage', 'openapi', 'health', 'test_accounts', 'customer_login', 'outbox'])
      for (const name of ['metadata', 'oauth', 'coverage', 'openapi', 'health', 'test_accounts', 'customer_login', 'outbox']) {
        const response = await fetch(running.urls[name]!)
        expect(response.status, name).toBe(200)
      }
      const landing = await fetch(running.urls.base!)
      expect(landing.status).toBe(200)
      expect(await landing.json()).toMatchObject({ name: 'cds-ts reference server', links: { health: running.urls.health } })
    } finally {
      await running.close()
    }
  })

  it('reports the operator API when CDS_OPERATOR_TOKEN turns it on, and it answers only that token', async () => {
    const token = 'reference-operator-token-0123456789abcdef'
    const config = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:', CDS_OPERATOR_TOKEN: token } })
    const running = await startReferenceServer({ host: '127.0.0.1', port: 0, build: () => buildReferenceApp({ config }), operator: true })
    try {
      expect(running.urls.operator).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/operator\/messages$/)
      const inbox = await fetch(running.urls.operator!, { headers: { authorization: `Bearer ${token}` } })
      expect(inbox.status).toBe(200)
      expect(await inbox.json()).toMatchObject({ messages: [], next: null, previous: null })
      expect((await fetch(running.urls.operator!)).status).toBe(401)
    } finally {
      await running.close()
    }
  })
})
