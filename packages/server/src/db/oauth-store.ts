/**
 * The Kysely implementation of the `AuthStore` interface of `@cds-ts/auth`, on PostgreSQL or
 * PGlite. Every method is one SQL statement (so each is atomic on its own); several calls that
 * must stand or fall together go through {@link KyselyAuthStore.transaction}.
 *
 * On PGlite there is a single connection: inside `transaction(fn)`, use only the store `fn`
 * receives, never the outer one, or the outer call waits for the transaction forever.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @module
 */
import type {
  AuthStore,
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  ClientRecord,
  ClientStore,
  Consumed,
  CredentialRecord,
  CredentialStore,
  PushedAuthorizationRequestRecord,
  PushedAuthorizationRequestStore,
  TokenRecord,
  TokenStore,
} from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import {
  clientColumns,
  clientRecord,
  clientRow,
  codeRecord,
  codeRow,
  credentialRecord,
  credentialRow,
  parRecord,
  parRow,
  tokenRecord,
  tokenRow,
} from './oauth-rows.js'

type Db = Kysely<Database>

/** @see CDS-WG1-02 §5 Clients API */
class KyselyClientStore implements ClientStore {
  constructor(private readonly db: Db) {}

  async insert(client: ClientRecord): Promise<void> {
    await this.db.insertInto('clients').values(clientRow(client)).execute()
  }

  async find(client_id: string): Promise<ClientRecord | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('client_id', '=', client_id).executeTakeFirst()
    return row && clientRecord(row)
  }

  async listByRegistration(registration_id: string): Promise<ClientRecord[]> {
    const rows = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('registration_id', '=', registration_id)
      .orderBy('seq')
      .execute()
    return rows.map(clientRecord)
  }

  async update(client_id: string, changes: Parameters<ClientStore['update']>[1]): Promise<boolean> {
    const columns = clientColumns(changes)
    if (Object.keys(columns).length === 0) {
      return (await this.db.selectFrom('clients').select('client_id').where('client_id', '=', client_id).executeTakeFirst()) !== undefined
    }
    const result = await this.db.updateTable('clients').set(columns).where('client_id', '=', client_id).executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}

/** @see CDS-WG1-02 §7 Credentials API */
class KyselyCredentialStore implements CredentialStore {
  constructor(private readonly db: Db) {}

  async insert(credential: CredentialRecord): Promise<void> {
    await this.db.insertInto('credentials').values(credentialRow(credential)).execute()
  }

  async find(credential_id: string): Promise<CredentialRecord | undefined> {
    const row = await this.db.selectFrom('credentials').selectAll().where('credential_id', '=', credential_id).executeTakeFirst()
    return row && credentialRecord(row)
  }

  async listByClient(client_id: string): Promise<CredentialRecord[]> {
    const rows = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('client_id', '=', client_id)
      // CDS-WG1-02 §7.3 (R1-02-7.3-08): newest `modified` first.
      .orderBy('modified', 'desc')
      .orderBy('credential_id')
      .execute()
    return rows.map(credentialRecord)
  }

  async updateExpiry(credential_id: string, client_secret_expires_at: number, modified: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('credentials')
      .set({ client_secret_expires_at, modified })
      .where('credential_id', '=', credential_id)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}

/** @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1} */
class KyselyTokenStore implements TokenStore {
  constructor(private readonly db: Db) {}

  async insert(token: TokenRecord): Promise<void> {
    await this.db.insertInto('tokens').values(tokenRow(token)).execute()
  }

  async find(token_hash: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('token_hash', '=', token_hash).executeTakeFirst()
    return row && tokenRecord(row)
  }

  /** Sets `revoked_at` on the live tokens whose `column` equals `value`; revoked ones keep their time. */
  private async revokeWhere(column: 'token_hash' | 'client_id' | 'credential_id' | 'code_hash' | 'grant_id', value: string, revoked_at: Date) {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  revoke(token_hash: string, revoked_at: Date): Promise<number> {
    return this.revokeWhere('token_hash', token_hash, revoked_at)
  }

  revokeByClient(client_id: string, revoked_at: Date): Promise<number> {
    // CDS-WG1-02 §5.2: a disabled Client object keeps no live token.
    return this.revokeWhere('client_id', client_id, revoked_at)
  }

  revokeByCredential(credential_id: string, revoked_at: Date): Promise<number> {
    // CDS-WG1-02 §7.6 (R1-02-7.6-06): an expired secret takes every token issued through it down too.
    return this.revokeWhere('credential_id', credential_id, revoked_at)
  }

  revokeByCode(code_hash: string, revoked_at: Date): Promise<number> {
    // RFC 6749 §4.1.2: a code used twice revokes the tokens it produced, rotated ones included.
    return this.revokeWhere('code_hash', code_hash, revoked_at)
  }

  revokeByGrant(grant_id: string, revoked_at: Date): Promise<number> {
    return this.revokeWhere('grant_id', grant_id, revoked_at)
  }
}

/** @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2} */
class KyselyAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(private readonly db: Db) {}

