import { expect, it } from 'vitest'
import { buildApiApp, register } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'

forEachDialect('api app harness', (t) => {
  it('registers with every demo scope and gets a client admin token', async () => {
    const { app } = await buildApiApp(t.database)
    const { admin, adminToken } = await register(app)
    expect(admin.scope).toBe('cds_client_admin')
    expect(adminToken.length).toBeGreaterThan(20)
    await app.close()
  })
})
