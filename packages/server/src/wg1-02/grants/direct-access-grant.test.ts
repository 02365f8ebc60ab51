import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApiApp, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { clientsByScope, expectError, listGrants, oauthPost, secretFor } from '../../../test/grants-kit.js'
import { DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { changeGrantStatus } from './grant-changes.js'

const DETAILS = JSON.stringify([{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }])

forEachDialect('CDS-WG1-02 §8.2 a direct-access token follows its Client object\u2019s Grant (A-22)', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  let direct = ''
  let secret = ''
  const token = () => oauthPost(api.app, '/oauth/token', direct, secret, { grant_type: 'client_credentials', authorization_details: DETAILS })
  const introspect = async (value: string) =>
    (await oauthPost(api.app, '/oauth/introspect', reg.admin.client_id, reg.admin.client_secret, { token: value })).json<{ active: boolean }>()

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    reg = await register(api.app)
    direct = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_DIRECT_SCOPE)!
    secret = await secretFor(t.db, api.clock, api.config, direct)
  })
  afterAll(async () => {
    await api.app.close()
  })

  it('R1-02-8.2-04 suspending the Grant revokes its tokens and refuses new ones; reactivating lets new ones through', async () => {
    const [grant] = (await listGrants(api.app, reg.adminToken, `?client_ids=${direct}`)).grants
    expect(grant).toMatchObject({ status: 'active', scope: DEMO_DIRECT_SCOPE })
    const first = await token()
    expect(first.statusCode).toBe(200)
    const access = first.json<{ access_token: string }>().access_token
    expect(await introspect(access)).toMatchObject({ active: true })

    await changeGrantStatus(t.db, api.clock, api.config, grant!.grant_id, 'suspended')
    expect(await introspect(access)).toEqual({ active: false })
    expectError(await token(), 400, 'invalid_scope')

    await changeGrantStatus(t.db, api.clock, api.config, grant!.grant_id, 'active')
    expect((await token()).statusCode).toBe(200)
  })
})
