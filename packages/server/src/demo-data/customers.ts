/**
 * The generated customers of the demo set: residential households (electric, often gas, some
 * water; some with rooftop solar and net metering) and small businesses (one to three locations;
 * several locations hang under a parent account). Every field of every object is filled with a
 * plausible value, from the customer's own random stream.
 *
 * @see CDS-WG3-01 §10.1 Accounts API
 * @module
 */
import type { AccountInput, NestedObject } from '../customer-data/write-objects.js'
import type { AccountPlan, CustomerPlan, DemoWindow, LoadProfile } from './model.js'
import { DemoRandom, demoId } from './prng.js'
import { accountProgram, BUILDINGS, BUSINESS_KINDS, FAMILY_NAMES, GIVEN_NAMES, POSTAL_CODES, RATE_PLANS, serviceProgram, STREETS, TOWN, UTILITY, type RatePlan } from './profile.js'
import { buildService, dateText, someMidnight, timesFrom, type ServiceExtras } from './services.js'

/** The e-mail domain of generated customers' logins. */
export const DEMO_LOGIN_DOMAIN = 'demo-utility.example'

/** The login of the `n`-th generated customer (1-based): `customer001@demo-utility.example`. */
export function demoLogin(n: number): string {
  return `customer${String(n).padStart(3, '0')}@${DEMO_LOGIN_DOMAIN}`
}

interface Builder {
  seed: string
  window: DemoWindow
  rng: DemoRandom
  index: number
  extras: ServiceExtras
  /** Services built so far for this customer (numbers derive from it). */
  services: number
}

function contacts(b: Builder, id: string, email: string): NestedObject[] {
  const phone = `+1555${String(b.rng.int(0, 9_999_999)).padStart(7, '0')}`
  return [
    { id: `${id}-email`, types: ['email', 'primary', 'preferred'], value: email },
    { id: `${id}-phone`, types: ['phone_number', b.rng.chance(0.5) ? 'mobile' : 'home'], value: phone },
  ]
}

function account(b: Builder, key: string, fields: Pick<AccountInput, 'customer_id' | 'cds_account_parent' | 'account_name' | 'account_address' | 'account_types' | 'account_contacts' | 'account_programs'>): AccountInput {
  const serial = b.index * 8 + Number(key.replace(/\D/g, '') || '0')
  return {
    cds_account_id: demoId(b.seed, 'account', b.index, key),
    customer_number: `C${String(b.index + 1).padStart(6, '0')}`,
    account_number: `${String(400000 + serial)}-${serial % 10}`,
    account_entity: UTILITY,
    account_status: 'active',
    ...fields,
    ...timesFrom(b.rng, b.window, someMidnight(b.rng, b.window, 120, -1)),
  }
}

function service(b: Builder, acc: AccountInput, address: string, premise: NestedObject, commercial: boolean, rate: RatePlan, load: LoadProfile, programs: NestedObject[]): AccountPlan['contracts'][number] {
  b.services += 1
  const key = `${b.index}-${b.services}`
  return buildService(
    { seed: b.seed, rng: b.rng, window: b.window, key, serial: b.index * 8 + b.services, account: acc, address, premise, commercial, rate, load, service_programs: programs },
    b.extras,
  )
}

function premise(b: Builder, key: string, types: string[]): NestedObject {
  const id = demoId(b.seed, 'premise', b.index, key)
  return { id, premise_number: `PREM-${String(b.index + 1).padStart(5, '0')}${key}`, types }
}

function residential(b: Builder, customer_id: string, name: string, email: string): AccountPlan[] {
  const { rng } = b
  const address = `${rng.int(10, 9999)} ${rng.pick(STREETS)}\n${TOWN} ${rng.pick(POSTAL_CODES)}`
  const programs: NestedObject[] = []
  const since = dateText(b.window, someMidnight(rng, b.window, 36, 0))
  if (rng.chance(0.15)) programs.push(accountProgram('CARE', demoId(b.seed, 'program', b.index, 'CARE'), since))
  if (rng.chance(0.1)) programs.push(accountProgram('budget_billing', demoId(b.seed, 'program', b.index, 'BB'), since))
  const acc = account(b, 'R', {
    customer_id,
    cds_account_parent: null,
    account_name: `${name} – Home`,
    account_address: address,
    account_types: ['customer', 'residential', 'billed_monthly'],
    account_contacts: contacts(b, demoId(b.seed, 'contact', b.index), email),
    account_programs: programs,
  })
  const home = premise(b, 'H', ['building', 'land'])
  const solar = rng.chance(0.25) ? rng.int(3500, 7500) : 0
  const plan = solar > 0 ? RATE_PLANS['E-TOU-C'] : rng.pick([RATE_PLANS['E-1'], RATE_PLANS['E-1'], RATE_PLANS['E-TOU-C'], RATE_PLANS['E-1-CCA']])
  const electricPrograms: NestedObject[] = []
  if (solar > 0) electricPrograms.push(serviceProgram('NEM-2', demoId(b.seed, 'sprogram', b.index, 'NEM'), since))
  if (rng.chance(0.2)) electricPrograms.push(serviceProgram('DR-1', demoId(b.seed, 'sprogram', b.index, 'DR'), since))
  if (rng.chance(0.1)) electricPrograms.push(serviceProgram('EV-1', demoId(b.seed, 'sprogram', b.index, 'EV'), since))
  const contracts = [
    service(b, acc, address, home, false, plan ?? fail(), { commercial: false, daily: rng.int(9000, 22000), solar, interval_cost: plan?.tou !== undefined }, electricPrograms),
  ]
  if (rng.chance(0.6)) contracts.push(service(b, acc, address, home, false, RATE_PLANS['G-1'] ?? fail(), { commercial: false, daily: rng.int(1500, 3000), solar: 0, interval_cost: false }, []))
  if (rng.chance(0.3)) contracts.push(service(b, acc, address, home, false, RATE_PLANS['W-1'] ?? fail(), { commercial: false, daily: rng.int(150, 350), solar: 0, interval_cost: false }, []))
  return [{ input: acc, contracts, pays: rng.chance(0.85) ? 1000 : rng.int(500, 950) }]
}

