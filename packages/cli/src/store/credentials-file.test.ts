import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsPath, CredentialsFileError, readCredentials, serverEntry, updateCredentials } from './credentials-file.js'

describe('credentials file', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cds-credentials-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('lives at $CDS_CLI_CONFIG, else under $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(credentialsPath({ CDS_CLI_CONFIG: '/x/c.json' })).toBe('/x/c.json')
    expect(credentialsPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/cds/credentials.json')
    expect(credentialsPath({})).toMatch(/\.config\/cds\/credentials\.json$/)
  })

  it('reads an absent file as empty, and writes with mode 0600 in a 0700 directory', async () => {
    const path = join(dir, 'nested', 'cds', 'credentials.json')
    expect(await readCredentials(path)).toEqual({ version: 1, servers: {} })
    await updateCredentials(path, (file) => {
      serverEntry(file, 'https://cds.example/').admin = { client_id: 'a', client_secret: 's', scope: 'cds_client_admin' }
    })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'nested', 'cds'))).mode & 0o777).toBe(0o700)
    const file = await readCredentials(path)
    expect(file.servers['https://cds.example']?.admin?.client_secret).toBe('s')
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(file)
  })

  it('refuses a file other users can read, and one that is not its layout', async () => {
    const path = join(dir, 'loose.json')
    await writeFile(path, JSON.stringify({ version: 1, servers: {} }))
    await chmod(path, 0o644)
    await expect(readCredentials(path)).rejects.toThrow(/readable by other users \(mode 644\); run: chmod 600/)
    await chmod(path, 0o600)
    await writeFile(path, '[1]')
    await expect(readCredentials(path)).rejects.toBeInstanceOf(CredentialsFileError)
  })
})
