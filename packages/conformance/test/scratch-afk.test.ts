import { it, expect } from 'vitest'
import { startLiveServer } from './live-server.js'
import { CheckContext, RunState } from '../src/core/context.js'
import { clientWithScope } from '../src/core/registration.js'
import { authorizeWithConsent } from '../src/wg3-01/authorization-form/consent.js'
it('scratch', async () => {
  const s = await startLiveServer()
  const state = new RunState(s.options)
  const ctx = new CheckContext(state)
  try {
    const reg = await ctx.registration()
    const c = clientWithScope(reg, 'cds_accounts')!
    const t0 = Date.now()
    const r = await authorizeWithConsent(ctx, { credentials: c.credentials, redirect_uri: String((c.client.redirect_uris as string[])[0]), scope: 'cds_accounts', authorization_details: [{ type: 'cds_accounts', account_numbers: ['_all'] }] })
    console.log(Date.now() - t0, JSON.stringify(r.tokens).slice(0, 600), r.grant_id, r.redirect.href)
  } catch (e) { console.log('ERR', e, state.http.log.slice(-4)); throw e }
  finally { for (const c of state.cleanups) await c(); await state.close(); await s.close() }
}, 120000)
