import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { parseDateFilter, whereArrayHasAny, whereContains } from './filters.js'

describe('parseDateFilter (CDS-WG3-01 §10.5.4 before/after, A-14)', () => {
  it('takes full-dates and treats empty as absent', () => {
    expect(parseDateFilter('after', '2024-02-29')).toBe('2024-02-29')
    expect(parseDateFilter('after', '')).toBeUndefined()
    expect(parseDateFilter('after', undefined)).toBeUndefined()
  })
  it.each(['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00Z', 'yesterday'])('refuses %s with 400 naming the parameter', (value) => {
    expect(() => parseDateFilter('before', value)).toThrow(/'before' must be an RFC 3339 date/)
  })
})

interface Row {
  id: string
  types: string
  name: string | null
}

forEachDialect('array and q filters (CDS-WG3-01 §10 common filter semantics, catalog §1.8)', (t) => {
  const db = () => t.db.withTables<{ ft: Row }>()
  beforeAll(async () => {
    await sql`create table ft (id text primary key, types jsonb not null, name text)`.execute(t.db)
    await db()
      .insertInto('ft')
      .values([
        { id: '1', types: '["electric","residential"]', name: 'Main Street 100% Solar_Co' },
        { id: '2', types: '["water"]', name: 'ÉCOLE Maple' },
        { id: '3', types: '[]', name: null },
      ])
      .execute()
  })
  const select = (condition: (eb: ExpressionBuilder<{ ft: Row }, 'ft'>) => Expression<SqlBool>) =>
    db()
      .selectFrom('ft')
      .select('id')
      .where(condition)
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((r) => r.id))

  it('an array field matches when any element equals any value', async () => {
    expect(await select(whereArrayHasAny('ft.types', new Set(['water', 'gas'])))).toEqual(['2'])
    expect(await select(whereArrayHasAny('ft.types', new Set(['residential', 'water'])))).toEqual(['1', '2'])
    expect(await select(whereArrayHasAny('ft.types', new Set(['unknown_value'])))).toEqual([])
    expect(await select(whereArrayHasAny('ft.types', undefined))).toEqual(['1', '2', '3'])
  })

  it('q is a case-insensitive substring over the given columns; % _ and \\ match themselves', async () => {
    expect(await select(whereContains(['ft.name'], 'main street'))).toEqual(['1'])
    expect(await select(whereContains(['ft.name'], '100%'))).toEqual(['1'])
    expect(await select(whereContains(['ft.name'], '%'))).toEqual(['1'])
    expect(await select(whereContains(['ft.name'], 'r_c'))).toEqual(['1'])
    expect(await select(whereContains(['ft.name'], 'olar_co'))).toEqual(['1'])
    expect(await select(whereContains(['ft.name'], 'maple'))).toEqual(['2'])
    expect(await select(whereContains(['ft.name'], ''))).toEqual(['1', '2', '3'])
    // No searchable column (every field gated off): nothing matches.
    expect(await select(whereContains([], 'maple'))).toEqual([])
  })
})
