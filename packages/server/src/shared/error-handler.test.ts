import { InvalidClient, InvalidClientMetadata, InvalidGrant, InvalidToken, NotFound, OAUTH_ERROR_CLASSES, ServerError } from '@cds-ts/auth'
import Type from 'typebox'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSharedApp, TEST_REALM, type TestApp } from '../../test/shared-app.js'

let app: TestApp | undefined
let logLines: string[] = []

afterEach(async () => {
  await app?.close()
  app = undefined
  logLines = []
})

async function errorApp(): Promise<TestApp> {
  const built = (
    await buildSharedApp({
      logger: {
        level: 'error',
        stream: {
          write: (line: string) => {
            logLines.push(line)
          },
        },
      },
    })
  ).app
  built.get('/grant', async () => {
    throw new InvalidGrant('the authorization code was already used')
  })
  built.get('/client', async () => {
    throw new InvalidClient('client authentication failed')
  })
  built.get('/token', async () => {
    throw new InvalidToken('the access token has expired')
  })
  built.get('/boom', async () => {
    throw new Error('connection to db at 10.0.0.5 refused (password=hunter2)')
  })
  built.get('/server-error', async () => {
    throw new ServerError('secret detail')
  })
  built.get('/string', async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless dependency might do
    throw 'a bare string'
  })
  built.get('/rate', async () => {
    throw Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), { statusCode: 429 })
  })
  built.get('/clients/:client_id', async (request) => {
    throw new NotFound(`no client ${(request.params as { client_id: string }).client_id}`)
  })
  built.put('/clients/:client_id', async () => ({}))
  built.post(
    '/register',
    { config: { validationError: 'invalid_client_metadata' }, schema: { body: Type.Object({ client_name: Type.String() }) } },
    async () => ({}),
  )
  built.post('/token-endpoint', { config: { noStore: true, formBody: true }, schema: { body: Type.Object({ grant_type: Type.String() }) } }, async () => ({ access_token: 'x' }))
  built.get('/query', { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 100 }) }) } }, async () => ({}))
  return built
}

describe('RFC 6749 §5.2 one writer of error bodies', () => {
  it('writes an OAuthError with its code, description and status', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/grant' })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers['www-authenticate']).toBeUndefined()
    expect(response.json()).toEqual({ error: 'invalid_grant', error_description: 'the authorization code was already used' })
  })

  it('RFC6749-03 answers invalid_client with 401 and a Basic challenge', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/client', headers: { authorization: 'Basic Zm9vOmJhcg==' } })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Basic realm="${TEST_REALM}"`)
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' })
  })

  it('keeps the challenge an OAuthError carries', async () => {
    app = await errorApp()
    app.get('/own', async () => {
      throw new InvalidClientMetadata('bad', { wwwAuthenticate: 'Custom x' })
    })
    const response = await app.inject({ method: 'GET', url: '/own' })
    expect(response.statusCode).toBe(400)
    expect(response.headers['www-authenticate']).toBe('Custom x')
  })

  it('RFC6750-02 answers invalid_token with a Bearer challenge naming the error', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/token' })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${TEST_REALM}", error="invalid_token", error_description="the access token has expired"`)
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' })
  })

  it('hides anything that is not an OAuthError behind a generic 500 server_error and logs it', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/boom' })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: 'server_error', error_description: 'The server encountered an unexpected error.' })
    expect(response.body).not.toContain('hunter2')
    expect(logLines.join('\n')).toContain('password=hunter2')
  })

  it('hides the description of a 5xx OAuthError (expose is false)', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/server-error' })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: 'server_error', error_description: 'The server encountered an unexpected error.' })
    expect(logLines.join('\n')).toContain('secret detail')
  })

  it('answers a thrown non-Error with 500 server_error', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/string' })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toMatchObject({ error: 'server_error' })
  })

  it('maps a 429 from a plugin (rate limiting) to too_many_requests', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/rate' })
    expect(response.statusCode).toBe(429)
    expect(response.json()).toEqual({ error: 'too_many_requests', error_description: 'Rate limit exceeded, retry in 1 minute' })
  })

  it('has a subclass for every code it may write', () => {
    for (const [code, Class] of Object.entries(OAUTH_ERROR_CLASSES)) expect(new Class().error).toBe(code)
  })
})

describe('STYLE §2.4 schema-validation failures', () => {
  it('answers a bad query parameter with 400 invalid_request naming it', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/query?limit=500' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "the query parameter 'limit' must be <= 100" })
  })

  it('R1-02-4.1-03 A-45 uses the code the route names in config.validationError', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'POST', url: '/register', payload: { client_name: 5 } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_client_metadata', error_description: "the body parameter 'client_name' must be string" })
  })
})

describe('R1-02-X-02 R1-02-X-05 unknown routes and methods', () => {
  it('answers an unknown path with 404 not_found in the same shape', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json()).toEqual({ error: 'not_found', error_description: 'no resource at GET /nowhere' })
  })

  it('passes a NotFound thrown by a handler through', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/clients/abc' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: 'not_found', error_description: 'no client abc' })
  })

  it('R1-02-X-05 answers another method on a known path with 405 and Allow', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'DELETE', url: '/clients/abc' })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('GET, HEAD, PUT')
    expect(response.json()).toEqual({ error: 'method_not_allowed', error_description: 'DELETE is not allowed here; use GET, HEAD, PUT' })
  })

  it('RFC6749-01 answers GET on the token endpoint with 405', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/token-endpoint' })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('POST')
  })
})

describe('RFC 6749 §5.1 R1-02-X-06 Cache-Control: no-store on routes that ask for it', () => {
  it('adds no-store and Pragma to successful responses', async () => {
    app = await errorApp()
    const response = await app.inject({
      method: 'POST',
      url: '/token-endpoint',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers.pragma).toBe('no-cache')
  })

  it('adds no-store to error responses of those routes', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'POST', url: '/token-endpoint', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
    expect(response.statusCode).toBe(400)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "the body parameter 'grant_type' is required" })
  })

  it('leaves other routes alone', async () => {
    app = await errorApp()
    const response = await app.inject({ method: 'GET', url: '/grant' })
    expect(response.headers['cache-control']).toBeUndefined()
  })
})
