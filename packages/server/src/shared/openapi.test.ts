import { AuthorizationServerMetadata, Cds, Client, openApiComponents } from '@cds-ts/schema'
import Type from 'typebox'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSharedApp, type TestApp } from '../../test/shared-app.js'
import { OPENAPI_PATH, routesMissingFromOpenApi } from './openapi.js'
import { ref } from './schemas.js'

interface Document {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
}

let app: TestApp | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

async function sampleApp(): Promise<TestApp> {
  const built = (await buildSharedApp()).app
  built.get(
    '/clients/:client_id',
    {
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getClient',
        tags: ['CDS-WG1-02 Clients'],
        summary: 'Retrieving Individual Client Objects',
        params: Type.Object({ client_id: Type.String() }),
        response: { 200: ref(Client) },
      },
    },
    async () => {
      throw new Error('not called')
    },
  )
  built.get(
    '/.well-known/oauth-authorization-server',
    {
      config: { decimalJson: true },
      schema: { operationId: 'getAuthorizationServerMetadata', tags: ['CDS-WG1-02 OAuth'], response: { 200: ref(AuthorizationServerMetadata) } },
    },
    async () => {
      throw new Error('not called')
    },
  )
  built.post(
    '/amounts',
    { config: { decimalJson: true }, schema: { operationId: 'postAmount', body: Type.Object({ amount: Cds.Decimal() }) } },
    async () => ({}),
  )
  return built
}

describe('OpenAPI 3.1 document from the route schemas', () => {
  it('describes the routes with $refs to components named by $id', async () => {
    app = await sampleApp()
    await app.ready()
    const document = app.swagger() as unknown as Document
    expect(document.openapi).toBe('3.1.0')
    expect(document.info).toMatchObject({ title: 'test', version: '1.0.0' })

    const getClient = document.paths['/clients/{client_id}']?.get
    expect(getClient).toMatchObject({
      operationId: 'getClient',
      tags: ['CDS-WG1-02 Clients'],
      summary: 'Retrieving Individual Client Objects',
      parameters: [{ in: 'path', name: 'client_id', required: true }],
      responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Client' } } } } },
      security: [{ bearer: ['cds_client_admin'] }],
    })
    expect(document.paths['/.well-known/oauth-authorization-server']?.get).toMatchObject({
      responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthorizationServerMetadata' } } } } },
    })
    expect(Object.keys(document.components.schemas).filter((name) => name.startsWith('def-'))).toEqual([])
  })

  it('publishes the components of @cds-ts/schema, decimals as numbers', async () => {
    app = await sampleApp()
    await app.ready()
    const document = app.swagger() as unknown as Document
    const expected = openApiComponents().schemas
    for (const [name, schema] of Object.entries(expected)) expect(document.components.schemas[name]).toEqual(schema)
    expect(JSON.stringify(document.components.schemas.AuthorizationDetailsField)).toContain('"x-cds-decimal":true,"type":"number"')
    const amount = document.paths['/amounts']?.post?.requestBody as { content: Record<string, { schema: { properties: { amount: unknown } } }> }
    expect(amount.content['application/json']?.schema.properties.amount).toEqual({ 'x-cds-decimal': true, type: 'number' })
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } })
  })

  it('serves the document at GET /openapi.json', async () => {
    app = await sampleApp()
    const response = await app.inject({ method: 'GET', url: OPENAPI_PATH })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    const served = response.json<Document>()
    expect(served.openapi).toBe('3.1.0')
    expect(Object.keys(served.paths)).toEqual(expect.arrayContaining(['/clients/{client_id}', OPENAPI_PATH]))
  })

  it('routesMissingFromOpenApi names a route the document leaves out, but not a page hidden on purpose', async () => {
    app = await sampleApp()
    // @fastify/swagger drops routes tagged X-HIDDEN without the route saying so: that one is reported.
    app.get('/dropped', { schema: { tags: ['X-HIDDEN'] } }, async () => ({}))
    // `hide: true` is the declared opt-out of HTML pages and assets.
    app.get('/page', { schema: { hide: true } }, async () => 'page')
    await app.ready()
    expect(routesMissingFromOpenApi(app)).toEqual(['GET /dropped'])
  })

  it('routesMissingFromOpenApi refuses an app without the plugin', async () => {
    const { default: Fastify } = await import('fastify')
    const bare = Fastify()
    expect(() => routesMissingFromOpenApi(bare)).toThrow(/openApiPlugin is not registered/)
    await bare.close()
  })
})
