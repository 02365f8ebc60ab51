/**
 * CDS-WG1-02 §3.3–§3.3.3: the scopes whose Scope Descriptions the spec fixes (Client Admin, Grant
 * Admin, Server-Provided Files) and their Authorization Details Fields, compared value by value.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isWebUrl } from '../../wg1-01/kit.js'
import { descriptions, descriptionsOfType, fieldsOf, same } from './kit.js'

/** The Client Admin Scope Description, every member but `documentation` (§3.3.1). */
const CLIENT_ADMIN: Json = {
  id: 'cds_client_admin',
  type: 'cds_client_admin',
  name: 'Client Admin',
  description: 'This scope grants administrative access to the Client management APIs.',
  registration_requirements: [],
  registration_optional: [],
  response_types_supported: [],
  grant_types_supported: ['client_credentials'],
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
  code_challenge_methods_supported: [],
  coverages_supported: [],
  grant_admin_scope: null,
  authorization_details_types_supported: [],
  authorization_details_fields_supported: [],
}

/** A Grant Admin Scope Description's fixed members, for its id (§3.3.2). */
function grantAdmin(id: string): Json {
  return {
    type: 'cds_grant_admin',
    name: 'Grant Admin',
    description: 'This scope grants administrative access to previously created Grants.',
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [id],
  }
}

/** A files Scope Description's fixed members, for its id (§3.3.3); `grant_admin_scope` is checked on its own. */
function files(id: string): Json {
  return {
    type: 'cds_server_provided_files',
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    authorization_details_types_supported: [id],
  }
}

/** The fixed Authorization Details Fields (§3.3.2, §3.3.3): name and description by field id. */
const FIXED_FIELDS: Record<string, { name: string; description: string }> = {
  client_id: { name: 'Client Object identifier', description: 'The Client Object identifier for which the Grant is issued.' },
  grant_id: { name: 'Grant identifier', description: 'The Grant identifier for which the returned access_token will be given access.' },
  file_id: { name: 'File identifier', description: 'A file provided by the Server that may be accessed by the Client as part of the Grant.' },
}

/** Fails unless each fixed member has its value. */
function expectMembers(ctx: CheckContext, object: Json, fixed: Json, what: string): void {
  const wrong = Object.entries(fixed).filter(([key, value]) => !same(object[key], value))
  ctx.assert(wrong.length === 0, `${what}: ${wrong.map(([key, value]) => `${key} is ${JSON.stringify(object[key])}, expected ${JSON.stringify(value)}`).join('; ')}`)
}

/**
 * Fails unless a fixed string field (`client_id`, `grant_id`, `file_id`) is as §3.3.2/§3.3.3 set it:
 * `for_types` the scope's own id, or for Grant Admin also the literal `cds_grant_admin` (A-02).
 */
function expectFixedField(ctx: CheckContext, description: Json, fieldId: string): void {
  const id = String(description.id)
  const field = fieldsOf(description).find((one) => one.id === fieldId)
  if (field === undefined) ctx.fail(`the Scope Description ${id} has no ${fieldId} field`)
  const what = `the ${fieldId} field of ${id}`
  const fixed = FIXED_FIELDS[fieldId] ?? { name: '', description: '' }
  expectMembers(ctx, field, { ...fixed, format: 'string', is_required: true, maximum: 1000, minimum: 1 }, what)
  ctx.assert(isWebUrl(field.documentation), `${what}: documentation is ${JSON.stringify(field.documentation)}, not a URL`)
  const forTypes = [[id], ...(description.type === 'cds_grant_admin' ? [['cds_grant_admin']] : [])]
  ctx.assert(forTypes.some((value) => same(field.for_types, value)), `${what}: for_types is ${JSON.stringify(field.for_types)}, expected ${JSON.stringify(forTypes[0])}`)
  ctx.assert(!('default' in field) && !('choices' in field), `${what} has a default or choices`)
}

/** The Scope Descriptions of a fixed type; not applicable when the server has none. */
async function ofType(ctx: CheckContext, type: string): Promise<Json[]> {
  const found = await descriptionsOfType(ctx, type)
  if (found.length === 0) ctx.notApplicable(`the server has no ${type} scope`)
  return found
}

