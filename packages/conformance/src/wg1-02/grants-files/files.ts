/**
 * CDS-WG1-02 §9: the Server-Provided Files API, read with Grant Admin tokens for files Grants the
 * server made (through the operator test API).
 *
 * @module
 */
import { ServerProvidedFile, ServerProvidedFileListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { labAdminToken } from '../oauth/lab.js'
import { canonical } from './grants.js'
import { filesLab, listFiles, type UploadedFile } from './files-lab.js'

/** The files a listing answers, failing unless it is 200. */
async function filesOf(ctx: CheckContext, token: string, filters: Record<string, string> = {}): Promise<Json[]> {
  const response = await listFiles(ctx, token, filters)
  ctx.expectStatus(response, 200)
  const files = response.json<Json>().files
  ctx.assert(Array.isArray(files), 'the listing has no files array')
  return files as Json[]
}

const idsOf = (files: readonly Json[]) => files.map((file) => String(file.file_id))
const idOf = (file: UploadedFile) => String(file.object.file_id)

/** The object of an uploaded file as the files API lists it to the Grant of both files. */
async function listedObject(ctx: CheckContext, file: UploadedFile): Promise<Json> {
  const { tokens } = await filesLab(ctx)
  const found = (await filesOf(ctx, tokens.both)).find((f) => f.file_id === file.object.file_id)
  if (found === undefined) ctx.fail(`the Grant that shares ${idOf(file)} does not list it`)
  return found
}

/** The checks of CDS-WG1-02 §9. */
export const filesChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-9-02',
    spec: 'CDS-WG1-02',
    section: '§9 (A-26)',
    title: 'the files API takes a Grant Admin token of a files Grant: 401 without a token, 403 for a Client Admin token or a Grant that is not a files Grant',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const url = await ctx.endpoint('cds_server_provided_files_api')
      ctx.expectStatus(await ctx.request({ url }), 401)
      ctx.expectStatus(await ctx.request({ url, bearer: await labAdminToken(ctx) }), 403)
      const { tokens } = await filesLab(ctx)
      const other = await listFiles(ctx, tokens.notFiles)
      if (other.status === 200) ctx.assert(JSON.stringify(other.json<Json>().files) === '[]', 'a Grant Admin token of a Grant that shares no file lists files')
      else ctx.expectStatus(other, 403)
      ctx.expectStatus(await listFiles(ctx, tokens.first), 200)
    },
  }),
  defineCheck({
    id: 'R1-02-9.1-01',
    spec: 'CDS-WG1-02',
    section: '§9.1',
    title: 'a Server-Provided File has the 9 members of §9.1 with their types',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { tokens } = await filesLab(ctx)
      const files = await filesOf(ctx, tokens.both)
      ctx.assert(files.length === 2, `the Grant of two files lists ${files.length}`)
      for (const file of files) ctx.conforms(ServerProvidedFile, file, `the file ${String(file.file_id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-9.1-02',
    spec: 'CDS-WG1-02',
    section: '§9.1',
    title: 'a new file has modified equal to created, its name with the extension, size in bytes and description "" when none was given',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      for (const file of [lab.first, lab.second]) {
        const listed = await listedObject(ctx, file)
        ctx.assert(listed.modified === listed.created, `the new file ${idOf(file)} has modified ${String(listed.modified)} but created ${String(listed.created)}`)
        ctx.assert(listed.name === file.name, `the file's name is ${JSON.stringify(listed.name)}, uploaded as ${file.name}`)
        ctx.assert(listed.size === file.bytes.length, `the file's size is ${JSON.stringify(listed.size)}, uploaded with ${file.bytes.length} bytes`)
        ctx.assert(listed.description === (file.description ?? ''), `the file's description is ${JSON.stringify(listed.description)}, expected ${JSON.stringify(file.description ?? '')}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-9.1-03',
    spec: 'CDS-WG1-02',
    section: '§9.1',
    title: 'download_uri takes the same authentication as the API: 401 without a token, 403 for a Client Admin token, 200 for the Grant Admin token',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { first, tokens } = await filesLab(ctx)
      const url = String((await listedObject(ctx, first)).download_uri)
      ctx.expectStatus(await ctx.request({ url, headers: { accept: '*/*' } }), 401)
      ctx.expectStatus(await ctx.request({ url, bearer: await labAdminToken(ctx), headers: { accept: '*/*' } }), 403)
      ctx.expectStatus(await ctx.request({ url, bearer: tokens.first, headers: { accept: '*/*' } }), 200)
    },
  }),
  defineCheck({
    id: 'R1-02-9.2-01',
    spec: 'CDS-WG1-02',
    section: '§9.2',
    title: 'the files API lists {files, next, previous}',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { tokens } = await filesLab(ctx)
      const response = await listFiles(ctx, tokens.both)
      ctx.expectStatus(response, 200)
      ctx.conforms(ServerProvidedFileListing, response.json(), 'the files listing')
    },
  }),
  defineCheck({
    id: 'R1-02-9.2-03',
    spec: 'CDS-WG1-02',
    section: '§9.2',
    title: 'a token lists only the files its Grant shares',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      ctx.assert(JSON.stringify(idsOf(await filesOf(ctx, lab.tokens.first))) === JSON.stringify([idOf(lab.first)]), 'the first file\'s Grant does not list exactly that file')
      ctx.assert(JSON.stringify(idsOf(await filesOf(ctx, lab.tokens.second))) === JSON.stringify([idOf(lab.second)]), 'the second file\'s Grant does not list exactly that file')
    },
  }),
  defineCheck({
    id: 'R1-02-9.2-04',
    spec: 'CDS-WG1-02',
    section: '§9.2',
    title: 'file_ids filters the listing (space-separated)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      ctx.assert(JSON.stringify(idsOf(await filesOf(ctx, lab.tokens.both, { file_ids: idOf(lab.first) }))) === JSON.stringify([idOf(lab.first)]), 'file_ids=<first> does not list exactly the first file')
      const both = idsOf(await filesOf(ctx, lab.tokens.both, { file_ids: `${idOf(lab.first)} ${idOf(lab.second)}` }))
      ctx.assert(both.length === 2 && both.includes(idOf(lab.first)) && both.includes(idOf(lab.second)), `file_ids=<both> lists ${JSON.stringify(both)}`)
      ctx.assert(JSON.stringify(await filesOf(ctx, lab.tokens.first, { file_ids: idOf(lab.second) })) === '[]', 'file_ids names a file the token\'s Grant does not share, and it is listed')
    },
  }),
  defineCheck({
    id: 'R1-02-9.2-05',
    spec: 'CDS-WG1-02',
    section: '§9.2',
    title: 'files are listed newest modified first',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      const files = await filesOf(ctx, lab.tokens.both)
      ctx.assert(JSON.stringify(idsOf(files)) === JSON.stringify([idOf(lab.second), idOf(lab.first)]), `the listing has ${JSON.stringify(idsOf(files))}, expected the newer file first`)
      ctx.assert(Date.parse(String(files[0]?.modified)) >= Date.parse(String(files[1]?.modified)), 'the listing is not newest modified first')
    },
  }),
  defineCheck({
    id: 'R1-02-9.3-01',
    spec: 'CDS-WG1-02',
    section: '§9.3 (A-26)',
    title: 'a file\'s uri answers the file to a token whose Grant shares it, and refuses (404) one whose Grant does not',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      const first = await listedObject(ctx, lab.first)
      const second = await listedObject(ctx, lab.second)
      const own = await ctx.request({ url: String(first.uri), bearer: lab.tokens.first })
      ctx.expectStatus(own, 200)
      ctx.conforms(ServerProvidedFile, own.json(), 'the file')
      ctx.assert(canonical(own.json()) === canonical(first), 'the file at its uri differs from the listed one')
      const foreign = await ctx.request({ url: String(second.uri), bearer: lab.tokens.first })
      ctx.assert(foreign.status === 404 || foreign.status === 403, `a file the Grant does not share answered ${foreign.status}`)
    },
  }),
  defineCheck({
    id: 'R1-02-9.4-01',
    spec: 'CDS-WG1-02',
    section: '§9.4',
    title: 'download_uri answers the file\'s bytes, with its mime_type and size',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await filesLab(ctx)
      const listed = await listedObject(ctx, lab.first)
      const download = ctx.options.fetch ?? fetch
      const response = await download(String(listed.download_uri), { headers: { authorization: `Bearer ${lab.tokens.first}` } })
      ctx.assert(response.status === 200, `the download answered ${response.status}`)
      const bytes = new Uint8Array(await response.arrayBuffer())
      ctx.assert(bytes.length === listed.size, `the download has ${bytes.length} bytes, the file object says ${String(listed.size)}`)
      ctx.assert(bytes.length === lab.first.bytes.length && bytes.every((b, i) => b === lab.first.bytes[i]), 'the downloaded bytes differ from the uploaded ones')
      const type = (response.headers.get('content-type') ?? '').replace(/;.*$/s, '').trim()
      ctx.assert(type === listed.mime_type, `the download's Content-Type is ${type}, the file's mime_type ${String(listed.mime_type)}`)
      const foreign = await download(String((await listedObject(ctx, lab.second)).download_uri), { headers: { authorization: `Bearer ${lab.tokens.first}` } })
      ctx.assert(foreign.status === 404 || foreign.status === 403, `downloading a file the Grant does not share answered ${foreign.status}`)
    },
  }),
]
