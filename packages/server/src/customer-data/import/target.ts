/**
 * Where an import goes: one customer's account, and in it the Meter Device each source meter
 * (a Green Button UsagePoint, a CSV `meter_number`) stands for.
 *
 * A meter is found by `meter_number` among the current meters (`valid_to` null) of the current
 * service points of the account's service contracts. When there is none, the import adds one: a
 * new Service Point and Meter Device, linked as current from now to the account's contract whose
 * `service_types` hold the reading's service (`electric`, `natural_gas`, `water`), preferring an
 * `active` contract, then the smallest `contract_number`. An account without such a contract is an
 * error: the import never invents contracts.
 *
 * @see CDS-WG3-01 §10.4 Meter Devices API
 * @module
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { toJsonText } from '../../db/json-text.js'
import { newObjectId } from '../write-usage-segments.js'
import { SERVICE_TYPE, type ImportValueType } from './espi-codes.js'
import { ImportError } from './segmenter.js'

/** The account an import writes into. */
export interface TargetAccount {
  readonly cds_account_id: string
  readonly account_number: string
}

/** A Meter Device and the objects it is related to, as a Usage Segment's `related_*` (§10.8.1). */
export interface TargetMeter {
  readonly cds_meterdevice_id: string
  readonly meter_number: string
  readonly servicepoint_ids: readonly string[]
  readonly servicecontract_ids: readonly string[]
  /** True when this import added the meter. */
  readonly created: boolean
}

/**
 * Finds the account by `cds_account_id`, else by `account_number`.
 *
 * @throws {ImportError} when no account or more than one account matches
 * @see CDS-WG3-01 §10.1 Accounts API
 */
export async function resolveAccount(db: Kysely<Database>, account: string): Promise<TargetAccount> {
  const byId = await db.selectFrom('accounts').select(['cds_account_id', 'account_number']).where('cds_account_id', '=', account).executeTakeFirst()
  if (byId !== undefined) return byId
  const byNumber = await db.selectFrom('accounts').select(['cds_account_id', 'account_number']).where('account_number', '=', account).limit(2).execute()
  const [only, second] = byNumber
  if (only === undefined) throw new ImportError(`unknown account "${account}": no cds_account_id or account_number matches it`)
  if (second !== undefined) throw new ImportError(`account number "${account}" names several accounts; pass the cds_account_id`)
  return only
}

const METER_TYPE: Readonly<Record<ImportValueType, string>> = {
  electric_usage: 'electric_usage',
  electric_demand: 'electric_usage',
  natural_gas_usage: 'natural_gas_usage',
  water_usage: 'water_usage',
}

/**
 * Resolves meter numbers of one account to Meter Devices, creating the missing ones; caches
 * what it found for the rest of the import.
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Objects
 */
export class MeterResolver {
  readonly #db: Kysely<Database>
  readonly #account: TargetAccount
  readonly #now: Date
  readonly #cache = new Map<string, TargetMeter>()

  constructor(db: Kysely<Database>, account: TargetAccount, now: Date) {
    this.#db = db
    this.#account = account
    this.#now = now
  }

  /** The meters resolved so far. */
  get meters(): readonly TargetMeter[] {
    return [...this.#cache.values()]
  }

  /** @throws {ImportError} when the meter is new and the account has no contract for its service */
  async resolve(meterNumber: string, type: ImportValueType): Promise<TargetMeter> {
    const cached = this.#cache.get(meterNumber)
    if (cached !== undefined) return cached
    const meter = (await this.#find(meterNumber)) ?? (await this.#create(meterNumber, type))
    this.#cache.set(meterNumber, meter)
    return meter
  }

  async #find(meterNumber: string): Promise<TargetMeter | undefined> {
    const rows = await this.#db
      .selectFrom('meter_devices as md')
      .innerJoin('meterdevice_servicepoints as mdsp', 'mdsp.cds_meterdevice_id', 'md.cds_meterdevice_id')
      .innerJoin('servicepoint_servicecontracts as spsc', 'spsc.cds_servicepoint_id', 'mdsp.cds_servicepoint_id')
      .innerJoin('service_contracts as sc', 'sc.cds_servicecontract_id', 'spsc.cds_servicecontract_id')
      .select(['md.cds_meterdevice_id', 'mdsp.cds_servicepoint_id', 'sc.cds_servicecontract_id'])
      .where('sc.cds_account_id', '=', this.#account.cds_account_id)
      .where('md.meter_number', '=', meterNumber)
      .where('mdsp.valid_to', 'is', null)
      .where('spsc.valid_to', 'is', null)
      .orderBy('md.cds_meterdevice_id')
      .orderBy('mdsp.cds_servicepoint_id')
      .orderBy('sc.cds_servicecontract_id')
      .execute()
    const first = rows[0]
    if (first === undefined) return undefined
    // Two current meters with one number under one account: the smallest id, every time.
    const mine = rows.filter((r) => r.cds_meterdevice_id === first.cds_meterdevice_id)
    return {
      cds_meterdevice_id: first.cds_meterdevice_id,
      meter_number: meterNumber,
      servicepoint_ids: [...new Set(mine.map((r) => r.cds_servicepoint_id))],
      servicecontract_ids: [...new Set(mine.map((r) => r.cds_servicecontract_id))],
      created: false,
    }
  }

  async #create(meterNumber: string, type: ImportValueType): Promise<TargetMeter> {
    const service = SERVICE_TYPE[type]
    const contract = await this.#db
      .selectFrom('service_contracts')
      .select('cds_servicecontract_id')
      .where('cds_account_id', '=', this.#account.cds_account_id)
      .where(sql<boolean>`service_types @> ${JSON.stringify([service])}::jsonb`)
      .orderBy(sql`case when contract_status = 'active' then 0 else 1 end`)
      .orderBy(sql`contract_number collate "C"`)
      .orderBy('cds_servicecontract_id')
      .executeTakeFirst()
    if (contract === undefined) {
      throw new ImportError(
        `meter ${meterNumber} is not a current meter of account ${this.#account.account_number}, and the account has no service contract with service type "${service}" to add it to`,
      )
    }
    const now = this.#now
    const stamps = { cds_created: now, cds_modified: now, cds_synced: now }
    const servicePoint = newObjectId()
    const meter = newObjectId()
    await this.#db
      .insertInto('service_points')
      .values({ cds_servicepoint_id: servicePoint, servicepoint_number: null, servicepoint_types: toJsonText([service]), servicepoint_address: null, ...stamps })
      .execute()
    await this.#db
      .insertInto('servicepoint_servicecontracts')
      .values({ cds_servicepoint_id: servicePoint, cds_servicecontract_id: contract.cds_servicecontract_id, valid_from: now, valid_to: null })
      .execute()
    await this.#db
      .insertInto('meter_devices')
      .values({ cds_meterdevice_id: meter, meter_number: meterNumber, meter_types: toJsonText([METER_TYPE[type]]), ...stamps })
      .execute()
    await this.#db
      .insertInto('meterdevice_servicepoints')
      .values({ cds_meterdevice_id: meter, cds_servicepoint_id: servicePoint, valid_from: now, valid_to: null })
      .execute()
    return {
      cds_meterdevice_id: meter,
      meter_number: meterNumber,
      servicepoint_ids: [servicePoint],
      servicecontract_ids: [contract.cds_servicecontract_id],
      created: true,
    }
  }
}