  async insert(code: AuthorizationCodeRecord): Promise<void> {
    await this.db.insertInto('authorization_codes').values(codeRow(code)).execute()
  }

  async consume(code_hash: string, used_at: Date): Promise<Consumed<AuthorizationCodeRecord> | undefined> {
    // RFC 6749 §4.1.2: single use. The conditional update lets exactly one caller win a race.
    const won = await this.db
      .updateTable('authorization_codes')
      .set({ used_at })
      .where('code_hash', '=', code_hash)
      .where('used_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (won !== undefined) return { record: { ...codeRecord(won), used_at: null }, replay: false }
    const row = await this.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', code_hash).executeTakeFirst()
    return row && { record: codeRecord(row), replay: true }
  }
}

/** @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-4 | RFC 9126 §4} */
class KyselyPushedAuthorizationRequestStore implements PushedAuthorizationRequestStore {
  constructor(private readonly db: Db) {}

  async insert(request: PushedAuthorizationRequestRecord): Promise<void> {
    await this.db.insertInto('par_requests').values(parRow(request)).execute()
  }

  async find(request_uri_hash: string): Promise<PushedAuthorizationRequestRecord | undefined> {
    const row = await this.db.selectFrom('par_requests').selectAll().where('request_uri_hash', '=', request_uri_hash).executeTakeFirst()
    return row && parRecord(row)
  }

  async consume(request_uri_hash: string, used_at: Date): Promise<Consumed<PushedAuthorizationRequestRecord> | undefined> {
    // RFC 9126 §4: a request_uri is used once; the conditional update lets one caller win.
    const won = await this.db
      .updateTable('par_requests')
      .set({ used_at })
      .where('request_uri_hash', '=', request_uri_hash)
      .where('used_at', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (won !== undefined) return { record: { ...parRecord(won), used_at: null }, replay: false }
    const row = await this.db.selectFrom('par_requests').selectAll().where('request_uri_hash', '=', request_uri_hash).executeTakeFirst()
    return row && { record: parRecord(row), replay: true }
  }
}

/**
 * `AuthStore` on a Kysely database migrated with `migrateToLatest`.
 *
 * @example
 * ```ts
 * const { db } = await createDatabase('memory:')
 * await migrateToLatest(db)
 * const store = new KyselyAuthStore(db)
 * ```
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export class KyselyAuthStore implements AuthStore {
  readonly clients: ClientStore
  readonly credentials: CredentialStore
  readonly tokens: TokenStore
  readonly codes: AuthorizationCodeStore
  readonly pushedRequests: PushedAuthorizationRequestStore

  /**
   * The database (or transaction) this store writes to, so server code can write its own tables
   * in the same transaction: `kyselyOf(tx)` inside `store.transaction(async (tx) => …)`.
   */
  readonly db: Db

  constructor(db: Db) {
    this.db = db
    this.clients = new KyselyClientStore(db)
    this.credentials = new KyselyCredentialStore(db)
    this.tokens = new KyselyTokenStore(db)
    this.codes = new KyselyAuthorizationCodeStore(db)
    this.pushedRequests = new KyselyPushedAuthorizationRequestStore(db)
  }

  /**
   * Runs `fn` in one database transaction: committed when it resolves, rolled back when it throws
   * (the error is rethrown as it was). Called inside a transaction, it joins that transaction.
   */
  async transaction<T>(fn: (store: AuthStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this)
    return this.db.transaction().execute((trx) => fn(new KyselyAuthStore(trx)))
  }
}

/**
 * The Kysely handle behind a store made by this module: inside `store.transaction(fn)`, the
 * transaction, so other tables are written atomically with the OAuth rows.
 *
 * @throws {TypeError} when the store is not a {@link KyselyAuthStore}
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export function kyselyOf(store: AuthStore): Db {
  if (!(store instanceof KyselyAuthStore)) throw new TypeError('kyselyOf needs a KyselyAuthStore')
  return store.db
}
