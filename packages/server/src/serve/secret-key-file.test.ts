import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../config/load-config.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDataDir, readOrCreateSecretKey, secretKeyPath, withPersistentSecretKey } from './secret-key-file.js'

describe('CDS-WG1-02 §7.1 the reference server keeps its sealing key beside a PGlite directory', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cds-key-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('tells a PGlite directory from PostgreSQL and memory:', () => {
    expect(pgliteDataDir('.cds-data/pglite')).toBe('.cds-data/pglite')
    expect(pgliteDataDir('file:///var/lib/cds/pglite')).toBe('/var/lib/cds/pglite')
    expect(pgliteDataDir('memory:')).toBeUndefined()
    expect(pgliteDataDir('postgres://u@h/db')).toBeUndefined()
    expect(pgliteDataDir('postgresql://u@h/db')).toBeUndefined()
    expect(secretKeyPath('/var/lib/cds/pglite')).toBe('/var/lib/cds/pglite.secret-key')
  })

  it('creates a 0600 key file once and reads the same key afterwards', async () => {
    const path = join(dir, 'nested', 'pglite.secret-key')
    const key = await readOrCreateSecretKey(path)
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readOrCreateSecretKey(path)).toBe(key)
    expect((await readFile(path, 'utf8')).trim()).toBe(key)
  })

  it('refuses a key file that holds something else', async () => {
    const path = join(dir, 'broken.secret-key')
    await writeFile(path, 'not a key\n')
    await expect(readOrCreateSecretKey(path)).rejects.toThrow(/does not hold a secret key/)
  })

  it('fills the key only when none is configured and the data is in a PGlite directory', async () => {
    const dataDir = join(dir, 'data', 'pglite')
    const config = await loadConfig({ env: { CDS_DATABASE_URL: dataDir } })
    const filled = await withPersistentSecretKey(config)
    expect(filled.client_management.secret_key).toBe((await readFile(`${dataDir}.secret-key`, 'utf8')).trim())
    expect((await withPersistentSecretKey(config)).client_management.secret_key).toBe(filled.client_management.secret_key)
    const configured = await loadConfig({ env: { CDS_DATABASE_URL: dataDir, CDS_SECRET_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' } })
    expect(await withPersistentSecretKey(configured)).toBe(configured)
    const memory = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:' } })
    expect(await withPersistentSecretKey(memory)).toBe(memory)
  })
})
