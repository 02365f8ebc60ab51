/**
 * CDS-WG1-02 §5 and §5.1: who may use the Clients API, and the members of a Client object,
 * checked on every Client object the run sees (one table row per requirement).
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { clientSamples, type ClientSample } from './client-samples.js'
import { apiUrl, expectAdminOnly, isAdmin, isCodeClient, isDateTime, isUrl, scopeTokens } from './kit.js'

/** The Client statuses of CDS-WG1-02 §5.2. */
const STATUSES: readonly string[] = ['production', 'sandbox', 'disabled']

const isStringArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string')

/** One field rule: what is wrong with a Client object, or undefined when it is right. */
interface FieldRule {
  id: string
  also?: readonly string[]
  section: string
  title: string
  /** Which samples the rule reads (default: all). */
  applies?: (sample: ClientSample) => boolean
  /** Fails the check when no sample applies (default true): a rule never passes on nothing. */
  needsSample?: string
  problem: (client: Json) => string | undefined
}

const notRegistration = (sample: ClientSample) => sample.registration !== true
const adminOnly = (sample: ClientSample) => isAdmin(sample.client)
const nonAdmin = (sample: ClientSample) => !isAdmin(sample.client)
const codeOnly = (sample: ClientSample) => isCodeClient(sample.client)

/** The RFC 7591 members §5.1 makes always present, with their type. */
const ALWAYS: Readonly<Record<string, (value: unknown) => boolean>> = {
  client_id: (v) => typeof v === 'string' && v !== '',
  client_id_issued_at: (v) => Number.isInteger(v) && (v as number) >= 0,
  scope: (v) => typeof v === 'string',
  redirect_uris: isStringArray,
  token_endpoint_auth_method: (v) => v === null || typeof v === 'string',
  grant_types: isStringArray,
  response_types: isStringArray,
  client_name: (v) => typeof v === 'string',
  contacts: isStringArray,
}

/** The optional RFC 7591 / RFC 7592 members and their type when present (R1-02-5.1-05). */
const OPTIONAL: Readonly<Record<string, (value: unknown) => boolean>> = {
  client_uri: isUrl,
  logo_uri: isUrl,
  tos_uri: isUrl,
  policy_uri: isUrl,
  jwks_uri: isUrl,
  jwks: (v) => typeof v === 'object' && v !== null && Array.isArray((v as Json).keys),
  software_id: (v) => typeof v === 'string',
  software_version: (v) => typeof v === 'string',
  registration_client_uri: isUrl,
  registration_access_token: (v) => typeof v === 'string',
}

const RULES: readonly FieldRule[] = [
  {
    id: 'R1-02-5.1-01',
    section: '§5.1',
    title: 'every Client object carries the always-required RFC 7591 members, with empty values rather than absent ones',
    problem: (c) => {
      const bad = Object.entries(ALWAYS).filter(([name, ok]) => !(name in c) || !ok(c[name]))
      return bad.length === 0 ? undefined : `has missing or mistyped ${bad.map(([name]) => `${name}=${JSON.stringify(c[name])}`).join(', ')}`
    },
  },
  {
    id: 'R1-02-5.1-02',
    section: '§5.1',
    title: 'every Client object carries authorization_details_types (RFC 9396 §10), an array of strings',
    problem: (c) => (isStringArray(c.authorization_details_types) ? undefined : `has authorization_details_types=${JSON.stringify(c.authorization_details_types)}`),
  },
  {
    id: 'R1-02-5.1-03',
    section: '§5.1',
    title: 'no Client object outside the registration response carries client_secret',
    applies: notRegistration,
    problem: (c) => ('client_secret' in c ? 'carries client_secret' : undefined),
  },
  {
    id: 'R1-02-5.1-04',
    section: '§5.1',
    // A-05: the registration response may carry it for RFC 7591 clients; everywhere else it is a failure.
    title: 'no Client object of the Clients API carries client_secret_expires_at (it lives in the Credentials API; A-05)',
    applies: notRegistration,
    problem: (c) => ('client_secret_expires_at' in c ? 'carries client_secret_expires_at' : undefined),
  },
  {
    id: 'R1-02-5.1-09',
    also: ['R1-02-5.2-01'],
    section: '§5.1',
    title: 'cds_status is production, sandbox or disabled',
    problem: (c) => (typeof c.cds_status === 'string' && STATUSES.includes(c.cds_status) ? undefined : `has cds_status=${JSON.stringify(c.cds_status)}`),
  },
  {
    id: 'R1-02-5.1-10',
    section: '§5.1',
    title: 'cds_status_options is an array of Client statuses',
    problem: (c) =>
      Array.isArray(c.cds_status_options) && c.cds_status_options.every((s) => typeof s === 'string' && STATUSES.includes(s)) ? undefined : `has cds_status_options=${JSON.stringify(c.cds_status_options)}`,
  },
  {
    id: 'R1-02-5.1-11',
    section: '§5.1',
    title: 'a cds_client_admin Client object does not offer "disabled"',
    applies: adminOnly,
    needsSample: 'no cds_client_admin Client object was seen',
    problem: (c) => (Array.isArray(c.cds_status_options) && !c.cds_status_options.includes('disabled') ? undefined : `offers cds_status_options=${JSON.stringify(c.cds_status_options)}`),
  },
  {
    id: 'R1-02-5.1-12',
    section: '§5.1',
    title: 'every other Client object offers "disabled"',
    applies: nonAdmin,
    needsSample: 'no Client object without cds_client_admin was seen',
    problem: (c) => (Array.isArray(c.cds_status_options) && c.cds_status_options.includes('disabled') ? undefined : `offers cds_status_options=${JSON.stringify(c.cds_status_options)}`),
  },
  {
    id: 'R1-02-5.1-17',
    section: '§5.1',
    title: 'a Client object with response_types has cds_default_scope, within its scope',
    applies: codeOnly,
    problem: (c) => {
      if (typeof c.cds_default_scope !== 'string') return 'has response_types but no cds_default_scope string'
      const outside = scopeTokens(c.cds_default_scope).filter((token) => !scopeTokens(c.scope).includes(token))
      return outside.length === 0 ? undefined : `has cds_default_scope tokens outside its scope: ${outside.join(' ')}`
    },
  },
]