/** The checks of CDS-WG1-02 §3.3–§3.3.3 about the Scope Descriptions. */
export const fixedScopeChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.3-06',
    spec: 'CDS-WG1-02',
    section: '§3.3',
    title: 'a cds_client_admin Scope Description exists (registration needs that scope, A-33)',
    async run(ctx: CheckContext) {
      ctx.assert('cds_client_admin' in (await descriptions(ctx)), 'cds_scope_descriptions has no cds_client_admin')
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.1-01',
    spec: 'CDS-WG1-02',
    section: '§3.3.1',
    title: 'the cds_client_admin Scope Description has exactly the fixed values, and a documentation URL',
    async run(ctx: CheckContext) {
      const description = (await descriptions(ctx)).cds_client_admin
      if (description === undefined) ctx.fail('cds_scope_descriptions has no cds_client_admin')
      expectMembers(ctx, description, CLIENT_ADMIN, 'cds_client_admin')
      ctx.assert(isWebUrl(description.documentation), `cds_client_admin documentation is ${JSON.stringify(description.documentation)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-01',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'each Grant Admin Scope Description has the fixed values, its own id as the one RAR type, and exactly the client_id and grant_id fields',
    async run(ctx: CheckContext) {
      for (const description of await ofType(ctx, 'cds_grant_admin')) {
        const id = String(description.id)
        expectMembers(ctx, description, grantAdmin(id), `the Grant Admin scope ${id}`)
        ctx.assert(isWebUrl(description.documentation), `${id}: documentation is ${JSON.stringify(description.documentation)}`)
        const ids = fieldsOf(description).map((field) => String(field.id)).sort()
        ctx.assert(same(ids, ['client_id', 'grant_id']), `${id} has the fields ${JSON.stringify(ids)}, expected client_id and grant_id only`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-03',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'the Grant Admin client_id field has the fixed values (for_types its scope id, or the literal type, A-02)',
    async run(ctx: CheckContext) {
      for (const description of await ofType(ctx, 'cds_grant_admin')) expectFixedField(ctx, description, 'client_id')
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-04',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'the Grant Admin grant_id field has the fixed values (for_types its scope id, or the literal type, A-02)',
    async run(ctx: CheckContext) {
      for (const description of await ofType(ctx, 'cds_grant_admin')) expectFixedField(ctx, description, 'grant_id')
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-11',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'every scope that allows Grant Admin access names, in grant_admin_scope, a Scope Description of type cds_grant_admin',
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      const named = Object.values(all).filter((description) => description.grant_admin_scope !== null && description.grant_admin_scope !== undefined)
      if (named.length === 0) ctx.notApplicable('no Scope Description allows Grant Admin access')
      for (const description of named) {
        const target = all[String(description.grant_admin_scope)]
        ctx.assert(target?.type === 'cds_grant_admin', `${String(description.id)} names grant_admin_scope ${JSON.stringify(description.grant_admin_scope)}, which is not a cds_grant_admin Scope Description`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.3-02',
    spec: 'CDS-WG1-02',
    section: '§3.3.3',
    title: 'each Server-Provided Files Scope Description has the fixed values, a Grant Admin scope, its own id as RAR type and only the file_id field',
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      for (const description of await ofType(ctx, 'cds_server_provided_files')) {
        const id = String(description.id)
        expectMembers(ctx, description, files(id), `the files scope ${id}`)
        ctx.assert(all[String(description.grant_admin_scope)]?.type === 'cds_grant_admin', `${id}: grant_admin_scope ${JSON.stringify(description.grant_admin_scope)} is not a Grant Admin scope`)
        ctx.assert(typeof description.description === 'string' && description.description !== '' && isWebUrl(description.documentation), `${id}: description or documentation missing`)
        const ids = fieldsOf(description).map((field) => String(field.id))
        ctx.assert(same(ids, ['file_id']), `${id} has the fields ${JSON.stringify(ids)}, expected file_id only`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.3-04',
    spec: 'CDS-WG1-02',
    section: '§3.3.3',
    title: 'a files scope is named "Server-Provided Files", or that name followed by ": " and a qualifier',
    async run(ctx: CheckContext) {
      for (const description of await ofType(ctx, 'cds_server_provided_files')) {
        const name = description.name
        const ok = name === 'Server-Provided Files' || (typeof name === 'string' && name.startsWith('Server-Provided Files: ') && name.length > 'Server-Provided Files: '.length)
        ctx.assert(ok, `the files scope ${String(description.id)} is named ${JSON.stringify(name)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.3-06',
    spec: 'CDS-WG1-02',
    section: '§3.3.3',
    title: 'the file_id field of a files scope has the fixed values, for_types its scope id',
    async run(ctx: CheckContext) {
      for (const description of await ofType(ctx, 'cds_server_provided_files')) expectFixedField(ctx, description, 'file_id')
    },
  }),
]
