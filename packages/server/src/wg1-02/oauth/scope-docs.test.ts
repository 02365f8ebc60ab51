import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApiApp, type ApiApp } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { DEMO_DEFAULT_PURPOSES } from '../../config/defaults.js'
import { SCOPE_DOCS_PATH } from './scope-docs.js'

forEachDialect('CDS-WG1-02 §3.4 the scope documentation page', (t) => {
  let api: ApiApp
  beforeAll(async () => {
    api = await buildApiApp(t.database)
  })
  afterAll(async () => api.app.close())

  it('R1-02-3.4 every documentation URL of the Scope Descriptions points at an anchor of the page', async () => {
    const page = await api.app.inject({ method: 'GET', url: SCOPE_DOCS_PATH })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const ids = new Set([...page.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))
    const anchors: string[] = []
    for (const scope of Object.values(api.config.oauth.scope_descriptions)) {
      anchors.push(scope.documentation)
      for (const field of scope.authorization_details_fields_supported) anchors.push(field.documentation, ...(field.choices ?? []).map((c) => c.documentation))
    }
    for (const url of anchors.filter((u) => u.includes(`${SCOPE_DOCS_PATH}#`))) expect(ids, url).toContain(url.split('#')[1])
  })

  it('R3-01-7.4.4-06 the default Purposes are documented with their text; R3-01-7.1.13.1-10 the address rules are there', async () => {
    const body = (await api.app.inject({ method: 'GET', url: SCOPE_DOCS_PATH })).body
    for (const purpose of DEMO_DEFAULT_PURPOSES) expect(body).toContain(purpose.content)
    expect(body).toContain('id="cds_accounts-addresses-matching"')
    expect(body).toMatch(/abbreviation/i)
    expect(body).toMatch(/separator/i)
    expect(body).toMatch(/\{street address\}, \{city\}, \{state\} \{zip code\}/)
    expect(body).toContain('123 main street unit 234, anytown, ca 90000')
  })
})
