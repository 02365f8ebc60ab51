/**
 * The Server-Provided Files the §9 checks read, made once per run through the operator test API:
 * two files shared by two Grants, both shared by a third, and Grant Admin tokens for each Grant
 * and for a Grant that shares no file (CDS-WG1-02 §3.3.2, §3.3.3, catalog Flow 10).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { grantAdminToken, operatorGrant } from '../oauth/flows.js'
import { labCodeClient, labRegistration, scopeDescriptions, scopeTokens } from '../oauth/lab.js'

/** One uploaded file: what was sent and the object the operator API answered. */
export interface UploadedFile {
  bytes: Uint8Array<ArrayBuffer>
  name: string
  mime_type: string
  description: string | undefined
  object: Json
}

/** The run's files, Grants and Grant Admin tokens. */
export interface FilesLab {
  /** The files scope id. */
  scope: string
  first: UploadedFile
  second: UploadedFile
  /** Grant Admin tokens: one per file's Grant, one for the Grant of both, one for a Grant that is not a files Grant. */
  tokens: { first: string; second: string; both: string; notFiles: string }
}

async function upload(ctx: CheckContext, name: string, mime_type: string, description: string | undefined, bytes: Uint8Array<ArrayBuffer>): Promise<UploadedFile> {
  const query = new URLSearchParams({ name, mime_type, ...(description === undefined ? {} : { description }) })
  const response = await ctx.operatorRequest(`files?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes })
  if (response.status !== 201) ctx.fail(`the operator test API refused the upload (${response.status}): ${response.text.slice(0, 300)}`)
  return { bytes, name, mime_type, description, object: response.json<Json>() }
}

/** Bytes of a small text file. */
function textBytes(text: string): Uint8Array<ArrayBuffer> {
  const encoded = new TextEncoder().encode(text)
  const out = new Uint8Array(new ArrayBuffer(encoded.length))
  out.set(encoded)
  return out
}

/** The run's {@link FilesLab} (skipped without the operator test API; not applicable without a files scope). */
export function filesLab(ctx: CheckContext): Promise<FilesLab> {
  ctx.operator()
  return ctx.once('wg1-02-files:lab', async () => {
    const descriptions = await scopeDescriptions(ctx)
    const registration = await labRegistration(ctx)
    const files = registration.clients.find((client) => scopeTokens(client.scope).some((id) => descriptions[id]?.type === 'cds_server_provided_files'))
    const scope = scopeTokens(files?.scope).find((id) => descriptions[id]?.type === 'cds_server_provided_files')
    if (files === undefined || scope === undefined) ctx.notApplicable('the server offers no cds_server_provided_files scope')
    const first = await upload(ctx, 'conformance-usage.csv', 'text/csv', 'Conformance suite file one', textBytes(`meter,kwh\n${'m-1,1.5\n'.repeat(300)}`))
    await new Promise((resolve) => setTimeout(resolve, 10))
    const second = await upload(ctx, 'conformance-notes.txt', 'text/plain', undefined, textBytes('Conformance suite file two.\n'))
    const share = async (file_ids: unknown[]): Promise<Json> => {
      const response = await ctx.operatorRequest('files/share', { json: { file_ids, client_id: files.client_id, scope } })
      if (response.status !== 201) ctx.fail(`the operator test API refused to share (${response.status}): ${response.text.slice(0, 300)}`)
      return response.json<Json>().grant as Json
    }
    const grants = { first: await share([first.object.file_id]), second: await share([second.object.file_id]), both: await share([first.object.file_id, second.object.file_id]) }
    const code = await labCodeClient(ctx)
    const notFiles = await operatorGrant(ctx, { client_id: code.client.client_id, scope: code.scope, status: 'active' })
    return {
      scope,
      first,
      second,
      tokens: {
        first: await grantAdminToken(ctx, grants.first, scope),
        second: await grantAdminToken(ctx, grants.second, scope),
        both: await grantAdminToken(ctx, grants.both, scope),
        notFiles: await grantAdminToken(ctx, notFiles, code.scope),
      },
    }
  })
}

/** The files API listing with a token (and filters). */
export async function listFiles(ctx: CheckContext, token: string, filters: Record<string, string> = {}) {
  const url = new URL(await ctx.endpoint('cds_server_provided_files_api'))
  for (const [name, value] of Object.entries(filters)) url.searchParams.set(name, value)
  return ctx.request({ url, bearer: token })
}
