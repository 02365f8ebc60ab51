import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApiApp, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { clientsByScope, expectError, listGrants, oauthPost, secretFor } from '../../../test/grants-kit.js'
import type { Client } from '@cds-ts/schema'
import { call } from '../../../test/api-app.js'
import { DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { changeGrantStatus } from './grant-changes.js'

const DETAILS = JSON.stringify([{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }])
const SECOND = 'demo_meter_readings_extra'

forEachDialect('CDS-WG1-02 §8.2 a direct-access token follows its Client object\u2019s Grant (A-22)', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  let direct = ''
  let secret = ''
  const token = () => oauthPost(api.app, '/oauth/token', direct, secret, { grant_type: 'client_credentials', authorization_details: DETAILS })
  const introspect = async (value: string) =>
    (await oauthPost(api.app, '/oauth/introspect', reg.admin.client_id, reg.admin.client_secret, { token: value })).json<{ active: boolean }>()

  beforeAll(async () => {
    // A second direct-access scope with the same shape, so the Client object may add it.
    api = await buildApiApp(t.database, (config) => {
      const direct = config.oauth.scope_descriptions[DEMO_DIRECT_SCOPE]!
      config.oauth.scope_descriptions[SECOND] = {
        ...direct,
        id: SECOND,
        type: SECOND,
        authorization_details_types_supported: [SECOND],
        authorization_details_fields_supported: direct.authorization_details_fields_supported.map((f) => ({ ...f, for_types: [SECOND] })),
      }
    })
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

  it('A-22 the Grant follows the Client object\u2019s scope: an added scope gets tokens bound to it, a removed one does not', async () => {
    const object = (await call(api.app, 'GET', `/api/clients/${direct}`, reg.adminToken)).json<Client>()
    const widened = await call(api.app, 'PUT', object.cds_client_uri, reg.adminToken, { ...object, scope: `${DEMO_DIRECT_SCOPE} ${SECOND}` })
    expect(widened.statusCode, widened.body).toBe(200)
    const [grant] = (await listGrants(api.app, reg.adminToken, `?client_ids=${direct}`)).grants
    expect(grant).toMatchObject({ scope: `${DEMO_DIRECT_SCOPE} ${SECOND}`, enabled_scope: `${DEMO_DIRECT_SCOPE} ${SECOND}` })
    const extra = JSON.stringify([{ type: SECOND, meter_ids: ['m-2'] }])
    const issued = await oauthPost(api.app, '/oauth/token', direct, secret, { grant_type: 'client_credentials', authorization_details: extra })
    expect(issued.statusCode, issued.body).toBe(200)
    const token = issued.json<{ access_token: string }>().access_token

    const narrowed = await call(api.app, 'PUT', object.cds_client_uri, reg.adminToken, { ...widened.json<Client>(), scope: DEMO_DIRECT_SCOPE })
    expect(narrowed.statusCode, narrowed.body).toBe(200)
    const [after] = (await listGrants(api.app, reg.adminToken, `?client_ids=${direct}`)).grants
    expect(after).toMatchObject({ scope: DEMO_DIRECT_SCOPE, enabled_scope: DEMO_DIRECT_SCOPE })
    // CDS-WG1-02 §8.2 (R1-02-8.2-05): the token for the removed scope lost it.
    expect(await introspect(token)).toEqual({ active: false })
  })
})
