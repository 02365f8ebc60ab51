import { describe, expect, it } from 'vitest'
import { buildReferenceApp } from './app.js'
import { startReferenceServer } from './start.js'

describe('reference server start-up', () => {
  it('listens on a free port and prints URLs that answer', async () => {
    const running = await startReferenceServer({ host: '127.0.0.1', port: 0, build: () => buildReferenceApp() })
    try {
      expect(running.urls.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const response = await fetch(running.urls.health!)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'ok' })
      const landing = await fetch(running.urls.base!)
      expect(landing.status).toBe(200)
      expect(await landing.json()).toEqual({
        name: 'cds-ts reference server',
        description: expect.stringContaining('CDS-WG1-01'),
        links: { health: running.urls.health },
      })
    } finally {
      await running.close()
    }
  })
})