function commercial(b: Builder, customer_id: string, business: string, email: string): AccountPlan[] {
  const { rng } = b
  const locations = rng.int(1, 3)
  const since = dateText(b.window, someMidnight(rng, b.window, 36, 0))
  const programs = rng.chance(0.3) ? [accountProgram('SOLAR-CHOICE', demoId(b.seed, 'program', b.index, 'SC'), since)] : []
  const plans: AccountPlan[] = []
  let parent: AccountInput | null = null
  if (locations > 1) {
    parent = account(b, 'P', {
      customer_id,
      cds_account_parent: null,
      account_name: `${business} (all locations)`,
      account_address: null,
      account_types: ['customer', 'parent', 'commercial'],
      account_contacts: contacts(b, demoId(b.seed, 'contact', b.index, 'P'), email),
      account_programs: programs,
    })
    plans.push({ input: parent, contracts: [], pays: 1000 })
  }
  for (let n = 1; n <= locations; n++) {
    const building = rng.chance(0.6) ? rng.pick(BUILDINGS) : null
    const street = building === null ? `${rng.int(10, 9999)} ${rng.pick(STREETS)}` : `${building.street}, Suite ${rng.int(1, 40) * 10}`
    const address = `${street}\n${TOWN} ${rng.pick(POSTAL_CODES)}`
    const acc = account(b, `L${n}`, {
      customer_id,
      cds_account_parent: parent?.cds_account_id ?? null,
      account_name: locations > 1 ? `${business} #${n}` : business,
      account_address: address,
      account_types: parent === null ? ['customer', 'commercial', 'billed_monthly'] : ['customer', 'child', 'commercial', 'billed_monthly'],
      account_contacts: contacts(b, demoId(b.seed, 'contact', b.index, n), email),
      account_programs: parent === null ? programs : [],
    })
    const site = premise(b, `S${n}`, building === null ? ['building'] : ['building', 'service_group'])
    const big = rng.chance(0.35)
    const rate = (big ? RATE_PLANS['B-19'] : RATE_PLANS['A-1']) ?? fail()
    const dr = big && rng.chance(0.5) ? [serviceProgram('DR-1', demoId(b.seed, 'sprogram', b.index, n), since, { aggregated: true })] : []
    const contracts = [service(b, acc, address, site, true, rate, { commercial: true, daily: big ? rng.int(150_000, 400_000) : rng.int(30_000, 90_000), solar: 0, interval_cost: false }, dr)]
    if (rng.chance(0.4)) contracts.push(service(b, acc, address, site, true, RATE_PLANS['G-NR1'] ?? fail(), { commercial: true, daily: rng.int(8000, 20000), solar: 0, interval_cost: false }, []))
    plans.push({ input: acc, contracts, pays: rng.chance(0.9) ? 1000 : rng.int(600, 950) })
  }
  return plans
}

function fail(): never {
  throw new Error('demo rate plan missing')
}

/**
 * The `count` generated customers of a set: every fifth is a business, the others households.
 * Customer `i` depends only on the seed and `i`, so a larger set starts with the same customers.
 *
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export function generateCustomers(seed: string, window: DemoWindow, count: number): { customers: CustomerPlan[]; extras: ServiceExtras } {
  const extras: ServiceExtras = { accounts: [], contracts: [] }
  const customers: CustomerPlan[] = []
  for (let index = 0; index < count; index++) {
    const rng = new DemoRandom(seed, 'customer', index)
    const b: Builder = { seed, window, rng, index, extras, services: 0 }
    const person = `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`
    const login = demoLogin(index + 1)
    const customer_id = demoId(seed, 'customer', index)
    const isBusiness = index % 5 === 4
    const business = `${rng.pick(FAMILY_NAMES)} ${rng.pick(BUSINESS_KINDS)}`
    customers.push({
      customer_id,
      login,
      display_name: isBusiness ? `${person} (${business})` : person,
      email: login,
      accounts: isBusiness ? commercial(b, customer_id, business, login) : residential(b, customer_id, person, login),
    })
  }
  return { customers, extras }
}
