import { spawn } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { serveEnvironment } from './index.js'

const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url))

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

describe('cds serve', { timeout: 120_000 }, () => {
  it('options win over the environment', () => {
    const env = serveEnvironment({ port: '9000', databaseUrl: 'memory:', demoData: '0,1,x', logLevel: 'warn' }, { PORT: '8080', HOME: '/h' })
    expect(env).toMatchObject({ PORT: '9000', CDS_DATABASE_URL: 'memory:', CDS_DEMO_DATA: '0,1,x', HOME: '/h' })
    expect(env.CDS_OPERATOR_TOKEN).toBeUndefined()
  })

  it('starts the reference server, prints URLs that answer (operator API on), and stops on SIGINT with exit 0', async () => {
    const port = await freePort()
    const token = 'cli-serve-operator-token-0123456789abcdef'
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CDS_')))
    const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--database-url', 'memory:', '--demo-data', '0,1,x', '--operator-token', token], {
      env: inherited,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      await expect.poll(() => stdout, { timeout: 90_000, interval: 200 }).toContain('Press Ctrl+C to stop.')
      expect(stdout).toContain('Operator API on')
      const operator = /operator\s+(\S+)/.exec(stdout)?.[1]
      expect(operator).toBe(`http://127.0.0.1:${port}/operator/messages`)
      expect((await fetch(operator!, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })

  it('exits 1 with the reason when the configuration is invalid', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--operator-token', 'short', '--database-url', 'memory:'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1)
    expect(stderr).toContain('could not start the reference server')
  })
})