/** The optional members, typed when present (R1-02-5.1-05); exported for the check that also sets them. */
export function optionalMemberProblem(client: Json): string | undefined {
  const bad = Object.entries(OPTIONAL).filter(([name, ok]) => name in client && !ok(client[name]))
  return bad.length === 0 ? undefined : `has mistyped ${bad.map(([name]) => `${name}=${JSON.stringify(client[name])}`).join(', ')}`
}

/** Runs a field rule over the samples. */
async function runRule(ctx: CheckContext, rule: FieldRule): Promise<void> {
  const samples = (await clientSamples(ctx)).filter(rule.applies ?? (() => true))
  if (samples.length === 0) {
    if (rule.applies === codeOnly) ctx.notApplicable('no Client object with response_types was seen')
    ctx.fail(rule.needsSample ?? 'no Client object was seen')
  }
  const problems = samples.flatMap((sample) => {
    const problem = rule.problem(sample.client)
    return problem === undefined ? [] : [`${sample.where} ${problem}`]
  })
  ctx.assert(problems.length === 0, problems.slice(0, 4).join('; '))
}

/** The checks of CDS-WG1-02 §5 and the member rules of §5.1. */
export const clientFormatChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-5-01',
    spec: 'CDS-WG1-02',
    section: '§5',
    title: 'the Clients API takes a cds_client_admin bearer token only (401 without or with an unknown token, refused without the scope)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await expectAdminOnly(ctx, await apiUrl(ctx, 'cds_clients_api'), await ctx.adminToken())
      const [first] = (await clientSamples(ctx)).filter((sample) => typeof sample.client.cds_client_uri === 'string')
      if (first !== undefined) await expectAdminOnly(ctx, String(first.client.cds_client_uri), await ctx.adminToken())
    },
  }),
  ...RULES.map((rule) =>
    defineCheck({
      id: rule.id,
      ...(rule.also === undefined ? {} : { also: rule.also }),
      spec: 'CDS-WG1-02',
      section: rule.section,
      title: rule.title,
      needs: ['registration'],
      run: (ctx: CheckContext) => runRule(ctx, rule),
    }),
  ),
  defineCheck({
    id: 'R1-02-5.1-06',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'cds_created is a datetime that stays the same from one read to the next',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const samples = await clientSamples(ctx)
      const first = new Map<string, string>()
      for (const { where, client } of samples) {
        ctx.assert(isDateTime(client.cds_created), `${where} has cds_created=${JSON.stringify(client.cds_created)}`)
        const id = String(client.client_id)
        const seen = first.get(id)
        if (seen === undefined) first.set(id, client.cds_created)
        else ctx.assert(Date.parse(seen) === Date.parse(client.cds_created), `${where} has cds_created ${client.cds_created}, an earlier read had ${seen}`)
      }
      ctx.assert(first.size > 0, 'no Client object was seen')
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-08',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'cds_client_uri is a URL of its own for each Client object and answers that object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const listing = (await clientSamples(ctx)).filter((sample) => sample.where.startsWith('the listing'))
      const owners = new Map<string, string>()
      for (const { client } of listing) {
        ctx.assert(isUrl(client.cds_client_uri), `${String(client.client_id)} has cds_client_uri=${JSON.stringify(client.cds_client_uri)}`)
        const other = owners.get(client.cds_client_uri)
        ctx.assert(other === undefined, `${String(client.client_id)} and ${String(other)} share the cds_client_uri ${client.cds_client_uri}`)
        owners.set(client.cds_client_uri, String(client.client_id))
      }
      ctx.assert(owners.size > 0, 'the listing has no Client object')
      // The GET samples were read at each cds_client_uri.
      for (const { where, client } of await clientSamples(ctx)) {
        if (!where.startsWith('GET ')) continue
        const uri = where.slice(4)
        ctx.assert(owners.get(uri) === client.client_id, `${where} answered the Client object ${String(client.client_id)}, not ${String(owners.get(uri))}`)
      }
    },
  }),
]
