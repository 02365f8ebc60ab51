import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createDatabase, migrateToLatest } from '@cds-ts/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url))
const FIXTURE = fileURLToPath(new URL('../../../../server/test/fixtures/green-button/electric-gas.xml', import.meta.url))

async function cds(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, CDS_DATABASE_URL: '' } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** Opens the PGlite directory, runs `fn`, closes it (one process at a time may hold it). */
async function withDb<T>(dir: string, fn: (db: Awaited<ReturnType<typeof createDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await createDatabase(dir)
  try {
    await migrateToLatest(handle.db)
    return await fn(handle.db)
  } finally {
    await handle.close()
  }
}

const segmentCount = (dir: string) =>
  withDb(dir, async (db) => (await db.selectFrom('usage_segments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('cds import / cds export (CDS-WG3-01 §10.8)', () => {
  let work: string
  let dir: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cds-import-'))
    dir = join(work, 'pglite')
    await withDb(dir, async (db) => {
      const at = new Date('2025-01-01T00:00:00Z')
      const stamps = { cds_created: at, cds_modified: at, cds_synced: at }
      await db.insertInto('accounts').values({ cds_account_id: 'acct0001', customer_id: null, account_number: '0012345678', account_status: 'active', ...stamps }).execute()
      for (const [id, service] of [['sc-e', 'electric'], ['sc-g', 'natural_gas']] as const) {
        await db
          .insertInto('service_contracts')
          .values({ cds_servicecontract_id: id, cds_account_id: 'acct0001', contract_status: 'active', service_types: JSON.stringify([service]), ...stamps })
          .execute()
      }
    })
  }, 120_000)
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('imports a Green Button file (exit 0) and says what it wrote', async () => {
    const { code, stdout } = await cds('import', 'greenbutton', FIXTURE, '--account', '0012345678', '--database-url', dir)
    expect(code).toBe(0)
    expect(stdout).toBe('imported 301 readings into 5 usage segments for 2 meters (2 new) of account acct0001\n')
    expect(await segmentCount(dir)).toBe(5)
  }, 120_000)

  it('refuses a bad file with exit 1, naming the place, and writes nothing', async () => {
    const bad = join(work, 'bad.xml')
    await writeFile(bad, (await readFile(FIXTURE, 'utf8')).replace('<espi:value>100000</espi:value>', '<espi:value>1.5</espi:value>'))
    const { code, stderr } = await cds('import', 'greenbutton', bad, '--account', 'acct0001', '--database-url', dir, '--quiet')
    expect(code).toBe(1)
    expect(stderr).toMatch(/^cds: bad\.xml:\d+:\d+ <IntervalReading>\/value: "1\.5" is not an integer\n$/)
    expect(await segmentCount(dir)).toBe(5)
  }, 120_000)

  it('imports CSV', async () => {
    const file = join(work, 'usage.csv')
    await writeFile(file, 'meter_number,interval_start,interval_seconds,value,units\n1001,2025-03-01T00:00:00Z,3600,1.250,kWh\n')
    const { code, stdout } = await cds('import', 'csv', file, '--account', 'acct0001', '--database-url', dir)
    expect(code).toBe(0)
    expect(stdout).toBe('imported 1 readings into 1 usage segments for 1 meters (0 new) of account acct0001\n')
  }, 120_000)

  it('exports the same bytes twice', async () => {
    const a = join(work, 'a.xml')
    const b = join(work, 'b.xml')
    expect((await cds('export', 'greenbutton', '--account', 'acct0001', '--local-time', 'us-eastern', '--out', a, '--database-url', dir)).code).toBe(0)
    expect((await cds('export', 'greenbutton', '--account', 'acct0001', '--local-time', 'us-eastern', '--out', b, '--database-url', dir)).code).toBe(0)
    expect((await readFile(a)).equals(await readFile(b))).toBe(true)
  }, 120_000)

  it('usage errors exit 2; an unknown account exits 1', async () => {
    expect((await cds('import', 'greenbutton', FIXTURE, '--database-url', dir)).code).toBe(2)
    expect((await cds('export', 'greenbutton', '--account', 'acct0001', '--local-time', 'mars', '--database-url', dir)).code).toBe(2)
    const unknown = await cds('export', 'greenbutton', '--account', 'nobody', '--database-url', dir, '--out', join(work, 'x.xml'))
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe('cds: unknown account "nobody": no cds_account_id or account_number matches it\n')
  }, 120_000)
})
