/**
 * The listing subcommands of `cds admin`: `registrations`, `clients`, `messages`, `grants` and
 * `files`, over the operator API's listings (each newest first, 100 per page; `--all` follows the
 * `next` links).
 *
 * @module
 */
import { Command } from 'commander'
import { listing, more, query, runAdmin, short, table, words } from './output.js'

interface Registration {
  registration_id: string
  admin_client_id: string
  client_name: string
  created: string
  client_ids: string[]
  outstanding_messages: number
}
interface ClientItem {
  registration_id: string
  client: { client_id: string; client_name: string; cds_status: string; scope: string; cds_modified: string }
}
interface MessageItem {
  registration_id: string
  message: { message_id: string; type: string; status: string; name: string; creator: string | null; modified: string }
}
interface GrantItem {
  registration_id: string
  grant: { grant_id: string; client_id: string; status: string; scope: string; modified: string }
}
interface FileItem {
  file_id: string
  name: string
  mime_type: string
  size: number
  modified: string
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value]

/** `cds admin registrations`. */
export function registrationsCommand(): Command {
  return new Command('registrations')
    .description('list registrations, newest first, with their Client objects and open or pending Messages')
    .option('--registration <id>', 'only this registration (repeatable)', collect)
    .option('--all', 'follow the next links and list every page')
    .action(async (options: { registration?: string[]; all?: boolean }, command: Command) => {
      await runAdmin(
        command,
        (target) => listing<'registrations', Registration>(target, `/operator/registrations${query({ registration_ids: words(options.registration) })}`, 'registrations', options.all === true),
        (page) =>
          table(page.registrations, [
            { heading: 'REGISTRATION', cell: (r) => r.registration_id },
            { heading: 'ADMIN CLIENT', cell: (r) => r.admin_client_id },
            { heading: 'NAME', cell: (r) => short(r.client_name, 32) },
            { heading: 'CREATED', cell: (r) => r.created },
            { heading: 'CLIENTS', cell: (r) => String(r.client_ids.length) },
            { heading: 'OUTSTANDING', cell: (r) => String(r.outstanding_messages) },
          ]) + more(page),
      )
    })
}

/** `cds admin clients`. */
export function clientsCommand(): Command {
  return new Command('clients')
    .description('list Client objects of every registration, newest cds_modified first')
    .option('--registration <id>', 'only this registration (repeatable)', collect)
    .option('--client <client_id>', 'only this Client object (repeatable)', collect)
    .option('--status <status>', 'only these cds_status values: production, sandbox, disabled (repeatable)', collect)
    .option('--all', 'follow the next links and list every page')
    .action(async (options: { registration?: string[]; client?: string[]; status?: string[]; all?: boolean }, command: Command) => {
      const path = `/operator/clients${query({ registration_ids: words(options.registration), client_ids: words(options.client), statuses: words(options.status) })}`
      await runAdmin(
        command,
        (target) => listing<'clients', ClientItem>(target, path, 'clients', options.all === true),
        (page) =>
          table(page.clients, [
            { heading: 'CLIENT', cell: (c) => c.client.client_id },
            { heading: 'REGISTRATION', cell: (c) => c.registration_id },
            { heading: 'STATUS', cell: (c) => c.client.cds_status },
            { heading: 'SCOPE', cell: (c) => short(c.client.scope, 40) },
            { heading: 'NAME', cell: (c) => short(c.client.client_name, 32) },
          ]) + more(page),
      )
    })
}

/** `cds admin messages`. */
export function messagesCommand(): Command {
  return new Command('messages')
    .description('list Messages of every registration, newest first; by default the outstanding ones (open or pending) to answer')
    .option('--registration <id>', 'only this registration (repeatable)', collect)
    .option('--message <message_id>', 'only this Message (repeatable)', collect)
    .option('--status <status>', 'only these statuses: complete, open, pending, rejected, errored (repeatable; default open and pending)', collect)
    .option('--any-status', 'every status, not only the outstanding ones')
    .option('--type <type>', 'only these types, e.g. production_request, grant_request, support_request (repeatable)', collect)
    .option('--all', 'follow the next links and list every page')
    .action(
      async (
        options: { registration?: string[]; message?: string[]; status?: string[]; anyStatus?: boolean; type?: string[]; all?: boolean },
        command: Command,
      ) => {
        const statuses = options.anyStatus === true ? 'complete open pending rejected errored' : words(options.status)
        const path = `/operator/messages${query({ registration_ids: words(options.registration), message_ids: words(options.message), statuses, types: words(options.type) })}`
        await runAdmin(
          command,
          (target) => listing<'messages', MessageItem>(target, path, 'messages', options.all === true),
          (page) =>
            table(page.messages, [
              { heading: 'MESSAGE', cell: (m) => m.message.message_id },
              { heading: 'REGISTRATION', cell: (m) => m.registration_id },
              { heading: 'TYPE', cell: (m) => m.message.type },
              { heading: 'STATUS', cell: (m) => m.message.status },
              { heading: 'FROM', cell: (m) => (m.message.creator === null ? 'server' : 'client') },
              { heading: 'MODIFIED', cell: (m) => m.message.modified },
              { heading: 'NAME', cell: (m) => short(m.message.name, 40) },
            ]) + more(page),
        )
      },
    )
}

/** `cds admin grants`. */
export function grantsCommand(): Command {
  return new Command('grants')
    .description('list Grants of every registration, newest modified first')
    .option('--registration <id>', 'only this registration (repeatable)', collect)
    .option('--client <client_id>', 'only Grants of this Client object (repeatable)', collect)
    .option('--grant <grant_id>', 'only this Grant (repeatable)', collect)
    .option('--status <status>', 'only these statuses, e.g. active, suspended (repeatable)', collect)
    .option('--all', 'follow the next links and list every page')
    .action(async (options: { registration?: string[]; client?: string[]; grant?: string[]; status?: string[]; all?: boolean }, command: Command) => {
      const path = `/operator/grants${query({
        registration_ids: words(options.registration),
        client_ids: words(options.client),
        grant_ids: words(options.grant),
        statuses: words(options.status),
      })}`
      await runAdmin(
        command,
        (target) => listing<'grants', GrantItem>(target, path, 'grants', options.all === true),
        (page) =>
          table(page.grants, [
            { heading: 'GRANT', cell: (g) => g.grant.grant_id },
            { heading: 'CLIENT', cell: (g) => g.grant.client_id },
            { heading: 'STATUS', cell: (g) => g.grant.status },
            { heading: 'SCOPE', cell: (g) => short(g.grant.scope, 40) },
            { heading: 'MODIFIED', cell: (g) => g.grant.modified },
          ]) + more(page),
      )
    })
}

/** `cds admin files`. */
export function filesCommand(): Command {
  return new Command('files')
    .description('list the stored Server-Provided Files, newest first')
    .option('--file <file_id>', 'only this file (repeatable)', collect)
    .option('--all', 'follow the next links and list every page')
    .action(async (options: { file?: string[]; all?: boolean }, command: Command) => {
      await runAdmin(
        command,
        (target) => listing<'files', FileItem>(target, `/operator/files${query({ file_ids: words(options.file) })}`, 'files', options.all === true),
        (page) =>
          table(page.files, [
            { heading: 'FILE', cell: (f) => f.file_id },
            { heading: 'NAME', cell: (f) => short(f.name, 40) },
            { heading: 'TYPE', cell: (f) => f.mime_type },
            { heading: 'SIZE', cell: (f) => String(f.size) },
            { heading: 'MODIFIED', cell: (f) => f.modified },
          ]) + more(page),
      )
    })
}
