import type { AddressInfo } from 'node:net'
import { AuthorizationServerMetadata, checkStrict, ServerMetadata } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from './app.js'
import { loadConfig } from './config/load-config.js'
import { routesMissingFromOpenApi } from './shared/openapi.js'

describe('the assembled server', () => {
  let app: FastifyInstance
  let base = ''

  beforeAll(async () => {
    const config = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:', CDS_BASE_URL: 'http://127.0.0.1:8080' } })
    app = await buildServer({ config })
    await app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await app.close()
  })

  it('answers GET /health with status ok and no-store', async () => {
    const response = await fetch(`${base}/health`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ status: 'ok' })
  })

  it('answers unknown paths with a 404 JSON error', async () => {
    const response = await fetch(`${base}/nope`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'not_found' })
  })

  it('serves both discovery documents, valid under the strict check', async () => {
    const metadata = await (await fetch(`${base}/.well-known/cds-server-metadata.json`)).json()
    expect(checkStrict(ServerMetadata, metadata, { closed: true })).toEqual([])
    const oauth = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()
    // The http issuer of a local run breaks only the https rule of RFC 8414 §2.
    expect(checkStrict(AuthorizationServerMetadata, oauth).filter((i) => i.path !== '/issuer')).toEqual([])
    expect(oauth).toMatchObject({ token_endpoint: 'http://127.0.0.1:8080/oauth/token', pushed_authorization_request_endpoint: 'http://127.0.0.1:8080/oauth/par' })
  })

  it('documents every route in /openapi.json', async () => {
    expect(routesMissingFromOpenApi(app)).toEqual([])
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> }
    expect(document.openapi).toMatch(/^3\.1\./)
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/oauth/token', '/oauth/register', '/oauth/par', '/.well-known/oauth-authorization-server']))
  })
})
