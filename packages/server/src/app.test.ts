import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from './app.js'

describe('health check', () => {
  const app = buildServer()

  afterAll(async () => {
    await (await app).close()
  })

  it('answers GET /health with status ok and no-store', async () => {
    const response = await (await app).inject({ method: 'GET', url: '/health' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.headers['cache-control']).toBe('no-store')
    const body = response.json<{ status: string; uptime: number }>()
    expect(body.status).toBe('ok')
    expect(body.uptime).toBeGreaterThanOrEqual(0)
  })

  it('answers unknown paths with 404 JSON', async () => {
    const response = await (await app).inject({ method: 'GET', url: '/nope' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ statusCode: 404 })
  })
})

describe('health check over a real socket', () => {
  let base = ''
  const app = buildServer()

  beforeAll(async () => {
    const server = await app
    await server.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await (await app).close()
  })

  it('serves /health on 127.0.0.1', async () => {
    const response = await fetch(`${base}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'ok' })
  })
})
