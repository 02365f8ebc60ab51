import { describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from './database-url.js'

describe('parseDatabaseUrl', () => {
  it('reads postgres URLs, memory: and PGlite data directories', () => {
    expect(parseDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' })
    expect(parseDatabaseUrl('postgresql://db/x')).toEqual({ kind: 'postgres', url: 'postgresql://db/x' })
    expect(parseDatabaseUrl('memory:')).toEqual({ kind: 'memory' })
    expect(parseDatabaseUrl('.cds-data/pglite')).toEqual({ kind: 'pglite', data_dir: '.cds-data/pglite' })
    expect(parseDatabaseUrl('/var/lib/cds')).toEqual({ kind: 'pglite', data_dir: '/var/lib/cds' })
    expect(parseDatabaseUrl('C:\\cds\\data')).toEqual({ kind: 'pglite', data_dir: 'C:\\cds\\data' })
    expect(parseDatabaseUrl('file:///var/lib/cds%20data')).toEqual({ kind: 'pglite', data_dir: '/var/lib/cds data' })
  })

  it('refuses other schemes', () => {
    expect(parseDatabaseUrl('mysql://db')).toBeUndefined()
    expect(parseDatabaseUrl('sqlite:cds.db')).toBeUndefined()
  })
})
