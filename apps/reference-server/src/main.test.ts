import { spawn } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

describe('pnpm start (dist/main.js)', { timeout: 120_000 }, () => {
  it('prints its URLs, serves them, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    // The child reads only what this test sets: no configuration file, operator token or base URL of the caller's.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CDS_')))
    const child = spawn(process.execPath, [main], {
      env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', CDS_DATABASE_URL: 'memory:', CDS_DEMO_DATA: '0,1,x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      await expect.poll(() => stdout, { timeout: 90_000, interval: 200 }).toContain('Press Ctrl+C to stop.')
      expect(stdout).toContain('cds-ts reference server listening (storage: PGlite in memory)')
      const metadata = /metadata\s+(\S+)/.exec(stdout)?.[1]
      expect(metadata).toBe(`http://127.0.0.1:${port}/.well-known/cds-server-metadata.json`)
      expect((await fetch(metadata!)).status).toBe(200)
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
