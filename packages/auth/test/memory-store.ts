/**
 * An in-memory {@link AuthStore} for this package's unit tests. It follows the contract written in
 * `src/store.ts`, transactions included (a snapshot is restored when the callback throws), so
 * code built on the store can be tested without a database. Not exported; the real store is
 * `@cds-ts/server`'s Kysely implementation.
 */
import type {
  AuthorizationCodeRecord,
  AuthStore,
  ClientRecord,
  Consumed,
  CredentialRecord,
  PushedAuthorizationRequestRecord,
  TokenRecord,
} from '../src/store.js'

interface Tables {
  clients: Map<string, ClientRecord>
  credentials: Map<string, CredentialRecord>
  tokens: Map<string, TokenRecord>
  codes: Map<string, AuthorizationCodeRecord>
  pushedRequests: Map<string, PushedAuthorizationRequestRecord>
}

const copy = <T>(value: T): T => structuredClone(value)

function snapshot(tables: Tables): Tables {
  return {
    clients: new Map([...tables.clients].map(([k, v]) => [k, copy(v)])),
    credentials: new Map([...tables.credentials].map(([k, v]) => [k, copy(v)])),
    tokens: new Map([...tables.tokens].map(([k, v]) => [k, copy(v)])),
    codes: new Map([...tables.codes].map(([k, v]) => [k, copy(v)])),
    pushedRequests: new Map([...tables.pushedRequests].map(([k, v]) => [k, copy(v)])),
  }
}

function consume<T extends { used_at: Date | null }>(table: Map<string, T>, key: string, used_at: Date): Consumed<T> | undefined {
  const row = table.get(key)
  if (row === undefined) return undefined
  const before = copy(row)
  if (row.used_at === null) row.used_at = used_at
  return { record: before, replay: before.used_at !== null }
}

function revokeWhere(tokens: Map<string, TokenRecord>, test: (t: TokenRecord) => boolean, revoked_at: Date): number {
  let n = 0
  for (const token of tokens.values()) {
    if (token.revoked_at === null && test(token)) {
      token.revoked_at = revoked_at
      n++
    }
  }
  return n
}

/** A fresh, empty in-memory store. */
export function memoryStore(): AuthStore {
  let t: Tables = {
    clients: new Map(),
    credentials: new Map(),
    tokens: new Map(),
    codes: new Map(),
    pushedRequests: new Map(),
  }
  let queue: Promise<unknown> = Promise.resolve()

  const store: AuthStore = {
    clients: {
      insert: async (client) => {
        if (t.clients.has(client.client_id)) throw new Error(`duplicate client_id ${client.client_id}`)
        t.clients.set(client.client_id, copy(client))
      },
      find: async (client_id) => copy(t.clients.get(client_id)),
      listByRegistration: async (registration_id) => [...t.clients.values()].filter((c) => c.registration_id === registration_id).map(copy),
      update: async (client_id, changes) => {
        const row = t.clients.get(client_id)
        if (row === undefined) return false
        t.clients.set(client_id, { ...row, ...copy(changes) })
        return true
      },
    },
    credentials: {
      insert: async (credential) => {
        if (t.credentials.has(credential.credential_id)) throw new Error(`duplicate credential_id ${credential.credential_id}`)
        if (!t.clients.has(credential.client_id)) throw new Error(`unknown client_id ${credential.client_id}`)
        t.credentials.set(credential.credential_id, copy(credential))
      },
      find: async (credential_id) => copy(t.credentials.get(credential_id)),
      listByClient: async (client_id) =>
        [...t.credentials.values()]
          .filter((c) => c.client_id === client_id)
          .sort((a, b) => b.modified.getTime() - a.modified.getTime())
          .map(copy),
      updateExpiry: async (credential_id, client_secret_expires_at, modified) => {
        const row = t.credentials.get(credential_id)
        if (row === undefined) return false
        Object.assign(row, { client_secret_expires_at, modified })
        return true
      },
    },
    tokens: {
      insert: async (token) => {
        t.tokens.set(token.token_hash, copy(token))
      },
      find: async (token_hash) => copy(t.tokens.get(token_hash)),
      revoke: async (token_hash, at) => revokeWhere(t.tokens, (x) => x.token_hash === token_hash, at),
      revokeByClient: async (client_id, at) => revokeWhere(t.tokens, (x) => x.client_id === client_id, at),
      revokeByCredential: async (credential_id, at) => revokeWhere(t.tokens, (x) => x.credential_id === credential_id, at),
      revokeByCode: async (code_hash, at) => revokeWhere(t.tokens, (x) => x.code_hash === code_hash, at),
      revokeByGrant: async (grant_id, at) => revokeWhere(t.tokens, (x) => x.grant_id === grant_id, at),
    },
    codes: {
      insert: async (code) => {
        t.codes.set(code.code_hash, copy(code))
      },
      consume: async (code_hash, used_at) => consume(t.codes, code_hash, used_at),
    },
    pushedRequests: {
      insert: async (request) => {
        t.pushedRequests.set(request.request_uri_hash, copy(request))
      },
      find: async (request_uri_hash) => copy(t.pushedRequests.get(request_uri_hash)),
      consume: async (request_uri_hash, used_at) => consume(t.pushedRequests, request_uri_hash, used_at),
    },
    // Transactions run one at a time; a failure restores the tables as they were before it.
    transaction: async <T,>(fn: (tx: AuthStore) => Promise<T>): Promise<T> => {
      const run = queue.then(async () => {
        const before = snapshot(t)
        try {
          // A nested transaction joins this one.
          const tx: AuthStore = { ...store, transaction: (inner) => inner(tx) }
          return await fn(tx)
        } catch (err) {
          t = before
          throw err
        }
      })
      queue = run.catch(() => undefined)
      return run
    },
  }
  return store
}
