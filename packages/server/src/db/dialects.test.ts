import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Decimal } from '@cds-ts/schema'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import type { JsonText } from './database.js'
import { parseDatabaseUrl } from './dialects.js'
import { fromJsonText, toJsonText } from './json-text.js'

describe('CDS_DATABASE_URL forms', () => {
  it('postgres:// and postgresql:// open a PostgreSQL pool', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/cds')).toEqual({ engine: 'postgres', url: 'postgres://u:p@db:5432/cds' })
    expect(parseDatabaseUrl('postgresql://db/cds')).toEqual({ engine: 'postgres', url: 'postgresql://db/cds' })
  })

  it('memory: opens an in-memory PGlite', () => {
    expect(parseDatabaseUrl('memory:')).toEqual({ engine: 'pglite', dataDir: undefined })
    expect(parseDatabaseUrl('memory://')).toEqual({ engine: 'pglite', dataDir: undefined })
  })

  it('a path or a file: URL opens a PGlite data directory, relative paths from the working directory', () => {
    expect(parseDatabaseUrl('./data/pglite')).toEqual({ engine: 'pglite', dataDir: resolve('data/pglite') })
    expect(parseDatabaseUrl('/var/lib/cds')).toEqual({ engine: 'pglite', dataDir: '/var/lib/cds' })
    expect(parseDatabaseUrl(pathToFileURL('/var/lib/cds db').href)).toEqual({ engine: 'pglite', dataDir: '/var/lib/cds db' })
  })

  it('refuses an empty value and unknown schemes, without showing a password', () => {
    expect(() => parseDatabaseUrl('  ')).toThrow(new TypeError('database URL is empty: use postgres://…, memory: or a PGlite data directory'))
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/cds')).toThrow(
      new TypeError('database URL mysql://root:***@db/cds has an unsupported scheme "mysql:": use postgres://…, memory: or a PGlite data directory'),
    )
  })
})

forEachDialect('CDS-WG1-02 §2 decimal and JSON values in storage', (t) => {
  beforeAll(async () => {
    await sql`create table value_probe (id text primary key, amount numeric, doc jsonb, seconds bigint, at timestamptz)`.execute(t.db)
  })

  it('R1-02-3.9-02 NUMERIC keeps 1.10 and a 30-digit value as exact strings', async () => {
    const values = ['1.10', '123456789012345678901234567890', '-0.000000000000000000000000000001', '12345678901234567890.1234567890']
    for (const [i, amount] of values.entries()) {
      await sql`insert into value_probe (id, amount) values (${`n${i}`}, ${amount})`.execute(t.db)
    }
    const rows = await sql<{ amount: unknown }>`select amount from value_probe where id like 'n%' order by id`.execute(t.db)
    expect(rows.rows.map((r) => r.amount)).toEqual(values)
    // Computed in the database, the result is exact text too.
    const sum = await sql<{ total: unknown }>`select sum(amount) as total from value_probe where id in ('n0', 'n1')`.execute(t.db)
    expect(sum.rows[0]?.total).toBe('123456789012345678901234567891.10')
  })

  it('R1-02-3.9-02 jsonb keeps decimals exact, arrays as arrays, and text as written', async () => {
    const doc = {
      type: 'example_scope',
      amount: Decimal.from('1.10'),
      tiny: Decimal.from('0.1000000000000000055511151231257827'),
      big: Decimal.from('123456789012345678901234567890'),
      count: 42,
      list: ['a', 'b'],
      nested: [{ text: 'é ✓ "quoted" \\ backslash' }],
      none: null,
    }
    await sql`insert into value_probe (id, doc) values ('j1', ${toJsonText(doc)})`.execute(t.db)
    // A top-level array is the case `pg` would send as a PostgreSQL array literal if not stringified.
    await sql`insert into value_probe (id, doc) values ('j2', ${toJsonText(['x', Decimal.from('2.50')])})`.execute(t.db)
    const rows = await sql<{ id: string; doc: JsonText<Record<string, unknown> | unknown[]> }>`
      select id, doc from value_probe where id in ('j1', 'j2') order by id`.execute(t.db)
    expect(typeof rows.rows[0]?.doc).toBe('string')
    const read = fromJsonText(rows.rows[0]!.doc) as Record<string, unknown>
    expect(String(read.amount)).toBe('1.10')
    expect(String(read.tiny)).toBe('0.1000000000000000055511151231257827')
    expect(String(read.big)).toBe('123456789012345678901234567890')
    expect(read.amount).toBeInstanceOf(Decimal)
    expect(read.count).toBe(42)
    expect(read.list).toEqual(['a', 'b'])
    expect(read.nested).toEqual([{ text: 'é ✓ "quoted" \\ backslash' }])
    expect(read.none).toBeNull()
    const array = fromJsonText(rows.rows[1]!.doc) as unknown[]
    expect(array).toHaveLength(2)
    expect(array[0]).toBe('x')
    expect(String(array[1])).toBe('2.50')
    const kinds = await sql<{ kind: string }>`select jsonb_typeof(doc) as kind from value_probe where id = 'j2'`.execute(t.db)
    expect(kinds.rows[0]?.kind).toBe('array')
  })

  it('bigint reads as a number and timestamptz as a Date, the same on both drivers', async () => {
    const at = new Date('2025-01-01T12:34:56.789Z')
    await sql`insert into value_probe (id, seconds, at) values ('t1', ${4102444800}, ${at})`.execute(t.db)
    const rows = await sql<{ seconds: unknown; at: unknown }>`select seconds, at from value_probe where id = 't1'`.execute(t.db)
    expect(rows.rows[0]?.seconds).toBe(4102444800)
    expect(rows.rows[0]?.at).toEqual(at)
  })

  it('a transaction that throws writes nothing and rethrows the same error', async () => {
    const failure = new Error('stop here')
    const caught = await t.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into value_probe (id, amount) values ('tx1', ${'1.00'})`.execute(trx)
        throw failure
      })
      .catch((error: unknown) => error)
    expect(caught).toBe(failure)
    const rows = await sql<{ id: string }>`select id from value_probe where id = 'tx1'`.execute(t.db)
    expect(rows.rows).toEqual([])
  })
})
