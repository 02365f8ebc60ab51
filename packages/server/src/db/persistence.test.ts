import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { hashSecret, type AuthStore } from '@cds-ts/auth'
import { afterAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/dialects.js'
import { client as fixtureClient, credential as fixtureCredential, token as fixtureToken } from '../../test/records.js'
import { createDatabase } from './dialects.js'
import { migrateToLatest } from './migrate.js'
import { KyselyAuthStore } from './oauth-store.js'

const client = fixtureClient({ client_id: 'persisted-admin', contacts: ['ops@client.example'], registration_fields: { cds_company_name: 'Example Co' } })
const credential = fixtureCredential(client.client_id, { client_secret_hash: hashSecret('persisted-secret') })
const token = fixtureToken(client.client_id, {
  token_type: 'refresh_token',
  credential_id: credential.credential_id,
  expires_at: new Date('2025-04-01T00:00:00Z'),
})

async function write(store: AuthStore): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.clients.insert(client)
    await tx.credentials.insert(credential)
    await tx.tokens.insert(token)
  })
}

async function expectKept(store: AuthStore): Promise<void> {
  expect(await store.clients.find(client.client_id)).toEqual(client)
  expect(await store.credentials.find(credential.credential_id)).toEqual(credential)
  expect(await store.tokens.find(token.token_hash)).toEqual(token)
}

describe('issue 3: restarting the server keeps clients, credentials and tokens', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('a PGlite data directory (opened as a file: URL, reopened as a path, created if missing) keeps its rows', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cds-ts-pglite-'))
    dirs.push(parent)
    const dataDir = join(parent, 'nested', 'data')
    const first = await createDatabase(pathToFileURL(dataDir).href)
    expect(first.engine).toBe('pglite')
    expect(await migrateToLatest(first.db)).toEqual(['0001-initial', '0002-client-management', '0003-customer-authorization', '0004-customer-data'])
    await write(new KyselyAuthStore(first.db))
    await first.close()

    const second = await createDatabase(dataDir)
    try {
      expect(await migrateToLatest(second.db)).toEqual([])
      await expectKept(new KyselyAuthStore(second.db))
    } finally {
      await second.close()
    }
  }, 120_000)

  for (const dialect of DIALECTS.filter((d) => d.name === 'postgres')) {
    it('a PostgreSQL database reopened through a new pool keeps its rows', async () => {
      const database = await dialect.open()
      try {
        await write(new KyselyAuthStore(database.db))
        await database.close()
        const reopened = await createDatabase(database.reopenUrl!)
        expect(reopened.engine).toBe('postgres')
        try {
          await expectKept(new KyselyAuthStore(reopened.db))
        } finally {
          await reopened.close()
        }
      } finally {
        await database.dispose()
      }
    })
  }
})
