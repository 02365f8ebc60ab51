/**
 * A bare Fastify app with the shared mechanisms of `src/shared/` registered in the order `app.ts`
 * uses, for the tests of those mechanisms. Routes are added by each test before `ready()`.
 */
import { manualClock, type ManualClock } from '@cds-ts/auth'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify'
import { bearerAuthPlugin, type TokenInfo } from '../src/shared/bearer-auth.js'
import { decimalJsonPlugin } from '../src/shared/decimal-json.js'
import { errorHandlerPlugin } from '../src/shared/error-handler.js'
import { openApiPlugin } from '../src/shared/openapi.js'
import { requestBodyPlugin } from '../src/shared/request-body.js'
import { schemaController, schemasPlugin } from '../src/shared/schemas.js'

/** The realm of every challenge in these tests. */
export const TEST_REALM = 'https://utility.example.com'

/** A Fastify instance typed for TypeBox routes. */
export type TestApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

/** What {@link buildSharedApp} returns: the app, its token table and its clock. */
export interface SharedApp {
  app: TestApp
  /** Tokens by their value, as the storage would find them. */
  tokens: Map<string, TokenInfo>
  clock: ManualClock
}

/** Builds the app, not yet ready; `options` go to Fastify (e.g. `bodyLimit`, `logger`). */
export async function buildSharedApp(options: FastifyServerOptions = {}): Promise<SharedApp> {
  const tokens = new Map<string, TokenInfo>()
  const clock = manualClock('2026-01-01T00:00:00Z')
  const app = Fastify({ ...options, schemaController }).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(errorHandlerPlugin, { realm: TEST_REALM })
  await app.register(requestBodyPlugin)
  await app.register(decimalJsonPlugin)
  await app.register(schemasPlugin)
  await app.register(openApiPlugin, { title: 'test', version: '1.0.0' })
  await app.register(bearerAuthPlugin, { realm: TEST_REALM, clock, findToken: async (token) => tokens.get(token) })
  return { app, tokens, clock }
}
