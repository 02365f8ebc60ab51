import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createDatabase } from '@cds-ts/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url))

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs `cds …` (the built bin) as a separate process, as a person would. */
async function cds(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CDS_DATABASE_URL'))
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...clean, ...env }, maxBuffer: 16 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('cds demo generate', { timeout: 300_000 }, () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cds-demo-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes 2 customers × 1 year into a PGlite directory, prints a summary, and a second run writes nothing', async () => {
    const data = join(dir, 'pglite')
    const first = await cds(['demo', 'generate', '--customers', '2', '--years', '1', '--seed', 'cli-test', '--until', '2025-12', '--database-url', data, '--quiet'])
    expect(first).toMatchObject({ code: 0, stdout: '' })
    const database = await createDatabase(data)
    const { db } = database
    try {
      const count = async (table: 'customers' | 'accounts' | 'meter_devices' | 'usage_segments' | 'bill_statements') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
      expect(await count('customers')).toBe(2)
      expect(await count('accounts')).toBeGreaterThanOrEqual(2)
      expect(await count('meter_devices')).toBeGreaterThanOrEqual(2)
      // One segment per meter per month at least, plus the aggregations' monthly totals.
      expect(await count('usage_segments')).toBeGreaterThanOrEqual(2 * 12)
      // Households: one account each, billed every month.
      const billed = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).where('customer_id', 'is not', null).executeTakeFirstOrThrow()
      expect(await count('bill_statements')).toBe(Number(billed.n) * 12)
    } finally {
      await database.close()
    }
    const again = await cds(['demo', 'generate', '--customers', '2', '--years', '1', '--seed', 'cli-test', '--until', '2025-12'], { CDS_DATABASE_URL: data })
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already in this database/)
  })

  it('prints what it wrote and how to log in', async () => {
    const result = await cds(['demo', 'generate', '--customers', '1', '--seed', 'cli-summary', '--database-url', join(dir, 'summary')])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^wrote 1 customers, \d+ accounts, \d+ meters, \d+ usage segments \(\d+ readings\), \d+ statements/)
    expect(result.stdout).toContain('customer001@demo-utility.example')
  })

  it('exits 2 on usage errors', async () => {
    expect((await cds(['demo', 'generate', '--customers', 'many', '--database-url', join(dir, 'x')])).code).toBe(2)
    expect((await cds(['demo', 'generate', '--years', '11', '--database-url', join(dir, 'x')])).code).toBe(2)
    expect((await cds(['demo', 'generate'])).code).toBe(2)
    expect((await cds(['demo', 'generate', '--timezone', 'Mars/Olympus', '--database-url', join(dir, 'x')])).code).toBe(2)
  })
})
