/**
 * Helpers of the operator API tests (`src/operator/*.test.ts`): what a Client sees through the
 * client management APIs after an operator action, and the registration of a test Client.
 */
import type { Client, Message } from '@cds-ts/schema'
import { expect } from 'vitest'
import { call, operator, type ApiApp, type TestRegistration } from './api-app.js'

/** A Message of the operator listings, with its registration. */
export interface OperatorListed {
  registration_id: string
  message: Message
}

/** Every Message a Client sees in its three lists (`outstanding`, `unread`, `read`), once each. */
export async function clientMessages(api: ApiApp, client: TestRegistration): Promise<Message[]> {
  const response = await call(api.app, 'GET', '/api/messages', client.adminToken)
  expect(response.statusCode).toBe(200)
  const body = response.json<{ outstanding: Message[]; unread: Message[]; read: Message[] }>()
  const byId = new Map<string, Message>()
  for (const m of [...body.outstanding, ...body.unread, ...body.read]) byId.set(m.message_id, m)
  return [...byId.values()]
}

/** The Messages a Client sees in its `outstanding` list. */
export async function outstandingMessages(api: ApiApp, client: TestRegistration): Promise<Message[]> {
  const response = await call(api.app, 'GET', '/api/messages', client.adminToken)
  return response.json<{ outstanding: Message[] }>().outstanding
}

/** The Client objects a Client sees (first page). */
export async function clientObjects(api: ApiApp, client: TestRegistration): Promise<Client[]> {
  const response = await call(api.app, 'GET', '/api/clients', client.adminToken)
  expect(response.statusCode).toBe(200)
  return response.json<{ clients: Client[] }>().clients
}

/** The `registration_id` of a test registration, from the operator's registrations listing. */
export async function registrationIdOf(api: ApiApp, client: TestRegistration): Promise<string> {
  const response = await operator(api.app, 'GET', `/operator/clients?client_ids=${client.admin.client_id}`)
  expect(response.statusCode).toBe(200)
  const [listed] = response.json<{ clients: { registration_id: string }[] }>().clients
  if (listed === undefined) throw new Error(`the operator does not see ${client.admin.client_id}`)
  return listed.registration_id
}

/** A Client creates a Message through the Messages API; returns it (201 asserted). */
export async function clientPost(api: ApiApp, client: TestRegistration, body: Record<string, unknown>): Promise<Message> {
  const response = await call(api.app, 'POST', '/api/messages', client.adminToken, body)
  expect(response.statusCode, response.body).toBe(201)
  return response.json<Message>()
}
