import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { buildServer, loadConfig } from '@cds-ts/server'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url))

async function cds(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 16 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('cds conformance', { timeout: 120_000 }, () => {
  let app: FastifyInstance
  let base = ''
  let broken: Server
  let brokenBase = ''
  let dir = ''

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cds-conformance-'))
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo
        probe.close(() => resolve(free))
      })
    })
    base = `http://127.0.0.1:${port}`
    const config = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:', CDS_BASE_URL: base, CDS_DEMO_DATA: '0,1,x' } })
    app = await buildServer({ config })
    await app.listen({ host: '127.0.0.1', port })
    // A server whose metadata document is a JSON array, not an object (CDS-WG1-01 §3.1).
    broken = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]')
    })
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve))
    brokenBase = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await app.close()
    await new Promise<void>((resolve) => broken.close(() => resolve()))
    await rm(dir, { recursive: true, force: true })
  })

  it('passes a check against a live server and writes JSON, JUnit and HTML reports; exit 0', async () => {
    const files = { json: join(dir, 'r.json'), junit: join(dir, 'r.xml'), html: join(dir, 'r.html') }
    const result = await cds(['conformance', base, '--only', 'R1-01-3-02', '--allow-loopback-http', '--json', files.json, '--junit', files.junit, '--html', files.html])
    expect(result.stderr).toContain(`wrote ${files.html}`)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^CDS-WG1-01\s+\d+\s+\d+\s+\d+\s+1\s+1\s+0\s+0\s+0$/m)
    expect(result.stdout).toContain('checks: 1 passed, 0 failed, 0 skipped, 0 not applicable')
    const report = JSON.parse(await readFile(files.json, 'utf8')) as { results: { id: string; status: string }[] }
    expect(report.results).toEqual([expect.objectContaining({ id: 'R1-01-3-02', status: 'passed' })])
    expect(await readFile(files.junit, 'utf8')).toContain('<testsuite name="CDS-WG1-01" tests="1" failures="0"')
    expect(await readFile(files.html, 'utf8')).toContain('<h1>CDS conformance report</h1>')
  })

  it('reports the failed requirement and exits 1 against a broken server', async () => {
    const result = await cds(['conformance', brokenBase, '--only', 'R1-01-3-02', '--quiet'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^FAIL R1-01-3-02 CDS-WG1-01 §3\b/m)
    expect(result.stdout).toContain('not a JSON object')
  })

  it('exits 2 on usage errors', async () => {
    expect((await cds(['conformance', 'not a url'])).code).toBe(2)
    expect((await cds(['conformance', base, '--spec', 'WG9-99'])).code).toBe(2)
    expect((await cds(['conformance', base, '--customer', 'no-colon'])).code).toBe(2)
  })
})
