import { buildServer } from '@cds-ts/server'
import { describe, expect, it } from 'vitest'
import { startReferenceServer } from './start.js'

describe('reference server start-up', () => {
  it('listens on a free port and prints URLs that answer', async () => {
    const running = await startReferenceServer({ host: '127.0.0.1', port: 0, build: () => buildServer() })
    try {
      expect(running.urls.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const response = await fetch(running.urls.health!)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'ok' })
    } finally {
      await running.close()
    }
  })
})
