import { InvalidGrant, hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import { Decimal } from '@cds-ts/schema'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { T0, at, client, credential, token, unique } from '../../test/records.js'
import { KyselyAuthStore } from './oauth-store.js'

forEachDialect('CDS-WG1-02 §5.1 stored Client objects', (t) => {
  const store = () => new KyselyAuthStore(t.db)

  it('R1-02-5.1-01 a Client object with every optional field reads back as written, decimals exact', async () => {
    const defaults = [{ type: 'example_scope', limit: Decimal.from('1.10') }]
    const full = client({
      scope: 'example_scope',
      redirect_uris: ['https://client.example/cb?keep=1'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      contacts: ['ops@client.example'],
      authorization_details_types: ['example_scope'],
      client_uri: 'https://client.example',
      logo_uri: 'https://client.example/logo.png',
      tos_uri: 'https://client.example/tos',
      policy_uri: 'https://client.example/privacy',
      jwks: { keys: [{ kty: 'EC' }] },
      software_id: 'sw',
      software_version: '1.0',
      cds_created: '2025-01-01T00:00:00.250Z',
      cds_modified: '2025-02-01T10:00:00Z',
      cds_status: 'sandbox',
      cds_status_options: ['sandbox', 'disabled'],
      cds_default_scope: 'example_scope',
      cds_default_redirect_uri: 'https://server.example/receipt',
      cds_default_authorization_details: defaults,
      registration_fields: { cds_company_name: 'Example Co', accepted: true },
    })
    await store().clients.insert(full)
    const found = await store().clients.find(full.client_id)
    expect(found).toEqual({ ...full, cds_default_authorization_details: [{ type: 'example_scope', limit: expect.any(Decimal) }] })
    expect(String((found?.cds_default_authorization_details?.[0] as Record<string, unknown>).limit)).toBe('1.10')
    expect(await store().clients.find('no-such-client')).toBeUndefined()
  })

  it('R1-02-5.1-01 optional fields left out are absent, not null', async () => {
    const bare = client()
    await store().clients.insert(bare)
    const found = await store().clients.find(bare.client_id)
    expect(found).toEqual(bare)
    expect(found && 'client_uri' in found).toBe(false)
  })

  it('R1-02-4.2-08 lists the Client objects of one registration in creation order and refuses a duplicate client_id', async () => {
    const registration_id = unique('reg')
    const ids = ['z-admin', 'a-grant-admin', 'm-code'].map((id) => `${registration_id}-${id}`)
    for (const client_id of ids) await store().clients.insert(client({ client_id, registration_id }))
    await store().clients.insert(client({ registration_id: unique('reg') }))
    expect((await store().clients.listByRegistration(registration_id)).map((c) => c.client_id)).toEqual(ids)
    await expect(store().clients.insert(client({ client_id: ids[0]!, registration_id }))).rejects.toThrow()
  })

  it('R1-02-5.5-06 update changes the given fields, clears optional ones given as undefined, and reports unknown ids', async () => {
    const c = client({ client_uri: 'https://client.example', contacts: ['a@client.example'] })
    await store().clients.insert(c)
    expect(
      await store().clients.update(c.client_id, {
        cds_status: 'disabled',
        contacts: [],
        client_uri: undefined,
        cds_modified: '2025-03-01T00:00:00Z',
      }),
    ).toBe(true)
    const { client_uri: _gone, ...rest } = c
    expect(await store().clients.find(c.client_id)).toEqual({ ...rest, cds_status: 'disabled', contacts: [], cds_modified: '2025-03-01T00:00:00Z' })
    expect(await store().clients.update(c.client_id, {})).toBe(true)
    expect(await store().clients.update('no-such-client', { cds_status: 'disabled' })).toBe(false)
    expect(await store().clients.update('no-such-client', {})).toBe(false)
  })
})

forEachDialect('CDS-WG1-02 §7 stored Credentials and tokens', (t) => {
  const store = () => new KyselyAuthStore(t.db)
  const owner = client({ client_id: 'owner' })
  beforeAll(async () => {
    await store().clients.insert(owner)
  })

  it('R1-02-7.1-02 a Credential keeps only the digest of its secret, and two Credentials never share one', async () => {
    const c = credential(owner.client_id, { client_secret_expires_at: 4102444800 })
    await store().credentials.insert(c)
    expect(await store().credentials.find(c.credential_id)).toEqual(c)
    const duplicate = credential(owner.client_id, { client_secret_hash: c.client_secret_hash })
    await expect(store().credentials.insert(duplicate)).rejects.toThrow(/unique|duplicate/i)
    expect(await store().credentials.find(duplicate.credential_id)).toBeUndefined()
    await expect(store().credentials.insert(credential('no-such-client'))).rejects.toThrow(/foreign key/i)
  })

  it('R1-02-7.3-08 lists a Client object\'s Credentials newest modified first; updateExpiry changes expiry and modified', async () => {
    const c = client()
    await store().clients.insert(c)
    const older = credential(c.client_id, { modified: at(10) })
    const newer = credential(c.client_id, { modified: at(20) })
    await store().credentials.insert(older)
    await store().credentials.insert(newer)
    expect((await store().credentials.listByClient(c.client_id)).map((x) => x.credential_id)).toEqual([newer.credential_id, older.credential_id])
    expect(await store().credentials.updateExpiry(older.credential_id, 1735689700, at(30))).toBe(true)
    expect(await store().credentials.find(older.credential_id)).toEqual({ ...older, client_secret_expires_at: 1735689700, modified: at(30) })
    expect((await store().credentials.listByClient(c.client_id))[0]?.credential_id).toBe(older.credential_id)
    expect(await store().credentials.updateExpiry('no-such-credential', 0, at(30))).toBe(false)
  })

  it('RFC 6749 §5.1 a token reads back by digest with its authorization_details exact; a digest is unique', async () => {
    const details = [{ type: 'example_scope', max: Decimal.from('0.1000000000000000055511151231257827') }]
    const tok = token(owner.client_id, { token_type: 'refresh_token', grant_id: 'grant-1', authorization_details: details })
    await store().tokens.insert(tok)
    const found = await store().tokens.find(tok.token_hash)
    expect(found).toEqual({ ...tok, authorization_details: [{ type: 'example_scope', max: expect.any(Decimal) }] })
    expect(String((found?.authorization_details[0] as Record<string, unknown> | undefined)?.max)).toBe('0.1000000000000000055511151231257827')
    await expect(store().tokens.insert(token(owner.client_id, { token_hash: tok.token_hash }))).rejects.toThrow(/unique|duplicate/i)
    expect(await store().tokens.find('no-such-token')).toBeUndefined()
  })

  it('R1-02-7.6-06 expiring a Credential and revoking its tokens commit together; other tokens stay live', async () => {
    const cred = credential(owner.client_id)
    const other = credential(owner.client_id)
    await store().credentials.insert(cred)
    await store().credentials.insert(other)
    const mine = [token(owner.client_id, { credential_id: cred.credential_id }), token(owner.client_id, { credential_id: cred.credential_id, token_type: 'refresh_token' })]
    const theirs = token(owner.client_id, { credential_id: other.credential_id })
    for (const x of [...mine, theirs]) await store().tokens.insert(x)
    const revoked = await store().transaction(async (tx) => {
      await tx.credentials.updateExpiry(cred.credential_id, 1735689600, at(60))
      return tx.tokens.revokeByCredential(cred.credential_id, at(60))
    })
    expect(revoked).toBe(2)
    for (const x of mine) expect((await store().tokens.find(x.token_hash))?.revoked_at).toEqual(at(60))
    expect((await store().tokens.find(theirs.token_hash))?.revoked_at).toBeNull()
    expect((await store().credentials.find(cred.credential_id))?.client_secret_expires_at).toBe(1735689600)
  })

  it('RFC 7009 §2.1 revoking keeps the first revocation time and counts only live tokens', async () => {
    const c = client()
    await store().clients.insert(c)
    const a = token(c.client_id, { grant_id: 'g-a', code_hash: 'code-a' })
    const b = token(c.client_id, { grant_id: 'g-a', code_hash: 'code-a', token_type: 'refresh_token' })
    const d = token(c.client_id, { grant_id: 'g-b' })
    for (const x of [a, b, d]) await store().tokens.insert(x)
    expect(await store().tokens.revoke(a.token_hash, at(1))).toBe(1)
    expect(await store().tokens.revoke(a.token_hash, at(2))).toBe(0)
    expect((await store().tokens.find(a.token_hash))?.revoked_at).toEqual(at(1))
    expect(await store().tokens.revokeByCode('code-a', at(3))).toBe(1)
    expect(await store().tokens.revokeByGrant('g-a', at(4))).toBe(0)
    expect(await store().tokens.revokeByClient(c.client_id, at(5))).toBe(1)
    expect((await store().tokens.find(d.token_hash))?.revoked_at).toEqual(at(5))
    expect(await store().tokens.revoke('no-such-token', at(6))).toBe(0)
  })
})

forEachDialect('RFC 6749 §4.1.2 and RFC 9126 §4 single-use codes and request_uri handles', (t) => {
  const store = () => new KyselyAuthStore(t.db)
  const owner = client({ client_id: 'code-owner', response_types: ['code'] })
  beforeAll(async () => {
    await store().clients.insert(owner)
  })

  it('RFC 6749 §4.1.2 a code is consumed once; a replay sees when it was used', async () => {
    const code_hash = hashSecret(randomOpaqueValue())
    const code = {
      code_hash,
      client_id: owner.client_id,
      redirect_uri: 'https://client.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256' as const,
      scope: 'example_scope',
      authorization_details: [{ type: 'example_scope' }],
      grant_id: 'g-1',
      created: T0,
      expires_at: at(60),
      used_at: null,
    }
    await store().codes.insert(code)
    await expect(store().codes.insert(code)).rejects.toThrow(/unique|duplicate/i)
    expect(await store().codes.consume(code_hash, at(5))).toEqual({ record: code, replay: false })
    expect(await store().codes.consume(code_hash, at(9))).toEqual({ record: { ...code, used_at: at(5) }, replay: true })
    expect(await store().codes.consume('no-such-code', at(9))).toBeUndefined()
  })

  it('RFC 6749 §4.1.2 of two simultaneous exchanges of one code, exactly one wins', async () => {
    const code_hash = hashSecret(randomOpaqueValue())
    await store().codes.insert({
      code_hash,
      client_id: owner.client_id,
      redirect_uri: null,
      code_challenge: null,
      code_challenge_method: null,
      scope: 'example_scope',
      authorization_details: [],
      grant_id: null,
      created: T0,
      expires_at: at(60),
      used_at: null,
    })
    const results = await Promise.all([1, 2, 3].map((s) => store().codes.consume(code_hash, at(s))))
    expect(results.map((r) => r?.replay).sort()).toEqual([false, true, true])
  })

  it('RFC 9126 §4 a pushed request can be read without consuming it, then is consumed once', async () => {
    const request = {
      request_uri_hash: hashSecret(randomOpaqueValue()),
      client_id: owner.client_id,
      parameters: { response_type: 'code', state: 'a b&c', authorization_details: '[{"type":"example_scope","limit":1.10}]' },
      created: T0,
      expires_at: at(90),
      used_at: null,
    }
    await store().pushedRequests.insert(request)
    expect(await store().pushedRequests.find(request.request_uri_hash)).toEqual(request)
    expect(await store().pushedRequests.consume(request.request_uri_hash, at(10))).toEqual({ record: request, replay: false })
    expect(await store().pushedRequests.consume(request.request_uri_hash, at(11))).toEqual({ record: { ...request, used_at: at(10) }, replay: true })
    expect(await store().pushedRequests.find('no-such-request')).toBeUndefined()
  })
})

forEachDialect('CDS-WG1-02 §4.2 registration writes in one transaction', (t) => {
  const store = () => new KyselyAuthStore(t.db)

  it('R1-02-4.2-12 Client objects and their Credentials commit together', async () => {
    const registration_id = unique('reg')
    const admin = client({ registration_id })
    const grantAdmin = client({ registration_id, scope: 'cds_grant_admin_1', cds_status_options: ['production', 'disabled'] })
    await store().transaction(async (tx) => {
      for (const c of [admin, grantAdmin]) {
        await tx.clients.insert(c)
        await tx.credentials.insert(credential(c.client_id))
      }
    })
    expect((await store().clients.listByRegistration(registration_id)).map((c) => c.client_id)).toEqual([admin.client_id, grantAdmin.client_id])
    expect(await store().credentials.listByClient(grantAdmin.client_id)).toHaveLength(1)
  })

  it('a failure part-way leaves nothing behind and rethrows the same OAuthError', async () => {
    const registration_id = unique('reg')
    const failure = new InvalidGrant('stop')
    await expect(
      store().transaction(async (tx) => {
        const admin = client({ registration_id })
        await tx.clients.insert(admin)
        await tx.credentials.insert(credential(admin.client_id))
        // A nested call joins the same transaction.
        await tx.transaction(async (inner) => inner.clients.insert(client({ registration_id })))
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(await store().clients.listByRegistration(registration_id)).toEqual([])
  })

  it('a database error inside the transaction rolls back the earlier writes', async () => {
    const registration_id = unique('reg')
    const admin = client({ registration_id })
    await expect(
      store().transaction(async (tx) => {
        await tx.clients.insert(admin)
        await tx.clients.insert(admin)
      }),
    ).rejects.toThrow()
    expect(await store().clients.find(admin.client_id)).toBeUndefined()
  })
})
